import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import {
  attachmentRecord,
  removeAllAttachmentsOf,
  removeFileIfUnreferenced,
} from '../attachments/attachments.service';
import { loggable } from '../http/error-handler';
import { HttpProblem } from '../http/problem';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { idParams } from '../http/schemas';
import { linkRecord, removeAllLinksOf } from '../links/links.service';
import { canWrite } from '../rbac/access';
import { access, type RouteAccess } from '../rbac/route-access';
import { appliedTag, removeAllTagsOf } from '../tags/tags.service';
import { exportEntitiesCsv, MAX_EXPORT_ROWS } from '../views/csv-export';
import {
  createEntity,
  deleteEntity,
  getEntity,
  listEntities,
  listEntitiesJson,
  MAX_BULK_IDS,
  setEntitiesArchived,
  setEntityArchived,
  updateEntity,
} from './entity.service';
import { listQuerySchema } from './list-query';
import { recordExtras } from './record-extras';
import { recordSourceOf } from './record-json';
import type { EntityDefinition } from './registry';

export const abilitiesSchema = z
  .object({ update: z.boolean(), archive: z.boolean(), restore: z.boolean(), delete: z.boolean() })
  .meta({ id: 'Abilities' });

const versionBody = z.strictObject({ version: z.number().int().min(1).optional() }).optional();

const bulkIdsBody = z
  .strictObject({ ids: z.array(z.uuid()).min(1).max(MAX_BULK_IDS) })
  .meta({ id: 'BulkIds', description: `One to ${MAX_BULK_IDS} record ids.` });

/**
 * The version a write is based on: `If-Match: "3"` (or W/"3", or 3) or a `version` field.
 * Updates must send one, so that a concurrent edit is detected rather than overwritten.
 */
export function expectedVersion(
  request: FastifyRequest,
  bodyVersion: number | undefined,
): number | undefined {
  const header = request.headers['if-match'];
  if (typeof header === 'string' && header.trim() !== '') {
    const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
    if (!match) throw new HttpProblem(400, 'Bad request', 'If-Match must be a record version, e.g. "3".');
    return Number(match[1]);
  }
  return bodyVersion;
}

/** The version an update is based on; without one the update is refused (428), never applied blind. */
export function requiredVersion(request: FastifyRequest, bodyVersion: number | undefined): number {
  const expected = expectedVersion(request, bodyVersion);
  if (expected === undefined) {
    throw new HttpProblem(
      428,
      'Precondition required',
      'Send the version you are editing, as If-Match or a version field.',
      [{ path: 'version', message: 'is required' }],
    );
  }
  return expected;
}

