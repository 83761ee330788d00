import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { type AuditedTable, insertRecord, lockRecord, updateRecord } from '../../platform/audit/write';
import { checkReference } from '../../platform/entities/check-reference';
import { updateEntityRow } from '../../platform/entities/entity.service';
import type { ServiceContext } from '../../platform/http/context';
import { conflict, type FieldError, notFound, validationFailed } from '../../platform/http/problem';
import { users } from '../people/users.table';
import { assetEntity, STATUS_LABEL } from './assets.entity';
import { type Asset, type AssetAssignment, assetAssignments, assets, locations } from './assets.table';
import { peripheralAssignments, peripherals } from './peripherals.table';
import { licenseAssignments, licenses, software } from './software.table';

export const assignmentAudit: AuditedTable<typeof assetAssignments> = {
  table: assetAssignments,
  entityType: 'asset_assignment',
  label: (row) => `assignment of asset ${row.assetId}`,
};

export interface CheckOutInput {
  userId?: string | undefined;
  locationId?: string | undefined;
  expectedReturnDate?: string | null | undefined;
  notes?: string | null | undefined;
}

/** An expected return date, when given, is today or later. */
export function checkReturnDate(date: string | null | undefined, errors: FieldError[]): void {
  const today = new Date().toISOString().slice(0, 10);
  if (date && date < today) errors.push({ path: 'expectedReturnDate', message: 'cannot be in the past' });
}

/**
 * Hands an asset in stock to a person or a location: one open assignment, the asset in use with
 * its holder. Everything in the caller's transaction, each write with its audit row.
 */
export async function checkOutAsset(
  ctx: ServiceContext,
  assetId: string,
  input: CheckOutInput,
  expectedVersion: number | undefined,
): Promise<Asset> {
  const asset = await lockRecord(ctx, assetEntity, assetId);
  if (asset.status === 'in_use') throw conflict('This asset is already checked out: check it in first.');
  if (asset.status !== 'in_stock') {
    throw validationFailed([
      {
        path: 'status',
        message: `an asset ${STATUS_LABEL[asset.status]} cannot be checked out; only one in stock can`,
      },
    ]);
  }
  if (asset.isArchived)
    throw validationFailed([{ path: 'id', message: 'an archived asset cannot be checked out' }]);
  const errors: FieldError[] = [];
  if (Boolean(input.userId) === Boolean(input.locationId)) {
    errors.push({ path: 'userId', message: 'give either a person (userId) or a location (locationId)' });
  }
  await checkReference(ctx, users, 'userId', input.userId, undefined, errors);
  await checkReference(ctx, locations, 'locationId', input.locationId, undefined, errors);
  checkReturnDate(input.expectedReturnDate, errors);
  if (errors.length > 0) throw validationFailed(errors);
  await insertRecord(ctx, assignmentAudit, {
    assetId,
    userId: input.userId ?? null,
    locationId: input.locationId ?? null,
    expectedReturnDate: input.expectedReturnDate ?? null,
    checkoutNotes: input.notes ?? null,
  });
  return updateEntityRow(
    ctx,
    assetEntity,
    asset,
    {
      status: 'in_use',
      holderId: input.userId ?? null,
      ...(input.locationId ? { locationId: input.locationId } : {}),
    },
    expectedVersion,
  );
}

/** Takes an asset back in stock, closing its open assignment with the condition noted. */
export async function checkInAsset(
  ctx: ServiceContext,
  assetId: string,
  notes: string | null | undefined,
  expectedVersion: number | undefined,
): Promise<Asset> {
  const asset = await lockRecord(ctx, assetEntity, assetId);
  const [open] = await ctx.db
    .select()
    .from(assetAssignments)
    .where(and(eq(assetAssignments.assetId, assetId), isNull(assetAssignments.checkedInAt)));
  if (asset.status !== 'in_use' || !open) throw conflict('This asset is not checked out.');
  await updateRecord(ctx, assignmentAudit, open.id, { checkedInAt: new Date(), checkinNotes: notes ?? null });
  return updateEntityRow(ctx, assetEntity, asset, { status: 'in_stock', holderId: null }, expectedVersion);
}

/** The custody history of an asset, newest first. */
export function listAssignments(ctx: ServiceContext, assetId: string): Promise<AssetAssignment[]> {
  return ctx.db
    .select()
    .from(assetAssignments)
    .where(eq(assetAssignments.assetId, assetId))
    .orderBy(desc(assetAssignments.checkedOutAt), desc(assetAssignments.id))
    .limit(500);
}

/**
 * Checks in everything a person holds (a leaver's return), all or nothing: each asset through the
 * ordinary check-in, in a stable order so two of these cannot deadlock.
 */
export async function checkInAllHeldBy(
  ctx: ServiceContext,
  userId: string,
  notes: string | null | undefined,
): Promise<Asset[]> {
  const held = await ctx.db
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.holderId, userId), eq(assets.status, 'in_use')))
    .orderBy(assets.id)
    .limit(MAX_BULK_CHECK_IN + 1);
  if (held.length > MAX_BULK_CHECK_IN) {
    throw validationFailed([
      {
        path: 'userId',
        message: `holds more than ${MAX_BULK_CHECK_IN} assets: check them in from the assets list`,
      },
    ]);
  }
  const returned: Asset[] = [];
  for (const { id } of held) returned.push(await checkInAsset(ctx, id, notes, undefined));
  return returned;
}

export const MAX_BULK_CHECK_IN = 500;

/** One line of a person's custody statement: an asset, a peripheral or a licence seat they hold. */
export interface HeldItem {
  kind: 'asset' | 'peripheral' | 'licence seat';
  reference: string | null;
  name: string;
  serialNumber: string | null;
  since: Date;
  expectedReturnDate: string | null;
}

/**
 * Everything a person holds, for their custody statement: assets and peripherals checked out to
 * them (with when and until when), and licence seats; one statement, by kind then name.
 */
export async function heldBy(ctx: ServiceContext, userId: string): Promise<HeldItem[]> {
  const rows = await queryRows<{
    kind: HeldItem['kind'];
    reference: string | null;
    name: string;
    serial_number: string | null;
    since: Date | string;
    expected_return_date: string | null;
  }>(
    ctx.db,
    sql`
    select 'asset' as kind, a.asset_tag as reference, a.name, a.serial_number, aa.checked_out_at as since,
      aa.expected_return_date::text as expected_return_date
    from ${assets} a join ${assetAssignments} aa on aa.asset_id = a.id and aa.checked_in_at is null
    where aa.user_id = ${userId}
    union all
    select 'peripheral', p.type, p.name, p.serial_number, pa.checked_out_at, pa.expected_return_date::text
    from ${peripherals} p join ${peripheralAssignments} pa on pa.peripheral_id = p.id and pa.checked_in_at is null
    where pa.user_id = ${userId}
    union all
    select 'licence seat', s.name, l.name, null, la.assigned_at, null
    from ${licenseAssignments} la join ${licenses} l on l.id = la.license_id join ${software} s on s.id = l.software_id
    where la.user_id = ${userId} and la.released_at is null
    order by 1, 3
    limit ${MAX_BULK_CHECK_IN * 3}`,
  );
  return rows.map((row) => ({
    kind: row.kind,
    reference: row.reference,
    name: row.name,
    serialNumber: row.serial_number,
    since: new Date(row.since),
    expectedReturnDate: row.expected_return_date,
  }));
}

/** 404 unless the person exists (archived ones included: a leaver still returns what they hold). */
export async function requirePerson(ctx: ServiceContext, userId: string): Promise<void> {
  const [person] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!person) throw notFound('Person');
}
