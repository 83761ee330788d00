import { eq, getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { newId } from '../../db/ids';
import { announceTableChanges, noteTablesChanged } from '../../db/table-changes';
import { actorUserId, type ServiceContext } from '../http/context';
import { conflict, notFound } from '../http/problem';
import { type AuditAction, auditLog } from './audit.table';
import { normalize, sameValue } from './canonical';

/**
 * The single write path. Every insert, update, archive, restore and delete of an audited table
 * goes through these functions, which write the audit row in the same transaction
 * (`ctx.db` must be a transaction: see `inTransaction`). A test fails the build if any other
 * file mutates a table directly.
 */

export type EntityTable = PgTable & {
  id: PgColumn;
  version: PgColumn;
  updatedAt: PgColumn;
  updatedBy: PgColumn;
};

type Row = Record<string, unknown> & { id: string; version: number };

export interface AuditedTable<T extends EntityTable = EntityTable> {
  table: T;
  /** Stable type key, e.g. `user`; it is what audit rows and polymorphic links store. */
  entityType: string;
  // Method syntax (not arrow properties) keeps a specific table's descriptor assignable to the generic one.
  /** Human label of a row for the audit log, e.g. the user's name. */
  label(row: T['$inferSelect']): string | null;
  /** Fields whose values never leave the server: redacted in audit diffs. */
  secretFields?: readonly string[];
  /** Shapes a row for the outside world (the 409 body); defaults to the row minus secrets. */
  present?(row: T['$inferSelect']): unknown;
}

export const REDACTED = '[redacted]';
const BOOKKEEPING_FIELDS = new Set(['createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version']);

function trackedFields(def: AuditedTable): string[] {
  // Generated columns (e.g. a search document) are derived by PostgreSQL, not changes anyone made.
  return Object.entries(getTableColumns(def.table))
    .filter(([key, column]) => !BOOKKEEPING_FIELDS.has(key) && !column.generated)
    .map(([key]) => key);
}

function redact(def: AuditedTable, field: string, value: unknown): unknown {
  if (def.secretFields?.includes(field)) return value === null || value === undefined ? null : REDACTED;
  return normalize(value ?? null);
}

function snapshot(def: AuditedTable, row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of trackedFields(def)) out[field] = redact(def, field, row[field]);
  return out;
}

/** `snapshot` of many rows of one table (its audited fields worked out once): for bulk inserts. */
function snapshots(def: AuditedTable, rows: Row[]): Array<Record<string, unknown>> {
  const fields = trackedFields(def);
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const field of fields) out[field] = redact(def, field, row[field]);
    return out;
  });
}

function present(def: AuditedTable, row: Row): unknown {
  if (def.present) return def.present(row as never);
  const out: Record<string, unknown> = { ...row };
  for (const field of def.secretFields ?? []) delete out[field];
  return out;
}

function truncate(value: string | null, max: number): string | null {
  return value && value.length > max ? value.slice(0, max) : value;
}

function auditEntry(
  ctx: ServiceContext,
  def: AuditedTable,
  action: AuditAction,
  row: Row,
  changes: Record<string, unknown>,
): typeof auditLog.$inferInsert {
  const { actor, meta } = ctx;
  return {
    id: newId(),
    occurredAt: new Date(),
    actorId: actorUserId(actor),
    actorLabel: actor.kind === 'anonymous' ? null : actor.label,
    authMethod: actor.kind === 'user' ? actor.authMethod : actor.kind,
    action,
    entityType: def.entityType,
    entityId: row.id,
    entityLabel: truncate(def.label(row as never), 255),
    changes,
    ip: meta.ip,
    userAgent: truncate(meta.userAgent, 512),
    requestId: meta.requestId,
  };
}

async function recordAudit(
  ctx: ServiceContext,
  def: AuditedTable,
  action: AuditAction,
  row: Row,
  changes: Record<string, unknown>,
): Promise<void> {
  await ctx.db.insert(auditLog).values(auditEntry(ctx, def, action, row, changes));
  await tableChanged(ctx, def);
}

/**
 * Every audited change passes here: the table is reported to the transaction, which forgets the
 * list totals counted before once it commits (db/table-changes.ts). A write outside a
 * transaction has committed already.
 */
