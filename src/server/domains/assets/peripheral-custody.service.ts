import { and, desc, eq, isNotNull, isNull, or } from 'drizzle-orm';
import { type AuditedTable, insertRecord, lockRecord, updateRecord } from '../../platform/audit/write';
import { checkReference } from '../../platform/entities/check-reference';
import { updateEntityRow } from '../../platform/entities/entity.service';
import type { ServiceContext } from '../../platform/http/context';
import { conflict, type FieldError, validationFailed } from '../../platform/http/problem';
import { users } from '../people/users.table';
import { checkTargetAsset, STATUS_LABEL } from './assets.entity';
import { locations } from './assets.table';
import { checkReturnDate } from './custody.service';
import { peripheralEntity } from './peripherals.entity';
import {
  type Peripheral,
  type PeripheralAssignment,
  peripheralAssignments,
  peripherals,
} from './peripherals.table';

export const peripheralAssignmentAudit: AuditedTable<typeof peripheralAssignments> = {
  table: peripheralAssignments,
  entityType: 'peripheral_assignment',
  label: (row) => `assignment of peripheral ${row.peripheralId}`,
};

export interface PeripheralCheckOut {
  /** The person who takes it. */
  userId?: string | undefined;
  /** The asset it is mounted on, or handed out with (together with `userId`). */
  assetId?: string | undefined;
  /** A location that keeps it (with `assetId`: handed out with that asset to the location). */
  locationId?: string | undefined;
  expectedReturnDate?: string | null | undefined;
  notes?: string | null | undefined;
}

/**
 * Hands a peripheral in stock to a person, mounts it on an asset, or both (a dock handed out with
 * a laptop), or gives it to a location. One open assignment; the peripheral in use.
 */
export async function checkOutPeripheral(
  ctx: ServiceContext,
  peripheralId: string,
  input: PeripheralCheckOut,
  expectedVersion: number | undefined,
): Promise<Peripheral> {
  // The asset first (as an asset's check-out with its peripherals locks them): see checkTargetAsset.
  const assetErrors: FieldError[] = [];
  await checkTargetAsset(ctx, 'assetId', input.assetId, assetErrors);
  const item = await lockRecord(ctx, peripheralEntity, peripheralId);
  if (item.status === 'in_use') throw conflict(`${item.name} is already checked out: check it in first.`);
  if (item.status !== 'in_stock') {
    throw validationFailed([
      {
        path: 'status',
        message: `a peripheral ${STATUS_LABEL[item.status]} cannot be checked out; only one in stock can`,
      },
    ]);
  }
  if (item.isArchived)
    throw validationFailed([{ path: 'id', message: 'an archived peripheral cannot be checked out' }]);
  const errors: FieldError[] = [];
  if (!input.userId && !input.assetId && !input.locationId) {
    errors.push({
      path: 'userId',
      message: 'give a person (userId), an asset (assetId) or a location (locationId)',
    });
  }
  if (input.locationId && input.userId) {
    errors.push({ path: 'locationId', message: 'give a person or a location, not both' });
  }
  await checkReference(ctx, users, 'userId', input.userId, undefined, errors);
  errors.push(...assetErrors);
  await checkReference(ctx, locations, 'locationId', input.locationId, undefined, errors);
  checkReturnDate(input.expectedReturnDate, errors);
  if (errors.length > 0) throw validationFailed(errors);
  await insertRecord(ctx, peripheralAssignmentAudit, {
    peripheralId,
    userId: input.userId ?? null,
    assetId: input.assetId ?? null,
    locationId: input.locationId ?? null,
    expectedReturnDate: input.expectedReturnDate ?? null,
    checkoutNotes: input.notes ?? null,
  });
  return updateEntityRow(
    ctx,
    peripheralEntity,
    item,
    {
      status: 'in_use',
      holderId: input.userId ?? null,
      assetId: input.assetId ?? null,
      ...(input.locationId ? { locationId: input.locationId } : {}),
    },
    expectedVersion,
  );
}

