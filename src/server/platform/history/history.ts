import { and, asc, desc, eq, lte } from 'drizzle-orm';
import { index, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { entityColumns, jsonValue, timestampTz } from '../../db/columns';
import { normalize, sameValue } from '../audit/canonical';
import { type AuditedTable, appendRecords } from '../audit/write';
import type { ServiceContext } from '../http/context';

/**
 * Point-in-time history tables (the seed's AssetHistory, RiskHistory, CostHistory…): one row per
 * changed field with its old and new value and when it took effect, so a domain can answer
 * "what was this on date X" and draw a timeline. The audit log says who changed what; a history
 * table is the domain's own, queryable record of how a value evolved.
 */
export function historyTable(name: string) {
  return pgTable(
    name,
    {
      ...entityColumns(),
      entityId: uuid('entity_id').notNull(),
      field: varchar('field', { length: 64 }).notNull(),
      oldValue: jsonValue('old_value'),
      newValue: jsonValue('new_value'),
      effectiveAt: timestampTz('effective_at').notNull(),
      note: text('note'),
    },
    (t) => [index(`${name}_entity_idx`).on(t.entityId, t.field, t.effectiveAt)],
  );
}

export type HistoryTable = ReturnType<typeof historyTable>;
export type HistoryRow = HistoryTable['$inferSelect'];

export function historyAudit(table: HistoryTable, entityType: string): AuditedTable<HistoryTable> {
  return { table, entityType, label: (row) => `${row.field} of ${row.entityId}` };
}

/** One record's change: the fields of `fields` whose value differs between `before` and `after`. */
export interface FieldChanges {
  entityId: string;
  /** Null for a creation: every field given a value is recorded. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  fields: readonly string[];
  note?: string;
}

/**
 * Appends one row per changed field of many records (a bulk import's whole history) in a few
 * statements, each row audited as `insertRecord` audits one. Rows are generated batch by batch as
 * they are written: an import's history can be 100,000 rows.
 */
export async function recordFieldChangesMany(
  ctx: ServiceContext,
  def: AuditedTable<HistoryTable>,
  changes: FieldChanges[],
): Promise<number> {
  const effectiveAt = new Date();
  function* rows() {
    for (const { entityId, before, after, fields, note } of changes) {
      for (const field of fields) {
        const oldValue = before ? normalize(before[field] ?? null) : null;
        const newValue = normalize(after[field] ?? null);
        if (before && sameValue(oldValue, newValue)) continue;
        if (!before && newValue === null) continue;
        yield { entityId, field, oldValue, newValue, effectiveAt, note: note ?? null };
      }
    }
  }
  return appendRecords(ctx, def, rows());
}

/** Appends one row per field of `fields` whose value differs between `before` and `after`. */
export function recordFieldChanges(
  ctx: ServiceContext,
  def: AuditedTable<HistoryTable>,
  entityId: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
  fields: readonly string[],
  note?: string,
): Promise<number> {
  return recordFieldChangesMany(ctx, def, [{ entityId, before, after, fields, ...(note ? { note } : {}) }]);
}

export async function listHistory(
  ctx: ServiceContext,
  table: HistoryTable,
  entityId: string,
): Promise<HistoryRow[]> {
  return ctx.db
    .select()
    .from(table)
    .where(eq(table.entityId, entityId))
    .orderBy(desc(table.effectiveAt), desc(table.id));
}

/** The value of each tracked field as it stood at `at` (fields never recorded are absent). */
export async function valuesAt(
  ctx: ServiceContext,
  table: HistoryTable,
  entityId: string,
  at: Date,
): Promise<Record<string, unknown>> {
  const rows = await ctx.db
    .select({ field: table.field, newValue: table.newValue })
    .from(table)
    .where(and(eq(table.entityId, entityId), lte(table.effectiveAt, at)))
    .orderBy(asc(table.effectiveAt), asc(table.id));
  const values: Record<string, unknown> = {};
  for (const row of rows) values[row.field] = row.newValue;
  return values;
}
