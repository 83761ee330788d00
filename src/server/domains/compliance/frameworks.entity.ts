import { and, eq, max, sql } from 'drizzle-orm';
import { newId } from '../../db/ids';
import { updateRecord } from '../../platform/audit/write';
import { checkReference } from '../../platform/entities/check-reference';
import { defineEntity } from '../../platform/entities/registry';
import type { ServiceContext } from '../../platform/http/context';
import { type FieldError, notFound, validationFailed } from '../../platform/http/problem';
import { groups } from '../people/groups.table';
import { users } from '../people/users.table';
import { recomputeStatuses } from './control-status';
import {
  controlCreate,
  controlRecord,
  controlUpdate,
  evidenceCreate,
  evidenceRecord,
  evidenceUpdate,
  frameworkCreate,
  frameworkRecord,
  frameworkUpdate,
  toControlRecord,
  toEvidenceRecord,
  toFrameworkRecord,
} from './frameworks.schemas';
import {
  CONTROL_KINDS,
  CONTROL_STATUSES,
  complianceEvidence,
  controlStatuses,
  FRAMEWORK_SOURCES,
  type Framework,
  type FrameworkControl,
  frameworkControls,
  frameworks,
  IMPLEMENTATION_STATUSES,
} from './frameworks.table';

/** A position segment: each level's sort order, zero-padded so that text order is tree order. */
export function positionSegment(sortOrder: number): string {
  return String(sortOrder).padStart(6, '0');
}

/**
 * Controls by status in one framework (applicable or not), for the framework's record. Outer
 * columns are written qualified by hand: in a one-table select Drizzle renders `${frameworks.id}`
 * as a bare "id", which inside this subquery would name the control's id.
 */
const frameworkStatsSql = sql`(select json_build_object(
    'controls', count(*),
    'not_applicable', count(*) filter (where not c.applicable),
    'compliant', count(*) filter (where c.applicable and s.status = 'compliant'),
    'manual', count(*) filter (where c.applicable and s.status = 'manual'),
    'warning', count(*) filter (where c.applicable and s.status = 'warning'),
    'non_compliant', count(*) filter (where c.applicable and s.status = 'non_compliant'))
  from framework_controls c left join control_statuses s on s.control_id = c.id
  where c.framework_id = "frameworks"."id" and c.kind = 'control')`;

async function frameworkOf(ctx: ServiceContext, id: string): Promise<Framework> {
  const [framework] = await ctx.db.select().from(frameworks).where(eq(frameworks.id, id));
  if (!framework) throw notFound('Framework');
  return framework;
}

export const frameworkEntity = defineEntity({
  table: frameworks,
  entityType: 'framework',
  path: 'frameworks',
  labels: { singular: 'Framework', plural: 'Frameworks' },
  module: 'compliance',
  record: frameworkRecord,
  create: frameworkCreate,
  update: frameworkUpdate,
  toRecord: toFrameworkRecord,
  label: (row) => row.name,
  list: {
    sortable: { name: frameworks.name, updatedAt: frameworks.updatedAt, source: frameworks.source },
    defaultSort: 'name',
    searchable: [frameworks.name, frameworks.publisher],
    filters: {
      source: { type: 'enum', column: frameworks.source, values: FRAMEWORK_SOURCES },
      isActive: { type: 'boolean', column: frameworks.isActive },
    },
  },
  search: { title: frameworks.name, subtitle: frameworks.publisher },
  uniqueConstraints: { frameworks_name_unique: 'name', frameworks_key_unique: 'key' },
  features: {
    archivable: true,
    customFields: false,
    linkable: true,
    tagged: true,
    attachments: true,
    hardDelete: false,
  },
  derived: { stats: frameworkStatsSql },
  hooks: {
    // Frameworks written here are custom; the library and imports make the others.
    beforeCreate: async (_ctx, input) => ({ ...input, key: `custom-${newId()}`, source: 'custom' }),
    beforeUpdate: async (_ctx, current, input) => {
      if (current.source === 'builtin') {
        const errors: FieldError[] = Object.keys(input)
          .filter((field) => field !== 'isActive')
          .map((path) => ({ path, message: 'a built-in framework only changes whether it is active' }));
        if (errors.length > 0) throw validationFailed(errors);
      }
      return input;
    },
  },
});

const TEXT_FIELDS = ['refId', 'title', 'description', 'guidance', 'sortOrder'] as const;

