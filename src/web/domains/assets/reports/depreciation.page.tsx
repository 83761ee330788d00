import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { Page } from '../../../api/types';
import type { ColumnDefinition } from '../../../components/data-table';
import { EmptyStateBlock } from '../../../components/empty-state-block';
import { formatDate } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import {
  CsvButton,
  formatMoney,
  localToday,
  RecordLink,
  ReportTable,
  reportsCrumb,
  useReport,
} from './report-kit';

interface AssetDepreciation {
  assetId: string;
  assetTag: string;
  name: string;
  category: string | null;
  locationName: string | null;
  purchaseDate: string;
  currency: string;
  cost: string;
  salvageValue: string;
  usefulLifeMonths: number;
  monthsElapsed: number;
  depreciationEnd: string;
  accumulatedDepreciation: string;
  bookValue: string;
  fullyDepreciated: boolean;
}

interface Total {
  currency: string;
  count: number;
  cost: string;
  accumulatedDepreciation: string;
  bookValue: string;
}

interface DepreciationReport extends Page<AssetDepreciation> {
  asOf: string;
  totals: {
    byCurrency: Total[];
    byCategory: Array<Total & { category: string | null }>;
    byLocation: Array<Total & { locationId: string | null; locationName: string | null }>;
    notDepreciable: number;
  };
}

const COLUMNS: ColumnDefinition<AssetDepreciation>[] = [
  {
    key: 'asset',
    header: 'Asset',
    render: (row) => (
      <RecordLink type="asset" id={row.assetId}>
        {row.assetTag} {row.name}
      </RecordLink>
    ),
  },
  { key: 'category', header: 'Category', visibleFrom: 'md', render: (row) => row.category ?? '—' },
  { key: 'purchased', header: 'Purchased', render: (row) => formatDate(row.purchaseDate) },
  { key: 'cost', header: 'Cost', render: (row) => formatMoney(row.cost, row.currency) },
  {
    key: 'months',
    header: 'Months',
    render: (row) => `${row.monthsElapsed} of ${row.usefulLifeMonths}`,
  },
  {
    key: 'accumulated',
    header: 'Depreciated',
    render: (row) => formatMoney(row.accumulatedDepreciation, row.currency),
  },
  {
    key: 'book',
    header: 'Book value',
    render: (row) => (
      <Group gap={6} wrap="nowrap">
        {formatMoney(row.bookValue, row.currency)}
        {row.fullyDepreciated && (
          <Badge size="xs" variant="light" color="gray">
            Fully depreciated
          </Badge>
        )}
      </Group>
    ),
  },
];

/** One block of totals (by currency, category or location), each line in its own currency. */
function Totals({ title, rows }: { title: string; rows: Array<Total & { label: string }> }) {
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h5" mb="xs">
        {title}
      </Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing to total.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={300} type="native">
          <Table fz="sm" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                <Table.Th>Assets</Table.Th>
                <Table.Th>Cost</Table.Th>
                <Table.Th>Book value</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={`${row.label}:${row.currency}`}>
                  <Table.Td>{row.label}</Table.Td>
                  <Table.Td>{row.count}</Table.Td>
                  <Table.Td>{formatMoney(row.cost, row.currency)}</Table.Td>
                  <Table.Td>{formatMoney(row.bookValue, row.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/**
 * Straight-line depreciation as of a chosen date: each asset's book value and totals by currency,
 * category and location (never adding two currencies together).
 */
export function DepreciationPage() {
  const [asOf, setAsOf] = useState(localToday);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const params = { asOf: asOf || undefined, page, pageSize };
  const query = useReport<AssetDepreciation>('depreciation', params);
  const report = query.data as DepreciationReport | undefined;
  return (
    <>
      <PageHeader
        title="Depreciation"
        crumbs={[reportsCrumb, { label: 'Depreciation' }]}
        description="Straight line over each asset's useful life down to its salvage value, by whole months since its purchase date."
        actions={<CsvButton path="depreciation" params={params} />}
      />
      <Stack gap="md">
        <Group align="flex-end">
          <TextInput
            label="As of"
            type="date"
            value={asOf}
            onChange={(event) => {
              setAsOf(event.currentTarget.value);
              setPage(1);
            }}
          />
          {report && report.totals.notDepreciable > 0 && (
            <Text size="sm" c="dimmed">
              {report.totals.notDepreciable === 1
                ? '1 asset lacks a purchase date, cost or useful life and is not listed.'
                : `${report.totals.notDepreciable} assets lack a purchase date, cost or useful life and are not listed.`}
            </Text>
          )}
        </Group>
        {report && (
          <SimpleGrid cols={{ base: 1, lg: 3 }}>
            <Totals
              title="Totals"
              rows={report.totals.byCurrency.map((t) => ({ ...t, label: t.currency }))}
            />
            <Totals
              title="By category"
              rows={report.totals.byCategory.map((t) => ({ ...t, label: t.category ?? 'No category' }))}
            />
            <Totals
              title="By location"
              rows={report.totals.byLocation.map((t) => ({ ...t, label: t.locationName ?? 'No location' }))}
            />
          </SimpleGrid>
        )}
        <ReportTable
          caption={`Book values as of ${formatDate(asOf)}`}
          query={query}
          columns={COLUMNS}
          rowKey={(row) => row.assetId}
          page={page}
          pageSize={pageSize}
          noun="assets"
          empty={
            <EmptyStateBlock
              title="No assets to depreciate"
              description="Assets with a purchase date, a cost and a useful life, bought by this date, appear here."
            />
          }
          onPageChange={setPage}
          onPageSizeChange={(size) => {
            setPageSize(size);
            setPage(1);
          }}
        />
      </Stack>
    </>
  );
}
