import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';

/** The CSV importer's API (docs/api.md, "CSV import"): what may be imported, its columns, a file's check. */

export interface Importable {
  /** The API path segment: `assets`, `asset-models`… */
  entity: string;
  entityType: string;
  labels: { singular: string; plural: string };
}

export interface ImportColumn {
  name: string;
  label: string;
  kind: string;
  required: boolean;
  values?: string[];
  valueLabels?: string[];
  reference?: string;
  aliases: string[];
}

export interface ImportColumns {
  entity: string;
  entityType: string;
  labels: { singular: string; plural: string };
  keys: string[][];
  columns: ImportColumn[];
  /** The mapping I used last for this entity (header → column, null: left out). */
  mapping: Record<string, string | null> | null;
  limits: { maxRows: number; maxColumns: number; maxCellLength: number; maxBytes: number };
}

export type HeaderStatus = 'mapped' | 'ignored' | 'read-only' | 'unknown' | 'duplicate' | 'blank';

export interface HeaderMapping {
  header: string;
  field: string | null;
  status: HeaderStatus;
}

export interface Preview {
  delimiter: string;
  rows: number;
  columns: HeaderMapping[];
  sample: string[][];
}

export interface ImportProblem {
  row: number;
  column: string | null;
  message: string;
}

export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: ImportProblem[];
  errorCount: number;
  delimiter: string;
  columns: HeaderMapping[];
  createdReferences: Array<{ entityType: string; name: string }>;
}

export type Delimiter = 'auto' | ',' | ';' | 'tab';
export type DateFormat = 'iso' | 'dmy' | 'mdy';

export interface ImportOptions {
  delimiter: Delimiter;
  dateFormat: DateFormat;
  createMissingReferences: boolean;
}

export const importablesKey = ['imports', 'importables'] as const;

/** The entities I may import (the server filters by my write access); cached, it rarely changes. */
export function useImportables() {
  return useQuery({
    queryKey: importablesKey,
    queryFn: ({ signal }) => api.get<{ data: Importable[] }>('/api/v1/imports', undefined, { signal }),
    select: (response) => response.data,
    staleTime: 10 * 60_000,
  });
}

export function useImportColumns(entity: string | null) {
  return useQuery({
    queryKey: ['imports', 'columns', entity],
    queryFn: ({ signal }) =>
      api.get<{ data: ImportColumns }>(`/api/v1/imports/${entity}/columns`, undefined, { signal }),
    select: (response) => response.data,
    enabled: Boolean(entity),
  });
}

function form(file: File, fields: Record<string, string>): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  body.append('file', file);
  return body;
}

export async function previewFile(entity: string, file: File, delimiter: Delimiter): Promise<Preview> {
  const response = await api.post<{ data: Preview }>(
    `/api/v1/imports/${entity}/preview`,
    form(file, delimiter === 'auto' ? {} : { delimiter }),
  );
  return response.data;
}

/**
 * Checks (`dryRun`) or imports a file. A refused import (422) carries the same report as a check:
 * it is answered as a report, so the page shows its problems the same way.
 */
export async function runImport(
  entity: string,
  file: File,
  mapping: Record<string, string | null>,
  options: ImportOptions,
  dryRun: boolean,
): Promise<ImportReport> {
  const fields: Record<string, string> = {
    mapping: JSON.stringify(mapping),
    dateFormat: options.dateFormat,
    createMissingReferences: String(options.createMissingReferences),
  };
  if (options.delimiter !== 'auto') fields.delimiter = options.delimiter;
  try {
    const response = await api.post<{ data: ImportReport }>(`/api/v1/imports/${entity}`, form(file, fields), {
      query: dryRun ? { dryRun: true } : undefined,
    });
    return response.data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 422 && isReport(error.problem.data))
      return error.problem.data;
    throw error;
  }
}

function isReport(value: unknown): value is ImportReport {
  return typeof value === 'object' && value !== null && Array.isArray((value as ImportReport).errors);
}
