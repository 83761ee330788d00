import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { type EntityMeta, useEntityMeta, useEntityMetas } from '../../api/entity-meta';
import { canWrite, useSession } from '../../api/session';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { formatDateTime, humanizeField } from '../../components/format';
import { TrashIcon } from '../../components/icons';
import { notifyError, notifySuccess } from '../../components/notify';
import type { DetailContext, DetailExtension } from '../../generic/extensions';
import { FrameworkControlPicker, fieldErrorsOf } from './control-mappings';
import {
  type ComplianceLink,
  type ComplianceLinkInput,
  controlHref,
  frameworkHref,
  type LinkFilter,
  recordHref,
  useComplianceLinks,
  useCreateComplianceLink,
  useRemoveComplianceLink,
} from './evidence.api';
import { EvidenceRecordPicker } from './evidence-record-picker';

/**
 * Evidence links seen from both ends: on a control, the records that show it is met; on any
 * linkable record, its Compliance tab with the controls it is evidence for. Each link says why.
 */

const listStyle = { listStyle: 'none', padding: 0, margin: 0 };

/** The fields of a link as the dialogs label them, to lead the server's messages. */
const FIELD_LABELS = {
  controlId: 'Control',
  linkableType: 'Kind of record',
  linkableId: 'Record',
  justification: 'Justification',
};

/** What a link dialog has picked: a complete link, or what is still missing, by API path. */
type LinkDraft = { link: Omit<ComplianceLinkInput, 'justification'> } | { missing: Record<string, string> };

