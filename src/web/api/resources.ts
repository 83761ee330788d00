import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ModuleKey } from '../../shared/modules';
import { api, type QueryParams } from './client';
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
