import { and, asc, count, eq, getTableName, inArray, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { executeReusable, executeSelect } from '../../db/fast-select';
import {
  assertVersion,
  deleteRecord,
  type EntityTable,
  insertRecord,
  lockRecord,
  setArchived,
  updateRecord,
} from '../audit/write';
import { loadCustomFieldDefinitions, validateCustomFields } from '../custom-fields/custom-fields.service';
import { inTransaction, type ServiceContext } from '../http/context';
import { badRequest, type FieldError, HttpProblem, notFound, validationFailed } from '../http/problem';
import {
  type BuiltListQuery,
  buildListQuery,
  CUSTOM_FIELD_FILTER_PREFIX,
  type ListQueryBase,
  listQueryBase,
} from './list-query';
import { listTotal, pageAnchors } from './list-totals';
import { recordSourceOf } from './record-json';
import type { EntityDefinition } from './registry';

/** Generic services behind every entity's REST routes. Each takes `(ctx, def, …)`. */

/**
 * A workflow's change to an entity's row (a check-out setting an asset's status and holder): the
 * write path, then the entity's `afterWrite` hook as the generic update runs it (an asset's field
 * history, say), so no workflow can forget it. `locked` is the row read with `lockRecord`.
 */
export async function updateEntityRow<T extends EntityTable>(
  ctx: ServiceContext,
  def: EntityDefinition<T>,
  locked: T['$inferSelect'],
  patch: Partial<T['$inferInsert']>,
  expectedVersion?: number,
): Promise<T['$inferSelect']> {
  const after = await updateRecord(ctx, def, locked.id as string, patch, { expectedVersion, locked });
  if (def.hooks?.afterWrite && after.version !== locked.version)
    await def.hooks.afterWrite(ctx, locked, after);
  return after;
}

type Row = Record<string, unknown> & { id: string; version: number };

export interface ListResult {
  rows: Row[];
  page: number;
  pageSize: number;
  total: number;
}

const BASE_QUERY_KEYS = new Set(Object.keys(listQueryBase.shape));

/** What a generic read selects: the row, and the entity's derived values (see `derived`) beside it. */
export function rowSelection(def: EntityDefinition): { row: PgTable; derived?: Record<string, SQL> } {
  const row = def.table as PgTable;
  return def.derived ? { row, derived: def.derived } : { row };
}

/** A selected row with its derived values merged in, as `toRecord` takes it. */
export function withDerivedValues(selected: { row: unknown; derived?: unknown }): Row {
  return { ...(selected.row as Row), ...(selected.derived as Record<string, unknown> | undefined) };
}

/** A row just written, with its derived values read again (only for entities that have some). */
async function rereadDerived(ctx: ServiceContext, def: EntityDefinition, row: Row): Promise<Row> {
  if (!def.derived) return row;
  const [values] = await ctx.db
    .select(def.derived)
    .from(def.table as PgTable)
    .where(eq(def.table.id, row.id));
  return { ...row, ...values };
}

/** The query parameters a list of `def` takes: the base ones, and one per filter (dates as From/To). */
export function knownQueryKeys(def: EntityDefinition): Set<string> {
  const keys = new Set(BASE_QUERY_KEYS);
  for (const [name, spec] of Object.entries(def.list.filters)) {
    if (spec.type === 'date') {
      keys.add(`${name}From`);
      keys.add(`${name}To`);
    } else keys.add(name);
  }
  return keys;
}

/**
 * The WHERE and ORDER BY of a list request. Unknown parameters, custom fields and sort fields are
 * refused with 400, so a typo never silently widens the result. Shared by the list, the CSV
 * export and saved views (which are checked against the list they restore).
 */
export async function prepareListQuery(
  ctx: ServiceContext,
  def: EntityDefinition,
  query: ListQueryBase & Record<string, unknown>,
): Promise<BuiltListQuery> {
  const known = knownQueryKeys(def);
  const unknown = Object.keys(query).filter(
    (k) => !known.has(k) && !k.startsWith(CUSTOM_FIELD_FILTER_PREFIX),
  );
  if (unknown.length > 0) {
    throw badRequest(
      'Unknown query parameter.',
      unknown.map((path) => ({ path, message: 'is not a filter of this list' })),
    );
  }
  const wantsCustomFilter = Object.keys(query).some((k) => k.startsWith(CUSTOM_FIELD_FILTER_PREFIX));
  const customKeys =
    def.features.customFields && wantsCustomFilter
      ? new Set((await loadCustomFieldDefinitions(ctx.db, def.entityType)).map((d) => d.key))
      : new Set<string>();
  const built = buildListQuery(def, query, customKeys);
  const scope = def.rowScope?.(ctx);
  return scope ? { ...built, where: and(built.where, scope), filtersOnExpression: true } : built;
}

/** A column named with its table (Drizzle leaves a selected expression's columns bare). */
function qualified(column: PgColumn): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}

