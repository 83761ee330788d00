import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  date,
  index,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import type { Role } from '../../../shared/modules';
import { archivableColumns, entityColumns } from '../../db/columns';

export const EMPLOYMENT_STATUSES = ['active', 'on_leave', 'contractor', 'terminated'] as const;
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];

/**
 * The directory of people. A person may or may not log in (`loginEnabled`); the secrets
 * that let them do so live in `user_credentials`, never on this row.
 */
export const users = pgTable(
  'users',
  {
    ...entityColumns(),
    ...archivableColumns(),
    name: varchar('name', { length: 200 }).notNull(),
    email: varchar('email', { length: 254 }).notNull(),
    username: varchar('username', { length: 100 }),
    department: varchar('department', { length: 100 }),
    jobTitle: varchar('job_title', { length: 150 }),
    managerId: uuid('manager_id').references((): AnyPgColumn => users.id, { onDelete: 'set null' }),
    location: varchar('location', { length: 150 }),
    employmentStatus: varchar('employment_status', { length: 20 })
      .$type<EmploymentStatus>()
      .notNull()
      .default('active'),
    startDate: date('start_date', { mode: 'string' }),
    endDate: date('end_date', { mode: 'string' }),
    role: varchar('role', { length: 20 }).$type<Role>().notNull().default('member'),
    loginEnabled: boolean('login_enabled').notNull().default(false),
    hideFromOrgChart: boolean('hide_from_org_chart').notNull().default(false),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    /** What free-text search matches, kept by PostgreSQL and indexed by trigrams. */
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`lower(coalesce(${users.name}, '') || ' ' || coalesce(${users.email}, '') || ' ' || coalesce(${users.username}, '') || ' ' || coalesce(${users.department}, '') || ' ' || coalesce(${users.jobTitle}, ''))`,
      ),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(sql`lower(${t.email})`),
    uniqueIndex('users_username_unique').on(sql`lower(${t.username})`),
    index('users_manager_idx').on(t.managerId),
    index('users_name_idx').on(t.name, t.id),
    index('users_search_idx').using('gin', t.searchText.op('gin_trgm_ops')),
  ],
);

export type User = typeof users.$inferSelect;
