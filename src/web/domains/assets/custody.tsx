import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  Modal,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api } from '../../api/client';
import { resourceFromMeta, useEntityMeta } from '../../api/entity-meta';
import { canWrite, useSession } from '../../api/session';
import type { BaseRecord } from '../../api/types';
import { ErrorState } from '../../components/error-pages';
import { formatDate, formatDateTime } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { RecordPicker } from '../../components/record-picker';
import { FieldValue } from '../../generic/entity-fields';
import type { DetailContext, DetailExtension } from '../../generic/extensions';

/** What can be checked out: its API collection and its noun in messages. */
interface ItemKind {
  path: 'assets' | 'peripherals';
  noun: string;
  /** Where it may go: a peripheral may also be mounted on an asset. */
  targets: readonly Target[];
}
type Target = 'user' | 'location' | 'asset';
const ASSET: ItemKind = { path: 'assets', noun: 'asset', targets: ['user', 'location'] };
const PERIPHERAL: ItemKind = {
  path: 'peripherals',
  noun: 'peripheral',
  targets: ['user', 'asset', 'location'],
};
const TARGET_LABEL: Record<Target, string> = { user: 'Person', location: 'Location', asset: 'Asset' };
const TARGET_FIELD: Record<Target, string> = { user: 'userId', location: 'locationId', asset: 'assetId' };

interface Assignment {
  id: string;
  userId: string | null;
  locationId: string | null;
  assetId?: string | null;
  checkedOutAt: string;
  expectedReturnDate: string | null;
  checkoutNotes: string | null;
  checkedInAt: string | null;
  checkinNotes: string | null;
}

const assignmentsKey = (kind: ItemKind, id: string) => [kind.path, 'detail', id, 'assignments'] as const;

/**
 * The custody mutation. Success is announced here rather than by the dialog: refreshing the record
 * swaps the Check out button for Check in, unmounting the dialog before a per-call callback runs.
 */
function useCustody(kind: ItemKind, context: DetailContext, verb: 'check-out' | 'check-in', done: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.post(`/api/v1/${kind.path}/${context.record.id}/${verb}`, {
        ...body,
        version: context.record.version,
      }),
    onSuccess: async () => {
      notifySuccess(done);
      await queryClient.invalidateQueries({ queryKey: assignmentsKey(kind, context.record.id) });
      await queryClient.invalidateQueries({ queryKey: [kind.path] });
      // Peripherals may have moved with the asset.
      if (kind === ASSET) await queryClient.invalidateQueries({ queryKey: ['peripherals'] });
      context.refresh();
    },
  });
}

