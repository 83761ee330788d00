import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { contentDisposition } from '../../platform/attachments/attachments.routes';
import { lockRecord, updateRecord } from '../../platform/audit/write';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction, type ServiceContext } from '../../platform/http/context';
import { forbidden, notFound, validationFailed } from '../../platform/http/problem';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { idParams, plainString, shortText } from '../../platform/http/schemas';
import { access } from '../../platform/rbac/route-access';
import { assertAuditorOf } from './audit-roles';
import { registerAuditWorkRoutes } from './audit-work.routes';
import { assertUnlocked, auditEntity, auditRecord } from './audits.entity';
import { AUDIT_RESULTS, type Audit, auditEvidence, auditItems, EVIDENCE_SOURCES } from './audits.table';
import { cloneAudit } from './clone-audit';
import { registerFindingRoutes } from './findings.routes';
import { auditItemAudit } from './freeze-audit';
import { registerPackRoutes } from './pack.routes';
import { logExternalView, registerParticipantRoutes } from './participants.routes';

const MAX_ITEMS_PAGE = 200;

const evidenceRecord = z
  .object({
    id: z.uuid(),
    source: z.enum(EVIDENCE_SOURCES),
    recordType: z.string().nullable(),
    recordId: z.uuid().nullable(),
    displayName: z.string(),
    recordJson: z.unknown(),
    justification: z.string().nullable(),
    evidenceDate: z.string().nullable(),
    fileName: z.string().nullable(),
    contentType: z.string().nullable(),
    sizeBytes: z.number().int().nullable(),
    sha256: z.string().nullable(),
    frozenAt: z.string(),
  })
  .meta({ id: 'AuditEvidence' });

const itemRecord = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    controlId: z.uuid(),
    refId: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    guidance: z.string().nullable(),
    kind: z.enum(['group', 'control']),
    depth: z.number().int(),
    applicable: z.boolean(),
    soaJustification: z.string().nullable(),
    frozenStatus: z.string().nullable(),
    frozenReason: z.string().nullable(),
    result: z.enum(AUDIT_RESULTS),
    auditorComment: z.string().nullable(),
    evidence: z.array(evidenceRecord),
  })
  .meta({ id: 'AuditItem' });

const reasonBody = z.strictObject({ reason: shortText(1000) });

async function auditOf(ctx: ServiceContext, id: string): Promise<Audit> {
  return (await getEntity(ctx, auditEntity, id)) as unknown as Audit;
}