/** The links of one control or one record, each removable after a confirmation. */
function LinkList({
  filter,
  writable,
  target,
  confirmText,
  empty,
}: {
  filter: LinkFilter;
  writable: boolean;
  /** The other end of the link, as this side names it. */
  target: (link: ComplianceLink) => ReactNode;
  confirmText: (link: ComplianceLink) => ReactNode;
  empty: ReactNode;
}) {
  const query = useComplianceLinks(filter);
  const remove = useRemoveComplianceLink();
  const [removing, setRemoving] = useState<ComplianceLink | null>(null);
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!query.data) return <Skeleton height={80} />;
  if (query.data.length === 0) return <>{empty}</>;
  return (
    <>
      <Stack gap="xs" component="ul" style={listStyle}>
        {query.data.map((link) => (
          <Paper key={link.id} withBorder p="xs" component="li">
            <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
              <Stack gap={4} style={{ minWidth: 0 }}>
                <Group gap={6} wrap="wrap">
                  {target(link)}
                </Group>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {link.justification}
                </Text>
                <Text size="xs" c="dimmed">
                  Added {formatDateTime(link.createdAt)}
                </Text>
              </Stack>
              {writable && (
                <Tooltip label="Remove as evidence">
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Remove evidence link: ${link.controlRefId} ← ${link.linkableLabel ?? 'record'}`}
                    onClick={() => setRemoving(link)}
                  >
                    <TrashIcon size={16} />
                  </ActionIcon>
                </Tooltip>
              )}
            </Group>
          </Paper>
        ))}
      </Stack>
      <ConfirmDialog
        opened={removing !== null}
        title="Remove this evidence link?"
        confirmLabel="Remove"
        loading={remove.isPending}
        onConfirm={() =>
          removing &&
          remove.mutate(removing, {
            onSuccess: () => {
              notifySuccess('Evidence link removed.');
              setRemoving(null);
            },
            onError: (error) => notifyError(error, 'Could not remove the evidence link'),
          })
        }
        onCancel={() => setRemoving(null)}
      >
        {removing && confirmText(removing)}
      </ConfirmDialog>
    </>
  );
}

/**
 * What both "link" dialogs share: the pickers of the other end (given the errors by API path),
 * the required justification, and the server's refusals placed next to the field they name.
 */
function LinkForm({
  pickers,
  placed,
  build,
  submitLabel,
  onLinked,
  onCancel,
}: {
  pickers: (errors: Record<string, string>) => ReactNode;
  /** The paths whose errors the pickers show; any other is shown above the buttons. */
  placed: string[];
  /** The link from what was picked, or what is missing, by path. */
  build: () => LinkDraft;
  submitLabel: string;
  onLinked: (link: ComplianceLink) => void;
  onCancel: () => void;
}) {
  const [justification, setJustification] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useCreateComplianceLink();
  const submit = () => {
    const built = build();
    const missing: Record<string, string> = 'missing' in built ? { ...built.missing } : {};
    if (!justification.trim())
      missing.justification = 'Justification is required: say how this record meets the control';
    setErrors(missing);
    if ('missing' in built || Object.keys(missing).length > 0) return;
    create.mutate(
      { ...built.link, justification },
      {
        onSuccess: onLinked,
        onError: (error) => setErrors(fieldErrorsOf(error, 'Could not link as evidence', FIELD_LABELS)),
      },
    );
  };
  const unplaced = Object.entries(errors).filter(
    ([path]) => path !== 'justification' && !placed.includes(path),
  );
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Stack gap="sm">
        {pickers(errors)}
        <Textarea
          label="Justification"
          description="How this record shows the control is met; auditors read it."
          value={justification}
          onChange={(event) => setJustification(event.currentTarget.value)}
          error={errors.justification}
          autosize
          minRows={3}
          maxLength={5000}
          required
        />
        {unplaced.length > 0 && (
          <Text c="red" size="sm" role="alert">
            {unplaced.map(([, message]) => message).join('; ')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A type's name for people; types the caller may not read are not described, so they get their key. */
function typeLabel(metas: EntityMeta[] | undefined, type: string): string {
  return metas?.find((meta) => meta.type === type)?.labels.singular ?? humanizeField(type);
}

function LinkedRecordName({ link }: { link: ComplianceLink }) {
  if (link.restricted)
    return (
      <Text size="sm" c="dimmed" fs="italic">
        a record you cannot open
      </Text>
    );
  if (link.linkableLabel === null)
    return (
      <Text size="sm" td="line-through">
        a deleted record
      </Text>
    );
  return (
    <Anchor
      component={Link}
      to={recordHref(link.linkableType, link.linkableId)}
      size="sm"
      td={link.broken ? 'line-through' : undefined}
    >
      {link.linkableLabel}
    </Anchor>
  );
}

/** On a control's Evidence tab: the records linked to it, and linking another one. */
export function ControlEvidenceLinks({ context }: { context: DetailContext }) {
  const control = { id: context.record.id, refId: String(context.record.refId) };
  const writable = canWrite(useSession(), 'compliance');
  const metas = useEntityMetas();
  const [adding, setAdding] = useState(false);
  const [type, setType] = useState<string | null>(null);
  const [recordId, setRecordId] = useState<string | null>(null);
  const close = () => {
    setAdding(false);
    setType(null);
    setRecordId(null);
  };
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h4">
          Records as evidence
        </Title>
        {writable && (
          <Button size="xs" onClick={() => setAdding(true)}>
            Link a record
          </Button>
        )}
      </Group>
      <LinkList
        filter={{ controlId: control.id }}
        writable={writable}
        empty={
          <Text c="dimmed" size="sm">
            No records linked yet. Link the assets, locations, software or other records that show how this
            control is met.
          </Text>
        }
        target={(link) => (
          <>
            <Badge size="xs" variant="light" color="gray">
              {typeLabel(metas.data, link.linkableType)}
            </Badge>
            <LinkedRecordName link={link} />
            {link.broken && (
              <Badge size="xs" color="red" variant="light">
                broken — no longer counts
              </Badge>
            )}
          </>
        )}
        confirmText={(link) =>
          `${link.linkableLabel ?? 'The record'} will no longer count as evidence of ${control.refId}; the record itself is not changed.`
        }
      />
      <Modal opened={adding} onClose={close} title="Link a record as evidence" size="lg">
        <LinkForm
          placed={['linkableType', 'linkableId']}
          build={(): LinkDraft =>
            type && recordId
              ? { link: { controlId: control.id, linkableType: type, linkableId: recordId } }
              : type
                ? { missing: { linkableId: 'Choose the record' } }
                : { missing: { linkableType: 'Choose the kind of record' } }
          }
          submitLabel="Link as evidence"
          onCancel={close}
          onLinked={(link) => {
            notifySuccess(`${link.linkableLabel ?? 'The record'} is now evidence of ${link.controlRefId}.`);
            close();
          }}
          pickers={(errors) => (
            <>
              <EvidenceRecordPicker
                type={type}
                recordId={recordId}
                onTypeChange={setType}
                onRecordChange={setRecordId}
                typeError={errors.linkableType}
                recordError={errors.linkableId}
              />
            </>
          )}
        />
      </Modal>
    </Stack>
  );
}

/** A record's Compliance tab: the controls it is evidence for, and using it for another one. */
function RecordComplianceTab({ context }: { context: DetailContext }) {
  const { meta, record } = context;
  const writable = canWrite(useSession(), 'compliance');
  const [adding, setAdding] = useState(false);
  const [frameworkId, setFrameworkId] = useState<string | null>(null);
  const [controlId, setControlId] = useState<string | null>(null);
  const noun = meta.labels.singular.toLowerCase();
  const close = () => {
    setAdding(false);
    setFrameworkId(null);
    setControlId(null);
  };
  const action =
    writable && !record.isArchived ? (
      <Button size="xs" onClick={() => setAdding(true)}>
        Use as evidence
      </Button>
    ) : undefined;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" maw={640}>
          The controls of compliance frameworks that this {noun} helps meet.
          {record.isArchived ? ' Archived records no longer count as evidence.' : ''}
        </Text>
        {action}
      </Group>
      <LinkList
        filter={{ linkableType: meta.type, linkableId: record.id }}
        writable={writable}
        empty={
          <EmptyStateBlock
            title="Not evidence for any control yet"
            description={`Compliance evidence shows auditors how a control of a framework (ISO 27001, SOC 2…) is met. Link this ${noun} to the controls it helps satisfy and say how: a control with valid evidence counts as covered.`}
            action={action}
          />
        }
        target={(link) => (
          <>
            <Anchor component={Link} to={frameworkHref(link.frameworkId)} size="xs" c="dimmed">
              {link.frameworkName}
            </Anchor>
            <Anchor component={Link} to={controlHref(link.controlId)} size="sm" fw={500}>
              {link.controlRefId} {link.controlTitle}
            </Anchor>
          </>
        )}
        confirmText={(link) =>
          `This ${noun} will no longer count as evidence of ${link.controlRefId} ${link.controlTitle} (${link.frameworkName}).`
        }
      />
      <Modal opened={adding} onClose={close} title="Use as evidence" size="lg">
        <LinkForm
          placed={['controlId']}
          build={(): LinkDraft =>
            controlId
              ? { link: { controlId, linkableType: meta.type, linkableId: record.id } }
              : {
                  missing: {
                    controlId: frameworkId ? 'Choose the control' : 'Choose a framework, then the control',
                  },
                }
          }
          submitLabel="Use as evidence"
          onCancel={close}
          onLinked={(link) => {
            notifySuccess(`Now evidence of ${link.controlRefId} (${link.frameworkName}).`);
            close();
          }}
          pickers={(errors) => (
            <FrameworkControlPicker
              frameworkId={frameworkId}
              onFrameworkChange={setFrameworkId}
              controlId={controlId}
              onControlChange={setControlId}
              controlError={errors.controlId}
            />
          )}
        />
      </Modal>
    </Stack>
  );
}

/** The Compliance tab every evidence type gets (see `isEvidenceType`). */
export const complianceExtension: DetailExtension = {
  tabs: [
    {
      value: 'compliance',
      label: 'Compliance',
      render: (context) => <RecordComplianceTab context={context} />,
    },
  ],
};

/**
 * The Compliance tab for a record type with a page of its own (users, groups): the same panel the
 * generic detail pages get, once the type's metadata is loaded.
 */
export function ComplianceTabFor({
  type,
  record,
  refresh,
}: {
  type: string;
  record: DetailContext['record'];
  refresh: () => void;
}) {
  const meta = useEntityMeta(type).data;
  if (!meta) return null;
  return <RecordComplianceTab context={{ meta, record, refresh }} />;
}
