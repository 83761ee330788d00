import { boolean, index, jsonb, pgTable, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { entityColumns, timestampTz } from '../../db/columns';
import { users } from '../people/users.table';
import { assets, locations } from './assets.table';

export const INVENTORY_STATUSES = ['open', 'closed'] as const;
export type InventoryStatus = (typeof INVENTORY_STATUSES)[number];
export const INVENTORY_RESULTS = ['pending', 'verified', 'missing', 'damaged', 'found_unexpected'] as const;
export type InventoryResult = (typeof INVENTORY_RESULTS)[number];

export interface InventorySummary {
  expected: number;
  verified: number;
  missing: number;
  damaged: number;
  foundUnexpected: number;
  /** Expected items never checked before closing: counted as missing. */
  unchecked: number;
}

/** A physical inventory campaign for one location, or every location when `location_id` is null. */
export const assetInventories = pgTable(
  'asset_inventories',
  {
    ...entityColumns(),
    name: varchar('name', { length: 200 }).notNull(),
    locationId: uuid('location_id').references(() => locations.id),
    status: varchar('status', { length: 10 }).$type<InventoryStatus>().notNull().default('open'),
    notes: text('notes'),
    closedAt: timestampTz('closed_at'),
    closedBy: uuid('closed_by').references(() => users.id),
    /** Frozen when the campaign closes. */
    summary: jsonb('summary').$type<InventorySummary>(),
  },
  (t) => [index('asset_inventories_status_idx').on(t.status, t.createdAt)],
);
export type AssetInventory = typeof assetInventories.$inferSelect;

/** One asset in a campaign: expected there (listed at start) or found there unexpectedly. */
export const assetInventoryItems = pgTable(
  'asset_inventory_items',
  {
    ...entityColumns(),
    inventoryId: uuid('inventory_id')
      .notNull()
      .references(() => assetInventories.id),
    assetId: uuid('asset_id')
      .notNull()
      .references(() => assets.id),
    /** Where the asset was expected when the campaign started (null: no location). */
    expectedLocationId: uuid('expected_location_id').references(() => locations.id),
    /** False for an asset found there that the campaign did not list. */
    expected: boolean('expected').notNull().default(true),
    result: varchar('result', { length: 20 }).$type<InventoryResult>().notNull().default('pending'),
    checkedAt: timestampTz('checked_at'),
    checkedBy: uuid('checked_by').references(() => users.id),
    notes: text('notes'),
  },
  (t) => [
    uniqueIndex('asset_inventory_items_unique').on(t.inventoryId, t.assetId),
    index('asset_inventory_items_result_idx').on(t.inventoryId, t.result),
  ],
);
export type AssetInventoryItem = typeof assetInventoryItems.$inferSelect;
