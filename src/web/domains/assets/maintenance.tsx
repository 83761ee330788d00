import { Anchor, Badge, Button, Group, Modal, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../api/client';
import {
  type EntityMeta,
  type FieldDescriptor,
  fieldRule,
  formFields,
  GENERIC_ROUTE,
  resourceFromMeta,
  useEntityMeta,
} from '../../api/entity-meta';
import { collectionUrl, recordUrl, resourceKeys } from '../../api/resources';
import { canWrite, useSession } from '../../api/session';
import type { BaseRecord, Page } from '../../api/types';
import { ErrorState } from '../../components/error-pages';
import { formatDate, humanizeField } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { RecordForm } from '../../components/record-form';
import { useRecordForm } from '../../components/use-record-form';
import { FieldInput, FieldValue, toFormValue, toPayloadValue } from '../../generic/entity-fields';
import type { DetailContext, DetailExtension } from '../../generic/extensions';

/** Which field of a log names the item whose page shows it. */
type ItemField = 'assetId' | 'peripheralId';

interface MaintenanceLog extends BaseRecord {
  description: string;
  type: string;
  eventDate: string;
  status: string;
  assigneeId: string | null;
  ticketUrl: string | null;
  cost: string | null;
  currency: string | null;
}

const LOG_TYPE = 'maintenance_log';
/** The newest logs shown on the item's page; the rest are on the logs list, filtered to the item. */
const SHOWN = 50;

const TICKET_FIELD: FieldDescriptor = {
  name: 'ticketUrl',
  label: 'Ticket',
  kind: 'url',
  required: false,
  nullable: true,
  creatable: false,
  updatable: false,
};

const STATUS_COLOR: Record<string, string> = {
  open: 'blue',
  in_progress: 'yellow',
  completed: 'green',
  cancelled: 'gray',
};

/**
 * The moves offered from each status. The server's transition table decides (a refusal is shown
 * as it explains itself); this only spares the user buttons that could never succeed.
 */
const MOVES: Record<string, Array<{ status: string; label: string }>> = {
  open: [
    { status: 'in_progress', label: 'Start' },
    { status: 'completed', label: 'Complete' },
    { status: 'cancelled', label: 'Cancel' },
  ],
  in_progress: [
    { status: 'completed', label: 'Complete' },
    { status: 'cancelled', label: 'Cancel' },
  ],
};

function logsParams(field: ItemField, id: string) {
  return { [field]: id, sort: '-eventDate', pageSize: SHOWN };
}

/** The item's maintenance: its logs newest first, a new log in a dialog, status moves as buttons. */
function MaintenanceTab({ context, field }: { context: DetailContext; field: ItemField }) {
  const meta = useEntityMeta(LOG_TYPE);
  const session = useSession();
  const [adding, setAdding] = useState(false);
  const item = context.record;
  if (meta.isError) return <ErrorState error={meta.error} onRetry={() => meta.refetch()} />;
  if (!meta.data) return <Skeleton height={120} />;
  const writable = canWrite(session, 'core_inventory') && meta.data.abilities.create;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Repairs, upgrades, inspections and cleanings of this {context.meta.labels.singular.toLowerCase()}.
        </Text>
        {writable && !item.isArchived && (
          <Button size="xs" onClick={() => setAdding(true)}>
            Log maintenance
          </Button>
        )}
      </Group>
      <LogsTable meta={meta.data} field={field} itemId={item.id} writable={writable} />
      <Modal opened={adding} onClose={() => setAdding(false)} title="Log maintenance" size="lg">
        {adding && (
          <NewLogForm meta={meta.data} field={field} itemId={item.id} onDone={() => setAdding(false)} />
        )}
      </Modal>
    </Stack>
  );
}

