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

/**
 * Bytes kept for something other than an attachment: a frozen copy of evidence in an audit keeps
 * a file whose attachment was later deleted. Storage removes bytes only when neither an attachment
 * nor a hold references them.
 */
export const fileHolds = pgTable(
  'file_holds',
  {
    ...entityColumns(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    /** What holds it: a registry type key or a table name (`audit_evidence`), and its id. */
    holderType: varchar('holder_type', { length: 64 }).notNull(),
    holderId: uuid('holder_id').notNull(),
  },
  (t) => [
    index('file_holds_sha256_idx').on(t.sha256),
    index('file_holds_holder_idx').on(t.holderType, t.holderId),
  ],
);
