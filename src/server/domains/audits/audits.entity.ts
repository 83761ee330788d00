import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkReference } from '../../platform/entities/check-reference';
import { defineEntity } from '../../platform/entities/registry';
import type { ServiceContext } from '../../platform/http/context';
import { conflict, type FieldError, validationFailed } from '../../platform/http/problem';
import { isoDate, nullableOptional as optional, shortText } from '../../platform/http/schemas';
import { access } from '../../platform/rbac/route-access';
import { momentOf } from '../compliance/as-of';
import { frameworkControls, frameworks } from '../compliance/frameworks.table';
import { users } from '../people/users.table';
import {
  AUDIT_OUTCOMES,
  AUDIT_RESULTS,
  AUDIT_STATUSES,
  type Audit,
  type AuditStatus,
  auditParticipants,
  audits,
} from './audits.table';
import { freezeAudit } from './freeze-audit';

/** Where an audit may go from each status; closing needs an outcome, and a closed audit stays closed. */
export const AUDIT_TRANSITIONS: Record<AuditStatus, readonly AuditStatus[]> = {
  planned: ['preparation'],
  preparation: ['auditor_review'],
  auditor_review: ['preparation', 'closed'],
  closed: [],
};

const MAX_SELECTION = 5_000;

export const auditRecord = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    name: z.string(),
    frameworkId: z.uuid(),
    frameworkName: z.string(),
    periodStart: z.string(),
    periodEnd: z.string(),
    status: z.enum(AUDIT_STATUSES),
    outcome: z.enum(AUDIT_OUTCOMES).nullable(),
    leadUserId: z.uuid().nullable(),
    scope: z.enum(['all', 'selection']),
    lookbackMonths: z.number().int(),
    samplePerRule: z.number().int().nullable(),
    frozenAsOf: z.string(),
    historical: z.boolean(),
    locked: z.boolean(),
    lockReason: z.string().nullable(),
    lockedAt: z.string().nullable(),
    clonedFromId: z.uuid().nullable(),
    /** Frozen controls (headings aside) by auditor result. */
    progress: z.record(z.enum(AUDIT_RESULTS), z.number().int()),
  })
  .meta({ id: 'Audit' });

export function toAuditRecord(row: Audit & { progress?: unknown }): z.input<typeof auditRecord> {
  const counts = (row.progress as Record<string, number> | null) ?? {};
  return {
    id: row.id,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    name: row.name,
    frameworkId: row.frameworkId,
    frameworkName: row.frameworkName,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    status: row.status,
    outcome: row.outcome,
    leadUserId: row.leadUserId,
    scope: row.scope === 'selection' ? 'selection' : 'all',
    lookbackMonths: row.lookbackMonths,
    samplePerRule: row.samplePerRule,
    frozenAsOf: row.frozenAsOf.toISOString(),
    historical: row.historical,
    locked: row.locked,
    lockReason: row.lockReason,
    lockedAt: row.lockedAt?.toISOString() ?? null,
    clonedFromId: row.clonedFromId,
    progress: Object.fromEntries(
      AUDIT_RESULTS.map((result) => [result, Number(counts[result] ?? 0)]),
    ) as Record<(typeof AUDIT_RESULTS)[number], number>,
  };
}

export const auditCreate = z
  .strictObject({
    name: shortText(200),
    frameworkId: z.uuid(),
    periodStart: isoDate,
    periodEnd: isoDate,
    leadUserId: optional(z.uuid()),
    /** Only these controls; otherwise every applicable control of the framework. */
    controlIds: z.array(z.uuid()).min(1).max(MAX_SELECTION).optional(),
    lookbackMonths: z.number().int().min(1).max(36).optional(),
    samplePerRule: optional(z.number().int().min(1).max(1000)),
    /**
     * Freeze the controls and evidence as they stood at this past date (its end, UTC) or moment:
     * statuses from that day's snapshot, evidence rebuilt from the audit log.
     */
    asOf: z.union([isoDate, z.iso.datetime({ offset: true })]).optional(),
  })
  .meta({ id: 'AuditCreate' });

export const auditUpdate = z
  .strictObject({
    name: shortText(200),
    periodStart: isoDate,
    periodEnd: isoDate,
    status: z.enum(AUDIT_STATUSES),
    outcome: optional(z.enum(AUDIT_OUTCOMES)),
    leadUserId: optional(z.uuid()),
  })
  .partial()
  .meta({ id: 'AuditUpdate' });

/** Refuses any change to a locked audit, naming the lock's reason. */
export function assertUnlocked(audit: Pick<Audit, 'locked' | 'lockReason'>): void {
  if (audit.locked)
    throw conflict(
      `The audit is locked (${audit.lockReason ?? 'no reason given'}); an administrator must unlock it first.`,
    );
}

