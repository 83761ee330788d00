import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import {
  type AccessLevel,
  type AccessMap,
  type GrantLevel,
  MODULE_KEYS,
  type ModuleKey,
  type Role,
  strongest,
} from '../../../shared/modules';
import type { Db } from '../../db/client';
import { groupMembers, groups } from '../../domains/people/groups.table';
import type { EntityDefinition } from '../entities/registry';
import type { ServiceContext } from '../http/context';
import { accessGrants } from './grants.table';

/**
 * Pure rules first, then the one query that feeds them. Roles sit above grants:
 * `admin` writes everything, `auditor` reads everything and writes nothing.
 */
export function emptyAccess(level: AccessLevel = 'none'): AccessMap {
  return Object.fromEntries(MODULE_KEYS.map((key) => [key, level])) as AccessMap;
}

export function effectiveAccess(
  role: Role,
  grants: ReadonlyArray<{ module: ModuleKey; level: GrantLevel }>,
): AccessMap {
  if (role === 'admin') return emptyAccess('write');
  // Whatever grants say: an external auditor reaches only the audits they are invited to.
  if (role === 'external_auditor') return emptyAccess();
  const access = emptyAccess();
  for (const grant of grants) {
    if (grant.module in access) access[grant.module] = strongest(access[grant.module], grant.level);
  }
  if (role === 'auditor') {
    for (const key of MODULE_KEYS) access[key] = 'read';
  }
  return access;
}

export function allows(access: AccessMap, module: ModuleKey, level: GrantLevel): boolean {
  const held = access[module];
  return level === 'read' ? held === 'read' || held === 'write' : held === 'write';
}

/** May the actor read records of this entity type? System jobs may; vocabularies are open to all users. */
export function canRead(ctx: ServiceContext, def: EntityDefinition): boolean {
  if (ctx.actor.kind === 'system') return true;
  if (ctx.actor.kind !== 'user') return false;
  return def.readableByAnyUser === true || allows(ctx.actor.access, def.module, 'read');
}

/** May the actor change records of this entity type? */
export function canWrite(ctx: ServiceContext, def: EntityDefinition): boolean {
  if (ctx.actor.kind === 'system') return true;
  return ctx.actor.kind === 'user' && allows(ctx.actor.access, def.module, 'write');
}

/** A user's grants: their own and those of every group they belong to. */
function grantsOf(db: Db, userId: SQL | string) {
  return db
    .select({ module: accessGrants.module, level: accessGrants.level })
    .from(accessGrants)
    .where(
      or(
        and(eq(accessGrants.principalType, 'user'), eq(accessGrants.principalId, userId)),
        and(
          eq(accessGrants.principalType, 'group'),
          inArray(
            accessGrants.principalId,
            // An archived group grants nothing.
            db
              .select({ id: groupMembers.groupId })
              .from(groupMembers)
              .innerJoin(groups, eq(groups.id, groupMembers.groupId))
              .where(and(eq(groupMembers.userId, userId), eq(groups.isArchived, false))),
          ),
        ),
      ),
    );
}

/** Effective access of a user, in one query. */
export async function loadAccess(db: Db, userId: string, role: Role): Promise<AccessMap> {
  if (role === 'admin') return emptyAccess('write');
  // Whatever grants say: an external auditor reaches only the audits they are invited to.
  if (role === 'external_auditor') return emptyAccess();
  return effectiveAccess(role, await grantsOf(db, userId));
}

/**
 * The grants as a JSON column, for a query that loads the user anyway (the request's actor):
 * saves a round trip on every request. `userId` is the SQL of the user's id column.
 */
export function grantsColumn(db: Db, userId: SQL) {
  const grants = grantsOf(db, userId).as('grants');
  return sql<
    Array<{ module: ModuleKey; level: GrantLevel }>
  >`(select coalesce(json_agg(json_build_object('module', ${grants.module}, 'level', ${grants.level})), '[]'::json) from ${grants})`;
}
