import { and, asc, desc, eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { newId } from '../../db/ids';
import { type AuditedTable, insertRecord, lockRecord, updateRecord } from '../../platform/audit/write';
import { checkReference } from '../../platform/entities/check-reference';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction, type ServiceContext } from '../../platform/http/context';
import { forbidden, notFound, validationFailed } from '../../platform/http/problem';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import {
  idParams,
  isoDate,
  nullableOptional as optional,
  plainString,
  shortText,
} from '../../platform/http/schemas';
import { canRead } from '../../platform/rbac/access';
import { access } from '../../platform/rbac/route-access';
import { users } from '../people/users.table';
import { assertUnlocked, auditEntity } from './audits.entity';
import {
  type Audit,
  auditComments,
  auditFindings,
  auditItems,
  auditRequests,
  COMMENT_AUDIENCES,
  FINDING_SEVERITIES,
  FINDING_STATUSES,
  REQUEST_STATUSES,
} from './audits.table';
import { auditEvidenceAudit } from './freeze-audit';

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
export const findingAudit: AuditedTable<typeof auditFindings> = {
  table: auditFindings,
  entityType: 'audit_finding',
  label: (row) => row.title,
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
const requestRecord = z.object({
  id: z.uuid(),
  version: z.number().int(),
  itemId: z.uuid(),
  body: z.string(),
  status: z.enum(REQUEST_STATUSES),
  answer: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.uuid().nullable(),
});
const findingRecord = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    itemId: z.uuid().nullable(),
    title: z.string(),
    description: z.string().nullable(),
    severity: z.enum(FINDING_SEVERITIES),
    ownerUserId: z.uuid().nullable(),
    dueDate: z.string().nullable(),
    status: z.enum(FINDING_STATUSES),
    closureNote: z.string().nullable(),
    closedAt: z.string().nullable(),
    createdAt: z.string(),
    createdBy: z.uuid().nullable(),
  })
  .meta({ id: 'AuditFinding' });

const isExternal = (ctx: ServiceContext) =>
  ctx.actor.kind === 'user' && ctx.actor.role === 'external_auditor';

/** The audit as the actor may reach it (404 otherwise), locked for the change, and open to changes. */
async function openAudit(ctx: ServiceContext, auditId: string): Promise<Audit> {
  await getEntity(ctx, auditEntity, auditId);
  const row = (await lockRecord(ctx, auditEntity, auditId)) as Audit;
  assertUnlocked(row);
  if (row.status === 'closed') throw validationFailed([{ path: 'status', message: 'the audit is closed' }]);
  return row;
}

