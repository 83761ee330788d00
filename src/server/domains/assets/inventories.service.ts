import { and, asc, count, eq, ilike, inArray, isNull, notInArray, or, type SQL, sql } from 'drizzle-orm';
import {
  type AuditedTable,
  insertRecord,
  insertRecords,
  lockRecord,
  updateRecord,
} from '../../platform/audit/write';
import { escapeLike } from '../../platform/entities/list-query';
import { actorUserId, type ServiceContext } from '../../platform/http/context';
import { conflict, notFound, validationFailed } from '../../platform/http/problem';
import { tagEntity } from '../../platform/tags/tags.entity';
import { entityTagAudit } from '../../platform/tags/tags.service';
import { entityTags, tags } from '../../platform/tags/tags.table';
import { users } from '../people/users.table';
import { assets } from './assets.table';
import { type InventoryProgress, toInventoryRecord } from './inventories.schemas';
import {
  type AssetInventory,
  type AssetInventoryItem,
  assetInventories,
  assetInventoryItems,
  type InventoryResult,
  type InventorySummary,
} from './inventories.table';

export const inventoryItemAudit: AuditedTable<typeof assetInventoryItems> = {
  table: assetInventoryItems,
  entityType: 'asset_inventory_item',
  label: (row) => `inventory item ${row.assetId}`,
};

/** The campaign row as the write path sees it (the registry's declaration adds the routes). */
const inventoryAudit: AuditedTable<typeof assetInventories> = {
  table: assetInventories,
  entityType: 'asset_inventory',
  label: (row) => row.name,
  present: toInventoryRecord,
};

/** The tag that closing a campaign with `flagMissing` puts on every asset found missing. */
export const MISSING_TAG = 'Missing';

/**
 * Lists the assets a new campaign expects to find: every asset (not archived, virtual, disposed or
 * sold) at its location, or everywhere. Each item is audited like any insert, in a few statements.
 */
export async function listExpectedItems(ctx: ServiceContext, inventory: AssetInventory): Promise<number> {
  const conditions: SQL[] = [
    eq(assets.isArchived, false),
    eq(assets.virtual, false),
    notInArray(assets.status, ['disposed', 'sold']),
  ];
  if (inventory.locationId) conditions.push(eq(assets.locationId, inventory.locationId));
  const expected = await ctx.db
    .select({ id: assets.id, locationId: assets.locationId })
    .from(assets)
    .where(and(...conditions))
    .orderBy(asc(assets.id));
  await insertRecords(
    ctx,
    inventoryItemAudit,
    expected.map((asset) => ({
      inventoryId: inventory.id,
      assetId: asset.id,
      expectedLocationId: asset.locationId,
      expected: true,
    })),
  );
  return expected.length;
}

/** The campaign, which must still be open; shares its lock with other scanners, not with closing. */
async function openInventory(ctx: ServiceContext, inventoryId: string): Promise<AssetInventory> {
  const [inventory] = await ctx.db
    .select()
    .from(assetInventories)
    .where(eq(assetInventories.id, inventoryId))
    .for('share');
  if (!inventory) throw notFound('Inventory campaign');
  if (inventory.status === 'closed') throw conflict('This inventory is closed: its result is frozen.');
  return inventory;
}

export interface ScanInput {
  assetTag: string;
  result: 'verified' | 'damaged';
  notes?: string | null | undefined;
}

/**
 * Records a scanned (or typed) asset tag: the expected item is verified (or damaged); an asset the
 * campaign did not expect is added as found unexpectedly. Scanning again updates the finding.
 */
