import { and, asc, desc, eq, lte } from 'drizzle-orm';
import { recordsAsOf } from '../../platform/audit/as-of';
import type { EntityDefinition } from '../../platform/entities/registry';
import type { ServiceContext } from '../../platform/http/context';
import { badRequest } from '../../platform/http/problem';
import { canRead } from '../../platform/rbac/access';
import { complianceLinkAudit } from './compliance-links.service';
import { evidenceEntity } from './frameworks.entity';
import {
  type ControlStatus,
  complianceSnapshotItems,
  complianceSnapshots,
  frameworkControls,
} from './frameworks.table';

/**
 * Compliance as it stood at a past moment: each control's status from the last snapshot taken by
 * then (statuses are photographed daily), and the evidence that stood then, rebuilt from the audit
 * log: the evidence links that existed, the records they pointed at as they were, and the manual
 * evidence valid on that day.
 */

export interface EvidenceAsOf {
  kind: 'link' | 'manual';
  recordType: string | null;
  recordId: string;
  /** The record's name as it was; null when the actor may not read that type, or it did not exist. */
  label: string | null;
  justification: string | null;
  /** The record as its API would have presented it then (links to readable records, and manual notes). */
  record: Record<string, unknown> | null;
  evidenceDate: string | null;
  validUntil: string | null;
}

export interface ControlAsOf {
  controlId: string;
  refId: string;
  title: string;
  kind: 'group' | 'control';
  depth: number;
  status: ControlStatus | null;
  reason: string | null;
  evidence: EvidenceAsOf[];
}

export async function snapshotAsOf(ctx: ServiceContext, at: Date) {
  const [snapshot] = await ctx.db
    .select()
    .from(complianceSnapshots)
    .where(lte(complianceSnapshots.takenAt, at))
    .orderBy(desc(complianceSnapshots.takenAt))
    .limit(1);
  return snapshot ?? null;
}

/** Statuses from the snapshot in force at `at`, per control (empty when none was taken by then). */
export async function statusesAsOf(ctx: ServiceContext, frameworkId: string, at: Date) {
  const snapshot = await snapshotAsOf(ctx, at);
  const statuses = new Map<string, { status: ControlStatus; reason: string }>();
  if (!snapshot) return { snapshot, statuses };
  const items = await ctx.db
    .select()
    .from(complianceSnapshotItems)
    .where(
      and(
        eq(complianceSnapshotItems.snapshotId, snapshot.id),
        eq(complianceSnapshotItems.frameworkId, frameworkId),
      ),
    );
  for (const item of items) statuses.set(item.controlId, { status: item.status, reason: item.reason });
  return { snapshot, statuses };
}

/** The evidence of some controls as it stood at `at`: control id → items. */
export async function evidenceAsOf(
  ctx: ServiceContext,
  controlIds: ReadonlySet<string>,
  at: Date,
): Promise<Map<string, EvidenceAsOf[]>> {
  const result = new Map<string, EvidenceAsOf[]>();
  const push = (controlId: string, item: EvidenceAsOf) =>
    result.set(controlId, [...(result.get(controlId) ?? []), item]);
  const links = [...(await recordsAsOf(ctx, complianceLinkAudit, at)).values()].filter((l) =>
    controlIds.has(l.controlId as string),
  );
  const byType = new Map<string, string[]>();
  for (const link of links) {
    const type = link.linkableType as string;
    byType.set(type, [...(byType.get(type) ?? []), link.linkableId as string]);
  }
  const records = new Map<string, Map<string, Record<string, unknown>>>();
  const definitions = new Map<string, EntityDefinition | undefined>();
  for (const [type, ids] of byType) {
    const def = ctx.registry?.get(type);
    definitions.set(type, def);
    if (def && canRead(ctx, def)) records.set(type, await recordsAsOf(ctx, def, at, ids));
  }
  for (const link of links) {
    const type = link.linkableType as string;
    const def = definitions.get(type);
    const record = records.get(type)?.get(link.linkableId as string);
    // A link to a record deleted or archived by then did not count then either.
    if (!def || !record || record.isArchived === true) continue;
    push(link.controlId as string, {
      kind: 'link',
      recordType: type,
      recordId: link.linkableId as string,
      label: def.label(record as never) ?? def.labels.singular,
      justification: link.justification as string,
      record: JSON.parse(JSON.stringify(def.toRecord(record as never))),
      evidenceDate: null,
      validUntil: null,
    });
  }
  const day = at.toISOString().slice(0, 10);
  for (const entry of (await recordsAsOf(ctx, evidenceEntity, at)).values()) {
    const controlId = entry.controlId as string;
    const validUntil = (entry.validUntil as string | null) ?? null;
    const evidenceDate = entry.evidenceDate as string;
    if (!controlIds.has(controlId) || entry.isArchived === true) continue;
    if (evidenceDate > day || (validUntil !== null && validUntil < day)) continue;
    push(controlId, {
      kind: 'manual',
      recordType: 'compliance_evidence',
      recordId: entry.id,
      label: entry.title as string,
      justification: (entry.note as string | null) ?? null,
      record: { title: entry.title, note: entry.note, evidenceDate, validUntil },
      evidenceDate,
      validUntil,
    });
  }
  return result;
}

/** A page of a framework's controls with their status and evidence at `at`. */
export async function complianceAsOf(
  ctx: ServiceContext,
  frameworkId: string,
  at: Date,
  page: number,
  pageSize: number,
) {
  const controls = await ctx.db
    .select()
    .from(frameworkControls)
    .where(and(eq(frameworkControls.frameworkId, frameworkId), lte(frameworkControls.createdAt, at)))
    .orderBy(asc(frameworkControls.position))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const { snapshot, statuses } = await statusesAsOf(ctx, frameworkId, at);
  const evidence = await evidenceAsOf(ctx, new Set(controls.map((c) => c.id)), at);
  return {
    at: at.toISOString(),
    snapshot: snapshot ? { id: snapshot.id, takenAt: snapshot.takenAt.toISOString() } : null,
    controls: controls.map(
      (control): ControlAsOf => ({
        controlId: control.id,
        refId: control.refId,
        title: control.title,
        kind: control.kind === 'group' ? 'group' : 'control',
        depth: control.depth,
        status: control.kind === 'group' ? null : (statuses.get(control.id)?.status ?? null),
        reason: control.kind === 'group' ? null : (statuses.get(control.id)?.reason ?? null),
        evidence: evidence.get(control.id) ?? [],
      }),
    ),
  };
}

/** A date means its last moment (UTC); a moment in the future means now. */
export function momentOf(at: string): Date {
  const moment = /^\d{4}-\d{2}-\d{2}$/.test(at) ? new Date(`${at}T23:59:59.999Z`) : new Date(at);
  if (Number.isNaN(moment.getTime()))
    throw badRequest('Not a date.', [{ path: 'at', message: 'is not a date' }]);
  return moment.getTime() > Date.now() ? new Date() : moment;
}
