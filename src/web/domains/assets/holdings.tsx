import { Anchor, Button, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { ErrorState } from '../../components/error-pages';
import { humanizeField } from '../../components/format';

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
    </Stack>
  );
}
