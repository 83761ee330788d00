import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction } from '../../platform/http/context';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { idParams } from '../../platform/http/schemas';
import { access } from '../../platform/rbac/route-access';
import { requirePerson } from './custody.service';
import {
  assignSeat,
  listSeatAssignments,
  listSeatsHeldBy,
  MAX_HELD_SEATS,
  releaseSeat,
  revealLicenseKey,
  type SeatAssignment,
} from './licenses.service';
import { licenseEntity } from './software.entity';
import {
  heldSeatRecord,
  seatAssignBody,
  seatAssignmentRecord,
  seatListQuery,
  seatReleaseBody,
} from './software.schemas';

function toSeatAssignmentRecord(row: SeatAssignment): z.input<typeof seatAssignmentRecord> {
  return {
    id: row.id,
    licenseId: row.licenseId,
    userId: row.userId,
    assetId: row.assetId,
    holderName: row.holderName,
    assignedAt: row.assignedAt.toISOString(),
    assignedBy: row.createdBy,
    releasedAt: row.releasedAt?.toISOString() ?? null,
    releasedBy: row.releasedAt ? row.updatedBy : null,
    notes: row.notes,
  };
}

const seatParams = z.object({ id: z.uuid(), assignmentId: z.uuid() });

/** Licence workflows beside the generic CRUD: the key's reveal, and seats. */
export async function registerLicenseRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Licences'];

  app.post(
    '/api/v1/licenses/:id/reveal-key',
    {
      // Write, not read: a key lets its holder use what was paid for, and auditors read everything.
      config: { access: access.write('core_inventory') },
      schema: {
        tags,
        summary: 'Reveal the stored licence key (audited)',
        description:
          'Answers the key in clear and records the reveal in the audit log (action REVEAL). 404 when the licence has no key. The answer is never cached.',
        params: idParams,
        // Nothing to send: an empty object or no body at all.
        body: z.strictObject({}).nullish(),
        response: { 200: z.object({ data: z.object({ key: z.string() }) }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const key = await inTransaction(serviceContext(request, db), (tx) =>
        revealLicenseKey(tx, request.params.id),
      );
      reply.header('cache-control', 'no-store');
      return { data: { key } };
    },
  );

  app.get(
    '/api/v1/licenses/:id/assignments',
    {
      config: { access: access.read('core_inventory') },
      schema: {
        tags,
        summary: "A licence's seat assignments, open ones first, then newest first",
        params: idParams,
        querystring: seatListQuery,
        response: {
          200: z.object({
            data: z.array(seatAssignmentRecord),
            page: z.number().int(),
            pageSize: z.number().int(),
            total: z.number().int(),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await getEntity(ctx, licenseEntity, request.params.id);
      const { rows, total } = await listSeatAssignments(ctx, request.params.id, request.query);
      return {
        data: rows.map(toSeatAssignmentRecord),
        page: request.query.page,
        pageSize: request.query.pageSize,
        total,
      };
    },
  );

  app.post(
    '/api/v1/licenses/:id/assignments',
    {
      config: { access: access.write('core_inventory') },
      schema: {
        tags,
        summary: 'Assign a seat to a person or an asset',
        description:
          'Give `userId` or `assetId`. 409 when every seat is taken or the holder already has one; 422 for an expired or archived licence, or an archived holder.',
        params: idParams,
        body: seatAssignBody,
        response: { 201: seatAssignmentRecord, ...standardErrors },
      },
    },
    async (request, reply) => {
      const row = await inTransaction(serviceContext(request, db), (tx) =>
        assignSeat(tx, request.params.id, request.body),
      );
      reply.code(201);
      return toSeatAssignmentRecord(row);
    },
  );

  app.post(
    '/api/v1/licenses/:id/assignments/:assignmentId/release',
    {
      config: { access: access.write('core_inventory') },
      schema: {
        tags,
        summary: 'Release a seat',
        description: 'Closes the assignment (kept as history); 409 when it was already released.',
        params: seatParams,
        body: seatReleaseBody,
        response: { 200: seatAssignmentRecord, ...standardErrors },
      },
    },
    async (request) => {
      const row = await inTransaction(serviceContext(request, db), (tx) =>
        releaseSeat(tx, request.params.id, request.params.assignmentId, request.body.notes),
      );
      return toSeatAssignmentRecord(row);
    },
  );

  app.get(
    '/api/v1/users/:id/license-seats',
    {
      config: { access: access.read('core_inventory') },
      schema: {
        tags,
        summary: `The licence seats a person holds (at most ${MAX_HELD_SEATS})`,
        params: idParams,
        response: { 200: z.object({ data: z.array(heldSeatRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await requirePerson(ctx, request.params.id);
      const seats = await listSeatsHeldBy(ctx, request.params.id);
      return { data: seats.map((seat) => ({ ...seat, assignedAt: seat.assignedAt.toISOString() })) };
    },
  );
}
