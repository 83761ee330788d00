import { Button, Group, Modal, Skeleton, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api } from '../../api/client';
import { canWrite, useSession } from '../../api/session';
import { ErrorState } from '../../components/error-pages';
import { formatDate, formatDateTime } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { RecordPicker } from '../../components/record-picker';
import { FieldValue } from '../../generic/entity-fields';
import type { DetailContext, DetailExtension } from '../../generic/extensions';
import { type User, userResource } from '../people/people.resources';

interface Assignment {
  id: string;
  userId: string | null;
  locationId: string | null;
  checkedOutAt: string;
  expectedReturnDate: string | null;
  checkoutNotes: string | null;
  checkedInAt: string | null;
  checkinNotes: string | null;
}

const assignmentsKey = (id: string) => ['assets', 'detail', id, 'assignments'] as const;

function useCustody(context: DetailContext, verb: 'check-out' | 'check-in') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.post(`/api/v1/assets/${context.record.id}/${verb}`, { ...body, version: context.record.version }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: assignmentsKey(context.record.id) });
      await queryClient.invalidateQueries({ queryKey: ['assets', 'list'] });
      context.refresh();
    },
  });
}

/** A custody action: its button, and a dialog whose form sends `body()` and says `done` on success. */
function CustodyDialog({
  context,
  verb,
  title,
  done,
  body,
  ready = true,
  children,
}: {
  context: DetailContext;
  verb: 'check-out' | 'check-in';
  title: string;
  done: string;
  body: () => Record<string, unknown>;
  ready?: boolean;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const action = useCustody(context, verb);
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)}>
        {title}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={title}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            action.mutate(body(), {
              onSuccess: () => {
                notifySuccess(done);
                setOpen(false);
              },
              onError: (error) => notifyError(error, `Could not ${title.toLowerCase()} the asset`),
            });
          }}
        >
          <Stack gap="sm">
            {children}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={!ready} loading={action.isPending}>
                {title}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function CheckOut({ context }: { context: DetailContext }) {
  const [userId, setUserId] = useState<string | null>(null);
  const [expected, setExpected] = useState('');
  const [notes, setNotes] = useState('');
  return (
    <CustodyDialog
      context={context}
      verb="check-out"
      title="Check out"
      done="Checked out."
      ready={Boolean(userId)}
      body={() => ({
        userId: userId ?? undefined,
        expectedReturnDate: expected || null,
        notes: notes || null,
      })}
    >
      <RecordPicker<User>
        definition={userResource}
        label="To"
        placeholder="Search people"
        value={userId}
        onChange={(id) => setUserId(id)}
        optionLabel={(user) => `${user.name} (${user.email})`}
        required
      />
      <TextInput
        label="Expected return"
        type="date"
        value={expected}
        onChange={(e) => setExpected(e.currentTarget.value)}
      />
      <Textarea
        label="Notes"
        value={notes}
        maxLength={2000}
        onChange={(e) => setNotes(e.currentTarget.value)}
      />
    </CustodyDialog>
  );
}

function CheckIn({ context }: { context: DetailContext }) {
  const [notes, setNotes] = useState('');
  return (
    <CustodyDialog
      context={context}
      verb="check-in"
      title="Check in"
      done="Checked in."
      body={() => ({ notes: notes || null })}
    >
      <Textarea
        label="Condition"
        description="How it came back, e.g. scratches or missing parts."
        value={notes}
        maxLength={2000}
        onChange={(e) => setNotes(e.currentTarget.value)}
      />
    </CustodyDialog>
  );
}

const person = { name: 'userId', label: 'Person', kind: 'uuid', reference: 'user' } as const;
const place = { name: 'locationId', label: 'Location', kind: 'uuid', reference: 'location' } as const;
const asField = (f: typeof person | typeof place) => ({
  ...f,
  required: false,
  nullable: true,
  creatable: false,
  updatable: false,
});

function Assignments({ context }: { context: DetailContext }) {
  const query = useQuery({
    queryKey: assignmentsKey(context.record.id),
    queryFn: ({ signal }) =>
      api.get<{ data: Assignment[] }>(`/api/v1/assets/${context.record.id}/assignments`, undefined, {
        signal,
      }),
  });
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!query.data) return <Skeleton height={120} />;
  if (query.data.data.length === 0) return <Text c="dimmed">Never checked out.</Text>;
  return (
    <Table.ScrollContainer minWidth={640} type="native">
      <Table striped>
        <Table.Caption>Custody, newest first</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Held by</Table.Th>
            <Table.Th>Out</Table.Th>
            <Table.Th>Expected back</Table.Th>
            <Table.Th>Back</Table.Th>
            <Table.Th>Notes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {query.data.data.map((row) => (
            <Table.Tr key={row.id}>
              <Table.Td>
                {row.userId ? (
                  <FieldValue field={asField(person)} value={row.userId} />
                ) : (
                  <FieldValue field={asField(place)} value={row.locationId} />
                )}
              </Table.Td>
              <Table.Td>{formatDateTime(row.checkedOutAt)}</Table.Td>
              <Table.Td>{formatDate(row.expectedReturnDate)}</Table.Td>
              <Table.Td>{row.checkedInAt ? formatDateTime(row.checkedInAt) : 'Still out'}</Table.Td>
              <Table.Td>{[row.checkoutNotes, row.checkinNotes].filter(Boolean).join(' · ') || '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function CustodyActions({ context }: { context: DetailContext }) {
  const session = useSession();
  if (!canWrite(session, 'core_inventory') || context.record.isArchived) return null;
  if (context.record.status === 'in_stock') return <CheckOut context={context} />;
  if (context.record.status === 'in_use') return <CheckIn context={context} />;
  return null;
}

/** Assets add custody to their generic detail page: check out, check in, and who had it. */
export const assetDetailExtension: DetailExtension = {
  actions: (context) => <CustodyActions context={context} />,
  tabs: [{ value: 'custody', label: 'Custody', render: (context) => <Assignments context={context} /> }],
};
