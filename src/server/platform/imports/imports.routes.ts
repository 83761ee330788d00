import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { loggable } from '../http/error-handler';
import { badRequest } from '../http/problem';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { getPreference, setPreference } from '../preferences/preferences.service';
import { canWrite } from '../rbac/access';
import { access } from '../rbac/route-access';
import type { ImportAdapter } from './adapter';
import { DATE_FORMATS } from './coerce';
import { mapHeaders } from './columns';
import { IMPORT_LIMITS, type ImportOptions, importColumnsFor, importCsv, readCsv } from './import.service';
import { MAX_REPORTED_ERRORS } from './report';
import { readUpload } from './upload';

/**
 * CSV import of the entities the composition root lists (src/server/importers.ts):
 * `POST /api/v1/imports/<path>` (`?dryRun=true` to check without writing), the columns it reads,
 * and a preview of a file's headers for the mapping screen. Each needs write access to the
 * entity's module, the dry run too (it is the first half of an import, and it reads the table).
 */

const DELIMITER_NAMES = { ',': ',', ';': ';', tab: '\t', '\t': '\t' } as const;
const MAX_MAPPING_BYTES = 64 * 1024;

const mappingSchema = z
  .record(z.string().max(500), z.string().max(100).nullable())
  .refine((value) => Object.keys(value).length <= IMPORT_LIMITS.maxColumns, {
    message: `must map at most ${IMPORT_LIMITS.maxColumns} columns`,
  });

const optionFields = z.strictObject({
  mapping: z.string().max(MAX_MAPPING_BYTES).optional(),
  delimiter: z.enum([',', ';', 'tab', '\t', 'auto']).optional(),
  dateFormat: z.enum(DATE_FORMATS as ['iso', 'dmy', 'mdy']).optional(),
  createMissingReferences: z.enum(['true', 'false', '1', '0', 'on', 'yes', 'no']).optional(),
});

/** The multipart fields beside the file, checked as strictly as a JSON body would be. */
function importOptions(fields: Record<string, string>): ImportOptions {
  const parsed = optionFields.safeParse(fields);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : 'body'),
      message: issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message,
    }));
    throw badRequest(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  }
  const { mapping, delimiter, dateFormat, createMissingReferences } = parsed.data;
  let parsedMapping: Record<string, string | null> | undefined;
  if (mapping !== undefined && mapping.trim() !== '') {
    let json: unknown;
    try {
      json = JSON.parse(mapping);
    } catch {
      throw badRequest('The mapping is not JSON.', [{ path: 'mapping', message: 'must be a JSON object' }]);
    }
    const checked = mappingSchema.safeParse(json);
    if (!checked.success) {
      throw badRequest('The mapping is invalid.', [
        { path: 'mapping', message: checked.error.issues[0]?.message ?? 'is invalid' },
      ]);
    }
    parsedMapping = checked.data;
  }
  return {
    ...(parsedMapping ? { mapping: parsedMapping } : {}),
    ...(delimiter && delimiter !== 'auto' ? { delimiter: DELIMITER_NAMES[delimiter] } : {}),
    dateFormat: dateFormat ?? 'iso',
    createMissingReferences: ['true', '1', 'on', 'yes'].includes(createMissingReferences ?? 'false'),
  };
}

const headerMapping = z.object({
  header: z.string(),
  field: z.string().nullable(),
  status: z.enum(['mapped', 'ignored', 'read-only', 'unknown', 'duplicate', 'blank']),
});

const reportSchema = z
  .object({
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    errors: z.array(z.object({ row: z.number().int(), column: z.string().nullable(), message: z.string() })),
    errorCount: z.number().int(),
    delimiter: z.string(),
    columns: z.array(headerMapping),
    createdReferences: z.array(z.object({ entityType: z.string(), name: z.string() })),
  })
  .meta({ id: 'ImportReport' });

