import {
  Anchor,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../api/client';
import { resourceFromMeta, useEntityMeta } from '../../api/entity-meta';
import { canWrite, useSession } from '../../api/session';
import type { BaseRecord, Page } from '../../api/types';
import { hitHref } from '../../app/search.api';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ListPagination } from '../../components/data-table';
import { ErrorState } from '../../components/error-pages';
import { formatDate, formatDateTime } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { RecordPicker } from '../../components/record-picker';
import type { DetailContext, DetailExtension } from '../../generic/extensions';
import { type User, userResource } from '../people/people.resources';
import { RevealLicenseKey } from './license-key';

/** A seat as `GET /api/v1/licenses/{id}/assignments` answers it. */
interface SeatAssignment {
  id: string;
  licenseId: string;
  userId: string | null;
  assetId: string | null;
  holderName: string | null;
  assignedAt: string;
  releasedAt: string | null;
  notes: string | null;
}

/** A seat a person holds, as `GET /api/v1/users/{id}/license-seats` answers it. */
interface HeldSeat {
  assignmentId: string;
  licenseId: string;
  licenseName: string;
  softwareId: string;
  softwareName: string;
  expiryDate: string | null;
  assignedAt: string;
}

type AssetOption = BaseRecord & { name: string; assetTag: string };

const PAGE_SIZE = 25;
/** Everything cached about licences, seats included: what a seat change makes stale. */
export const LICENSES_KEY = ['licenses'] as const;

function holderHref(seat: SeatAssignment): string {
  const type = seat.userId ? 'user' : 'asset';
  return hitHref({
    type,
    id: (seat.userId ?? seat.assetId)!,
    title: seat.holderName ?? '',
    subtitle: null,
    score: 0,
  });
}

/** Gives a seat to a person or an asset, picked by searching. */
function AssignSeat({ context }: { context: DetailContext }) {
  const queryClient = useQueryClient();
  const assetMeta = useEntityMeta('asset').data;
  const [target, setTarget] = useState<'user' | 'asset'>('user');
  const [holderId, setHolderId] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const assign = useMutation({
    mutationFn: () =>
      api.post(`/api/v1/licenses/${context.record.id}/assignments`, {
        [target === 'user' ? 'userId' : 'assetId']: holderId,
        notes: notes || null,
      }),
    onSuccess: async () => {
      notifySuccess('Seat assigned.');
      setHolderId(null);
      setNotes('');
      await queryClient.invalidateQueries({ queryKey: LICENSES_KEY });
    },
    onError: (error) => notifyError(error, 'Could not assign the seat'),
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (holderId) assign.mutate();
      }}
    >
      <Group align="flex-end" gap="sm" wrap="wrap">
        {assetMeta && (
          <SegmentedControl
            aria-label="Assign to"
            value={target}
            onChange={(value) => {
              setTarget(value as 'user' | 'asset');
              setHolderId(null);
            }}
            data={[
              { value: 'user', label: 'Person' },
              { value: 'asset', label: 'Asset' },
            ]}
          />
        )}
        {target === 'user' ? (
          <RecordPicker<User>
            definition={userResource}
            label="Person"
            placeholder="Search people"
            value={holderId}
            onChange={(id) => setHolderId(id)}
            optionLabel={(user) => `${user.name} (${user.email})`}
          />
        ) : (
          assetMeta && (
            <RecordPicker<AssetOption>
              definition={resourceFromMeta(assetMeta)}
              label="Asset"
              placeholder="Search assets"
              value={holderId}
              onChange={(id) => setHolderId(id)}
              optionLabel={(asset) => `${asset.assetTag} ${asset.name}`}
            />
          )
        )}
        <TextInput
          label="Notes"
          value={notes}
          maxLength={2000}
          onChange={(event) => setNotes(event.currentTarget.value)}
        />
        <Button type="submit" disabled={!holderId} loading={assign.isPending}>
          Assign seat
        </Button>
      </Group>
    </form>
  );
}

/** Closes a seat after asking; the assignment stays in the list as history. */
function ReleaseSeat({ licenseId, seat }: { licenseId: string; seat: SeatAssignment }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [notes, setNotes] = useState('');
  const release = useMutation({
    mutationFn: () =>
      api.post(`/api/v1/licenses/${licenseId}/assignments/${seat.id}/release`, { notes: notes || null }),
    onSuccess: async () => {
      notifySuccess('Seat released.');
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: LICENSES_KEY });
    },
    onError: (error) => notifyError(error, 'Could not release the seat'),
  });
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setConfirming(true)}>
        Release
      </Button>
      <ConfirmDialog
        opened={confirming}
        title={`Release the seat of ${seat.holderName ?? 'this holder'}?`}
        confirmLabel="Release seat"
        destructive={false}
        loading={release.isPending}
        onConfirm={() => release.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <Stack gap="xs">
          <Text size="sm">The seat becomes free for someone else; the assignment is kept as history.</Text>
          <TextInput
            label="Notes"
            value={notes}
            maxLength={2000}
            onChange={(event) => setNotes(event.currentTarget.value)}
          />
        </Stack>
      </ConfirmDialog>
    </>
  );
}

