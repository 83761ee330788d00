import { and, asc, eq, getTableColumns, inArray, lte } from 'drizzle-orm';
import type { ServiceContext } from '../http/context';
import { auditLog } from './audit.table';
import type { AuditedTable } from './write';

/**
 * Records as they stood at a past moment, rebuilt from the audit log: the whole row of an INSERT,
 * then each later change's new values, until the moment; a DELETE removes the record. The log is
 * written in the same transaction as every change, so nothing that happened is missing from it.
 * Bookkeeping comes from the log too (created and updated at and by, the version), and timestamp
 * columns are read back as dates, so the record can be presented as its API presents a live one.
 * Secret fields stay redacted, as the log keeps them.
 */

type Row = Record<string, unknown> & { id: string };

/** Above this many ids, the whole type's history is read and filtered here instead. */
const MAX_IDS = 5_000;

export async function recordsAsOf(
  ctx: ServiceContext,
  def: AuditedTable,
  at: Date,
  ids?: readonly string[],
): Promise<Map<string, Row>> {
  const wanted = ids ? [...new Set(ids)] : undefined;
  const entries = await ctx.db
    .select({
      entityId: auditLog.entityId,
      action: auditLog.action,
      changes: auditLog.changes,
      occurredAt: auditLog.occurredAt,
      actorId: auditLog.actorId,
    })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, def.entityType),
        lte(auditLog.occurredAt, at),
        wanted && wanted.length <= MAX_IDS ? inArray(auditLog.entityId, wanted) : undefined,
      ),
    )
    .orderBy(asc(auditLog.occurredAt), asc(auditLog.id));
  const filter = wanted ? new Set(wanted) : undefined;
  const rows = new Map<string, Row>();
  for (const entry of entries) {
    if (filter && !filter.has(entry.entityId)) continue;
    const current = rows.get(entry.entityId);
    if (entry.action === 'INSERT') {
      rows.set(entry.entityId, {
        ...(entry.changes as Record<string, unknown>),
        id: entry.entityId,
        createdAt: entry.occurredAt,
        updatedAt: entry.occurredAt,
        createdBy: entry.actorId,
        updatedBy: entry.actorId,
        version: 1,
      });
    } else if (entry.action === 'DELETE') {
      rows.delete(entry.entityId);
    } else if (
      current &&
      (entry.action === 'UPDATE' || entry.action === 'ARCHIVE' || entry.action === 'RESTORE')
    ) {
      for (const [field, change] of Object.entries(entry.changes as Record<string, { new?: unknown }>)) {
        current[field] = change?.new ?? null;
      }
      current.updatedAt = entry.occurredAt;
      current.updatedBy = entry.actorId;
      current.version = Number(current.version) + 1;
    }
  }
  const timestamps = Object.entries(getTableColumns(def.table))
    .filter(([, column]) => column.columnType === 'PgTimestamp')
    .map(([key]) => key);
  for (const row of rows.values()) {
    for (const key of timestamps) {
      const value = row[key];
      if (typeof value === 'string') row[key] = new Date(value);
    }
  }
  return rows;
}
