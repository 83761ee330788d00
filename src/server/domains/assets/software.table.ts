import { sql } from 'drizzle-orm';
import {
  date,
  index,
  integer,
  numeric,
  pgTable,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { archivableColumns, entityColumns, timestampTz } from '../../db/columns';
import { groups } from '../people/groups.table';
import { users } from '../people/users.table';
import { assets } from './assets.table';

/** The software catalogue: what the organisation runs, and who owns it. */
export const software = pgTable(
  'software',
  {
    ...entityColumns(),
    ...archivableColumns(),
    name: varchar('name', { length: 200 }).notNull(),
    publisher: varchar('publisher', { length: 200 }),
    category: varchar('category', { length: 100 }),
    ownerUserId: uuid('owner_user_id').references(() => users.id),
    ownerGroupId: uuid('owner_group_id').references(() => groups.id),
    description: text('description'),
  },
  (t) => [
    uniqueIndex('software_name_unique').on(sql`lower(${t.name})`),
    index('software_name_idx').on(t.name, t.id),
  ],
);
export type Software = typeof software.$inferSelect;

/** A licence of a piece of software: its key (encrypted at rest), seats, dates and cost. */
export const licenses = pgTable(
  'licenses',
  {
    ...entityColumns(),
    ...archivableColumns(),
    softwareId: uuid('software_id')
      .notNull()
      .references(() => software.id),
    name: varchar('name', { length: 200 }).notNull(),
    /** AES-256-GCM ciphertext of the licence key (`SecretBox`); never leaves the server except by reveal. */
    keyCiphertext: text('key_ciphertext'),
    seats: integer('seats').notNull().default(1),
    purchaseDate: date('purchase_date', { mode: 'string' }),
    expiryDate: date('expiry_date', { mode: 'string' }),
    cost: numeric('cost', { precision: 14, scale: 2 }),
    currency: varchar('currency', { length: 3 }),
    comments: text('comments'),
  },
  (t) => [
    index('licenses_software_idx').on(t.softwareId),
    index('licenses_name_idx').on(t.name, t.id),
    index('licenses_expiry_idx').on(t.expiryDate),
  ],
);
export type License = typeof licenses.$inferSelect;

/** A seat of a licence, held by a person or installed on an asset, until released. */
export const licenseAssignments = pgTable(
  'license_assignments',
  {
    ...entityColumns(),
    licenseId: uuid('license_id')
      .notNull()
      .references(() => licenses.id),
    userId: uuid('user_id').references(() => users.id),
    assetId: uuid('asset_id').references(() => assets.id),
    assignedAt: timestampTz('assigned_at').notNull().defaultNow(),
    releasedAt: timestampTz('released_at'),
    notes: text('notes'),
  },
  (t) => [
    index('license_assignments_license_idx').on(t.licenseId).where(sql`${t.releasedAt} is null`),
    index('license_assignments_user_idx').on(t.userId).where(sql`${t.releasedAt} is null`),
    index('license_assignments_asset_idx').on(t.assetId).where(sql`${t.releasedAt} is null`),
    uniqueIndex('license_assignments_user_open_unique')
      .on(t.licenseId, t.userId)
      .where(sql`${t.releasedAt} is null and ${t.userId} is not null`),
    uniqueIndex('license_assignments_asset_open_unique')
      .on(t.licenseId, t.assetId)
      .where(sql`${t.releasedAt} is null and ${t.assetId} is not null`),
  ],
);
export type LicenseAssignment = typeof licenseAssignments.$inferSelect;
