import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { GENERIC_ROUTE } from '../api/entity-meta';
import type { ResourceDefinition } from '../api/resources';
import { customFieldResource, tagResource } from '../domains/administration/administration.resources';
import { groupResource, orgChartSnapshotResource, userResource } from '../domains/people/people.resources';

/** GET /api/v1/search: ranked hits over every record type the user may read. */
export interface SearchHit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  score: number;
}

export interface SearchTypeCount {
  type: string;
  singular: string;
  plural: string;
  /** Hits of this type across all pages. */
  total: number;
}

export interface SearchResults {
  data: SearchHit[];
  types: SearchTypeCount[];
  page: number;
  pageSize: number;
  total: number;
}

export const SEARCH_PAGE_SIZE = 20;

export function useGlobalSearch(q: string) {
  return useQuery({
    queryKey: ['search', q],
    queryFn: ({ signal }) =>
      api.get<SearchResults>('/api/v1/search', { q, pageSize: SEARCH_PAGE_SIZE }, { signal }),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/**
 * Where a hit opens: its record page, or for types without one, their list searched for the
 * title. `list` says whether the type has a list page that `?q=` searches the same way.
 */
interface SearchTarget {
  definition: ResourceDefinition;
  detail: boolean;
  list: boolean;
}

const SEARCH_TARGETS: Record<string, SearchTarget> = {
  user: { definition: userResource, detail: true, list: true },
  group: { definition: groupResource, detail: true, list: true },
  org_chart_snapshot: { definition: orgChartSnapshotResource, detail: true, list: false },
  tag: { definition: tagResource, detail: false, list: true },
  custom_field: { definition: customFieldResource, detail: false, list: true },
};

const searchedList = (definition: ResourceDefinition, q: string) =>
  `${definition.route}?${new URLSearchParams({ q })}`;

/** The address a hit opens: a type without pages of its own opens on the generic record screens. */
export function hitHref(hit: SearchHit): string {
  const target = SEARCH_TARGETS[hit.type];
  if (!target) return `${GENERIC_ROUTE}/${hit.type}/${encodeURIComponent(hit.id)}`;
  if (target.detail) return `${target.definition.route}/${encodeURIComponent(hit.id)}`;
  return target.list
    ? searchedList(target.definition, hit.title)
    : `${GENERIC_ROUTE}/${hit.type}/${encodeURIComponent(hit.id)}`;
}

/** The list of a type searched for `q` (its hits beyond the palette), if it has one. */
export function listHref(type: string, q: string): string | undefined {
  const target = SEARCH_TARGETS[type];
  if (!target) return `${GENERIC_ROUTE}/${type}?${new URLSearchParams({ q })}`;
  return target.list ? searchedList(target.definition, q) : undefined;
}
