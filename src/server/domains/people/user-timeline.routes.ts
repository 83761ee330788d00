import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { getEntity } from '../../platform/entities/entity.service';
import { listHistory, valuesAt } from '../../platform/history/history';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { dateOrTimestamp, idParams } from '../../platform/http/schemas';
import { access } from '../../platform/rbac/route-access';
import { userHistory } from './user-history.table';
import { userEntity } from './users.entity';

const fieldHistoryEntry = z
  .object({
    id: z.uuid(),
    field: z.string(),
    oldValue: z.unknown(),
    newValue: z.unknown(),
    effectiveAt: z.string(),
    createdBy: z.uuid().nullable(),
  })
  .meta({ id: 'UserFieldHistory' });

/** The person's organisational timeline, and their position at a point in time. */
export async function registerUserTimelineRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  app.get(
    '/api/v1/users/:id/timeline',
    {
      config: { access: access.read('hr_people') },
      schema: {
        tags: ['Users'],
        summary:
          'How department, title, manager, status and location changed; with `at`, the values at that time',
        params: idParams,
        querystring: z.strictObject({ at: dateOrTimestamp.optional() }),
        response: {
          200: z.object({
            data: z.array(fieldHistoryEntry),
            at: z.record(z.string(), z.unknown()).optional(),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await getEntity(ctx, userEntity, request.params.id);
      const rows = await listHistory(ctx, userHistory, request.params.id);
      const data = rows.map((row) => ({
        id: row.id,
        field: row.field,
        oldValue: row.oldValue,
        newValue: row.newValue,
        effectiveAt: row.effectiveAt.toISOString(),
        createdBy: row.createdBy,
      }));
      if (!request.query.at) return { data };
      const at = new Date(
        request.query.at.length === 10 ? `${request.query.at}T23:59:59.999Z` : request.query.at,
      );
      return { data, at: await valuesAt(ctx, userHistory, request.params.id, at) };
    },
  );
}
