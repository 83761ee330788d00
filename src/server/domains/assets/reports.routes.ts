import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { queryRows } from '../../db/client';
import type { ServiceContext } from '../../platform/http/context';
import { notFound } from '../../platform/http/problem';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { access } from '../../platform/rbac/route-access';
import { assets, locations } from './assets.table';
import { depreciationRows, depreciationTotals } from './depreciation.service';
import { type CsvFile, csvFile, organizationToday, pageRows } from './report-query';
import {
  depreciationQuery,
  depreciationRow,
  depreciationTotals as depreciationTotalsSchema,
  endOfLifeQuery,
  endOfLifeRow,
  overdueQuery,
  overdueRow,
  reportPage,
  treeAsset,
  treeAssetsQuery,
  treeLocation,
  treePeripheral,
  treePeripheralsQuery,
  treeQuery,
  warrantyQuery,
  warrantyRow,
} from './reports.schemas';
import {
  endOfLifeDue,
  expiringWarranties,
  ordered,
  overdueReturns,
  type ReportQuery,
  treeAssets,
  treeLocations,
  treePeripherals,
  treeRows,
  UNLOCATED_ASSETS,
} from './reports.service';

type Row = Record<string, unknown>;
type Columns = ReadonlyArray<readonly [string, (row: Row) => unknown]>;

/** The CSV columns of a report: its row fields, as the JSON names them. */
const columnsOf = (schema: z.ZodObject, convert: (row: Row) => Row = (row) => row): Columns =>
  Object.keys(schema.shape).map((key) => [key, (row: Row) => convert(row)[key]] as const);

const isoTimestamps = (row: Row): Row =>
  row.checkedOutAt ? { ...row, checkedOutAt: new Date(row.checkedOutAt as string).toISOString() } : row;

/** CSV when the caller asks for it (`Accept: text/csv`), JSON otherwise. */
function wantsCsv(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').split(',').some((type) => type.trim().startsWith('text/csv'));
}

function sendCsv(reply: FastifyReply, file: CsvFile): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.body);
}

const jsonOrCsv = <T extends z.ZodType>(schema: T) => ({
  200: {
    description: 'A page of rows as JSON; every row (no paging) as CSV when asked with `Accept: text/csv`.',
    content: { 'application/json': { schema }, 'text/csv': { schema: z.string() } },
  },
  ...standardErrors,
});

/** A page of `report` (rows shaped as `T`), or all of it as CSV. */
async function answer<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: ServiceContext,
  report: ReportQuery,
  csv: { filename: string; columns: Columns },
  page: { page: number; pageSize: number },
  convert: (row: Row) => Row = (row) => row,
) {
  if (wantsCsv(request))
    return sendCsv(reply, await csvFile(ctx, csv.filename, csv.columns, ordered(report)));
  const { rows, total } = await pageRows(ctx.db, report.query, report.orderBy, page.page, page.pageSize);
  return { data: rows.map(convert) as T[], page: page.page, pageSize: page.pageSize, total };
}

