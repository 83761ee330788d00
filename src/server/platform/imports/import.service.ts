import { asc } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { insertRecords, updateRecord } from '../audit/write';
import { loadCustomFieldDefinitions } from '../custom-fields/custom-fields.service';
import type { CustomFieldDefinition } from '../custom-fields/custom-fields.table';
import { inTransaction, type ServiceContext } from '../http/context';
import { conflict, HttpProblem } from '../http/problem';
import type { ImportAdapter, ImportReference } from './adapter';
import type { DateFormat } from './coerce';
import { type ColumnSet, importColumns, mapHeaders } from './columns';
import {
  CsvLimitError,
  type CsvLimits,
  type Delimiter,
  decodeCsv,
  type ParsedCsv,
  parseCsv,
} from './csv-parser';
import { checkUnique, loadExisting, matchRows } from './matching';
import {
  checkPendingReference,
  createPendingReferences,
  inIds,
  type PendingReference,
  resolveReferences,
} from './references';
import { ImportRefused, type ImportReport, Problems } from './report';
import { checkRow, isEmpty, type Row, type RowState, readRow, reportProblem } from './rows';

/**
 * The CSV import: a file in, every row through the entity's create or update contract, its hooks
 * and custom field rules (the same rules as the API), matched on a stable key so that importing
 * the same file again changes nothing. A dry run stops after checking; a real import writes
 * everything in one transaction, or nothing when any row has a problem.
 */

export const IMPORT_LIMITS: CsvLimits = { maxRows: 50_000, maxColumns: 200, maxCellLength: 10_000 };

export interface ImportOptions {
  /** File header → column name, or null to leave the column out. */
  mapping?: Record<string, string | null>;
  /** Absent: detected from the header line. */
  delimiter?: Delimiter;
  dateFormat: DateFormat;
  createMissingReferences: boolean;
}

/** Reads a file, turning the parser's limits into a 4xx that says which limit and where. */
export function readCsv(bytes: Uint8Array, delimiter: Delimiter | undefined): ParsedCsv {
  if (bytes.length === 0) {
    throw new HttpProblem(400, 'Bad request', 'The file is empty.', [{ path: 'file', message: 'is empty' }]);
  }
  try {
    return parseCsv(decodeCsv(bytes), IMPORT_LIMITS, delimiter);
  } catch (error) {
    if (!(error instanceof CsvLimitError)) throw error;
    throw new HttpProblem(422, 'File too large to import', error.message, [
      { path: 'file', message: error.message },
    ]);
  }
}

/** The columns an import of this entity reads, with its custom fields' definitions. */
export async function importColumnsFor(
  ctx: ServiceContext,
  adapter: ImportAdapter,
): Promise<{ set: ColumnSet; customFields: CustomFieldDefinition[] }> {
  const customFields = adapter.entity.features.customFields
    ? await loadCustomFieldDefinitions(ctx.db, adapter.entity.entityType)
    : [];
  return { set: importColumns(adapter, customFields), customFields };
}

export interface ImportRun {
  ctx: ServiceContext;
  adapter: ImportAdapter;
  bytes: Uint8Array;
  options: ImportOptions;
  dryRun: boolean;
}

/** Checks (dry run) or imports a file; a real import with problems throws `ImportRefused`. */
export async function importCsv({ ctx, adapter, bytes, options, dryRun }: ImportRun): Promise<ImportReport> {
  const csv = readCsv(bytes, options.delimiter);
  if (dryRun) return (await analyse(ctx, adapter, csv, options)).report;
  return inTransaction(ctx, async (tx) => {
    let analysis = await analyse(tx, adapter, csv, options);
    if (analysis.report.errorCount > 0) throw new ImportRefused(analysis.report);
    await lockChanged(tx, adapter, analysis.updates);
    if (adapter.recheckWhenLocked) {
      // Rules that read other rows (a licence's seats in use) are checked again now that the
      // records are locked: what changed between the first check and the lock is seen.
      analysis = await analyse(tx, adapter, csv, options);
      if (analysis.report.errorCount > 0) throw new ImportRefused(analysis.report);
    }
    await write(tx, adapter, analysis);
    return analysis.report;
  });
}

