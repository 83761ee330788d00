import { Anchor, Button, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../api/client';
import { canWrite, useSession } from '../../api/session';
import type { Page } from '../../api/types';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorState } from '../../components/error-pages';
import { humanizeField } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { LICENSES_KEY, LicenseSeatsHoldings } from './license-seats';

interface HeldItem {
  id: string;
  name: string;
  assetTag?: string;
  type?: string;
  serialNumber: string | null;
  status: string;
}

/** The most a person is expected to hold of each kind; more is listed by the filtered lists. */
const SHOWN = 200;

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

function useHeld(path: 'assets' | 'peripherals', userId: string, sort: string) {
  const params = { holderId: userId, pageSize: SHOWN, sort };
  return {
    query: useQuery({
      queryKey: [path, 'list', params],
      queryFn: ({ signal }) => api.get<Page<HeldItem>>(`/api/v1/${path}`, params, { signal }),
    }),
    exportUrl: `/api/v1/${path}/export.csv?${new URLSearchParams({ holderId: userId, sort })}`,
  };
}

function HeldTable({
  caption,
  items,
  kind,
}: {
  caption: string;
  items: HeldItem[];
  kind: 'asset' | 'peripheral';
}) {
  return (
    <Table.ScrollContainer minWidth={480} type="native">
      <Table striped>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{kind === 'asset' ? 'Asset tag' : 'Type'}</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Serial number</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.id}>
              <Table.Td>{kind === 'asset' ? item.assetTag : item.type}</Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/records/${kind}/${item.id}`}>
                  {item.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{item.serialNumber ?? '—'}</Table.Td>
              <Table.Td>{humanizeField(item.status)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * What a person holds: the assets and peripherals checked out to them, as a custody statement that
 * can be printed or exported (each list's CSV export, filtered to this holder).
 */
export function Holdings({ userId, name }: { userId: string; name: string }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const assets = useHeld('assets', userId, 'assetTag');
  const peripherals = useHeld('peripherals', userId, 'name');
  const seats = useQuery({
    queryKey: [...LICENSES_KEY, 'held-by', userId],
    queryFn: ({ signal }) =>
      api.get<{ data: unknown[] }>(`/api/v1/users/${userId}/license-seats`, undefined, { signal }),
  });
  const checkInAll = useMutation({
    mutationFn: () =>
      api.post<{ data: HeldItem[]; peripherals: HeldItem[]; licenseSeatsReleased: number }>(
        `/api/v1/users/${userId}/check-in-all`,
        {
          notes: 'returned by a leaver',
        },
      ),
    onSuccess: async (result) => {
      const count = result.data.length + result.peripherals.length;
      const released = result.licenseSeatsReleased;
      notifySuccess(
        `${plural(count, 'item', 'items')} checked in${released ? `, ${plural(released, 'licence seat', 'licence seats')} released` : ''}.`,
      );
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ['assets'] });
      await queryClient.invalidateQueries({ queryKey: ['peripherals'] });
      await queryClient.invalidateQueries({ queryKey: LICENSES_KEY });
    },
    onError: (error) => notifyError(error, 'Could not check everything in'),
  });
  const failed = [assets.query, peripherals.query, seats].find((query) => query.isError);
  if (failed) return <ErrorState error={failed.error} onRetry={() => failed.refetch()} />;
  if (!assets.query.data || !peripherals.query.data || !seats.data) return <Skeleton height={120} />;
  const assetCount = assets.query.data.total;
  const peripheralCount = peripherals.query.data.total;
  const seatCount = seats.data.data.length;
  const holdsSomething = assetCount + peripheralCount + seatCount > 0;
  const summary = [
    assetCount > 0 && plural(assetCount, 'asset', 'assets'),
    peripheralCount > 0 && plural(peripheralCount, 'peripheral', 'peripherals'),
    seatCount > 0 && plural(seatCount, 'licence seat', 'licence seats'),
  ]
    .filter(Boolean)
    .join(' and ');
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {holdsSomething ? `${name} holds ${summary}.` : `${name} holds nothing.`}
        </Text>
        {holdsSomething && (
          <Group gap="xs" className="no-print">
            <Button variant="default" size="xs" onClick={() => window.print()}>
              Print custody statement
            </Button>
            <Button
              variant="default"
              size="xs"
              component="a"
              href={`/api/v1/users/${userId}/custody-statement.csv`}
              download
            >
              Export statement (CSV)
            </Button>
            {assetCount > 0 && (
              <Button variant="default" size="xs" component="a" href={assets.exportUrl} download>
                Export assets (CSV)
              </Button>
            )}
            {peripheralCount > 0 && (
              <Button variant="default" size="xs" component="a" href={peripherals.exportUrl} download>
                Export peripherals (CSV)
              </Button>
            )}
            {canWrite(session, 'core_inventory') && (
              <Button size="xs" onClick={() => setConfirming(true)}>
                Check in everything
              </Button>
            )}
          </Group>
        )}
      </Group>
      {assetCount > 0 && (
        <HeldTable caption={`Assets held by ${name}`} items={assets.query.data.data} kind="asset" />
      )}
      {peripheralCount > 0 && (
        <HeldTable
          caption={`Peripherals held by ${name}`}
          items={peripherals.query.data.data}
          kind="peripheral"
        />
      )}
      {seatCount > 0 && <LicenseSeatsHoldings userId={userId} name={name} />}
      <ConfirmDialog
        opened={confirming}
        title={`Check in everything ${name} holds?`}
        confirmLabel={`Return ${summary}`}
        destructive={false}
        loading={checkInAll.isPending}
        onConfirm={() => checkInAll.mutate()}
        onCancel={() => setConfirming(false)}
      >
        Every asset and peripheral checked out to {name} goes back in stock, each with its custody record
        closed.
      </ConfirmDialog>
    </Stack>
  );
}
