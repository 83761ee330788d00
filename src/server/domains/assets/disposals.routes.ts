import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { getEntity } from '../../platform/entities/entity.service';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { idParams } from '../../platform/http/schemas';
import { access } from '../../platform/rbac/route-access';
import { disposalEntity } from './disposals.entity';
import { disposalEditRecord } from './disposals.schemas';
import { listDisposalEdits, MAX_EDITS_PAGE } from './disposals.service';
import type { DisposalHistoryRow } from './disposals.table';

const editsQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_EDITS_PAGE).default(50),
});

function toEditRecord(row: DisposalHistoryRow): z.input<typeof disposalEditRecord> {
  return {
    id: row.id,
    reason: row.reason,
    changes: row.changes,
    changedAt: row.createdAt.toISOString(),
    changedBy: row.createdBy,
  };
}

/** A disposal's edit history with the reason of each edit (the seed's DisposalHistory). */
export async function registerDisposalRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;

  app.get(
    '/api/v1/disposals/:id/edits',
    {
      config: { access: access.read('core_inventory') },
      schema: {
        tags: ['Disposals'],
        summary: 'The edits of a disposal record, each with its reason, newest first',
        description:
          'One entry per edit that changed something: the reason given, the fields changed (`{field: {old, new}}`), when and by whom.',
        params: idParams,
        querystring: editsQuery,
        response: {
          200: z.object({
            data: z.array(disposalEditRecord),
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
      await getEntity(ctx, disposalEntity, request.params.id);
      const { page, pageSize } = request.query;
      const { rows, total } = await listDisposalEdits(ctx, request.params.id, page, pageSize);
      return { data: rows.map(toEditRecord), page, pageSize, total };
    },
  );
}