/** Inventory reports: overdue returns, warranties, end of life, depreciation and the asset tree. */
export async function registerReportRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Inventory reports'];
  const config = { access: access.read('core_inventory') };

  app.get(
    '/api/v1/reports/overdue-returns',
    {
      config,
      schema: {
        tags,
        summary: 'Assets and peripherals not returned by their expected date, most overdue first',
        description: '`asOf` defaults to today in the organisation’s time zone.',
        querystring: overdueQuery,
        response: jsonOrCsv(reportPage(overdueRow)),
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      const asOf = request.query.asOf ?? (await organizationToday(ctx));
      const csv = { filename: `overdue-returns-${asOf}.csv`, columns: columnsOf(overdueRow, isoTimestamps) };
      const report = overdueReturns(asOf);
      return answer<z.input<typeof overdueRow>>(
        request,
        reply,
        ctx,
        report,
        csv,
        request.query,
        isoTimestamps,
      );
    },
  );

  app.get(
    '/api/v1/reports/warranties',
    {
      config,
      schema: {
        tags,
        summary: 'Warranties ending within `days` of `asOf` (assets and peripherals), soonest first',
        description:
          'The warranty ends the purchase date plus the warranty months. `includeExpired=true` adds those already ended. Disposed, sold and archived items are left out.',
        querystring: warrantyQuery,
        response: jsonOrCsv(reportPage(warrantyRow)),
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      const { days, includeExpired } = request.query;
      const asOf = request.query.asOf ?? (await organizationToday(ctx));
      const report = expiringWarranties({ asOf, days, includePast: includeExpired });
      const csv = { filename: `warranties-${asOf}.csv`, columns: columnsOf(warrantyRow) };
      return answer<z.input<typeof warrantyRow>>(request, reply, ctx, report, csv, request.query);
    },
  );

  app.get(
    '/api/v1/reports/end-of-life',
    {
      config,
      schema: {
        tags,
        summary: 'Assets whose expected end of life falls within `days` of `asOf`, soonest first',
        description:
          '`includeOverdue=true` adds those already past it. Disposed, sold and archived assets are left out.',
        querystring: endOfLifeQuery,
        response: jsonOrCsv(reportPage(endOfLifeRow)),
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      const { days, includeOverdue } = request.query;
      const asOf = request.query.asOf ?? (await organizationToday(ctx));
      const report = endOfLifeDue({ asOf, days, includePast: includeOverdue });
      const csv = { filename: `end-of-life-${asOf}.csv`, columns: columnsOf(endOfLifeRow) };
      return answer<z.input<typeof endOfLifeRow>>(request, reply, ctx, report, csv, request.query);
    },
  );

  app.get(
    '/api/v1/reports/depreciation',
    {
      config,
      schema: {
        tags,
        summary: 'Straight-line depreciation of every asset as of a date, with totals per currency',
        description:
          'Book value per asset (a page of them, by asset tag) and totals by currency, by category and by location over all of them, never adding different currencies. Whole months elapsed since the purchase date; amounts rounded half-up to cents; from the end of its useful life an asset is worth its salvage value. Assets lacking a purchase date, cost, currency or useful life are counted in `notDepreciable`. See docs/api.md.',
        querystring: depreciationQuery,
        response: jsonOrCsv(
          reportPage(depreciationRow).extend({ asOf: z.string(), totals: depreciationTotalsSchema }),
        ),
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      const { page, pageSize } = request.query;
      const asOf = request.query.asOf ?? (await organizationToday(ctx));
      const report = depreciationRows(asOf);
      if (wantsCsv(request)) {
        const columns = columnsOf(depreciationRow);
        return sendCsv(reply, await csvFile(ctx, `depreciation-${asOf}.csv`, columns, ordered(report)));
      }
      // The page and the totals from one snapshot, so they agree.
      return db.transaction(
        async (tx) => {
          const { rows, total } = await pageRows<z.input<typeof depreciationRow>>(
            tx,
            report.query,
            report.orderBy,
            page,
            pageSize,
          );
          const totals = await depreciationTotals(tx, asOf);
          return { asOf, data: rows, page, pageSize, total, totals };
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      );
    },
  );

  app.get(
    '/api/v1/reports/asset-tree',
    {
      config,
      schema: {
        tags,
        summary: 'The tree’s first level: locations with how many assets each holds',
        description:
          '`unlocatedAssetCount` is the "No location" branch. Expand a location with `/asset-tree/assets?locationId=` (or `none`), an asset with `/asset-tree/peripherals?assetId=`. As CSV: the whole tree, one row per asset and mounted peripheral.',
        querystring: treeQuery,
        response: jsonOrCsv(reportPage(treeLocation).extend({ unlocatedAssetCount: z.number().int() })),
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      if (wantsCsv(request)) {
        const report = treeRows();
        const columns = TREE_CSV_COLUMNS.map((key) => [key, (row: Row) => row[key]] as const);
        const day = new Date().toISOString().slice(0, 10);
        return sendCsv(reply, await csvFile(ctx, `asset-tree-${day}.csv`, columns, ordered(report)));
      }
      const { page, pageSize } = request.query;
      const report = treeLocations();
      const { rows, total } = await pageRows<z.input<typeof treeLocation>>(
        db,
        report.query,
        report.orderBy,
        page,
        pageSize,
      );
      const [unlocated] = await queryRows<{ count: number }>(db, sql`select ${UNLOCATED_ASSETS} as count`);
      return { data: rows, page, pageSize, total, unlocatedAssetCount: unlocated?.count ?? 0 };
    },
  );

  app.get(
    '/api/v1/reports/asset-tree/assets',
    {
      config,
      schema: {
        tags,
        summary: 'The active assets at a location (`none`: at none), by name, with their peripherals’ count',
        querystring: treeAssetsQuery,
        response: { 200: reportPage(treeAsset), ...standardErrors },
      },
    },
    async (request) => {
      const { locationId, page, pageSize } = request.query;
      const where = locationId === 'none' ? null : locationId;
      if (where) {
        const [found] = await db.select({ id: locations.id }).from(locations).where(eq(locations.id, where));
        if (!found) throw notFound('Location');
      }
      const report = treeAssets(where);
      const { rows, total } = await pageRows<z.input<typeof treeAsset>>(
        db,
        report.query,
        report.orderBy,
        page,
        pageSize,
      );
      return { data: rows, page, pageSize, total };
    },
  );

  app.get(
    '/api/v1/reports/asset-tree/peripherals',
    {
      config,
      schema: {
        tags,
        summary: 'The active peripherals mounted on an asset, by name',
        querystring: treePeripheralsQuery,
        response: { 200: reportPage(treePeripheral), ...standardErrors },
      },
    },
    async (request) => {
      const { assetId, page, pageSize } = request.query;
      const [found] = await db.select({ id: assets.id }).from(assets).where(eq(assets.id, assetId));
      if (!found) throw notFound('Asset');
      const report = treePeripherals(assetId);
      const { rows, total } = await pageRows<z.input<typeof treePeripheral>>(
        db,
        report.query,
        report.orderBy,
        page,
        pageSize,
      );
      return { data: rows, page, pageSize, total };
    },
  );
}

/** The columns of the tree's CSV (the query's names). */
const TREE_CSV_COLUMNS = [
  'location',
  'assetTag',
  'assetName',
  'assetStatus',
  'assetId',
  'peripheralName',
  'peripheralType',
  'peripheralSerialNumber',
  'peripheralStatus',
  'peripheralId',
] as const;
