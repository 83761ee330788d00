import type { FieldKind } from '../../../shared/entity-meta';
import type { CustomFieldDefinition } from '../custom-fields/custom-fields.table';
import { badRequest } from '../http/problem';
import { describeEntity, humanize } from '../meta/meta.service';
import type { ImportAdapter, ImportReference } from './adapter';

/**
 * The columns an import reads for an entity, and which header of a file means which of them.
 * By default a file's headers are the CSV export's own (API field names, `cf.<key>` for custom
 * fields); labels ("Asset tag"), the adapter's aliases and reference names (`location`) work too.
 */

export type ColumnKind = FieldKind | 'amount' | 'reference';

export interface ImportColumn {
  /**
   * The field name, `cf.<key>` for a custom field, a helper reference column (`brand`), or `id`:
   * the record's own id, as the export writes it, which finds the record before any key does.
   */
  name: string;
  label: string;
  kind: ColumnKind;
  /** Must hold a value for a new record. */
  required: boolean;
  /** An empty cell clears the value (else an empty cell leaves it as it is). */
  nullable: boolean;
  /** Enum values (or a select custom field's options) and how people write them. */
  values?: string[];
  valueLabels?: string[];
  maxLength?: number;
  /** A secret that is sent, never shown (a licence key): an empty cell leaves it as it is. */
  writeOnly?: boolean;
  reference?: ImportReference;
  customField?: CustomFieldDefinition;
  /** Header names (normalised) that mean this column. */
  names: string[];
}

export interface ColumnSet {
  columns: ImportColumn[];
  /** Columns the export writes that an import leaves alone (ids, versions, derived values). */
  readOnly: Set<string>;
}

/** "Asset tag", "asset_tag" and "assetTag" are the same header. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

const CUSTOM_FIELD_KIND: Record<CustomFieldDefinition['fieldType'], ColumnKind> = {
  text: 'text',
  number: 'number',
  date: 'date',
  boolean: 'boolean',
  select: 'enum',
};

const staticColumns = new WeakMap<ImportAdapter, ColumnSet>();

/** The adapter's columns without custom fields, derived once from the entity's contracts. */
function fieldColumns(adapter: ImportAdapter): ColumnSet {
  const cached = staticColumns.get(adapter);
  if (cached) return cached;
  const meta = describeEntity(adapter.entity);
  const references = new Map((adapter.references ?? []).map((r) => [r.field, r]));
  const aliases = Object.entries(adapter.aliases ?? {});
  const columns: ImportColumn[] = [];
  const readOnly = new Set<string>();
  for (const field of meta.fields) {
    if (field.name === 'customFields') continue;
    if (field.name === 'id') {
      columns.push({ name: 'id', label: 'ID', kind: 'uuid', required: false, nullable: true, names: ['id'] });
      continue;
    }
    if (!field.creatable && !field.updatable) {
      readOnly.add(normalizeHeader(field.name));
      continue;
    }
    const reference = references.get(field.name);
    const kind: ColumnKind = reference
      ? 'reference'
      : adapter.amounts?.includes(field.name)
        ? 'amount'
        : field.kind;
    columns.push({
      name: field.name,
      label: field.label,
      kind,
      required: field.required,
      nullable: field.nullable,
      ...(field.values ? { values: field.values, valueLabels: field.values.map(humanize) } : {}),
      ...(field.maxLength !== undefined ? { maxLength: field.maxLength } : {}),
      ...(field.writeOnly ? { writeOnly: true } : {}),
      ...(reference ? { reference } : {}),
      names: [field.name, field.label, ...(reference?.headers ?? [])].map(normalizeHeader),
    });
  }
  for (const reference of adapter.references ?? []) {
    if (!reference.helper) continue;
    columns.push({
      name: reference.field,
      label: reference.helper.label,
      kind: 'reference',
      required: false,
      nullable: true,
      reference,
      names: [reference.field, reference.helper.label, ...(reference.headers ?? [])].map(normalizeHeader),
    });
  }
  for (const [alias, name] of aliases)
    columns.find((c) => c.name === name)?.names.push(normalizeHeader(alias));
  // A helper column can take over an export-only one (an asset's `holderId` is checked, not ignored).
  for (const column of columns) for (const name of column.names) readOnly.delete(name);
  const set = { columns, readOnly };
  staticColumns.set(adapter, set);
  return set;
}

