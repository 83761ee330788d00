import { and, eq } from 'drizzle-orm';
import { type AccessLevel, MODULE_KEYS, type ModuleKey } from '../../../shared/modules';
import { type AuditedTable, deleteRecord, insertRecord, updateRecord } from '../audit/write';
import type { ServiceContext } from '../http/context';
import { accessGrants } from './grants.table';

export const grantAudit: AuditedTable<typeof accessGrants> = {
  table: accessGrants,
  entityType: 'access_grant',
  label: (row) => `${row.principalType} ${row.module} ${row.level}`,
};

export type Principal = { type: 'user' | 'group'; id: string };
export type GrantMatrix = Record<ModuleKey, AccessLevel>;

export async function readGrants(ctx: ServiceContext, principal: Principal): Promise<GrantMatrix> {
  const rows = await ctx.db
    .select()
    .from(accessGrants)
    .where(and(eq(accessGrants.principalType, principal.type), eq(accessGrants.principalId, principal.id)));
  const matrix = Object.fromEntries(MODULE_KEYS.map((m) => [m, 'none'])) as GrantMatrix;
  for (const row of rows) matrix[row.module] = row.level;
  return matrix;
}

/**
 * Saves a principal's row of the permission matrix: modules left out keep their grant,
 * `none` removes it. Each change is one audited insert, update or delete.
 */
export async function writeGrants(
  ctx: ServiceContext,
  principal: Principal,
  changes: Partial<Record<ModuleKey, AccessLevel>>,
): Promise<GrantMatrix> {
  const rows = await ctx.db
    .select()
    .from(accessGrants)
    .where(and(eq(accessGrants.principalType, principal.type), eq(accessGrants.principalId, principal.id)));
  const byModule = new Map(rows.map((row) => [row.module, row]));
  for (const [module, level] of Object.entries(changes) as Array<[ModuleKey, AccessLevel]>) {
    const existing = byModule.get(module);
    if (level === 'none') {
      if (existing) await deleteRecord(ctx, grantAudit, existing.id);
    } else if (existing) {
      await updateRecord(ctx, grantAudit, existing.id, { level });
    } else {
      await insertRecord(ctx, grantAudit, {
        module,
        level,
        principalType: principal.type,
        principalId: principal.id,
      });
    }
  }
  return readGrants(ctx, principal);
}
