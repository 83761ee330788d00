import { index, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { timestampTz } from '../../db/columns';

/**
 * Messages to one person inside the application (the bell): a control of theirs regressed, say.
 * Not records of the business: they are written by the system, read and dismissed by their
 * recipient, and never edited. E-mail and chat channels come with the notifications issue.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    /** What kind of event, `<domain>.<event>`: `compliance.regression`. */
    kind: varchar('kind', { length: 64 }).notNull(),
    title: varchar('title', { length: 300 }).notNull(),
    body: text('body'),
    /** Where the web app opens it: a path inside the app (`/records/control/…`). */
    link: varchar('link', { length: 500 }),
    createdAt: timestampTz('created_at').notNull().defaultNow(),
    readAt: timestampTz('read_at'),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_unread_idx').on(t.userId, t.readAt),
  ],
);
export type Notification = typeof notifications.$inferSelect;
