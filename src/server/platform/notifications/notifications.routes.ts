import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { actorUserId } from '../http/context';
import { unauthorized } from '../http/problem';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { idParams } from '../http/schemas';
import { access } from '../rbac/route-access';
import { listNotifications, MAX_NOTIFICATIONS_PAGE, markRead } from './notifications.service';

const notificationRecord = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    title: z.string(),
    body: z.string().nullable(),
    link: z.string().nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Notification' });

/** The signed-in person's own notifications: read them, mark them read. */
export async function registerNotificationRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Notifications'];
  const me = (request: Parameters<typeof serviceContext>[0]) => {
    const id = actorUserId(request.actor);
    if (!id) throw unauthorized();
    return id;
  };

  app.get(
    '/api/v1/notifications',
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'My notifications, newest first, with how many are unread',
        querystring: z.strictObject({
          unread: z.enum(['true', 'false']).default('false'),
          limit: z.coerce.number().int().min(1).max(MAX_NOTIFICATIONS_PAGE).default(20),
        }),
        response: {
          200: z.object({ data: z.array(notificationRecord), unread: z.number().int() }),
          ...standardErrors,
        },
      },
    },
    async (request) =>
      listNotifications(serviceContext(request, db), me(request), {
        unreadOnly: request.query.unread === 'true',
        limit: request.query.limit,
      }),
  );

  app.post(
    '/api/v1/notifications/:id/read',
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'Mark one of my notifications read',
        params: idParams,
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await markRead(serviceContext(request, db), me(request), [request.params.id]);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/notifications/read-all',
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'Mark all my notifications read',
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await markRead(serviceContext(request, db), me(request));
      return reply.code(204).send();
    },
  );
}