/** Takes a peripheral back in stock, closing its open assignment with the condition noted. */
export async function checkInPeripheral(
  ctx: ServiceContext,
  peripheralId: string,
  notes: string | null | undefined,
  expectedVersion: number | undefined,
): Promise<Peripheral> {
  const item = await lockRecord(ctx, peripheralEntity, peripheralId);
  const [open] = await ctx.db
    .select()
    .from(peripheralAssignments)
    .where(
      and(eq(peripheralAssignments.peripheralId, peripheralId), isNull(peripheralAssignments.checkedInAt)),
    );
  if (item.status !== 'in_use' || !open) throw conflict(`${item.name} is not checked out.`);
  await updateRecord(ctx, peripheralAssignmentAudit, open.id, {
    checkedInAt: new Date(),
    checkinNotes: notes ?? null,
  });
  return updateEntityRow(
    ctx,
    peripheralEntity,
    item,
    { status: 'in_stock', holderId: null, assetId: null },
    expectedVersion,
  );
}

/** The custody history of a peripheral, newest first. */
export function listPeripheralAssignments(
  ctx: ServiceContext,
  peripheralId: string,
): Promise<PeripheralAssignment[]> {
  return ctx.db
    .select()
    .from(peripheralAssignments)
    .where(eq(peripheralAssignments.peripheralId, peripheralId))
    .orderBy(desc(peripheralAssignments.checkedOutAt), desc(peripheralAssignments.id))
    .limit(500);
}

/** At most this many peripherals go out (or come back) with one asset or one leaver. */
export const MAX_PERIPHERALS_TOGETHER = 50;

/** Checks out peripherals together with their asset, to the asset's new holder (or location). */
export async function checkOutWithAsset(
  ctx: ServiceContext,
  assetId: string,
  peripheralIds: readonly string[],
  target: { userId?: string | undefined; locationId?: string | undefined },
  expectedReturnDate: string | null | undefined,
  notes: string | null | undefined,
): Promise<Peripheral[]> {
  const out: Peripheral[] = [];
  for (const id of [...new Set(peripheralIds)].sort()) {
    const input: PeripheralCheckOut = target.locationId
      ? { locationId: target.locationId, assetId, expectedReturnDate, notes }
      : { userId: target.userId, assetId, expectedReturnDate, notes };
    out.push(await checkOutPeripheral(ctx, id, input, undefined));
  }
  return out;
}

/** Checks in the peripherals that went out with an asset to a person or a location (not those merely mounted on it). */
export async function checkInWithAsset(
  ctx: ServiceContext,
  assetId: string,
  notes: string | null | undefined,
): Promise<Peripheral[]> {
  const open = await ctx.db
    .select({ peripheralId: peripheralAssignments.peripheralId })
    .from(peripheralAssignments)
    .where(
      and(
        eq(peripheralAssignments.assetId, assetId),
        or(isNotNull(peripheralAssignments.userId), isNotNull(peripheralAssignments.locationId)),
        isNull(peripheralAssignments.checkedInAt),
      ),
    )
    .orderBy(peripheralAssignments.peripheralId)
    .limit(MAX_PERIPHERALS_TOGETHER + 1);
  if (open.length > MAX_PERIPHERALS_TOGETHER) {
    throw validationFailed([
      {
        path: 'withPeripherals',
        message: `more than ${MAX_PERIPHERALS_TOGETHER} peripherals went out with this asset: check them in one by one`,
      },
    ]);
  }
  const back: Peripheral[] = [];
  for (const { peripheralId } of open)
    back.push(await checkInPeripheral(ctx, peripheralId, notes, undefined));
  return back;
}

/** Checks in every peripheral a person holds, in a stable order (no deadlock between two of these). */
export async function checkInPeripheralsHeldBy(
  ctx: ServiceContext,
  userId: string,
  notes: string | null | undefined,
  limit: number,
): Promise<Peripheral[]> {
  const held = await ctx.db
    .select({ id: peripherals.id })
    .from(peripherals)
    .where(and(eq(peripherals.holderId, userId), eq(peripherals.status, 'in_use')))
    .orderBy(peripherals.id)
    .limit(limit + 1);
  if (held.length > limit) {
    throw validationFailed([
      {
        path: 'userId',
        message: `holds more than ${limit} peripherals: check them in from the peripherals list`,
      },
    ]);
  }
  const back: Peripheral[] = [];
  for (const { id } of held) back.push(await checkInPeripheral(ctx, id, notes, undefined));
  return back;
}
