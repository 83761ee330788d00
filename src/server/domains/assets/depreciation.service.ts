import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client';
import { assets, locations } from './assets.table';
import { disposals } from './disposals.table';
import type { ReportQuery } from './reports.service';

/**
 * Straight-line depreciation as of a date, in SQL numeric (never floating point):
 *
 * - An asset is depreciable when it has a purchase date, a cost, a currency and useful-life months;
 *   its salvage value defaults to 0. Others are counted as `notDepreciable`, not listed.
 * - It is on the books as of D when it was purchased on or before D, is not archived, and was not
 *   disposed of or sold on or before D (per its disposal record; an asset disposed of or sold
 *   without a record is off the books, its date being unknown).
 * - Months elapsed are whole months: n months have elapsed on D when purchase date + n months ≤ D,
 *   adding months as PostgreSQL (and `warrantyEnd`) do, clamped to the month's last day
 *   (bought 31 January: one month has elapsed on 29 February 2024, not on the 28th).
 * - Accumulated depreciation = (cost − salvage) × min(months, life) / life, rounded half-up to
 *   cents; the book value = cost − accumulated. From the end of its life (months ≥ life) an asset
 *   is fully depreciated and its book value is its salvage value exactly.
 */

const SALVAGE = sql`coalesce(${assets.salvageValue}, 0.00)`;

function onBooks(asOf: string): SQL {
  return sql`not ${assets.isArchived} and (${assets.purchaseDate} is null or ${assets.purchaseDate} <= ${asOf}::date)
    and not exists (select 1 from ${disposals} where ${disposals.assetId} = ${assets.id}
      and (${disposals.disposedOn} <= ${asOf}::date))
    and not (${assets.status} in ('disposed', 'sold')
      and not exists (select 1 from ${disposals} where ${disposals.assetId} = ${assets.id}))`;
}

const DEPRECIABLE = sql`${assets.purchaseDate} is not null and ${assets.cost} is not null
  and ${assets.currency} is not null and ${assets.usefulLifeMonths} is not null`;

/** Each depreciable asset on the books as of `asOf`, valued (the rows of the report). */
function valuedAssets(asOf: string): SQL {
  // Calendar months between the purchase month and the as-of month…
  const calendarMonths = sql`((extract(year from ${asOf}::date) * 12 + extract(month from ${asOf}::date))
    - (extract(year from ${assets.purchaseDate}) * 12 + extract(month from ${assets.purchaseDate})))::int`;
  return sql`
    select v.*, v.cost - v.accumulated as "bookValue", v.months >= v.life as "fullyDepreciated"
    from (
      select e.*, case when e.months >= e.life then e.cost - e.salvage
        else round((e.cost - e.salvage) * e.months / e.life, 2) end as accumulated
      from (
        select c.*, least(c.life, c.calendar_months - case
            -- …less one when the purchase day of that month is not reached yet.
            when (c.purchased + make_interval(months => c.calendar_months))::date > ${asOf}::date then 1
            else 0 end) as months
        from (
          select ${assets.id} as "assetId", ${assets.assetTag} as "assetTag", ${assets.name} as "name",
            ${assets.category} as "category", ${assets.locationId} as "locationId",
            ${locations.name} as "locationName", ${assets.purchaseDate} as purchased,
            ${assets.currency} as "currency", ${assets.cost} as cost, ${SALVAGE} as salvage,
            ${assets.usefulLifeMonths} as life, ${calendarMonths} as calendar_months
          from ${assets} left join ${locations} on ${locations.id} = ${assets.locationId}
          where ${onBooks(asOf)} and ${DEPRECIABLE}
        ) c
      ) e
    ) v`;
}

/** The report's rows, as the API names them (money as decimal strings). */
export function depreciationRows(asOf: string): ReportQuery {
  return {
    query: sql`
      select "assetId", "assetTag", "name", "category", "locationId", "locationName",
        purchased::text as "purchaseDate", "currency", cost::text as "cost", salvage::text as "salvageValue",
        life as "usefulLifeMonths", months as "monthsElapsed",
        (purchased + make_interval(months => life))::date::text as "depreciationEnd",
        accumulated::text as "accumulatedDepreciation", "bookValue"::text as "bookValue", "fullyDepreciated"
      from (${valuedAssets(asOf)}) valued`,
    orderBy: sql`"assetTag", "assetId"`,
  };
}

export interface DepreciationTotal {
  currency: string;
  count: number;
  cost: string;
  accumulatedDepreciation: string;
  bookValue: string;
}

export interface DepreciationTotals {
  byCurrency: DepreciationTotal[];
  byCategory: Array<DepreciationTotal & { category: string | null }>;
  byLocation: Array<DepreciationTotal & { locationId: string | null; locationName: string | null }>;
  /** Assets on the books lacking a purchase date, cost, currency or useful life. */
  notDepreciable: number;
}

/**
 * Totals over every row (not one page), per currency: amounts in different currencies are never
 * added together. One statement: grouping sets for currency, category × currency and location ×
 * currency, beside the count of assets that cannot be depreciated.
 */
export async function depreciationTotals(db: Db, asOf: string): Promise<DepreciationTotals> {
  const rows = await queryRows<{
    grouping: 'currency' | 'category' | 'location' | 'none';
    category: string | null;
    locationId: string | null;
    locationName: string | null;
    currency: string | null;
    count: number;
    cost: string | null;
    accumulatedDepreciation: string | null;
    bookValue: string | null;
  }>(
    db,
    sql`
      select case when grouping(v.category) = 0 then 'category'
          when grouping(v."locationId") = 0 then 'location' else 'currency' end as "grouping",
        v.category, v."locationId", v."locationName", v.currency, count(*)::int as "count",
        sum(v.cost)::text as "cost", sum(v.accumulated)::text as "accumulatedDepreciation",
        sum(v."bookValue")::text as "bookValue"
      from (${valuedAssets(asOf)}) v
      group by grouping sets ((v.currency), (v.category, v.currency), (v."locationId", v."locationName", v.currency))
      union all
      select 'none', null, null, null, null,
        (select count(*) from ${assets} where ${onBooks(asOf)} and not (${DEPRECIABLE}))::int, null, null, null
      order by 1, 5, 2, 4`,
  );
  const totals: DepreciationTotals = { byCurrency: [], byCategory: [], byLocation: [], notDepreciable: 0 };
  for (const row of rows) {
    if (row.grouping === 'none') {
      totals.notDepreciable = row.count;
      continue;
    }
    const amounts = {
      currency: row.currency ?? '',
      count: row.count,
      cost: row.cost ?? '0.00',
      accumulatedDepreciation: row.accumulatedDepreciation ?? '0.00',
      bookValue: row.bookValue ?? '0.00',
    };
    if (row.grouping === 'category') totals.byCategory.push({ category: row.category, ...amounts });
    else if (row.grouping === 'location')
      totals.byLocation.push({ locationId: row.locationId, locationName: row.locationName, ...amounts });
    else totals.byCurrency.push(amounts);
  }
  return totals;
}