/**
 * A list request's page: the ids of its rows (an index walk), and the total when it is already
 * known. With `anchored`, a page after one already served seeks past that page's last row instead
 * of skipping every row before it (see `pageAnchors`); the caller then reports the last row it read.
 */
async function listPage(
  ctx: ServiceContext,
  def: EntityDefinition,
  query: ListQueryBase & Record<string, unknown>,
  anchored = false,
) {
  const { where, orderBy, filtersOnExpression, sort } = await prepareListQuery(ctx, def, query);
  const table = def.table as PgTable;
  const filters = filtersOnExpression ? undefined : filtersKey(def, query);
  const cached = filters === undefined ? undefined : listTotal(ctx.db, getTableName(table), filters);
  const offset = (query.page - 1) * query.pageSize;
  const anchors =
    anchored && filters !== undefined && sort.column.notNull
      ? pageAnchors(ctx.db, getTableName(table), `${filters}\u0000${sort.column.name} ${sort.descending}`)
      : undefined;
  const anchor = anchors?.before(offset);
  const seek = anchor
    ? sort.descending
      ? sql`(${sort.column}, ${def.table.id}) < (${anchor.value}, ${anchor.id})`
      : sql`(${sort.column}, ${def.table.id}) > (${anchor.value}, ${anchor.id})`
    : undefined;
  // The page's ids come first from an index alone (a deep page skips index entries, not table
  // rows), then only those rows are read; the total, when not known already, is an uncorrelated
  // subquery computed once (a window count would push every row through the sort).
  const pageIds = ctx.db
    .select({ id: def.table.id })
    .from(table)
    .where(seek ? and(where, seek) : where)
    .orderBy(...orderBy);
  // The page size is written into the text, not passed as a value (a validated integer, and only a
  // handful are in use): a prepared page's generic plan then knows it reads one page, not a tenth
  // of the table, and PostgreSQL may keep it instead of planning each request anew; it does for
  // the next page after one served (a seek, no offset). With an offset as a value it still plans
  // each time, rightly: a generic plan cannot know how far the offset skips.
  if (!Number.isSafeInteger(query.pageSize) || query.pageSize < 1) throw badRequest('Invalid page size.');
  const skip = anchor ? offset - anchor.position - 1 : offset;
  const pageLimit = sql`limit ${sql.raw(String(query.pageSize))}${skip > 0 ? sql` offset ${skip}` : sql``}`;
  return {
    table,
    orderBy,
    inPage: sql`${def.table.id} in (${pageIds} ${pageLimit})`,
    /** The total as a column of the page's query, unless it is known already. */
    totalColumn: (cached?.known === undefined ? { total: ctx.db.$count(table, where) } : {}) as Record<
      string,
      SQL
    >,
    knownTotal: cached?.known,
    /** The total counted on its own (a page past the end has no row to carry it). */
    count: async () => (await ctx.db.select({ total: count() }).from(table).where(where))[0]!.total,
    remember: (total: number) => cached?.remember(total),
    /** With `anchored`: the page's last row as `[sort value as text, id]` in JSON, to select beside the page. */
    lastKey: anchors
      ? sql<
          string | null
        >`(array_agg(json_build_array(${qualified(sort.column)}::text, ${qualified(def.table.id)})::text order by ${sql.join(orderBy, sql`, `)}))[count(*)::int]`
      : undefined,
    /** Keeps where the page's last row stands, from `lastKey`'s value and the number of rows read. */
    rememberLast(lastKey: string | null, rows: number) {
      if (!anchors || !lastKey || rows === 0) return;
      const [value, id] = JSON.parse(lastKey) as [string, string];
      anchors.remember({ position: offset + rows - 1, value, id });
    },
  };
}

