import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type QueryParams } from '../../api/client';
import { downloadFile, type ResourceDefinition, recordUrl, resourceKeys } from '../../api/resources';
import type { BaseRecord, Page } from '../../api/types';

/**
 * The compliance frameworks API as the frameworks screens use it (see the OpenAPI document,
 * tag "Compliance"): the frameworks themselves go through the generic record routes, the library,
 * import, export and the control tree through the routes below.
 */

export const frameworkResource: ResourceDefinition = {
  path: 'frameworks',
  entityType: 'framework',
  module: 'compliance',
  labels: { singular: 'Framework', plural: 'Frameworks' },
  route: '/compliance/frameworks',
  features: { archivable: true, linkable: true, tagged: true, attachments: true, hardDelete: false },
};

export const FRAMEWORK_SOURCES = ['builtin', 'imported', 'custom'] as const;
export type FrameworkSource = (typeof FRAMEWORK_SOURCES)[number];
export const SOURCE_LABELS: Record<FrameworkSource, string> = {
  builtin: 'Built-in',
  imported: 'Imported',
  custom: 'Custom',
};
export const SOURCE_COLORS: Record<FrameworkSource, string> = {
  builtin: 'indigo',
  imported: 'cyan',
  custom: 'grape',
};

/** Controls by status (applicable ones only, except `notApplicable`); `coverage` is a percentage. */
export interface FrameworkStats {
  controls: number;
  applicable: number;
  compliant: number;
  manual: number;
  warning: number;
  nonCompliant: number;
  uncovered: number;
  notApplicable: number;
  coverage: number;
}

export interface Framework extends BaseRecord {
  name: string;
  key: string;
  edition: string | null;
  publisher: string | null;
  description: string | null;
  source: FrameworkSource;
  isActive: boolean;
  isArchived: boolean;
  stats: FrameworkStats;
}

export const CONTROL_STATUSES = [
  'compliant',
  'manual',
  'warning',
  'non_compliant',
  'uncovered',
  'not_applicable',
] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];
export const CONTROL_STATUS_LABELS: Record<ControlStatus, string> = {
  compliant: 'Compliant',
  manual: 'Manual',
  warning: 'Warning',
  non_compliant: 'Non-compliant',
  uncovered: 'Uncovered',
  not_applicable: 'Not applicable',
};
export const CONTROL_STATUS_COLORS: Record<ControlStatus, string> = {
  compliant: 'green',
  manual: 'teal',
  warning: 'yellow',
  non_compliant: 'red',
  uncovered: 'gray',
  not_applicable: 'gray',
};

export interface Control extends BaseRecord {
  refId: string;
  title: string;
  frameworkId: string;
  parentId: string | null;
  description: string | null;
  guidance: string | null;
  kind: 'group' | 'control';
  sortOrder: number;
  depth: number;
  withdrawn: boolean;
  applicable: boolean;
  soaJustification: string | null;
  implementationStatus: 'not_started' | 'planned' | 'partial' | 'implemented';
  ownerUserId: string | null;
  ownerGroupId: string | null;
  /** Null for headings, which have no status of their own. */
  status: ControlStatus | null;
  statusReason: string | null;
  evidenceCount: number;
}

export interface LibraryEntry {
  key: string;
  name: string;
  edition: string | null;
  publisher: string | null;
  description: string | null;
  controlCount: number;
  installedId: string | null;
}

/** What an install or import wrote: items (controls and headings) created, updated, unchanged, kept. */
export interface InstallReport {
  id: string;
  name: string;
  key: string;
  controlCount: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Items the document no longer lists, left in place (evidence may point at them). */
  kept: number;
  mappings: number;
}

export interface ImportWarning {
  path: string;
  row?: number;
  field?: string;
  message: string;
}

export interface ImportReport extends InstallReport {
  dryRun: boolean;
  warnings: ImportWarning[];
}

/** What the server reads (`format`); the dialog also tells an OSCAL catalog from a profile. */
export type ImportFormat = 'oscal' | 'json' | 'csv';
export type ExportFormat = ImportFormat;

export interface ImportRequest {
  file: File;
  format: ImportFormat;
  name?: string;
  catalogId?: string;
  dryRun: boolean;
}

const LIBRARY_KEY = ['framework-library'] as const;

export const controlsKey = (frameworkId: string, params: QueryParams) =>
  resourceKeys.part(frameworkResource, frameworkId, 'controls', params);

export function useFrameworkLibrary() {
  return useQuery({
    queryKey: LIBRARY_KEY,
    queryFn: ({ signal }) =>
      api.get<{ data: LibraryEntry[] }>('/api/v1/framework-library', undefined, { signal }),
    select: (response) => response.data,
  });
}

/** After an install or import: every framework list, record and tree may have changed. */
function useRefreshFrameworks() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: resourceKeys.all(frameworkResource) }),
      queryClient.invalidateQueries({ queryKey: LIBRARY_KEY }),
      queryClient.invalidateQueries({ queryKey: ['controls'] }),
    ]);
}

export function useInstallFramework() {
  const refresh = useRefreshFrameworks();
  return useMutation({
    mutationFn: (key: string) =>
      api
        .post<{ data: InstallReport }>(`/api/v1/framework-library/${encodeURIComponent(key)}/install`)
        .then((response) => response.data),
    onSuccess: () => refresh(),
  });
}

/** A dry run answers what the import would do (200) and writes nothing; a real import answers 201. */
export function useImportFramework() {
  const refresh = useRefreshFrameworks();
  return useMutation({
    mutationFn: ({ file, format, name, catalogId, dryRun }: ImportRequest) => {
      const body = new FormData();
      body.append('file', file, file.name);
      return api
        .post<{ data: ImportReport }>('/api/v1/frameworks/import', body, {
          query: { format, dryRun: dryRun ? 'true' : undefined, name, catalogId },
        })
        .then((response) => response.data);
    },
    onSuccess: (report) => (report.dryRun ? undefined : refresh()),
  });
}

/** The installed frameworks, by name: what an OSCAL profile can select its controls from. */
export function useInstalledFrameworks(enabled: boolean) {
  const params = { pageSize: 200, sort: 'name' };
  return useQuery({
    queryKey: resourceKeys.list(frameworkResource, params),
    queryFn: ({ signal }) => api.get<Page<Framework>>('/api/v1/frameworks', params, { signal }),
    select: (response) => response.data,
    enabled,
  });
}

/** One page of a framework's controls in tree order, with the filters of the detail page. */
export function useFrameworkControls(frameworkId: string, params: QueryParams) {
  return useQuery({
    queryKey: controlsKey(frameworkId, params),
    queryFn: ({ signal }) =>
      api.get<Page<Control>>(`${recordUrl(frameworkResource, frameworkId)}/controls`, params, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** Downloads a framework as a file; fetched rather than linked, so that a refusal can be shown. */
export function downloadFrameworkExport(frameworkId: string, format: ExportFormat): Promise<void> {
  return downloadFile(
    `${recordUrl(frameworkResource, frameworkId)}/export`,
    { format },
    {
      accept: 'application/json, text/csv',
      fallbackName: `framework.${format === 'csv' ? 'csv' : 'json'}`,
    },
  );
}
