import { and, asc, desc, eq, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { newId } from '../../db/ids';
import { type AuditedTable, insertRecord, lockRecord, updateRecord } from '../../platform/audit/write';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction, type ServiceContext } from '../../platform/http/context';
import { forbidden, notFound, validationFailed } from '../../platform/http/problem';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { idParams, nullableOptional as optional, plainString, shortText } from '../../platform/http/schemas';
import { canRead } from '../../platform/rbac/access';
import { access } from '../../platform/rbac/route-access';
import { users } from '../people/users.table';
import { assertMayWorkOn } from './audit-roles';
import { assertUnlocked, auditEntity } from './audits.entity';
import {
  type Audit,
  auditComments,
  auditItems,
  auditRequests,
  COMMENT_AUDIENCES,
  REQUEST_STATUSES,
} from './audits.table';
import { auditEvidenceAudit, rendered } from './freeze-audit';

/**
 * Working an audit: threads on each control (with the auditors, or internal to the team), requests
 * for more evidence and the evidence added in answer (frozen when added), and findings tracked to
 * closure. External auditors take part in all but the internal threads, which they never see.
 */

export const commentAudit: AuditedTable<typeof auditComments> = {
  table: auditComments,
  entityType: 'audit_comment',
  label: (row) => row.body.slice(0, 80),
};
export const requestAudit: AuditedTable<typeof auditRequests> = {
  table: auditRequests,
  entityType: 'audit_request',
  label: (row) => row.body.slice(0, 80),
};

const body = plainString().trim().min(1).max(10_000);
const itemParams = z.object({ id: z.uuid(), itemId: z.uuid() });

const commentRecord = z.object({
  id: z.uuid(),
  itemId: z.uuid(),
  audience: z.enum(COMMENT_AUDIENCES),
  body: z.string(),
  createdAt: z.string(),
  createdBy: z.uuid().nullable(),
});
const requestRecord = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    itemId: z.uuid(),
    /** The reference of the control it is on. */
    itemRefId: z.string().nullable(),
    body: z.string(),
    status: z.enum(REQUEST_STATUSES),
    answer: z.string().nullable(),
    createdAt: z.string(),
    createdBy: z.uuid().nullable(),
    /** Who asked, by name. */
    createdByName: z.string().nullable(),
  })
  .meta({ id: 'AuditRequest' });

/** The requests matching `where`, open ones first, with their control's reference and their author's name. */
async function readRequests(ctx: ServiceContext, where: SQL): Promise<Array<z.input<typeof requestRecord>>> {
  const rows = await ctx.db
    .select({ request: auditRequests, itemRefId: auditItems.refId, createdByName: users.name })
    .from(auditRequests)
    .leftJoin(auditItems, eq(auditItems.id, auditRequests.itemId))
    .leftJoin(users, eq(users.id, auditRequests.createdBy))
    .where(where)
    .orderBy(desc(eq(auditRequests.status, 'open')), asc(auditRequests.createdAt), asc(auditRequests.id));
  return rows.map(({ request: r, itemRefId, createdByName }) => ({
    id: r.id,
    version: r.version,
    itemId: r.itemId,
    itemRefId,
    body: r.body,
    status: r.status,
    answer: r.answer,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
    createdByName,
  }));
}

async function readRequest(ctx: ServiceContext, id: string) {
  const [row] = await readRequests(ctx, eq(auditRequests.id, id));
  return row!;
}

const isExternal = (ctx: ServiceContext) =>
  ctx.actor.kind === 'user' && ctx.actor.role === 'external_auditor';

/** The audit as the actor may reach it (404 otherwise), locked for the change, and open to changes. */
export async function openAudit(ctx: ServiceContext, auditId: string): Promise<Audit> {
  await getEntity(ctx, auditEntity, auditId);
  await assertMayWorkOn(ctx, auditId);
  const row = (await lockRecord(ctx, auditEntity, auditId)) as Audit;
  assertUnlocked(row);
  if (row.status === 'closed') throw validationFailed([{ path: 'status', message: 'the audit is closed' }]);
  return row;
}

export async function itemOf(ctx: ServiceContext, auditId: string, itemId: string) {
  const [item] = await ctx.db
    .select()
    .from(auditItems)
    .where(and(eq(auditItems.id, itemId), eq(auditItems.auditId, auditId)));
  if (!item) throw notFound('Audit item');
  return item;
}

