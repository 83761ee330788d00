import { Badge, Button, Group, Loader, Paper, Skeleton, Stack, Text, UnstyledButton } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode, useId, useState } from 'react';
import { api } from '../../../api/client';
import type { Page } from '../../../api/types';
import { ListPagination } from '../../../components/data-table';
import { ErrorState } from '../../../components/error-pages';
import { humanizeField } from '../../../components/format';
import { ChevronDownIcon, ChevronRightIcon } from '../../../components/icons';
import { PageHeader } from '../../../components/page-header';
import { CsvButton, RecordLink, reportsCrumb, useReport } from './report-kit';

interface TreeLocation {
  id: string;
  name: string;
  city: string | null;
  isArchived: boolean;
  assetCount: number;
}
interface TreeAsset {
  id: string;
  name: string;
  assetTag: string;
  status: string;
  holderId: string | null;
  holderName: string | null;
  peripheralCount: number;
}
interface TreePeripheral {
  id: string;
  name: string;
  type: string;
  serialNumber: string | null;
  status: string;
}

const LOCATIONS_PER_PAGE = 50;
/** Children are loaded a page at a time: a location with 50,000 assets shows the first 50. */
const CHILDREN_PER_PAGE = 50;
const INDENT = 28;

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * A branch: a disclosure button (keyboard-operable, announcing expanded or collapsed) and, once
 * expanded, its children, loaded only then.
 */
function Branch({
  label,
  summary,
  expandable,
  children,
}: {
  label: ReactNode;
  /** What a screen reader hears on the button, e.g. "Lisbon office, 3 assets". */
  summary: string;
  expandable: boolean;
  children: () => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <li>
      <Group gap={6} wrap="nowrap" py={4}>
        {expandable ? (
          <UnstyledButton
            aria-expanded={open}
            aria-controls={id}
            aria-label={`${open ? 'Collapse' : 'Expand'} ${summary}`}
            onClick={() => setOpen((value) => !value)}
            style={{ display: 'inline-flex', padding: 2, borderRadius: 4 }}
          >
            {open ? <ChevronDownIcon size={16} /> : <ChevronRightIcon size={16} />}
          </UnstyledButton>
        ) : (
          <span style={{ width: 20 }} aria-hidden />
        )}
        {label}
      </Group>
      {open && (
        <ul id={id} style={{ listStyle: 'none', margin: 0, paddingLeft: INDENT }}>
          {children()}
        </ul>
      )}
    </li>
  );
}