/** The Seats tab: how many are used, who holds them (and held them), assign and release. */
function Seats({ context }: { context: DetailContext }) {
  const session = useSession();
  const [page, setPage] = useState(1);
  const id = context.record.id;
  const query = useQuery({
    queryKey: [...LICENSES_KEY, 'detail', id, 'assignments', { page }],
    queryFn: ({ signal }) =>
      api.get<Page<SeatAssignment>>(
        `/api/v1/licenses/${id}/assignments`,
        { page, pageSize: PAGE_SIZE },
        { signal },
      ),
  });
  const { seats, seatsUsed, status, isArchived } = context.record as typeof context.record & {
    seats: number;
    seatsUsed: number;
    status: string;
  };
  const writable = canWrite(session, 'core_inventory') && !isArchived;
  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={2} size="h4">
            {seatsUsed} of {seats} {seats === 1 ? 'seat' : 'seats'} in use
          </Title>
          {writable && status !== 'expired' && <AssignSeat context={context} />}
          {status === 'expired' && (
            <Text size="sm" c="dimmed">
              This licence has expired: renew it (a later expiry date) to assign seats.
            </Text>
          )}
        </Stack>
      </Paper>
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !query.data ? (
        <Skeleton height={120} />
      ) : query.data.total === 0 ? (
        <Text c="dimmed">No seat has been assigned yet.</Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={640} type="native">
            <Table striped>
              <Table.Caption>Seats, those in use first</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Held by</Table.Th>
                  <Table.Th>Assigned</Table.Th>
                  <Table.Th>Released</Table.Th>
                  <Table.Th>Notes</Table.Th>
                  {writable && <Table.Th aria-label="Actions" />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.data.map((seat) => (
                  <Table.Tr key={seat.id}>
                    <Table.Td>
                      <Anchor component={Link} to={holderHref(seat)}>
                        {seat.holderName ?? (seat.userId ? 'A person' : 'An asset')}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{formatDateTime(seat.assignedAt)}</Table.Td>
                    <Table.Td>{seat.releasedAt ? formatDateTime(seat.releasedAt) : 'In use'}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'pre-line' }}>{seat.notes ?? '—'}</Table.Td>
                    {writable && (
                      <Table.Td>{!seat.releasedAt && <ReleaseSeat licenseId={id} seat={seat} />}</Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <ListPagination
            page={page}
            pageSize={PAGE_SIZE}
            total={query.data.total}
            noun="seat assignments"
            onPageChange={setPage}
          />
        </>
      )}
    </Stack>
  );
}

/** Licences add the key's reveal and their seats to the generic detail page. */
export const licenseDetailExtension: DetailExtension = {
  actions: (context) => <RevealLicenseKey context={context} />,
  tabs: [{ value: 'seats', label: 'Seats', render: (context) => <Seats context={context} /> }],
};

/**
 * The licence seats a person holds, for their page's custody statement (printed with it). Seats
 * are released one by one from the licence, or all at once by the leaver's "check in everything".
 */
export function LicenseSeatsHoldings({ userId, name }: { userId: string; name?: string }) {
  const query = useQuery({
    queryKey: [...LICENSES_KEY, 'held-by', userId],
    queryFn: ({ signal }) =>
      api.get<{ data: HeldSeat[] }>(`/api/v1/users/${userId}/license-seats`, undefined, { signal }),
  });
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!query.data) return <Skeleton height={80} />;
  const seats = query.data.data;
  const who = name ?? 'This person';
  if (seats.length === 0) return <Text size="sm" c="dimmed">{`${who} holds no licence seats.`}</Text>;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {`${who} holds ${seats.length} licence ${seats.length === 1 ? 'seat' : 'seats'}.`}
      </Text>
      <Table.ScrollContainer minWidth={480} type="native">
        <Table striped>
          <Table.Caption>Licence seats held{name ? ` by ${name}` : ''}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Software</Table.Th>
              <Table.Th>Licence</Table.Th>
              <Table.Th>Since</Table.Th>
              <Table.Th>Expires</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {seats.map((seat) => (
              <Table.Tr key={seat.assignmentId}>
                <Table.Td>{seat.softwareName}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/records/license/${seat.licenseId}`}>
                    {seat.licenseName}
                  </Anchor>
                </Table.Td>
                <Table.Td>{formatDate(seat.assignedAt)}</Table.Td>
                <Table.Td>{formatDate(seat.expiryDate)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