interface Analysis {
  report: ImportReport;
  creates: RowState[];
  updates: RowState[];
  pending: PendingReference[];
}

/** Everything an import would do, and every problem, without writing anything. */
async function analyse(
  ctx: ServiceContext,
  adapter: ImportAdapter,
  csv: ParsedCsv,
  options: ImportOptions,
): Promise<Analysis> {
  const def = adapter.entity;
  const problems = new Problems();
  const { set, customFields } = await importColumnsFor(ctx, adapter);
  const filled = new Set<number>();
  for (const record of csv.records) {
    for (const [i, cell] of record.cells.entries()) if (!isEmpty(cell)) filled.add(i);
  }
  const plural = def.labels.plural.toLowerCase();
  const mapped = mapHeaders(csv.header, set, options.mapping, plural, (i) => filled.has(i));
  for (const problem of mapped.problems) problems.add(1, problem.column, problem.message);
  if (csv.unclosedQuoteRow !== undefined) {
    problems.add(csv.unclosedQuoteRow, null, 'a quoted field is never closed: a quote (") is missing');
  }
  const headerOf = new Map<string, string>();
  for (const [i, column] of mapped.columns.entries())
    if (column) headerOf.set(column.name, csv.header[i]!.trim());
  /** The column a field error is reported under: the file's header for it, else the field's name. */
  const columnFor = (path: string): string => {
    const [first = path, second] = path.split('.');
    const name = first === 'customFields' && second ? `cf.${second}` : first;
    return headerOf.get(name) ?? name;
  };

  const rows = csv.records.map((record, index) =>
    readRow(record, index, csv.header, mapped.columns, options.dateFormat, problems),
  );
  const pending = await resolveAll(ctx, adapter, rows, options, problems, headerOf);
  const existing = await loadExisting(ctx, adapter, rows);
  matchRows(adapter, set, rows, existing, problems, headerOf);
  checkUnique(adapter, rows, existing, problems, headerOf);

  const creates: RowState[] = [];
  const updates: RowState[] = [];
  let unchanged = 0;
  for (const state of rows) {
    if (state.unmatched) continue;
    const errors = await checkRow(ctx, adapter, state, customFields);
    for (const error of errors) problems.add(state.row, columnFor(error.path), error.message);
    if (errors.length > 0 || state.failed) continue;
    if (!state.current) creates.push(state);
    else if (Object.keys(state.values ?? {}).length > 0) updates.push(state);
    else unchanged++;
  }
  return {
    report: {
      rows: rows.length,
      created: creates.length,
      updated: updates.length,
      unchanged,
      // Row by row, as the file reads (each row's problems in the order they were found).
      errors: [...problems.list].sort((a, b) => a.row - b.row),
      errorCount: problems.count,
      delimiter: csv.delimiter,
      columns: mapped.mappings,
      createdReferences: pending.map((p) => ({
        entityType: p.reference.target.entity.entityType,
        name: p.name,
      })),
    },
    creates,
    updates,
    pending,
  };
}

/** References in an order where each comes after the one it is looked up within. */
function orderReferences(references: ImportReference[]): ImportReference[] {
  const ordered: ImportReference[] = [];
  const visit = (reference: ImportReference) => {
    if (ordered.includes(reference)) return;
    const outer = reference.within && references.find((r) => r.field === reference.within?.reference);
    if (outer) visit(outer);
    ordered.push(reference);
  };
  for (const reference of references) visit(reference);
  return ordered;
}

/**
 * Resolves every reference column of the file (one query per referenced type), puts the ids in
 * the rows, and answers the records to create (checked against their create contract).
 */
