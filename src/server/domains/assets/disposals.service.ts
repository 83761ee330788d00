import { and, count, desc, eq, isNull } from 'drizzle-orm';
import { sameValue } from '../../platform/audit/canonical';
import { type AuditedTable, type EntityTable, insertRecord, lockRecord } from '../../platform/audit/write';
import { updateEntityRow } from '../../platform/entities/entity.service';
import type { EntityDefinition } from '../../platform/entities/registry';
import type { ServiceContext } from '../../platform/http/context';
import { conflict, type FieldError, validationFailed } from '../../platform/http/problem';
import { assetEntity } from './assets.entity';
import { type AssetStatus, assetAssignments } from './assets.table';
import type { DisposalCreateInput, DisposalUpdateInput } from './disposals.schemas';
import { type Disposal, type DisposalHistoryRow, disposalHistory, disposals } from './disposals.table';
import { checkItem } from './maintenance.entity';
import { peripheralEntity } from './peripherals.entity';
import { peripheralAssignments, peripherals } from './peripherals.table';

/**
 * Disposing of an asset or a peripheral. Recording a disposal is how an item becomes disposed or
 * sold: it is refused while the item is checked out, and sets the item's status in the same
 * transaction. Every later edit of the record must give a reason, kept in `disposal_history`
 * (the seed's DisposalHistory) with the fields it changed.
 */

export const disposalHistoryAudit: AuditedTable<typeof disposalHistory> = {
  table: disposalHistory,
  entityType: 'disposal_history',
  label: (row) => `edit of disposal ${row.disposalId}`,
};

const STATUS_WORD: Record<AssetStatus, string> = {
  in_stock: 'in stock',
  in_use: 'in use',
  in_repair: 'in repair',
  awaiting_disposal: 'awaiting disposal',
  disposed: 'disposed',
  sold: 'sold',
};

/** The latest day that is "today" somewhere on Earth (UTC+14), so no time zone sees its today refused. */
function latestToday(): string {
  return new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10);
}

/** Amounts as the database keeps them (two decimals), so "100" and "100.00" are not a change. */
const asStored = (value: string | null | undefined) =>
  value === null || value === undefined ? value : Number(value).toFixed(2);

function checkAmounts(input: DisposalUpdateInput, current: Disposal | undefined, errors: FieldError[]): void {
  if (input.disposedOn !== undefined && input.disposedOn > latestToday())
    errors.push({ path: 'disposedOn', message: 'cannot be in the future' });
  const proceeds = input.proceeds !== undefined ? input.proceeds : (current?.proceeds ?? null);
  const currency = input.currency !== undefined ? input.currency : (current?.currency ?? null);
  if (proceeds !== null && currency === null)
    errors.push({ path: 'currency', message: 'is required with proceeds' });
}

/**
 * Locks the item and refuses a disposal it cannot have: a second record (409), an item still
 * checked out or carrying checked-out peripherals (409, "check it in first"), one already
 * disposed or sold (422). Runs before the insert, in its transaction.
 */
export async function checkDisposal(
  ctx: ServiceContext,
  input: DisposalCreateInput,
): Promise<DisposalCreateInput> {
  const errors: FieldError[] = [];
  await checkItem(ctx, input, undefined, errors);
  checkAmounts(input, undefined, errors);
  if (errors.length > 0) throw validationFailed(errors);

  const field = input.assetId ? 'assetId' : 'peripheralId';
  const noun = input.assetId ? 'asset' : 'peripheral';
  // Locked until the disposal commits, so a check-out cannot slip in between.
  const item = input.assetId
    ? await lockRecord(ctx, assetEntity, input.assetId)
    : await lockRecord(ctx, peripheralEntity, input.peripheralId!);
  const [existing] = await ctx.db
    .select({ id: disposals.id })
    .from(disposals)
    .where(input.assetId ? eq(disposals.assetId, item.id) : eq(disposals.peripheralId, item.id));
  if (existing) {
    throw conflict(`This ${noun} already has a disposal record (${existing.id}); edit that one.`, undefined, [
      { path: field, message: 'already has a disposal record' },
    ]);
  }
  if (item.status === 'in_use' || (await hasOpenAssignment(ctx, noun, item.id))) {
    throw conflict(`This ${noun} is checked out: check it in first.`, undefined, [
      { path: field, message: 'is checked out: check it in first' },
    ]);
  }
  if (item.status === 'disposed' || item.status === 'sold') {
    throw validationFailed([{ path: field, message: `is already ${STATUS_WORD[item.status]}` }]);
  }
  if (noun === 'asset') {
    const [mounted] = await ctx.db
      .select({ n: count() })
      .from(peripherals)
      .where(and(eq(peripherals.assetId, item.id), eq(peripherals.status, 'in_use')));
    if (mounted && mounted.n > 0) {
      throw conflict(
        `${mounted.n} checked-out peripheral${mounted.n === 1 ? ' is' : 's are'} still on this asset: check ${mounted.n === 1 ? 'it' : 'them'} in first.`,
        undefined,
        [{ path: field, message: 'has peripherals checked out with it: check them in first' }],
      );
    }
  }
  return { ...input, proceeds: asStored(input.proceeds) };
}