/** Children of a branch, page after page ("Show more"), from `GET /api/v1/reports/asset-tree/<path>`. */
function Children<T extends { id: string }>({
  path,
  params,
  noun,
  render,
}: {
  path: 'assets' | 'peripherals';
  params: Record<string, string>;
  noun: string;
  /** Each child renders its own `li`. */
  render: (row: T) => ReactNode;
}) {
  const query = useInfiniteQuery({
    queryKey: ['reports', 'asset-tree', path, params],
    initialPageParam: 1,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<T>>(
        `/api/v1/reports/asset-tree/${path}`,
        { ...params, page: pageParam, pageSize: CHILDREN_PER_PAGE },
        { signal },
      ),
    getNextPageParam: (last, pages) =>
      pages.length * CHILDREN_PER_PAGE < last.total ? pages.length + 1 : undefined,
  });
  if (query.isError)
    return (
      <li>
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      </li>
    );
  if (!query.data)
    return (
      <li aria-busy="true">
        <Skeleton height={20} width={240} />
      </li>
    );
  const rows = query.data.pages.flatMap((page) => page.data);
  const total = query.data.pages[0]?.total ?? 0;
  if (total === 0)
    return (
      <li>
        <Text size="sm" c="dimmed">
          No {noun}s.
        </Text>
      </li>
    );
  return (
    <>
      {rows.map((row) => (
        <Fragment key={row.id}>{render(row)}</Fragment>
      ))}
      {query.hasNextPage && (
        <li>
          <Button
            variant="subtle"
            size="xs"
            loading={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            Show more ({rows.length} of {total} shown)
          </Button>
        </li>
      )}
    </>
  );
}

function PeripheralLeaf({ peripheral }: { peripheral: TreePeripheral }) {
  return (
    <li>
      <Group gap={6} py={4} pl={26}>
        <RecordLink type="peripheral" id={peripheral.id}>
          {peripheral.name}
        </RecordLink>
        <Text size="sm" c="dimmed">
          {humanizeField(peripheral.type)}
          {peripheral.serialNumber ? ` · ${peripheral.serialNumber}` : ''}
        </Text>
        <Badge size="xs" variant="light">
          {humanizeField(peripheral.status)}
        </Badge>
      </Group>
    </li>
  );
}

function AssetBranch({ asset }: { asset: TreeAsset }) {
  return (
    <Branch
      summary={`${asset.assetTag} ${asset.name}, ${plural(asset.peripheralCount, 'peripheral')}`}
      expandable={asset.peripheralCount > 0}
      label={
        <Group gap={6}>
          <RecordLink type="asset" id={asset.id}>
            {asset.assetTag} {asset.name}
          </RecordLink>
          <Badge size="xs" variant="light">
            {humanizeField(asset.status)}
          </Badge>
          {asset.holderName && (
            <Text size="sm" c="dimmed">
              held by {asset.holderName}
            </Text>
          )}
          {asset.peripheralCount > 0 && (
            <Text size="sm" c="dimmed">
              {plural(asset.peripheralCount, 'peripheral')}
            </Text>
          )}
        </Group>
      }
    >
      {() => (
        <Children<TreePeripheral>
          path="peripherals"
          params={{ assetId: asset.id }}
          noun="peripheral"
          render={(peripheral) => <PeripheralLeaf peripheral={peripheral} />}
        />
      )}
    </Branch>
  );
}

function LocationBranch({
  id,
  name,
  count,
  extra,
}: {
  id: string;
  name: string;
  count: number;
  extra?: ReactNode;
}) {
  return (
    <Branch
      summary={`${name}, ${plural(count, 'asset')}`}
      expandable={count > 0}
      label={
        <Group gap={6}>
          <Text fw={500}>
            {id === 'none' ? (
              name
            ) : (
              <RecordLink type="location" id={id}>
                {name}
              </RecordLink>
            )}
          </Text>
          <Text size="sm" c="dimmed">
            {plural(count, 'asset')}
          </Text>
          {extra}
        </Group>
      }
    >
      {() => (
        <Children<TreeAsset>
          path="assets"
          params={{ locationId: id }}
          noun="asset"
          render={(asset) => <AssetBranch asset={asset} />}
        />
      )}
    </Branch>
  );
}

/** Location → assets → peripherals, each level loaded when it is expanded. */
export function AssetTreePage() {
  const [page, setPage] = useState(1);
  const params = { page, pageSize: LOCATIONS_PER_PAGE };
  const query = useReport<TreeLocation>('asset-tree', params);
  const data = query.data as (Page<TreeLocation> & { unlocatedAssetCount: number }) | undefined;
  return (
    <>
      <PageHeader
        title="Inventory tree"
        crumbs={[reportsCrumb, { label: 'Inventory tree' }]}
        description="Locations, the assets at each and the peripherals mounted on them. Expand a branch to load it."
        actions={<CsvButton path="asset-tree" params={{}} />}
      />
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !data ? (
        <Loader size="sm" />
      ) : (
        <Paper withBorder p="md">
          <Stack gap="xs">
            <ul aria-label="Locations" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {data.data.map((location) => (
                <LocationBranch
                  key={location.id}
                  id={location.id}
                  name={location.name}
                  count={location.assetCount}
                  extra={
                    location.isArchived ? (
                      <Badge size="xs" color="gray" variant="outline">
                        Archived
                      </Badge>
                    ) : undefined
                  }
                />
              ))}
              {data.unlocatedAssetCount > 0 && page * LOCATIONS_PER_PAGE >= data.total && (
                <LocationBranch id="none" name="No location" count={data.unlocatedAssetCount} />
              )}
            </ul>
            <ListPagination
              page={page}
              pageSize={LOCATIONS_PER_PAGE}
              total={data.total}
              noun="locations"
              onPageChange={setPage}
            />
          </Stack>
        </Paper>
      )}
    </>
  );
}
