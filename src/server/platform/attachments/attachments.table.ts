import { bigint, index, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';
import { entityColumns } from '../../db/columns';

/** A file attached to an entity. The bytes live in content-addressed storage under the SHA-256. */
export const attachments = pgTable(
  'attachments',
  {
    ...entityColumns(),
    entityType: varchar('entity_type', { length: 64 }).notNull(),
    entityId: uuid('entity_id').notNull(),
    filename: varchar('filename', { length: 255 }).notNull(),
    contentType: varchar('content_type', { length: 127 }).notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
  },
  (t) => [
    index('attachments_entity_idx').on(t.entityType, t.entityId),
    // "Does any record still use these bytes?" before removing them from storage.
    index('attachments_sha256_idx').on(t.sha256),
  ],
);
