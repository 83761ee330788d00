import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { systemContext } from '../../bootstrap';
import { getEntity, listEntities } from '../../platform/entities/entity.service';
import { listQuerySchema } from '../../platform/entities/list-query';
import { inTransaction } from '../../platform/http/context';
import { loggable } from '../../platform/http/error-handler';
import { badRequest, notFound } from '../../platform/http/problem';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { idParams } from '../../platform/http/schemas';
import { readUpload } from '../../platform/imports/upload';
import { access } from '../../platform/rbac/route-access';
import {
  complianceLinkCreate,
  complianceLinkRecord,
  createComplianceLink,
  linkableDefinition,
  listComplianceLinks,
  removeComplianceLink,
} from './compliance-links.service';
import { recomputeStatuses } from './control-status';
import { takeDailySnapshotIfDue } from './drift';
import {
  exportFramework,
  FRAMEWORK_FORMATS,
  importFrameworkDocument,
  libraryEntries,
} from './framework-files';
import { controlEntity } from './frameworks.entity';
import { controlRecord } from './frameworks.schemas';
import { frameworks } from './frameworks.table';
import { addMappings, installFramework } from './install-framework';
import { builtinMappingsFor, findBuiltinFramework } from './library';
import { registerMappingRoutes } from './mappings.routes';
import { registerComplianceReportRoutes } from './reports.routes';

const installReport = z
  .object({
    id: z.uuid(),
    name: z.string(),
    key: z.string(),
    controlCount: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    kept: z.number().int(),
    mappings: z.number().int(),
  })
  .meta({ id: 'FrameworkInstallReport' });

const problemItem = z.object({
  path: z.string(),
  row: z.number().int().optional(),
  field: z.string().optional(),
  message: z.string(),
});

const importQuery = z.strictObject({
  format: z.enum(FRAMEWORK_FORMATS),
  dryRun: z.enum(['true', 'false']).default('false'),
  /** For an OSCAL profile: the installed catalog it selects its baseline from. */
  catalogId: z.uuid().optional(),
  /** The framework's name: required for a CSV file (which holds controls only), else it overrides the document's. */
  name: z.string().trim().min(1).max(200).optional(),
});

/** The document of an import: a multipart `file`, or the JSON document as the request body. */
async function importedDocument(
  request: FastifyRequest,
  maxBytes: number,
): Promise<{ bytes?: Uint8Array; json?: unknown }> {
  if (request.isMultipart()) return { bytes: (await readUpload(request, maxBytes, 1024)).bytes };
  if (request.body === undefined || request.body === null) {
    throw badRequest('Send the document as a multipart "file", or as the JSON body.', [
      { path: 'file', message: 'is required' },
    ]);
  }
  return { json: request.body };
}

