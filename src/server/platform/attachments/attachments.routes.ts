import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { lockRecord } from '../audit/write';
import { getEntity } from '../entities/entity.service';
import type { EntityDefinition } from '../entities/registry';
import { inTransaction, type ServiceContext } from '../http/context';
import { loggable } from '../http/error-handler';
import { badRequest, HttpProblem } from '../http/problem';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { idParams } from '../http/schemas';
import { access } from '../rbac/route-access';
import {
  assertRoomForAttachment,
  attachmentRecord,
  findAttachment,
  listAttachmentsOf,
  recordAttachment,
  removeAttachment,
  removeFileIfUnreferenced,
  vetUpload,
} from './attachments.service';

const attachmentParams = idParams.extend({ attachmentId: z.uuid() });

/** RFC 6266/5987 attachment header that survives any file name. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Refuses a change to the attachments of a record closed to change (a locked audit), locking it until commit. */
async function assertOwnerWritable(tx: ServiceContext, def: EntityDefinition, id: string): Promise<void> {
  if (def.assertWritable) await def.assertWritable(tx, await lockRecord(tx, def, id));
}

/**
 * Attachments of one entity. Upload is multipart with one `file` part, limited to
 * OPSDECK_MAX_UPLOAD_MB (413 beyond). Downloads need read access to the owner and are always
 * served as attachments, never rendered inline.
 */
export function registerAttachmentRoutes(root: FastifyInstance, deps: AppDeps, def: EntityDefinition): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const base = `/api/v1/${def.path}/:id/attachments`;
  const tags = [def.labels.plural];
  const db = deps.database.db;
  const maxBytes = deps.config.maxUploadBytes;

  /** Removes the bytes of `sha256` if no attachment uses them; a failure is logged, not thrown. */
  const releaseFile = (request: FastifyRequest, sha256: string) =>
    removeFileIfUnreferenced(db, deps.storage, sha256).catch((error: unknown) => {
      request.log.error({ err: loggable(error), sha256 }, 'could not remove unreferenced attachment bytes');
    });

  app.get(
    base,
    {
      config: { access: access.read(def.module) },
      schema: {
        tags,
        summary: 'List attachments',
        params: idParams,
        response: { 200: z.object({ data: z.array(attachmentRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await getEntity(ctx, def, request.params.id);
      return { data: await listAttachmentsOf(ctx, def.entityType, request.params.id) };
    },
  );

  app.post(
    base,
    {
      config: { access: access.write(def.module) },
      schema: {
        tags,
        summary: `Upload an attachment (multipart/form-data, field "file", at most ${Math.round(maxBytes / 1048576)} MB)`,
        params: idParams,
        consumes: ['multipart/form-data'],
        response: {
          201: attachmentRecord,
          413: standardErrors[400],
          415: standardErrors[400],
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const tooLarge = () =>
        new HttpProblem(
          413,
          'Payload too large',
          `Files may be at most ${Math.round(maxBytes / 1048576)} MB.`,
          [{ path: 'file', message: 'is too large' }],
        );
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > maxBytes + 64 * 1024) throw tooLarge();
      if (!request.isMultipart())
        throw new HttpProblem(415, 'Unsupported media type', 'Send the file as multipart/form-data.');
      const ctx = serviceContext(request, db);
      const owner = await getEntity(ctx, def, request.params.id);
      // Checked again in the transaction; here so that a full or locked record costs no upload.
      await def.assertWritable?.(ctx, owner as never);
      await assertRoomForAttachment(ctx, def.entityType, request.params.id);
      const part = await request.file();
      if (!part) throw badRequest('No file was sent.', [{ path: 'file', message: 'is required' }]);
      const vetted = vetUpload(part.filename, part.mimetype);
      // Storage refuses a stream the size limit cut short, so no partial file is kept.
      const stored = await deps.storage.put(part.file).catch((error: unknown) => {
        throw part.file.truncated ? tooLarge() : error;
      });
      try {
        if (stored.sizeBytes === 0)
          throw badRequest('The file is empty.', [{ path: 'file', message: 'is empty' }]);
        const record = await inTransaction(ctx, async (tx) => {
          await getEntity(tx, def, request.params.id);
          await assertOwnerWritable(tx, def, request.params.id);
          const recorded = await recordAttachment(
            tx,
            { type: def.entityType, id: request.params.id },
            { ...vetted, ...stored },
          );
          // Under the content lock: identical bytes another request released in the meantime.
          if (!(await deps.storage.exists(stored.sha256))) {
            throw new HttpProblem(
              409,
              'Conflict',
              'The file was removed from storage while it was uploaded. Please upload it again.',
            );
          }
          return recorded;
        });
        return reply.code(201).send(record);
      } catch (error) {
        // Nothing was recorded: keep no orphan bytes (unless another record shares them).
        await releaseFile(request, stored.sha256);
        throw error;
      }
    },
  );

  app.get(
    `${base}/:attachmentId/download`,
    {
      config: { access: access.read(def.module) },
      schema: {
        tags,
        summary: 'Download an attachment',
        params: attachmentParams,
        produces: ['application/octet-stream'],
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      const row = await findAttachment(ctx, def.entityType, request.params.id, request.params.attachmentId);
      if (!(await deps.storage.exists(row.sha256)))
        throw new HttpProblem(410, 'Gone', 'The stored file is missing.');
      return reply
        .header('content-type', row.contentType)
        .header('content-disposition', contentDisposition(row.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .header('digest', `sha-256=${Buffer.from(row.sha256, 'hex').toString('base64')}`)
        .send(deps.storage.open(row.sha256));
    },
  );

  app.delete(
    `${base}/:attachmentId`,
    {
      config: { access: access.write(def.module) },
      schema: {
        tags,
        summary: 'Delete an attachment',
        params: attachmentParams,
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      const released: Promise<unknown>[] = [];
      await inTransaction(serviceContext(request, db), async (tx) => {
        await getEntity(tx, def, request.params.id);
        await assertOwnerWritable(tx, def, request.params.id);
        await removeAttachment(tx, def.entityType, request.params.id, request.params.attachmentId, (sha256) =>
          released.push(releaseFile(request, sha256)),
        );
      });
      await Promise.all(released);
      return reply.code(204).send();
    },
  );
}
