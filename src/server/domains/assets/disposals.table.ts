import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  jsonb,
  numeric,
  pgTable,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { entityColumns } from '../../db/columns';
import { assets } from './assets.table';
import { peripherals } from './peripherals.table';

export const DISPOSAL_METHODS = [
  'recycled',
  'sold',
  'donated',
  'returned_to_vendor',
  'destroyed',
  'other',
] as const;
export type DisposalMethod = (typeof DISPOSAL_METHODS)[number];

/** How an asset or a peripheral left the organisation: one record per item. */
export const disposals = pgTable(
  'disposals',
  {
    ...entityColumns(),
    assetId: uuid('asset_id').references(() => assets.id),
    peripheralId: uuid('peripheral_id').references(() => peripherals.id),
    disposedOn: date('disposed_on', { mode: 'string' }).notNull(),
    method: varchar('method', { length: 30 }).$type<DisposalMethod>().notNull(),
    /** e.g. NIST 800-88 purge, degauss, physical destruction; the certificate is an attachment. */
    wipeMethod: varchar('wipe_method', { length: 200 }),
    partner: varchar('partner', { length: 200 }),
    proceeds: numeric('proceeds', { precision: 14, scale: 2 }),
    currency: varchar('currency', { length: 3 }),
    notes: text('notes'),
  },
  (t) => [
    check('disposals_one_item', sql`(${t.assetId} is null) <> (${t.peripheralId} is null)`),
    uniqueIndex('disposals_asset_unique').on(t.assetId).where(sql`${t.assetId} is not null`),
    uniqueIndex('disposals_peripheral_unique').on(t.peripheralId).where(sql`${t.peripheralId} is not null`),
    index('disposals_disposed_on_idx').on(t.disposedOn),
  ],
);
export type Disposal = typeof disposals.$inferSelect;

/** The seed's DisposalHistory: every edit of a disposal after it was recorded, with its reason. */
export const disposalHistory = pgTable(
  'disposal_history',
  {
    ...entityColumns(),
    disposalId: uuid('disposal_id')
      .notNull()
      .references(() => disposals.id),
    reason: text('reason').notNull(),
    /** `{field: {old, new}}` of the edit. */
    changes: jsonb('changes').$type<Record<string, { old: unknown; new: unknown }>>().notNull(),
  },
  (t) => [index('disposal_history_disposal_idx').on(t.disposalId, t.createdAt)],
);
export type DisposalHistoryRow = typeof disposalHistory.$inferSelect;
