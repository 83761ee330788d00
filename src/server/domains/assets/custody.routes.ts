import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { expectedVersion } from '../../platform/entities/entity.routes';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction } from '../../platform/http/context';
import { notFound } from '../../platform/http/problem';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { idParams, isoDate, optionalText } from '../../platform/http/schemas';
import { access } from '../../platform/rbac/route-access';
import { users } from '../people/users.table';
import { assetEntity } from './assets.entity';
import { assetRecord, toAssetRecord } from './assets.schemas';
import type { AssetAssignment } from './assets.table';
import {
  checkInAllHeldBy,
  checkInAsset,
  checkOutAsset,
  listAssignments,
  MAX_BULK_CHECK_IN,
} from './custody.service';

const assignmentRecord = z
  .object({
    id: z.uuid(),
    assetId: z.uuid(),
    userId: z.uuid().nullable(),
    locationId: z.uuid().nullable(),
    checkedOutAt: z.string(),
    checkedOutBy: z.uuid().nullable(),
    expectedReturnDate: z.string().nullable(),
    checkoutNotes: z.string().nullable(),
    checkedInAt: z.string().nullable(),
    checkedInBy: z.uuid().nullable(),
    checkinNotes: z.string().nullable(),
  })
  .meta({ id: 'AssetAssignment' });

function toAssignmentRecord(row: AssetAssignment): z.input<typeof assignmentRecord> {
  return {
    id: row.id,
    assetId: row.assetId,
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

const checkOutBody = z
  .strictObject({
    userId: z.uuid().optional(),
    locationId: z.uuid().optional(),
    expectedReturnDate: isoDate.nullable().optional(),
    notes: optionalText(2000),
    version: z.number().int().min(1).optional(),
  })
  .meta({ id: 'AssetCheckOut' });
const checkInBody = z
  .strictObject({ notes: optionalText(2000), version: z.number().int().min(1).optional() })
  .meta({ id: 'AssetCheckIn' });

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
      const { version, ...input } = request.body;
      const row = await inTransaction(serviceContext(request, db), (ctx) =>
        checkOutAsset(ctx, request.params.id, input, expectedVersion(request, version)),
      );
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
      const row = await inTransaction(serviceContext(request, db), (ctx) =>
        checkInAsset(
          ctx,
          request.params.id,
          request.body.notes,
          expectedVersion(request, request.body.version),
        ),
      );
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
        description: `All or nothing, at most ${MAX_BULK_CHECK_IN} assets; answers the assets checked in.`,
        params: idParams,
        body: checkInBody.omit({ version: true }),
        response: { 200: z.object({ data: z.array(assetRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      const returned = await inTransaction(ctx, async (tx) => {
        const [person] = await tx.db
          .select({ id: users.id })
          .from(users)
          .where(eq(users.id, request.params.id));
        if (!person) throw notFound('Person');
        return checkInAllHeldBy(tx, request.params.id, request.body.notes);
      });
      return { data: returned.map(toAssetRecord) };
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
}