export async function scanAsset(
  ctx: ServiceContext,
  inventoryId: string,
  input: ScanInput,
): Promise<AssetInventoryItem> {
  await openInventory(ctx, inventoryId);
  const [asset] = await ctx.db
    .select({ id: assets.id, locationId: assets.locationId })
    .from(assets)
    .where(sql`lower(${assets.assetTag}) = lower(${input.assetTag})`)
    // Two scanners reading the same unexpected asset at once: the second waits, then updates.
    .for('update');
  if (!asset)
    throw validationFailed([{ path: 'assetTag', message: `no asset has the tag ${input.assetTag}` }]);
  const [item] = await ctx.db
    .select()
    .from(assetInventoryItems)
    .where(and(eq(assetInventoryItems.inventoryId, inventoryId), eq(assetInventoryItems.assetId, asset.id)))
    .for('update');
  const checked = { checkedAt: new Date(), checkedBy: actorUserId(ctx.actor), notes: input.notes ?? null };
  if (!item) {
    return insertRecord(ctx, inventoryItemAudit, {
      inventoryId,
      assetId: asset.id,
      expectedLocationId: asset.locationId,
      expected: false,
      result: 'found_unexpected',
      ...checked,
    });
  }
  const result: InventoryResult = item.expected ? input.result : 'found_unexpected';
  return updateRecord(ctx, inventoryItemAudit, item.id, { result, ...checked }, { locked: item });
}

/** Sets an item's result by hand (e.g. missing after a search), or back to pending. */
export async function markItem(
  ctx: ServiceContext,
  inventoryId: string,
  itemId: string,
  result: Exclude<InventoryResult, 'found_unexpected'>,
  notes: string | null | undefined,
): Promise<AssetInventoryItem> {
  await openInventory(ctx, inventoryId);
  const [item] = await ctx.db
    .select()
    .from(assetInventoryItems)
    .where(and(eq(assetInventoryItems.id, itemId), eq(assetInventoryItems.inventoryId, inventoryId)))
    .for('update');
  if (!item) throw notFound('Inventory item');
  if (!item.expected) {
    throw validationFailed([
      { path: 'result', message: 'an asset found unexpectedly stays found unexpectedly' },
    ]);
  }
  const checked =
    result === 'pending'
      ? { checkedAt: null, checkedBy: null }
      : { checkedAt: new Date(), checkedBy: actorUserId(ctx.actor) };
  return updateRecord(
    ctx,
    inventoryItemAudit,
    item.id,
    { result, ...checked, ...(notes !== undefined ? { notes } : {}) },
    { locked: item },
  );
}

/** Counts by result, live. */
export async function inventoryProgress(
  ctx: ServiceContext,
  inventoryId: string,
): Promise<InventoryProgress> {
  const rows = await ctx.db
    .select({ result: assetInventoryItems.result, expected: assetInventoryItems.expected, n: count() })
    .from(assetInventoryItems)
    .where(eq(assetInventoryItems.inventoryId, inventoryId))
    .groupBy(assetInventoryItems.result, assetInventoryItems.expected);
  const progress: InventoryProgress = {
    expected: 0,
    pending: 0,
    verified: 0,
    missing: 0,
    damaged: 0,
    foundUnexpected: 0,
  };
  for (const row of rows) {
    if (row.expected) progress.expected += row.n;
    if (row.result === 'found_unexpected') progress.foundUnexpected += row.n;
    else progress[row.result] += row.n;
  }
  return progress;
}

/**
 * Closes a campaign and freezes its discrepancy summary: expected items never checked count as
 * missing (and say so as `unchecked`). With `flagMissing`, every missing asset gets the "Missing"
 * tag. Nothing about the campaign can change afterwards.
 */
export async function closeInventory(
  ctx: ServiceContext,
  inventoryId: string,
  flagMissing: boolean,
  expectedVersion: number | undefined,
): Promise<AssetInventory> {
  const inventory = await lockRecord(ctx, inventoryAudit, inventoryId);
  if (inventory.status === 'closed') throw conflict('This inventory is already closed.');
  const progress = await inventoryProgress(ctx, inventoryId);
  const summary: InventorySummary = {
    expected: progress.expected,
    verified: progress.verified,
    missing: progress.missing + progress.pending,
    damaged: progress.damaged,
    foundUnexpected: progress.foundUnexpected,
    unchecked: progress.pending,
  };
  if (flagMissing && summary.missing > 0) await tagMissingAssets(ctx, inventoryId);
  return updateRecord(
    ctx,
    inventoryAudit,
    inventoryId,
    { status: 'closed', closedAt: new Date(), closedBy: actorUserId(ctx.actor), summary },
    { expectedVersion, locked: inventory },
  );
}

