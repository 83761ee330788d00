import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../api/client';
import { type EntityMeta, fieldRule, formFields, useEntityMeta } from '../../api/entity-meta';
import { collectionUrl, recordUrl, resourceKeys, useResourceRecord } from '../../api/resources';
import { canWrite, useSession } from '../../api/session';
import type { Page } from '../../api/types';
import { AttachmentsPanel } from '../../components/attachments-panel';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorState } from '../../components/error-pages';
import { formatDate, humanizeField } from '../../components/format';
import { TrashIcon } from '../../components/icons';
import { notifyError, notifySuccess } from '../../components/notify';
import { RecordForm } from '../../components/record-form';
import { useRecordForm } from '../../components/use-record-form';
import { FieldInput, FieldValue, toFormValue, toPayloadValue } from '../../generic/entity-fields';
import type { DetailContext, DetailExtension } from '../../generic/extensions';
import { ControlEvidenceLinks } from './compliance-panel';
import { ControlMappingsTab } from './control-mappings';
import {
  controlResource,
  daysUntil,
  type Evidence,
  evidenceResource,
  frameworkHref,
  IMPLEMENTATION_LABELS,
  refreshCompliance,
  todayIso,
} from './evidence.api';
import {
  CONTROL_STATUS_COLORS,
  CONTROL_STATUS_LABELS,
  type Control,
  type ControlStatus,
  type Framework,
  frameworkResource,
} from './frameworks.api';

/** The newest manual evidence shown on the control; the rest is on the evidence list, filtered to it. */
const SHOWN = 50;
const EXPIRY_WARNING_DAYS = 30;

export function ControlStatusBadge({ status, size = 'md' }: { status: ControlStatus; size?: 'md' | 'lg' }) {
  return (
    <Badge
      size={size}
      color={CONTROL_STATUS_COLORS[status]}
      variant={status === 'not_applicable' ? 'outline' : 'filled'}
    >
      {CONTROL_STATUS_LABELS[status]}
    </Badge>
  );
}

/** In the page header, whatever the tab: the live status and why. */
function ControlStatusHeader({ context }: { context: DetailContext }) {
  const control = context.record as unknown as Control;
  if (control.kind === 'group') {
    return (
      <Badge size="lg" color="gray" variant="outline">
        Heading
      </Badge>
    );
  }
  // Excluded controls say why in the header: the justification is what an auditor asks for.
  const reason = control.applicable ? control.statusReason : `Not applicable: ${control.soaJustification}`;
  return (
    <Group gap={6} wrap="nowrap">
      {control.status && <ControlStatusBadge status={control.status} size="lg" />}
      {reason && (
        <Text size="sm" c="dimmed" maw={420} lineClamp={2} title={reason}>
          {reason}
        </Text>
      )}
    </Group>
  );
}

