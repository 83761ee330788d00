import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import { queryReusableRows } from '../../db/fast-select';
import { historyAudit, recordFieldChangesMany } from '../../platform/history/history';
import type { ServiceContext } from '../../platform/http/context';
import { users } from '../people/users.table';
import { type Asset, assetAssignments, assetHistory, assets } from './assets.table';
import { disposals } from './disposals.table';
import { maintenanceLogs } from './maintenance.table';
import { type Peripheral, peripheralAssignments, peripheralHistory, peripherals } from './peripherals.table';

/**
 * The seed's AssetHistory (and the peripherals' equivalent): one row per changed field of an item,
 * written in the transaction of the change, and the item's timeline that merges those rows with
 * its custody, maintenance and disposal.
 */

/** Every field a person sets or a workflow changes; bookkeeping and the search document are left out. */
export const ASSET_HISTORY_FIELDS = [
  'name',
  'assetTag',
  'serialNumber',
  'modelId',
  'category',
  'status',
  'locationId',
  'holderId',
  'critical',
  'virtual',
  'purchaseDate',
  'cost',
  'currency',
  'warrantyMonths',
  'expectedEndOfLife',
  'usefulLifeMonths',
  'salvageValue',
  'comments',
  'customFields',
] as const satisfies ReadonlyArray<keyof Asset>;

export const PERIPHERAL_HISTORY_FIELDS = [
  'name',
  'type',
  'brandId',
  'modelId',
  'serialNumber',
  'status',
  'assetId',
  'holderId',
  'locationId',
  'purchaseDate',
  'cost',
  'currency',
  'warrantyMonths',
  'comments',
  'customFields',
] as const satisfies ReadonlyArray<keyof Peripheral>;

export const assetHistoryAudit = historyAudit(assetHistory, 'asset_history');
export const peripheralHistoryAudit = historyAudit(peripheralHistory, 'peripheral_history');

/**
 * One row per changed field of an edit, in two statements however many. A creation writes none:
 * it is not a change, its values are the audit log's INSERT row, and the timeline shows it from
 * the item's own `created_at` (which keeps a 10,000-row import from writing 100,000 more rows).
 */
async function recordItemHistory(
  ctx: ServiceContext,
  audit: typeof assetHistoryAudit,
  fields: readonly string[],
  before: Record<string, unknown> | null,
  after: Record<string, unknown> & { id: string },
): Promise<void> {
  if (!before) return;
  await recordFieldChangesMany(ctx, audit, [{ entityId: after.id, before, after, fields }]);
}

/**
 * The asset's `afterWrite` hook, and what a workflow that changes an asset through the write path
 * directly (check-out, check-in, disposal) calls after `updateRecord`: one row per changed field.
 */
export function recordAssetHistory(ctx: ServiceContext, before: Asset | null, after: Asset): Promise<void> {
  return recordItemHistory(ctx, assetHistoryAudit, ASSET_HISTORY_FIELDS, before, after);
}

/** The same for a peripheral (its entity's `afterWrite`, and its custody workflows). */
export function recordPeripheralHistory(
  ctx: ServiceContext,
  before: Peripheral | null,
  after: Peripheral,
): Promise<void> {
  return recordItemHistory(ctx, peripheralHistoryAudit, PERIPHERAL_HISTORY_FIELDS, before, after);
}

// ─── The timeline ───

export type TimelineItem = 'asset' | 'peripheral';

export interface TimelineRow {
  kind: 'created' | 'changed' | 'check_out' | 'check_in' | 'maintenance' | 'disposal';
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  details: Record<string, unknown>;
}

export interface TimelinePage {
  /** False when the item does not exist. */
  found: boolean;
  total: number;
  rows: TimelineRow[];
}

const SOURCES = {
  asset: {
    item: assets,
    history: assetHistory,
    assignments: assetAssignments,
    assignmentItem: assetAssignments.assetId,
    mountedOn: sql`null::uuid`,
    maintenanceItem: maintenanceLogs.assetId,
    disposalItem: disposals.assetId,
  },
  peripheral: {
    item: peripherals,
    history: peripheralHistory,
    assignments: peripheralAssignments,
    assignmentItem: peripheralAssignments.peripheralId,
    mountedOn: sql`${peripheralAssignments.assetId}`,
    maintenanceItem: maintenanceLogs.peripheralId,
    disposalItem: disposals.peripheralId,
  },
} as const;

/**
 * Every event of an item as (kind, id, at, actor, details): the field changes of one write grouped
 * together, each check-out and check-in, maintenance logs and the disposal, as one UNION ALL.
 * Each branch reads by an index on the item's id.
 */
