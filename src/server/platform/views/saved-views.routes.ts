import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { expectedVersion, requiredVersion } from '../entities/entity.routes';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { idParams } from '../http/schemas';
import { access } from '../rbac/route-access';
import {
  MAX_SHARED_VIEWS_LISTED,
  MAX_VIEW_STATE_BYTES,
  MAX_VIEWS_PER_OWNER,
  savedViewCreate,
  savedViewRecord,
  savedViewUpdate,
  toSavedViewRecord,
} from './saved-views.schemas';
import {
  createSavedView,
  deleteSavedView,
  getSavedView,
  listSavedViews,
  updateSavedView,
} from './saved-views.service';
import type { SavedView } from './saved-views.table';

/**
 * `/api/v1/saved-views`: named list states. Open to everyone signed in at the route; the service
 * applies the rules (the entity type must be readable, only the owner or an admin changes a view).
 */
export async function registerSavedViewRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const registry = deps.registry;
  const tags = ['Saved views'];
  const base = '/api/v1/saved-views';
  const entityTypes = registry.all().map((def) => def.entityType) as [string, ...string[]];
  const create = savedViewCreate(entityTypes);

  const present = (request: FastifyRequest, row: SavedView) =>
    toSavedViewRecord(row, {
      id: request.actor.kind === 'user' ? request.actor.id : null,
      admin: request.actor.kind === 'user' && request.actor.role === 'admin',
    });

  app.get(
    base,
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'My views and the shared views of one record type',
        description: `All of the caller's own views of that type (at most ${MAX_VIEWS_PER_OWNER}, the limit a person keeps) and at most ${MAX_SHARED_VIEWS_LISTED} views shared by others (the most recently updated), sorted together by name; not paged. Refused (403) for a record type the caller cannot read.`,
        querystring: z.strictObject({ entityType: z.enum(entityTypes) }),
        response: { 200: z.object({ data: z.array(savedViewRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const rows = await listSavedViews(serviceContext(request, db), registry, request.query.entityType);
      return { data: rows.map((row) => present(request, row)) };
    },
  );

  app.get(
    `${base}/:id`,
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'Get one saved view',
        description:
          "404 for a view the caller cannot see: someone else's private view, or a view of a record type the caller cannot read.",
        params: idParams,
        response: { 200: savedViewRecord, ...standardErrors },
      },
    },
    async (request, reply) => {
      const row = await getSavedView(serviceContext(request, db), registry, request.params.id);
      reply.header('etag', `"${row.version}"`);
      return present(request, row);
    },
  );

  app.post(
    base,
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'Save a view',
        description: `\`state.query\` holds the list's parameters and must be a query the list accepts (else 400 naming \`state.query.<parameter>\`); the state is at most ${MAX_VIEW_STATE_BYTES} bytes, names are unique per owner and record type (409), and one person keeps at most ${MAX_VIEWS_PER_OWNER} views.`,
        body: create,
        response: { 201: savedViewRecord, ...standardErrors },
      },
    },
    async (request, reply) => {
      const row = await createSavedView(serviceContext(request, db), registry, request.body);
      reply.code(201).header('etag', `"${row.version}"`).header('location', `${base}/${row.id}`);
      return present(request, row);
    },
  );

  app.patch(
    `${base}/:id`,
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'Update, rename or share a view (its owner or an administrator)',
        description:
          'Send the version you read, as `If-Match: "<version>"` or a `version` field; a stale version answers 409. A view the caller cannot see (someone else\'s private view, or one of a record type the caller cannot read) answers 404.',
        params: idParams,
        body: savedViewUpdate,
        response: { 200: savedViewRecord, ...standardErrors, 428: standardErrors[409] },
      },
    },
    async (request, reply) => {
      const { version, ...input } = request.body;
      const expected = requiredVersion(request, version);
      const row = await updateSavedView(
        serviceContext(request, db),
        registry,
        request.params.id,
        input,
        expected,
      );
      reply.header('etag', `"${row.version}"`);
      return present(request, row);
    },
  );

  app.delete(
    `${base}/:id`,
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'Delete a view (its owner or an administrator)',
        description:
          'An `If-Match` version, when sent, must be current. The owner may delete their view even after losing read access to its record type; for others such a view is unknown (404).',
        params: idParams,
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await deleteSavedView(
        serviceContext(request, db),
        registry,
        request.params.id,
        expectedVersion(request, undefined),
      );
      return reply.code(204).send();
    },
  );
}
