import { type SQL, sql } from 'drizzle-orm';
import { users } from '../people/users.table';
import { assetAssignments, assets, locations } from './assets.table';
import { peripheralAssignments, peripherals } from './peripherals.table';

/**
 * The inventory's lists that are not one entity's list: overdue returns, warranties and end of
 * life coming due, and the location → asset → peripheral tree. Each report is a query (rows with
 * camelCase names, dates as YYYY-MM-DD text) and the order of its rows; the routes page it as
 * JSON or write all of it as CSV.
 */
export interface ReportQuery {
  query: SQL;
  orderBy: SQL;
}

/** Items that are gone (disposed, sold) or archived have no warranty or end of life to watch. */
const ACTIVE_ASSET = sql`not ${assets.isArchived} and ${assets.status} not in ('disposed', 'sold')`;
const ACTIVE_PERIPHERAL = sql`not ${peripherals.isArchived} and ${peripherals.status} not in ('disposed', 'sold')`;

/**
 * Open assignments of assets and peripherals whose expected return date is before `asOf`, most
 * overdue first. Each branch reads its `*_overdue_idx` partial index.
 */
export function overdueReturns(asOf: string): ReportQuery {
  const a = assetAssignments;
  const pa = peripheralAssignments;
  return {
    query: sql`
      select o.*, (${asOf}::date - o.due)::int as "daysOverdue", o.due::text as "expectedReturnDate",
        ${users.name} as "userName", ${locations.name} as "locationName",
        mounted.asset_tag || ' ' || mounted.name as "assetName"
      from (
        select 'asset' as "itemType", ${a.id} as "assignmentId", ${assets.id} as "itemId",
          ${assets.name} as "itemName", ${assets.assetTag} as "itemCode", ${a.userId} as "userId",
          ${a.locationId} as "locationId", null::uuid as "assetId", ${a.checkedOutAt} as "checkedOutAt",
          ${a.expectedReturnDate} as due
        from ${a} join ${assets} on ${assets.id} = ${a.assetId}
        where ${a.checkedInAt} is null and ${a.expectedReturnDate} is not null
          and ${a.expectedReturnDate} < ${asOf}::date
        union all
        select 'peripheral', ${pa.id}, ${peripherals.id}, ${peripherals.name}, ${peripherals.serialNumber},
          ${pa.userId}, ${pa.locationId}, ${pa.assetId}, ${pa.checkedOutAt}, ${pa.expectedReturnDate}
        from ${pa} join ${peripherals} on ${peripherals.id} = ${pa.peripheralId}
        where ${pa.checkedInAt} is null and ${pa.expectedReturnDate} is not null
          and ${pa.expectedReturnDate} < ${asOf}::date
      ) o
      left join ${users} on ${users.id} = o."userId"
      left join ${locations} on ${locations.id} = o."locationId"
      left join ${assets} mounted on mounted.id = o."assetId"`,
    orderBy: sql`due, "checkedOutAt", "assignmentId"`,
  };
}

export interface WindowOptions {
  asOf: string;
  days: number;
  /** Also list what already ended before `asOf`. */
  includePast: boolean;
}

function dueWithin(column: SQL, { asOf, days, includePast }: WindowOptions): SQL {
  const upTo = sql`${column} <= ${asOf}::date + ${days}::int`;
  return includePast ? upTo : sql`${upTo} and ${column} >= ${asOf}::date`;
}

/**
 * Assets and peripherals whose warranty ends within `days` of `asOf` (and those already ended, if
 * asked), soonest first. The end is the purchase date plus the warranty months, computed as
 * `warrantyEnd` in assets.schemas.ts does (PostgreSQL clamps to the month's last day, too).
 */
export function expiringWarranties(options: WindowOptions): ReportQuery {
  const end = (purchase: unknown, months: unknown) =>
    sql`(${purchase} + make_interval(months => ${months}))::date`;
  const assetEnd = end(assets.purchaseDate, assets.warrantyMonths);
  const peripheralEnd = end(peripherals.purchaseDate, peripherals.warrantyMonths);
  return {
    query: sql`
      select w.*, w.ends::text as "warrantyEnd", (w.ends - ${options.asOf}::date)::int as "daysLeft",
        w.purchased::text as "purchaseDate", ${locations.name} as "locationName"
      from (
        select 'asset' as "itemType", ${assets.id} as "itemId", ${assets.name} as "itemName",
          ${assets.assetTag} as "itemCode", ${assets.status} as "status", ${assets.locationId} as "locationId",
          ${assets.purchaseDate} as purchased, ${assets.warrantyMonths} as "warrantyMonths", ${assetEnd} as ends
        from ${assets}
        where ${ACTIVE_ASSET} and ${assets.purchaseDate} is not null and ${assets.warrantyMonths} is not null
          and ${dueWithin(assetEnd, options)}
        union all
        select 'peripheral', ${peripherals.id}, ${peripherals.name}, ${peripherals.serialNumber},
          ${peripherals.status}, ${peripherals.locationId}, ${peripherals.purchaseDate},
          ${peripherals.warrantyMonths}, ${peripheralEnd}
        from ${peripherals}
        where ${ACTIVE_PERIPHERAL} and ${peripherals.purchaseDate} is not null
          and ${peripherals.warrantyMonths} is not null and ${dueWithin(peripheralEnd, options)}
      ) w
      left join ${locations} on ${locations.id} = w."locationId"`,
    orderBy: sql`ends, "itemName", "itemId"`,
  };
}

