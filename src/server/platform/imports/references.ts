import { or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { newId } from '../../db/ids';
import { insertRecord } from '../audit/write';
import type { ServiceContext } from '../http/context';
import { HttpProblem } from '../http/problem';
import { canRead } from '../rbac/access';
import type { ImportReference } from './adapter';

/**
 * References by name or id, resolved for the whole file at once: one query per referenced type,
 * never one per row. Missing records may be created, once each however many rows name them,
 * through the referenced entity's own contract, hooks and write path.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `(a, b) IN (the tuples)`, the tuples sent as one JSON parameter: one statement for the whole
 * file, however many values (tens of thousands of bound parameters are slow to plan, and capped).
 */
export function inTuples(expressions: Array<SQL | PgColumn>, tuples: string[][], uuid: boolean[] = []): SQL {
  const parts = expressions.map((_, i) => sql.raw(`(value->>${i})${uuid[i] ? '::uuid' : ''}`));
  return sql`(${sql.join(expressions, sql`, `)}) in (select ${sql.join(parts, sql`, `)} from json_array_elements(${JSON.stringify(tuples)}::json))`;
}

/** `id IN (the ids)`, as one JSON parameter. */
export const inIds = (column: PgColumn, ids: string[]) =>
  inTuples(
    [column],
    ids.map((id) => [id]),
    [true],
  );

interface Candidate {
  id: string;
  name: string;
  isArchived: boolean;
  within: string | null;
}

export type Resolution = { id: string; isArchived: boolean; created?: PendingReference } | { error: string };

export interface PendingReference {
  reference: ImportReference;
  id: string;
  name: string;
  /** The create contract's input; parsed (and its errors reported) before anything is written. */
  input: Record<string, unknown>;
}

/** A reference cell of one row: its text, and where to report a problem with it. */
export interface ReferenceCell {
  rowIndex: number;
  text: string;
}

async function loadCandidates(
  ctx: ServiceContext,
  reference: ImportReference,
  ids: string[],
  names: string[],
): Promise<Candidate[]> {
  const table = reference.target.entity.table;
  const nameColumn = reference.target.nameColumn;
  const isArchived = (table as unknown as Record<string, PgColumn | undefined>).isArchived;
  const selection = {
    id: table.id,
    name: nameColumn,
    isArchived: isArchived ? isArchived : sql<boolean>`false`,
    within: reference.within ? reference.within.column : sql<string | null>`null`,
  };
  const conditions: SQL[] = [];
  if (ids.length > 0) conditions.push(inIds(table.id, ids));
  if (names.length > 0)
    conditions.push(
      inTuples(
        [sql`lower(${nameColumn})`],
        names.map((name) => [name]),
      ),
    );
  return (await ctx.db
    .select(selection)
    .from(table as PgTable)
    .where(or(...conditions))) as unknown as Candidate[];
}

const describe = (reference: ImportReference) => reference.target.entity.labels.singular.toLowerCase();

/**
 * Resolves every cell of one reference column. `withinIds` gives, per row, the id the reference
 * named by `reference.within` resolved to. `pending` collects the records to create (shared by
 * all references, so a brand created for one row is the same record for the next).
 */
export async function resolveReferences(
  ctx: ServiceContext,
  reference: ImportReference,
  cells: ReferenceCell[],
  options: {
    createMissing: boolean;
    withinIds?: (rowIndex: number) => string | null | undefined;
    pending: Map<string, PendingReference>;
  },
): Promise<Map<number, Resolution>> {
  // Finding a record by its name (a person by e-mail) is a search of that type: only for those who
  // may read it, or an import would tell an inventory clerk who works here. Ids work as in the API.
  const mayName = canRead(ctx, reference.target.entity);
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const cell of cells) {
    const text = cell.text.trim();
    if (UUID.test(text)) ids.add(text.toLowerCase());
    else if (mayName) names.add(text.toLowerCase());
  }
  const candidates =
    ids.size + names.size > 0 ? await loadCandidates(ctx, reference, [...ids], [...names]) : [];
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const byName = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const key = candidate.name.toLowerCase();
    const list = byName.get(key);
    if (list) list.push(candidate);
    else byName.set(key, [candidate]);
  }
  const what = describe(reference);
  const results = new Map<number, Resolution>();
  for (const cell of cells) {
    const text = cell.text.trim();
    if (UUID.test(text)) {
      // An id names a record that exists: one this import creates has no id the file could know.
      const found = byId.get(text.toLowerCase());
      results.set(cell.rowIndex, found ? found : { error: `no ${what} has the id ${text}` });
      continue;
    }
    if (!mayName) {
      const label = reference.target.entity.labels.plural.toLowerCase();
      results.set(cell.rowIndex, {
        error: `give the id: matching ${label} by ${reference.target.nameIs ?? 'name'} needs read access to ${label}`,
      });
      continue;
    }
    const withinId = reference.within ? options.withinIds?.(cell.rowIndex) : undefined;
    let matches = byName.get(text.toLowerCase()) ?? [];
    if (reference.within && withinId) matches = matches.filter((m) => m.within === withinId);
    if (matches.length === 1) {
      results.set(cell.rowIndex, matches[0]!);
      continue;
    }
    if (matches.length > 1) {
      const hint = reference.within ? `: add a ${reference.within.reference} column to tell them apart` : '';
      results.set(cell.rowIndex, { error: `${matches.length} ${what}s are named "${text}"${hint}` });
      continue;
    }
    const named = reference.target.nameIs ? `has the ${reference.target.nameIs}` : 'is named';
    if (!options.createMissing || !reference.create) {
      const hint = reference.create ? ' (tick "create missing references" to create it)' : '';
      results.set(cell.rowIndex, { error: `no ${what} ${named} "${text}"${hint}` });
      continue;
    }
    const key = `${reference.field}\u0000${text.toLowerCase()}\u0000${withinId ?? ''}`;
    let pending = options.pending.get(key);
    if (!pending) {
      const input = reference.create(text, withinId ?? null);
      if (typeof input === 'string') {
        results.set(cell.rowIndex, { error: `no ${what} is named "${text}", and ${input}` });
        continue;
      }
      pending = { reference, id: newId(), name: text, input };
      options.pending.set(key, pending);
    }
    results.set(cell.rowIndex, { id: pending.id, isArchived: false, created: pending });
  }
  return results;
}

/** Checks a pending record's input against its entity's create contract: the problem, if any. */
export function checkPendingReference(pending: PendingReference): string | undefined {
  const parsed = pending.reference.target.entity.create.safeParse(pending.input);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return `cannot create ${describe(pending.reference)} "${pending.name}": ${issue?.path.join('.') || 'value'} ${issue?.message ?? 'is invalid'}`;
}

/**
 * Creates the pending records, in the order they were first needed (a brand before the model
 * that belongs to it), each as the API creates one: contract, hooks, write path, audit row.
 */
export async function createPendingReferences(
  ctx: ServiceContext,
  pending: Iterable<PendingReference>,
): Promise<void> {
  for (const record of pending) {
    const entity = record.reference.target.entity;
    const input = entity.create.parse(record.input) as Record<string, unknown>;
    try {
      const values = entity.hooks?.beforeCreate ? await entity.hooks.beforeCreate(ctx, input) : input;
      const row = await insertRecord(ctx, entity, { ...values, id: record.id } as never);
      if (entity.hooks?.afterWrite) await entity.hooks.afterWrite(ctx, null, row as never);
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      throw new HttpProblem(
        error.status,
        error.title,
        `Could not create ${describe(record.reference)} "${record.name}": ${error.detail ?? error.title}`,
        error.errors,
      );
    }
  }
}
