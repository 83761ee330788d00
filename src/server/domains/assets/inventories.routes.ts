import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { expectedVersion } from '../../platform/entities/entity.routes';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction } from '../../platform/http/context';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { idParams, plainString } from '../../platform/http/schemas';
import { access } from '../../platform/rbac/route-access';
import { inventoryEntity } from './inventories.entity';
import {
  closeBody,
  inventoryItemRecord,
  inventoryProgress,
  inventoryRecord,
  markBody,
  scanBody,
  toInventoryRecord,
} from './inventories.schemas';
import {
  closeInventory,
  listItems,
  markItem,
  inventoryProgress as progressOf,
  scanAsset,
} from './inventories.service';
import { type AssetInventoryItem, INVENTORY_RESULTS } from './inventories.table';

const itemParams = z.object({ id: z.uuid(), itemId: z.uuid() });

/** A scanned or marked item, as the screens show it. */
const scanResponse = z.object({
  item: z.object({
    id: z.uuid(),
    assetId: z.uuid(),
    expected: z.boolean(),
    result: z.enum(INVENTORY_RESULTS),
    checkedAt: z.string().nullable(),
    notes: z.string().nullable(),
  }),
  progress: inventoryProgress,
});
const toScanItem = (item: AssetInventoryItem) => ({
  id: item.id,
  assetId: item.assetId,
  expected: item.expected,
  result: item.result,
  checkedAt: item.checkedAt?.toISOString() ?? null,
  notes: item.notes,
});

/** Physical inventory campaigns: the items, scanning, marking by hand, and closing. */
export async function registerInventoryRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = [inventoryEntity.labels.plural];

  app.get(
    '/api/v1/asset-inventories/:id/items',
    {
      config: { access: access.read('core_inventory') },
      schema: {
        tags,
        summary: 'The items of a campaign, by asset tag',
        params: idParams,
        querystring: z.strictObject({
          page: z.coerce.number().int().min(1).max(100_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
          result: z.enum(INVENTORY_RESULTS).optional(),
          q: plainString().trim().max(100).optional(),
        }),
        response: {
          200: z.object({
            data: z.array(inventoryItemRecord),
            page: z.number(),
            pageSize: z.number(),
            total: z.number(),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await getEntity(ctx, inventoryEntity, request.params.id);
      return listItems(ctx, request.params.id, request.query);
    },
  );

  app.get(
    '/api/v1/asset-inventories/:id/progress',
    {
      config: { access: access.read('core_inventory') },
      schema: {
        tags,
        summary: 'Counts of the campaign’s items by result, live',
        params: idParams,
        response: { 200: inventoryProgress, ...standardErrors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await getEntity(ctx, inventoryEntity, request.params.id);
      return progressOf(ctx, request.params.id);
    },
  );

  app.post(
    '/api/v1/asset-inventories/:id/scan',
    {
      config: { access: access.write('core_inventory') },
      schema: {
        tags,
        summary: 'Record a scanned or typed asset tag',
        description:
          'An expected asset is marked verified (or damaged); an asset the campaign did not expect is added as found unexpectedly. 422 on `assetTag` when no asset has that tag; 409 once the campaign is closed.',
        params: idParams,
        body: scanBody,
        response: { 200: scanResponse, ...standardErrors },
      },
    },
    async (request) => {
      return inTransaction(serviceContext(request, db), async (ctx) => {
        const item = await scanAsset(ctx, request.params.id, request.body);
        return { item: toScanItem(item), progress: await progressOf(ctx, request.params.id) };
      });
    },
  );

  app.post(
    '/api/v1/asset-inventories/:id/items/:itemId/mark',
    {
      config: { access: access.write('core_inventory') },
      schema: {
        tags,
        summary: 'Set an item’s result by hand (verified, missing, damaged, or back to pending)',
        params: itemParams,
        body: markBody,
        response: { 200: scanResponse, ...standardErrors },
      },
    },
    async (request) => {
      return inTransaction(serviceContext(request, db), async (ctx) => {
        const item = await markItem(
          ctx,
          request.params.id,
          request.params.itemId,
          request.body.result,
          request.body.notes,
        );
        return { item: toScanItem(item), progress: await progressOf(ctx, request.params.id) };
      });
    },
  );

  app.post(
    '/api/v1/asset-inventories/:id/close',
    {
      config: { access: access.write('core_inventory') },
      schema: {
        tags,
        summary: 'Close a campaign, freezing its discrepancy summary',
        description:
          'Expected items never checked count as missing. `flagMissing` tags every missing asset "Missing". Nothing about the campaign can change afterwards (409).',
        params: idParams,
        body: closeBody,
        response: { 200: inventoryRecord, ...standardErrors },
      },
    },
    async (request) => {
      const row = await inTransaction(serviceContext(request, db), (ctx) =>
        closeInventory(
          ctx,
          request.params.id,
          request.body.flagMissing,
          expectedVersion(request, request.body.version),
        ),
      );
      return toInventoryRecord(row);
    },
  );
}
