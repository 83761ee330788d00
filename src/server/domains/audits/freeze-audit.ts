import { and, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { newId } from '../../db/ids';
import { holdFiles } from '../../platform/attachments/attachments.service';
import { attachments } from '../../platform/attachments/attachments.table';
import { recordsAsOf } from '../../platform/audit/as-of';
import { type AuditedTable, insertRecords } from '../../platform/audit/write';
import type { EntityDefinition } from '../../platform/entities/registry';
import type { ServiceContext } from '../../platform/http/context';
import { canRead } from '../../platform/rbac/access';
import { evidenceAsOf, statusesAsOf } from '../compliance/as-of';
import { recentRecordCriteria, recentRecordQuery } from '../compliance/compliance-rules';
import { recomputeStatuses } from '../compliance/control-status';
import { controlEntity } from '../compliance/frameworks.entity';
import {
  complianceEvidence,
  complianceLinks,
  complianceRules,
  controlStatuses,
  type FrameworkControl,
  frameworkControls,
} from '../compliance/frameworks.table';
import { type Audit, type AuditItem, auditEvidence, auditItems } from './audits.table';
import { matchingRecordsAsOf } from './matching-records-as-of';

/**
 * Freezing: what each control in scope looked like, and every piece of its evidence as a copy
 * (the record's fields rendered as its API presents them, the justification, the file's bytes kept
 * by their SHA-256). Later changes to live records never reach the copy.
 */

export const auditItemAudit: AuditedTable<typeof auditItems> = {
  table: auditItems,
  entityType: 'audit_item',
  label: (row) => `${row.refId} ${row.title}`,
};

export const auditEvidenceAudit: AuditedTable<typeof auditEvidence> = {
  table: auditEvidence,
  entityType: 'audit_evidence',
  label: (row) => row.displayName,
};

/** At most this many automated records per rule, when no sample size is given. */
const MAX_RULE_RECORDS = 200;

type EvidenceRow = typeof auditEvidence.$inferInsert;
type AttachmentRow = typeof attachments.$inferSelect;

function registryOf(ctx: ServiceContext) {
  if (!ctx.registry) throw new Error('freezing an audit needs the entity registry in the service context');
  return ctx.registry;
}

/** A live record rendered as its API presents it (the response whitelist, never the raw row). */
export function rendered(
  def: EntityDefinition,
  row: Record<string, unknown>,
): { name: string; json: unknown } {
  return {
    name: (def.label(row as never) ?? def.labels.singular).slice(0, 500),
    json: JSON.parse(JSON.stringify(def.toRecord(row as never))),
  };
}

/** The controls in scope: applicable ones of the framework (or the selection), and their headings. */
async function controlsInScope(ctx: ServiceContext, audit: Audit) {
  const all = await ctx.db
    .select({ control: frameworkControls, status: controlStatuses.status, reason: controlStatuses.reason })
    .from(frameworkControls)
    .leftJoin(controlStatuses, eq(controlStatuses.controlId, frameworkControls.id))
    .where(eq(frameworkControls.frameworkId, audit.frameworkId))
    .orderBy(frameworkControls.position);
  return scopeOf(audit, all);
}

type ScopeRow = { control: FrameworkControl; status: string | null; reason: string | null };

function scopeOf(audit: Audit, all: ScopeRow[]): ScopeRow[] {
  const selection = Array.isArray(audit.selection) ? new Set(audit.selection as string[]) : null;
  const chosen = all.filter(
    ({ control }) =>
      control.kind === 'control' && (selection ? selection.has(control.id) : control.applicable),
  );
  // Headings of what is chosen, so the frozen tree reads like the framework.
  const positions = new Set(chosen.map(({ control }) => control.position));
  const isAncestor = (position: string) => [...positions].some((p) => p.startsWith(`${position}.`));
  return all.filter(
    ({ control }) =>
      positions.has(control.position) || (control.kind === 'group' && isAncestor(control.position)),
  );
}

/** The controls in scope as they stood at the audit's moment, with the statuses of then. */
async function controlsInScopeAsOf(ctx: ServiceContext, audit: Audit): Promise<ScopeRow[]> {
  const at = audit.frozenAsOf;
  const live = await ctx.db
    .select()
    .from(frameworkControls)
    .where(and(eq(frameworkControls.frameworkId, audit.frameworkId), lte(frameworkControls.createdAt, at)))
    .orderBy(frameworkControls.position);
  const then = await recordsAsOf(
    ctx,
    controlEntity,
    at,
    live.map((c) => c.id),
  );
  const { statuses } = await statusesAsOf(ctx, audit.frameworkId, at);
  return scopeOf(
    audit,
    live.map((control) => ({
      control: { ...control, ...(then.get(control.id) as Partial<FrameworkControl> | undefined) },
      status: statuses.get(control.id)?.status ?? null,
      reason: statuses.get(control.id)?.reason ?? 'no status snapshot had been taken by then',
    })),
  );
}

/**
 * Freezes the audit's items and evidence; returns the counts. Runs in the creating transaction.
 * As of a past moment, each control's applicability and text are those of then (from the audit
 * log), its status that of the snapshot in force then, and its evidence what stood then.
 */
export async function freezeAudit(
  ctx: ServiceContext,
  audit: Audit,
): Promise<{ items: number; evidence: number }> {
  const historical = audit.historical;
  if (!historical) await recomputeStatuses(ctx, { frameworkId: audit.frameworkId });
  const scope = historical ? await controlsInScopeAsOf(ctx, audit) : await controlsInScope(ctx, audit);
  const items = (await insertRecords(
    ctx,
    auditItemAudit,
    scope.map(({ control, status, reason }) => ({
      auditId: audit.id,
      controlId: control.id,
      refId: control.refId,
      title: control.title,
      description: control.description,
      guidance: control.guidance,
      kind: control.kind,
      depth: control.depth,
      position: control.position,
      applicable: control.applicable,
      soaJustification: control.soaJustification,
      frozenStatus: control.kind === 'group' ? null : (status ?? 'uncovered'),
      frozenReason: control.kind === 'group' ? null : (reason ?? 'not computed'),
      result: control.applicable ? ('pending' as const) : ('not_applicable' as const),
    })),
  )) as AuditItem[];
  const controls = items.filter((i) => i.kind === 'control');
  const evidence = historical
    ? await collectEvidenceAsOf(ctx, audit, controls)
    : await collectEvidence(ctx, audit, controls);
  return { items: items.length, evidence };
}

/**
 * The files attached to manual evidence records, by record: those attached by `attachedBy` when
 * given (an as-of audit freezes the files of then; a file deleted since is gone from the store, so
 * it cannot be frozen, only its record is).
 */
async function manualEvidenceFiles(
  ctx: ServiceContext,
  recordIds: string[],
  attachedBy?: Date,
): Promise<Map<string, AttachmentRow[]>> {
  const byRecord = new Map<string, AttachmentRow[]>();
  if (recordIds.length === 0) return byRecord;
  const files = await ctx.db
    .select()
    .from(attachments)
    .where(
      and(
        eq(attachments.entityType, 'compliance_evidence'),
        inArray(attachments.entityId, recordIds),
        attachedBy ? lte(attachments.createdAt, attachedBy) : undefined,
      ),
    );
  for (const file of files) byRecord.set(file.entityId, [...(byRecord.get(file.entityId) ?? []), file]);
  return byRecord;
}

/** A file of a manual evidence record, frozen as a row of its own beside the record's (`row`). */
function fileRow(
  row: Omit<EvidenceRow, 'id' | 'displayName'>,
  recordName: string,
  file: AttachmentRow,
): EvidenceRow {
  return {
    ...row,
    id: newId(),
    displayName: `${recordName}: ${file.filename}`.slice(0, 500),
    recordJson: null,
    fileName: file.filename,
    contentType: file.contentType,
    sizeBytes: file.sizeBytes,
    sha256: file.sha256,
  };
}

async function collectEvidenceAsOf(ctx: ServiceContext, audit: Audit, items: AuditItem[]): Promise<number> {
  if (items.length === 0) return 0;
  const itemOf = new Map(items.map((item) => [item.controlId, item.id]));
  const frozenAt = new Date();
  const stood = await evidenceAsOf(ctx, new Set(itemOf.keys()), audit.frozenAsOf);
  const rows: EvidenceRow[] = [];
  for (const [controlId, evidence] of stood) {
    for (const e of evidence) {
      rows.push({
        id: newId(),
        auditId: audit.id,
        itemId: itemOf.get(controlId)!,
        source: e.kind,
        recordType: e.recordType,
        recordId: e.recordId,
        displayName: (e.label ?? e.recordType ?? 'record').slice(0, 500),
        recordJson: e.record,
        justification: e.justification,
        evidenceDate: e.evidenceDate,
        frozenAt,
      });
    }
  }
  // The files of manual evidence that stood then, those attached by then and still kept.
  const manual = rows.filter((row) => row.source === 'manual' && row.recordId);
  const files = await manualEvidenceFiles(
    ctx,
    manual.map((row) => row.recordId!),
    audit.frozenAsOf,
  );
  for (const entry of manual)
    for (const file of files.get(entry.recordId!) ?? []) rows.push(fileRow(entry, entry.displayName, file));
  // Automated evidence over the look-back window that ended then.
  rows.push(...(await ruleEvidence(ctx, audit, itemOf, audit.frozenAsOf)));
  if (rows.length === 0) return 0;
  await insertRecords(ctx, auditEvidenceAudit, rows);
  await holdFiles(
    ctx,
    rows.flatMap((r) => (r.sha256 ? [r.sha256] : [])),
    { type: 'audit', id: audit.id },
  );
  return rows.length;
}

/** Links, manual evidence (with its files) and the records automated rules found, as copies. */
export async function collectEvidence(
  ctx: ServiceContext,
  audit: Audit,
  items: AuditItem[],
): Promise<number> {
  if (items.length === 0) return 0;
  const itemOf = new Map(items.map((item) => [item.controlId, item.id]));
  const controlIds = [...itemOf.keys()];
  const frozenAt = new Date();
  const rows: EvidenceRow[] = [];

  // Evidence links, to records that are still live.
  const links = await ctx.db
    .select()
    .from(complianceLinks)
    .where(inArray(complianceLinks.controlId, controlIds));
  const byType = new Map<string, typeof links>();
  for (const link of links) byType.set(link.linkableType, [...(byType.get(link.linkableType) ?? []), link]);
  for (const [type, group] of byType) {
    const def = registryOf(ctx).get(type);
    // An audit's copies are read by everyone on it: only what its creator may read goes in.
    if (!def || !canRead(ctx, def)) continue;
    const table = def.table as PgTable & { id: PgColumn; isArchived?: PgColumn };
    const records = (await ctx.db
      .select()
      .from(table)
      .where(inArray(table.id, [...new Set(group.map((l) => l.linkableId))]))) as Array<
      Record<string, unknown> & { id: string; isArchived?: boolean }
    >;
    const byId = new Map(records.filter((r) => r.isArchived !== true).map((r) => [r.id, r]));
    for (const link of group) {
      const record = byId.get(link.linkableId);
      if (!record) continue;
      const { name, json } = rendered(def, record);
      rows.push({
        id: newId(),
        auditId: audit.id,
        itemId: itemOf.get(link.controlId)!,
        source: 'link',
        recordType: type,
        recordId: record.id,
        displayName: name,
        recordJson: json,
        justification: link.justification,
        frozenAt,
      });
    }
  }

  // Manual evidence valid when frozen, and each of its files.
  const day = frozenAt.toISOString().slice(0, 10);
  const manual = await ctx.db
    .select()
    .from(complianceEvidence)
    .where(
      and(
        inArray(complianceEvidence.controlId, controlIds),
        eq(complianceEvidence.isArchived, false),
        lte(complianceEvidence.evidenceDate, day),
        sql`(${complianceEvidence.validUntil} is null or ${complianceEvidence.validUntil} >= ${day})`,
      ),
    );
  const files = await manualEvidenceFiles(
    ctx,
    manual.map((entry) => entry.id),
  );
  for (const entry of manual) {
    const base = {
      auditId: audit.id,
      itemId: itemOf.get(entry.controlId)!,
      source: 'manual' as const,
      recordType: 'compliance_evidence',
      recordId: entry.id,
      justification: entry.note,
      evidenceDate: entry.evidenceDate,
      frozenAt,
    };
    rows.push({
      id: newId(),
      ...base,
      displayName: entry.title,
      recordJson: {
        title: entry.title,
        note: entry.note,
        evidenceDate: entry.evidenceDate,
        validUntil: entry.validUntil,
      },
    });
    for (const file of files.get(entry.id) ?? []) rows.push(fileRow(base, entry.title, file));
  }

  // What the automated rules found over the look-back window.
  rows.push(...(await ruleEvidence(ctx, audit, itemOf, frozenAt)));

  if (rows.length === 0) return 0;
  await insertRecords(ctx, auditEvidenceAudit, rows);
  await holdFiles(
    ctx,
    rows.flatMap((r) => (r.sha256 ? [r.sha256] : [])),
    { type: 'audit', id: audit.id },
  );
  return rows.length;
}

async function ruleEvidence(
  ctx: ServiceContext,
  audit: Audit,
  itemOf: Map<string, string>,
  frozenAt: Date,
): Promise<EvidenceRow[]> {
  const rules = await ctx.db
    .select()
    .from(complianceRules)
    .where(
      and(
        inArray(complianceRules.controlId, [...itemOf.keys()]),
        eq(complianceRules.enabled, true),
        eq(complianceRules.ruleType, 'recent_record'),
      ),
    );
  const since = new Date(frozenAt);
  since.setUTCMonth(since.getUTCMonth() - audit.lookbackMonths);
  const rows: EvidenceRow[] = [];
  for (const rule of rules) {
    const criteria = recentRecordCriteria.safeParse(rule.criteria);
    if (!criteria.success) continue;
    const query = recentRecordQuery(ctx, criteria.data);
    if ('errors' in query || !canRead(ctx, query.def)) continue;
    const archived = (query.def.table as unknown as Record<string, PgColumn>).isArchived;
    const where = and(
      query.where,
      archived ? eq(archived, false) : undefined,
      gte(query.date, since.toISOString().slice(0, 10)),
      lte(query.date, frozenAt.toISOString()),
    );
    const limit = audit.samplePerRule ?? MAX_RULE_RECORDS;
    // As of a past moment: the records as they stood then, matched as they were then.
    const records = audit.historical
      ? await matchingRecordsAsOf(ctx, query.def, frozenAt, where, query.date, limit)
      : ((await ctx.db
          .select()
          .from(query.def.table as PgTable)
          .where(where)
          .orderBy(desc(query.date))
          .limit(limit)) as Array<Record<string, unknown> & { id: string }>);
    for (const record of records) {
      const { name, json } = rendered(query.def, record);
      const date = record[criteria.data.dateField];
      rows.push({
        id: newId(),
        auditId: audit.id,
        itemId: itemOf.get(rule.controlId)!,
        source: 'rule',
        recordType: query.def.entityType,
        recordId: record.id,
        displayName: name,
        recordJson: json,
        justification: `Found by the rule "${rule.name}"`,
        evidenceDate:
          date instanceof Date
            ? date.toISOString().slice(0, 10)
            : typeof date === 'string'
              ? date.slice(0, 10)
              : null,
        frozenAt,
      });
    }
  }
  return rows;
}