const columnSchema = z.object({
  name: z.string(),
  label: z.string(),
  kind: z.string(),
  required: z.boolean(),
  values: z.array(z.string()).optional(),
  valueLabels: z.array(z.string()).optional(),
  maxLength: z.number().int().optional(),
  /** The entity type a reference column names (by name or id). */
  reference: z.string().optional(),
  /** Other header names the column answers to by default. */
  aliases: z.array(z.string()),
});

const mappingRecord = z.record(z.string(), z.string().nullable());
const mappingKey = (adapter: ImportAdapter) => `import-mapping:${adapter.entity.path}`;

function userId(request: FastifyRequest): string | undefined {
  return request.actor.kind === 'user' ? request.actor.id : undefined;
}

const dryRunQuery = z.strictObject({ dryRun: z.enum(['true', 'false']).optional() });

export function registerImportRoutes(root: FastifyInstance, deps: AppDeps, adapters: ImportAdapter[]): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Imports'];
  const maxBytes = deps.config.maxUploadBytes;

  app.get(
    '/api/v1/imports',
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'What I may import from CSV',
        response: {
          200: z.object({
            data: z.array(
              z.object({
                entity: z.string(),
                entityType: z.string(),
                labels: z.object({ singular: z.string(), plural: z.string() }),
              }),
            ),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      return {
        data: adapters
          .filter((adapter) => canWrite(ctx, adapter.entity))
          .map(({ entity }) => ({
            entity: entity.path,
            entityType: entity.entityType,
            labels: entity.labels,
          })),
      };
    },
  );

  for (const adapter of adapters) {
    const def = adapter.entity;
    const url = `/api/v1/imports/${def.path}`;
    const plural = def.labels.plural.toLowerCase();

    app.get(
      `${url}/columns`,
      {
        config: { access: access.write(def.module) },
        schema: {
          tags,
          summary: `The columns an import of ${plural} reads, and the mapping I used last`,
          response: {
            200: z.object({
              data: z.object({
                entity: z.string(),
                entityType: z.string(),
                labels: z.object({ singular: z.string(), plural: z.string() }),
                keys: z.array(z.array(z.string())),
                columns: z.array(columnSchema),
                mapping: mappingRecord.nullable(),
                limits: z.object({
                  maxRows: z.number().int(),
                  maxColumns: z.number().int(),
                  maxCellLength: z.number().int(),
                  maxBytes: z.number().int(),
                }),
              }),
            }),
            ...standardErrors,
          },
        },
      },
      async (request) => {
        const ctx = serviceContext(request, db);
        const { set } = await importColumnsFor(ctx, adapter);
        const me = userId(request);
        const remembered = me ? await getPreference(ctx, me, mappingKey(adapter)) : undefined;
        const mapping = mappingRecord.safeParse(remembered?.value);
        return {
          data: {
            entity: def.path,
            entityType: def.entityType,
            labels: def.labels,
            keys: adapter.keys,
            columns: set.columns.map((column) => ({
              name: column.name,
              label: column.label,
              kind: column.kind,
              required: column.required,
              ...(column.values ? { values: column.values, valueLabels: column.valueLabels } : {}),
              ...(column.maxLength !== undefined ? { maxLength: column.maxLength } : {}),
              ...(column.reference ? { reference: column.reference.target.entity.entityType } : {}),
              aliases: [
                ...new Set([
                  column.label,
                  ...(column.reference?.headers ?? []),
                  ...Object.entries(adapter.aliases ?? {})
                    .filter(([, name]) => name === column.name)
                    .map(([alias]) => alias),
                ]),
              ].filter((alias) => alias !== column.name),
            })),
            mapping: mapping.success ? mapping.data : null,
            limits: { ...IMPORT_LIMITS, maxBytes },
          },
        };
      },
    );

    app.post(
      `${url}/preview`,
      {
        config: { access: access.write(def.module) },
        schema: {
          tags,
          summary: `Read a CSV file's headers and first rows (nothing is checked or written)`,
          description:
            'Multipart: `file`, optional `delimiter`, `mapping`. Answers how each header would be mapped, the row count and the first five rows.',
          consumes: ['multipart/form-data'],
          response: {
            200: z.object({
              data: z.object({
                delimiter: z.string(),
                rows: z.number().int(),
                columns: z.array(headerMapping),
                sample: z.array(z.array(z.string())),
              }),
            }),
            413: standardErrors[400],
            415: standardErrors[400],
            ...standardErrors,
          },
        },
      },
      async (request) => {
        const upload = await readUpload(request, maxBytes, MAX_MAPPING_BYTES);
        const options = importOptions(upload.fields);
        const csv = readCsv(upload.bytes, options.delimiter);
        const { set } = await importColumnsFor(serviceContext(request, db), adapter);
        const mapped = mapHeaders(csv.header, set, options.mapping, plural, () => true);
        // A secret column (a licence key) is never sent back, not even the caller's own.
        const hidden = new Set(mapped.columns.flatMap((column, index) => (column?.writeOnly ? [index] : [])));
        return {
          data: {
            delimiter: csv.delimiter,
            rows: csv.records.length,
            columns: mapped.mappings,
            sample: csv.records
              .slice(0, 5)
              .map((record) =>
                record.cells.map((cell, index) => (hidden.has(index) && cell ? '••••••' : cell)),
              ),
          },
        };
      },
    );

    app.post(
      url,
      {
        config: { access: access.write(def.module) },
        schema: {
          tags,
          summary: `Import ${plural} from a CSV file (all rows or none)`,
          description: [
            'Multipart: `file` (CSV), optional `mapping` (JSON: header → column name, or null to leave a column out),',
            '`delimiter` (`,` `;` `tab`, default: detected), `dateFormat` (`iso` default, `dmy`, `mdy`),',
            '`createMissingReferences` (`true`/`false`). `?dryRun=true` checks every row and writes nothing.',
            `A real import with any problem writes nothing and answers 422 with the report in \`data\`. The report lists at most ${MAX_REPORTED_ERRORS} problems (\`errorCount\` counts all).`,
          ].join(' '),
          consumes: ['multipart/form-data'],
          querystring: dryRunQuery,
          response: {
            200: z.object({ data: reportSchema }),
            413: standardErrors[400],
            415: standardErrors[400],
            ...standardErrors,
          },
        },
      },
      async (request) => {
        const upload = await readUpload(request, maxBytes, MAX_MAPPING_BYTES);
        const options = importOptions(upload.fields);
        const dryRun = request.query.dryRun === 'true';
        const ctx = serviceContext(request, db);
        const report = await importCsv({ ctx, adapter, bytes: upload.bytes, options, dryRun });
        const me = userId(request);
        if (!dryRun && me) {
          // The mapping used is remembered for next time; failing to remember it fails nothing.
          await rememberMapping(ctx, me, adapter, report.columns).catch((error: unknown) =>
            request.log.warn({ err: loggable(error) }, 'could not remember the import mapping'),
          );
        }
        return { data: report };
      },
    );
  }
}

async function rememberMapping(
  ctx: ReturnType<typeof serviceContext>,
  user: string,
  adapter: ImportAdapter,
  columns: Array<{ header: string; field: string | null; status: string }>,
): Promise<void> {
  const previous = mappingRecord.safeParse((await getPreference(ctx, user, mappingKey(adapter)))?.value);
  const used = Object.fromEntries(
    columns
      .filter((c) => c.header.trim() !== '' && (c.status === 'mapped' || c.status === 'ignored'))
      .map((c) => [c.header.trim(), c.field]),
  );
  // This file's columns first, then what earlier files used, within the limit.
  const merged = Object.fromEntries(
    Object.entries({ ...used, ...(previous.success ? previous.data : {}), ...used }).slice(
      0,
      IMPORT_LIMITS.maxColumns,
    ),
  );
  await setPreference(ctx, user, mappingKey(adapter), merged);
}
