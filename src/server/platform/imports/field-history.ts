import { normalize, sameValue } from '../audit/canonical';
import { type AuditedTable, appendRecords } from '../audit/write';
import type { HistoryTable } from '../history/history';
import type { ServiceContext } from '../http/context';

/**
 * What `recordFieldChanges` (platform/history) writes for one record, for many records at once:
 * the same rows, each audited, in a few statements. A bulk import's `afterWriteMany` uses it where
 * the entity's `afterWrite` hook records field history one statement per field.
 */

export interface FieldChanges {
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  fields: readonly string[];
  note?: string;
}

export async function recordFieldChangesMany(
  ctx: ServiceContext,
  def: AuditedTable<HistoryTable>,
  changes: FieldChanges[],
): Promise<number> {
  const effectiveAt = new Date();
  // Generated as they are written, batch by batch: an import's history can be 100,000 rows.
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
