import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { plainString, shortText } from '../http/schemas';
import { access } from '../rbac/route-access';
import { MAX_SEARCH_PAGE_SIZE, searchableEntities, searchRecords } from './search.service';

export const searchHit = z
  .object({
    type: z.string().describe('Entity type key, e.g. `user`'),
    id: z.uuid(),
    title: z.string(),
    subtitle: z.string().nullable(),
    score: z.number().describe('1 = the title is the query; lower is weaker'),
  })
  .meta({ id: 'SearchHit' });

export const searchTypeCount = z
  .object({
    type: z.string(),
    singular: z.string(),
    plural: z.string(),
    total: z.number().int().describe('Hits of this type across all pages'),
  })
  .meta({ id: 'SearchTypeCount' });

const splitTypes = (value: string) => value.split(',').map((type) => type.trim());

/** The querystring: `types` is checked against the registry, so a typo is a 400, not no results. */
function searchQuery(knownTypes: string[]) {
  return z.strictObject({
    q: shortText(200),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(MAX_SEARCH_PAGE_SIZE).default(20),
    types: plainString()
      .max(500)
      .refine((value) => splitTypes(value).every((type) => knownTypes.includes(type)), {
        message: `must be one or more (comma-separated) of: ${knownTypes.join(', ')}`,
      })
      .optional(),
  });
}

export async function registerSearchRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const knownTypes = searchableEntities(deps.registry).map((def) => def.entityType);

  app.get(
    '/api/v1/search',
    {
      // Open to everyone signed in; the service searches only the modules the caller may read.
      config: { access: access.authenticated },
      schema: {
        tags: ['Search'],
        summary: 'Search every record you may read',
        description:
          'Matches what each list’s `q` finds (case-insensitive substring of its searchable fields), ' +
          'across every entity type the caller may read, archived records excluded. Ranked by score ' +
          '(exact title 1, title prefix 0.9, word prefix 0.8, else 0.7 × the trigram word similarity ' +
          'of the query to the title), ' +
          'then title. `types` gives the hit count per entity type across all pages.',
        querystring: searchQuery(knownTypes),
        response: {
          200: z
            .object({
              data: z.array(searchHit),
              types: z.array(searchTypeCount),
              page: z.number().int(),
              pageSize: z.number().int(),
              total: z.number().int(),
            })
            .meta({ id: 'SearchResults' }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const { q, page, pageSize, types } = request.query;
      return searchRecords(serviceContext(request, db), deps.registry, {
        q,
        page,
        pageSize,
        ...(types ? { types: splitTypes(types) } : {}),
      });
    },
  );
}
