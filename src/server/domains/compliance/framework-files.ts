import { asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction, type ServiceContext } from '../../platform/http/context';
import { badRequest, type HttpProblem } from '../../platform/http/problem';
import {
  applyOscalProfile,
  parseFrameworkDocument,
  toFrameworkCsv,
  toOscalCatalog,
  toSimpleFrameworkJson,
} from './framework-formats';
import { isObject } from './framework-formats/json-read';
import { parseJsonText } from './framework-formats/json-text';
import type { FrameworkDefinition, FrameworkFormatProblem } from './framework-model';
import { frameworkEntity } from './frameworks.entity';
import { type Framework, frameworkControls, frameworks } from './frameworks.table';
import { type InstallReport, installFramework } from './install-framework';
import { BUILTIN_FRAMEWORKS } from './library';

/** Import and export of framework documents, and the library's catalogue. */

export const FRAMEWORK_FORMATS = ['oscal', 'json', 'csv'] as const;
export type FrameworkFormat = (typeof FRAMEWORK_FORMATS)[number];

export async function libraryEntries(ctx: ServiceContext) {
  const installed = await ctx.db
    .select({ id: frameworks.id, key: frameworks.key })
    .from(frameworks)
    .where(
      inArray(
        frameworks.key,
        BUILTIN_FRAMEWORKS.map((f) => f.key),
      ),
    );
  const idOf = new Map(installed.map((f) => [f.key, f.id]));
  return BUILTIN_FRAMEWORKS.map((framework) => ({
    key: framework.key,
    name: framework.name,
    edition: framework.version ?? null,
    publisher: framework.publisher ?? null,
    description: framework.description ?? null,
    controlCount: framework.controls.filter((c) => c.kind === 'control').length,
    installedId: idOf.get(framework.key) ?? null,
  }));
}

/** A stored framework as a document, for export and for applying an OSCAL profile to it. */
export async function frameworkDefinitionOf(
  ctx: ServiceContext,
  id: string,
): Promise<{ framework: Framework; definition: FrameworkDefinition }> {
  const framework = (await getEntity(ctx, frameworkEntity, id)) as unknown as Framework;
  const parent = alias(frameworkControls, 'parent');
  const rows = await ctx.db
    .select({ control: frameworkControls, parentRefId: parent.refId })
    .from(frameworkControls)
    .leftJoin(parent, eq(parent.id, frameworkControls.parentId))
    .where(eq(frameworkControls.frameworkId, id))
    .orderBy(asc(frameworkControls.position));
  return {
    framework,
    definition: {
      key: framework.key,
      name: framework.name,
      ...(framework.edition ? { version: framework.edition } : {}),
      ...(framework.publisher ? { publisher: framework.publisher } : {}),
      ...(framework.description ? { description: framework.description } : {}),
      controls: rows.map(({ control, parentRefId }) => ({
        refId: control.refId,
        title: control.title,
        ...(control.description ? { description: control.description } : {}),
        ...(control.guidance ? { guidance: control.guidance } : {}),
        ...(parentRefId ? { parentRefId } : {}),
        sortOrder: control.sortOrder,
        kind: control.kind,
        ...(control.withdrawn ? { withdrawn: true } : {}),
        ...(control.sourceId ? { sourceId: control.sourceId } : {}),
      })),
    },
  };
}

function malformed(format: FrameworkFormat, problems: FrameworkFormatProblem[]): HttpProblem {
  const first = problems[0] && { ...problems[0], message: problems[0].message.replace(/\.+$/, '') };
  return badRequest(
    `The document is not a valid ${format === 'oscal' ? 'OSCAL' : format.toUpperCase()} framework${
      first ? `: ${first.path}: ${first.message}` : ''
    }${problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : ''}.`,
    problems.map((p) => ({
      path: p.row ? `row ${p.row}${p.field ? ` ${p.field}` : ''}` : p.path,
      message: p.message,
    })),
  );
}

class DryRunRollback extends Error {
  constructor(readonly report: InstallReport) {
    super('dry run');
  }
}

export interface ImportRequest {
  format: FrameworkFormat;
  document: { bytes?: Uint8Array; json?: unknown };
  catalogId?: string | undefined;
  name?: string | undefined;
  dryRun: boolean;
}

/**
 * Reads the document and installs it; a dry run does everything in a transaction that is rolled
 * back, so its report is exactly what the import would do, and nothing is written.
 */
export async function importFrameworkDocument(
  ctx: ServiceContext,
  request: ImportRequest,
): Promise<InstallReport & { dryRun: boolean; warnings: FrameworkFormatProblem[] }> {
  if (request.format === 'csv' && !request.name) {
    throw badRequest('A CSV file holds controls only: name the framework.', [
      { path: 'name', message: 'is required for a CSV file' },
    ]);
  }
  let json = request.document.json;
  if (request.format === 'oscal' && json === undefined && request.document.bytes) {
    const parsed = parseJsonText(new TextDecoder().decode(request.document.bytes));
    if (!parsed.ok) throw malformed('oscal', [parsed.problem]);
    json = parsed.value;
  }
  const isProfile = request.format === 'oscal' && isObject(json) && 'profile' in json && !('catalog' in json);
  let result: ReturnType<typeof parseFrameworkDocument>;
  if (isProfile) {
    if (!request.catalogId) {
      throw badRequest(
        'An OSCAL profile selects controls from a catalog: give the installed catalog as catalogId.',
        [{ path: 'catalogId', message: 'is required to apply a profile' }],
      );
    }
    const { definition } = await frameworkDefinitionOf(ctx, request.catalogId);
    result = applyOscalProfile(json, definition);
  } else {
    result = parseFrameworkDocument(request.format, {
      ...(json !== undefined ? { json } : {}),
      ...(request.document.bytes && json === undefined ? { bytes: request.document.bytes } : {}),
      ...(request.name ? { name: request.name } : {}),
    });
  }
  if (!result.ok) throw malformed(request.format, result.problems);
  const warnings = result.warnings;
  if (request.name) result.framework.name = request.name;
  if (!request.dryRun) {
    return { ...(await installFramework(ctx, result.framework, 'imported')), dryRun: false, warnings };
  }
  const framework = result.framework;
  try {
    await inTransaction(ctx, async (tx) => {
      throw new DryRunRollback(await installFramework(tx, framework, 'imported'));
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return { ...error.report, dryRun: true, warnings };
    throw error;
  }
  throw new Error('unreachable');
}

export async function exportFramework(ctx: ServiceContext, id: string, format: FrameworkFormat) {
  const { framework, definition } = await frameworkDefinitionOf(ctx, id);
  const base = framework.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'framework';
  if (format === 'csv') {
    return {
      contentType: 'text/csv; charset=utf-8',
      filename: `${base}.csv`,
      body: toFrameworkCsv(definition),
    };
  }
  const document = format === 'oscal' ? toOscalCatalog(definition) : toSimpleFrameworkJson(definition);
  return {
    contentType: 'application/json; charset=utf-8',
    filename: `${base}${format === 'oscal' ? '.oscal' : ''}.json`,
    body: JSON.stringify(document, null, 2),
  };
}
