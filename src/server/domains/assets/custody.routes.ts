import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { expectedVersion } from '../../platform/entities/entity.routes';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction } from '../../platform/http/context';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { idParams, isoDate, optionalText } from '../../platform/http/schemas';
import { access } from '../../platform/rbac/route-access';
import { csvLine } from '../../platform/views/csv-export';
import { assetEntity } from './assets.entity';
import { assetRecord, toAssetRecord } from './assets.schemas';
import type { AssetAssignment } from './assets.table';
import {
  checkInAllHeldBy,
  checkInAsset,
  checkOutAsset,
  heldBy,
  listAssignments,
  MAX_BULK_CHECK_IN,
  requirePerson,
} from './custody.service';
import { releaseAllSeatsOf } from './licenses.service';
import {
  checkInPeripheral,
  checkInPeripheralsHeldBy,
  checkInWithAsset,
  checkOutPeripheral,
  checkOutWithAsset,
  listPeripheralAssignments,
  MAX_PERIPHERALS_TOGETHER,
} from './peripheral-custody.service';
import { peripheralEntity } from './peripherals.entity';
import { peripheralRecord, toPeripheralRecord } from './peripherals.schemas';
import type { PeripheralAssignment } from './peripherals.table';

/** What an assignment says, whatever was handed out. */
const custodyShape = {
  id: z.uuid(),
  userId: z.uuid().nullable(),
  locationId: z.uuid().nullable(),
  checkedOutAt: z.string(),
  checkedOutBy: z.uuid().nullable(),
  expectedReturnDate: z.string().nullable(),
  checkoutNotes: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  checkedInBy: z.uuid().nullable(),
  checkinNotes: z.string().nullable(),
};
function custodyOf(row: AssetAssignment | PeripheralAssignment) {
  return {
    id: row.id,
    userId: row.userId,
    locationId: row.locationId,
    checkedOutAt: row.checkedOutAt.toISOString(),
    checkedOutBy: row.createdBy,
    expectedReturnDate: row.expectedReturnDate,
    checkoutNotes: row.checkoutNotes,
    checkedInAt: row.checkedInAt?.toISOString() ?? null,
    checkedInBy: row.checkedInAt ? row.updatedBy : null,
    checkinNotes: row.checkinNotes,
  };
}

const assignmentRecord = z.object({ ...custodyShape, assetId: z.uuid() }).meta({ id: 'AssetAssignment' });
const toAssignmentRecord = (row: AssetAssignment): z.input<typeof assignmentRecord> => ({
  ...custodyOf(row),
  assetId: row.assetId,
});

const peripheralAssignmentRecord = z
  .object({ ...custodyShape, peripheralId: z.uuid(), assetId: z.uuid().nullable() })
  .meta({ id: 'PeripheralAssignment' });
const toPeripheralAssignmentRecord = (
  row: PeripheralAssignment,
): z.input<typeof peripheralAssignmentRecord> => ({
  ...custodyOf(row),
  peripheralId: row.peripheralId,
  assetId: row.assetId,
});

const checkOutBody = z
  .strictObject({
    userId: z.uuid().optional(),
    locationId: z.uuid().optional(),
    expectedReturnDate: isoDate.nullable().optional(),
    notes: optionalText(2000),
    /** Peripherals in stock that go out with the asset, to the same person or location. */
    peripheralIds: z.array(z.uuid()).max(MAX_PERIPHERALS_TOGETHER).optional(),
    version: z.number().int().min(1).optional(),
  })
  .meta({ id: 'AssetCheckOut' });
const checkInBody = z
  .strictObject({
    notes: optionalText(2000),
    /** Also check in the peripherals that went out with the asset. */
    withPeripherals: z.boolean().optional(),
    version: z.number().int().min(1).optional(),
  })
  .meta({ id: 'AssetCheckIn' });

const peripheralCheckOutBody = z
  .strictObject({
    userId: z.uuid().optional(),
    assetId: z.uuid().optional(),
    locationId: z.uuid().optional(),
    expectedReturnDate: isoDate.nullable().optional(),
    notes: optionalText(2000),
    version: z.number().int().min(1).optional(),
  })
  .meta({ id: 'PeripheralCheckOut' });

