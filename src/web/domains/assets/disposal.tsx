import {
  Alert,
  Anchor,
  Button,
  DataList,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import {
  type EntityMeta,
  type FieldDescriptor,
  fieldRule,
  formFields,
  GENERIC_ROUTE,
  resourceFromMeta,
  titleOf,
  useEntityMeta,
} from '../../api/entity-meta';
import { collectionUrl, recordUrl, resourceKeys, useResourceRecord } from '../../api/resources';
import { canWrite, useSession } from '../../api/session';
import type { BaseRecord, Page, RecordDetail } from '../../api/types';
import { AttachmentsPanel } from '../../components/attachments-panel';
import { ErrorState } from '../../components/error-pages';
import { formatDateTime } from '../../components/format';
import { notifySuccess } from '../../components/notify';
import { RecordForm } from '../../components/record-form';
import { useRecordForm } from '../../components/use-record-form';
import { FieldInput, FieldValue, toFormValue, toPayloadValue } from '../../generic/entity-fields';
import type { AnyRecord, DetailContext, DetailExtension } from '../../generic/extensions';

/** Which field of a disposal names the item whose page shows it. */
type ItemField = 'assetId' | 'peripheralId';

interface Disposal extends BaseRecord {
  title: string;
  assetId: string | null;
  peripheralId: string | null;
  method: string;
  disposedOn: string;
}

interface DisposalEdit {
  id: string;
  reason: string;
  changes: Record<string, { old: unknown; new: unknown }>;
  changedAt: string;
  changedBy: string | null;
}

const DISPOSAL_TYPE = 'disposal';
const ITEM_FIELDS = new Set(['assetId', 'peripheralId']);
/** Shown on the item's Disposal tab and in the edit form; the title is derived, the item fixed. */
const isDetailField = (field: FieldDescriptor) =>
  !ITEM_FIELDS.has(field.name) && field.name !== 'reason' && field.name !== 'title';

const PERSON_FIELD: FieldDescriptor = {
  name: 'changedBy',
  label: 'Changed by',
  kind: 'uuid',
  reference: 'user',
  required: false,
  nullable: true,
  creatable: false,
  updatable: false,
};

const today = () => new Date().toISOString().slice(0, 10);

/** The item's disposal record, if it has one (there is at most one). */
function useDisposalOf(meta: EntityMeta | undefined, field: ItemField, itemId: string) {
  const params = { [field]: itemId, pageSize: 1 };
  return useQuery({
    queryKey: meta ? resourceKeys.list(resourceFromMeta(meta), params) : ['disposals', 'list', params],
    queryFn: ({ signal }) =>
      api.get<Page<Disposal>>(collectionUrl(resourceFromMeta(meta!)), params, { signal }),
    enabled: Boolean(meta),
    select: (page) => page.data[0] ?? null,
  });
}

/** Why the item cannot be disposed of now, if it cannot. */
function blockedBecause(context: DetailContext, existing: Disposal | null | undefined): string | null {
  const noun = context.meta.labels.singular.toLowerCase();
  const status = context.record.status;
  if (existing) return `This ${noun} has a disposal record already: see the Disposal tab.`;
  if (status === 'in_use') return `This ${noun} is checked out: check it in first.`;
  if (status === 'disposed' || status === 'sold') return `This ${noun} is already ${status}.`;
  if (context.record.isArchived) return `This ${noun} is archived: restore it first.`;
  return null;
}

/** "Dispose": a form in a dialog, then a confirmation; disabled, with the reason, when it cannot be. */
function DisposeAction({ context, field }: { context: DetailContext; field: ItemField }) {
  const session = useSession();
  const meta = useEntityMeta(DISPOSAL_TYPE).data;
  const existing = useDisposalOf(meta, field, context.record.id);
  const [open, setOpen] = useState(false);
  if (!meta?.abilities.create || !canWrite(session, 'core_inventory') || existing.data === undefined)
    return null;
  const blocked = blockedBecause(context, existing.data);
  return (
    <>
      {blocked ? (
        <Tooltip label={blocked} multiline w={260}>
          {/* Looks disabled but still takes focus and hover, so the explanation can be read. */}
          <Button
            variant="default"
            color="red"
            data-disabled
            aria-disabled
            onClick={(event) => event.preventDefault()}
          >
            Dispose
          </Button>
        </Tooltip>
      ) : (
        <Button variant="default" color="red" onClick={() => setOpen(true)}>
          Dispose
        </Button>
      )}
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={`Dispose of ${titleOf(context.meta, context.record)}`}
        size="lg"
      >
        {open && <DisposeForm meta={meta} context={context} field={field} onDone={() => setOpen(false)} />}
      </Modal>
    </>
  );
}

function DisposeForm({
  meta,
  context,
  field,
  onDone,
}: {
  meta: EntityMeta;
  context: DetailContext;
  field: ItemField;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const definition = resourceFromMeta(meta);
  const fields = formFields(meta, 'create').filter(isDetailField);
  const form = useRecordForm<Record<string, unknown>>({
    initialValues: {
      ...Object.fromEntries(fields.map((f) => [f.name, toFormValue(f, undefined)])),
      disposedOn: today(),
    },
    rules: Object.fromEntries(fields.map((f) => [f.name, fieldRule(f)])),
  });
  const [confirming, setConfirming] = useState(false);
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<Disposal>(collectionUrl(definition), body),
  });
  const name = titleOf(context.meta, context.record);
  const noun = context.meta.labels.singular.toLowerCase();
  const sold = form.values.method === 'sold';

  const review = (event: FormEvent) => {
    event.preventDefault();
    // Shows the field problems without sending anything; a valid form asks for confirmation first.
    if (Object.keys(form.clientErrors).length > 0) void form.submit(async () => undefined);
    else setConfirming(true);
  };
  const confirm = () =>
    form
      .submit(
        ({ values }) =>
          create.mutateAsync({
            [field]: context.record.id,
            ...Object.fromEntries(
              fields
                .map((f) => [f.name, toPayloadValue(f, values[f.name])] as const)
                .filter(([, value]) => value !== undefined),
            ),
          }),
        () => {
          notifySuccess(`${name} is ${sold ? 'sold' : 'disposed of'}.`);
          void queryClient.invalidateQueries({ queryKey: resourceKeys.all(definition) });
          void queryClient.invalidateQueries({ queryKey: [context.meta.path] });
          context.refresh();
          onDone();
        },
      )
      .then((saved) => {
        if (!saved) setConfirming(false);
      });

  if (confirming)
    return (
      <Stack>
        <Text size="sm">
          {name} will be recorded as {sold ? 'sold' : 'disposed of'} and marked{' '}
          <strong>{sold ? 'Sold' : 'Disposed'}</strong>. This is final: it cannot be checked out again, and
          every later change to the disposal record will need a reason.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirming(false)} disabled={form.submitting}>
            Back
          </Button>
          <Button color="red" onClick={() => void confirm()} loading={form.submitting} data-autofocus>
            Dispose of this {noun}
          </Button>
        </Group>
      </Stack>
    );
  return (
    <form onSubmit={review} noValidate>
      <Stack gap="md">
        {form.formError && (
          <Alert color="red" title="Not recorded" role="alert">
            {form.formError}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {fields.map((f, index) => (
            <FieldInput key={f.name} field={f} form={form} autoFocus={index === 0} />
          ))}
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          Attach the data-wiping certificate on the Disposal tab once the record exists.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" color="red">
            Dispose
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The item's disposal: the record, its certificate, and its edits with their reasons. */
function DisposalTab({ context, field }: { context: DetailContext; field: ItemField }) {
  const meta = useEntityMeta(DISPOSAL_TYPE);
  const existing = useDisposalOf(meta.data, field, context.record.id);
  if (meta.isError) return <ErrorState error={meta.error} onRetry={() => meta.refetch()} />;
  if (existing.isError) return <ErrorState error={existing.error} onRetry={() => existing.refetch()} />;
  if (!meta.data || existing.data === undefined) return <Skeleton height={120} />;
  if (!existing.data)
    return <Text c="dimmed">Not disposed of. Use Dispose when it leaves the organisation.</Text>;
  return <DisposalRecord meta={meta.data} id={existing.data.id} onChanged={context.refresh} />;
}

function DisposalRecord({ meta, id, onChanged }: { meta: EntityMeta; id: string; onChanged: () => void }) {
  const definition = resourceFromMeta(meta);
  const record = useResourceRecord<AnyRecord>(definition, id);
  const [editing, setEditing] = useState(false);
  if (record.isError) return <ErrorState error={record.error} onRetry={() => record.refetch()} />;
  if (!record.data) return <Skeleton height={160} />;
  const disposal = record.data;
  return (
    <Stack gap="lg">
      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">
            <Anchor component={Link} to={`${GENERIC_ROUTE}/${DISPOSAL_TYPE}/${disposal.id}`}>
              {String(disposal.title)}
            </Anchor>
          </Title>
          {disposal.abilities.update && (
            <Button size="xs" variant="default" onClick={() => setEditing(true)}>
              Edit disposal
            </Button>
          )}
        </Group>
        <DataList>
          {meta.fields.filter(isDetailField).map((f) =>
            f.creatable ? (
              <DataList.Item key={f.name}>
                <DataList.ItemLabel>{f.label}</DataList.ItemLabel>
                <DataList.ItemValue>
                  <FieldValue field={f} value={disposal[f.name]} />
                </DataList.ItemValue>
              </DataList.Item>
            ) : null,
          )}
        </DataList>
      </Paper>
      <div>
        <Title order={2} size="h4" mb="sm">
          Wipe certificate and documents
        </Title>
        <AttachmentsPanel definition={definition} id={disposal.id} canEdit={disposal.abilities.update} />
      </div>
      <div>
        <Title order={2} size="h4" mb="sm">
          Edits
        </Title>
        <DisposalEdits meta={meta} id={disposal.id} />
      </div>
      <Modal opened={editing} onClose={() => setEditing(false)} title="Edit disposal" size="lg">
        {editing && (
          <EditDisposalForm
            meta={meta}
            disposal={disposal}
            onDone={() => {
              setEditing(false);
              onChanged();
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

/** Every edit of a disposal must say why: the reason is asked with the changes. */
function EditDisposalForm({
  meta,
  disposal,
  onDone,
}: {
  meta: EntityMeta;
  disposal: RecordDetail<AnyRecord>;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const definition = resourceFromMeta(meta);
  const fields = formFields(meta, 'edit').filter(isDetailField);
  const reasonField = meta.fields.find((f) => f.name === 'reason');
  const toValues = (source: AnyRecord) => ({
    ...Object.fromEntries(fields.map((f) => [f.name, toFormValue(f, source[f.name])])),
    reason: '',
  });
  const form = useRecordForm<Record<string, unknown>>({
    initialValues: toValues(disposal),
    rules: {
      ...Object.fromEntries(fields.map((f) => [f.name, fieldRule(f)])),
      reason: {
        ...(reasonField ? fieldRule(reasonField) : {}),
        label: 'Reason for the change',
        required: true,
      },
    },
    version: disposal.version,
    fromRecord: (current) => toValues(current as AnyRecord),
  });
  const update = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.patch<Disposal>(recordUrl(definition, disposal.id), body),
  });
  const byName = new Map(fields.map((f) => [f.name, f]));
  return (
    <RecordForm
      form={form}
      onCancel={onDone}
      onSubmit={({ changes, version }) => {
        if (Object.keys(changes).every((key) => key === 'reason'))
          return Promise.reject(new Error('Nothing to save: change a field, then say why.'));
        return update.mutateAsync({
          ...Object.fromEntries(
            Object.entries(changes).map(([key, value]) => {
              const f = byName.get(key);
              return [key, f ? toPayloadValue(f, value) : value];
            }),
          ),
          reason: form.values.reason,
          version: version ?? disposal.version,
        });
      }}
      onSaved={() => {
        notifySuccess('Disposal changed; the reason is kept with the change.');
        void queryClient.invalidateQueries({ queryKey: resourceKeys.all(definition) });
        onDone();
      }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {fields.map((f) => (
          <FieldInput key={f.name} field={f} form={form} />
        ))}
      </SimpleGrid>
      {reasonField && (
        <FieldInput
          field={{ ...reasonField, label: 'Reason for the change', required: true }}
          form={form}
          autoFocus
        />
      )}
    </RecordForm>
  );
}

const EDITS_SHOWN = 50;

/** Edits of a disposal, newest first: the reason, what changed from what to what, who and when. */
function DisposalEdits({ meta, id }: { meta: EntityMeta; id: string }) {
  const definition = resourceFromMeta(meta);
  const query = useQuery({
    queryKey: resourceKeys.part(definition, id, 'edits'),
    queryFn: ({ signal }) =>
      api.get<Page<DisposalEdit>>(
        `${recordUrl(definition, id)}/edits`,
        { pageSize: EDITS_SHOWN },
        { signal },
      ),
  });
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!query.data) return <Skeleton height={80} />;
  if (query.data.total === 0) return <Text c="dimmed">Not edited since it was recorded.</Text>;
  const fieldOf = (name: string) => meta.fields.find((f) => f.name === name);
  return (
    <Table.ScrollContainer minWidth={640} type="native">
      <Table striped>
        <Table.Caption>
          {query.data.total > EDITS_SHOWN
            ? `The latest ${EDITS_SHOWN} of ${query.data.total} edits`
            : 'Edits, newest first'}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>Changes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {query.data.data.map((edit) => (
            <Table.Tr key={edit.id}>
              <Table.Td>{formatDateTime(edit.changedAt)}</Table.Td>
              <Table.Td>
                <FieldValue field={PERSON_FIELD} value={edit.changedBy} />
              </Table.Td>
              <Table.Td>{edit.reason}</Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  {Object.entries(edit.changes).map(([name, change]) => {
                    const f = fieldOf(name);
                    return (
                      <Text key={name} size="sm">
                        {f?.label ?? name}:{' '}
                        {f ? <FieldValue field={f} value={change.old} /> : String(change.old)} →{' '}
                        {f ? <FieldValue field={f} value={change.new} /> : String(change.new)}
                      </Text>
                    );
                  })}
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Assets and peripherals get "Dispose" beside Edit and a Disposal tab. */
export const disposalExtension = (field: ItemField): DetailExtension => ({
  actions: (context) => <DisposeAction context={context} field={field} />,
  tabs: [
    {
      value: 'disposal',
      label: 'Disposal',
      render: (context) => <DisposalTab context={context} field={field} />,
    },
  ],
});

/** A disposal record's own page lists its edits with their reasons. */
export const disposalRecordExtension: DetailExtension = {
  tabs: [
    {
      value: 'edits',
      label: 'Edits',
      render: (context) => <DisposalEdits meta={context.meta} id={context.record.id} />,
    },
  ],
};
