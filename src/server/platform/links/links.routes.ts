import { eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { getEntity } from '../entities/entity.service';
import type { EntityDefinition, EntityRegistry } from '../entities/registry';
import { inTransaction, type ServiceContext } from '../http/context';
import { conflict, HttpProblem } from '../http/problem';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { idParams } from '../http/schemas';
import { canRead } from '../rbac/access';
import { access } from '../rbac/route-access';
import { createLink, findLinkOf, linkCreate, linkRecord, listLinksOf, removeLink } from './links.service';

/**
 * Refuses a link that adds to or takes from a record closed to change (a locked audit), at either
 * end: each such record is locked until commit (in id order, so two requests cannot deadlock) and
 * its `assertWritable` asked. An end that does not exist is left to the link's own validation; the
 * reason is kept from whoever may not read that end.
 */
async function assertEndsWritable(
  tx: ServiceContext,
  registry: EntityRegistry,
  ends: Array<{ type: string | null | undefined; id: string | null | undefined }>,
): Promise<void> {
  const guarded = ends
    .map((end) => ({ def: end.type ? registry.get(end.type) : undefined, id: end.id }))
    .filter((end): end is { def: EntityDefinition; id: string } => !!end.def?.assertWritable && !!end.id)
    .sort((a, b) => a.id.localeCompare(b.id));
  for (const { def, id } of guarded) {
    const table = def.table as PgTable & { id: PgColumn };
    const [row] = await tx.db.select().from(table).where(eq(table.id, id)).for('update');
    if (!row) continue;
    try {
      await def.assertWritable!(tx, row as never);
    } catch (error) {
      if (error instanceof HttpProblem && !canRead(tx, def))
        throw conflict('The record at the other end of this link is closed to change.');
      throw error;
    }
  }
}

/** Links of one entity: `GET/POST /api/v1/<path>/:id/links`, `DELETE …/links/:linkId`. */
export function registerLinkRoutes(root: FastifyInstance, deps: AppDeps, def: EntityDefinition): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const base = `/api/v1/${def.path}/:id/links`;
  const tags = [def.labels.plural];
  const db = deps.database.db;

  app.get(
    base,
    {
      config: { access: def.readableByAnyUser ? access.authenticated : access.read(def.module) },
      schema: {
        tags,
        summary: 'Links in both directions',
        params: idParams,
        response: { 200: z.object({ data: z.array(linkRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await getEntity(ctx, def, request.params.id);
      return { data: await listLinksOf(ctx, deps.registry, def.entityType, request.params.id) };
    },
  );

  app.post(
    base,
    {
      config: { access: access.write(def.module) },
      schema: {
        tags,
        summary: 'Link to another record or to a URL',
        params: idParams,
        body: linkCreate,
        response: { 201: linkRecord, ...standardErrors },
      },
    },
    async (request, reply) => {
      const link = await inTransaction(serviceContext(request, db), async (tx) => {
        await getEntity(tx, def, request.params.id);
        // A target the actor may not read is refused by `createLink` (403), before anything about it shows.
        const target = request.body.targetType ? deps.registry.get(request.body.targetType) : undefined;
        await assertEndsWritable(tx, deps.registry, [
          { type: def.entityType, id: request.params.id },
          ...(target && canRead(tx, target) ? [{ type: target.entityType, id: request.body.targetId }] : []),
        ]);
        return createLink(tx, deps.registry, { def, id: request.params.id }, request.body);
      });
      return reply.code(201).send(link);
    },
  );

  app.delete(
    `${base}/:linkId`,
    {
      config: { access: access.write(def.module) },
      schema: {
        tags,
        summary: 'Remove a link',
        params: idParams.extend({ linkId: z.uuid() }),
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await inTransaction(serviceContext(request, db), async (tx) => {
        await getEntity(tx, def, request.params.id);
        const link = await findLinkOf(tx, def.entityType, request.params.id, request.params.linkId);
        await assertEndsWritable(tx, deps.registry, [
          { type: link.sourceType, id: link.sourceId },
          { type: link.targetType, id: link.targetId },
        ]);
        await removeLink(tx, def.entityType, request.params.id, request.params.linkId);
      });
      return reply.code(204).send();
    },
  );
}