/** Status and the Statement of Applicability, as the top of the Evidence tab. */
function ControlSummary({ context }: { context: DetailContext }) {
  const control = context.record as unknown as Control;
  const field = (name: string) => context.meta.fields.find((f) => f.name === name);
  const owner = field('ownerUserId');
  const ownerGroup = field('ownerGroupId');
  const framework = useResourceRecord<Framework>(frameworkResource, control.frameworkId);
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {control.refId} in{' '}
          <Anchor component={Link} to={frameworkHref(control.frameworkId)} size="sm">
            {framework.data?.name ?? 'its framework'}
          </Anchor>
        </Text>
        <Group gap="sm">
          {control.status && <ControlStatusBadge status={control.status} size="lg" />}
          <Text size="sm">{control.statusReason ?? 'Not computed yet.'}</Text>
          {control.withdrawn && (
            <Badge color="orange" variant="light">
              Withdrawn from the framework
            </Badge>
          )}
        </Group>
        <Group gap="lg">
          <Text size="sm">
            <Text span c="dimmed">
              Implementation:{' '}
            </Text>
            {IMPLEMENTATION_LABELS[control.implementationStatus] ??
              humanizeField(control.implementationStatus)}
          </Text>
          <Text size="sm" component="div">
            <Text span c="dimmed">
              Owner:{' '}
            </Text>
            {owner && control.ownerUserId ? <FieldValue field={owner} value={control.ownerUserId} /> : null}
            {ownerGroup && control.ownerGroupId ? (
              <>
                {control.ownerUserId ? ', ' : ''}
                <FieldValue field={ownerGroup} value={control.ownerGroupId} />
              </>
            ) : null}
            {!control.ownerUserId && !control.ownerGroupId && 'nobody yet'}
          </Text>
        </Group>
        {!control.applicable && (
          <Alert color="gray" title="Excluded from the Statement of Applicability">
            Not applicable: {control.soaJustification}
          </Alert>
        )}
        {context.record.abilities.update && (
          <Group>
            <Anchor component={Link} to={`${controlResource.route}/${control.id}/edit`} size="sm">
              Edit applicability, implementation and owners
            </Anchor>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function ControlEvidenceTab({ context }: { context: DetailContext }) {
  const control = context.record as unknown as Control;
  if (control.kind === 'group') {
    return (
      <Text c="dimmed">
        {control.refId} is a heading: evidence goes on its controls.{' '}
        <Anchor component={Link} to={`${controlResource.route}?parentId=${control.id}`}>
          See its controls
        </Anchor>
      </Text>
    );
  }
  return (
    <Stack gap="lg">
      <ControlSummary context={context} />
      <ControlEvidenceLinks context={context} />
      <ManualEvidence context={context} />
    </Stack>
  );
}

/** When evidence stops counting (or has not started to), in words and a colour. */
function Validity({ evidence }: { evidence: Evidence }) {
  const startsIn = daysUntil(evidence.evidenceDate);
  if (startsIn > 0)
    return (
      <Badge size="xs" color="blue" variant="light">
        counts from {formatDate(evidence.evidenceDate)}
      </Badge>
    );
  if (!evidence.validUntil) return null;
  const left = daysUntil(evidence.validUntil);
  if (left < 0)
    return (
      <Badge size="xs" color="red" variant="filled">
        expired — no longer counts
      </Badge>
    );
  if (left > EXPIRY_WARNING_DAYS) return null;
  return (
    <Badge size="xs" color="yellow" variant="light">
      {left === 0 ? 'expires today' : left === 1 ? 'expires tomorrow' : `expires in ${left} days`}
    </Badge>
  );
}

/** Dated notes and files that show the control is met, each valid for a while. */
function ManualEvidence({ context }: { context: DetailContext }) {
  const queryClient = useQueryClient();
  const writable = canWrite(useSession(), 'compliance');
  const meta = useEntityMeta(evidenceResource.entityType);
  const params = { controlId: context.record.id, sort: '-evidenceDate', pageSize: SHOWN };
  const query = useQuery({
    queryKey: resourceKeys.list(evidenceResource, params),
    queryFn: ({ signal }) => api.get<Page<Evidence>>(collectionUrl(evidenceResource), params, { signal }),
  });
  const [adding, setAdding] = useState(false);
  const [archiving, setArchiving] = useState<Evidence | null>(null);
  const archive = useMutation({
    mutationFn: (evidence: Evidence) =>
      api.post(`${recordUrl(evidenceResource, evidence.id)}/archive`, { version: evidence.version }),
    onSuccess: async () => {
      notifySuccess('Evidence archived.');
      setArchiving(null);
      await refreshCompliance(queryClient);
    },
    onError: (error) => notifyError(error, 'Could not archive the evidence'),
  });
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h4">
          Manual evidence
        </Title>
        {writable && meta.data && (
          <Button size="xs" onClick={() => setAdding(true)}>
            Add evidence
          </Button>
        )}
      </Group>
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !query.data ? (
        <Skeleton height={80} />
      ) : query.data.total === 0 ? (
        <Text c="dimmed" size="sm">
          No manual evidence. Add a dated note, a report or a screenshot that shows the control is met, with
          how long it stays valid.
        </Text>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {query.data.data.map((evidence) => {
            const expired = evidence.validUntil !== null && daysUntil(evidence.validUntil) < 0;
            return (
              <Paper
                key={evidence.id}
                withBorder
                p="xs"
                component="li"
                style={expired ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
              >
                <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
                  <Stack gap={4} style={{ minWidth: 0 }}>
                    <Group gap={6} wrap="wrap">
                      <Anchor component={Link} to={`${evidenceResource.route}/${evidence.id}`} size="sm">
                        {evidence.title}
                      </Anchor>
                      <Validity evidence={evidence} />
                    </Group>
                    <Text size="xs" c={expired ? 'red' : 'dimmed'}>
                      Dated {formatDate(evidence.evidenceDate)} ·{' '}
                      {evidence.validUntil ? `valid until ${formatDate(evidence.validUntil)}` : 'no end date'}
                    </Text>
                    {evidence.note && (
                      <Text size="sm" lineClamp={3} style={{ whiteSpace: 'pre-wrap' }}>
                        {evidence.note}
                      </Text>
                    )}
                  </Stack>
                  {writable && (
                    <Tooltip label="Archive">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Archive ${evidence.title}`}
                        onClick={() => setArchiving(evidence)}
                      >
                        <TrashIcon size={16} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Group>
              </Paper>
            );
          })}
        </Stack>
      )}
      {query.data && query.data.total > SHOWN && (
        <Text size="sm">
          <Link
            to="/records/$type"
            params={{ type: evidenceResource.entityType }}
            search={{ controlId: context.record.id }}
          >
            All {query.data.total} pieces of evidence
          </Link>
        </Text>
      )}
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add evidence" size="lg">
        {adding && meta.data && (
          <AddEvidenceForm meta={meta.data} context={context} onDone={() => setAdding(false)} />
        )}
      </Modal>
      <ConfirmDialog
        opened={archiving !== null}
        title="Archive this evidence?"
        confirmLabel="Archive"
        loading={archive.isPending}
        onConfirm={() => archiving && archive.mutate(archiving)}
        onCancel={() => setArchiving(null)}
      >
        “{archiving?.title}” will stop counting as evidence of {String(context.record.refId)}. It stays in the
        evidence list, archived, and can be restored from there.
      </ConfirmDialog>
    </Stack>
  );
}

/**
 * New manual evidence: the server's own contract decides the fields and their limits. Once it is
 * created, a file (the report, the screenshot) can be attached to it before closing.
 */
function AddEvidenceForm({
  meta,
  context,
  onDone,
}: {
  meta: EntityMeta;
  context: DetailContext;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const fields = formFields(meta, 'create').filter((field) => field.name !== 'controlId');
  const form = useRecordForm<Record<string, unknown>>({
    initialValues: {
      ...Object.fromEntries(fields.map((field) => [field.name, toFormValue(field, undefined)])),
      evidenceDate: todayIso(),
    },
    rules: Object.fromEntries(fields.map((field) => [field.name, fieldRule(field)])),
  });
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<Evidence>(collectionUrl(evidenceResource), body),
  });
  const [created, setCreated] = useState<Evidence | null>(null);
  if (created) {
    return (
      <Stack gap="md">
        <Alert color="green" title="Evidence added">
          “{created.title}” now counts for {String(context.record.refId)}. Attach the file it rests on, if
          there is one: a report, a screenshot, a signed document.
        </Alert>
        <AttachmentsPanel definition={evidenceResource} id={created.id} canEdit />
        <Group justify="flex-end">
          <Button onClick={onDone}>Done</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <RecordForm
      form={form}
      submitLabel="Add evidence"
      onCancel={onDone}
      onSubmit={({ values }) =>
        create.mutateAsync({
          controlId: context.record.id,
          ...Object.fromEntries(
            fields
              .map((field) => [field.name, toPayloadValue(field, values[field.name])] as const)
              .filter(([, value]) => value !== undefined),
          ),
        })
      }
      onSaved={async (evidence) => {
        notifySuccess('Evidence added.');
        setCreated(evidence);
        await refreshCompliance(queryClient);
      }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {fields.map((field, index) => (
          <FieldInput key={field.name} field={field} form={form} autoFocus={index === 0} />
        ))}
      </SimpleGrid>
    </RecordForm>
  );
}

/** The control page: its status in the header; evidence and mappings in tabs. */
export const controlDetailExtension: DetailExtension = {
  actions: (context) => <ControlStatusHeader context={context} />,
  tabs: [
    { value: 'evidence', label: 'Evidence', render: (context) => <ControlEvidenceTab context={context} /> },
    { value: 'mappings', label: 'Mappings', render: (context) => <ControlMappingsTab context={context} /> },
  ],
};