/** Custody of assets: check-out to a person or a location, check-in, and the assignment history. */
export async function registerCustodyRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Assets'];

  app.post(
    '/api/v1/assets/:id/check-out',
    {
      config: { access: access.write('core_inventory') },
      schema: {
        tags,
        summary: 'Check an asset out to a person or a location',
        description:
          'Only an asset in stock can be checked out. Send `userId` or `locationId`; an optional version (If-Match or `version`) guards against a concurrent change (409).',
        params: idParams,
        body: checkOutBody,
        response: { 200: assetRecord, ...standardErrors },
      },
    },
    async (request) => {
      const { version, peripheralIds, ...input } = request.body;
      const row = await inTransaction(serviceContext(request, db), async (ctx) => {
        const asset = await checkOutAsset(ctx, request.params.id, input, expectedVersion(request, version));
        if (peripheralIds?.length) {
          await checkOutWithAsset(ctx, asset.id, peripheralIds, input, input.expectedReturnDate, input.notes);
        }
        return asset;
      });
      return toAssetRecord(row);
    },
  );

  app.post(
    '/api/v1/assets/:id/check-in',
    {
      config: { access: access.write('core_inventory') },
      schema: {
        tags,
        summary: 'Check an asset back in',
        description: 'Closes its open assignment with the condition noted; the asset is in stock again.',
        params: idParams,
        body: checkInBody,
        response: { 200: assetRecord, ...standardErrors },
      },
    },
    async (request) => {
      const { notes, withPeripherals, version } = request.body;
      const row = await inTransaction(serviceContext(request, db), async (ctx) => {
        // The asset first, then its peripherals: the order every custody path locks them in.
        const asset = await checkInAsset(ctx, request.params.id, notes, expectedVersion(request, version));
        if (withPeripherals) await checkInWithAsset(ctx, request.params.id, notes);
        return asset;
      });
      return toAssetRecord(row);
    },
  );

  app.post(
    '/api/v1/users/:id/check-in-all',
    {
      config: { access: access.write('core_inventory') },
      schema: {
        tags,
        summary: 'Check in everything a person holds (a leaver’s return)',
        description: `All or nothing, at most ${MAX_BULK_CHECK_IN} assets and as many peripherals, and every licence seat released; answers what was returned.`,
        params: idParams,
        body: checkInBody.pick({ notes: true }),
        response: {
          200: z.object({
            data: z.array(assetRecord),
            peripherals: z.array(peripheralRecord),
            /** How many licence seats the person held and released. */
            licenseSeatsReleased: z.number().int(),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      const returned = await inTransaction(ctx, async (tx) => {
        await requirePerson(tx, request.params.id);
        const back = await checkInAllHeldBy(tx, request.params.id, request.body.notes);
        const peripheralsBack = await checkInPeripheralsHeldBy(
          tx,
          request.params.id,
          request.body.notes,
          MAX_BULK_CHECK_IN,
        );
        const seats = await releaseAllSeatsOf(tx, request.params.id, request.body.notes);
        return { assets: back, peripherals: peripheralsBack, seats };
      });
      return {
        data: returned.assets.map(toAssetRecord),
        peripherals: returned.peripherals.map(toPeripheralRecord),
        licenseSeatsReleased: returned.seats,
      };
    },
  );

  app.get(
    '/api/v1/assets/:id/assignments',
    {
      config: { access: access.read('core_inventory') },
      schema: {
        tags,
        summary: 'Who had an asset, newest first (at most 500)',
        params: idParams,
        response: { 200: z.object({ data: z.array(assignmentRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await getEntity(ctx, assetEntity, request.params.id);
      return { data: (await listAssignments(ctx, request.params.id)).map(toAssignmentRecord) };
    },
  );

  app.post(
    '/api/v1/peripherals/:id/check-out',
    {
      config: { access: access.write('core_inventory') },
      schema: {
        tags: ['Peripherals'],
        summary: 'Check a peripheral out to a person, onto an asset, both, or to a location',
        description:
          'Only a peripheral in stock can be checked out. Send `userId`, `assetId`, both (handed out with that asset), or `locationId` (with `assetId`: handed out with that asset to the location).',
        params: idParams,
        body: peripheralCheckOutBody,
        response: { 200: peripheralRecord, ...standardErrors },
      },
    },
    async (request) => {
      const { version, ...input } = request.body;
      const row = await inTransaction(serviceContext(request, db), (ctx) =>
        checkOutPeripheral(ctx, request.params.id, input, expectedVersion(request, version)),
      );
      return toPeripheralRecord(row);
    },
  );

  app.post(
    '/api/v1/peripherals/:id/check-in',
    {
      config: { access: access.write('core_inventory') },
      schema: {
        tags: ['Peripherals'],
        summary: 'Check a peripheral back in',
        params: idParams,
        body: checkInBody.omit({ withPeripherals: true }),
        response: { 200: peripheralRecord, ...standardErrors },
      },
    },
    async (request) => {
      const row = await inTransaction(serviceContext(request, db), (ctx) =>
        checkInPeripheral(
          ctx,
          request.params.id,
          request.body.notes,
          expectedVersion(request, request.body.version),
        ),
      );
      return toPeripheralRecord(row);
    },
  );

  app.get(
    '/api/v1/peripherals/:id/assignments',
    {
      config: { access: access.read('core_inventory') },
      schema: {
        tags: ['Peripherals'],
        summary: 'Who had a peripheral, newest first (at most 500)',
        params: idParams,
        response: { 200: z.object({ data: z.array(peripheralAssignmentRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await getEntity(ctx, peripheralEntity, request.params.id);
      return {
        data: (await listPeripheralAssignments(ctx, request.params.id)).map(toPeripheralAssignmentRecord),
      };
    },
  );

  app.get(
    '/api/v1/users/:id/custody-statement.csv',
    {
      config: { access: access.read('core_inventory') },
      schema: {
        tags,
        summary: 'A person’s custody statement: every asset, peripheral and licence seat they hold, as CSV',
        params: idParams,
        produces: ['text/csv'],
        response: {
          200: { description: 'The CSV file', content: { 'text/csv': { schema: z.string() } } },
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      await requirePerson(ctx, request.params.id);
      const items = await heldBy(ctx, request.params.id);
      const body = [
        `\uFEFF${csvLine(['kind', 'reference', 'name', 'serialNumber', 'since', 'expectedReturnDate'])}`,
        ...items.map((item) =>
          csvLine([
            item.kind,
            item.reference,
            item.name,
            item.serialNumber,
            item.since.toISOString(),
            item.expectedReturnDate,
          ]),
        ),
      ].join('');
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="custody-statement-${day}.csv"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(body);
    },
  );
}
