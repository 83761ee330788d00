import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { getEntity } from '../entities/entity.service';
import type { EntityDefinition } from '../entities/registry';
import { inTransaction } from '../http/context';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { idParams } from '../http/schemas';
import { access } from '../rbac/route-access';
import { createLink, linkCreate, linkRecord, listLinksOf, removeLink } from './links.service';

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
      await inTransaction(serviceContext(request, db), (tx) =>
        removeLink(tx, def.entityType, request.params.id, request.params.linkId),
      );
      return reply.code(204).send();
    },
  );
}
