import { and, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { newId } from '../../db/ids';
import { actorUserId, type ServiceContext } from '../../platform/http/context';
import { badRequest, notFound } from '../../platform/http/problem';
import { notify } from '../../platform/notifications/notifications.service';
import { groupMembers } from '../people/groups.table';
import {
  type ControlStatus,
  complianceSnapshotItems,
  complianceSnapshots,
  controlStatuses,
  frameworkControls,
  frameworks,
} from './frameworks.table';

/**
 * Drift: each control's status is photographed (daily by the scheduler, and on demand), and any
 * two photographs are compared, control by control, saying what changed and why (the reasons
 * before and after: which rule, which evidence).
 */

/** Better to worse; a move to the right is a regression. Not applicable stands apart. */
const SEVERITY_ORDER: Record<Exclude<ControlStatus, 'not_applicable'>, number> = {
  compliant: 0,
  manual: 1,
  warning: 2,
  non_compliant: 3,
  uncovered: 4,
};

export type DriftSeverity = 'critical' | 'high' | 'medium' | 'low';

export interface DriftChange {
  controlId: string;
  refId: string;
  title: string;
  frameworkId: string;
  frameworkName: string;
  ownerUserId: string | null;
  ownerGroupId: string | null;
  from: ControlStatus;
  to: ControlStatus;
  fromReason: string;
  toReason: string;
  kind: 'regression' | 'improvement' | 'scope';
  severity: DriftSeverity;
}

/**
 * Copies every control's current status into a new snapshot; returns it. Each control that
 * regressed since the previous snapshot is announced to its owner (the person, or the members of
 * the owning group) in the application.
 */
export async function takeSnapshot(ctx: ServiceContext, trigger: 'schedule' | 'manual') {
  const [previous] = await ctx.db
    .select({ id: complianceSnapshots.id })
    .from(complianceSnapshots)
    .orderBy(desc(complianceSnapshots.takenAt))
    .limit(1);
  const id = newId();
  const takenAt = new Date();
  await ctx.db.insert(complianceSnapshots).values({ id, takenAt, trigger, takenBy: actorUserId(ctx.actor) });
  await ctx.db.execute(
    sql`insert into ${complianceSnapshotItems} (snapshot_id, control_id, framework_id, status, reason)
        select ${id}::uuid, s.control_id, s.framework_id, s.status, s.reason from ${controlStatuses} s`,
  );
  const [{ n } = { n: 0 }] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(complianceSnapshotItems)
    .where(eq(complianceSnapshotItems.snapshotId, id));
  const notified = previous ? await notifyRegressions(ctx, previous.id, id) : 0;
  return { id, takenAt: takenAt.toISOString(), trigger, controls: n, notified };
}

const STATUS_LABEL: Record<ControlStatus, string> = {
  not_applicable: 'not applicable',
  compliant: 'compliant',
  manual: 'covered by evidence',
  warning: 'warning',
  non_compliant: 'non-compliant',
  uncovered: 'uncovered',
};

/** One message per owner and regressed control; returns how many were sent. */
async function notifyRegressions(ctx: ServiceContext, from: string, to: string): Promise<number> {
  const { changes } = await driftReport(ctx, { from, to });
  const regressions = changes.filter((c) => c.kind === 'regression' && (c.ownerUserId || c.ownerGroupId));
  if (regressions.length === 0) return 0;
  const groupIds = [...new Set(regressions.flatMap((c) => (c.ownerGroupId ? [c.ownerGroupId] : [])))];
  const members = new Map<string, string[]>();
  if (groupIds.length > 0) {
    const rows = await ctx.db
      .select({ groupId: groupMembers.groupId, userId: groupMembers.userId })
      .from(groupMembers)
      .where(inArray(groupMembers.groupId, groupIds));
    for (const row of rows) members.set(row.groupId, [...(members.get(row.groupId) ?? []), row.userId]);
  }
  const messages = regressions.flatMap((change) => {
    const owners = new Set([
      ...(change.ownerUserId ? [change.ownerUserId] : []),
      ...(change.ownerGroupId ? (members.get(change.ownerGroupId) ?? []) : []),
    ]);
    return [...owners].map((userId) => ({
      userId,
      kind: 'compliance.regression',
      title: `${change.refId} is now ${STATUS_LABEL[change.to]} (${change.frameworkName})`,
      body: `${change.title}: was ${STATUS_LABEL[change.from]} (${change.fromReason}); now ${change.toReason}.`,
      link: `/records/control/${change.controlId}`,
    }));
  });
  return notify(ctx, messages);
}

/** The scheduler's daily snapshot: taken when the last one is a day old (or there is none). */
export async function takeDailySnapshotIfDue(ctx: ServiceContext): Promise<boolean> {
  const [recent] = await ctx.db
    .select({ id: complianceSnapshots.id })
    .from(complianceSnapshots)
    .where(gt(complianceSnapshots.takenAt, new Date(Date.now() - 23.5 * 3_600_000)))
    .limit(1);
  if (recent) return false;
  await takeSnapshot(ctx, 'schedule');
  return true;
}

export async function listSnapshots(ctx: ServiceContext, limit: number) {
  const rows = await ctx.db
    .select({
      id: complianceSnapshots.id,
      takenAt: complianceSnapshots.takenAt,
      trigger: complianceSnapshots.trigger,
      takenBy: complianceSnapshots.takenBy,
      controls: sql<number>`(select count(*)::int from ${complianceSnapshotItems} i where i.snapshot_id = ${complianceSnapshots.id})`,
    })
    .from(complianceSnapshots)
    .orderBy(desc(complianceSnapshots.takenAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, takenAt: r.takenAt.toISOString() }));
}

