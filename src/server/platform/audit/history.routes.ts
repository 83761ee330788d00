import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { getEntity } from '../entities/entity.service';
import type { EntityDefinition } from '../entities/registry';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { idParams } from '../http/schemas';
import { access } from '../rbac/route-access';
import { auditEntry, pageAuditLog } from './audit.routes';
import { auditLog } from './audit.table';

/**
 * `GET /api/v1/<path>/:id/<segment>` (`audit-trail`, and `history` where the domain does not serve
 * a history of its own): the record's audit trail, for anyone who may read the record.
 */
export function registerHistoryRoutes(
  root: FastifyInstance,
  deps: AppDeps,
  def: EntityDefinition,
  segment: 'history' | 'audit-trail',
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  app.get(
    `/api/v1/${def.path}/:id/${segment}`,
    {
      config: { access: def.readableByAnyUser ? access.authenticated : access.read(def.module) },
      schema: {
        tags: [def.labels.plural],
        summary: 'Change history (newest first)',
        params: idParams,
        querystring: z.strictObject({
          page: z.coerce.number().int().min(1).max(100_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({
            data: z.array(auditEntry),
            page: z.number(),
            pageSize: z.number(),
            total: z.number(),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      await getEntity(serviceContext(request, db), def, request.params.id);
      const where = and(eq(auditLog.entityType, def.entityType), eq(auditLog.entityId, request.params.id));
      return pageAuditLog(db, where, request.query.page, request.query.pageSize);
    },
  );
}