async function itemOf(ctx: ServiceContext, auditId: string, itemId: string) {
  const [item] = await ctx.db
    .select()
    .from(auditItems)
    .where(and(eq(auditItems.id, itemId), eq(auditItems.auditId, auditId)));
  if (!item) throw notFound('Audit item');
  return item;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

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

  const presentRequest = (r: typeof auditRequests.$inferSelect) => ({
    id: r.id,
    version: r.version,
    itemId: r.itemId,
    body: r.body,
    status: r.status,
    answer: r.answer,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
  });

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
      const rows = await ctx.db
        .select()
        .from(auditRequests)
        .where(eq(auditRequests.auditId, request.params.id))
        .orderBy(desc(eq(auditRequests.status, 'open')), asc(auditRequests.createdAt));
      return { data: rows.map(presentRequest) };
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
      const row = await inTransaction(ctxOf(request), async (tx) => {
        await openAudit(tx, request.params.id);
        await itemOf(tx, request.params.id, request.params.itemId);
        return insertRecord(tx, requestAudit, {
          auditId: request.params.id,
          itemId: request.params.itemId,
          body: request.body.body,
        });
      });
      return reply.code(201).send({ data: presentRequest(row) });
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
      return { data: presentRequest(row) };
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
        return insertRecord(tx, auditEvidenceAudit, {
          ...base,
          recordType: def.entityType,
          recordId: input.recordId,
          displayName: (def.label(record as never) ?? def.labels.singular).slice(0, 500),
          recordJson: JSON.parse(JSON.stringify(def.toRecord(record as never))),
          justification: input.justification,
        });
      });
      return reply
        .code(201)
        .send({ data: { id: row.id, displayName: row.displayName, frozenAt: row.frozenAt.toISOString() } });
    },
  );

  const presentFinding = (f: typeof auditFindings.$inferSelect): z.input<typeof findingRecord> => ({
    id: f.id,
    version: f.version,
    itemId: f.itemId,
    title: f.title,
    description: f.description,
    severity: f.severity,
    ownerUserId: f.ownerUserId,
    dueDate: f.dueDate,
    status: f.status,
    closureNote: f.closureNote,
    closedAt: iso(f.closedAt),
    createdAt: f.createdAt.toISOString(),
    createdBy: f.createdBy,
  });

  app.get(
    '/api/v1/audits/:id/findings',
    {
      config: { access: access.auditWork('read') },
      schema: {
        tags,
        summary: "The audit's findings, most severe first",
        params: idParams,
        response: { 200: z.object({ data: z.array(findingRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      await getEntity(ctx, auditEntity, request.params.id);
      const rows = await ctx.db
        .select()
        .from(auditFindings)
        .where(eq(auditFindings.auditId, request.params.id));
      const rank = (s: string) => FINDING_SEVERITIES.length - FINDING_SEVERITIES.indexOf(s as never);
      return {
        data: rows
          .sort(
            (a, b) => rank(a.severity) - rank(b.severity) || a.createdAt.getTime() - b.createdAt.getTime(),
          )
          .map(presentFinding),
      };
    },
  );

  const findingFields = {
    title: shortText(200),
    description: optional(plainString().trim().max(10_000)),
    severity: z.enum(FINDING_SEVERITIES),
    ownerUserId: optional(z.uuid()),
    dueDate: optional(isoDate),
  };

  app.post(
    '/api/v1/audits/:id/findings',
    {
      config: { access: access.auditWork('write') },
      schema: {
        tags,
        summary: 'Record a finding, on a control or on the audit as a whole',
        params: idParams,
        body: z.strictObject({ itemId: optional(z.uuid()), ...findingFields }),
        response: { 201: z.object({ data: findingRecord }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const row = await inTransaction(ctxOf(request), async (tx) => {
        await openAudit(tx, request.params.id);
        if (request.body.itemId) await itemOf(tx, request.params.id, request.body.itemId);
        const errors: Parameters<typeof validationFailed>[0] = [];
        await checkReference(tx, users, 'ownerUserId', request.body.ownerUserId, undefined, errors);
        if (errors.length) throw validationFailed(errors);
        return insertRecord(tx, findingAudit, { auditId: request.params.id, ...request.body });
      });
      return reply.code(201).send({ data: presentFinding(row) });
    },
  );

  app.patch(
    '/api/v1/audits/:id/findings/:findingId',
    {
      config: { access: access.auditWork('write') },
      schema: {
        tags,
        summary: 'Update a finding; closing it needs a closure note',
        params: z.object({ id: z.uuid(), findingId: z.uuid() }),
        body: z
          .strictObject({ ...findingFields, status: z.enum(FINDING_STATUSES), closureNote: optional(body) })
          .partial()
          .extend({ version: z.number().int().min(1) }),
        response: { 200: z.object({ data: findingRecord }), ...standardErrors },
      },
    },
    async (request) => {
      const { version, ...patch } = request.body;
      const row = await inTransaction(ctxOf(request), async (tx) => {
        // Findings outlive the audit's closing: they are tracked until fixed, so only a lock stops them.
        await getEntity(tx, auditEntity, request.params.id);
        assertUnlocked((await lockRecord(tx, auditEntity, request.params.id)) as Audit);
        const current = await lockRecord(tx, findingAudit, request.params.findingId);
        if (current.auditId !== request.params.id) throw notFound('Finding');
        const closing = patch.status === 'closed' && current.status !== 'closed';
        const note = patch.closureNote !== undefined ? patch.closureNote : current.closureNote;
        if (closing && !note)
          throw validationFailed([{ path: 'closureNote', message: 'is required to close a finding' }]);
        const errors: Parameters<typeof validationFailed>[0] = [];
        await checkReference(tx, users, 'ownerUserId', patch.ownerUserId, current.ownerUserId, errors);
        if (errors.length) throw validationFailed(errors);
        const closedAt =
          patch.status === undefined
            ? {}
            : { closedAt: patch.status === 'closed' ? (current.closedAt ?? new Date()) : null };
        return updateRecord(
          tx,
          findingAudit,
          current.id,
          { ...patch, ...closedAt },
          { expectedVersion: version, locked: current },
        );
      });
      return { data: presentFinding(row) };
    },
  );
}
