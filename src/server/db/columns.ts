import { boolean, customType, integer, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Timestamps are always UTC `timestamptz`, read as JS Dates. */
export const timestampTz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The columns every entity has. Ids are UUIDv7 made by the application (`newId`).
 * `created_by`/`updated_by` carry no foreign key: the actor may be a system job, and users
 * are archived rather than deleted; the audit log keeps the actor's label besides.
 */
export const entityColumns = () => ({
  id: uuid('id').primaryKey(),
  createdAt: timestampTz('created_at').notNull().defaultNow(),
  updatedAt: timestampTz('updated_at').notNull().defaultNow(),
  createdBy: uuid('created_by'),
  updatedBy: uuid('updated_by'),
  version: integer('version').notNull().default(1),
});

export const archivableColumns = () => ({
  isArchived: boolean('is_archived').notNull().default(false),
});

/**
 * A `jsonb` column holding any JSON value, strings included. Both drivers already parse jsonb, and
 * Drizzle's own `jsonb` parses a string it reads once more, so the stored string "1200.00" would
 * come back as the number 1200: this column reads values as the driver gives them.
 */
export const jsonValue = customType<{ data: unknown; driverData: unknown }>({
  dataType: () => 'jsonb',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => value,
});
