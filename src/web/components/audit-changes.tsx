import { Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from '../api/client';
import { type ResourceDefinition, recordUrl, resourceKeys } from '../api/resources';
import type { AuditEntry } from '../api/types';
import { humanizeField } from './format';

/** Bookkeeping columns that every write touches; they add noise to a diff. */
const HIDDEN_FIELDS = new Set([
  'id',
  'version',
  'createdAt',
  'updatedAt',
  'createdBy',
  'updatedBy',
  'tokenHash',
]);

export const ACTION_LABELS: Record<AuditEntry['action'], string> = {
  INSERT: 'Created',
  UPDATE: 'Changed',
  DELETE: 'Deleted',
  ARCHIVE: 'Archived',
  RESTORE: 'Restored',
  REVEAL: 'Revealed',
};

export const ACTION_COLORS: Record<AuditEntry['action'], string> = {
  INSERT: 'green',
  UPDATE: 'blue',
  DELETE: 'red',
  ARCHIVE: 'gray',
  RESTORE: 'teal',
  REVEAL: 'orange',
};

function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isChange(value: unknown): value is { old: unknown; new: unknown } {
  return value !== null && typeof value === 'object' && 'old' in value && 'new' in value;
}

interface Row {
  field: string;
  before?: unknown;
  after?: unknown;
}

/** Flattens `{customFields: {a: {old,new}}}` and `{customFields: {a: 1}}` into one row per field. */
function rowsOf(entry: AuditEntry): Row[] {
  const rows: Row[] = [];
  const visit = (path: string, value: unknown) => {
    if (HIDDEN_FIELDS.has(path)) return;
    if (entry.action === 'UPDATE' || entry.action === 'ARCHIVE' || entry.action === 'RESTORE') {
      if (isChange(value)) {
        const { old: before, new: after } = value;
        const nested =
          before !== null && after !== null && typeof before === 'object' && typeof after === 'object';
        if (nested && !Array.isArray(before)) {
          const keys = new Set([...Object.keys(before as object), ...Object.keys(after as object)]);
          for (const key of keys) {
            const a = (before as Record<string, unknown>)[key];
            const b = (after as Record<string, unknown>)[key];
            if (JSON.stringify(a) !== JSON.stringify(b))
              rows.push({ field: `${path}.${key}`, before: a, after: b });
          }
        } else rows.push({ field: path, before, after });
      } else if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [key, inner] of Object.entries(value)) visit(`${path}.${key}`, inner);
      } else rows.push({ field: path, after: value });
      return;
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) visit(`${path}.${key}`, inner);
      return;
    }
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return;
    rows.push(entry.action === 'DELETE' ? { field: path, before: value } : { field: path, after: value });
  };
  for (const [field, value] of Object.entries(entry.changes)) visit(field, value);
  return rows;
}

/** How a record type names its fields and enum values in history. */
export interface FieldVocabulary {
  /** `{ jobTitle: 'Job title' }`; other fields are derived from their name. */
  labels?: Record<string, string>;
  /** `{ role: { admin: 'Administrator' } }`: readable names of stored values. */
  values?: Record<string, Record<string, string>>;
  /** `{ managerId: userResource }`: ids shown as the referenced record's name. */
  references?: Record<string, ResourceDefinition>;
}

/** The name of a referenced record, fetched (and cached) by id; the id if it cannot be read. */
function RecordName({ definition, id }: { definition: ResourceDefinition; id: string }) {
  const record = useQuery({
    queryKey: resourceKeys.detail(definition, id),
    queryFn: ({ signal }) =>
      api.get<Record<string, unknown>>(recordUrl(definition, id), undefined, { signal }),
    retry: false,
  });
  const name = record.data?.name;
  return <>{typeof name === 'string' ? name : id}</>;
}

/** One audit entry's changes, field by field: before and after for updates, values for create/delete. */
export function AuditChanges({
  entry,
  vocabulary = {},
}: {
  entry: AuditEntry;
  vocabulary?: FieldVocabulary;
}) {
  const labels = vocabulary.labels ?? {};
  const display = (field: string, value: unknown): ReactNode => {
    const reference = vocabulary.references?.[field];
    if (reference && typeof value === 'string') return <RecordName definition={reference} id={value} />;
    const named = typeof value === 'string' ? vocabulary.values?.[field]?.[value] : undefined;
    return named ?? show(value);
  };
  const rows = rowsOf(entry);
  if (rows.length === 0) return null;
  // A reveal changed nothing: it only says what was read.
  const showBefore = entry.action !== 'INSERT' && entry.action !== 'REVEAL';
  const showAfter = entry.action !== 'DELETE';
  return (
    <Table.ScrollContainer minWidth={360} type="native">
      <Table fz="sm" withTableBorder verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="30%">Field</Table.Th>
            {showBefore && <Table.Th>{showAfter ? 'Before' : 'Value'}</Table.Th>}
            {showAfter && <Table.Th>{showBefore ? 'After' : 'Value'}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.field}>
              <Table.Td>{labels[row.field] ?? humanizeField(row.field)}</Table.Td>
              {showBefore && (
                <Table.Td>
                  <Text span size="sm" className={showAfter ? 'diff-old' : undefined}>
                    {display(row.field, row.before)}
                  </Text>
                </Table.Td>
              )}
              {showAfter && (
                <Table.Td>
                  <Text span size="sm" className={showBefore ? 'diff-new' : undefined}>
                    {display(row.field, row.after)}
                  </Text>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