function classify(from: ControlStatus, to: ControlStatus): Pick<DriftChange, 'kind' | 'severity'> {
  if (from === 'not_applicable' || to === 'not_applicable') return { kind: 'scope', severity: 'low' };
  if (SEVERITY_ORDER[to] > SEVERITY_ORDER[from]) {
    return {
      kind: 'regression',
      severity: to === 'non_compliant' ? 'critical' : to === 'warning' ? 'high' : 'medium',
    };
  }
  return { kind: 'improvement', severity: 'low' };
}

const SEVERITY_RANK: Record<DriftSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/**
 * The changes between two snapshots (`to` may be `now`: the live statuses), regressions first by
 * severity. Without `from`, the snapshot before `to`; without `to`, the latest snapshot. Controls
 * that did not exist in both are left out.
 */
export async function driftReport(
  ctx: ServiceContext,
  options: { from?: string | undefined; to?: string | undefined; frameworkId?: string | undefined },
) {
  const snapshotAt = async (id: string) => {
    const [row] = await ctx.db.select().from(complianceSnapshots).where(eq(complianceSnapshots.id, id));
    if (!row) throw notFound('Snapshot');
    return row;
  };
  const live = options.to === 'now';
  const to = live
    ? null
    : options.to
      ? await snapshotAt(options.to)
      : (
          await ctx.db.select().from(complianceSnapshots).orderBy(desc(complianceSnapshots.takenAt)).limit(1)
        )[0];
  const from = options.from
    ? await snapshotAt(options.from)
    : (
        await ctx.db
          .select()
          .from(complianceSnapshots)
          .where(
            to
              ? and(lte(complianceSnapshots.takenAt, to.takenAt), sql`${complianceSnapshots.id} <> ${to.id}`)
              : undefined,
          )
          .orderBy(desc(complianceSnapshots.takenAt))
          .limit(1)
      )[0];
  if (from && to && from.takenAt > to.takenAt) {
    throw badRequest('Compare an earlier snapshot with a later one.', [
      { path: 'from', message: 'must have been taken before `to`' },
    ]);
  }
  if (!from || (!to && !live)) {
    return { from: null, to: null, regressions: 0, improvements: 0, changes: [] as DriftChange[] };
  }
  const after = live
    ? sql`(select control_id, framework_id, status, reason from ${controlStatuses})`
    : sql`(select control_id, framework_id, status, reason from ${complianceSnapshotItems} where snapshot_id = ${to!.id})`;
  const frameworkFilter = options.frameworkId ? sql`and b.framework_id = ${options.frameworkId}` : sql``;
  const result = (await ctx.db.execute(sql`
    select b.control_id, c.ref_id, c.title, b.framework_id, f.name as framework_name, c.owner_user_id, c.owner_group_id,
           b.status as from_status, a.status as to_status, b.reason as from_reason, a.reason as to_reason
    from ${complianceSnapshotItems} b
    join ${after} a on a.control_id = b.control_id
    join ${frameworkControls} c on c.id = b.control_id
    join ${frameworks} f on f.id = b.framework_id
    where b.snapshot_id = ${from.id} and a.status <> b.status ${frameworkFilter}
    order by f.name, c.position`)) as unknown as {
    rows: Array<{
      control_id: string;
      ref_id: string;
      title: string;
      framework_id: string;
      framework_name: string;
      owner_user_id: string | null;
      owner_group_id: string | null;
      from_status: ControlStatus;
      to_status: ControlStatus;
      from_reason: string;
      to_reason: string;
    }>;
  };
  const changes: DriftChange[] = result.rows
    .map((r) => ({
      controlId: r.control_id,
      refId: r.ref_id,
      title: r.title,
      frameworkId: r.framework_id,
      frameworkName: r.framework_name,
      ownerUserId: r.owner_user_id,
      ownerGroupId: r.owner_group_id,
      from: r.from_status,
      to: r.to_status,
      fromReason: r.from_reason,
      toReason: r.to_reason,
      ...classify(r.from_status, r.to_status),
    }))
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  return {
    from: { id: from.id, takenAt: from.takenAt.toISOString() },
    to: to
      ? { id: to.id, takenAt: to.takenAt.toISOString() }
      : { id: 'now', takenAt: new Date().toISOString() },
    regressions: changes.filter((c) => c.kind === 'regression').length,
    improvements: changes.filter((c) => c.kind === 'improvement').length,
    changes,
  };
}
