import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ModuleKey } from '../../shared/modules';
import { ApiError, api, buildUrl, type Problem, type QueryParams } from './client';
import type { BaseRecord, Page, RecordDetail } from './types';

/**
 * How the web app knows a record type: the mirror of the server's entity registry entry, with
 * where its pages live. Generic components (list, history, links, tags, attachments) take one.
 */
export interface ResourceDefinition {
  /** API path segment: the collection is /api/v1/<path>. */
  path: string;
  /** The entity type in audit entries and links, e.g. `user`. */
  entityType: string;
  module: ModuleKey;
  labels: { singular: string; plural: string };
  /** Web route of the list; a record lives at `${route}/${id}`. */
  route: string;
  features: {
    archivable: boolean;
    linkable: boolean;
    tagged: boolean;
    attachments: boolean;
    hardDelete: boolean;
  };
}

export function collectionUrl(definition: ResourceDefinition): string {
  return `/api/v1/${definition.path}`;
}

export function recordUrl(definition: ResourceDefinition, id: string): string {
  return `/api/v1/${definition.path}/${encodeURIComponent(id)}`;
}

export function recordRoute(definition: ResourceDefinition, id: string): string {
  return `${definition.route}/${id}`;
}

export const resourceKeys = {
  all: (definition: ResourceDefinition) => [definition.path] as const,
  list: (definition: ResourceDefinition, params: QueryParams) => [definition.path, 'list', params] as const,
  detail: (definition: ResourceDefinition, id: string) => [definition.path, 'detail', id] as const,
  part: (definition: ResourceDefinition, id: string, part: string, params?: QueryParams) =>
    [definition.path, 'detail', id, part, params ?? {}] as const,
};

export function useResourceList<T extends BaseRecord>(definition: ResourceDefinition, params: QueryParams) {
  return useQuery({
    queryKey: resourceKeys.list(definition, params),
    queryFn: ({ signal }) => api.get<Page<T>>(collectionUrl(definition), params, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useResourceRecord<T extends BaseRecord>(definition: ResourceDefinition, id: string) {
  return useQuery({
    queryKey: resourceKeys.detail(definition, id),
    queryFn: ({ signal }) => api.get<RecordDetail<T>>(recordUrl(definition, id), undefined, { signal }),
  });
}

/** Invalidates everything cached for one record type (lists and records). */
export function useInvalidateResource(definition: ResourceDefinition) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: resourceKeys.all(definition) });
}

export function useCreateRecord<T extends BaseRecord>(definition: ResourceDefinition) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<RecordDetail<T>>(collectionUrl(definition), body),
    onSuccess: (record) => {
      queryClient.setQueryData(resourceKeys.detail(definition, record.id), record);
      return queryClient.invalidateQueries({ queryKey: [definition.path, 'list'] });
    },
  });
}

export function useUpdateRecord<T extends BaseRecord>(definition: ResourceDefinition, id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ changes, version }: { changes: Record<string, unknown>; version: number }) =>
      api.patch<RecordDetail<T>>(recordUrl(definition, id), { ...changes, version }),
    onSuccess: (record) => {
      queryClient.setQueryData(resourceKeys.detail(definition, id), record);
      return queryClient.invalidateQueries({ queryKey: resourceKeys.all(definition) });
    },
  });
}

/** Archive or restore, sending the version the user looked at. */
export function useRecordTransition<T extends BaseRecord>(
  definition: ResourceDefinition,
  id: string,
  transition: 'archive' | 'restore',
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version?: number) =>
      api.post<RecordDetail<T>>(`${recordUrl(definition, id)}/${transition}`, { version }),
    onSuccess: (record) => {
      queryClient.setQueryData(resourceKeys.detail(definition, id), record);
      return queryClient.invalidateQueries({ queryKey: resourceKeys.all(definition) });
    },
  });
}

export function useDeleteRecord(definition: ResourceDefinition, id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(recordUrl(definition, id)),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: resourceKeys.detail(definition, id) });
      return queryClient.invalidateQueries({ queryKey: [definition.path, 'list'] });
    },
  });
}

/** Archive or restore several records at once (all or nothing); answers what changed. */
export function useBulkTransition<T extends BaseRecord>(
  definition: ResourceDefinition,
  transition: 'archive' | 'restore',
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) =>
      api.post<{ changed: T[]; unchanged: string[] }>(`${collectionUrl(definition)}/bulk-${transition}`, {
        ids,
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: resourceKeys.all(definition) }),
  });
}

/**
 * Downloads a file the server answers at `path`. Fetched rather than linked, so that a refusal
 * (too many rows, a bad filter, no access) is shown as the problem it is, not saved as the file.
 */
