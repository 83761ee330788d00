import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { ServiceContext } from '../../platform/http/context';
import { type FrameworkStats, toFrameworkStats } from './frameworks.schemas';
import {
  complianceEvidence,
  complianceSnapshotItems,
  complianceSnapshots,
  controlStatuses,
  frameworkControls,
  frameworks,
} from './frameworks.table';

/**
 * The compliance dashboard, from stored statuses only: a handful of grouped queries however many
 * controls and links there are.
 */

export const EXPIRING_WITHIN_DAYS = 30;
const TREND_SNAPSHOTS = 30;
const EXPIRING_SHOWN = 20;

export interface DashboardFramework {
  id: string;
  name: string;
  stats: FrameworkStats;
  withoutOwner: number;
}

export async function complianceDashboard(ctx: ServiceContext) {
  const statRows = await queryRows<{
    id: string;
    name: string;
    stats: Record<string, number>;
    without_owner: number;
  }>(
    ctx.db,
    sql`select f.id, f.name,
          json_build_object(
            'controls', count(c.id),
            'not_applicable', count(c.id) filter (where not c.applicable),
            'compliant', count(c.id) filter (where c.applicable and s.status = 'compliant'),
            'manual', count(c.id) filter (where c.applicable and s.status = 'manual'),
            'warning', count(c.id) filter (where c.applicable and s.status = 'warning'),
            'non_compliant', count(c.id) filter (where c.applicable and s.status = 'non_compliant')) as stats,
          (count(c.id) filter (where c.applicable and c.owner_user_id is null and c.owner_group_id is null))::int as without_owner
        from ${frameworks} f
        left join ${frameworkControls} c on c.framework_id = f.id and c.kind = 'control'
        left join ${controlStatuses} s on s.control_id = c.id
        where f.is_active and not f.is_archived
        group by f.id, f.name
        order by f.name`,
  );
  const list: DashboardFramework[] = statRows.map((r) => ({
    id: r.id,
    name: r.name,
    stats: toFrameworkStats(r.stats),
    withoutOwner: Number(r.without_owner),
  }));
  const totals = toFrameworkStats(
    statRows.reduce<Record<string, number>>((sum, r) => {
      for (const [key, value] of Object.entries(r.stats)) sum[key] = (sum[key] ?? 0) + Number(value);
      return sum;
    }, {}),
  );

  const today = new Date().toISOString().slice(0, 10);
  const until = new Date(Date.now() + EXPIRING_WITHIN_DAYS * 86_400_000).toISOString().slice(0, 10);
  const expiring = await queryRows<{
    id: string;
    title: string;
    valid_until: string;
    control_id: string;
    ref_id: string;
    framework_name: string;
    total: number;
  }>(
    ctx.db,
    sql`select e.id, e.title, e.valid_until::text, c.id as control_id, c.ref_id, f.name as framework_name,
          (count(*) over ())::int as total
        from ${complianceEvidence} e
        join ${frameworkControls} c on c.id = e.control_id
        join ${frameworks} f on f.id = c.framework_id
        where not e.is_archived and f.is_active and not f.is_archived
          and e.valid_until between ${today} and ${until}
        order by e.valid_until, e.title
        limit ${EXPIRING_SHOWN}`,
  );

  const trend = await queryRows<{
    snapshot_id: string;
    taken_at: string;
    framework_id: string;
    coverage: number;
  }>(
    ctx.db,
    sql`select s.id as snapshot_id, s.taken_at::text as taken_at, i.framework_id,
          round(100.0 * count(*) filter (where i.status in ('compliant', 'manual'))
            / nullif(count(*) filter (where i.status <> 'not_applicable'), 0), 1)::float as coverage
        from (select * from ${complianceSnapshots} order by taken_at desc limit ${TREND_SNAPSHOTS}) s
        join ${complianceSnapshotItems} i on i.snapshot_id = s.id
        group by s.id, s.taken_at, i.framework_id
        order by s.taken_at`,
  );

  return {
    frameworks: list,
    totals,
    withoutOwner: list.reduce((n, f) => n + f.withoutOwner, 0),
    expiringEvidence: {
      withinDays: EXPIRING_WITHIN_DAYS,
      total: expiring[0]?.total ?? 0,
      items: expiring.map((e) => ({
        id: e.id,
        title: e.title,
        validUntil: e.valid_until,
        controlId: e.control_id,
        controlRefId: e.ref_id,
        frameworkName: e.framework_name,
      })),
    },
    trend: trend.map((t) => ({
      snapshotId: t.snapshot_id,
      takenAt: new Date(t.taken_at).toISOString(),
      frameworkId: t.framework_id,
      coverage: t.coverage ?? 0,
    })),
  };
}