export async function listEntities(
  ctx: ServiceContext,
  def: EntityDefinition,
  query: ListQueryBase & Record<string, unknown>,
): Promise<ListResult> {
  const list = await listPage(ctx, def, query);
  // One round trip: the page's rows, each with the total when it is not known.
  const page = await executeSelect(
    ctx.db
      .select({ ...rowSelection(def), ...list.totalColumn })
      .from(list.table)
      .where(list.inPage)
      .orderBy(...list.orderBy),
  );
  const rows = page.map((selected) => withDerivedValues(selected as { row: unknown }));
  let total = list.knownTotal;
  if (total === undefined) {
    const first = page[0] as { total?: unknown } | undefined;
    total = first ? Number(first.total) : query.page === 1 ? 0 : await list.count();
    list.remember(total);
  }
  return { rows: rows as Row[], page: query.page, pageSize: query.pageSize, total };
}

export interface ListJsonResult {
  /** The page's records as a JSON array, written by PostgreSQL. */
  data: string;
  page: number;
  pageSize: number;
  total: number;
}

/**
 * A list page as `listEntities` reads it, for an entity that declares `sqlRecord`: one round trip
 * whose single row holds the page as JSON text (and the total, when it is not known), which the
 * route sends without parsing it. Undefined for other entities.
 */
export async function listEntitiesJson(
  ctx: ServiceContext,
  def: EntityDefinition,
  query: ListQueryBase & Record<string, unknown>,
): Promise<ListJsonResult | undefined> {
  const source = recordSourceOf(def);
  if (!source) return undefined;
  const list = await listPage(ctx, def, query, true);
  const [row] = await executeSelect(
    ctx.db
      .select({
        data: sql<string>`coalesce(json_agg(record order by ${sql.join(list.orderBy, sql`, `)}), '[]')::text`,
        rows: sql<number>`count(*)::int`,
        ...(list.lastKey ? { lastKey: list.lastKey } : {}),
        ...list.totalColumn,
      })
      .from(source)
      .where(list.inPage),
  );
  list.rememberLast((row as { lastKey?: string | null }).lastKey ?? null, Number(row!.rows));
  let total = list.knownTotal;
  if (total === undefined) {
    // An aggregate answers one row even for an empty page, so the total is always there.
    total = Number((row as { total?: unknown }).total);
    list.remember(total);
  }
  return { data: row!.data as string, page: query.page, pageSize: query.pageSize, total };
}

/**
 * What a list's WHERE is made of: everything in its query but the paging and the sort, in a stable
 * order. Without a row scope (which then counts as a filter on an expression), the same filters
 * always make the same condition, so this names the rows a total counts and a page anchor ranks,
 * without rendering the SQL to say so.
 */