function LogsTable({
  meta,
  field,
  itemId,
  writable,
}: {
  meta: EntityMeta;
  field: ItemField;
  itemId: string;
  writable: boolean;
}) {
  const definition = resourceFromMeta(meta);
  const params = logsParams(field, itemId);
  const query = useQuery({
    queryKey: resourceKeys.list(definition, params),
    queryFn: ({ signal }) => api.get<Page<MaintenanceLog>>(collectionUrl(definition), params, { signal }),
  });
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!query.data) return <Skeleton height={120} />;
  if (query.data.total === 0) return <Text c="dimmed">No maintenance logged.</Text>;
  const assignee = meta.fields.find((f) => f.name === 'assigneeId');
  return (
    <>
      <Table.ScrollContainer minWidth={720} type="native">
        <Table striped>
          <Table.Caption>Maintenance, newest first</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th>Assignee</Table.Th>
              <Table.Th>Cost</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {query.data.data.map((log) => (
              <Table.Tr key={log.id}>
                <Table.Td>{formatDate(log.eventDate)}</Table.Td>
                <Table.Td>{humanizeField(log.type)}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`${GENERIC_ROUTE}/${LOG_TYPE}/${log.id}`}>
                    {log.description}
                  </Anchor>
                  {log.ticketUrl && (
                    <Text size="xs">
                      <FieldValue field={TICKET_FIELD} value={log.ticketUrl} />
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{assignee ? <FieldValue field={assignee} value={log.assigneeId} /> : '—'}</Table.Td>
                <Table.Td>{log.cost ? `${log.cost} ${log.currency ?? ''}` : '—'}</Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Badge color={STATUS_COLOR[log.status] ?? 'gray'} variant="light">
                      {humanizeField(log.status)}
                    </Badge>
                    {writable && !log.isArchived && <StatusMoves meta={meta} log={log} />}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {query.data.total > SHOWN && (
        <Text size="sm">
          <Link to="/records/$type" params={{ type: LOG_TYPE }} search={{ [field]: itemId }}>
            All {query.data.total} logs
          </Link>
        </Text>
      )}
    </>
  );
}

function StatusMoves({ meta, log }: { meta: EntityMeta; log: MaintenanceLog }) {
  const queryClient = useQueryClient();
  const definition = resourceFromMeta(meta);
  const move = useMutation({
    mutationFn: (status: string) =>
      api.patch(recordUrl(definition, log.id), { status, version: log.version }),
    onSuccess: (_, status) => {
      notifySuccess(`Marked ${humanizeField(status).toLowerCase()}.`);
      return queryClient.invalidateQueries({ queryKey: resourceKeys.all(definition) });
    },
    onError: (error) => {
      notifyError(error, 'Status not changed');
      // A stale version means someone else moved it: show what it is now.
      return queryClient.invalidateQueries({ queryKey: resourceKeys.all(definition) });
    },
  });
  return (
    <>
      {(MOVES[log.status] ?? []).map((next) => (
        <Button
          key={next.status}
          size="compact-xs"
          variant={next.status === 'cancelled' ? 'subtle' : 'light'}
          color={next.status === 'cancelled' ? 'gray' : undefined}
          loading={move.isPending && move.variables === next.status}
          disabled={move.isPending}
          aria-label={`${next.label}: ${log.description}`}
          onClick={() => move.mutate(next.status)}
        >
          {next.label}
        </Button>
      ))}
    </>
  );
}

/** A new log for this item: the server's own contract decides the fields and their limits. */
function NewLogForm({
  meta,
  field,
  itemId,
  onDone,
}: {
  meta: EntityMeta;
  field: ItemField;
  itemId: string;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const definition = resourceFromMeta(meta);
  const fields = formFields(meta, 'create').filter((f) => f.name !== 'assetId' && f.name !== 'peripheralId');
  const today = new Date().toISOString().slice(0, 10);
  const form = useRecordForm<Record<string, unknown>>({
    initialValues: {
      ...Object.fromEntries(fields.map((f) => [f.name, toFormValue(f, undefined)])),
      eventDate: today,
      status: 'open',
    },
    rules: Object.fromEntries(fields.map((f) => [f.name, fieldRule(f)])),
  });
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<MaintenanceLog>(collectionUrl(definition), body),
  });
  return (
    <RecordForm
      form={form}
      submitLabel="Log maintenance"
      onCancel={onDone}
      onSubmit={({ values }) =>
        create.mutateAsync({
          [field]: itemId,
          ...Object.fromEntries(
            fields
              .map((f) => [f.name, toPayloadValue(f, values[f.name])] as const)
              .filter(([, value]) => value !== undefined),
          ),
        })
      }
      onSaved={() => {
        notifySuccess('Maintenance logged.');
        void queryClient.invalidateQueries({ queryKey: resourceKeys.all(definition) });
        onDone();
      }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {fields.map((f, index) => (
          <FieldInput key={f.name} field={f} form={form} autoFocus={index === 0} />
        ))}
      </SimpleGrid>
    </RecordForm>
  );
}

/** Assets and peripherals list their maintenance in a tab of their page. */
export const maintenanceExtension = (field: ItemField): DetailExtension => ({
  tabs: [
    {
      value: 'maintenance',
      label: 'Maintenance',
      render: (context) => <MaintenanceTab context={context} field={field} />,
    },
  ],
});