async function tableChanged(ctx: ServiceContext, def: AuditedTable): Promise<void> {
  const table = getTableName(def.table);
  if (ctx.changedTables) {
    ctx.changedTables.add(table);
    return;
  }
  await announceTableChanges(ctx.db, new Set([table]));
  noteTablesChanged([table]);
}

/**
 * Runs `mutation` and the audit insert as one statement (a data-modifying CTE), so recording the
 * change costs no extra round trip to the database.
 */
async function mutateWithAudit(
  ctx: ServiceContext,
  def: AuditedTable,
  mutation: { getSQL(): SQL },
  entry: typeof auditLog.$inferInsert,
): Promise<void> {
  // getSQL() embeds the statements bare; embedding the builders would parenthesise them.
  const audit = ctx.db.insert(auditLog).values(entry);
  await ctx.db.execute(sql`with "mutation" as (${mutation.getSQL()}) ${audit.getSQL()}`);
  await tableChanged(ctx, def);
}

/**
 * Records an event that changes no row but must be accountable, e.g. revealing a stored secret
 * (`REVEAL`), in the caller's transaction like any other audit row. `details` says what happened;
 * it must never hold the secret itself.
 */
export async function recordEvent<T extends EntityTable>(
  ctx: ServiceContext,
  def: AuditedTable<T>,
  action: Extract<AuditAction, 'REVEAL' | 'EXPORT' | 'VIEW'>,
  row: T['$inferSelect'],
  details: Record<string, unknown>,
): Promise<void> {
  await recordAudit(ctx, def as unknown as AuditedTable, action, row as Row, details);
}

/** Reads a row and locks it until the transaction ends (404 if it does not exist). */
export async function lockRecord<T extends EntityTable>(
  ctx: ServiceContext,
  def: AuditedTable<T>,
  id: string,
): Promise<T['$inferSelect']> {
  return lockRow(ctx, def as unknown as AuditedTable, id) as Promise<T['$inferSelect']>;
}

async function lockRow(ctx: ServiceContext, def: AuditedTable, id: string): Promise<Row> {
  const [row] = await ctx.db.select().from(def.table).where(eq(def.table.id, id)).for('update');
  if (!row) throw notFound(def.entityType);
  return row as Row;
}

/** Throws 409 with the current record when `expectedVersion` is given and stale. */
export function assertVersion(def: AuditedTable, row: Row, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw conflict(
      `This ${def.entityType} was changed by someone else (version ${row.version}, you sent ${expectedVersion}). Reload and reapply your changes.`,
      { current: present(def, row) },
    );
  }
}

export async function insertRecord<T extends EntityTable>(
  ctx: ServiceContext,
  def: AuditedTable<T>,
  values: Omit<
    T['$inferInsert'],
    'id' | 'createdAt' | 'updatedAt' | 'createdBy' | 'updatedBy' | 'version'
  > & {
    id?: string;
  },
): Promise<T['$inferSelect']> {
  const actorId = actorUserId(ctx.actor);
  const [row] = (await ctx.db
    .insert(def.table)
    .values({ id: newId(), ...values, createdBy: actorId, updatedBy: actorId } as T['$inferInsert'])
    .returning()) as Row[];
  await recordAudit(
    ctx,
    def as unknown as AuditedTable,
    'INSERT',
    row!,
    snapshot(def as unknown as AuditedTable, row!),
  );
  return row as T['$inferSelect'];
}

/** Rows per bulk INSERT: a few megabytes of JSON, and bounded memory however many rows there are. */
const BULK_BATCH_ROWS = 2000;
/** Columns whose SQL type is JSON (Drizzle's own, and `jsonValue` from db/columns.ts). */
const JSON_SQL_TYPES = new Set(['json', 'jsonb']);

/** A column's default as an expression of a SELECT list (where DEFAULT cannot be written). */
function defaultExpression(column: PgColumn): SQL {
  const value = column.default;
  if (value === undefined) return sql`null`;
  if (is(value, SQL)) return value;
  return sql`cast(${sql.param(value, column)} as ${sql.raw(column.getSQLType())})`;
}

