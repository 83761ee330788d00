import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { checkReference } from '../../platform/entities/check-reference';
import { defineEntity } from '../../platform/entities/registry';
import type { ServiceContext } from '../../platform/http/context';
import { type FieldError, validationFailed } from '../../platform/http/problem';
import { nullableOptional as optional, plainString, shortText } from '../../platform/http/schemas';
import { canRead } from '../../platform/rbac/access';
import { users } from '../people/users.table';
import { linkedRecordsCriteria, recentRecordCriteria, recentRecordQuery } from './compliance-rules';
import { recomputeStatuses } from './control-status';
import { type ComplianceRule, complianceRules, frameworkControls, RULE_TYPES } from './frameworks.table';

/** A compliance rule as an entity: generic routes, screens and audit; its checks and what follows a change. */

export const ruleRecord = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    name: z.string(),
    controlId: z.uuid(),
    description: z.string().nullable(),
    ruleType: z.enum(RULE_TYPES),
    criteria: z.record(z.string(), z.unknown()),
    windowDays: z.number().int(),
    graceDays: z.number().int(),
    enabled: z.boolean(),
    ownerUserId: z.uuid().nullable(),
  })
  .meta({ id: 'ComplianceRule' });

const ruleFields = {
  name: shortText(150),
  description: optional(plainString().trim().max(2000)),
  ruleType: z.enum(RULE_TYPES),
  criteria: z.record(plainString().max(64), z.unknown()),
  windowDays: z.number().int().min(1).max(3650).optional(),
  graceDays: z.number().int().min(0).max(365).optional(),
  enabled: z.boolean().optional(),
  ownerUserId: optional(z.uuid()),
};

export const ruleCreate = z
  .strictObject({ controlId: z.uuid(), ...ruleFields })
  .meta({ id: 'ComplianceRuleCreate' });
export const ruleUpdate = z.strictObject(ruleFields).partial().meta({ id: 'ComplianceRuleUpdate' });

async function checkRule(
  ctx: ServiceContext,
  input: Record<string, unknown>,
  current: ComplianceRule | undefined,
): Promise<Record<string, unknown>> {
  const errors: FieldError[] = [];
  if (!current) {
    const [control] = await ctx.db
      .select({ kind: frameworkControls.kind })
      .from(frameworkControls)
      .where(eq(frameworkControls.id, input.controlId as string));
    if (!control) errors.push({ path: 'controlId', message: 'does not exist' });
    else if (control.kind === 'group')
      errors.push({ path: 'controlId', message: 'is a heading; rules go on its controls' });
  }
  const ruleType = (input.ruleType ?? current?.ruleType) as (typeof RULE_TYPES)[number];
  const values = { ...input };
  if (input.criteria !== undefined || input.ruleType !== undefined) {
    const raw = input.criteria ?? current?.criteria;
    if (ruleType === 'linked_records') {
      const parsed = linkedRecordsCriteria.safeParse(raw);
      if (!parsed.success)
        errors.push(
          ...parsed.error.issues.map((i) => ({ path: `criteria.${i.path.join('.')}`, message: i.message })),
        );
      else values.criteria = parsed.data;
    } else {
      const parsed = recentRecordCriteria.safeParse(raw);
      if (!parsed.success) {
        errors.push(
          ...parsed.error.issues.map((i) => ({ path: `criteria.${i.path.join('.')}`, message: i.message })),
        );
      } else {
        const query = recentRecordQuery(ctx, parsed.data);
        if ('errors' in query) errors.push(...query.errors);
        // What a rule finds is copied into audits: it may only read what its author may read.
        else if (!canRead(ctx, query.def)) {
          errors.push({ path: 'criteria.entityType', message: 'is a record type you cannot read' });
        }
        values.criteria = parsed.data;
      }
    }
  }
  await checkReference(
    ctx,
    users,
    'ownerUserId',
    input.ownerUserId as string | undefined,
    current?.ownerUserId,
    errors,
  );
  if (errors.length > 0) throw validationFailed(errors);
  return values;
}

export const complianceRuleEntity = defineEntity({
  table: complianceRules,
  entityType: 'compliance_rule',
  path: 'compliance-rules',
  labels: { singular: 'Compliance rule', plural: 'Compliance rules' },
  module: 'compliance',
  record: ruleRecord,
  create: ruleCreate,
  update: ruleUpdate,
  toRecord: (row) => ({
    id: row.id,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    name: row.name,
    controlId: row.controlId,
    description: row.description,
    ruleType: row.ruleType,
    criteria: row.criteria as Record<string, unknown>,
    windowDays: row.windowDays,
    graceDays: row.graceDays,
    enabled: row.enabled,
    ownerUserId: row.ownerUserId,
  }),
  label: (row) => row.name,
  list: {
    sortable: { name: complianceRules.name, updatedAt: complianceRules.updatedAt },
    defaultSort: 'name',
    searchable: [complianceRules.name],
    filters: {
      controlId: { type: 'uuid', column: complianceRules.controlId },
      ruleType: { type: 'enum', column: complianceRules.ruleType, values: RULE_TYPES },
      enabled: { type: 'boolean', column: complianceRules.enabled },
      ownerUserId: { type: 'uuid', column: complianceRules.ownerUserId },
    },
  },
  references: { controlId: 'control', ownerUserId: 'user' },
  features: {
    archivable: false,
    customFields: false,
    linkable: false,
    tagged: false,
    attachments: false,
    hardDelete: true,
  },
  hooks: {
    beforeCreate: (ctx, input) => checkRule(ctx, input, undefined),
    beforeUpdate: (ctx, current, input) => checkRule(ctx, input, current),
    afterWrite: async (ctx, _before, after) => {
      await recomputeStatuses(ctx, { controlIds: [after.controlId] });
    },
    afterDelete: async (ctx, deleted) => {
      await recomputeStatuses(ctx, { controlIds: [deleted.controlId] });
    },
  },
});