async function checkControl(
  ctx: ServiceContext,
  input: Record<string, unknown>,
  current: FrameworkControl | undefined,
): Promise<Record<string, unknown>> {
  const errors: FieldError[] = [];
  const framework = await frameworkOf(ctx, (current?.frameworkId ?? input.frameworkId) as string);
  if (framework.source !== 'custom') {
    for (const field of current ? TEXT_FIELDS.filter((f) => input[f] !== undefined) : ['frameworkId']) {
      errors.push({
        path: field,
        message: `comes from the framework's source (${framework.source === 'builtin' ? 'the built-in library' : 'its imported document'}); only applicability, implementation and owners change here`,
      });
    }
  }
  const applicable = (input.applicable ?? current?.applicable ?? true) as boolean;
  const justification = (
    input.soaJustification !== undefined ? input.soaJustification : current?.soaJustification
  ) as string | null | undefined;
  if (!applicable && !justification?.trim())
    errors.push({ path: 'soaJustification', message: 'is required when the control is not applicable' });
  await checkReference(
    ctx,
    users,
    'ownerUserId',
    input.ownerUserId as string | undefined,
    current?.ownerUserId,
    errors,
  );
  await checkReference(
    ctx,
    groups,
    'ownerGroupId',
    input.ownerGroupId as string | undefined,
    current?.ownerGroupId,
    errors,
  );
  const values: Record<string, unknown> = { ...input };
  if (!current) {
    let parent: FrameworkControl | undefined;
    if (input.parentId) {
      [parent] = await ctx.db
        .select()
        .from(frameworkControls)
        .where(
          and(
            eq(frameworkControls.id, input.parentId as string),
            eq(frameworkControls.frameworkId, framework.id),
          ),
        );
      if (!parent) errors.push({ path: 'parentId', message: 'is not a control of this framework' });
    }
    if (errors.length > 0) throw validationFailed(errors);
    const sortOrder =
      (input.sortOrder as number | undefined) ??
      ((
        await ctx.db
          .select({ last: max(frameworkControls.sortOrder) })
          .from(frameworkControls)
          .where(
            and(
              eq(frameworkControls.frameworkId, framework.id),
              parent ? eq(frameworkControls.parentId, parent.id) : sql`${frameworkControls.parentId} is null`,
            ),
          )
      )[0]?.last ?? 0) + 1;
    values.sortOrder = sortOrder;
    values.depth = parent ? parent.depth + 1 : 0;
    values.position = parent
      ? `${parent.position}.${positionSegment(sortOrder)}`
      : positionSegment(sortOrder);
  }
  if (errors.length > 0) throw validationFailed(errors);
  if (current && input.sortOrder !== undefined && input.sortOrder !== current.sortOrder) {
    const parentPosition = current.position.includes('.')
      ? current.position.slice(0, current.position.lastIndexOf('.'))
      : '';
    values.position = `${parentPosition ? `${parentPosition}.` : ''}${positionSegment(input.sortOrder as number)}`;
  }
  return values;
}

/** After a control's position moved, its descendants follow (custom frameworks only, so few rows). */
async function moveDescendants(ctx: ServiceContext, before: FrameworkControl, after: FrameworkControl) {
  if (before.position === after.position) return;
  const descendants = await ctx.db
    .select()
    .from(frameworkControls)
    .where(
      and(
        eq(frameworkControls.frameworkId, after.frameworkId),
        sql`${frameworkControls.position} like ${`${before.position}.%`}`,
      ),
    );
  for (const row of descendants) {
    await updateRecord(ctx, controlEntity, row.id, {
      position: after.position + row.position.slice(before.position.length),
    });
  }
}

