import { Badge, Checkbox, Group, NumberInput } from '@mantine/core';
import { useState } from 'react';
import type { ColumnDefinition } from '../../../components/data-table';
import { EmptyStateBlock } from '../../../components/empty-state-block';
import { formatDate, humanizeField } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { CsvButton, RecordLink, ReportTable, reportsCrumb, useReport } from './report-kit';

/** Warranties and ends of life coming due: the same window (N days, past ones or not), two reports. */

interface WarrantyExpiry {
  itemType: 'asset' | 'peripheral';
  itemId: string;
  itemName: string;
  itemCode: string | null;
  status: string;
  locationId: string | null;
  locationName: string | null;
  purchaseDate: string;
  warrantyMonths: number;
  warrantyEnd: string;
  daysLeft: number;
}

interface EndOfLifeDue {
  assetId: string;
  name: string;
  assetTag: string;
  status: string;
  expectedEndOfLife: string;
  daysLeft: number;
  locationId: string | null;
  locationName: string | null;
  holderId: string | null;
  holderName: string | null;
}

function DaysLeft({ days }: { days: number }) {
  if (days < 0)
    return (
      <Badge color="red" variant="light">
        {-days === 1 ? 'ended 1 day ago' : `ended ${-days} days ago`}
      </Badge>
    );
  return (
    <Badge color={days <= 7 ? 'orange' : 'blue'} variant="light">
      {days === 0 ? 'today' : days === 1 ? 'in 1 day' : `in ${days} days`}
    </Badge>
  );
}

const place = (id: string | null, name: string | null) =>
  id ? (
    <RecordLink type="location" id={id}>
      {name}
    </RecordLink>
  ) : (
    '—'
  );

const WARRANTY_COLUMNS: ColumnDefinition<WarrantyExpiry>[] = [
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
  { key: 'status', header: 'Status', visibleFrom: 'md', render: (row) => humanizeField(row.status) },
  {
    key: 'location',
    header: 'Location',
    visibleFrom: 'md',
    render: (row) => place(row.locationId, row.locationName),
  },
  {
    key: 'purchased',
    header: 'Purchased',
    render: (row) => `${formatDate(row.purchaseDate)} + ${row.warrantyMonths} months`,
  },
  { key: 'end', header: 'Warranty ends', render: (row) => formatDate(row.warrantyEnd) },
  { key: 'left', header: 'When', render: (row) => <DaysLeft days={row.daysLeft} /> },
];

const END_OF_LIFE_COLUMNS: ColumnDefinition<EndOfLifeDue>[] = [
  {
    key: 'asset',
    header: 'Asset',
    render: (row) => (
      <RecordLink type="asset" id={row.assetId}>
        {row.assetTag} {row.name}
      </RecordLink>
    ),
  },
  { key: 'status', header: 'Status', render: (row) => humanizeField(row.status) },
  {
    key: 'holder',
    header: 'Held by',
    visibleFrom: 'md',
    render: (row) =>
      row.holderId ? (
        <RecordLink type="user" id={row.holderId}>
          {row.holderName}
        </RecordLink>
      ) : (
        '—'
      ),
  },
  {
    key: 'location',
    header: 'Location',
    visibleFrom: 'md',
    render: (row) => place(row.locationId, row.locationName),
  },
  { key: 'end', header: 'End of life', render: (row) => formatDate(row.expectedEndOfLife) },
  { key: 'left', header: 'When', render: (row) => <DaysLeft days={row.daysLeft} /> },
];

/** The page of one report over a window of days. */
function WindowReport<T>({
  path,
  title,
  description,
  defaultDays,
  pastFlag,
  pastLabel,
  columns,
  rowKey,
  noun,
}: {
  path: string;
  title: string;
  description: string;
  defaultDays: number;
  pastFlag: 'includeExpired' | 'includeOverdue';
  pastLabel: string;
  columns: ColumnDefinition<T>[];
  rowKey: (row: T) => string;
  noun: string;
}) {
  const [days, setDays] = useState<number>(defaultDays);
  const [past, setPast] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const params = { days, [pastFlag]: past ? 'true' : undefined, page, pageSize };
  const query = useReport<T>(path, params);
  return (
    <>
      <PageHeader
        title={title}
        crumbs={[reportsCrumb, { label: title }]}
        description={description}
        actions={<CsvButton path={path} params={params} />}
      />
      <Group mb="md" align="flex-end">
        <NumberInput
          label="Within (days)"
          min={0}
          max={3650}
          w={160}
          value={days}
          allowDecimal={false}
          allowNegative={false}
          onChange={(value) => {
            if (typeof value === 'number' && value >= 0 && value <= 3650) {
              setDays(value);
              setPage(1);
            }
          }}
        />
        <Checkbox
          label={pastLabel}
          checked={past}
          onChange={(event) => {
            setPast(event.currentTarget.checked);
            setPage(1);
          }}
          mb={8}
        />
      </Group>
      <ReportTable
        caption={title}
        query={query}
        columns={columns}
        rowKey={rowKey}
        page={page}
        pageSize={pageSize}
        noun={noun}
        empty={
          <EmptyStateBlock title="Nothing comes due" description={`Nothing in the next ${days} days.`} />
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

export function WarrantiesPage() {
  return (
    <WindowReport<WarrantyExpiry>
      path="warranties"
      title="Warranties expiring"
      description="Assets and peripherals whose warranty (purchase date plus warranty months) ends within the days chosen, soonest first."
      defaultDays={30}
      pastFlag="includeExpired"
      pastLabel="Include expired warranties"
      columns={WARRANTY_COLUMNS}
      rowKey={(row) => row.itemId}
      noun="items"
    />
  );
}

export function EndOfLifePage() {
  return (
    <WindowReport<EndOfLifeDue>
      path="end-of-life"
      title="End of life due"
      description="Assets whose expected end of life falls within the days chosen, soonest first."
      defaultDays={90}
      pastFlag="includeOverdue"
      pastLabel="Include those already past it"
      columns={END_OF_LIFE_COLUMNS}
      rowKey={(row) => row.assetId}
      noun="assets"
    />
  );
}
