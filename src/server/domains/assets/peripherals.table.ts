import { type SQL, sql } from 'drizzle-orm';
import {
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
import { archivableColumns, entityColumns } from '../../db/columns';
import { historyTable } from '../../platform/history/history';
import { users } from '../people/users.table';
import { type AssetStatus, assetModels, assets, brands, custodyColumns, locations } from './assets.table';

/** Peripherals share the assets' statuses and transition rules. */
export type PeripheralStatus = AssetStatus;

/** Monitors, docks, keyboards…: mounted on an asset or held by a person. */
export const peripherals = pgTable(
  'peripherals',
  {
    ...entityColumns(),
    ...archivableColumns(),
    name: varchar('name', { length: 200 }).notNull(),
    /** Kind of device: monitor, dock, keyboard, headset… */
    type: varchar('type', { length: 100 }).notNull(),
    brandId: uuid('brand_id').references(() => brands.id),
    modelId: uuid('model_id').references(() => assetModels.id),
    serialNumber: varchar('serial_number', { length: 100 }),
    status: varchar('status', { length: 20 }).$type<PeripheralStatus>().notNull().default('in_stock'),
    /** The asset it is mounted on (a monitor on a workstation); set by check-out. */
    assetId: uuid('asset_id').references(() => assets.id),
    /** The person holding it; set by check-out, cleared by check-in. */
    holderId: uuid('holder_id').references(() => users.id),
    locationId: uuid('location_id').references(() => locations.id),
    purchaseDate: date('purchase_date', { mode: 'string' }),
    cost: numeric('cost', { precision: 14, scale: 2 }),
    currency: varchar('currency', { length: 3 }),
    warrantyMonths: integer('warranty_months'),
    comments: text('comments'),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`lower(coalesce(${peripherals.name}, '') || ' ' || coalesce(${peripherals.type}, '') || ' ' || coalesce(${peripherals.serialNumber}, ''))`,
      ),
  },
  (t) => [
    uniqueIndex('peripherals_serial_unique')
      .on(sql`lower(${t.serialNumber})`)
      .where(sql`${t.serialNumber} is not null`),
    index('peripherals_name_idx').on(t.name, t.id),
    index('peripherals_status_idx').on(t.status, t.name),
    index('peripherals_asset_idx').on(t.assetId),
    index('peripherals_holder_idx').on(t.holderId),
    index('peripherals_location_idx').on(t.locationId),
    index('peripherals_search_idx').using('gin', t.searchText.op('gin_trgm_ops')),
  ],
);
export type Peripheral = typeof peripherals.$inferSelect;

/** Custody of a peripheral: to a person, onto an asset, or to a location, until check-in. */
export const peripheralAssignments = pgTable(
  'peripheral_assignments',
  {
    ...entityColumns(),
    peripheralId: uuid('peripheral_id')
      .notNull()
      .references(() => peripherals.id),
    /** The asset it is mounted on, or was handed out with. */
    assetId: uuid('asset_id').references(() => assets.id),
    ...custodyColumns(),
  },
  (t) => [
    uniqueIndex('peripheral_assignments_open_unique').on(t.peripheralId).where(sql`${t.checkedInAt} is null`),
    index('peripheral_assignments_peripheral_idx').on(t.peripheralId, t.checkedOutAt),
    index('peripheral_assignments_user_idx').on(t.userId).where(sql`${t.checkedInAt} is null`),
    index('peripheral_assignments_overdue_idx')
      .on(t.expectedReturnDate)
      .where(sql`${t.checkedInAt} is null and ${t.expectedReturnDate} is not null`),
  ],
);
export type PeripheralAssignment = typeof peripheralAssignments.$inferSelect;

/** Field-by-field history of a peripheral, like the assets'. */
export const peripheralHistory = historyTable('peripheral_history');
