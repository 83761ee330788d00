import { pgTable, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { entityColumns, jsonValue } from '../../db/columns';

/**
 * Small settings of one person's web app (e.g. which columns a list shows), stored on the server so
 * they follow the person from browser to browser. One row per (user, key); the value is JSON whose
 * shape belongs to the route that writes it.
 */
export const userPreferences = pgTable(
  'user_preferences',
  {
    ...entityColumns(),
    userId: uuid('user_id').notNull(),
    key: varchar('key', { length: 100 }).notNull(),
    value: jsonValue('value').notNull(),
  },
  (t) => [uniqueIndex('user_preferences_user_key_unique').on(t.userId, t.key)],
);

export type UserPreference = typeof userPreferences.$inferSelect;