export async function registerAuditWorkRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Audits'];
  const ctxOf = (request: FastifyRequest) => serviceContext(request, db);

  app.get(
    '/api/v1/audits/:id/items/:itemId/comments',
    {
      config: { access: access.auditWork('read') },
      schema: {
        tags,
        summary:
          "A control's threads, oldest first (external auditors see only the thread with the auditors)",
        params: itemParams,
        response: { 200: z.object({ data: z.array(commentRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      await getEntity(ctx, auditEntity, request.params.id);
      await itemOf(ctx, request.params.id, request.params.itemId);
      const rows = await ctx.db
        .select()
        .from(auditComments)
        .where(
          and(
            eq(auditComments.itemId, request.params.itemId),
            isExternal(ctx) ? eq(auditComments.audience, 'auditor') : undefined,
          ),
        )
        .orderBy(asc(auditComments.createdAt), asc(auditComments.id));
      return {
        data: rows.map((r) => ({
          id: r.id,
          itemId: r.itemId,
          audience: r.audience,
          body: r.body,
          createdAt: r.createdAt.toISOString(),
          createdBy: r.createdBy,
        })),
      };
    },
  );

  app.post(
    '/api/v1/audits/:id/items/:itemId/comments',
    {
      config: { access: access.auditWork('write') },
      schema: {
        tags,
        summary: 'Comment on a control, in the thread with the auditors or internally',
        params: itemParams,
        body: z.strictObject({ audience: z.enum(COMMENT_AUDIENCES).default('auditor'), body }),
        response: { 201: z.object({ data: commentRecord }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      if (isExternal(ctx) && request.body.audience === 'internal') {
        throw forbidden('Internal threads belong to the audited team.');
      }
      const row = await inTransaction(ctx, async (tx) => {
        await openAudit(tx, request.params.id);
        await itemOf(tx, request.params.id, request.params.itemId);
        return insertRecord(tx, commentAudit, {
          auditId: request.params.id,
          itemId: request.params.itemId,
          audience: request.body.audience,
          body: request.body.body,
        });
      });
      return reply.code(201).send({
        data: {
          id: row.id,
          itemId: row.itemId,
          audience: row.audience,
          body: row.body,
          createdAt: row.createdAt.toISOString(),
          createdBy: row.createdBy,
        },
      });
    },
  );

  app.get(
    '/api/v1/audits/:id/requests',
    {
      config: { access: access.auditWork('read') },
      schema: {
        tags,
        summary: 'Requests for more evidence, open ones first',
        params: idParams,
        response: { 200: z.object({ data: z.array(requestRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      await getEntity(ctx, auditEntity, request.params.id);
      return { data: await readRequests(ctx, eq(auditRequests.auditId, request.params.id)) };
    },
  );

  app.post(
    '/api/v1/audits/:id/items/:itemId/requests',
    {
      config: { access: access.auditWork('write') },
      schema: {
        tags,
        summary: 'Ask for more evidence on a control',
        params: itemParams,
        body: z.strictObject({ body }),
        response: { 201: z.object({ data: requestRecord }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const row = await inTransaction(ctx, async (tx) => {
        await openAudit(tx, request.params.id);
        await itemOf(tx, request.params.id, request.params.itemId);
        return insertRecord(tx, requestAudit, {
          auditId: request.params.id,
          itemId: request.params.itemId,
          body: request.body.body,
        });
      });
      return reply.code(201).send({ data: await readRequest(ctx, row.id) });
    },
  );

  app.patch(
    '/api/v1/audits/:id/requests/:requestId',
    {
      config: { access: access.auditWork('write') },
      schema: {
        tags,
        summary: 'Answer or close a request (the team answers; whoever asked may close)',
        params: z.object({ id: z.uuid(), requestId: z.uuid() }),
        body: z.strictObject({
          status: z.enum(REQUEST_STATUSES).optional(),
          answer: optional(body),
          version: z.number().int().min(1),
        }),
        response: { 200: z.object({ data: requestRecord }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const { version, ...patch } = request.body;
      const row = await inTransaction(ctx, async (tx) => {
        await openAudit(tx, request.params.id);
        const current = await lockRecord(tx, requestAudit, request.params.requestId);
        if (current.auditId !== request.params.id) throw notFound('Request');
        if (isExternal(tx) && (patch.answer !== undefined || patch.status === 'answered')) {
          throw forbidden('The audited team answers requests.');
        }
        return updateRecord(tx, requestAudit, current.id, patch, {
          expectedVersion: version,
          locked: current,
        });
      });
      return { data: await readRequest(ctx, row.id) };
    },
  );

  app.post(
    '/api/v1/audits/:id/items/:itemId/evidence',
    {
      config: { access: access.write('compliance') },
      schema: {
        tags,
        summary: 'Add evidence to a frozen control: a record as it is now, or a note; frozen when added',
        params: itemParams,
        body: z.union([
          z.strictObject({ recordType: plainString().max(64), recordId: z.uuid(), justification: body }),
          z.strictObject({ title: shortText(200), note: body }),
        ]),
        response: {
          201: z.object({ data: z.object({ id: z.uuid(), displayName: z.string(), frozenAt: z.string() }) }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const row = await inTransaction(ctx, async (tx) => {
        await openAudit(tx, request.params.id);
        const item = await itemOf(tx, request.params.id, request.params.itemId);
        if (item.kind === 'group')
          throw validationFailed([
            { path: 'itemId', message: 'is a heading; evidence goes on its controls' },
          ]);
        const input = request.body;
        const base = {
          id: newId(),
          auditId: item.auditId,
          itemId: item.id,
          source: 'added' as const,
          frozenAt: new Date(),
        };
        if ('note' in input) {
          return insertRecord(tx, auditEvidenceAudit, {
            ...base,
            displayName: input.title,
            recordJson: { note: input.note },
            justification: input.note,
          });
        }
        const def = tx.registry?.get(input.recordType);
        if (!def?.features.linkable)
          throw validationFailed([{ path: 'recordType', message: 'is not a linkable record type' }]);
        if (!canRead(tx, def)) throw forbidden('You cannot read the record you are adding as evidence.');
        const table = def.table as PgTable & { id: PgColumn };
        const [record] = (await tx.db.select().from(table).where(eq(table.id, input.recordId))) as Array<
          Record<string, unknown>
        >;
        if (!record) throw validationFailed([{ path: 'recordId', message: 'does not exist' }]);
        const { name, json } = rendered(def, record);
        return insertRecord(tx, auditEvidenceAudit, {
          ...base,
          recordType: def.entityType,
          recordId: input.recordId,
          displayName: name,
          recordJson: json,
          justification: input.justification,
        });
      });
      return reply
        .code(201)
        .send({ data: { id: row.id, displayName: row.displayName, frozenAt: row.frozenAt.toISOString() } });
    },
  );
}