async function resolveAll(
  ctx: ServiceContext,
  adapter: ImportAdapter,
  rows: RowState[],
  options: ImportOptions,
  problems: Problems,
  headerOf: Map<string, string>,
): Promise<PendingReference[]> {
  const pending = new Map<string, PendingReference>();
  const fail = (state: RowState, field: string, message: string) =>
    reportProblem(state, problems, headerOf.get(field) ?? field, field, message);
  for (const reference of orderReferences(adapter.references ?? [])) {
    if (!headerOf.has(reference.field)) continue;
    const cells = rows.flatMap((state) => {
      const text = state.referenceText[reference.field];
      return text ? [{ rowIndex: state.index, text }] : [];
    });
    const within = reference.within?.reference;
    const resolved = await resolveReferences(ctx, reference, cells, {
      createMissing: options.createMissingReferences,
      pending,
      withinIds: (rowIndex) => (within ? rows[rowIndex]!.references[within] : null),
    });
    for (const state of rows) {
      if (!(reference.field in state.referenceText)) continue;
      const resolution = resolved.get(state.index);
      if (resolution && 'error' in resolution) {
        fail(state, reference.field, resolution.error);
        continue;
      }
      const id = resolution?.id ?? null;
      state.references[reference.field] = id;
      if (resolution) state.resolutions[reference.field] = resolution;
      if (!reference.helper) state.input[reference.field] = id;
    }
  }
  for (const record of pending.values()) {
    const problem = checkPendingReference(record);
    if (!problem) continue;
    for (const state of rows) {
      if (state.references[record.reference.field] === record.id)
        fail(state, record.reference.field, problem);
    }
  }
  return [...pending.values()];
}

/**
 * Locks the records the import changes (in id order, so that two imports cannot deadlock) and
 * makes sure none changed since the rows were checked against them. Only those: locking every
 * matched row would cost a write per unchanged row. A record changed meanwhile answers 409.
 */
async function lockChanged(ctx: ServiceContext, adapter: ImportAdapter, updates: RowState[]): Promise<void> {
  const def = adapter.entity;
  const expected = new Map(updates.map((state) => [state.current!.id, state]));
  if (expected.size === 0) return;
  const locked = (await ctx.db
    .select({ id: def.table.id, version: def.table.version })
    .from(def.table as PgTable)
    .where(inIds(def.table.id, [...expected.keys()]))
    .orderBy(asc(def.table.id))
    .for('update')) as Array<{ id: string; version: number }>;
  const versions = new Map(locked.map((row) => [row.id, row.version]));
  for (const [id, state] of expected) {
    if (versions.get(id) !== state.current!.version) {
      throw conflict(
        `Row ${state.row}: this ${def.labels.singular.toLowerCase()} was changed by someone else during the import; nothing was imported. Run the import again.`,
      );
    }
  }
}

/** Writes an analysed, problem-free import: references, changed records, new records, their hooks. */
async function write(ctx: ServiceContext, adapter: ImportAdapter, analysis: Analysis): Promise<void> {
  const def = adapter.entity;
  await createPendingReferences(ctx, analysis.pending);
  const writes: Array<{ before: Row | null; after: Row }> = [];
  // Updates first, so that a unique value a record gives up is free for the new record taking it.
  for (const state of analysis.updates) {
    const before = state.current!;
    const after = (await updateRecord(ctx, def, before.id, state.values as never, { locked: before })) as Row;
    writes.push({ before, after });
  }
  const created = (await insertRecords(
    ctx,
    def,
    analysis.creates.map((state) => state.values) as never[],
  )) as Row[];
  for (const after of created) writes.push({ before: null, after });
  if (adapter.afterWriteMany) await adapter.afterWriteMany(ctx, writes);
  else if (def.hooks?.afterWrite) {
    for (const { before, after } of writes) await def.hooks.afterWrite(ctx, before as never, after as never);
  }
}
