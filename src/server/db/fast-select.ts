import { createHash } from 'node:crypto';
import { Column, is, SQL } from 'drizzle-orm';

/**
 * The hot reads (a list page, a record) run through `executeSelect`, which spares them two costs
 * Drizzle pays on every query:
 *
 * - On a PostgreSQL server the query runs as a named prepared statement, so that each connection
 *   parses its text once and PostgreSQL may keep its plan, instead of parsing and planning it on
 *   every request (planning was a fifth of PostgreSQL's time on a list request). The name is derived
 *   from the text, so the same text always has the same name (node-postgres prepares a name once per
 *   connection and refuses a name reused for another text). Statements live as long as their
 *   connection; past MAX_NAMES distinct texts (list queries vary with the filters used, not with
 *   their values) further queries run unnamed, as before.
 * - Rows are mapped by a loop whose decoders are chosen once per query, not once per field of every
 *   row (Drizzle's `mapResultRow` tests each field's class for each row: a tenth of the server's time
 *   on a list page). Only selects without outer joins qualify (no row may turn into null); others
 *   keep Drizzle's mapping.
 *
 * Both reach into Drizzle's prepared query (its `queryString`, `fields`, `queryConfig`); if a
 * driver has another shape, or Drizzle changes it, the query simply runs as Drizzle runs it. The
 * tests pass through here on both drivers.
 */
const MAX_NAMES = 500;
const names = new Set<string>();

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}
interface SelectedField {
  path: string[];
  field: unknown;
}
interface DrizzlePrepared<T> {
  execute(values?: Record<string, unknown>): Promise<T>;
  queryString?: unknown;
  fields?: SelectedField[];
  joinsNotNullableMap?: Record<string, boolean>;
  customResultMapper?: (rows: unknown[][]) => unknown;
  queryConfig?: { name?: string; rowMode?: string };
  rawQueryConfig?: { name?: string };
}

/** The statement name of a query text: the same text always has the same name (none past MAX_NAMES). */
function statementName(text: string): string | undefined {
  const name = `opsdeck_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  if (!names.has(name) && names.size >= MAX_NAMES) return undefined;
  names.add(name);
  return name;
}

interface Preparable<T> {
  prepare(name: string): { execute(values?: Record<string, unknown>): Promise<T> };
}

/** Drizzle's prepared query for `query`, named and given the fast row mapper (see above). */
function prepareSelect<T>(query: Preparable<T>): DrizzlePrepared<T> {
  const prepared = query.prepare('') as DrizzlePrepared<T>;
  const text = prepared.queryString;
  if (
    typeof text === 'string' &&
    prepared.queryConfig &&
    prepared.rawQueryConfig &&
    'name' in prepared.queryConfig
  ) {
    const name = statementName(text);
    if (name) {
      prepared.queryConfig.name = name;
      prepared.rawQueryConfig.name = name;
    }
  }
  const mapper = rowMapper(prepared);
  if (mapper) prepared.customResultMapper = mapper;
  return prepared;
}

export function executeSelect<T>(query: Preparable<T>): Promise<T> {
  return prepareSelect(query).execute();
}

const reused = new WeakMap<object, Map<string, unknown>>();

/** What `prepare` made for `key` on this database handle, made on first use. */
function preparedOnce<P>(db: object, key: string, prepare: () => P): P {
  let byKey = reused.get(db);
  if (!byKey) {
    byKey = new Map();
    reused.set(db, byKey);
  }
  if (!byKey.has(key)) byKey.set(key, prepare());
  return byKey.get(key) as P;
}

/**
 * A read whose text never changes, only its values (Drizzle placeholders, `sql.placeholder('id')`):
 * built, rendered and prepared once per database handle and `key`, then run with new values.
 * Building a query with Drizzle costs more than PostgreSQL takes to answer a read by key (a
 * record's detail ran four such builds: a fifth of the server's time). A transaction is a handle of
 * its own, so its reads run inside it; `key` must name everything `build` depends on besides `db`,
 * and differ from the keys of `queryReusableRows`.
 */
export function executeReusable<T>(
  db: object,
  key: string,
  build: () => Preparable<T>,
  values: Record<string, unknown>,
): Promise<T> {
  return preparedOnce(db, key, () => prepareSelect(build())).execute(values);
}

function rowMapper(prepared: DrizzlePrepared<unknown>): ((rows: unknown[][]) => unknown) | undefined {
  const { fields, joinsNotNullableMap, queryConfig } = prepared;
  if (!Array.isArray(fields) || prepared.customResultMapper || queryConfig?.rowMode !== 'array')
    return undefined;
  if (joinsNotNullableMap && Object.values(joinsNotNullableMap).some((notNull) => !notNull)) return undefined;
  const columns: Array<{ path: string[]; decoder: Decoder }> = [];
  for (const { path, field } of fields) {
    const decoder = is(field, Column)
      ? field
      : is(field, SQL)
        ? (field as unknown as { decoder: Decoder }).decoder
        : ((field as { sql?: { decoder?: Decoder } }).sql?.decoder ?? undefined);
    if (!decoder || path.length === 0) return undefined;
    columns.push({ path, decoder });
  }
  return (rows) =>
    rows.map((row) => {
      const result: Record<string, unknown> = {};
      for (let index = 0; index < columns.length; index++) {
        const { path, decoder } = columns[index]!;
        let node = result;
        for (let depth = 0; depth < path.length - 1; depth++) {
          const key = path[depth]!;
          if (!(key in node)) node[key] = {};
          node = node[key] as Record<string, unknown>;
        }
        const raw = row[index];
        node[path[path.length - 1]!] = raw === null ? null : decoder.mapFromDriverValue(raw);
      }
      return result;
    });
}

interface RawPrepared {
  execute(values: Record<string, unknown>): Promise<unknown>;
}

/**
 * `executeReusable` for raw SQL (what the query builder cannot say): `build` returns SQL whose
 * values are placeholders; it is rendered and prepared once per database handle and `key` (on a
 * server, as a named statement), and run with `values`. Rows come as the driver gives them.
 */
export async function queryReusableRows<T extends Record<string, unknown>>(
  db: object,
  key: string,
  build: () => SQL,
  values: Record<string, unknown>,
): Promise<T[]> {
  const prepared = preparedOnce(db, key, (): RawPrepared => {
    const { session, dialect } = db as {
      session: {
        prepareQuery(
          query: object,
          fields: undefined,
          name: string | undefined,
          arrayMode: boolean,
        ): RawPrepared;
      };
      dialect: { sqlToQuery(sql: SQL): { sql: string; params: unknown[] } };
    };
    const query = dialect.sqlToQuery(build());
    return session.prepareQuery(query, undefined, statementName(query.sql), false);
  });
  return ((await prepared.execute(values)) as { rows: T[] }).rows;
}