function filtersKey(def: EntityDefinition, query: ListQueryBase & Record<string, unknown>): string {
  const { page: _page, pageSize: _size, sort: _sort, ...filters } = query;
  const entries = Object.entries(filters).filter(([, value]) => value !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${def.entityType}\u0000${JSON.stringify(entries)}`;
}

export async function getEntity(ctx: ServiceContext, def: EntityDefinition, id: string): Promise<Row> {
  const select = () => ctx.db.select(rowSelection(def)).from(def.table as PgTable);
  // A scope depends on the caller, so a scoped read is built each time; the others are prepared once.
  const [row] = def.rowScope
    ? await executeSelect(select().where(and(eq(def.table.id, id), def.rowScope(ctx))))
    : await executeReusable(
        ctx.db,
        `entity:${def.entityType}`,
        () => select().where(eq(def.table.id, sql.placeholder('id'))),
        { id },
      );
  if (!row) throw notFound(def.labels.singular);
  return withDerivedValues(row);
}

async function withCustomFields(
  ctx: ServiceContext,
  def: EntityDefinition,
  values: Record<string, unknown>,
  input: Record<string, unknown>,
  current: Row | undefined,
  errors: FieldError[],
): Promise<Record<string, unknown>> {
  if (!def.features.customFields) return values;
  const definitions = await loadCustomFieldDefinitions(ctx.db, def.entityType);
  const supplied = input.customFields as Record<string, unknown> | undefined;
  if (current && supplied === undefined) return values;
  const result = validateCustomFields(
    definitions,
    supplied,
    (current?.customFields as Record<string, unknown> | undefined) ?? {},
  );
  errors.push(...result.errors);
  return { ...values, customFields: result.values };
}

function stripUnset(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

export async function createEntity(
  ctx: ServiceContext,
  def: EntityDefinition,
  input: Record<string, unknown>,
): Promise<Row> {
  return inTransaction(ctx, async (tx) => {
    const errors: FieldError[] = [];
    let values = def.hooks?.beforeCreate ? await def.hooks.beforeCreate(tx, input) : { ...input };
    values = await withCustomFields(tx, def, values, input, undefined, errors);
    if (errors.length > 0) throw validationFailed(errors);
    const row = (await insertRecord(tx, def, stripUnset(values) as never)) as Row;
    if (def.hooks?.afterWrite) await def.hooks.afterWrite(tx, null, row as never);
    return rereadDerived(tx, def, row);
  });
}

export async function updateEntity(
  ctx: ServiceContext,
  def: EntityDefinition,
  id: string,
  input: Record<string, unknown>,
  expectedVersion: number,
): Promise<Row> {
  return inTransaction(ctx, async (tx) => {
    const current = (await lockRecord(tx, def, id)) as Row;
    const errors: FieldError[] = [];
    let values = def.hooks?.beforeUpdate ? await def.hooks.beforeUpdate(tx, current, input) : { ...input };
    values = await withCustomFields(tx, def, values, input, current, errors);
    if (errors.length > 0) throw validationFailed(errors);
    const row = (await updateRecord(tx, def, id, stripUnset(values) as never, {
      expectedVersion,
      locked: current,
    })) as Row;
    if (def.hooks?.afterWrite && row.version !== current.version)
      await def.hooks.afterWrite(tx, current as never, row as never);
    return rereadDerived(tx, def, row);
  });
}

function assertArchivable(def: EntityDefinition): void {
  if (!def.features.archivable)
    throw new HttpProblem(405, 'Method not allowed', `${def.labels.plural} cannot be archived.`);
}

/** Archives or restores a row already locked in this transaction: the entity's hook, then the write path. */
async function setLockedArchived(
  tx: ServiceContext,
  def: EntityDefinition,
  current: Row,
  archived: boolean,
  expectedVersion: number | undefined,
): Promise<Row> {
  const hook = archived ? def.hooks?.beforeArchive : def.hooks?.beforeRestore;
  if (hook) await hook(tx, current);
  const table = def.table as typeof def.table & { isArchived: PgColumn };
  const row = (await setArchived(
    tx,
    { ...def, table },
    current.id,
    archived,
    expectedVersion,
    current,
  )) as Row;
  // Archiving is a change like any other: what follows an entity's writes follows it too.
  if (def.hooks?.afterWrite && row.version !== current.version)
    await def.hooks.afterWrite(tx, current as never, row as never);
  return rereadDerived(tx, def, row);
}

export async function setEntityArchived(
  ctx: ServiceContext,
  def: EntityDefinition,
  id: string,
  archived: boolean,
  expectedVersion: number | undefined,
): Promise<Row> {
  assertArchivable(def);
  return inTransaction(ctx, async (tx) => {
    // Locked before the hooks run, so their checks hold until the change commits.
    const current = (await lockRecord(tx, def, id)) as Row;
    return setLockedArchived(tx, def, current, archived, expectedVersion);
  });
}

export const MAX_BULK_IDS = 200;

export interface BulkArchiveResult {
  /** The records whose state changed, in the order asked for. */
  changed: Row[];
  /** Ids that were already archived (or already active, for a restore). */
  unchanged: string[];
}

/**
 * Archives or restores many records at once, all or nothing: one transaction, every row locked
 * first (in id order, so two overlapping bulks cannot deadlock), then each record exactly as the
 * single-record route does it (its hook, the write path, one audit row). An unknown id answers 404
 * naming it; a record its hook refuses fails the whole request with that record named.
 */
export async function setEntitiesArchived(
  ctx: ServiceContext,
  def: EntityDefinition,
  ids: string[],
  archived: boolean,
): Promise<BulkArchiveResult> {
  assertArchivable(def);
  const wanted = [...new Set(ids)];
  return inTransaction(ctx, async (tx) => {
    const locked = (await tx.db
      .select()
      .from(def.table as PgTable)
      .where(inArray(def.table.id, wanted))
      .orderBy(asc(def.table.id))
      .for('update')) as Row[];
    const byId = new Map(locked.map((row) => [row.id, row]));
    const missing = wanted.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      throw new HttpProblem(
        404,
        'Not found',
        `${missing.length === 1 ? `${def.labels.singular} ${missing[0]} was` : `${def.labels.plural} ${missing.join(', ')} were`} not found; nothing was changed.`,
        missing.map((id) => ({ path: `ids.${ids.indexOf(id)}`, message: `${id} was not found` })),
      );
    }
    const result: BulkArchiveResult = { changed: [], unchanged: [] };
    for (const id of wanted) {
      const current = byId.get(id)!;
      if (current.isArchived === archived) {
        result.unchanged.push(id);
        continue;
      }
      try {
        result.changed.push(await setLockedArchived(tx, def, current, archived, undefined));
      } catch (error) {
        throw naming(error, def, current, ids.indexOf(id));
      }
    }
    return result;
  });
}

/** A refusal of one record of a bulk request, re-stated so that it says which record. */
function naming(error: unknown, def: EntityDefinition, row: Row, index: number): unknown {
  if (!(error instanceof HttpProblem)) return error;
  const label = def.label(row as never) ?? row.id;
  const reason = (error.detail ?? error.title).replace(/\.?$/, '.');
  const path = `ids.${index}`;
  return new HttpProblem(
    error.status,
    error.title,
    `${def.labels.singular} "${label}" (${row.id}): ${reason} Nothing was changed.`,
    error.errors?.length
      ? error.errors.map((e) => ({ path, message: `${e.path}: ${e.message}` }))
      : [{ path, message: reason }],
    error.extra,
  );
}

export async function deleteEntity(
  ctx: ServiceContext,
  def: EntityDefinition,
  id: string,
  expectedVersion: number | undefined,
  cleanUp: (tx: ServiceContext, row: Row) => Promise<void>,
): Promise<Row> {
  if (!def.features.hardDelete) {
    throw new HttpProblem(
      405,
      'Method not allowed',
      `${def.labels.plural} cannot be deleted; archive them instead.`,
    );
  }
  return inTransaction(ctx, async (tx) => {
    // Lock and check the version first, so a stale request removes nothing.
    const current = (await lockRecord(tx, def, id)) as Row;
    assertVersion(def as never, current, expectedVersion);
    if (def.hooks?.beforeDelete) await def.hooks.beforeDelete(tx, current);
    await cleanUp(tx, current);
    const deleted = (await deleteRecord(tx, def, id, undefined, current)) as Row;
    if (def.hooks?.afterDelete) await def.hooks.afterDelete(tx, current as never);
    return deleted;
  });
}
