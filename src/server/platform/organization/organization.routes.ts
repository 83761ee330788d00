import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { requiredVersion } from '../entities/entity.routes';
import { inTransaction } from '../http/context';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { access } from '../rbac/route-access';
import {
  type OrganizationSettings,
  organizationInput,
  readOrganization,
  saveOrganization,
} from './organization.service';

const organizationRecord = z
  .object({
    settings: z.object({
      displayName: z.string(),
      legalName: z.string().nullable(),
      taxId: z.string().nullable(),
      primaryDomain: z.string().nullable(),
      emailDomains: z.array(z.string()),
      defaultCurrency: z.string(),
      timeZone: z.string(),
      riskImpactLevels: z.number().int(),
      riskLikelihoodLevels: z.number().int(),
      riskAppetiteMediumFrom: z.number().int(),
      riskAppetiteHighFrom: z.number().int(),
      riskAppetiteCriticalFrom: z.number().int(),
    }),
    /** 0 until the settings are first saved. */
    version: z.number().int(),
    updatedAt: z.string().nullable(),
    updatedBy: z.uuid().nullable(),
  })
  .meta({ id: 'OrganizationSettings' });

function toResponse(value: OrganizationSettings): z.input<typeof organizationRecord> {
  return { ...value, updatedAt: value.updatedAt?.toISOString() ?? null };
}

/** The organisation's settings: everyone signed in reads them, settings writers change them. */
export async function registerOrganizationRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;

  app.get(
    '/api/v1/organization',
    {
      config: { access: access.authenticated },
      schema: {
        tags: ['Organisation'],
        summary: 'The organisation settings',
        description: 'Answers the defaults with version 0 until the settings are first saved.',
        response: { 200: organizationRecord, ...standardErrors },
      },
    },
    async (_request, reply) => {
      const value = await readOrganization(db);
      reply.header('etag', `"${value.version}"`);
      return toResponse(value);
    },
  );

  app.put(
    '/api/v1/organization',
    {
      config: { access: access.write('settings') },
      schema: {
        tags: ['Organisation'],
        summary: 'Save the organisation settings',
        description:
          'Send every field, and the version you read as `If-Match: "<version>"` or a `version` field (0 before the first save); a stale version answers 409 with the current settings.',
        body: organizationInput.safeExtend({ version: z.number().int().min(0).optional() }),
        response: { 200: organizationRecord, ...standardErrors, 428: standardErrors[409] },
      },
    },
    async (request, reply) => {
      const { version, ...input } = request.body;
      const expected = requiredVersion(request, version);
      const saved = await inTransaction(serviceContext(request, db), (ctx) =>
        saveOrganization(ctx, input, expected),
      );
      reply.header('etag', `"${saved.version}"`);
      return toResponse(saved);
    },
  );
}
