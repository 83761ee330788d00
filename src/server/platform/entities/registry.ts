import type { SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { ModuleKey } from '../../../shared/modules';
import type { AuditedTable, EntityTable } from '../audit/write';
import type { ServiceContext } from '../http/context';
import type { RouteAccess } from '../rbac/route-access';
import type { SqlRecord } from './record-json';

/**
 * The entity registry: each entity is declared once, and gets its generic REST routes
 * (list/get/create/update/archive/restore/delete), its place in the OpenAPI document, its
 * links, tags, attachments and custom fields from this declaration. Domain workflows are
 * ordinary services and routes beside it.
 */

export type FilterSpec =
  | { type: 'text'; column: PgColumn }
  /** `column` may be an expression, e.g. a status derived from other columns (see `derived`). */
  | { type: 'enum'; column: PgColumn | SQL; values: readonly [string, ...string[]] }
  | { type: 'boolean'; column: PgColumn }
  | { type: 'uuid'; column: PgColumn }
  /** Accepts `<name>From` and `<name>To` (inclusive, ISO dates). */
  | { type: 'date'; column: PgColumn };

export interface EntityFeatures {
  archivable: boolean;
  customFields: boolean;
  linkable: boolean;
  tagged: boolean;
  attachments: boolean;
  /** Hard delete by administrators; most entities are only archived. */
  hardDelete: boolean;
}

export interface EntityHooks<Row, Create, Update> {
  /** Validates and turns API input into column values; throw `validationFailed` to refuse. */
  beforeCreate?(ctx: ServiceContext, input: Create): Promise<Record<string, unknown>>;
  beforeUpdate?(ctx: ServiceContext, current: Row, input: Update): Promise<Record<string, unknown>>;
  /** Runs in the same transaction after an insert or a real change, archiving and restoring included (not after a no-op). */
  afterWrite?(ctx: ServiceContext, before: Row | null, after: Row): Promise<void>;
  beforeArchive?(ctx: ServiceContext, current: Row): Promise<void>;
  beforeRestore?(ctx: ServiceContext, current: Row): Promise<void>;
  beforeDelete?(ctx: ServiceContext, current: Row): Promise<void>;
  /** Runs in the same transaction once the row is gone (what depended on it is recomputed, say). */
  afterDelete?(ctx: ServiceContext, deleted: Row): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: contracts vary per entity; each definition is fully typed where it is written.
type AnyZodObject = z.ZodObject<any>;

export interface EntityDefinition<
  T extends EntityTable = EntityTable,
  R extends AnyZodObject = AnyZodObject,
  C extends AnyZodObject = AnyZodObject,
  U extends AnyZodObject = AnyZodObject,
> extends AuditedTable<T> {
  /** URL segment under /api/v1, kebab-case plural: `users`. */
  path: string;
  labels: { singular: string; plural: string };
  module: ModuleKey;
  /** Vocabularies (tags) that everybody signed in must be able to read to use. */
  readableByAnyUser?: boolean;
  /**
   * Who may call the generic read routes (list, get), when it is not simply "read on the module":
   * e.g. audits, which external auditors read too. `rowScope` must then narrow what each reads.
   * It opens the record only: its links, tags and attachments stay with readers of the module.
   */
  readAccess?: RouteAccess;
  /**
   * The rows an actor may read, as a SQL condition (undefined: all). Applied by the generic list,
   * get, export and saved views alike, so "may see one" and "may list many" cannot drift apart; a
   * row outside it answers 404, as if it did not exist.
   */
  rowScope?(ctx: ServiceContext): SQL | undefined;
  /**
   * Refuses changes around a record that is closed to change (a locked audit, say): its links,
   * tags and attachments, which the generic sub-resource routes write. Throw a problem (409) that
   * says why. Those routes call it in the writing transaction on the row locked `FOR UPDATE`, so
   * the answer holds until the change commits; the entity's own hooks guard its fields.
   */
  assertWritable?(ctx: ServiceContext, row: T['$inferSelect']): void | Promise<void>;
  /** Response schema: the whitelist of what leaves the server. */
  record: R;
  create: C;
  update: U;
  toRecord(row: T['$inferSelect']): z.input<R>;
  list: {
    sortable: Record<string, PgColumn>;
    defaultSort: string;
    searchable: PgColumn[];
    /**
     * A lower-cased, trigram-indexed column combining the searchable ones (see users.table.ts):
     * when given, free-text search matches it with the index instead of scanning every row.
     */
    searchColumn?: PgColumn;
    filters: Record<string, FilterSpec>;
  };
  /**
   * What a global search hit (`GET /api/v1/search`) shows: its title and an optional second line.
   * Matching is the list's `q` search (`list.searchColumn`, else `list.searchable`); without this
   * declaration the title is the first searchable column, and an entity with none is not searched.
   */
  search?: { title: PgColumn; subtitle?: PgColumn };
  features: EntityFeatures;
  /** Unique constraint name → field it guards, for a 409 that names the field. */
  uniqueConstraints?: Record<string, string>;
  /** Fields holding the id of another entity's record (field → its entity type): pickers and links in the web app. */
  references?: Record<string, string>;
  hooks?: EntityHooks<T['$inferSelect'], z.output<C>, z.output<U>>;
  /**
   * Values computed by SQL with each row (a licence's seats in use, say), field → expression. The
   * generic routes select them with the row, so `toRecord` finds them on it; the write path never
   * sees them (they are not columns, so neither stored nor audited).
   */
  derived?: Record<string, SQL>;
  /**
   * The record is the row's columns (converted as `toRecord` converts them) and these expressions:
   * list pages are then written as JSON by PostgreSQL and sent as they are (see record-json.ts).
   * Only for an entity whose `toRecord` does nothing else; record-json.test.ts holds it to that.
   */
  sqlRecord?: SqlRecord;
  /**
   * The domain serves `GET /<path>/:id/history` itself (e.g. an asset's timeline of field changes,
   * custody and maintenance); the record's audit trail stays at `GET /<path>/:id/audit-trail`.
   */
  ownHistoryRoute?: boolean;
}

export function defineEntity<
  T extends EntityTable,
  R extends AnyZodObject,
  C extends AnyZodObject,
  U extends AnyZodObject,
>(definition: EntityDefinition<T, R, C, U>): EntityDefinition<T, R, C, U> {
  // A version conflict answers with the current record: shaped by the response whitelist, never the raw row.
  return { present: (row) => definition.toRecord(row), ...definition };
}

export class EntityRegistry {
  private readonly byType = new Map<string, EntityDefinition>();

  constructor(definitions: EntityDefinition[]) {
    for (const definition of definitions) {
      if (this.byType.has(definition.entityType))
        throw new Error(`Duplicate entity type ${definition.entityType}`);
      this.byType.set(definition.entityType, definition);
    }
  }

  get(type: string): EntityDefinition | undefined {
    return this.byType.get(type);
  }

  all(): EntityDefinition[] {
    return [...this.byType.values()];
  }

  /** Unique constraint name → field, across all entities, for the error handler. */
  constraintFields(): Map<string, string> {
    const map = new Map<string, string>();
    for (const def of this.byType.values()) {
      for (const [constraint, field] of Object.entries(def.uniqueConstraints ?? {}))
        map.set(constraint, field);
    }
    return map;
  }
}
