import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { followingPeriod } from '../../../shared/periods';
import { newId } from '../../db/ids';
import { holdFiles } from '../../platform/attachments/attachments.service';
import { insertRecords, updateRecord } from '../../platform/audit/write';
import { createEntity } from '../../platform/entities/entity.service';
import type { EntityDefinition } from '../../platform/entities/registry';
import { inTransaction, type ServiceContext } from '../../platform/http/context';
import { canRead } from '../../platform/rbac/access';
import { auditEntity } from './audits.entity';
import { type Audit, auditEvidence, auditItems } from './audits.table';
import { auditEvidenceAudit, rendered } from './freeze-audit';

/**
 * The next period's audit: the same framework, scope and sampling, items reset to pending, the
 * live evidence frozen afresh (as any new audit), and the evidence added during the previous audit
 * carried over when it still stands. All in one transaction.
 */
export async function cloneAudit(
  ctx: ServiceContext,
  source: Audit,
  input: { name?: string; periodStart?: string; periodEnd?: string } = {},
): Promise<string> {
  const scope = await ctx.db
    .select({ controlId: auditItems.controlId })
    .from(auditItems)
    .where(and(eq(auditItems.auditId, source.id), eq(auditItems.kind, 'control')));
  const nextPeriod = followingPeriod(source.periodStart, source.periodEnd);
  return inTransaction(ctx, async (tx) => {
    const created = await createEntity(tx, auditEntity, {
      name: input.name ?? `${source.name} (next period)`,
      frameworkId: source.frameworkId,
      periodStart: input.periodStart ?? nextPeriod.start,
      periodEnd: input.periodEnd ?? nextPeriod.end,
      leadUserId: source.leadUserId,
      lookbackMonths: source.lookbackMonths,
      samplePerRule: source.samplePerRule,
      ...(source.scope === 'selection' ? { controlIds: [...new Set(scope.map((s) => s.controlId))] } : {}),
    });
    await updateRecord(tx, auditEntity, created.id, { clonedFromId: source.id });
    await carryAddedEvidence(tx, source.id, created.id);
    return created.id;
  });
}

/**
 * Evidence the team added during the previous audit (answers to requests, say), re-frozen from the
 * live record into the same control of the new audit. Dropped when the record is gone, archived
 * or expired (`validUntil` passed), when the actor may no longer read its type, when the control
 * is no longer in scope, and when the new audit holds that record on that control already (frozen
 * from a link or a rule, or added twice before). A file keeps its content-addressed bytes, now held
 * for the new audit too. Notes carry no record to re-freeze or check, so they stay with their audit.
 */
export async function carryAddedEvidence(
  ctx: ServiceContext,
  sourceAuditId: string,
  targetAuditId: string,
): Promise<number> {
  const added = await ctx.db
    .select({ evidence: auditEvidence, controlId: auditItems.controlId })
    .from(auditEvidence)
    .innerJoin(auditItems, eq(auditItems.id, auditEvidence.itemId))
    .where(
      and(
        eq(auditEvidence.auditId, sourceAuditId),
        eq(auditEvidence.source, 'added'),
        isNotNull(auditEvidence.recordType),
        isNotNull(auditEvidence.recordId),
      ),
    )
    .orderBy(asc(auditEvidence.frozenAt), asc(auditEvidence.id));
  if (added.length === 0) return 0;

  const items = await ctx.db
    .select({ id: auditItems.id, controlId: auditItems.controlId })
    .from(auditItems)
    .where(and(eq(auditItems.auditId, targetAuditId), eq(auditItems.kind, 'control')));
  const itemOf = new Map(items.map((item) => [item.controlId, item.id]));
  const held = await ctx.db
    .select({
      itemId: auditEvidence.itemId,
      recordType: auditEvidence.recordType,
      recordId: auditEvidence.recordId,
    })
    .from(auditEvidence)
    .where(and(eq(auditEvidence.auditId, targetAuditId), isNotNull(auditEvidence.recordId)));
  const keyOf = (itemId: string, type: string | null, id: string | null) => `${itemId}|${type}|${id}`;
  const frozen = new Set(held.map((e) => keyOf(e.itemId, e.recordType, e.recordId)));

  const live = await liveRecords(
    ctx,
    added.map(({ evidence }) => ({ type: evidence.recordType!, id: evidence.recordId! })),
  );
  const today = new Date().toISOString().slice(0, 10);
  const frozenAt = new Date();
  const rows: Array<typeof auditEvidence.$inferInsert> = [];
  for (const { evidence, controlId } of added) {
    const itemId = itemOf.get(controlId);
    const found = live.get(`${evidence.recordType}|${evidence.recordId}`);
    if (!itemId || !found) continue;
    const { def, record } = found;
    if (record.isArchived === true) continue;
    if (typeof record.validUntil === 'string' && record.validUntil < today) continue;
    const key = keyOf(itemId, evidence.recordType, evidence.recordId);
    if (frozen.has(key)) continue;
    frozen.add(key);
    const { name, json } = rendered(def, record);
    rows.push({
      id: newId(),
      auditId: targetAuditId,
      itemId,
      source: 'added',
      recordType: evidence.recordType,
      recordId: evidence.recordId,
      displayName: evidence.sha256 ? evidence.displayName : name,
      recordJson: evidence.sha256 ? evidence.recordJson : json,
      justification: evidence.justification,
      evidenceDate: evidence.evidenceDate,
      fileName: evidence.fileName,
      contentType: evidence.contentType,
      sizeBytes: evidence.sizeBytes,
      sha256: evidence.sha256,
      frozenAt,
    });
  }
  if (rows.length === 0) return 0;
  await insertRecords(ctx, auditEvidenceAudit, rows);
  await holdFiles(
    ctx,
    rows.flatMap((row) => (row.sha256 ? [row.sha256] : [])),
    { type: 'audit', id: targetAuditId },
  );
  return rows.length;
}

type LiveRecord = Record<string, unknown> & { id: string; isArchived?: boolean; validUntil?: unknown };

/** The live records behind `refs` that the actor may read, by `type|id`: one query per type. */
async function liveRecords(ctx: ServiceContext, refs: Array<{ type: string; id: string }>) {
  const byType = new Map<string, Set<string>>();
  for (const ref of refs) byType.set(ref.type, (byType.get(ref.type) ?? new Set()).add(ref.id));
  const found = new Map<string, { def: EntityDefinition; record: LiveRecord }>();
  for (const [type, ids] of byType) {
    const def = ctx.registry?.get(type);
    // The new audit's copies are read by everyone on it: only what its creator may read goes in.
    if (!def || !canRead(ctx, def)) continue;
    const table = def.table as PgTable & { id: PgColumn };
    const records = (await ctx.db
      .select()
      .from(table)
      .where(inArray(table.id, [...ids]))) as LiveRecord[];
    for (const record of records) found.set(`${type}|${record.id}`, { def, record });
  }
  return found;
}
