import { sql } from 'drizzle-orm';
import { check, index, pgTable, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import type { GrantLevel, ModuleKey } from '../../../shared/modules';
import { entityColumns } from '../../db/columns';

/**
 * A module grant to exactly one user or one group. Effective access is the strongest of the
 * user's own grants and those of their groups; roles (admin, auditor) sit above grants.
 * `principal_id` has no foreign key because it points at either table; the people domain
 * deletes a principal's grants in the same transaction as the principal.
 */
export const accessGrants = pgTable(
  'access_grants',
  {
    ...entityColumns(),
    module: varchar('module', { length: 40 }).$type<ModuleKey>().notNull(),
    principalType: varchar('principal_type', { length: 10 }).$type<'user' | 'group'>().notNull(),
    principalId: uuid('principal_id').notNull(),
    level: varchar('level', { length: 10 }).$type<GrantLevel>().notNull(),
  },
  (t) => [
    uniqueIndex('access_grants_unique').on(t.principalType, t.principalId, t.module),
    index('access_grants_principal_idx').on(t.principalId),
    check('access_grants_level_check', sql`${t.level} in ('read', 'write')`),
    check('access_grants_principal_check', sql`${t.principalType} in ('user', 'group')`),
  ],
);
