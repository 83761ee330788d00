import type { MantineBreakpoint } from '@mantine/core';
import { Checkbox, Group, Pagination, Select, Skeleton, Table, Text, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { SortDownIcon, SortIcon, SortUpIcon } from './icons';

export interface ColumnDefinition<T> {
  key: string;
  header: string;
  /** The server's sort field; columns without one are not sortable. */
  sortField?: string;
  render: (row: T) => ReactNode;
  /** Hidden on screens narrower than this breakpoint. */
  visibleFrom?: MantineBreakpoint;
  /** Header shown only to screen readers (action columns). */
  hiddenHeader?: boolean;
}

/** Row checkboxes: which rows are selected, and how a row is named to screen readers. */
export interface RowSelection<T> {
  selected: ReadonlySet<string>;
  onChange: (selected: Set<string>) => void;
  rowLabel: (row: T) => string;
}

export interface DataTableProps<T> {
  /** Names the table for screen readers, e.g. "Users". */
  caption: string;
  columns: ColumnDefinition<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  loading?: boolean;
  /** `field` or `-field`. */
  sort?: string;
  onSortChange?: (sort: string) => void;
  /** Rendered instead of the table body when there are no rows. */
  empty?: ReactNode;
  minWidth?: number;
  /** Adds a checkbox to each row and a select-all-on-this-page checkbox to the header. */
  selection?: RowSelection<T>;
}

const SKELETON_ROWS = ['a', 'b', 'c', 'd', 'e'];

function SortHeader<T>({
  column,
  sort,
  onSortChange,
}: {
  column: ColumnDefinition<T>;
  sort?: string;
  onSortChange: (sort: string) => void;
}) {
  const field = column.sortField!;
  const direction = sort === field ? 'ascending' : sort === `-${field}` ? 'descending' : undefined;
  const next = direction === 'ascending' ? `-${field}` : field;
  return (
    <Table.Th aria-sort={direction ?? 'none'} visibleFrom={column.visibleFrom}>
      <button type="button" className="sort-button" onClick={() => onSortChange(next)}>
        {column.header}
        {direction === 'ascending' ? (
          <SortUpIcon size={14} />
        ) : direction === 'descending' ? (
          <SortDownIcon size={14} />
        ) : (
          <SortIcon size={14} opacity={0.5} />
        )}
        <VisuallyHidden>
          {direction === 'ascending'
            ? ', sorted ascending; activate to sort descending'
            : direction === 'descending'
              ? ', sorted descending; activate to sort ascending'
              : ', activate to sort'}
        </VisuallyHidden>
      </button>
    </Table.Th>
  );
}

/** A table with sortable headers, a loading skeleton and an empty state. */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  loading = false,
  sort,
  onSortChange,
  empty,
  minWidth = 520,
  selection,
}: DataTableProps<T>) {
  if (!loading && rows && rows.length === 0 && empty) return <>{empty}</>;
  const pageKeys = rows?.map(rowKey) ?? [];
  const selectedOnPage = selection ? pageKeys.filter((key) => selection.selected.has(key)).length : 0;
  const toggle = (key: string, on: boolean) => {
    if (!selection) return;
    const next = new Set(selection.selected);
    if (on) next.add(key);
    else next.delete(key);
    selection.onChange(next);
  };
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native">
      <Table striped highlightOnHover verticalSpacing="sm" aria-busy={loading}>
        <VisuallyHidden component="caption">{caption}</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            {selection && (
              <Table.Th w={40}>
                <Checkbox
                  aria-label="Select all on this page"
                  checked={pageKeys.length > 0 && selectedOnPage === pageKeys.length}
                  indeterminate={selectedOnPage > 0 && selectedOnPage < pageKeys.length}
                  disabled={pageKeys.length === 0}
                  onChange={(event) =>
                    selection.onChange(event.currentTarget.checked ? new Set(pageKeys) : new Set())
                  }
                />
              </Table.Th>
            )}
            {columns.map((column) =>
              column.sortField && onSortChange ? (
                <SortHeader key={column.key} column={column} sort={sort} onSortChange={onSortChange} />
              ) : (
                <Table.Th key={column.key} visibleFrom={column.visibleFrom}>
                  {column.hiddenHeader ? <VisuallyHidden>{column.header}</VisuallyHidden> : column.header}
                </Table.Th>
              ),
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading && !rows
            ? SKELETON_ROWS.map((key) => (
                <Table.Tr key={key}>
                  {selection && <Table.Td />}
                  {columns.map((column) => (
                    <Table.Td key={column.key} visibleFrom={column.visibleFrom}>
                      <Skeleton height={14} radius="sm" />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))
            : rows?.map((row) => {
                const key = rowKey(row);
                const selected = selection?.selected.has(key) ?? false;
                return (
                  <Table.Tr key={key} bg={selected ? 'var(--mantine-primary-color-light)' : undefined}>
                    {selection && (
                      <Table.Td>
                        <Checkbox
                          aria-label={`Select ${selection.rowLabel(row)}`}
                          checked={selected}
                          onChange={(event) => toggle(key, event.currentTarget.checked)}
                        />
                      </Table.Td>
                    )}
                    {columns.map((column) => (
                      <Table.Td key={column.key} visibleFrom={column.visibleFrom}>
                        {column.render(row)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                );
              })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export const PAGE_SIZES = ['10', '25', '50', '100'];

/** "1–25 of 120", page buttons and rows per page. */
export function ListPagination({
  page,
  pageSize,
  total,
  noun,
  onPageChange,
  onPageSizeChange,
}: {
  page: number;
  pageSize: number;
  total: number;
  noun: string;
  onPageChange: (page: number) => void;
  onPageSizeChange?: (pageSize: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <Group justify="space-between" mt="md" gap="sm" wrap="wrap">
      <Text size="sm" c="dimmed" aria-live="polite">
        {total === 0 ? `No ${noun}` : `${first}–${last} of ${total} ${noun}`}
      </Text>
      <Group gap="sm" wrap="wrap">
        {onPageSizeChange && (
          <Select
            label="Rows per page"
            size="xs"
            w={120}
            data={PAGE_SIZES}
            value={String(pageSize)}
            onChange={(value) => value && onPageSizeChange(Number(value))}
            allowDeselect={false}
          />
        )}
        {pages > 1 && (
          <Pagination
            total={pages}
            value={Math.min(page, pages)}
            onChange={onPageChange}
            size="sm"
            siblings={1}
            getControlProps={(control) => ({
              'aria-label':
                control === 'next' ? 'Next page' : control === 'previous' ? 'Previous page' : control,
            })}
            getItemProps={(item) => ({ 'aria-label': `Page ${item}` })}
          />
        )}
      </Group>
    </Group>
  );
}
