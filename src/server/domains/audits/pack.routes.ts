import { and, desc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { auditLog } from '../../platform/audit/audit.table';
import { recordEvent } from '../../platform/audit/write';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction } from '../../platform/http/context';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { idParams } from '../../platform/http/schemas';
import { readUpload } from '../../platform/imports/upload';
import { access } from '../../platform/rbac/route-access';
import { auditEntity, auditScope } from './audits.entity';
import { type Audit, audits } from './audits.table';
import { planEvidencePack } from './evidence-pack';
import { assessmentResults } from './oscal-results';
import { logExternalView } from './participants.routes';
import { verifyPack } from './verify-pack';

const VERIFY_LIMIT = {
  max: 6,
  timeWindow: '1 minute',
  keyGenerator: (request: FastifyRequest) =>
    request.actor?.kind === 'user' ? `user:${request.actor.id}` : request.ip,
};

/** Runs tasks one after another. */
class Queue {
  private last: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.last.then(task, task);
    this.last = next.catch(() => {});
    return next;
  }
}
const verifying = new Queue();

/** The evidence pack: exported as a streamed ZIP, and verified from an uploaded one. */
export async function registerPackRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Audits'];

  app.get(
    '/api/v1/audits/:id/export',
    {
      config: { access: access.auditWork('read') },
      schema: {
        tags,
        summary:
          "The audit's evidence pack: a ZIP of the manifest, its hash, a PDF summary, renderings and files",
        description:
          'Streamed. The SHA-256 of manifest.json is also in the `x-manifest-sha256` header and in the audit log (action EXPORT), so a pack can be checked against what this server issued.',
        params: idParams,
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      const audit = (await getEntity(ctx, auditEntity, request.params.id)) as unknown as Audit;
      const plan = await planEvidencePack(ctx, audit, deps.storage);
      await inTransaction(ctx, (tx) =>
        recordEvent(tx, auditEntity, 'EXPORT', audit, { manifestSha256: plan.manifestSha256 }),
      );
      const name = audit.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'audit';
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${name}-evidence.zip"`)
        .header('x-manifest-sha256', plan.manifestSha256)
        .send(plan.stream());
    },
  );

  app.get(
    '/api/v1/audits/:id/assessment-results',
    {
      config: { access: access.auditWork('read') },
      schema: {
        tags,
        summary: "The audit's results as an OSCAL assessment-results document (JSON)",
        params: idParams,
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      const audit = (await getEntity(ctx, auditEntity, request.params.id)) as unknown as Audit;
      await logExternalView(ctx, audit, { viewed: 'assessment-results' });
      const name = audit.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'audit';
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}-assessment-results.json"`)
        .send(JSON.stringify(await assessmentResults(ctx, audit), null, 2));
    },
  );

  app.post(
    '/api/v1/audits/verify-pack',
    {
      // Inflating and hashing a whole archive is expensive: a few a minute per person.
      config: { access: access.auditWork('read'), rateLimit: VERIFY_LIMIT },
      schema: {
        tags,
        summary: 'Check an evidence pack: every hash, and whether this server issued its manifest',
        consumes: ['multipart/form-data'],
        response: {
          200: z.object({
            data: z.object({
              ok: z.boolean(),
              problems: z.array(z.object({ path: z.string(), problem: z.string() })),
              manifestSha256: z.string().nullable(),
              files: z.number().int(),
              /** When this server exported a pack with this manifest, and for which audit. */
              issued: z.object({ at: z.string(), auditId: z.uuid(), by: z.string().nullable() }).nullable(),
            }),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const upload = await readUpload(request, deps.config.maxUploadBytes, 1024);
      // One verification at a time in this process: each may inflate gigabytes.
      const result = await verifying.run(() => verifyPack(upload.bytes));
      const scope = auditScope(serviceContext(request, db));
      const [issued] = result.manifestSha256
        ? await db
            .select({ at: auditLog.occurredAt, auditId: auditLog.entityId, by: auditLog.actorLabel })
            .from(auditLog)
            .innerJoin(audits, eq(audits.id, auditLog.entityId))
            .where(
              and(
                eq(auditLog.action, 'EXPORT'),
                eq(auditLog.entityType, 'audit'),
                sql`${auditLog.changes}->>'manifestSha256' = ${result.manifestSha256}`,
                // Only audits the caller may see: a pack of another audit says nothing of it.
                scope,
              ),
            )
            .orderBy(desc(auditLog.occurredAt))
            .limit(1)
        : [];
      return { data: { ...result, issued: issued ? { ...issued, at: issued.at.toISOString() } : null } };
    },
  );
}
