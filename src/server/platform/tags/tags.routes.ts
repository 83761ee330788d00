import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { lockRecord } from '../audit/write';
import { getEntity } from '../entities/entity.service';
import type { EntityDefinition } from '../entities/registry';
import { inTransaction } from '../http/context';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { idParams } from '../http/schemas';
import { access } from '../rbac/route-access';
import { appliedTag, setTagsInput, setTagsOf } from './tags.service';

/** `PUT /api/v1/<path>/:id/tags` replaces the entity's tags (not while it is closed to change: `assertWritable`). */
export function registerEntityTagRoutes(root: FastifyInstance, deps: AppDeps, def: EntityDefinition): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  app.put(
    `/api/v1/${def.path}/:id/tags`,
    {
      config: { access: access.write(def.module) },
      schema: {
        tags: [def.labels.plural],
        summary: 'Set the tags',
        params: idParams,
        body: setTagsInput,
        response: { 200: z.object({ data: z.array(appliedTag) }), ...standardErrors },
      },
    },
    async (request) => {
      const data = await inTransaction(serviceContext(request, db), async (tx) => {
        await getEntity(tx, def, request.params.id);
        // A record closed to change (a locked audit) keeps its tags.
        if (def.assertWritable) await def.assertWritable(tx, await lockRecord(tx, def, request.params.id));
        return setTagsOf(tx, def.entityType, request.params.id, request.body.tagIds);
      });
      return { data };
    },
  );
}
