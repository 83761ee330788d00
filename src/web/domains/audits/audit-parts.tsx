import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import type { FieldDescriptor } from '../../api/entity-meta';
import { canRead, useSession } from '../../api/session';
import { LockIcon } from '../../components/icons';
import { FieldValue } from '../../generic/entity-fields';
import {
  CONTROL_STATUS_COLORS,
  CONTROL_STATUS_LABELS,
  type ControlStatus,
} from '../compliance/frameworks.api';
import { useParticipants } from './audits.api';
import {
  AUDIT_RESULTS,
  AUDIT_STATUS_COLORS,
  AUDIT_STATUS_LABELS,
  type Audit,
  fieldErrors,
  OUTCOME_COLORS,
  OUTCOME_LABELS,
  RESULT_COLORS,
  RESULT_LABELS,
} from './audits.model';

/** Small pieces the audit list and the audit page share. */

export function AuditStatusBadge({ audit, size = 'md' }: { audit: Audit; size?: 'md' | 'lg' }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Badge size={size} color={AUDIT_STATUS_COLORS[audit.status]} variant="light">
        {AUDIT_STATUS_LABELS[audit.status]}
      </Badge>
      {audit.outcome && (
        <Badge size={size} color={OUTCOME_COLORS[audit.outcome]} variant="filled">
          {OUTCOME_LABELS[audit.outcome]}
        </Badge>
      )}
    </Group>
  );
}

export function LockedMark({ audit }: { audit: Audit }) {
  if (!audit.locked) return null;
  return (
    <Tooltip label={`Locked: ${audit.lockReason ?? 'no reason given'}`} withArrow multiline maw={320}>
      <span style={{ display: 'inline-flex' }}>
        <LockIcon size={16} aria-hidden />
        <VisuallyHidden>Locked</VisuallyHidden>
      </span>
    </Tooltip>
  );
}

const reviewed = (audit: Audit) =>
  AUDIT_RESULTS.filter((r) => r !== 'pending').reduce((n, r) => n + audit.progress[r], 0);
const totalOf = (audit: Audit) => AUDIT_RESULTS.reduce((n, r) => n + audit.progress[r], 0);

/** Controls with a result so far, as a bar coloured by result. */
export function ProgressBar({ audit }: { audit: Audit }) {
  const total = totalOf(audit);
  const done = reviewed(audit);
  const breakdown = AUDIT_RESULTS.map((result) => `${RESULT_LABELS[result]} ${audit.progress[result]}`).join(
    ', ',
  );
  return (
    <Stack gap={4} miw={160}>
      <Progress.Root size="md" aria-hidden>
        {AUDIT_RESULTS.filter((result) => result !== 'pending' && audit.progress[result] > 0).map(
          (result) => (
            <Tooltip key={result} label={`${RESULT_LABELS[result]}: ${audit.progress[result]}`} withArrow>
              <Progress.Section
                value={total === 0 ? 0 : (100 * audit.progress[result]) / total}
                color={RESULT_COLORS[result]}
                withAria={false}
              />
            </Tooltip>
          ),
        )}
      </Progress.Root>
      <Text size="xs" c="dimmed">
        {done} of {total} reviewed
        <VisuallyHidden>. {breakdown}.</VisuallyHidden>
      </Text>
    </Stack>
  );
}

/** A Mantine colour (`green`, `gray.4`) as a CSS variable; a bare colour takes its usual shade. */
const cssColor = (color: string) => {
  const [name, shade = '6'] = color.split('.');
  return `var(--mantine-color-${name}-${shade})`;
};

/** One counter per result, then the bar. */
export function ProgressCounters({ audit }: { audit: Audit }) {
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 2, xs: 3, md: 6 }} spacing="sm">
        {AUDIT_RESULTS.map((result) => (
          <Paper
            key={result}
            withBorder
            p="sm"
            style={{
              borderLeft: `4px solid ${cssColor(RESULT_COLORS[result])}`,
            }}
          >
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              {RESULT_LABELS[result]}
            </Text>
            <Text size="xl" fw={700}>
              {audit.progress[result]}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <ProgressBar audit={audit} />
    </Stack>
  );
}

const LEAD_FIELD: FieldDescriptor = {
  name: 'leadUserId',
  label: 'Lead',
  kind: 'uuid',
  reference: 'user',
  required: false,
  nullable: true,
  creatable: false,
  updatable: false,
};

/** The lead's name: from the team when they are on it, else from the directory for those who read it. */
export function LeadName({ audit }: { audit: Audit }) {
  const session = useSession();
  const participants = useParticipants(audit.id);
  if (!audit.leadUserId) return <>Nobody yet</>;
  const member = participants.data?.find((participant) => participant.userId === audit.leadUserId);
  if (member) return <>{member.name}</>;
  if (canRead(session, 'hr_people')) return <FieldValue field={LEAD_FIELD} value={audit.leadUserId} />;
  return <>Not on the team</>;
}

/**
 * Asks why before locking or unlocking: the reason goes into the audit's record and its log. The
 * server's refusal shows under the field.
 */
export function ReasonDialog({
  opened,
  title,
  explanation,
  confirmLabel,
  destructive,
  loading,
  error,
  onConfirm,
  onCancel,
}: {
  opened: boolean;
  title: string;
  explanation: string;
  confirmLabel: string;
  destructive?: boolean;
  loading: boolean;
  error: unknown;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const serverError = fieldErrors(error).reason;
  const missing = touched && reason.trim() === '' ? 'Reason is required' : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (reason.trim()) onConfirm(reason.trim());
  };
  const close = () => {
    setReason('');
    setTouched(false);
    onCancel();
  };
  return (
    <Modal opened={opened} onClose={close} title={title} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{explanation}</Text>
          {isApiError(error) && !serverError && (
            <Alert color="red" role="alert" title="Not done">
              {error.summary}
            </Alert>
          )}
          <Textarea
            label="Reason"
            required
            autosize
            minRows={2}
            maxLength={1000}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            onBlur={() => setTouched(true)}
            error={missing ?? (serverError && `Reason ${serverError}`)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={loading}>
              Cancel
            </Button>
            <Button type="submit" color={destructive ? 'red' : undefined} loading={loading}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A control's status when the audit froze it; the reason on hover and to screen readers. */
export function FrozenStatusBadge({ status, reason }: { status: string | null; reason: string | null }) {
  if (!status) return null;
  const known = status in CONTROL_STATUS_LABELS;
  const badge = (
    <Badge
      variant={status === 'not_applicable' ? 'outline' : 'light'}
      color={known ? CONTROL_STATUS_COLORS[status as ControlStatus] : 'gray'}
    >
      {known ? CONTROL_STATUS_LABELS[status as ControlStatus] : status}
      {reason && <VisuallyHidden>: {reason}</VisuallyHidden>}
    </Badge>
  );
  return reason ? (
    <Tooltip label={reason} withArrow multiline maw={320}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}