/**
 * Inserts rows sent as one JSON document (`INSERT … SELECT … FROM json_populate_recordset`):
 * PostgreSQL parses and plans a VALUES list of thousands of bound parameters slowly (PGlite several
 * times slower), one JSON parameter costs little. Columns a row leaves out take their defaults
 * (rows are grouped by the columns they give). Keep batches to `BULK_BATCH_ROWS`.
 */
async function insertAsJson(
  ctx: ServiceContext,
  table: PgTable,
  rows: Array<Record<string, unknown>>,
  returning: boolean,
): Promise<Row[]> {
  // Generated columns (search documents) are PostgreSQL's to fill.
  const columns = Object.entries(getTableColumns(table) as Record<string, PgColumn>).filter(
    ([, column]) => !column.generated,
  );
  const groups = new Map<string, Array<Record<string, unknown>>>();
  for (const row of rows) {
    const json: Record<string, unknown> = {};
    const given: string[] = [];
    for (const [key, column] of columns) {
      let value = row[key];
      if (value === undefined && column.defaultFn) value = column.defaultFn();
      if (value === undefined) continue;
      given.push(key);
      // JSON columns travel as JSON inside the document; the others as their driver value.
      json[column.name] =
        value === null || JSON_SQL_TYPES.has(column.getSQLType()) ? value : column.mapToDriverValue(value);
    }
    const signature = given.join(',');
    const group = groups.get(signature);
    if (group) group.push(json);
    else groups.set(signature, [json]);
  }
  const inserted: Row[] = [];
  for (const [signature, group] of groups) {
    const given = new Set(signature.split(','));
    const select = sql.join(
      columns.map(([key, column]) =>
        given.has(key) ? sql`x.${sql.identifier(column.name)}` : defaultExpression(column),
      ),
      sql`, `,
    );
    const query = ctx.db
      .insert(table)
      .select(
        sql`select ${select} from json_populate_recordset(null::${table}, ${JSON.stringify(group)}::json) as x`,
      );
    if (returning) inserted.push(...((await query.returning()) as Row[]));
    else await query;
  }
  return inserted;
}

function withBookkeeping(ctx: ServiceContext, values: unknown): Row {
  const actorId = actorUserId(ctx.actor);
  return {
    id: newId(),
    ...(values as Record<string, unknown>),
    createdBy: actorId,
    updatedBy: actorId,
  } as unknown as Row;
}

async function auditInserts(ctx: ServiceContext, def: AuditedTable, rows: Row[]): Promise<void> {
  const changes = snapshots(def, rows);
  await insertAsJson(
    ctx,
    auditLog,
    rows.map((row, index) => auditEntry(ctx, def, 'INSERT', row, changes[index]!)),
    false,
  );
  await tableChanged(ctx, def);
}

type BulkValues<T extends EntityTable> = Omit<
  T['$inferInsert'],
  'createdAt' | 'updatedAt' | 'createdBy' | 'updatedBy' | 'version'
>;

/**
 * Inserts many rows, each audited exactly as `insertRecord` audits one, in two statements per
 * batch of rows instead of two per row: what a bulk import of thousands of records needs.
 * Returns the rows (defaults included) in the order given.
 */
export async function insertRecords<T extends EntityTable>(
  ctx: ServiceContext,
  def: AuditedTable<T>,
  valuesList: Array<Omit<BulkValues<T>, 'id'> & { id?: string }>,
): Promise<Array<T['$inferSelect']>> {
  const d = def as unknown as AuditedTable;
  const rows: Row[] = [];
  for (let start = 0; start < valuesList.length; start += BULK_BATCH_ROWS) {
    const prepared = valuesList
      .slice(start, start + BULK_BATCH_ROWS)
      .map((values) => withBookkeeping(ctx, values));
    const byId = new Map((await insertAsJson(ctx, def.table, prepared, true)).map((row) => [row.id, row]));
    const batch = prepared.map((values) => byId.get(values.id)!);
    await auditInserts(ctx, d, batch);
    rows.push(...batch);
  }
  return rows as Array<T['$inferSelect']>;
}

/**
 * Appends many rows the caller does not need back (history rows, say), each audited as
 * `insertRecord` audits one, batch by batch as `rows` yields them (so that memory stays bounded).
 * When a row gives every audited column that has a default, its audit snapshot is exactly the
 * values given and nothing is returned from the database; otherwise the row is read back.
 */
