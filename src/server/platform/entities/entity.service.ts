import { eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import {
  assertVersion,
  deleteRecord,
  insertRecord,
  lockRecord,
  setArchived,
  updateRecord,
} from '../audit/write';
import { loadCustomFieldDefinitions, validateCustomFields } from '../custom-fields/custom-fields.service';
import { inTransaction, type ServiceContext } from '../http/context';
import { badRequest, type FieldError, HttpProblem, notFound, validationFailed } from '../http/problem';
import { buildListQuery, CUSTOM_FIELD_FILTER_PREFIX, type ListQueryBase, listQueryBase } from './list-query';
import type { EntityDefinition } from './registry';

/** Generic services behind every entity's REST routes. Each takes `(ctx, def, …)`. */

type Row = Record<string, unknown> & { id: string; version: number };

export interface ListResult {
  rows: Row[];
  page: number;
  pageSize: number;
  total: number;
}

const BASE_QUERY_KEYS = new Set(Object.keys(listQueryBase.shape));

function knownQueryKeys(def: EntityDefinition): Set<string> {
  const keys = new Set(BASE_QUERY_KEYS);
  for (const [name, spec] of Object.entries(def.list.filters)) {
    if (spec.type === 'date') {
      keys.add(`${name}From`);
      keys.add(`${name}To`);
    } else keys.add(name);
  }
  return keys;
}

export async function listEntities(
  ctx: ServiceContext,
  def: EntityDefinition,
  query: ListQueryBase & Record<string, unknown>,
): Promise<ListResult> {
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
  const { where, orderBy } = buildListQuery(def, query, customKeys);
  const table = def.table as PgTable;
  // One round trip: the page walks an index and stops after `pageSize` rows, while the total is
  // an uncorrelated subquery computed once (a window count would push every row through the sort).
  const page = await ctx.db
    .select({ row: table, total: ctx.db.$count(table, where) })
    .from(table)
    .where(where)
    .orderBy(...orderBy)
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const rows = page.map((r) => r.row);
  const total = page[0] ? Number(page[0].total) : query.page === 1 ? 0 : await ctx.db.$count(table, where);
  return { rows: rows as Row[], page: query.page, pageSize: query.pageSize, total };
}

export async function getEntity(ctx: ServiceContext, def: EntityDefinition, id: string): Promise<Row> {
  const [row] = await ctx.db
    .select()
    .from(def.table as PgTable)
    .where(eq(def.table.id, id));
  if (!row) throw notFound(def.labels.singular);
  return row as Row;
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
    return row;
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
    return row;
  });
}

export async function setEntityArchived(
  ctx: ServiceContext,
  def: EntityDefinition,
  id: string,
  archived: boolean,
  expectedVersion: number | undefined,
): Promise<Row> {
  if (!def.features.archivable)
    throw new HttpProblem(405, 'Method not allowed', `${def.labels.plural} cannot be archived.`);
  return inTransaction(ctx, async (tx) => {
    // Locked before the hooks run, so their checks hold until the change commits.
    const current = (await lockRecord(tx, def, id)) as Row;
    const hook = archived ? def.hooks?.beforeArchive : def.hooks?.beforeRestore;
    if (hook) await hook(tx, current);
    const table = def.table as typeof def.table & { isArchived: PgColumn };
    return (await setArchived(tx, { ...def, table }, id, archived, expectedVersion, current)) as Row;
  });
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
    return (await deleteRecord(tx, def, id, undefined, current)) as Row;
  });
}
