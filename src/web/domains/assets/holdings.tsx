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

interface HeldAsset {
  id: string;
  name: string;
  assetTag: string;
  serialNumber: string | null;
  status: string;
}

/** The most a person is expected to hold; more is listed by the assets list filtered by holder. */
const SHOWN = 200;

/**
 * What a person holds: the assets checked out to them, as a custody statement that can be printed
 * or exported (the assets list's CSV export, filtered to this holder).
 */
export function Holdings({ userId, name }: { userId: string; name: string }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const checkInAll = useMutation({
    mutationFn: () =>
      api.post<{ data: HeldAsset[] }>(`/api/v1/users/${userId}/check-in-all`, {
        notes: 'returned by a leaver',
      }),
    onSuccess: async (result) => {
      notifySuccess(`${result.data.length} ${result.data.length === 1 ? 'asset' : 'assets'} checked in.`);
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ['assets'] });
    },
    onError: (error) => notifyError(error, 'Could not check everything in'),
  });
  const query = useQuery({
    queryKey: ['assets', 'list', { holderId: userId, pageSize: SHOWN, sort: 'assetTag' }],
    queryFn: ({ signal }) =>
      api.get<Page<HeldAsset>>(
        '/api/v1/assets',
        { holderId: userId, pageSize: SHOWN, sort: 'assetTag' },
        { signal },
      ),
  });
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!query.data) return <Skeleton height={120} />;
  const exportUrl = `/api/v1/assets/export.csv?${new URLSearchParams({ holderId: userId, sort: 'assetTag' })}`;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {query.data.total === 0
            ? `${name} holds no assets.`
            : `${name} holds ${query.data.total} ${query.data.total === 1 ? 'asset' : 'assets'}.`}
        </Text>
        {query.data.total > 0 && (
          <Group gap="xs" className="no-print">
            <Button variant="default" size="xs" onClick={() => window.print()}>
              Print custody statement
            </Button>
            <Button variant="default" size="xs" component="a" href={exportUrl} download>
              Export CSV
            </Button>
            {canWrite(session, 'core_inventory') && (
              <Button size="xs" onClick={() => setConfirming(true)}>
                Check in everything
              </Button>
            )}
          </Group>
        )}
      </Group>
      {query.data.total > 0 && (
        <Table.ScrollContainer minWidth={480} type="native">
          <Table striped>
            <Table.Caption>Assets held by {name}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Asset tag</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Serial number</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.data.map((asset) => (
                <Table.Tr key={asset.id}>
                  <Table.Td>{asset.assetTag}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/records/asset/${asset.id}`}>
                      {asset.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{asset.serialNumber ?? '—'}</Table.Td>
                  <Table.Td>{humanizeField(asset.status)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ConfirmDialog
        opened={confirming}
        title={`Check in everything ${name} holds?`}
        confirmLabel={`Check in ${query.data.total} ${query.data.total === 1 ? 'asset' : 'assets'}`}
        destructive={false}
        loading={checkInAll.isPending}
        onConfirm={() => checkInAll.mutate()}
        onCancel={() => setConfirming(false)}
      >
        Every asset checked out to {name} goes back in stock, each with its custody record closed.
      </ConfirmDialog>
    </Stack>
  );
}