/** The frozen controls of an audit and their evidence, the auditor's results, lock and clone. */
export async function registerAuditRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Audits'];
  await registerPackRoutes(app, deps);
  await registerParticipantRoutes(app, deps);
  await registerAuditWorkRoutes(app, deps);
  await registerFindingRoutes(app, deps);

  app.get(
    '/api/v1/audits/:id/items',
    {
      config: { access: access.auditWork('read') },
      schema: {
        tags,
        summary: 'The frozen controls of an audit, in framework order, each with its frozen evidence',
        params: idParams,
        querystring: z.strictObject({
          page: z.coerce.number().int().min(1).max(100_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(MAX_ITEMS_PAGE).default(50),
        }),
        response: {
          200: z.object({
            data: z.array(itemRecord),
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
      const audit = await auditOf(ctx, request.params.id);
      const { page, pageSize } = request.query;
      await logExternalView(ctx, audit, { viewed: 'items', page, pageSize });
      const items = await ctx.db
        .select()
        .from(auditItems)
        .where(eq(auditItems.auditId, request.params.id))
        .orderBy(asc(auditItems.position))
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      const [{ total } = { total: 0 }] = await ctx.db
        .select({ total: count() })
        .from(auditItems)
        .where(eq(auditItems.auditId, request.params.id));
      const evidence = items.length
        ? await ctx.db
            .select()
            .from(auditEvidence)
            .where(
              inArray(
                auditEvidence.itemId,
                items.map((i) => i.id),
              ),
            )
            .orderBy(asc(auditEvidence.frozenAt), asc(auditEvidence.id))
        : [];
      return {
        page,
        pageSize,
        total,
        data: items.map((item) => ({
          id: item.id,
          version: item.version,
          controlId: item.controlId,
          refId: item.refId,
          title: item.title,
          description: item.description,
          guidance: item.guidance,
          kind: item.kind === 'group' ? ('group' as const) : ('control' as const),
          depth: item.depth,
          applicable: item.applicable,
          soaJustification: item.soaJustification,
          frozenStatus: item.frozenStatus,
          frozenReason: item.frozenReason,
          result: item.result,
          auditorComment: item.auditorComment,
          evidence: evidence
            .filter((e) => e.itemId === item.id)
            .map((e) => ({
              id: e.id,
              source: e.source,
              recordType: e.recordType,
              recordId: e.recordId,
              displayName: e.displayName,
              recordJson: e.recordJson,
              justification: e.justification,
              evidenceDate: e.evidenceDate,
              fileName: e.fileName,
              contentType: e.contentType,
              sizeBytes: e.sizeBytes,
              sha256: e.sha256,
              frozenAt: e.frozenAt.toISOString(),
            })),
        })),
      };
    },
  );

  app.get(
    '/api/v1/audits/:id/evidence/:evidenceId/file',
    {
      config: { access: access.auditWork('read') },
      schema: {
        tags,
        summary: 'Download a frozen evidence file, exactly as it was frozen',
        params: z.object({ id: z.uuid(), evidenceId: z.uuid() }),
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      const audit = await auditOf(ctx, request.params.id);
      const [file] = await ctx.db
        .select()
        .from(auditEvidence)
        .where(
          and(eq(auditEvidence.id, request.params.evidenceId), eq(auditEvidence.auditId, request.params.id)),
        );
      if (!file?.sha256) throw notFound('Evidence file');
      await logExternalView(ctx, audit, { downloaded: file.id, sha256: file.sha256 });
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', contentDisposition(file.fileName ?? 'evidence'))
        .header('x-content-sha256', file.sha256)
        .header('x-content-type-options', 'nosniff')
        .send(deps.storage.open(file.sha256));
    },
  );

  app.patch(
    '/api/v1/audits/:id/items/:itemId',
    {
      config: { access: access.auditWork('write') },
      schema: {
        tags,
        summary: "Record the auditor's result and comment on a frozen control (the audit's auditors only)",
        description:
          "Both fields are the auditor's judgement: only participants of the audit with the role `auditor` (invited external auditors, or people an administrator added as auditors) may set them; anyone else gets 403. The team's own notes go in the control's internal thread.",
        params: z.object({ id: z.uuid(), itemId: z.uuid() }),
        body: z.strictObject({
          result: z.enum(AUDIT_RESULTS).optional(),
          auditorComment: plainString().trim().max(10_000).nullable().optional(),
          version: z.number().int().min(1),
        }),
        response: {
          200: z.object({
            data: z.object({
              id: z.uuid(),
              version: z.number().int(),
              result: z.enum(AUDIT_RESULTS),
              auditorComment: z.string().nullable(),
            }),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const { version, ...patch } = request.body;
      const ctx = serviceContext(request, db);
      // Within the audits the actor may reach: an external auditor's own, or any for the team.
      await auditOf(ctx, request.params.id);
      // Separation of duties: the auditors judge, the team does not grade its own work.
      await assertAuditorOf(ctx, request.params.id, "record results and the auditor's comment");
      const row = await inTransaction(ctx, async (tx) => {
        const audit = (await lockRecord(tx, auditEntity, request.params.id)) as Audit;
        assertUnlocked(audit);
        if (audit.status === 'closed')
          throw validationFailed([{ path: 'result', message: 'the audit is closed' }]);
        const item = await lockRecord(tx, auditItemAudit, request.params.itemId);
        if (item.auditId !== audit.id) throw notFound('Audit item');
        if (item.kind === 'group')
          throw validationFailed([{ path: 'result', message: 'a heading has no result' }]);
        return updateRecord(tx, auditItemAudit, item.id, patch, { expectedVersion: version, locked: item });
      });
      return {
        data: { id: row.id, version: row.version, result: row.result, auditorComment: row.auditorComment },
      };
    },
  );

  for (const [verb, locked] of [
    ['lock', true],
    ['unlock', false],
  ] as const) {
    app.post(
      `/api/v1/audits/:id/${verb}`,
      {
        // Anyone who works the audit may lock it; only an administrator may open it again.
        config: { access: locked ? access.write('compliance') : access.admin },
        schema: {
          tags,
          summary: locked
            ? 'Lock the audit: no change at all until it is unlocked'
            : 'Unlock the audit (administrators)',
          params: idParams,
          body: reasonBody,
          response: { 200: auditRecord, ...standardErrors },
        },
      },
      async (request) => {
        const ctx = serviceContext(request, db);
        const row = await inTransaction(ctx, async (tx) => {
          const audit = (await lockRecord(tx, auditEntity, request.params.id)) as Audit;
          if (audit.locked === locked) {
            throw validationFailed([
              { path: 'reason', message: locked ? 'the audit is locked already' : 'the audit is not locked' },
            ]);
          }
          return updateRecord(
            tx,
            auditEntity,
            audit.id,
            locked
              ? { locked, lockReason: request.body.reason, lockedAt: new Date(), lockedBy: actorId(request) }
              : { locked, lockReason: `Unlocked: ${request.body.reason}`, lockedAt: null, lockedBy: null },
            { locked: audit },
          );
        });
        return auditEntity.toRecord((await getEntity(ctx, auditEntity, row.id)) as never);
      },
    );
  }

  app.post(
    '/api/v1/audits/:id/clone',
    {
      config: { access: access.write('compliance') },
      schema: {
        tags,
        summary: 'A new audit of the same scope for the next period, frozen afresh from the live evidence',
        description:
          'Items start pending. Evidence is frozen from the live links, manual evidence and rules; evidence added during the previous audit is carried over, re-frozen from its record, while that record exists, is not archived or expired and is not frozen on the control already (notes stay with their audit).',
        params: idParams,
        body: z
          .strictObject({
            name: shortText(200).optional(),
            periodStart: z.iso.date().optional(),
            periodEnd: z.iso.date().optional(),
          })
          .optional(),
        response: { 201: auditRecord, ...standardErrors },
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      const source = await auditOf(ctx, request.params.id);
      const id = await cloneAudit(ctx, source, request.body ?? {});
      return reply.code(201).send(auditEntity.toRecord((await getEntity(ctx, auditEntity, id)) as never));
    },
  );
}

function actorId(request: FastifyRequest): string {
  if (request.actor.kind !== 'user') throw forbidden();
  return request.actor.id;
}