/** Assets whose expected end of life falls within `days` of `asOf` (and past ones, if asked), soonest first. */
export function endOfLifeDue(options: WindowOptions): ReportQuery {
  return {
    query: sql`
      select ${assets.id} as "assetId", ${assets.name} as "name", ${assets.assetTag} as "assetTag",
        ${assets.status} as "status", ${assets.expectedEndOfLife}::text as "expectedEndOfLife",
        (${assets.expectedEndOfLife} - ${options.asOf}::date)::int as "daysLeft",
        ${assets.locationId} as "locationId", ${locations.name} as "locationName",
        ${assets.holderId} as "holderId", ${users.name} as "holderName"
      from ${assets}
      left join ${locations} on ${locations.id} = ${assets.locationId}
      left join ${users} on ${users.id} = ${assets.holderId}
      where ${ACTIVE_ASSET} and ${assets.expectedEndOfLife} is not null
        and ${dueWithin(sql`${assets.expectedEndOfLife}`, options)}`,
    orderBy: sql`"expectedEndOfLife", "name", "assetId"`,
  };
}

// ─── The tree: location → assets → peripherals, one level at a time ───

const activeAssetsAt = (location: SQL) =>
  sql`(select count(*) from ${assets} where ${assets.locationId} = ${location} and not ${assets.isArchived})::int`;

/** Locations (active ones, and archived ones still holding assets) with how many assets each holds. */
export function treeLocations(): ReportQuery {
  const count = activeAssetsAt(sql`${locations.id}`);
  return {
    query: sql`
      select ${locations.id} as "id", ${locations.name} as "name", ${locations.city} as "city",
        ${locations.isArchived} as "isArchived", ${count} as "assetCount"
      from ${locations}
      where not ${locations.isArchived} or ${count} > 0`,
    orderBy: sql`lower("name"), "id"`,
  };
}

/** How many active assets have no location: the tree's "No location" branch. */
export const UNLOCATED_ASSETS = sql`(select count(*) from ${assets} where ${assets.locationId} is null and not ${assets.isArchived})::int`;

/** The active assets at one location (null: at none), with their holder and mounted peripherals' count. */
export function treeAssets(locationId: string | null): ReportQuery {
  const at = locationId ? sql`${assets.locationId} = ${locationId}` : sql`${assets.locationId} is null`;
  return {
    query: sql`
      select ${assets.id} as "id", ${assets.name} as "name", ${assets.assetTag} as "assetTag",
        ${assets.status} as "status", ${assets.holderId} as "holderId", ${users.name} as "holderName",
        (select count(*) from ${peripherals}
          where ${peripherals.assetId} = ${assets.id} and not ${peripherals.isArchived})::int as "peripheralCount"
      from ${assets} left join ${users} on ${users.id} = ${assets.holderId}
      where ${at} and not ${assets.isArchived}`,
    orderBy: sql`"name", "id"`,
  };
}

/** The active peripherals mounted on one asset. */
export function treePeripherals(assetId: string): ReportQuery {
  return {
    query: sql`
      select ${peripherals.id} as "id", ${peripherals.name} as "name", ${peripherals.type} as "type",
        ${peripherals.serialNumber} as "serialNumber", ${peripherals.status} as "status"
      from ${peripherals}
      where ${peripherals.assetId} = ${assetId} and not ${peripherals.isArchived}`,
    orderBy: sql`"name", "id"`,
  };
}

/** The whole tree flattened for CSV: one row per asset and mounted peripheral (or the asset alone). */
export function treeRows(): ReportQuery {
  return {
    query: sql`
      select ${locations.name} as "location", ${assets.assetTag} as "assetTag", ${assets.name} as "assetName",
        ${assets.status} as "assetStatus", ${assets.id} as "assetId", ${peripherals.name} as "peripheralName",
        ${peripherals.type} as "peripheralType", ${peripherals.serialNumber} as "peripheralSerialNumber",
        ${peripherals.status} as "peripheralStatus", ${peripherals.id} as "peripheralId"
      from ${assets}
      left join ${locations} on ${locations.id} = ${assets.locationId}
      left join ${peripherals} on ${peripherals.assetId} = ${assets.id} and not ${peripherals.isArchived}
      where not ${assets.isArchived}`,
    orderBy: sql`"location" nulls last, "assetName", "assetId", "peripheralName" nulls first, "peripheralId"`,
  };
}

/** A report's rows in order, for a cursor. */
export function ordered({ query, orderBy }: ReportQuery): SQL {
  return sql`select * from (${query}) report order by ${orderBy}`;
}