export function registerEntityRoutes(root: FastifyInstance, deps: AppDeps, def: EntityDefinition): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const base = `/api/v1/${def.path}`;
  const tags = [def.labels.plural];
  const readAccess: RouteAccess =
    def.readAccess ?? (def.readableByAnyUser ? access.authenticated : access.read(def.module));
  const writeAccess = access.write(def.module);
  const record = def.record;
  const detail = record
    .extend({
      abilities: abilitiesSchema,
      links: z.array(linkRecord).optional(),
      tags: z.array(appliedTag).optional(),
      attachments: z.array(attachmentRecord).optional(),
    })
    .meta({ id: `${def.labels.singular.replace(/\W/g, '')}Detail` });
  const db = deps.database.db;
  // Built now, so that a `sqlRecord` that does not fit the record fails the start, not a request.
  recordSourceOf(def);

  const abilities = (request: FastifyRequest, row: Record<string, unknown>) => {
    const ctx = serviceContext(request, db);
    const writable = canWrite(ctx, def);
    const archived = row.isArchived === true;
    return {
      update: writable && !archived,
      archive: writable && def.features.archivable && !archived,
      restore: writable && def.features.archivable && archived,
      delete:
        writable &&
        def.features.hardDelete &&
        request.actor.kind === 'user' &&
        request.actor.role === 'admin',
    };
  };

  // A record's links, tags and attachments are read side by side (on a server, on separate
  // connections), not one round trip after another.
  const extrasOf = (request: FastifyRequest, id: string) =>
    recordExtras(serviceContext(request, db), deps.registry, def, id);
  const present = async (
    request: FastifyRequest,
    row: Record<string, unknown> & { id: string },
    extras = extrasOf(request, row.id),
  ) => ({
    ...def.toRecord(row as never),
    abilities: abilities(request, row),
    ...(await extras),
  });

  app.get(
    base,
    {
      config: { access: readAccess },
      schema: {
        tags,
        summary: `List ${def.labels.plural.toLowerCase()}`,
        querystring: listQuerySchema(def),
        response: {
          200: z.object({
            data: z.array(record),
            page: z.number().int(),
            pageSize: z.number().int(),
            total: z.number().int(),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      const written = await listEntitiesJson(ctx, def, request.query as never);
      if (written) {
        // PostgreSQL wrote the records (declared by the entity's `sqlRecord`, held to `toRecord` by
        // record-json.test.ts); a JSON string with a JSON content type is sent as it is.
        const { data, page, pageSize, total } = written;
        return reply
          .type('application/json; charset=utf-8')
          .send(`{"data":${data},"page":${page},"pageSize":${pageSize},"total":${total}}` as never);
      }
      const result = await listEntities(ctx, def, request.query as never);
      return { ...result, data: result.rows.map((row) => def.toRecord(row as never)) };
    },
  );

  app.get(
    `${base}/export.csv`,
    {
      config: { access: readAccess },
      schema: {
        tags,
        summary: `Export ${def.labels.plural.toLowerCase()} as CSV`,
        description: `Every record the same query would list (search, filters, sort, archived; paging is ignored), at most ${MAX_EXPORT_ROWS} (more answers 422). UTF-8 with a byte order mark, a header row, RFC 4180 quoting; text cells starting with = + - @ tab or CR are prefixed with ' so spreadsheets do not run them; custom fields are \`cf.<key>\` columns.`,
        querystring: listQuerySchema(def),
        produces: ['text/csv'],
        response: {
          200: { description: 'The CSV file', content: { 'text/csv': { schema: z.string() } } },
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const csv = await exportEntitiesCsv(serviceContext(request, db), def, request.query as never);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csv.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(csv.body);
    },
  );

  app.get(
    `${base}/:id`,
    {
      config: { access: readAccess },
      schema: {
        tags,
        summary: `Get one ${def.labels.singular.toLowerCase()}`,
        params: idParams,
        response: { 200: detail, ...standardErrors },
      },
    },
    async (request, reply) => {
      // The record and what hangs off it are read together: one round trip of waiting, not two.
      // When the record is not found (or not the caller's to see), the rest is never sent.
      const extras = extrasOf(request, request.params.id);
      extras.catch(() => {});
      const row = await getEntity(serviceContext(request, db), def, request.params.id);
      reply.header('etag', `"${row.version}"`);
      return present(request, row, extras);
    },
  );

  app.post(
    base,
    {
      config: { access: writeAccess },
      schema: {
        tags,
        summary: `Create a ${def.labels.singular.toLowerCase()}`,
        body: def.create,
        response: { 201: detail, ...standardErrors },
      },
    },
    async (request, reply) => {
      const row = await createEntity(
        serviceContext(request, db),
        def,
        request.body as Record<string, unknown>,
      );
      reply.code(201).header('etag', `"${row.version}"`).header('location', `${base}/${row.id}`);
      return present(request, row);
    },
  );

  app.patch(
    `${base}/:id`,
    {
      config: { access: writeAccess },
      schema: {
        tags,
        summary: `Update a ${def.labels.singular.toLowerCase()}`,
        description:
          'Send the version you read, as `If-Match: "<version>"` or a `version` field; a stale version answers 409 with the current record.',
        params: idParams,
        body: def.update.extend({ version: z.number().int().min(1).optional() }),
        response: { 200: detail, ...standardErrors, 428: standardErrors[409] },
      },
    },
    async (request, reply) => {
      const { version, ...input } = request.body as Record<string, unknown> & { version?: number };
      const expected = requiredVersion(request, version);
      const row = await updateEntity(serviceContext(request, db), def, request.params.id, input, expected);
      reply.header('etag', `"${row.version}"`);
      return present(request, row);
    },
  );

  if (def.features.archivable) {
    const bulkResult = z.object({ changed: z.array(record), unchanged: z.array(z.uuid()) });
    for (const [verb, archived] of [
      ['archive', true],
      ['restore', false],
    ] as const) {
      app.post(
        `${base}/:id/${verb}`,
        {
          config: { access: writeAccess },
          schema: {
            tags,
            summary: `${verb === 'archive' ? 'Archive' : 'Restore'} a ${def.labels.singular.toLowerCase()}`,
            params: idParams,
            body: versionBody,
            response: { 200: detail, ...standardErrors },
          },
        },
        async (request, reply) => {
          const body = request.body as { version?: number } | undefined;
          const row = await setEntityArchived(
            serviceContext(request, db),
            def,
            request.params.id,
            archived,
            expectedVersion(request, body?.version),
          );
          reply.header('etag', `"${row.version}"`);
          return present(request, row);
        },
      );

      app.post(
        `${base}/bulk-${verb}`,
        {
          config: { access: writeAccess },
          schema: {
            tags,
            summary: `${verb === 'archive' ? 'Archive' : 'Restore'} several ${def.labels.plural.toLowerCase()}`,
            description: `All or nothing: an unknown id answers 404 naming it, and a record that may not be ${verb === 'archive' ? 'archived' : 'restored'} fails the request naming it; either way nothing changes. Each record is written and audited as by the single-record route. \`changed\` lists the records that changed, \`unchanged\` the ids already in that state.`,
            body: bulkIdsBody,
            response: { 200: bulkResult, ...standardErrors },
          },
        },
        async (request) => {
          const result = await setEntitiesArchived(
            serviceContext(request, db),
            def,
            request.body.ids,
            archived,
          );
          return {
            changed: result.changed.map((row) => def.toRecord(row as never)),
            unchanged: result.unchanged,
          };
        },
      );
    }
  }

  if (def.features.hardDelete) {
    app.delete(
      `${base}/:id`,
      {
        config: { access: access.admin },
        schema: {
          tags,
          summary: `Delete a ${def.labels.singular.toLowerCase()} for good (administrators)`,
          params: idParams,
          response: { 204: z.undefined(), ...standardErrors },
        },
      },
      async (request, reply) => {
        await deleteEntity(
          serviceContext(request, db),
          def,
          request.params.id,
          expectedVersion(request, undefined),
          async (tx, row) => {
            await removeAllLinksOf(tx, def.entityType, row.id);
            await removeAllTagsOf(tx, def.entityType, row.id);
            // Bytes no other record uses are removed once the delete has committed.
            await removeAllAttachmentsOf(tx, def.entityType, row.id, (sha256) =>
              removeFileIfUnreferenced(db, deps.storage, sha256).catch((error: unknown) => {
                request.log.error(
                  { err: loggable(error), sha256 },
                  'could not remove unreferenced attachment bytes',
                );
              }),
            );
          },
        );
        return reply.code(204).send();
      },
    );
  }
}