async function tagMissingAssets(ctx: ServiceContext, inventoryId: string): Promise<void> {
  let [tag] = await ctx.db.select().from(tags).where(sql`lower(${tags.name}) = lower(${MISSING_TAG})`);
  if (tag?.isArchived) {
    throw validationFailed([
      {
        path: 'flagMissing',
        message: `the "${MISSING_TAG}" tag is archived: restore it in the tag settings first`,
      },
    ]);
  }
  tag ??= await insertRecord(ctx, tagEntity, { name: MISSING_TAG, color: 'red' });
  const untagged = await ctx.db
    .select({ assetId: assetInventoryItems.assetId })
    .from(assetInventoryItems)
    .leftJoin(
      entityTags,
      and(
        eq(entityTags.entityType, 'asset'),
        eq(entityTags.entityId, assetInventoryItems.assetId),
        eq(entityTags.tagId, tag.id),
      ),
    )
    .where(
      and(
        eq(assetInventoryItems.inventoryId, inventoryId),
        inArray(assetInventoryItems.result, ['missing', 'pending']),
        eq(assetInventoryItems.expected, true),
        isNull(entityTags.id),
      ),
    );
  const tagId = tag.id;
  await insertRecords(
    ctx,
    entityTagAudit,
    untagged.map(({ assetId }) => ({ tagId, entityType: 'asset', entityId: assetId })),
  );
}

export interface ItemQuery {
  page: number;
  pageSize: number;
  result?: InventoryResult | undefined;
  q?: string | undefined;
}

/** A page of the campaign's items, with the asset's tag and name and who checked it. */
export async function listItems(ctx: ServiceContext, inventoryId: string, query: ItemQuery) {
  const conditions: SQL[] = [eq(assetInventoryItems.inventoryId, inventoryId)];
  if (query.result) conditions.push(eq(assetInventoryItems.result, query.result));
  if (query.q) {
    const pattern = `%${escapeLike(query.q)}%`;
    conditions.push(or(ilike(assets.assetTag, pattern), ilike(assets.name, pattern)) as SQL);
  }
  const where = and(...conditions);
  const rows = await ctx.db
    .select({
      id: assetInventoryItems.id,
      assetId: assetInventoryItems.assetId,
      assetTag: assets.assetTag,
      assetName: assets.name,
      expectedLocationId: assetInventoryItems.expectedLocationId,
      expected: assetInventoryItems.expected,
      result: assetInventoryItems.result,
      checkedAt: assetInventoryItems.checkedAt,
      checkedBy: assetInventoryItems.checkedBy,
      checkedByName: users.name,
      notes: assetInventoryItems.notes,
      total: sql<number>`(count(*) over ())::int`,
    })
    .from(assetInventoryItems)
    .innerJoin(assets, eq(assets.id, assetInventoryItems.assetId))
    .leftJoin(users, eq(users.id, assetInventoryItems.checkedBy))
    .where(where)
    .orderBy(asc(assets.assetTag), asc(assetInventoryItems.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && query.page > 1) {
    const [counted] = await ctx.db
      .select({ n: count() })
      .from(assetInventoryItems)
      .innerJoin(assets, eq(assets.id, assetInventoryItems.assetId))
      .where(where);
    total = counted?.n ?? 0;
  }
  return {
    data: rows.map(({ total: _t, checkedAt, ...row }) => ({
      ...row,
      checkedAt: checkedAt?.toISOString() ?? null,
    })),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}
