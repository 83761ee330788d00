import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { ServiceContext } from '../http/context';
import type { ImportAdapter } from './adapter';
import type { ColumnSet } from './columns';
import { inIds, inTuples } from './references';
import type { Problems } from './report';
import { type Row, type RowState, reportProblem } from './rows';

/**
 * Which record each row updates (its key: an asset's tag, else its serial number), and whether
 * unique values hold across the file and the table: one query per key for the whole file.
 */

/** What a key or unique field is compared by: text ignoring case and surrounding spaces, ids as they are. */
function keyPart(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim().toLowerCase();
  return text === '' ? undefined : text;
}

function keyOf(fields: string[], values: Record<string, unknown>): string | undefined {
  const parts = fields.map((field) => keyPart(values[field]));
  return parts.every((part) => part !== undefined) ? parts.join('\u0000') : undefined;
}

const TEXT_COLUMNS = new Set(['PgVarchar', 'PgText', 'PgChar']);
/** The column as its unique index compares it (text indexes are on `lower(…)`). */
function comparable(column: PgColumn): SQL {
  return TEXT_COLUMNS.has(column.columnType) ? sql`lower(${column})` : sql`${column}`;
}

export interface Existing {
  byId: Map<string, Row>;
  byKey: Array<Map<string, Row[]>>;
  byUnique: Map<string, Map<string, Row[]>>;
}

/** The unique fields that are not already a key of their own (a key's lookup finds them too). */
function uniqueOnly(adapter: ImportAdapter): string[] {
  return (adapter.unique ?? []).filter(
    (field) => !adapter.keys.some((k) => k.length === 1 && k[0] === field),
  );
}

/** Existing records any row may match (by any key) or collide with (on a unique field). */
export async function loadExisting(
  ctx: ServiceContext,
  adapter: ImportAdapter,
  rows: RowState[],
): Promise<Existing> {
  const table = adapter.entity.table as PgTable;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const conditions: SQL[] = [];
  const ids = [...new Set(rows.flatMap((state) => (state.id ? [state.id] : [])))];
  if (ids.length > 0) conditions.push(inIds(adapter.entity.table.id, ids));
  for (const key of [...adapter.keys, ...uniqueOnly(adapter).map((field) => [field])]) {
    const tuples = new Map<string, string[]>();
    for (const state of rows) {
      const parts = key.map((field) => keyPart(state.input[field]));
      if (parts.every((part) => part !== undefined)) tuples.set(parts.join('\u0000'), parts as string[]);
    }
    if (tuples.size === 0) continue;
    const expressions = key.map((field) => comparable(columns[field]!));
    const uuid = key.map((field) => columns[field]!.columnType === 'PgUUID');
    conditions.push(inTuples(expressions, [...tuples.values()], uuid));
  }
  const found = new Map<string, Row>();
  // One query per key (usually one or two): each stays a simple index lookup.
  for (const condition of conditions) {
    for (const row of (await ctx.db.select().from(table).where(condition)) as Row[]) found.set(row.id, row);
  }
  const index = (fields: string[]) => {
    const map = new Map<string, Row[]>();
    for (const row of found.values()) {
      const key = keyOf(fields, row);
      if (key === undefined) continue;
      const list = map.get(key);
      if (list) list.push(row);
      else map.set(key, [row]);
    }
    return map;
  };
  return {
    byId: found,
    byKey: adapter.keys.map(index),
    byUnique: new Map((adapter.unique ?? []).map((field) => [field, index([field])])),
  };
}

/** "asset tag", "brand and name": how a message names a key. */
function keyLabel(set: ColumnSet, fields: string[]): string {
  return fields.map((f) => (set.columns.find((c) => c.name === f)?.label ?? f).toLowerCase()).join(' and ');
}

/**
 * Pairs each row with the record it updates: the first key the row fills decides (found or not).
 * A key repeated in the file, or two rows reaching the same record, is a problem of the later row.
 */
export function matchRows(
  adapter: ImportAdapter,
  set: ColumnSet,
  rows: RowState[],
  existing: Existing,
  problems: Problems,
  headerOf: Map<string, string>,
): void {
  const seen = adapter.keys.map(() => new Map<string, number>());
  const claimed = new Map<string, number>();
  const fail = (state: RowState, column: string, message: string) => {
    reportProblem(state, problems, column, column, message);
    state.unmatched = true;
  };
  const singular = adapter.entity.labels.singular.toLowerCase();
  for (const state of rows) {
    // The export's id finds its record first; an id unknown here (another system's) counts for nothing.
    const byId = state.id ? existing.byId.get(state.id) : undefined;
    const keyIndex = adapter.keys.findIndex((fields) => keyOf(fields, state.input) !== undefined);
    let match: Row | undefined = byId;
    let column = headerOf.get('id') ?? 'id';
    if (keyIndex !== -1) {
      const fields = adapter.keys[keyIndex]!;
      const key = keyOf(fields, state.input)!;
      const keyColumn = headerOf.get(fields.at(-1)!) ?? fields.join(', ');
      const earlier = seen[keyIndex]!.get(key);
      if (earlier !== undefined) {
        fail(state, keyColumn, `repeats the ${keyLabel(set, fields)} of row ${earlier}`);
        continue;
      }
      seen[keyIndex]!.set(key, state.row);
      if (!byId) {
        const matches = existing.byKey[keyIndex]!.get(key) ?? [];
        if (matches.length > 1) {
          const plural = adapter.entity.labels.plural.toLowerCase();
          fail(state, keyColumn, `${matches.length} ${plural} have this ${keyLabel(set, fields)}`);
          continue;
        }
        match = matches[0];
        column = keyColumn;
      }
    }
    if (!match) continue;
    const other = claimed.get(match.id);
    if (other !== undefined) {
      fail(state, column, `updates the same ${singular} as row ${other}`);
      continue;
    }
    claimed.set(match.id, state.row);
    state.current = match;
  }
}

/**
 * Unique fields hold across the file and the table as they will be after the import: a value may
 * move from one record to another within the file, but never end up on two.
 */
export function checkUnique(
  adapter: ImportAdapter,
  rows: RowState[],
  existing: Existing,
  problems: Problems,
  headerOf: Map<string, string>,
): void {
  const finalValue = (field: string, state: RowState) =>
    keyPart(field in state.input ? state.input[field] : state.current?.[field]);
  const movers = new Map<string, RowState>();
  for (const state of rows) if (state.current && !state.failed) movers.set(state.current.id, state);
  for (const field of adapter.unique ?? []) {
    const seen = new Map<string, number>();
    const column = headerOf.get(field) ?? field;
    for (const state of rows) {
      if (state.unmatched) continue;
      const value = finalValue(field, state);
      if (value === undefined) continue;
      const earlier = seen.get(value);
      if (earlier !== undefined) {
        reportProblem(state, problems, column, field, `is the same as in row ${earlier}`);
        continue;
      }
      seen.set(value, state.row);
      const taken = (existing.byUnique.get(field)?.get(value) ?? []).find((owner) => {
        if (owner.id === state.current?.id) return false;
        const mover = movers.get(owner.id);
        return !mover || finalValue(field, mover) === value;
      });
      if (taken) {
        const label = adapter.entity.label(taken as never) ?? taken.id;
        const singular = adapter.entity.labels.singular.toLowerCase();
        reportProblem(state, problems, column, field, `is already used by ${singular} ${label}`);
      }
    }
  }
}