export async function appendRecords<T extends EntityTable>(
  ctx: ServiceContext,
  def: AuditedTable<T>,
  rows: Iterable<Omit<BulkValues<T>, 'id'>>,
): Promise<number> {
  const d = def as unknown as AuditedTable;
  const columns = getTableColumns(def.table) as Record<string, PgColumn>;
  const defaulted = trackedFields(d).filter((field) => field !== 'id' && columns[field]?.hasDefault);
  let count = 0;
  let batch: Row[] = [];
  const flush = async () => {
    const complete = batch.every((row) => defaulted.every((field) => row[field] !== undefined));
    const written = await insertAsJson(ctx, def.table, batch, !complete);
    await auditInserts(ctx, d, complete ? batch : written);
    count += batch.length;
    batch = [];
  };
  for (const values of rows) {
    batch.push(withBookkeeping(ctx, values));
    if (batch.length >= BULK_BATCH_ROWS) await flush();
  }
  if (batch.length > 0) await flush();
  return count;
}

export interface UpdateOptions {
  /** The version the caller read; a different current version answers 409. */
  expectedVersion?: number | undefined;
  /** Audit action to record; ARCHIVE and RESTORE are updates of `isArchived`. */
  action?: Extract<AuditAction, 'UPDATE' | 'ARCHIVE' | 'RESTORE'>;
  /** The row as already read with `lockRecord` in this transaction, to save reading it again. */
  locked?: Record<string, unknown>;
}

/**
 * Applies `patch` if anything actually changes: bumps the version and records
 * `{field: {old, new}}` for the changed fields only. A no-op writes nothing.
 */
export async function updateRecord<T extends EntityTable>(
  ctx: ServiceContext,
  def: AuditedTable<T>,
  id: string,
  patch: Partial<T['$inferInsert']>,
  options: UpdateOptions = {},
): Promise<T['$inferSelect']> {
  const d = def as unknown as AuditedTable;
  const before = (options.locked as Row | undefined) ?? (await lockRow(ctx, d, id));
  assertVersion(d, before, options.expectedVersion);
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  const effective: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined || BOOKKEEPING_FIELDS.has(field) || field === 'id') continue;
    if (sameValue(before[field], value)) continue;
    effective[field] = value;
    changes[field] = { old: redact(d, field, before[field]), new: redact(d, field, value) };
  }
  if (Object.keys(effective).length === 0) return before as T['$inferSelect'];
  // The row is locked, so the new row is known without reading it back.
  const bookkeeping = {
    version: before.version + 1,
    updatedAt: new Date(),
    updatedBy: actorUserId(ctx.actor),
  };
  const after = { ...before, ...effective, ...bookkeeping } as Row;
  const update = ctx.db
    .update(def.table)
    .set({ ...effective, ...bookkeeping } as PgUpdateSetSource<T>)
    .where(eq(def.table.id, id));
  await mutateWithAudit(ctx, d, update, auditEntry(ctx, d, options.action ?? 'UPDATE', after, changes));
  return after as T['$inferSelect'];
}

export async function setArchived<T extends EntityTable & { isArchived: PgColumn }>(
  ctx: ServiceContext,
  def: AuditedTable<T>,
  id: string,
  archived: boolean,
  expectedVersion?: number,
  locked?: Record<string, unknown>,
): Promise<T['$inferSelect']> {
  return updateRecord(ctx, def, id, { isArchived: archived } as Partial<T['$inferInsert']>, {
    expectedVersion,
    action: archived ? 'ARCHIVE' : 'RESTORE',
    locked,
  });
}

export async function deleteRecord<T extends EntityTable>(
  ctx: ServiceContext,
  def: AuditedTable<T>,
  id: string,
  expectedVersion?: number,
  /** The row as already read with `lockRecord` in this transaction. */
  locked?: Record<string, unknown>,
): Promise<T['$inferSelect']> {
  const d = def as unknown as AuditedTable;
  const before = (locked as Row | undefined) ?? (await lockRow(ctx, d, id));
  assertVersion(d, before, expectedVersion);
  await mutateWithAudit(
    ctx,
    d,
    ctx.db.delete(def.table).where(eq(def.table.id, id)),
    auditEntry(ctx, d, 'DELETE', before, snapshot(d, before)),
  );
  return before as T['$inferSelect'];
}
