import type { PgColumn } from 'drizzle-orm/pg-core';
import type { EntityDefinition } from '../entities/registry';
import type { ServiceContext } from '../http/context';
import type { FieldError } from '../http/problem';

/**
 * What the CSV importer needs to know of an entity beyond its registry declaration: how a row
 * finds the record it updates, which columns name other records, and friendlier column names.
 * Domains declare one per importable entity; `src/server/importers.ts` lists them.
 */

type Row = Record<string, unknown> & { id: string; version: number };

export interface ReferenceTarget {
  /** The referenced entity: its table, labels, create contract and hooks. */
  entity: EntityDefinition;
  /** The column a name is looked up in, ignoring case (a location's name, a person's e-mail). */
  nameColumn: PgColumn;
  /** What that column holds, when not a name: "e-mail" says "no user has the e-mail …". */
  nameIs?: string;
}

export interface ImportReference {
  /** The record's field that receives the id (`locationId`), or a helper column's name (`brand`). */
  field: string;
  /** A helper column: resolved and checked like the others, but not a field of the record. */
  helper?: { label: string };
  target: ReferenceTarget;
  /** Header names that also mean this column (compared ignoring case, spaces and punctuation). */
  headers?: string[];
  /**
   * Looks the name up among the target's records whose `column` holds the id another reference
   * of the same row resolved to (a model's name within its brand).
   */
  within?: { reference: string; column: PgColumn };
  /**
   * The create contract's input for a missing record, when the user asks for missing references
   * to be created; a string explains why it cannot be. Absent: such records are never created.
   */
  create?(name: string, withinId: string | null): Record<string, unknown> | string;
  /**
   * The entity's hooks only check that this reference exists and is not archived, which the
   * importer does for all rows in one query: the field is withheld from them, saving a query per row.
   */
  checkedInBulk?: boolean;
}

export interface RowRuleInput {
  /** The row's values as the contract parsed them. */
  input: Record<string, unknown>;
  /** The record the row updates; undefined for a new one. */
  current: Row | undefined;
  /** Ids the reference columns resolved to (helper columns included); null for an empty cell. */
  references: Record<string, string | null>;
}

export interface ImportAdapter {
  entity: EntityDefinition;
  /**
   * How a row finds the record it updates: the first key whose fields the row fills decides
   * (an asset's tag, else its serial number). Text is compared ignoring case.
   */
  keys: string[][];
  /** Fields unique across records besides the keys, checked across the file and the table. */
  unique?: string[];
  /** Money fields ("$1,234.56", "1.234,56 €"). */
  amounts?: string[];
  references?: ImportReference[];
  /** Header name → field, for names people use that are neither the field's name nor its label. */
  aliases?: Record<string, string>;
  /** Rules an import adds to the entity's own (e.g. what only a workflow may change). */
  rules?(row: RowRuleInput): FieldError[];
  /**
   * Does what the entity's `afterWrite` hook does for many records at once (e.g. their history
   * rows in a few statements); without it the hook runs once per written record.
   */
  afterWriteMany?(ctx: ServiceContext, writes: Array<{ before: Row | null; after: Row }>): Promise<void>;
  /**
   * The entity's rules read other rows that change without changing the record's version (a
   * licence's seats in use): a real import checks its rows again once the records are locked.
   */
  recheckWhenLocked?: boolean;
}

export function defineImportAdapter(adapter: ImportAdapter): ImportAdapter {
  return adapter;
}