export async function registerComplianceRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Compliance'];

  app.get(
    '/api/v1/framework-library',
    {
      config: { access: access.read('compliance') },
      schema: {
        tags,
        summary: 'The built-in frameworks, and which are installed',
        response: {
          200: z.object({
            data: z.array(
              z.object({
                key: z.string(),
                name: z.string(),
                edition: z.string().nullable(),
                publisher: z.string().nullable(),
                description: z.string().nullable(),
                controlCount: z.number().int(),
                installedId: z.uuid().nullable(),
              }),
            ),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => ({ data: await libraryEntries(serviceContext(request, db)) }),
  );

  app.post(
    '/api/v1/framework-library/:key/install',
    {
      config: { access: access.write('compliance') },
      schema: {
        tags,
        summary: 'Install a built-in framework (again: update it), with its mappings to those installed',
        params: z.object({ key: z.string().max(100) }),
        response: { 201: z.object({ data: installReport }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const document = findBuiltinFramework(request.params.key);
      if (!document) throw notFound('Built-in framework');
      const report = await inTransaction(serviceContext(request, db), async (tx) => {
        const installed = await installFramework(tx, document, 'builtin');
        const keys = (await libraryEntries(tx)).filter((e) => e.installedId).map((e) => e.key);
        const mappings = await addMappings(tx, builtinMappingsFor(keys));
        return { ...installed, mappings };
      });
      return reply.code(201).send({ data: report });
    },
  );

  app.post(
    '/api/v1/frameworks/import',
    {
      config: { access: access.write('compliance') },
      bodyLimit: deps.config.maxUploadBytes,
      schema: {
        tags,
        summary: 'Import a framework: an OSCAL catalog or profile, a simple JSON document, or a CSV file',
        description:
          'The document is a multipart `file` or the JSON body. `?dryRun=true` answers 200 with the report and writes nothing; otherwise 201. Importing the same document again updates the framework in place (matched by its id, its controls by reference). A malformed document answers 400 with `errors[]` locating each problem.',
        querystring: importQuery,
        response: {
          200: z.object({
            data: installReport.extend({ dryRun: z.literal(true), warnings: z.array(problemItem) }),
          }),
          201: z.object({
            data: installReport.extend({ dryRun: z.literal(false), warnings: z.array(problemItem) }),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const document = await importedDocument(request, deps.config.maxUploadBytes);
      const { format, dryRun, catalogId, name } = request.query;
      const report = await importFrameworkDocument(serviceContext(request, db), {
        format,
        document,
        catalogId,
        name,
        dryRun: dryRun === 'true',
      });
      return reply.code(report.dryRun ? 200 : 201).send({ data: report as never });
    },
  );

  app.get(
    '/api/v1/frameworks/:id/export',
    {
      config: { access: access.read('compliance') },
      schema: {
        tags,
        summary: 'Export a framework as an OSCAL catalog, simple JSON or CSV',
        params: idParams,
        querystring: z.strictObject({ format: z.enum(FRAMEWORK_FORMATS).default('oscal') }),
      },
    },
    async (request, reply) => {
      const file = await exportFramework(
        serviceContext(request, db),
        request.params.id,
        request.query.format,
      );
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.body);
    },
  );

  app.get(
    '/api/v1/frameworks/:id/controls',
    {
      config: { access: access.read('compliance') },
      schema: {
        tags,
        summary: "A framework's controls in tree order, with their live status",
        params: idParams,
        querystring: listQuerySchema(controlEntity).omit({ frameworkId: true }),
        response: {
          200: z.object({
            data: z.array(controlRecord),
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
      const result = await listEntities(ctx, controlEntity, {
        ...(request.query as Record<string, unknown>),
        frameworkId: request.params.id,
      } as never);
      // Controls found means the framework exists; only an empty page needs asking (and not the
      // framework's record, whose statistics aggregate every control).
      if (result.total === 0) {
        const [framework] = await ctx.db
          .select({ id: frameworks.id })
          .from(frameworks)
          .where(eq(frameworks.id, request.params.id));
        if (!framework) throw notFound('Framework');
      }
      return { ...result, data: result.rows.map((row) => controlEntity.toRecord(row as never)) };
    },
  );

  app.get(
    '/api/v1/compliance-links',
    {
      config: { access: access.read('compliance') },
      schema: {
        tags,
        summary: 'Evidence links of a control, or of a record',
        querystring: z.strictObject({
          controlId: z.uuid().optional(),
          linkableType: z.string().max(64).optional(),
          linkableId: z.uuid().optional(),
        }),
        response: { 200: z.object({ data: z.array(complianceLinkRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      const { controlId, linkableType, linkableId } = request.query;
      if (controlId) return { data: await listComplianceLinks(ctx, { controlId }) };
      if (!linkableType || !linkableId) {
        throw badRequest('Give controlId, or linkableType and linkableId.', [
          { path: 'controlId', message: 'or linkableType and linkableId are required' },
        ]);
      }
      const def = linkableDefinition(ctx, linkableType);
      await getEntity(ctx, def, linkableId);
      return { data: await listComplianceLinks(ctx, { linkableType, linkableId }) };
    },
  );

  app.post(
    '/api/v1/compliance-links',
    {
      config: { access: access.write('compliance') },
      schema: {
        tags,
        summary: 'Link a record to a control as evidence, with the justification',
        body: complianceLinkCreate,
        response: { 201: z.object({ data: complianceLinkRecord }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const link = await inTransaction(serviceContext(request, db), (tx) =>
        createComplianceLink(tx, request.body),
      );
      return reply.code(201).send({ data: link });
    },
  );

  app.delete(
    '/api/v1/compliance-links/:id',
    {
      config: { access: access.write('compliance') },
      schema: {
        tags,
        summary: 'Remove an evidence link',
        params: idParams,
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await inTransaction(serviceContext(request, db), (tx) => removeComplianceLink(tx, request.params.id));
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/compliance/recompute',
    {
      config: { access: access.write('compliance') },
      schema: {
        tags,
        summary: 'Recompute every control status now (the scheduled job does it every few minutes)',
        response: {
          200: z.object({ data: z.object({ controls: z.number().int(), ms: z.number() }) }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const started = performance.now();
      const controls = await inTransaction(serviceContext(request, db), (tx) => recomputeStatuses(tx, 'all'));
      return { data: { controls, ms: Math.round(performance.now() - started) } };
    },
  );

  await registerMappingRoutes(app, deps);
  await registerComplianceReportRoutes(app, deps);

  // Evidence expires and linked records are archived or deleted elsewhere: every few minutes the
  // statuses are recomputed whole (well under a second for thousands of controls), and once a day
  // they are photographed for drift reports.
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      const ctx = { ...systemContext(deps.database, 'compliance status'), registry: deps.registry };
      inTransaction(ctx, async (tx) => {
        await recomputeStatuses(tx, 'all');
        await takeDailySnapshotIfDue(tx);
      }).catch((error: unknown) =>
        app.log.error({ err: loggable(error) }, 'recomputing compliance statuses failed'),
      );
    }, STATUS_REFRESH_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}

const STATUS_REFRESH_MS = 5 * 60_000;
