import { Badge, Button, EmptyState, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { Link } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import type { QueryParams } from '../api/client';
import { useEntityMeta } from '../api/entity-meta';
import { downloadExport, type ResourceDefinition, type SavedView, useResourceList } from '../api/resources';
import { canWrite, useSession } from '../api/session';
import type { BaseRecord } from '../api/types';
import type { ListSearch } from '../app/search-params';
import { BulkActionsBar } from './bulk-actions-bar';
import { ColumnChooser } from './column-chooser';
import { customFieldFilters, useCustomFieldDefinitions } from './custom-fields';
import { type ColumnDefinition, DataTable, ListPagination } from './data-table';
import { ErrorState } from './error-pages';
import { DownloadIcon, InboxIcon } from './icons';
import { FilterControl, type FilterDefinition, SearchBox } from './list-controls';
import { notifyError } from './notify';
import { SavedViewsMenu } from './saved-views-menu';
import { useListColumns } from './use-list-columns';

export type { ColumnDefinition } from './data-table';
export type { FilterDefinition } from './list-controls';

export interface ResourceListProps<T extends BaseRecord> {
  definition: ResourceDefinition;
  columns: ColumnDefinition<T>[];
  filters?: FilterDefinition[];
  /** The list state, kept in the URL by the page. */
  search: ListSearch;
  /** `replace` is set while typing a search, so history gets one entry per search. */
  onSearchChange: (next: ListSearch, options?: { replace?: boolean }) => void;
  defaultSort: string;
  /** Shown in the empty state when nothing exists yet, e.g. a "New user" button. */
  createAction?: ReactNode;
  /** Where a row's title links to; without it the title is plain text. */
  titleColumn?: {
    key: string;
    header: string;
    sortField?: string;
    render: (row: T) => string;
    href?: (row: T) => string;
  };
  defaultPageSize?: number;
  /** Names the list for remembered columns; defaults to the entity type (one list per type). */
  listKey?: string;
}

/**
 * URL parameters that are not filters: paging, sort, search, the archived switch, and two that
 * arrange the page without changing the query: `columns` (shown columns, in order) and `view`
 * (the saved view applied).
 */
const RESERVED = new Set(['page', 'pageSize', 'sort', 'q', 'archived', 'columns', 'view']);
const NOT_IN_VIEWS = new Set(['page', 'columns', 'view']);

/** The parameters the list endpoint takes, from the URL state. */
export function listParams(search: ListSearch, defaultPageSize: number): QueryParams {
  const params: QueryParams = {
    page: Number(search.page) > 0 ? Number(search.page) : 1,
    pageSize: Number(search.pageSize) > 0 ? Number(search.pageSize) : defaultPageSize,
    sort: search.sort,
    q: search.q,
    archived: search.archived,
  };
  for (const [key, value] of Object.entries(search)) if (!RESERVED.has(key) && value) params[key] = value;
  return params;
}

/** The list's query as a saved view keeps it: the URL state without the page and display parameters. */
function viewQuery(search: ListSearch): Record<string, string> {
  return Object.fromEntries(
    Object.entries(search).filter(
      (entry): entry is [string, string] => !NOT_IN_VIEWS.has(entry[0]) && !!entry[1],
    ),
  );
}

/**
 * The generic list of records: server-side paging, sorting, search, filters and the archived
 * toggle, all captured in the URL so a view can be shared. Used by every entity's list page.
 */
export function ResourceList<T extends BaseRecord>({
  definition,
  columns,
  filters: ownFilters = [],
  search,
  onSearchChange,
  defaultSort,
  createAction,
  titleColumn,
  defaultPageSize = 25,
  listKey = definition.entityType,
}: ResourceListProps<T>) {
  // Every list filters by its type's custom fields too, when the registry says it has them.
  const meta = useEntityMeta(definition.entityType);
  const customFields = useCustomFieldDefinitions(definition.entityType, {
    enabled: meta.data?.features.customFields === true,
  });
  const filters = [...ownFilters, ...customFieldFilters(customFields.data ?? [])];
  const params = listParams(search, defaultPageSize);
  const query = useResourceList<T>(definition, params);
  const session = useSession();
  const bulkAllowed = definition.features.archivable && canWrite(session, definition.module);
  const plural = definition.labels.plural.toLowerCase();
  const archived = search.archived ?? 'false';
  const filtering = Boolean(search.q) || filters.some((filter) => search[filter.key]);
  // On phones the filters fold away behind a button so the rows stay in view.
  const wide = useMediaQuery('(min-width: 36em)', true);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const activeFilters =
    filters.filter((filter) => search[filter.key]).length + (archived === 'false' ? 0 : 1);

  // A change of search or filters starts again from page 1.
  const update = (changes: ListSearch, keepPage = false, replace = false) =>
    onSearchChange({ ...search, ...(keepPage ? {} : { page: undefined }), ...changes }, { replace });

  const title: ColumnDefinition<T> | undefined = titleColumn && {
    key: titleColumn.key,
    header: titleColumn.header,
    sortField: titleColumn.sortField,
    render: (row) => (
      <Group gap={6} wrap="nowrap">
        {titleColumn.href ? (
          <Text component={Link} to={titleColumn.href(row)} fw={500} c="blue" size="sm">
            {titleColumn.render(row)}
          </Text>
        ) : (
          <Text fw={500} size="sm">
            {titleColumn.render(row)}
          </Text>
        )}
        {row.isArchived && (
          <Badge size="xs" color="gray" variant="outline">
            Archived
          </Badge>
        )}
      </Group>
    ),
  };
  const listColumns = useListColumns({
    listKey,
    columns,
    titleColumn: title,
    columnsParam: search.columns,
    clearColumnsParam: () => update({ columns: undefined }, true),
  });
  const applyView = (view: SavedView) =>
    onSearchChange({
      ...view.state.query,
      ...(view.state.columns ? { columns: view.state.columns.join(',') } : {}),
      view: view.id,
    });

  // Selection for bulk actions covers the rows on screen, so it starts afresh when they change.
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const rowsKey = JSON.stringify(params);
  const [selectionScope, setSelectionScope] = useState(rowsKey);
  if (selectionScope !== rowsKey) {
    setSelectionScope(rowsKey);
    setSelected(new Set());
  }
  const selectedRows = (query.data?.data ?? []).filter((row) => selected.has(row.id));

  const [exporting, setExporting] = useState(false);
  const exportCsv = async () => {
    const { page: _page, pageSize: _pageSize, ...exportParams } = params;
    setExporting(true);
    try {
      await downloadExport(definition, exportParams);
    } catch (error) {
      notifyError(error, 'Could not export');
    } finally {
      setExporting(false);
    }
  };

  const empty = (
    <EmptyState
      py="xl"
      icon={<InboxIcon size={28} />}
      withIndicatorBackground
      title={
        filtering ? `No ${plural} match` : archived === 'true' ? `No archived ${plural}` : `No ${plural} yet`
      }
      description={
        filtering
          ? 'Try other words or fewer filters.'
          : archived === 'true'
            ? `Archived ${plural} appear here. Switch back to active to see the others.`
            : createAction
              ? `Create the first one to get started.`
              : `Nothing has been added here yet.`
      }
    >
      <EmptyState.Actions>
        {filtering ? (
          <Button
            variant="default"
            onClick={() =>
              onSearchChange({
                ...Object.fromEntries(Object.entries(search).filter(([key]) => RESERVED.has(key))),
                q: undefined,
                page: undefined,
              })
            }
          >
            Clear search and filters
          </Button>
        ) : archived === 'true' ? (
          <Button variant="default" onClick={() => update({ archived: undefined })}>
            Show active {plural}
          </Button>
        ) : (
          createAction
        )}
      </EmptyState.Actions>
    </EmptyState>
  );

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" gap="sm" wrap="wrap">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <SearchBox
            value={search.q ?? ''}
            onChange={(q) => update({ q: q || undefined }, false, true)}
            noun={plural}
          />
          {!wide && (filters.length > 0 || definition.features.archivable) && (
            <Button
              variant="default"
              onClick={() => setFiltersOpen((open) => !open)}
              aria-expanded={filtersOpen}
            >
              {activeFilters > 0 ? `Filters (${activeFilters})` : 'Filters'}
            </Button>
          )}
          {(wide || filtersOpen) && (
            <>
              {filters.map((filter) => (
                <FilterControl
                  key={filter.key}
                  filter={filter}
                  value={search[filter.key]}
                  onChange={(value) => update({ [filter.key]: value })}
                />
              ))}
              {definition.features.archivable && (
                <Stack gap={4}>
                  <Text size="sm" fw={500} id={`${definition.path}-archived-label`}>
                    Show
                  </Text>
                  <SegmentedControl
                    aria-labelledby={`${definition.path}-archived-label`}
                    value={archived}
                    onChange={(value) => update({ archived: value === 'false' ? undefined : value })}
                    data={[
                      { label: 'Active', value: 'false' },
                      { label: 'Archived', value: 'true' },
                      { label: 'All', value: 'all' },
                    ]}
                  />
                </Stack>
              )}
            </>
          )}
        </Group>
        <Group gap="xs" wrap="wrap">
          <SavedViewsMenu
            entityType={definition.entityType}
            noun={plural}
            currentViewId={search.view}
            currentState={{
              query: viewQuery(search),
              columns: listColumns.visibleKeys,
            }}
            onApply={applyView}
            onForget={() => update({ view: undefined }, true)}
          />
          <ColumnChooser
            columns={listColumns.arranged}
            onChange={listColumns.change}
            onReset={listColumns.reset}
            keepOne={!titleColumn}
          />
          <Button
            variant="default"
            leftSection={<DownloadIcon size={16} />}
            loading={exporting}
            onClick={exportCsv}
          >
            Export CSV
          </Button>
        </Group>
      </Group>
      {bulkAllowed && selectedRows.length > 0 && (
        <BulkActionsBar definition={definition} rows={selectedRows} onClear={() => setSelected(new Set())} />
      )}
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <>
          <DataTable
            caption={definition.labels.plural}
            columns={listColumns.shown}
            rows={listColumns.pending ? undefined : query.data?.data}
            rowKey={(row) => row.id}
            loading={query.isPending || query.isPlaceholderData || listColumns.pending}
            selection={
              bulkAllowed
                ? {
                    selected,
                    onChange: setSelected,
                    rowLabel: (row) => (titleColumn ? titleColumn.render(row) : row.id),
                  }
                : undefined
            }
            sort={search.sort ?? defaultSort}
            onSortChange={(sort) => update({ sort: sort === defaultSort ? undefined : sort }, true)}
            empty={empty}
          />
          {query.data && query.data.total > 0 && (
            <ListPagination
              page={query.data.page}
              pageSize={query.data.pageSize}
              total={query.data.total}
              noun={plural}
              onPageChange={(page) => update({ page: page === 1 ? undefined : String(page) }, true)}
              onPageSizeChange={(pageSize) =>
                update({ pageSize: pageSize === defaultPageSize ? undefined : String(pageSize) })
              }
            />
          )}
        </>
      )}
    </Stack>
  );
}
