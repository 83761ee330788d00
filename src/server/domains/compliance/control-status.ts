import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { queryRows } from '../../db/client';
import type { ServiceContext } from '../../platform/http/context';
import { evaluateRules, type RuleResult } from './compliance-rules';
import {
  type ControlStatus,
  complianceEvidence,
  complianceLinks,
  controlMappings,
  controlStatuses,
  frameworkControls,
} from './frameworks.table';

/**
 * A control's live status, computed from its evidence and stored in `control_statuses`, so that
 * screens and dashboards read it instead of computing it per request.
 *
 * - not applicable, when the Statement of Applicability excludes it;
 * - manual, when it has valid evidence: a link to a record that still exists and is not archived,
 *   or a note or file within its validity; its own, or a control's it is mapped to as *equal*;
 * - uncovered otherwise.
 *
 * With enabled rules, the status is the worst of their verdicts instead (non-compliant, warning,
 * compliant): a rule is a promise that evidence keeps coming, and evidence already there does not
 * excuse a rule that fails.
 */

export interface ControlEvidence {
  /** Links to live records, and valid manual evidence. */
  own: number;
  /** Of which links to live records. */
  links: number;
  /** The earliest end of validity of manual evidence that counts. */
  expiresOn: string | null;
}

/** Controls to recompute: some, those of a framework, or every one. */
export type StatusScope = { controlIds: string[] } | { frameworkId: string } | 'all';

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Live evidence per control among `controlIds`: links whose record is live, and valid manual evidence. */
export async function evidenceOf(
  ctx: ServiceContext,
  controlIds: string[],
): Promise<Map<string, ControlEvidence>> {
  const result = new Map<string, ControlEvidence>();
  if (controlIds.length === 0) return result;
  const add = (controlId: string, own: number, expiresOn: string | null, links = 0) => {
    const current = result.get(controlId) ?? { own: 0, links: 0, expiresOn: null };
    current.own += own;
    current.links += links;
    if (expiresOn && (!current.expiresOn || expiresOn < current.expiresOn)) current.expiresOn = expiresOn;
    result.set(controlId, current);
  };
  const types = await ctx.db
    .selectDistinct({ type: complianceLinks.linkableType })
    .from(complianceLinks)
    .where(inArray(complianceLinks.controlId, controlIds));
  for (const { type } of types) {
    const def = ctx.registry?.get(type);
    if (!def) continue; // a type no longer declared links nothing that exists
    const target = def.table as PgTable & { id: PgColumn; isArchived?: PgColumn };
    const live = target.isArchived ? sql`and not ${target.isArchived}` : sql``;
    const rows = await queryRows<{ control_id: string; n: string }>(
      ctx.db,
      sql`select l.control_id, count(*) as n from ${complianceLinks} l
          join ${target} on ${target.id} = l.linkable_id ${live}
          where l.linkable_type = ${type} and l.control_id in ${sql`(${sql.join(
            controlIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`}
          group by l.control_id`,
    );
    for (const row of rows) add(row.control_id, Number(row.n), null, Number(row.n));
  }
  const day = today();
  const manual = await ctx.db
    .select({
      controlId: complianceEvidence.controlId,
      n: sql<string>`count(*)`,
      expiresOn: sql<string | null>`min(${complianceEvidence.validUntil})`,
    })
    .from(complianceEvidence)
    .where(
      and(
        inArray(complianceEvidence.controlId, controlIds),
        eq(complianceEvidence.isArchived, false),
        sql`${complianceEvidence.evidenceDate} <= ${day}`,
        sql`(${complianceEvidence.validUntil} is null or ${complianceEvidence.validUntil} >= ${day})`,
      ),
    )
    .groupBy(complianceEvidence.controlId);
  for (const row of manual) add(row.controlId, Number(row.n), row.expiresOn);
  return result;
}

/** Controls mapped as equal, in either direction: control → its equals. */
export async function equalsOf(ctx: ServiceContext, controlIds: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (controlIds.length === 0) return result;
  const rows = await ctx.db
    .select({ from: controlMappings.fromControlId, to: controlMappings.toControlId })
    .from(controlMappings)
    .where(
      and(
        eq(controlMappings.relationship, 'equal'),
        sql`(${inArray(controlMappings.fromControlId, controlIds)} or ${inArray(controlMappings.toControlId, controlIds)})`,
      ),
    );
  const push = (a: string, b: string) => result.set(a, [...(result.get(a) ?? []), b]);
  for (const row of rows) {
    push(row.from, row.to);
    push(row.to, row.from);
  }
  return result;
}

const BATCH = 1000;

/**
 * Recomputes and stores the status of the controls in `scope` (and of the controls mapped to them as
 * equal, whose status their evidence also moves). Returns how many statuses were written.
 */
export async function recomputeStatuses(ctx: ServiceContext, scope: StatusScope): Promise<number> {
  const where =
    scope === 'all'
      ? eq(frameworkControls.kind, 'control')
      : 'frameworkId' in scope
        ? and(eq(frameworkControls.kind, 'control'), eq(frameworkControls.frameworkId, scope.frameworkId))
        : scope.controlIds.length === 0
          ? undefined
          : and(eq(frameworkControls.kind, 'control'), inArray(frameworkControls.id, scope.controlIds));
  if (!where) return 0;
  let controls = await ctx.db
    .select({
      id: frameworkControls.id,
      frameworkId: frameworkControls.frameworkId,
      applicable: frameworkControls.applicable,
    })
    .from(frameworkControls)
    .where(where);
  let equals = await equalsOf(
    ctx,
    controls.map((c) => c.id),
  );
  if (scope !== 'all') {
    // Partners outside the scope: their status depends on this evidence too.
    const known = new Set(controls.map((c) => c.id));
    const partners = [...new Set([...equals.values()].flat())].filter((id) => !known.has(id));
    if (partners.length > 0) {
      controls = controls.concat(
        await ctx.db
          .select({
            id: frameworkControls.id,
            frameworkId: frameworkControls.frameworkId,
            applicable: frameworkControls.applicable,
          })
          .from(frameworkControls)
          .where(and(eq(frameworkControls.kind, 'control'), inArray(frameworkControls.id, partners))),
      );
      equals = await equalsOf(
        ctx,
        controls.map((c) => c.id),
      );
    }
  }
  const everyId = [...new Set([...controls.map((c) => c.id), ...[...equals.values()].flat()])];
  const evidence = new Map<string, ControlEvidence>();
  for (let i = 0; i < everyId.length; i += BATCH) {
    for (const [id, value] of await evidenceOf(ctx, everyId.slice(i, i + BATCH))) evidence.set(id, value);
  }
  const refs = await refIdsOf(ctx, [...new Set([...equals.values()].flat())]);
  const liveLinks = new Map([...evidence].map(([id, value]) => [id, value.links]));
  const ruleResults = new Map<string, RuleResult[]>();
  for (let i = 0; i < controls.length; i += BATCH) {
    const batch = controls.slice(i, i + BATCH).map((c) => c.id);
    for (const [id, results] of await evaluateRules(ctx, batch, liveLinks)) ruleResults.set(id, results);
  }
  const rows = controls.map((control) => {
    const own = evidence.get(control.id);
    const rules = ruleResults.get(control.id) ?? [];
    const viaMapping = (equals.get(control.id) ?? []).flatMap((id) => {
      const value = evidence.get(id);
      return value && value.own > 0 ? [refs.get(id) ?? id] : [];
    });
    const { status, reason } = statusOf(control.applicable, own, viaMapping, rules);
    return {
      ruleResults: rules,
      controlId: control.id,
      frameworkId: control.frameworkId,
      status,
      reason,
      evidenceCount: own?.own ?? 0,
      evidenceExpiresOn: own?.expiresOn ?? null,
      computedAt: new Date(),
    };
  });
  for (let i = 0; i < rows.length; i += BATCH) {
    await ctx.db
      .insert(controlStatuses)
      .values(rows.slice(i, i + BATCH))
      .onConflictDoUpdate({
        target: controlStatuses.controlId,
        set: {
          status: sql`excluded.status`,
          reason: sql`excluded.reason`,
          evidenceCount: sql`excluded.evidence_count`,
          evidenceExpiresOn: sql`excluded.evidence_expires_on`,
          ruleResults: sql`excluded.rule_results`,
          computedAt: sql`excluded.computed_at`,
        },
      });
  }
  return rows.length;
}

async function refIdsOf(ctx: ServiceContext, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: frameworkControls.id, refId: frameworkControls.refId })
    .from(frameworkControls)
    .where(inArray(frameworkControls.id, ids));
  return new Map(rows.map((r) => [r.id, r.refId]));
}

const RULE_SEVERITY: Record<RuleResult['status'], number> = { compliant: 0, warning: 1, non_compliant: 2 };

/** The status rules, as pure logic. `viaMapping` names the equal controls that have evidence. */
export function statusOf(
  applicable: boolean,
  own: ControlEvidence | undefined,
  viaMapping: string[],
  rules: RuleResult[] = [],
): { status: ControlStatus; reason: string } {
  if (!applicable) return { status: 'not_applicable', reason: 'excluded in the Statement of Applicability' };
  if (rules.length > 0) {
    const worst = [...rules].sort((a, b) => RULE_SEVERITY[b.status] - RULE_SEVERITY[a.status])[0]!;
    return {
      status: worst.status,
      reason:
        rules.length === 1
          ? `${worst.name}: ${worst.reason}`
          : `${worst.name}: ${worst.reason} (worst of ${rules.length} rules)`,
    };
  }
  if (own && own.own > 0) {
    return { status: 'manual', reason: `${own.own} piece${own.own === 1 ? '' : 's'} of valid evidence` };
  }
  if (viaMapping.length > 0) {
    return { status: 'manual', reason: `evidence via mapping to ${viaMapping.slice(0, 3).join(', ')}` };
  }
  return { status: 'uncovered', reason: 'no valid evidence' };
}