async function checkCreate(ctx: ServiceContext, input: z.output<typeof auditCreate>) {
  const errors: FieldError[] = [];
  const [framework] = await ctx.db.select().from(frameworks).where(eq(frameworks.id, input.frameworkId));
  if (!framework) errors.push({ path: 'frameworkId', message: 'does not exist' });
  else if (framework.isArchived) errors.push({ path: 'frameworkId', message: 'is archived' });
  if (input.periodEnd < input.periodStart)
    errors.push({ path: 'periodEnd', message: 'must not be before the start' });
  await checkReference(ctx, users, 'leadUserId', input.leadUserId, undefined, errors);
  if (input.controlIds && framework) {
    const found = await ctx.db
      .select({ id: frameworkControls.id })
      .from(frameworkControls)
      .where(
        and(
          eq(frameworkControls.frameworkId, framework.id),
          eq(frameworkControls.kind, 'control'),
          inArray(frameworkControls.id, input.controlIds),
        ),
      );
    const known = new Set(found.map((f) => f.id));
    const missing = input.controlIds.findIndex((id) => !known.has(id));
    if (missing >= 0)
      errors.push({ path: `controlIds.${missing}`, message: 'is not a control of this framework' });
  }
  const asOf = input.asOf ? momentOf(input.asOf) : new Date();
  if (input.asOf && framework && asOf < framework.createdAt) {
    errors.push({ path: 'asOf', message: 'is before the framework was installed' });
  }
  if (errors.length > 0) throw validationFailed(errors);
  const { controlIds, asOf: _asOf, ...values } = input;
  return {
    ...values,
    frameworkName: framework!.name,
    frozenAsOf: asOf,
    historical: input.asOf !== undefined,
    scope: controlIds ? 'selection' : 'all',
    selection: controlIds ? [...new Set(controlIds)] : null,
  };
}

async function checkUpdate(ctx: ServiceContext, current: Audit, input: z.output<typeof auditUpdate>) {
  assertUnlocked(current);
  const errors: FieldError[] = [];
  const status = input.status ?? current.status;
  if (
    input.status &&
    input.status !== current.status &&
    !AUDIT_TRANSITIONS[current.status].includes(input.status)
  ) {
    const next = AUDIT_TRANSITIONS[current.status];
    errors.push({
      path: 'status',
      message: next.length
        ? `a ${current.status} audit can become ${next.join(' or ')}`
        : 'a closed audit stays closed',
    });
  }
  const outcome = input.outcome !== undefined ? input.outcome : current.outcome;
  if (status === 'closed' && !outcome)
    errors.push({ path: 'outcome', message: 'is required to close the audit' });
  if (status !== 'closed' && input.outcome)
    errors.push({ path: 'outcome', message: 'is given when the audit closes' });
  const start = input.periodStart ?? current.periodStart;
  const end = input.periodEnd ?? current.periodEnd;
  if (end < start) errors.push({ path: 'periodEnd', message: 'must not be before the start' });
  await checkReference(ctx, users, 'leadUserId', input.leadUserId, current.leadUserId, errors);
  if (errors.length > 0) throw validationFailed(errors);
  return input;
}

/** External auditors read only the audits they are invited to; everyone else, by module grant. */
export function auditScope(ctx: ServiceContext): SQL | undefined {
  if (ctx.actor.kind !== 'user' || ctx.actor.role !== 'external_auditor') return undefined;
  return sql`${audits.id} in (select p.audit_id from ${auditParticipants} p where p.user_id = ${ctx.actor.id} and p.role = 'auditor')`;
}

export const auditEntity = defineEntity({
  table: audits,
  entityType: 'audit',
  path: 'audits',
  labels: { singular: 'Audit', plural: 'Audits' },
  module: 'compliance',
  readAccess: access.auditWork('read'),
  rowScope: auditScope,
  // A lock covers what surrounds the audit too: its tags, links and attachments.
  assertWritable: (_ctx, row) => assertUnlocked(row),
  record: auditRecord,
  create: auditCreate,
  update: auditUpdate,
  toRecord: toAuditRecord,
  label: (row) => row.name,
  list: {
    sortable: { name: audits.name, periodStart: audits.periodStart, updatedAt: audits.updatedAt },
    defaultSort: '-periodStart',
    searchable: [audits.name, audits.frameworkName],
    filters: {
      frameworkId: { type: 'uuid', column: audits.frameworkId },
      status: { type: 'enum', column: audits.status, values: AUDIT_STATUSES },
      locked: { type: 'boolean', column: audits.locked },
      periodStart: { type: 'date', column: audits.periodStart },
    },
  },
  search: { title: audits.name, subtitle: audits.frameworkName },
  references: { frameworkId: 'framework', leadUserId: 'user' },
  features: {
    archivable: false,
    customFields: false,
    linkable: true,
    tagged: true,
    attachments: true,
    hardDelete: false,
  },
  derived: {
    progress: sql`(select json_object_agg(r.result, r.n) from (select i.result, count(*) as n from audit_items i where i.audit_id = "audits"."id" and i.kind = 'control' group by i.result) r)`,
  },
  hooks: {
    beforeCreate: (ctx, input) => checkCreate(ctx, input),
    beforeUpdate: (ctx, current, input) => checkUpdate(ctx, current, input),
    afterWrite: async (ctx, before, after) => {
      if (!before) await freezeAudit(ctx, after);
    },
  },
});