export const controlEntity = defineEntity({
  table: frameworkControls,
  entityType: 'control',
  path: 'controls',
  labels: { singular: 'Control', plural: 'Controls' },
  module: 'compliance',
  record: controlRecord,
  create: controlCreate,
  update: controlUpdate,
  toRecord: toControlRecord,
  label: (row) => `${row.refId} ${row.title}`,
  list: {
    sortable: {
      position: frameworkControls.position,
      refId: frameworkControls.refId,
      title: frameworkControls.title,
      updatedAt: frameworkControls.updatedAt,
    },
    defaultSort: 'position',
    searchable: [frameworkControls.refId, frameworkControls.title],
    searchColumn: frameworkControls.searchText,
    filters: {
      frameworkId: { type: 'uuid', column: frameworkControls.frameworkId },
      parentId: { type: 'uuid', column: frameworkControls.parentId },
      kind: { type: 'enum', column: frameworkControls.kind, values: CONTROL_KINDS },
      applicable: { type: 'boolean', column: frameworkControls.applicable },
      implementationStatus: {
        type: 'enum',
        column: frameworkControls.implementationStatus,
        values: IMPLEMENTATION_STATUSES,
      },
      ownerUserId: { type: 'uuid', column: frameworkControls.ownerUserId },
      // Headings have no status; a control not computed yet is uncovered.
      status: {
        type: 'enum',
        column: sql`(case when "framework_controls"."kind" = 'group' then null else coalesce((select s.status from ${controlStatuses} s where s.control_id = "framework_controls"."id"), 'uncovered') end)`,
        values: CONTROL_STATUSES,
      },
    },
  },
  search: { title: frameworkControls.title, subtitle: frameworkControls.refId },
  uniqueConstraints: { framework_controls_ref_unique: 'refId' },
  references: { frameworkId: 'framework', parentId: 'control', ownerUserId: 'user', ownerGroupId: 'group' },
  features: {
    archivable: false,
    customFields: false,
    linkable: true,
    tagged: true,
    attachments: true,
    hardDelete: false,
  },
  // One lookup per row for the whole stored status (four subqueries cost four).
  derived: {
    computed: sql`(select json_build_object('status', s.status, 'reason', s.reason, 'evidenceCount', s.evidence_count, 'ruleResults', s.rule_results) from ${controlStatuses} s where s.control_id = "framework_controls"."id")`,
  },

  hooks: {
    beforeCreate: (ctx, input) => checkControl(ctx, input, undefined),
    beforeUpdate: (ctx, current, input) => checkControl(ctx, input, current),
    afterWrite: async (ctx, before, after) => {
      if (before) await moveDescendants(ctx, before, after);
      await recomputeStatuses(ctx, { controlIds: [after.id] });
    },
  },
});

async function checkEvidence(
  ctx: ServiceContext,
  input: Record<string, unknown>,
  current: typeof complianceEvidence.$inferSelect | undefined,
): Promise<Record<string, unknown>> {
  const errors: FieldError[] = [];
  if (!current) {
    const [control] = await ctx.db
      .select({ kind: frameworkControls.kind })
      .from(frameworkControls)
      .where(eq(frameworkControls.id, input.controlId as string));
    if (!control) errors.push({ path: 'controlId', message: 'does not exist' });
    else if (control.kind === 'group')
      errors.push({ path: 'controlId', message: 'is a heading; evidence goes on its controls' });
  }
  const evidenceDate = (input.evidenceDate ?? current?.evidenceDate) as string;
  const validUntil = (input.validUntil !== undefined ? input.validUntil : current?.validUntil) as
    | string
    | null;
  if (validUntil && validUntil < evidenceDate)
    errors.push({ path: 'validUntil', message: 'must not be before the evidence date' });
  if (errors.length > 0) throw validationFailed(errors);
  return input;
}

export const evidenceEntity = defineEntity({
  table: complianceEvidence,
  entityType: 'compliance_evidence',
  path: 'compliance-evidence',
  labels: { singular: 'Evidence', plural: 'Evidence' },
  module: 'compliance',
  record: evidenceRecord,
  create: evidenceCreate,
  update: evidenceUpdate,
  toRecord: toEvidenceRecord,
  label: (row) => row.title,
  list: {
    sortable: {
      evidenceDate: complianceEvidence.evidenceDate,
      validUntil: complianceEvidence.validUntil,
      title: complianceEvidence.title,
    },
    defaultSort: '-evidenceDate',
    searchable: [complianceEvidence.title, complianceEvidence.note],
    filters: {
      controlId: { type: 'uuid', column: complianceEvidence.controlId },
      evidenceDate: { type: 'date', column: complianceEvidence.evidenceDate },
      validUntil: { type: 'date', column: complianceEvidence.validUntil },
    },
  },
  search: { title: complianceEvidence.title },
  references: { controlId: 'control' },
  features: {
    archivable: true,
    customFields: false,
    linkable: false,
    tagged: true,
    attachments: true,
    hardDelete: false,
  },
  hooks: {
    beforeCreate: (ctx, input) => checkEvidence(ctx, input, undefined),
    beforeUpdate: (ctx, current, input) => checkEvidence(ctx, input, current),
    afterWrite: async (ctx, _before, after) => {
      await recomputeStatuses(ctx, { controlIds: [after.controlId] });
    },
  },
});