/** A custody action: its button, and a dialog whose form sends `body()` and says `done` on success. */
function CustodyDialog({
  kind,
  context,
  verb,
  title,
  done,
  body,
  ready = true,
  children,
}: {
  kind: ItemKind;
  context: DetailContext;
  verb: 'check-out' | 'check-in';
  title: string;
  done: string;
  body: () => Record<string, unknown>;
  ready?: boolean;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const action = useCustody(kind, context, verb, done);
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
              onSuccess: () => setOpen(false),
              onError: (error) => notifyError(error, `Could not ${title.toLowerCase()} the ${kind.noun}`),
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

type Named = BaseRecord & { name?: string; email?: string; assetTag?: string };
const nameOf = (record: Named) =>
  [record.assetTag, record.name, record.email ? `(${record.email})` : undefined].filter(Boolean).join(' ');

/** A searchable picker over any registered type, described by the server's metadata. */
function TypePicker({
  type,
  label,
  value,
  onChange,
  filters,
  exclude,
  required,
  placeholder,
}: {
  type: Target | 'peripheral';
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  filters?: Record<string, string>;
  exclude?: string[];
  required?: boolean;
  placeholder?: string;
}) {
  const meta = useEntityMeta(type);
  if (!meta.data) return <Skeleton height={56} />;
  return (
    <RecordPicker<Named>
      definition={resourceFromMeta(meta.data)}
      label={label}
      placeholder={placeholder ?? `Search ${meta.data.labels.plural.toLowerCase()}`}
      value={value}
      onChange={(id) => onChange(id)}
      optionLabel={nameOf}
      filters={filters}
      exclude={exclude}
      required={required}
    />
  );
}

/** Peripherals in stock that go out together with the asset (at most 50). */
function PeripheralsAlong({ ids, onChange }: { ids: string[]; onChange: (ids: string[]) => void }) {
  return (
    <Stack gap={4}>
      <TypePicker
        type="peripheral"
        label="With peripherals"
        placeholder="Add a peripheral in stock"
        value={null}
        filters={{ status: 'in_stock' }}
        exclude={ids}
        onChange={(id) => id && ids.length < 50 && onChange([...ids, id])}
      />
      {ids.map((id) => (
        <Group key={id} gap="xs" wrap="nowrap">
          <Text size="sm" style={{ flex: 1 }}>
            <FieldValue field={referenceField('peripheralId', 'Peripheral', 'peripheral')} value={id} />
          </Text>
          <ActionIcon
            variant="subtle"
            aria-label="Remove this peripheral"
            onClick={() => onChange(ids.filter((other) => other !== id))}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
    </Stack>
  );
}

function CheckOut({ kind, context }: { kind: ItemKind; context: DetailContext }) {
  const [target, setTarget] = useState<Target>('user');
  const [targetId, setTargetId] = useState<string | null>(null);
  const [alsoUser, setAlsoUser] = useState<string | null>(null);
  const [expected, setExpected] = useState('');
  const [notes, setNotes] = useState('');
  const [peripheralIds, setPeripheralIds] = useState<string[]>([]);
  return (
    <CustodyDialog
      kind={kind}
      context={context}
      verb="check-out"
      title="Check out"
      done="Checked out."
      ready={Boolean(targetId)}
      body={() => ({
        [TARGET_FIELD[target]]: targetId ?? undefined,
        ...(target === 'asset' && alsoUser ? { userId: alsoUser } : {}),
        ...(kind === ASSET && peripheralIds.length > 0 ? { peripheralIds } : {}),
        expectedReturnDate: expected || null,
        notes: notes || null,
      })}
    >
      <SegmentedControl
        aria-label="Check out to"
        value={target}
        onChange={(next) => {
          setTarget(next as Target);
          setTargetId(null);
        }}
        data={kind.targets.map((value) => ({ value, label: TARGET_LABEL[value] }))}
      />
      <TypePicker
        key={target}
        type={target}
        label="To"
        value={targetId}
        onChange={setTargetId}
        filters={target === 'asset' ? { archived: 'false' } : undefined}
        required
      />
      {target === 'asset' && (
        <TypePicker type="user" label="Handed to (optional)" value={alsoUser} onChange={setAlsoUser} />
      )}
      {kind === ASSET && <PeripheralsAlong ids={peripheralIds} onChange={setPeripheralIds} />}
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

function CheckIn({ kind, context }: { kind: ItemKind; context: DetailContext }) {
  const [notes, setNotes] = useState('');
  const [withPeripherals, setWithPeripherals] = useState(true);
  return (
    <CustodyDialog
      kind={kind}
      context={context}
      verb="check-in"
      title="Check in"
      done="Checked in."
      body={() => ({ notes: notes || null, ...(kind === ASSET ? { withPeripherals } : {}) })}
    >
      <Textarea
        label="Condition"
        description="How it came back, e.g. scratches or missing parts."
        value={notes}
        maxLength={2000}
        onChange={(e) => setNotes(e.currentTarget.value)}
      />
      {kind === ASSET && (
        <Checkbox
          label="Also check in the peripherals handed out with it"
          checked={withPeripherals}
          onChange={(e) => setWithPeripherals(e.currentTarget.checked)}
        />
      )}
    </CustodyDialog>
  );
}

const referenceField = (name: string, label: string, reference: string) => ({
  name,
  label,
  kind: 'uuid' as const,
  reference,
  required: false,
  nullable: true,
  creatable: false,
  updatable: false,
});

/** A person, an asset (mounted on, or handed out with), or a location. */
function Holder({ row }: { row: Assignment }) {
  return (
    <Group gap={4} wrap="nowrap">
      {row.userId && <FieldValue field={referenceField('userId', 'Person', 'user')} value={row.userId} />}
      {row.userId && row.assetId && <span>with</span>}
      {row.assetId && <FieldValue field={referenceField('assetId', 'Asset', 'asset')} value={row.assetId} />}
      {row.locationId && (
        <FieldValue field={referenceField('locationId', 'Location', 'location')} value={row.locationId} />
      )}
    </Group>
  );
}

function Assignments({ kind, context }: { kind: ItemKind; context: DetailContext }) {
  const query = useQuery({
    queryKey: assignmentsKey(kind, context.record.id),
    queryFn: ({ signal }) =>
      api.get<{ data: Assignment[] }>(`/api/v1/${kind.path}/${context.record.id}/assignments`, undefined, {
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
                <Holder row={row} />
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

function CustodyActions({ kind, context }: { kind: ItemKind; context: DetailContext }) {
  const session = useSession();
  if (!canWrite(session, 'core_inventory') || context.record.isArchived) return null;
  if (context.record.status === 'in_stock') return <CheckOut kind={kind} context={context} />;
  if (context.record.status === 'in_use') return <CheckIn kind={kind} context={context} />;
  return null;
}

function custodyExtension(kind: ItemKind): DetailExtension {
  return {
    actions: (context) => <CustodyActions kind={kind} context={context} />,
    tabs: [
      {
        value: 'custody',
        label: 'Custody',
        render: (context) => <Assignments kind={kind} context={context} />,
      },
    ],
  };
}

/** Assets add custody to their generic detail page: check out (with peripherals), check in, who had it. */
export const assetDetailExtension = custodyExtension(ASSET);
/** Peripherals likewise: to a person, onto an asset, or to a location. */
export const peripheralDetailExtension = custodyExtension(PERIPHERAL);
