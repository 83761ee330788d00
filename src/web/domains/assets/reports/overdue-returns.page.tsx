import { Badge, Group, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { ColumnDefinition } from '../../../components/data-table';
import { EmptyStateBlock } from '../../../components/empty-state-block';
import { formatDate, formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { CsvButton, RecordLink, ReportTable, reportsCrumb, useReport } from './report-kit';

interface OverdueReturn {
  itemType: 'asset' | 'peripheral';
  itemId: string;
  itemName: string;
  itemCode: string | null;
  assignmentId: string;
  userId: string | null;
  userName: string | null;
  locationId: string | null;
  locationName: string | null;
  assetId: string | null;
  assetName: string | null;
  checkedOutAt: string;
  expectedReturnDate: string;
  daysOverdue: number;
}

const COLUMNS: ColumnDefinition<OverdueReturn>[] = [
  {
    key: 'item',
    header: 'Item',
    render: (row) => (
      <RecordLink type={row.itemType} id={row.itemId}>
        {row.itemCode ? `${row.itemCode} ${row.itemName}` : row.itemName}
      </RecordLink>
    ),
  },
  { key: 'kind', header: 'Kind', render: (row) => (row.itemType === 'asset' ? 'Asset' : 'Peripheral') },
  {
    key: 'holder',
    header: 'Held by',
    render: (row) => (
      <>
        {row.userId && (
          <RecordLink type="user" id={row.userId}>
            {row.userName}
          </RecordLink>
        )}
        {row.userId && row.assetId && ' with '}
        {row.assetId && (
          <RecordLink type="asset" id={row.assetId}>
            {row.assetName}
          </RecordLink>
        )}
        {row.locationId && (
          <RecordLink type="location" id={row.locationId}>
            {row.locationName}
          </RecordLink>
        )}
      </>
    ),
  },
  { key: 'out', header: 'Checked out', visibleFrom: 'md', render: (row) => formatDateTime(row.checkedOutAt) },
  { key: 'due', header: 'Expected back', render: (row) => formatDate(row.expectedReturnDate) },
  {
    key: 'late',
    header: 'Overdue',
    render: (row) => (
      <Badge color={row.daysOverdue > 30 ? 'red' : 'orange'} variant="light">
        {row.daysOverdue === 1 ? '1 day' : `${row.daysOverdue} days`}
      </Badge>
    ),
  },
];

/** Everything checked out and not back by its expected return date, most overdue first. */
export function OverdueReturnsPage() {
  const [asOf, setAsOf] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const params = { asOf: asOf || undefined, page, pageSize };
  const query = useReport<OverdueReturn>('overdue-returns', params);
  return (
    <>
      <PageHeader
        title="Overdue returns"
        crumbs={[reportsCrumb, { label: 'Overdue returns' }]}
        description="Assets and peripherals checked out and not back by their expected return date, most overdue first."
        actions={<CsvButton path="overdue-returns" params={params} />}
      />
      <Group mb="md">
        <TextInput
          label="As of"
          description="Empty: today"
          type="date"
          value={asOf}
          onChange={(event) => {
            setAsOf(event.currentTarget.value);
            setPage(1);
          }}
        />
      </Group>
      <ReportTable
        caption="Overdue returns"
        query={query}
        columns={COLUMNS}
        rowKey={(row) => row.assignmentId}
        page={page}
        pageSize={pageSize}
        noun="overdue returns"
        empty={
          <EmptyStateBlock
            title="Nothing is overdue"
            description="Everything checked out is within its expected return date."
          />
        }
        onPageChange={setPage}
        onPageSizeChange={(size) => {
          setPageSize(size);
          setPage(1);
        }}
      />
    </>
  );
}