async function hasOpenAssignment(ctx: ServiceContext, noun: 'asset' | 'peripheral', id: string) {
  const [open] =
    noun === 'asset'
      ? await ctx.db
          .select({ id: assetAssignments.id })
          .from(assetAssignments)
          .where(and(eq(assetAssignments.assetId, id), isNull(assetAssignments.checkedInAt)))
      : await ctx.db
          .select({ id: peripheralAssignments.id })
          .from(peripheralAssignments)
          .where(and(eq(peripheralAssignments.peripheralId, id), isNull(peripheralAssignments.checkedInAt)));
  return open !== undefined;
}

/**
 * The item's status follows the disposal's method: sold, else disposed. Set on the insert and
 * again when an edit moves the method across that line. Written directly through the write path:
 * the asset's own edit rules keep disposed and sold final, the disposal record owns them.
 */
export async function applyDisposalToItem(
  ctx: ServiceContext,
  before: Disposal | null,
  after: Disposal,
): Promise<void> {
  if (before && before.method === after.method) return;
  const status = after.method === 'sold' ? 'sold' : 'disposed';
  if (after.assetId) await setItemStatus(ctx, assetEntity, after.assetId, status);
  else if (after.peripheralId) await setItemStatus(ctx, peripheralEntity, after.peripheralId, status);
}

/** As the generic update does it: the write path, then the item's own after-write hook (its history). */
async function setItemStatus<T extends EntityTable>(
  ctx: ServiceContext,
  def: EntityDefinition<T>,
  id: string,
  status: AssetStatus,
): Promise<void> {
  const before = await lockRecord(ctx, def, id);
  await updateEntityRow(ctx, def, before, { status } as Partial<T['$inferInsert']>);
}

/**
 * An edit of a disposal: refused without a reason (422 naming `reason`); otherwise the fields it
 * really changes are kept with the reason in `disposal_history` (itself audited). Runs in the
 * update's transaction with the disposal locked, so a stale version (409) rolls the entry back.
 */
export async function reviseDisposal(
  ctx: ServiceContext,
  current: Disposal,
  input: DisposalUpdateInput,
): Promise<Record<string, unknown>> {
  const { reason, ...values } = input;
  const errors: FieldError[] = [];
  if (!reason)
    errors.push({ path: 'reason', message: 'is required: say why the disposal record is changed' });
  checkAmounts(values, current, errors);
  if (errors.length > 0) throw validationFailed(errors);
  if (values.proceeds !== undefined) values.proceeds = asStored(values.proceeds);
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  for (const [field, value] of Object.entries(values)) {
    const old = current[field as keyof Disposal];
    if (value !== undefined && !sameValue(old, value)) changes[field] = { old: old ?? null, new: value };
  }
  if (Object.keys(changes).length > 0)
    await insertRecord(ctx, disposalHistoryAudit, { disposalId: current.id, reason: reason!, changes });
  return values;
}

export const MAX_EDITS_PAGE = 200;

/** The edits of a disposal with their reasons, newest first, a page at a time. */
export async function listDisposalEdits(
  ctx: ServiceContext,
  disposalId: string,
  page: number,
  pageSize: number,
): Promise<{ rows: DisposalHistoryRow[]; total: number }> {
  const where = eq(disposalHistory.disposalId, disposalId);
  const rows = await ctx.db
    .select()
    .from(disposalHistory)
    .where(where)
    .orderBy(desc(disposalHistory.createdAt), desc(disposalHistory.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const total =
    rows.length < pageSize && page === 1 ? rows.length : await ctx.db.$count(disposalHistory, where);
  return { rows, total };
}
