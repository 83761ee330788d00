import { sql } from 'drizzle-orm';
import { check, date, index, numeric, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { archivableColumns, entityColumns } from '../../db/columns';
import { users } from '../people/users.table';
import { assets } from './assets.table';
import { peripherals } from './peripherals.table';

export const MAINTENANCE_STATUSES = ['open', 'in_progress', 'completed', 'cancelled'] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];

/** Repairs, upgrades, inspections of one asset or one peripheral. */
export const maintenanceLogs = pgTable(
  'maintenance_logs',
  {
    ...entityColumns(),
    ...archivableColumns(),
    assetId: uuid('asset_id').references(() => assets.id),
    peripheralId: uuid('peripheral_id').references(() => peripherals.id),
    /** repair, upgrade, inspection, cleaning… */
    type: varchar('type', { length: 50 }).notNull(),
    eventDate: date('event_date', { mode: 'string' }).notNull(),
    description: text('description'),
    status: varchar('status', { length: 20 }).$type<MaintenanceStatus>().notNull().default('open'),
    assigneeId: uuid('assignee_id').references(() => users.id),
    ticketUrl: varchar('ticket_url', { length: 2000 }),
    cost: numeric('cost', { precision: 14, scale: 2 }),
    currency: varchar('currency', { length: 3 }),
  },
  (t) => [
    check('maintenance_logs_one_item', sql`(${t.assetId} is null) <> (${t.peripheralId} is null)`),
    index('maintenance_logs_asset_idx').on(t.assetId, t.eventDate),
    index('maintenance_logs_peripheral_idx').on(t.peripheralId, t.eventDate),
    index('maintenance_logs_status_idx').on(t.status, t.eventDate),
  ],
);
export type MaintenanceLog = typeof maintenanceLogs.$inferSelect;
