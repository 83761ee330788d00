import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { entityColumns } from '../../db/columns';

/** What a saved view restores: the list's query parameters and, optionally, its visible columns. */
export interface SavedViewState {
  query: Record<string, string>;
  columns?: string[];
}

/**
 * Named list states (filters, sort, columns) of one entity type. A view is its owner's; shared
 * views are offered to everyone who may read that entity type.
 */
export const savedViews = pgTable(
  'saved_views',
  {
    ...entityColumns(),
    entityType: varchar('entity_type', { length: 64 }).notNull(),
    ownerId: uuid('owner_id').notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    shared: boolean('shared').notNull().default(false),
    state: jsonb('state').$type<SavedViewState>().notNull(),
  },
  (t) => [
    uniqueIndex('saved_views_owner_name_unique').on(t.ownerId, t.entityType, sql`lower(${t.name})`),
    index('saved_views_shared_idx').on(t.entityType).where(sql`${t.shared}`),
  ],
);

export type SavedView = typeof savedViews.$inferSelect;
