import { Anchor, Button, Stack } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { ApiError, api, buildUrl, type Problem, type QueryParams } from '../../../api/client';
import type { Page } from '../../../api/types';
import { type ColumnDefinition, DataTable, ListPagination } from '../../../components/data-table';
import { ErrorState } from '../../../components/error-pages';
import { DownloadIcon } from '../../../components/icons';
import { notifyError } from '../../../components/notify';

/** What the inventory's report pages share: fetching a page, the table, CSV download, links. */

export const REPORTS_ROUTE = '/inventory/reports';
export const reportsCrumb = { label: 'Reports', to: REPORTS_ROUTE };

/** A page of `GET /api/v1/reports/<path>` (kept on screen while the next one loads). */
export function useReport<T>(path: string, params: QueryParams) {
  return useQuery({
    queryKey: ['reports', path, params],
    queryFn: ({ signal }) => api.get<Page<T>>(`/api/v1/reports/${path}`, params, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** Today on this computer, as YYYY-MM-DD (the default as-of date a person expects). */
export function localToday(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Downloads the report as CSV (`Accept: text/csv`, every row). Fetched rather than linked, so
 * that a refusal (a bad date, too many rows) can be shown.
 */
async function downloadCsv(path: string, params: QueryParams): Promise<void> {
  const response = await fetch(buildUrl(`/api/v1/reports/${path}`, params), {
    credentials: 'same-origin',
    headers: { accept: 'text/csv, application/problem+json' },
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Partial<Problem>;
    throw new ApiError({
      type: 'about:blank',
      title: 'Download failed',
      ...problem,
      status: response.status,
    });
  }
  const disposition = response.headers.get('content-disposition');
  const filename = (disposition && /filename="([^"]+)"/.exec(disposition)?.[1]) || `${path}.csv`;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "Download CSV" of a report with the parameters on screen (paging aside: the file has every row). */
export function CsvButton({ path, params }: { path: string; params: QueryParams }) {
  const [busy, setBusy] = useState(false);
  const { page: _page, pageSize: _size, ...filters } = params;
  return (
    <Button
      variant="default"
      leftSection={<DownloadIcon size={16} />}
      loading={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await downloadCsv(path, filters);
        } catch (error) {
          notifyError(error, 'Could not download the CSV file');
        } finally {
          setBusy(false);
        }
      }}
    >
      Download CSV
    </Button>
  );
}

/** A report's page of rows with its pagination. */
export function ReportTable<T>({
  caption,
  query,
  columns,
  rowKey,
  page,
  pageSize,
  noun,
  empty,
  onPageChange,
  onPageSizeChange,
}: {
  caption: string;
  query: ReturnType<typeof useReport<T>>;
  columns: ColumnDefinition<T>[];
  rowKey: (row: T) => string;
  page: number;
  pageSize: number;
  noun: string;
  empty: ReactNode;
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
}) {
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  return (
    <Stack gap={0}>
      <DataTable
        caption={caption}
        columns={columns}
        rows={query.data?.data}
        rowKey={rowKey}
        loading={query.isFetching}
        empty={empty}
        minWidth={760}
      />
      {query.data && query.data.total > 0 && (
        <ListPagination
          page={page}
          pageSize={pageSize}
          total={query.data.total}
          noun={noun}
          onPageChange={onPageChange}
          onPageSizeChange={onPageSizeChange}
        />
      )}
    </Stack>
  );
}

/** A link to a record's page (the generic detail page of its type). */
export function RecordLink({ type, id, children }: { type: string; id: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={`/records/${type}/${id}`}>
      {children}
    </Anchor>
  );
}

/** An amount in its currency, as people read it (the API's decimal string stays exact in the CSV). */
export function formatMoney(amount: string | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  if (!currency) return amount;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}
