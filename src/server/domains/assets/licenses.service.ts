import { and, asc, desc, eq, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import {
  type AuditedTable,
  insertRecord,
  lockRecord,
  recordEvent,
  updateRecord,
} from '../../platform/audit/write';
import { checkReference } from '../../platform/entities/check-reference';
import type { ServiceContext } from '../../platform/http/context';
import {
  conflict,
  type FieldError,
  HttpProblem,
  notFound,
  validationFailed,
} from '../../platform/http/problem';
import { users } from '../people/users.table';
import { checkTargetAsset } from './assets.entity';
import { assets } from './assets.table';
import { countSeatsInUse, licenseEntity } from './software.entity';
import { type LicenseAssignment, licenseAssignments, licenses, software } from './software.table';

/**
 * Licence seats and keys: assigning a seat to a person or an asset (never more than the licence
 * has), releasing it, a person's seats, and revealing the stored key. Every function runs in the
 * caller's transaction (`inTransaction`), each write with its audit row.
 */

export const seatAssignmentAudit: AuditedTable<typeof licenseAssignments> = {
  table: licenseAssignments,
  entityType: 'license_assignment',
  label: (row) => `seat of licence ${row.licenseId}`,
};

export type SeatAssignment = LicenseAssignment & { holderName: string | null };

export interface SeatAssignInput {
  userId?: string | undefined;
  assetId?: string | undefined;
  notes?: string | null | undefined;
}

const holderName = sql<string | null>`coalesce(${users.name}, ${assets.assetTag} || ' ' || ${assets.name})`;

function seatAssignments(ctx: ServiceContext, where: SQL | undefined) {
  return ctx.db
    .select({ assignment: licenseAssignments, holderName })
    .from(licenseAssignments)
    .leftJoin(users, eq(users.id, licenseAssignments.userId))
    .leftJoin(assets, eq(assets.id, licenseAssignments.assetId))
    .where(where);
}

async function seatAssignment(ctx: ServiceContext, id: string): Promise<SeatAssignment> {
  const [row] = await seatAssignments(ctx, eq(licenseAssignments.id, id));
  if (!row) throw notFound('Seat assignment');
  return { ...row.assignment, holderName: row.holderName };
}

/** A person or an asset that may receive a seat: it exists, is not archived, and (an asset) is not gone. */
async function checkHolder(ctx: ServiceContext, input: SeatAssignInput): Promise<void> {
  const errors: FieldError[] = [];
  if (Boolean(input.userId) === Boolean(input.assetId))
    errors.push({ path: 'userId', message: 'give either a person (userId) or an asset (assetId)' });
  await checkReference(ctx, users, 'userId', input.userId, undefined, errors);
  await checkTargetAsset(ctx, 'assetId', input.assetId, errors);
  if (errors.length > 0) throw validationFailed(errors);
}

/**
 * Gives a seat of a licence to a person or an asset. Race-safe: the licence row is locked before
 * the open seats are counted, so two requests for the last seat cannot both take it (the second
 * waits, then counts the first's seat and answers 409).
 */
export async function assignSeat(
  ctx: ServiceContext,
  licenseId: string,
  input: SeatAssignInput,
): Promise<SeatAssignment> {
  const license = await lockRecord(ctx, licenseEntity, licenseId);
  if (license.isArchived)
    throw validationFailed([{ path: 'id', message: 'an archived licence cannot be assigned' }]);
  const [state] = await ctx.db
    .select({ expired: sql<boolean>`coalesce(${licenses.expiryDate} < current_date, false)` })
    .from(licenses)
    .where(eq(licenses.id, licenseId));
  if (state?.expired) {
    throw validationFailed([
      { path: 'expiryDate', message: `the licence expired on ${license.expiryDate}: renew it first` },
    ]);
  }
  await checkHolder(ctx, input);
  const field = input.userId ? 'userId' : 'assetId';
  const holder = input.userId
    ? eq(licenseAssignments.userId, input.userId)
    : eq(licenseAssignments.assetId, input.assetId!);
  const [already] = await ctx.db
    .select({ id: licenseAssignments.id })
    .from(licenseAssignments)
    .where(and(eq(licenseAssignments.licenseId, licenseId), isNull(licenseAssignments.releasedAt), holder))
    .limit(1);
  if (already) {
    throw conflict(
      `${input.userId ? 'This person' : 'This asset'} already holds a seat of ${license.name}.`,
      undefined,
      [{ path: field, message: 'already holds a seat of this licence' }],
    );
  }
  const used = await countSeatsInUse(ctx, licenseId);
  if (used >= license.seats) {
    throw conflict(
      license.seats === 1
        ? `The only seat of ${license.name} is in use.`
        : `All ${license.seats} seats of ${license.name} are in use.`,
      { seats: license.seats, seatsUsed: used },
    );
  }
  const row = await insertRecord(ctx, seatAssignmentAudit, {
    licenseId,
    userId: input.userId ?? null,
    assetId: input.assetId ?? null,
    notes: input.notes ?? null,
  });
  return seatAssignment(ctx, row.id);
}

/** One notes column serves both ends of a seat: what was said on release follows what was said on assignment. */
function withReleaseNote(notes: string | null, release: string | null | undefined): string | null {
  if (!release) return notes;
  return notes ? `${notes}\nReleased: ${release}` : `Released: ${release}`;
}

async function releaseLocked(
  ctx: ServiceContext,
  row: LicenseAssignment,
  notes: string | null | undefined,
): Promise<void> {
  await updateRecord(
    ctx,
    seatAssignmentAudit,
    row.id,
    { releasedAt: new Date(), notes: withReleaseNote(row.notes, notes) },
    { locked: row },
  );
}

/** Frees a seat: the assignment is closed (and kept, as history). */
export async function releaseSeat(
  ctx: ServiceContext,
  licenseId: string,
  assignmentId: string,
  notes: string | null | undefined,
): Promise<SeatAssignment> {
  const [row] = await ctx.db
    .select()
    .from(licenseAssignments)
    .where(and(eq(licenseAssignments.id, assignmentId), eq(licenseAssignments.licenseId, licenseId)))
    .for('update');
  if (!row) throw notFound('Seat assignment');
  if (row.releasedAt) throw conflict('This seat was already released.');
  await releaseLocked(ctx, row, notes);
  return seatAssignment(ctx, row.id);
}

/**
 * Releases every seat a person holds (a leaver's return), in id order so that two of these cannot
 * deadlock. Answers how many were released. Seats installed on assets stay with the asset.
 */
export async function releaseAllSeatsOf(
  ctx: ServiceContext,
  userId: string,
  notes: string | null | undefined,
): Promise<number> {
  const open = await ctx.db
    .select()
    .from(licenseAssignments)
    .where(and(eq(licenseAssignments.userId, userId), isNull(licenseAssignments.releasedAt)))
    .orderBy(asc(licenseAssignments.id))
    .for('update');
  for (const row of open) await releaseLocked(ctx, row, notes);
  return open.length;
}

export interface SeatListQuery {
  state: 'open' | 'released' | 'all';
  page: number;
  pageSize: number;
}

/** A licence's seats, open ones first, then newest first. */
export async function listSeatAssignments(
  ctx: ServiceContext,
  licenseId: string,
  query: SeatListQuery,
): Promise<{ rows: SeatAssignment[]; total: number }> {
  const state =
    query.state === 'open'
      ? isNull(licenseAssignments.releasedAt)
      : query.state === 'released'
        ? isNotNull(licenseAssignments.releasedAt)
        : undefined;
  const where = and(eq(licenseAssignments.licenseId, licenseId), state);
  const page = await seatAssignments(ctx, where)
    .orderBy(
      sql`${licenseAssignments.releasedAt} is null desc`,
      desc(licenseAssignments.assignedAt),
      desc(licenseAssignments.id),
    )
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const total = await ctx.db.$count(licenseAssignments, where);
  return { rows: page.map((r) => ({ ...r.assignment, holderName: r.holderName })), total };
}

/** The most seats a person's statement lists; nobody is expected to come near it. */
export const MAX_HELD_SEATS = 500;

/** The seats a person holds now, with their licence and software, by software name. */
export function listSeatsHeldBy(ctx: ServiceContext, userId: string) {
  return ctx.db
    .select({
      assignmentId: licenseAssignments.id,
      licenseId: licenses.id,
      licenseName: licenses.name,
      softwareId: software.id,
      softwareName: software.name,
      expiryDate: licenses.expiryDate,
      assignedAt: licenseAssignments.assignedAt,
      notes: licenseAssignments.notes,
    })
    .from(licenseAssignments)
    .innerJoin(licenses, eq(licenses.id, licenseAssignments.licenseId))
    .innerJoin(software, eq(software.id, licenses.softwareId))
    .where(and(eq(licenseAssignments.userId, userId), isNull(licenseAssignments.releasedAt)))
    .orderBy(asc(software.name), asc(licenses.name), asc(licenseAssignments.id))
    .limit(MAX_HELD_SEATS);
}

/**
 * The stored key of a licence, in clear, for someone about to use it. The reveal is audited
 * (`REVEAL`, naming what was read, never the key) in the same transaction: no audit, no key.
 */
export async function revealLicenseKey(ctx: ServiceContext, licenseId: string): Promise<string> {
  const [license] = await ctx.db.select().from(licenses).where(eq(licenses.id, licenseId));
  if (!license) throw notFound('Licence');
  if (!license.keyCiphertext) throw new HttpProblem(404, 'Not found', 'This licence has no key stored.');
  if (!ctx.secretBox) throw new Error('Revealing a licence key needs a context that carries the SecretBox');
  const key = ctx.secretBox.decrypt(license.keyCiphertext);
  await recordEvent(ctx, licenseEntity, 'REVEAL', license, { revealed: 'key' });
  return key;
}
