import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { entityColumns } from '../../db/columns';

/**
 * A link from any entity to another entity (with a relation label) or to an external URL.
 * Types are the registry's stable keys (`user`, `group`, `asset`, …), never class names.
 */
export const links = pgTable(
  'links',
  {
    ...entityColumns(),
    sourceType: varchar('source_type', { length: 64 }).notNull(),
    sourceId: uuid('source_id').notNull(),
    targetType: varchar('target_type', { length: 64 }),
    targetId: uuid('target_id'),
    url: varchar('url', { length: 2048 }),
    relation: varchar('relation', { length: 100 }).notNull().default('related to'),
    description: text('description'),
  },
  (t) => [
    index('links_source_idx').on(t.sourceType, t.sourceId),
    index('links_target_idx').on(t.targetType, t.targetId),
    check(
      'links_target_or_url',
      sql`(${t.targetId} is not null and ${t.targetType} is not null and ${t.url} is null) or (${t.targetId} is null and ${t.targetType} is null and ${t.url} is not null)`,
    ),
  ],
);
