import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FIELD_KINDS } from '../../../shared/entity-meta';
import type { AppDeps } from '../../app';
import { notFound } from '../http/problem';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { canRead, canWrite } from '../rbac/access';
import { access } from '../rbac/route-access';
import { describeEntity, type EntityMeta } from './meta.service';

const fieldDescriptor = z.object({
  name: z.string(),
  label: z.string(),
  kind: z.enum(FIELD_KINDS),
  required: z.boolean(),
  nullable: z.boolean(),
  creatable: z.boolean(),
  updatable: z.boolean(),
  minLength: z.number().optional(),
  maxLength: z.number().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  pattern: z.string().optional(),
  values: z.array(z.string()).optional(),
  reference: z.string().optional(),
  writeOnly: z.boolean().optional(),
  secret: z.boolean().optional(),
});

const entityMeta = z
  .object({
    type: z.string(),
    path: z.string(),
    module: z.string(),
    labels: z.object({ singular: z.string(), plural: z.string() }),
    features: z.object({
      archivable: z.boolean(),
      customFields: z.boolean(),
      linkable: z.boolean(),
      tagged: z.boolean(),
      attachments: z.boolean(),
      hardDelete: z.boolean(),
    }),
    list: z.object({
      defaultSort: z.string(),
      sortable: z.array(z.string()),
      filters: z.array(
        z.object({
          name: z.string(),
          type: z.enum(['text', 'enum', 'boolean', 'uuid', 'date']),
          values: z.array(z.string()).optional(),
        }),
      ),
    }),
    fields: z.array(fieldDescriptor),
    /** What this caller may do with records of this type. */
    abilities: z.object({ create: z.boolean(), update: z.boolean(), hardDelete: z.boolean() }),
  })
  .meta({ id: 'EntityMeta' });

/**
 * `GET /api/v1/meta/entities`: the entity types the caller may read, described from the registry,
 * so the web app can render lists, details and forms (and validate as the user types) without
 * a page per entity.
 */
export async function registerMetaRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const described = new Map<string, EntityMeta>(
    deps.registry.all().map((def) => [def.entityType, describeEntity(def)]),
  );

  const forCaller = (request: Parameters<typeof serviceContext>[0], type: string) => {
    const def = deps.registry.get(type);
    if (!def) return undefined;
    const ctx = serviceContext(request, deps.database.db);
    if (!canRead(ctx, def)) return undefined;
    const writable = canWrite(ctx, def);
    const admin = ctx.actor.kind === 'user' && ctx.actor.role === 'admin';
    return {
      ...described.get(type)!,
      abilities: { create: writable, update: writable, hardDelete: def.features.hardDelete && admin },
    };
  };

  app.get(
    '/api/v1/meta/entities',
    {
      config: { access: access.authenticated },
      schema: {
        tags: ['Metadata'],
        summary: 'The record types you may read, with their fields and list options',
        response: { 200: z.object({ data: z.array(entityMeta) }), ...standardErrors },
      },
    },
    async (request) => ({
      data: [...described.keys()].flatMap((type) => forCaller(request, type) ?? []),
    }),
  );

  app.get(
    '/api/v1/meta/entities/:type',
    {
      config: { access: access.authenticated },
      schema: {
        tags: ['Metadata'],
        summary: 'One record type, with its fields and list options',
        params: z.object({ type: z.string().max(64) }),
        response: { 200: entityMeta, ...standardErrors },
      },
    },
    async (request) => {
      // An unreadable type is answered like an unknown one: its existence is not the caller's business.
      const meta = forCaller(request, request.params.type);
      if (!meta) throw notFound('Record type');
      return meta;
    },
  );
}