export async function downloadFile(
  path: string,
  params: QueryParams,
  options: { accept: string; fallbackName: string },
): Promise<void> {
  const response = await fetch(buildUrl(path, params), {
    credentials: 'same-origin',
    headers: { accept: `${options.accept}, application/problem+json` },
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Partial<Problem>;
    throw new ApiError({
      type: 'about:blank',
      title: response.statusText || 'Download failed',
      ...problem,
      status: response.status,
    });
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  const disposition = response.headers.get('content-disposition');
  link.download =
    (disposition ? /filename="([^"]+)"/.exec(disposition)?.[1] : undefined) ?? options.fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Downloads the CSV export of a list query (the same parameters as the list; paging is ignored). */
export function downloadExport(definition: ResourceDefinition, params: QueryParams): Promise<void> {
  return downloadFile(`${collectionUrl(definition)}/export.csv`, params, {
    accept: 'text/csv',
    fallbackName: `${definition.path}.csv`,
  });
}

/** Which columns a list shows and in what order, as one person arranged them (kept on the server). */
export interface ListColumnsPreference {
  listKey: string;
  order: string[];
  hidden: string[];
  updatedAt: string | null;
}

const listColumnsUrl = (listKey: string) =>
  `/api/v1/me/preferences/list-columns/${encodeURIComponent(listKey)}`;
const listColumnsKey = (listKey: string) => ['preferences', 'list-columns', listKey] as const;

export function useListColumnsPreference(listKey: string) {
  return useQuery({
    queryKey: listColumnsKey(listKey),
    queryFn: ({ signal }) => api.get<ListColumnsPreference>(listColumnsUrl(listKey), undefined, { signal }),
    staleTime: 5 * 60_000,
  });
}

/**
 * Column-layout writes of each list still in flight: which was started last, and how many run.
 * Shared by saving and resetting, so that no response undoes a layout chosen after its request.
 */
const columnWrites = new Map<string, { latest: number; inFlight: number }>();

function startColumnWrite(listKey: string): number {
  const writes = columnWrites.get(listKey) ?? { latest: 0, inFlight: 0 };
  writes.latest += 1;
  writes.inFlight += 1;
  columnWrites.set(listKey, writes);
  return writes.latest;
}

const isLatestColumnWrite = (listKey: string, write: number) => columnWrites.get(listKey)?.latest === write;

/** Ends a write; true when it was the last one running (time to read back what the server kept). */
function endColumnWrite(listKey: string): boolean {
  const writes = columnWrites.get(listKey);
  if (!writes) return true;
  writes.inFlight -= 1;
  if (writes.inFlight > 0) return false;
  columnWrites.delete(listKey);
  return true;
}

/**
 * Saves an arrangement, showing it at once. Writes to one list run one after another (a shared
 * mutation scope); once the last has settled the preference is read back from the server rather
 * than taken from a response, and a refused save goes back only if no later change was made.
 */
export function useSaveListColumns(listKey: string) {
  const queryClient = useQueryClient();
  const key = listColumnsKey(listKey);
  type Layout = { order: string[]; hidden: string[] };
  type Write = { layout: Layout; previous: ListColumnsPreference | undefined; write: number };
  const mutation = useMutation({
    // Saves of one list reach the server in the order they were made.
    scope: { id: `list-columns:${listKey}` },
    mutationFn: ({ layout }: Write) => api.put<ListColumnsPreference>(listColumnsUrl(listKey), layout),
    onError: (_error, { previous, write }) => {
      if (isLatestColumnWrite(listKey, write)) queryClient.setQueryData(key, previous);
    },
    onSettled: () => {
      if (endColumnWrite(listKey)) return queryClient.invalidateQueries({ queryKey: key });
    },
  });
  return {
    ...mutation,
    /**
     * Shows the new layout at once (not after earlier saves of the list have finished, which the
     * scope waits for), then saves it.
     */
    mutate(layout: Layout, options?: Parameters<typeof mutation.mutate>[1]) {
      const write = startColumnWrite(listKey);
      void queryClient.cancelQueries({ queryKey: key }, { revert: false });
      const previous = queryClient.getQueryData<ListColumnsPreference>(key);
      queryClient.setQueryData<ListColumnsPreference>(key, {
        listKey,
        ...layout,
        updatedAt: new Date().toISOString(),
      });
      mutation.mutate({ layout, previous, write }, options);
    },
  };
}

export function useResetListColumns(listKey: string) {
  const queryClient = useQueryClient();
  const key = listColumnsKey(listKey);
  return useMutation({
    scope: { id: `list-columns:${listKey}` },
    mutationFn: () => api.delete(listColumnsUrl(listKey)),
    onMutate: () => ({ write: startColumnWrite(listKey) }),
    onSuccess: (_data, _variables, context) => {
      if (!isLatestColumnWrite(listKey, context.write)) return;
      queryClient.setQueryData<ListColumnsPreference>(key, {
        listKey,
        order: [],
        hidden: [],
        updatedAt: null,
      });
    },
    onSettled: () => {
      if (endColumnWrite(listKey)) return queryClient.invalidateQueries({ queryKey: key });
    },
  });
}

/** A named list state: its query parameters and the columns it shows. */
export interface SavedViewState {
  query: Record<string, string>;
  columns?: string[];
}

export interface SavedView {
  id: string;
  entityType: string;
  name: string;
  shared: boolean;
  ownerId: string;
  /** Mine, or someone else's shared view. */
  mine: boolean;
  state: SavedViewState;
  abilities: { update: boolean; delete: boolean };
  version: number;
  createdAt: string;
  updatedAt: string;
}

const savedViewsKey = (entityType: string) => ['saved-views', entityType] as const;

/** My views and the shared ones for one record type. */
export function useSavedViews(entityType: string) {
  return useQuery({
    queryKey: savedViewsKey(entityType),
    queryFn: ({ signal }) =>
      api.get<{ data: SavedView[] }>('/api/v1/saved-views', { entityType }, { signal }).then((r) => r.data),
  });
}

export function useSavedViewMutations(entityType: string) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: savedViewsKey(entityType) });
  return {
    create: useMutation({
      mutationFn: (body: { name: string; shared: boolean; state: SavedViewState }) =>
        api.post<SavedView>('/api/v1/saved-views', { entityType, ...body }),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({
        view,
        changes,
      }: {
        view: SavedView;
        changes: Partial<Pick<SavedView, 'name' | 'shared' | 'state'>>;
      }) =>
        api.patch<SavedView>(`/api/v1/saved-views/${encodeURIComponent(view.id)}`, {
          ...changes,
          version: view.version,
        }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (view: SavedView) =>
        api.delete(`/api/v1/saved-views/${encodeURIComponent(view.id)}`, {
          headers: { 'if-match': `"${view.version}"` },
        }),
      onSuccess: refresh,
    }),
  };
}
