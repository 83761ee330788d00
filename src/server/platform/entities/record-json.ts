import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import { type PgColumn, PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { EntityDefinition } from './registry';

/**
 * An entity's record written as JSON by PostgreSQL, for its list pages.
 *
 * A list page read the usual way costs the server, per row, a parse of every field from the wire,
 * a JS object, `toRecord`'s copy, and the serialiser's walk over it: about a third of its CPU time
 * on a page of 50 assets. An entity whose record is its columns (and a few expressions) declares
 * `sqlRecord`, and its list query then returns the page as one JSON text that is sent as it is.
 *
 * The record's fields come from its response schema, in its order: a field named like a column is
 * that column, converted as `toRecord` converts it (timestamps to ISO 8601 in UTC with
 * milliseconds, dates to YYYY-MM-DD, numerics as strings); any other field must be one of the
 * entity's `computed` expressions. A field whose column type and schema type disagree, or a field
 * with neither column nor expression, is a definition error, thrown when the routes are built.
 * record-json.test.ts holds both ways of writing a record to the same output.
 */

export interface SqlRecord {
  /** Fields that are not columns, each a SQL expression yielding its JSON value. */
  computed?: Record<string, SQL>;
}

const dialect = new PgDialect();
const built = new WeakMap<EntityDefinition, SQL>();

/**
 * The FROM clause of a list page written as JSON: `def`'s table and, beside each row, `record`, its
 * record as a row (`json_agg(record)` makes the page). SQL text with no parameters; memoised.
 */
export function recordSourceOf(def: EntityDefinition): SQL | undefined {
  if (!def.sqlRecord) return undefined;
  let expression = built.get(def);
  if (!expression) {
    expression = buildRecordJson(def, def.sqlRecord);
    built.set(def, expression);
  }
  return expression;
}

function buildRecordJson(def: EntityDefinition, spec: SqlRecord): SQL {
  const table = def.table as PgTable;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const shape = (def.record as z.ZodObject).shape as Record<string, z.ZodType>;
  const keys = Object.keys(shape);
  const fail = (message: string) => new Error(`${def.entityType}: sqlRecord: ${message}`);
  const parts = keys.map((key) => {
    const computed = spec.computed?.[key];
    if (computed) return sql`${computed} as ${sql.identifier(key)}`;
    const column = columns[key];
    if (!column) throw fail(`"${key}" is neither a column nor a computed field`);
    return sql`${columnJson(column, jsonKind(shape[key]!), fail)} as ${sql.identifier(key)}`;
  });
  // A lateral subquery of the record's fields, aliased `record`: a reference to the whole of it is
  // the record as a row, which PostgreSQL turns into JSON with these names (more cheaply and more
  // compactly than json_build_object).
  const { sql: text, params } = dialect.sqlToQuery(
    sql`${table} cross join lateral (select ${sql.join(parts, sql`, `)}) as record`,
  );
  // Rendered once: the expression is the same text on every request, and costs nothing to build.
  if (params.length > 0) throw fail('the expressions must not take parameters');
  return sql.raw(text);
}

type JsonKind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'any';

/** What JSON a schema field holds (nullable and optional unwrapped). */
function jsonKind(schema: z.ZodType): JsonKind {
  let def = schema._zod.def as { type: string; innerType?: z.ZodType };
  while ((def.type === 'nullable' || def.type === 'optional' || def.type === 'default') && def.innerType)
    def = def.innerType._zod.def as typeof def;
  switch (def.type) {
    case 'string':
    case 'enum':
    case 'literal':
      return 'string';
    case 'number':
    case 'int':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'record':
    case 'object':
      return 'object';
    case 'array':
      return 'array';
    default:
      return 'any';
  }
}

function columnJson(column: PgColumn, kind: JsonKind, fail: (message: string) => Error): SQL {
  const expect = (...kinds: JsonKind[]) => {
    if (kind !== 'any' && !kinds.includes(kind))
      throw fail(`"${column.name}" is a ${column.columnType} column but its field is ${kind}`);
  };
  switch (column.columnType) {
    case 'PgUUID':
    case 'PgText':
    case 'PgVarchar':
    case 'PgChar':
    case 'PgEnumColumn':
      expect('string');
      return sql`${column}`;
    case 'PgInteger':
    case 'PgSmallInt':
    case 'PgSerial':
    case 'PgSmallSerial':
    case 'PgDoublePrecision':
    case 'PgReal':
      expect('number');
      return sql`${column}`;
    case 'PgBoolean':
      expect('boolean');
      return sql`${column}`;
    case 'PgNumeric':
      expect('string');
      return sql`${column}::text`;
    case 'PgDateString':
      expect('string');
      return sql`to_char(${column}, 'YYYY-MM-DD')`;
    case 'PgTimestamp':
      // Date.prototype.toISOString: UTC, milliseconds (PostgreSQL's microseconds truncated, as a JS Date does).
      expect('string');
      return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    case 'PgJsonb':
    case 'PgJson':
    case 'PgCustomColumn':
      if (column.getSQLType() !== 'jsonb' && column.getSQLType() !== 'json')
        throw fail(`"${column.name}" has the type ${column.getSQLType()}, which has no JSON form here`);
      return sql`${column}`;
    case 'PgArray':
      expect('array');
      return sql`to_json(${column})`;
    default:
      throw fail(`"${column.name}" is a ${column.columnType} column, which has no JSON form here`);
  }
}
