import { type SQL, sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { archivableColumns, entityColumns, timestampTz } from '../../db/columns';
import { historyTable } from '../../platform/history/history';
import { users } from '../people/users.table';

/** Where things are: offices, data centres, stores. */
export const locations = pgTable(
  'locations',
  {
    ...entityColumns(),
    ...archivableColumns(),
    name: varchar('name', { length: 150 }).notNull(),
    address: varchar('address', { length: 300 }),
    city: varchar('city', { length: 100 }),
    postcode: varchar('postcode', { length: 20 }),
    /** ISO 3166-1 alpha-2. */
    country: varchar('country', { length: 2 }),
    /** IANA time zone of the site. */
    timeZone: varchar('time_zone', { length: 64 }),
    phone: varchar('phone', { length: 50 }),
    receptionEmail: varchar('reception_email', { length: 254 }),
  },
  (t) => [uniqueIndex('locations_name_unique').on(sql`lower(${t.name})`)],
);
export type Location = typeof locations.$inferSelect;

export const brands = pgTable(
  'brands',
  {
    ...entityColumns(),
    ...archivableColumns(),
    name: varchar('name', { length: 100 }).notNull(),
  },
  (t) => [uniqueIndex('brands_name_unique').on(sql`lower(${t.name})`)],
);
export type Brand = typeof brands.$inferSelect;

export const assetModels = pgTable(
  'asset_models',
  {
    ...entityColumns(),
    ...archivableColumns(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id),
    name: varchar('name', { length: 150 }).notNull(),
    category: varchar('category', { length: 100 }),
    notes: text('notes'),
  },
  (t) => [uniqueIndex('asset_models_brand_name_unique').on(t.brandId, sql`lower(${t.name})`)],
);
export type AssetModel = typeof assetModels.$inferSelect;

export const ASSET_STATUSES = [
  'in_stock',
  'in_use',
  'in_repair',
  'awaiting_disposal',
  'disposed',
  'sold',
] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

export const assets = pgTable(
  'assets',
  {
    ...entityColumns(),
    ...archivableColumns(),
    name: varchar('name', { length: 200 }).notNull(),
    /** The human key, printed on the label. */
    assetTag: varchar('asset_tag', { length: 64 }).notNull(),
    serialNumber: varchar('serial_number', { length: 100 }),
    modelId: uuid('model_id').references(() => assetModels.id),
    category: varchar('category', { length: 100 }),
    status: varchar('status', { length: 20 }).$type<AssetStatus>().notNull().default('in_stock'),
    locationId: uuid('location_id').references(() => locations.id),
    /** The person holding the asset: set by check-out, cleared by check-in, never edited directly. */
    holderId: uuid('holder_id').references(() => users.id),
    critical: boolean('critical').notNull().default(false),
    virtual: boolean('virtual').notNull().default(false),
    purchaseDate: date('purchase_date', { mode: 'string' }),
    cost: numeric('cost', { precision: 14, scale: 2 }),
    currency: varchar('currency', { length: 3 }),
    warrantyMonths: integer('warranty_months'),
    expectedEndOfLife: date('expected_end_of_life', { mode: 'string' }),
    /** Straight-line depreciation over this many months, down to the salvage value. */
    usefulLifeMonths: integer('useful_life_months'),
    salvageValue: numeric('salvage_value', { precision: 14, scale: 2 }),
    comments: text('comments'),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    /** What free-text search matches, kept by PostgreSQL and indexed by trigrams. */
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`lower(coalesce(${assets.name}, '') || ' ' || coalesce(${assets.assetTag}, '') || ' ' || coalesce(${assets.serialNumber}, '') || ' ' || coalesce(${assets.category}, ''))`,
      ),
  },
  (t) => [
    uniqueIndex('assets_tag_unique').on(sql`lower(${t.assetTag})`),
    uniqueIndex('assets_serial_unique')
      .on(sql`lower(${t.serialNumber})`)
      .where(sql`${t.serialNumber} is not null`),
    // Lists show live assets: each list index is partial on them and ends with the sort key and
    // id, so a filtered, sorted page and its total are both read from one index (index-only for
    // the count), never by scanning the table.
    index('assets_name_idx').on(t.name, t.id).where(sql`${t.isArchived} = false`),
    index('assets_status_idx').on(t.status, t.name, t.id).where(sql`${t.isArchived} = false`),
    index('assets_location_idx').on(t.locationId, t.name, t.id).where(sql`${t.isArchived} = false`),
    index('assets_model_idx').on(t.modelId),
    index('assets_holder_idx').on(t.holderId),
    index('assets_search_idx').using('gin', t.searchText.op('gin_trgm_ops')),
  ],
);
export type Asset = typeof assets.$inferSelect;

/** What every custody record holds, whatever was handed out (assets, peripherals). */
export const custodyColumns = () => ({
  userId: uuid('user_id').references(() => users.id),
  locationId: uuid('location_id').references(() => locations.id),
  checkedOutAt: timestampTz('checked_out_at').notNull().defaultNow(),
  expectedReturnDate: date('expected_return_date', { mode: 'string' }),
  checkoutNotes: text('checkout_notes'),
  checkedInAt: timestampTz('checked_in_at'),
  checkinNotes: text('checkin_notes'),
});

/** Custody: who (or which location) had an asset, from check-out to check-in. */
export const assetAssignments = pgTable(
  'asset_assignments',
  {
    ...entityColumns(),
    assetId: uuid('asset_id')
      .notNull()
      .references(() => assets.id),
    ...custodyColumns(),
  },
  (t) => [
    // At most one open assignment per asset.
    uniqueIndex('asset_assignments_open_unique').on(t.assetId).where(sql`${t.checkedInAt} is null`),
    index('asset_assignments_asset_idx').on(t.assetId, t.checkedOutAt),
    index('asset_assignments_user_idx').on(t.userId).where(sql`${t.checkedInAt} is null`),
    index('asset_assignments_overdue_idx')
      .on(t.expectedReturnDate)
      .where(sql`${t.checkedInAt} is null and ${t.expectedReturnDate} is not null`),
  ],
);
export type AssetAssignment = typeof assetAssignments.$inferSelect;

/**
 * The seed's AssetHistory: one row per changed field of an asset, with when it took effect
 * (who is on the audit row written with it). Feeds the asset's timeline and "what was it on date X".
 */
export const assetHistory = historyTable('asset_history');
