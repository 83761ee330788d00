import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { MAX_PAGE_SIZE } from '../../platform/entities/list-query';
import { notFound } from '../../platform/http/problem';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { idParams } from '../../platform/http/schemas';
import { access } from '../../platform/rbac/route-access';
import { pageTimeline, type TimelineItem, type TimelineRow } from './item-history';

const actor = {
  id: z.uuid(),
  at: z.string(),
  /** Null for changes made by the system (imports, jobs). */
  actorId: z.uuid().nullable(),
  actorName: z.string().nullable(),
};
const custody = {
  userId: z.uuid().nullable(),
  locationId: z.uuid().nullable(),
  /** The asset a peripheral was mounted on; null for assets. */
  assetId: z.uuid().nullable(),
  notes: z.string().nullable(),
};

export const timelineEvent = z
  .discriminatedUnion('kind', [
    z.object({
      ...actor,
      kind: z.enum(['created', 'changed']),
      changes: z.array(z.object({ field: z.string(), oldValue: z.unknown(), newValue: z.unknown() })),
    }),
    z.object({
      ...actor,
      kind: z.literal('check_out'),
      ...custody,
      expectedReturnDate: z.string().nullable(),
    }),
    z.object({ ...actor, kind: z.literal('check_in'), ...custody }),
    z.object({
      ...actor,
      kind: z.literal('maintenance'),
      type: z.string(),
      eventDate: z.string(),
      status: z.string(),
      description: z.string().nullable(),
      assigneeId: z.uuid().nullable(),
    }),
    z.object({
      ...actor,
      kind: z.literal('disposal'),
      disposedOn: z.string(),
      method: z.string(),
      partner: z.string().nullable(),
      proceeds: z.string().nullable(),
      currency: z.string().nullable(),
    }),
  ])
  .meta({ id: 'ItemTimelineEvent' });

const timelinePage = z.object({
  data: z.array(timelineEvent),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});

function toEvent(row: TimelineRow): z.input<typeof timelineEvent> {
  const { details, ...rest } = row;
  return { ...rest, ...details } as z.input<typeof timelineEvent>;
}

/**
 * `GET /api/v1/assets/:id/history` and `GET /api/v1/peripherals/:id/history`: the item's timeline.
 * Their entities opt out of the registry's generic `/history` (`ownHistoryRoute`); the audit trail
 * stays at `/:id/audit-trail`.
 */
export async function registerItemHistoryRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const items: Array<{ item: TimelineItem; type: string; path: string; tag: string; what: string }> = [
    { item: 'asset', type: 'asset', path: 'assets', tag: 'Assets', what: 'Asset' },
    { item: 'peripheral', type: 'peripheral', path: 'peripherals', tag: 'Peripherals', what: 'Peripheral' },
  ];
  for (const { item, type, path, tag, what } of items) {
    // Until an entity opts out, the registry serves its generic history there (two routes would clash).
    const registered = deps.registry.get(type);
    if (registered && !registered.ownHistoryRoute) {
      root.log.warn(`${type}: set ownHistoryRoute on its entity to serve its timeline`);
      continue;
    }
    app.get(
      `/api/v1/${path}/:id/history`,
      {
        config: { access: access.read('core_inventory') },
        schema: {
          tags: [tag],
          summary: `The ${what.toLowerCase()}'s timeline, newest first`,
          description:
            'Field changes (the fields changed by one write grouped as one event; `created` for the first), check-outs and check-ins, maintenance logs and the disposal, each with who (`actorName`) and when. One statement whatever the item holds. The audit trail is at `/:id/audit-trail`.',
          params: idParams,
          querystring: z.strictObject({
            page: z.coerce.number().int().min(1).max(100_000).default(1),
            pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
          }),
          response: { 200: timelinePage, ...standardErrors },
        },
      },
      async (request) => {
        const { page, pageSize } = request.query;
        const result = await pageTimeline(
          serviceContext(request, db),
          item,
          request.params.id,
          page,
          pageSize,
        );
        if (!result.found) throw notFound(what);
        return { data: result.rows.map(toEvent), page, pageSize, total: result.total };
      },
    );
  }
}
