import { sql } from 'drizzle-orm';
import { index, pgTable, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { archivableColumns, entityColumns } from '../../db/columns';
import { users } from './users.table';

export const groups = pgTable(
  'groups',
  {
    ...entityColumns(),
    ...archivableColumns(),
    name: varchar('name', { length: 100 }).notNull(),
    description: text('description'),
  },
  (t) => [uniqueIndex('groups_name_unique').on(sql`lower(${t.name})`)],
);

/** Membership is its own small entity so that adding and removing members is audited. */
export const groupMembers = pgTable(
  'group_members',
  {
    ...entityColumns(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [
    uniqueIndex('group_members_unique').on(t.groupId, t.userId),
    index('group_members_user_idx').on(t.userId),
  ],
);

export type Group = typeof groups.$inferSelect;
export type GroupMember = typeof groupMembers.$inferSelect;
