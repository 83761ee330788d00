import { sql } from 'drizzle-orm';
import { index, pgTable, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { archivableColumns, entityColumns } from '../../db/columns';

/** The global tag vocabulary. */
export const tags = pgTable(
  'tags',
  {
    ...entityColumns(),
    ...archivableColumns(),
    name: varchar('name', { length: 50 }).notNull(),
    color: varchar('color', { length: 20 }),
  },
  (t) => [uniqueIndex('tags_name_unique').on(sql`lower(${t.name})`)],
);

/** A tag placed on any entity that opts in (polymorphic: entity type key + id). */
export const entityTags = pgTable(
  'entity_tags',
  {
    ...entityColumns(),
    tagId: uuid('tag_id')
      .notNull()
      .references(() => tags.id),
    entityType: varchar('entity_type', { length: 64 }).notNull(),
    entityId: uuid('entity_id').notNull(),
  },
  (t) => [
    uniqueIndex('entity_tags_unique').on(t.entityType, t.entityId, t.tagId),
    index('entity_tags_tag_idx').on(t.tagId),
  ],
);