function timelineEvents(item: TimelineItem, id: Placeholder): SQL {
  const s = SOURCES[item];
  const h = s.history;
  const a = s.assignments;
  const m = maintenanceLogs;
  const d = disposals;
  return sql`
    select 'created' as kind, ${s.item.id} as id, ${s.item.createdAt} as at, ${s.item.createdBy} as actor_id,
      jsonb_build_object('changes', '[]'::jsonb) as details
    from ${s.item} where ${s.item.id} = ${id}
    union all
    select 'changed', (array_agg(${h.id} order by ${h.id}))[1], ${h.effectiveAt}, ${h.createdBy},
      jsonb_build_object('changes', jsonb_agg(jsonb_build_object(
        'field', ${h.field}, 'oldValue', ${h.oldValue}, 'newValue', ${h.newValue}) order by ${h.field}))
    from ${h} where ${h.entityId} = ${id}
    group by ${h.effectiveAt}, ${h.createdBy}
    union all
    select 'check_out', ${a.id}, ${a.checkedOutAt}, ${a.createdBy}, jsonb_build_object(
      'userId', ${a.userId}, 'locationId', ${a.locationId}, 'assetId', ${s.mountedOn},
      'expectedReturnDate', ${a.expectedReturnDate}, 'notes', ${a.checkoutNotes})
    from ${a} where ${s.assignmentItem} = ${id}
    union all
    select 'check_in', ${a.id}, ${a.checkedInAt}, ${a.updatedBy}, jsonb_build_object(
      'userId', ${a.userId}, 'locationId', ${a.locationId}, 'assetId', ${s.mountedOn},
      'notes', ${a.checkinNotes})
    from ${a} where ${s.assignmentItem} = ${id} and ${a.checkedInAt} is not null
    union all
    select 'maintenance', ${m.id}, ${m.createdAt}, ${m.createdBy}, jsonb_build_object(
      'type', ${m.type}, 'eventDate', ${m.eventDate}, 'status', ${m.status},
      'description', left(${m.description}, 500), 'assigneeId', ${m.assigneeId})
    from ${m} where ${s.maintenanceItem} = ${id}
    union all
    select 'disposal', ${d.id}, ${d.createdAt}, ${d.createdBy}, jsonb_build_object(
      'disposedOn', ${d.disposedOn}, 'method', ${d.method}, 'partner', ${d.partner},
      'proceeds', ${d.proceeds}::text, 'currency', ${d.currency})
    from ${d} where ${s.disposalItem} = ${id}`;
}

/**
 * A page of an item's timeline, newest first. A workflow's field changes are stamped a moment after
 * its custody row (at millisecond precision, as JavaScript dates are), so within the same
 * millisecond the changes come first: each check-out reads "changed" above "checked out".
 * With its total and whether the item exists: one
 * statement whatever the item holds (the events are gathered once, counted, and one page of them
 * is named by its actors).
 */
export async function pageTimeline(
  ctx: ServiceContext,
  item: TimelineItem,
  id: string,
  page: number,
  pageSize: number,
): Promise<TimelinePage> {
  const table = SOURCES[item].item;
  // One text per kind of item, its values placeholders: prepared once, planned once per connection.
  const rows = await queryReusableRows<{
    found: boolean;
    total: number | string;
    kind: TimelineRow['kind'] | null;
    id: string | null;
    at: Date | string | null;
    actor_id: string | null;
    actor_name: string | null;
    details: Record<string, unknown> | null;
  }>(
    ctx.db,
    `timeline:${item}`,
    () => {
      const itemId = sql.placeholder('id');
      return sql`with events as (${timelineEvents(item, itemId)})
    select exists(select 1 from ${table} where ${table.id} = ${itemId}) as found, t.total, p.*
    from (select count(*)::int as total from events) t
    left join lateral (
      select e.kind, e.id, e.at, e.actor_id, ${users.name} as actor_name, e.details
      from events e left join ${users} on ${users.id} = e.actor_id
      order by date_trunc('milliseconds', e.at) desc,
        case when e.kind in ('created', 'changed') then 0 else 1 end, e.at desc, e.id desc
      limit ${sql.placeholder('limit')} offset ${sql.placeholder('offset')}
    ) p on true`;
    },
    { id, limit: pageSize, offset: (page - 1) * pageSize },
  );
  const first = rows[0];
  return {
    found: first?.found === true,
    total: Number(first?.total ?? 0),
    rows: rows.flatMap((row) =>
      row.kind && row.id && row.at && row.details
        ? [
            {
              kind: row.kind,
              id: row.id,
              at: new Date(row.at).toISOString(),
              actorId: row.actor_id,
              actorName: row.actor_name,
              details: row.details,
            },
          ]
        : [],
    ),
  };
}