/** Every column an import of this entity reads: its fields, helper references, custom fields. */
export function importColumns(adapter: ImportAdapter, customFields: CustomFieldDefinition[]): ColumnSet {
  const base = fieldColumns(adapter);
  const custom = customFields.map(
    (definition): ImportColumn => ({
      name: `cf.${definition.key}`,
      label: definition.label,
      kind: CUSTOM_FIELD_KIND[definition.fieldType],
      required: definition.required,
      nullable: true,
      ...(definition.fieldType === 'select'
        ? { values: definition.options, valueLabels: definition.options }
        : {}),
      customField: definition,
      names: [`cf.${definition.key}`, definition.label].map(normalizeHeader),
    }),
  );
  return { columns: [...base.columns, ...custom], readOnly: base.readOnly };
}

export type ColumnStatus = 'mapped' | 'ignored' | 'read-only' | 'unknown' | 'duplicate' | 'blank';

export interface HeaderMapping {
  /** The file's header, as written. */
  header: string;
  /** The column it feeds, if any. */
  field: string | null;
  status: ColumnStatus;
}

export interface ColumnProblem {
  column: string;
  message: string;
}

/** The column a header names by default (exact name, label, alias), or why it has none. */
function matchHeader(header: string, set: ColumnSet): ImportColumn | 'read-only' | undefined {
  const name = normalizeHeader(header);
  const column = set.columns.find((c) => c.names.includes(name));
  if (column) return column;
  return set.readOnly.has(name) ? 'read-only' : undefined;
}

/**
 * Decides what each header of the file feeds. `mapping` (header → column name, or null to leave
 * a column out) overrides the default match; a mapping to a column that does not exist is a 400.
 * Blank, repeated and unknown headers, and two headers feeding one column, are problems of the
 * file's row 1. A column without a header and without data is simply left out.
 */
export function mapHeaders(
  header: string[],
  set: ColumnSet,
  mapping: Record<string, string | null> | undefined,
  entityPlural: string,
  hasData: (index: number) => boolean,
): { columns: Array<ImportColumn | undefined>; mappings: HeaderMapping[]; problems: ColumnProblem[] } {
  const columns: Array<ImportColumn | undefined> = [];
  const mappings: HeaderMapping[] = [];
  const problems: ColumnProblem[] = [];
  const seenHeaders = new Map<string, number>();
  const fedBy = new Map<string, string>();

  /** What one header feeds, and the problem with it if any. */
  const decide = (
    raw: string,
    index: number,
  ): { column?: ImportColumn; status: ColumnStatus; problem?: string } => {
    const text = raw.trim();
    if (!text) {
      return hasData(index)
        ? { status: 'blank', problem: 'has no header: name the column or remove it' }
        : { status: 'ignored' };
    }
    const first = seenHeaders.get(text.toLowerCase());
    if (first !== undefined) {
      return {
        status: 'duplicate',
        problem: `appears twice (columns ${first + 1} and ${index + 1}): rename or remove one`,
      };
    }
    seenHeaders.set(text.toLowerCase(), index);
    let column: ImportColumn | undefined;
    const mapped = mapping && (Object.hasOwn(mapping, raw) ? mapping[raw] : mapping[text]);
    if (mapped !== undefined) {
      if (mapped === null || mapped === '') return { status: 'ignored' };
      column = set.columns.find((c) => c.name === mapped);
      if (!column) {
        throw badRequest(`The mapping names a column an import of ${entityPlural} does not have.`, [
          { path: `mapping.${text}`, message: `"${mapped}" is not an importable column` },
        ]);
      }
    } else {
      const match = matchHeader(text, set);
      if (match === 'read-only') return { status: 'read-only' };
      if (!match) {
        return {
          status: 'unknown',
          problem: `is not a column of ${entityPlural}: map it to a field or leave it out`,
        };
      }
      column = match;
    }
    const other = fedBy.get(column.name);
    if (other !== undefined)
      return { status: 'duplicate', problem: `gives ${column.label} like column "${other}": keep one` };
    fedBy.set(column.name, text);
    return { column, status: 'mapped' };
  };

  for (const [index, raw] of header.entries()) {
    const { column, status, problem } = decide(raw, index);
    columns.push(column);
    mappings.push({ header: raw, field: column?.name ?? null, status });
    if (problem) problems.push({ column: raw.trim() || `column ${index + 1}`, message: problem });
  }
  return { columns, mappings, problems };
}
