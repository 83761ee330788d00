import { Alert, Button, Group, Modal, Radio, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { followingPeriod } from '../../../shared/periods';
import { isApiError } from '../../api/client';
import { useSession } from '../../api/session';
import { DownloadIcon, LockIcon } from '../../components/icons';
import { notifyError, notifySuccess } from '../../components/notify';
import { ReasonDialog } from './audit-parts';
import { assessmentResultsUrl } from './audit-work.api';
import { packUrl, useChangeAuditStatus, useCloneAudit, useIsAuditor, useLockAudit } from './audits.api';
import {
  AUDIT_OUTCOMES,
  AUDIT_STATUS_LABELS,
  AUDIT_STEPS,
  type Audit,
  type AuditOutcome,
  type AuditStatus,
  auditAbilities,
  fieldErrors,
  OUTCOME_LABELS,
  useAuditsBase,
} from './audits.model';

/**
 * The audit's header actions: its next workflow steps, lock and unlock, clone, the evidence pack
 * and the results as OSCAL.
 */
export function AuditActions({ audit }: { audit: Audit }) {
  const session = useSession();
  const can = auditAbilities(session, audit, useIsAuditor(audit.id));
  const change = useChangeAuditStatus(audit);
  const lock = useLockAudit(audit.id, 'lock');
  const unlock = useLockAudit(audit.id, 'unlock');
  const [dialog, setDialog] = useState<'close' | 'lock' | 'unlock' | 'clone' | null>(null);

  const step = (status: AuditStatus, outcome?: AuditOutcome) =>
    change.mutate(
      { status, outcome },
      {
        onSuccess: (updated) => {
          setDialog(null);
          notifySuccess(
            updated.status === 'closed' && updated.outcome
              ? `The audit is closed: ${OUTCOME_LABELS[updated.outcome]}.`
              : `The audit is now in ${AUDIT_STATUS_LABELS[updated.status].toLowerCase()}.`,
          );
        },
        onError: (error) =>
          notifyError(
            error,
            isApiError(error, 409) ? 'The audit changed meanwhile: reloaded' : 'Could not change the status',
          ),
      },
    );

  return (
    <>
      {can.changeStatus &&
        AUDIT_STEPS[audit.status].map((next) => (
          <Button
            key={next.to}
            variant={next.to === 'closed' || next.to === 'preparation' ? 'default' : 'filled'}
            loading={change.isPending && change.variables?.status === next.to}
            onClick={() => (next.to === 'closed' ? setDialog('close') : step(next.to))}
          >
            {next.to === 'closed' ? `${next.label}…` : next.label}
          </Button>
        ))}
      {can.lock && (
        <Button variant="default" leftSection={<LockIcon size={16} />} onClick={() => setDialog('lock')}>
          Lock
        </Button>
      )}
      {can.unlock && (
        <Button variant="default" onClick={() => setDialog('unlock')}>
          Unlock
        </Button>
      )}
      {can.clone && (
        <Button variant="default" onClick={() => setDialog('clone')}>
          Clone
        </Button>
      )}
      <Button
        component="a"
        href={packUrl(audit.id)}
        download
        variant="default"
        leftSection={<DownloadIcon size={16} />}
      >
        Download evidence pack
      </Button>
      <Button
        component="a"
        href={assessmentResultsUrl(audit.id)}
        download
        variant="default"
        leftSection={<DownloadIcon size={16} />}
        title="The results and findings as an OSCAL assessment-results document (JSON)"
      >
        Download OSCAL results
      </Button>
      <CloseAuditDialog
        opened={dialog === 'close'}
        loading={change.isPending}
        onConfirm={(outcome) => step('closed', outcome)}
        onCancel={() => setDialog(null)}
      />
      <ReasonDialog
        opened={dialog === 'lock'}
        title="Lock this audit?"
        explanation="Nothing about it can change while it is locked: not its status, not a result or a comment. Only an administrator can unlock it."
        confirmLabel="Lock"
        loading={lock.isPending}
        error={lock.error}
        onConfirm={(reason) =>
          lock.mutate(reason, {
            onSuccess: () => {
              setDialog(null);
              notifySuccess('The audit is locked.');
            },
          })
        }
        onCancel={() => {
          lock.reset();
          setDialog(null);
        }}
      />
      <ReasonDialog
        opened={dialog === 'unlock'}
        title="Unlock this audit?"
        explanation="Results, comments and its status can change again. The reason is kept with the audit and in the audit log."
        confirmLabel="Unlock"
        loading={unlock.isPending}
        error={unlock.error}
        onConfirm={(reason) =>
          unlock.mutate(reason, {
            onSuccess: () => {
              setDialog(null);
              notifySuccess('The audit is unlocked.');
            },
          })
        }
        onCancel={() => {
          unlock.reset();
          setDialog(null);
        }}
      />
      <Modal opened={dialog === 'clone'} onClose={() => setDialog(null)} title="Clone this audit" size="lg">
        {dialog === 'clone' && <CloneForm audit={audit} onClose={() => setDialog(null)} />}
      </Modal>
    </>
  );
}

function CloseAuditDialog({
  opened,
  loading,
  onConfirm,
  onCancel,
}: {
  opened: boolean;
  loading: boolean;
  onConfirm: (outcome: AuditOutcome) => void;
  onCancel: () => void;
}) {
  const [outcome, setOutcome] = useState<AuditOutcome | null>(null);
  const [touched, setTouched] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (outcome) onConfirm(outcome);
  };
  return (
    <Modal opened={opened} onClose={onCancel} title="Close the audit" centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">
            A closed audit stays closed: results can no longer change. Its evidence pack can still be
            downloaded.
          </Text>
          <Radio.Group
            label="Outcome"
            required
            value={outcome}
            onChange={(value) => setOutcome(value as AuditOutcome)}
            error={touched && !outcome ? 'Outcome is required to close the audit' : undefined}
          >
            <Stack gap={6} mt={4}>
              {AUDIT_OUTCOMES.map((value) => (
                <Radio key={value} value={value} label={OUTCOME_LABELS[value]} />
              ))}
            </Stack>
          </Radio.Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel} disabled={loading}>
              Cancel
            </Button>
            <Button type="submit" loading={loading}>
              Close the audit
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A new audit of the same scope, frozen afresh; name and period start from the next period. */
function CloneForm({ audit, onClose }: { audit: Audit; onClose: () => void }) {
  const navigate = useNavigate();
  const base = useAuditsBase();
  const clone = useCloneAudit(audit.id);
  const next = followingPeriod(audit.periodStart, audit.periodEnd);
  const [name, setName] = useState(`${audit.name} (next period)`);
  const [periodStart, setPeriodStart] = useState(next.start);
  const [periodEnd, setPeriodEnd] = useState(next.end);
  const errors = fieldErrors(clone.error);
  const unplaced = isApiError(clone.error) && Object.keys(errors).length === 0;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    clone.mutate(
      { name: name.trim(), periodStart, periodEnd },
      {
        onSuccess: (created) => {
          notifySuccess(`${created.name} is frozen as of now.`, 'Audit cloned');
          onClose();
          void navigate({ to: `${base}/${created.id}` });
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">
          The new audit covers the same controls and settings, with the evidence frozen as it stands now.
          Evidence added during this audit comes along, re-frozen, while its record still exists; notes stay
          here. Results start again from pending.
        </Text>
        {unplaced && isApiError(clone.error) && (
          <Alert color="red" title="Not cloned" role="alert">
            {clone.error.summary}
          </Alert>
        )}
        <TextInput
          label="Name"
          required
          maxLength={200}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errors.name && `Name ${errors.name}`}
          data-autofocus
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <TextInput
            type="date"
            label="Period start"
            required
            value={periodStart}
            onChange={(event) => setPeriodStart(event.currentTarget.value)}
            error={errors.periodStart && `Period start ${errors.periodStart}`}
          />
          <TextInput
            type="date"
            label="Period end"
            required
            value={periodEnd}
            onChange={(event) => setPeriodEnd(event.currentTarget.value)}
            error={errors.periodEnd && `Period end ${errors.periodEnd}`}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={clone.isPending}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={clone.isPending}
            disabled={!name.trim() || !periodStart || !periodEnd}
          >
            Clone and freeze
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
