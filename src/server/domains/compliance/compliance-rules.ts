import { and, eq, inArray, max, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { knownQueryKeys } from '../../platform/entities/entity.service';
import { buildListQuery, listQuerySchema } from '../../platform/entities/list-query';
import type { EntityDefinition } from '../../platform/entities/registry';
import type { ServiceContext } from '../../platform/http/context';
import type { FieldError } from '../../platform/http/problem';
import { plainString } from '../../platform/http/schemas';
import { type ComplianceRule, type ControlStatus, complianceRules } from './frameworks.table';

/**
 * Automated evidence. Two kinds of rule exist today; more arrive with the domains whose records
 * they read (a policy's acknowledgements, an access review's completion):
 *
 * - `recent_record`: the latest record of a type, matching that type's own list filters (as the
 *   list screen would apply them), dated by one of its date fields. Compliant within `windowDays`
 *   of that date, warning for `graceDays` more, non-compliant after or when there is none.
 * - `linked_records`: at least `minimum` live evidence links on the control.
 */

const filterValues = z
  .record(plainString().max(100), plainString().max(500))
  .refine((v) => Object.keys(v).length <= 10, {
    message: 'at most 10 filters',
  });

export const recentRecordCriteria = z.strictObject({
  entityType: plainString().min(1).max(64),
  /** The record type's list filters, as its list takes them: `{ "status": "completed" }`. */
  filters: filterValues.default({}),
  /** A date filter of the record type, or `createdAt` / `updatedAt`. */
  dateField: plainString().min(1).max(64).default('createdAt'),
});
export const linkedRecordsCriteria = z.strictObject({
  minimum: z.number().int().min(1).max(1000),
});

export interface RuleResult {
  ruleId: string;
  name: string;
  status: Exclude<ControlStatus, 'not_applicable' | 'manual' | 'uncovered'>;
  reason: string;
  evidenceDate: string | null;
}

const DAY_MS = 86_400_000;

/** The verdict of a rule given the date of its latest evidence (pure, for `recent_record`). */
export function verdictFromDate(
  rule: Pick<ComplianceRule, 'windowDays' | 'graceDays'>,
  latest: string | null,
  today: string,
): { status: RuleResult['status']; reason: string } {
  if (!latest) return { status: 'non_compliant', reason: 'no matching record' };
  const age = Math.floor(
    (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${latest.slice(0, 10)}T00:00:00Z`)) / DAY_MS,
  );
  if (age <= rule.windowDays)
    return { status: 'compliant', reason: `latest on ${latest.slice(0, 10)} (${age} days ago)` };
  if (age <= rule.windowDays + rule.graceDays) {
    const left = rule.windowDays + rule.graceDays - age;
    return {
      status: 'warning',
      reason: `grace period: ${left} day${left === 1 ? '' : 's'} left (latest on ${latest.slice(0, 10)})`,
    };
  }
  return {
    status: 'non_compliant',
    reason: `overdue by ${age - rule.windowDays - rule.graceDays} days (latest on ${latest.slice(0, 10)})`,
  };
}

function dateColumnOf(def: EntityDefinition, dateField: string): PgColumn | undefined {
  const filter = def.list.filters[dateField];
  if (filter?.type === 'date') return filter.column;
  if (dateField === 'createdAt' || dateField === 'updatedAt') {
    return (def.table as unknown as Record<string, PgColumn>)[dateField];
  }
  return undefined;
}

/** The WHERE of a `recent_record` rule's records, or the problems with its criteria. */
export function recentRecordQuery(
  ctx: ServiceContext,
  criteria: z.output<typeof recentRecordCriteria>,
): { def: EntityDefinition; where: SQL | undefined; date: PgColumn } | { errors: FieldError[] } {
  const def = ctx.registry?.get(criteria.entityType);
  if (!def) return { errors: [{ path: 'criteria.entityType', message: 'is not a record type' }] };
  const date = dateColumnOf(def, criteria.dateField);
  if (!date) {
    const dates = Object.entries(def.list.filters)
      .filter(([, spec]) => spec.type === 'date')
      .map(([name]) => name);
    return {
      errors: [
        {
          path: 'criteria.dateField',
          message: `must be one of: ${[...dates, 'createdAt', 'updatedAt'].join(', ')}`,
        },
      ],
    };
  }
  const allowed = knownQueryKeys(def);
  for (const key of ['page', 'pageSize', 'sort', 'ids']) allowed.delete(key);
  const unknown = Object.keys(criteria.filters).filter((key) => !allowed.has(key));
  if (unknown.length > 0) {
    return {
      errors: unknown.map((key) => ({
        path: `criteria.filters.${key}`,
        message: `is not a filter of ${def.labels.plural.toLowerCase()} (they take: ${[...allowed].join(', ')})`,
      })),
    };
  }
  const parsed = listQuerySchema(def).safeParse({ ...criteria.filters });
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((issue) => ({
        path: `criteria.filters.${issue.path.join('.')}`,
        message: issue.message,
      })),
    };
  }
  try {
    const { where } = buildListQuery(def, parsed.data as never, new Set());
    return { def, where, date };
  } catch (error) {
    const errors = (error as { errors?: FieldError[] }).errors ?? [
      { path: 'criteria.filters', message: 'is not valid' },
    ];
    return { errors: errors.map((e) => ({ ...e, path: `criteria.filters.${e.path}` })) };
  }
}

/** Evaluates the enabled rules of some controls; `liveLinks` counts each control's live evidence links. */
export async function evaluateRules(
  ctx: ServiceContext,
  controlIds: string[],
  liveLinks: Map<string, number>,
): Promise<Map<string, RuleResult[]>> {
  const results = new Map<string, RuleResult[]>();
  if (controlIds.length === 0) return results;
  const rules = await ctx.db
    .select()
    .from(complianceRules)
    .where(and(inArray(complianceRules.controlId, controlIds), eq(complianceRules.enabled, true)));
  const today = new Date().toISOString().slice(0, 10);
  // Rules asking the same question share one query.
  const latestByQuestion = new Map<string, string | null>();
  for (const rule of rules) {
    let verdict: { status: RuleResult['status']; reason: string };
    let evidenceDate: string | null = null;
    if (rule.ruleType === 'linked_records') {
      const { minimum } = linkedRecordsCriteria.parse(rule.criteria);
      const live = liveLinks.get(rule.controlId) ?? 0;
      verdict =
        live >= minimum
          ? {
              status: 'compliant',
              reason: `${live} linked record${live === 1 ? '' : 's'} (at least ${minimum})`,
            }
          : {
              status: 'non_compliant',
              reason: `${live} linked record${live === 1 ? '' : 's'}, ${minimum} required`,
            };
    } else {
      const criteria = recentRecordCriteria.safeParse(rule.criteria);
      const query = criteria.success ? recentRecordQuery(ctx, criteria.data) : { errors: [] };
      if ('errors' in query) {
        verdict = {
          status: 'non_compliant',
          reason: 'the rule no longer applies to its record type; edit it',
        };
      } else {
        const key = JSON.stringify(rule.criteria);
        if (!latestByQuestion.has(key)) {
          const archived = (query.def.table as unknown as Record<string, PgColumn>).isArchived;
          const [row] = await ctx.db
            .select({ latest: sql<string | null>`${max(query.date)}::text` })
            .from(query.def.table as PgTable)
            .where(and(query.where, archived ? eq(archived, false) : undefined));
          latestByQuestion.set(key, row?.latest ?? null);
        }
        evidenceDate = latestByQuestion.get(key) ?? null;
        verdict = verdictFromDate(rule, evidenceDate, today);
      }
    }
    const list = results.get(rule.controlId) ?? [];
    list.push({
      ruleId: rule.id,
      name: rule.name,
      ...verdict,
      evidenceDate: evidenceDate?.slice(0, 10) ?? null,
    });
    results.set(rule.controlId, list);
  }
  return results;
}
