import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { canRead, useSession } from '../../api/session';
import { notifySuccess } from '../../components/notify';
import { RecordPicker } from '../../components/record-picker';
import { type Framework, frameworkResource } from '../compliance/frameworks.api';
import { type User, userResource } from '../people/people.resources';
import { useCreateAudit } from './audits.api';
import { type AuditCreateInput, fieldErrors, useAuditsBase } from './audits.model';
import { ControlsSelect } from './controls-select';

/**
 * A new audit: the framework and period, and which controls (every applicable one, or a chosen
 * few). Creating it freezes those controls and their evidence as they stand, so it may take a moment.
 */

const LABELS: Record<string, string> = {
  name: 'Name',
  frameworkId: 'Framework',
  periodStart: 'Period start',
  periodEnd: 'Period end',
  leadUserId: 'Lead',
  controlIds: 'Controls',
  lookbackMonths: 'Look-back',
  samplePerRule: 'Sample per rule',
};

interface Draft {
  name: string;
  frameworkId: string | null;
  periodStart: string;
  periodEnd: string;
  leadUserId: string | null;
  scope: 'all' | 'selection';
  controlIds: string[];
  lookbackMonths: number | string;
  samplePerRule: number | string;
}

const EMPTY: Draft = {
  name: '',
  frameworkId: null,
  periodStart: '',
  periodEnd: '',
  leadUserId: null,
  scope: 'all',
  controlIds: [],
  lookbackMonths: 6,
  samplePerRule: '',
};

function checkDraft(draft: Draft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors.name = 'Name is required';
  if (!draft.frameworkId) errors.frameworkId = 'Framework is required';
  if (!draft.periodStart) errors.periodStart = 'Period start is required';
  if (!draft.periodEnd) errors.periodEnd = 'Period end is required';
  else if (draft.periodStart && draft.periodEnd < draft.periodStart)
    errors.periodEnd = 'Period end must not be before the start';
  if (draft.scope === 'selection' && draft.controlIds.length === 0)
    errors.controlIds = 'Choose at least one control, or audit every applicable control';
  return errors;
}

export function AuditCreateDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="New audit" size="lg">
      {opened && <AuditCreateForm onClose={onClose} />}
    </Modal>
  );
}

function AuditCreateForm({ onClose }: { onClose: () => void }) {
  const session = useSession();
  const base = useAuditsBase();
  const navigate = useNavigate();
  const create = useCreateAudit();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const clientErrors = checkDraft(draft);
  const errorFor = (field: keyof Draft) =>
    serverErrors[field] ?? (submitted ? clientErrors[field] : undefined);
  const set = <K extends keyof Draft>(field: K, value: Draft[K]) => {
    setDraft((current) => ({ ...current, [field]: value }));
    setServerErrors(({ [field]: _gone, ...rest }) => rest);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFormError(null);
    if (Object.keys(clientErrors).length > 0) return;
    const body: AuditCreateInput = {
      name: draft.name.trim(),
      frameworkId: draft.frameworkId!,
      periodStart: draft.periodStart,
      periodEnd: draft.periodEnd,
      ...(draft.leadUserId ? { leadUserId: draft.leadUserId } : {}),
      ...(draft.scope === 'selection' ? { controlIds: draft.controlIds } : {}),
      ...(draft.lookbackMonths !== '' ? { lookbackMonths: Number(draft.lookbackMonths) } : {}),
      ...(draft.samplePerRule !== '' ? { samplePerRule: Number(draft.samplePerRule) } : {}),
    };
    create.mutate(body, {
      onSuccess: (audit) => {
        notifySuccess(`${audit.name} is frozen as of now.`, 'Audit created');
        onClose();
        void navigate({ to: `${base}/${audit.id}` });
      },
      onError: (error) => {
        const byField = fieldErrors(error);
        setServerErrors(
          Object.fromEntries(
            Object.entries(byField).map(([path, message]) => [path, `${LABELS[path] ?? path} ${message}`]),
          ),
        );
        const unplaced = Object.keys(byField).filter((path) => !(path in LABELS));
        setFormError(
          unplaced.length > 0 || Object.keys(byField).length === 0
            ? isApiError(error)
              ? error.summary
              : String(error)
            : null,
        );
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {formError && (
          <Alert color="red" title="The audit was not created" role="alert">
            {formError}
          </Alert>
        )}
        <TextInput
          label="Name"
          placeholder="e.g. ISO 27001 surveillance audit 2026"
          required
          maxLength={200}
          value={draft.name}
          onChange={(event) => set('name', event.currentTarget.value)}
          error={errorFor('name')}
          data-autofocus
        />
        <RecordPicker<Framework>
          definition={frameworkResource}
          label="Framework"
          description="Active frameworks only."
          required
          value={draft.frameworkId}
          onChange={(id) => {
            set('frameworkId', id);
            set('controlIds', []);
          }}
          optionLabel={(framework) => framework.name}
          filters={{ isActive: 'true' }}
          error={errorFor('frameworkId')}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <TextInput
            type="date"
            label="Period start"
            required
            value={draft.periodStart}
            onChange={(event) => set('periodStart', event.currentTarget.value)}
            error={errorFor('periodStart')}
          />
          <TextInput
            type="date"
            label="Period end"
            required
            value={draft.periodEnd}
            onChange={(event) => set('periodEnd', event.currentTarget.value)}
            error={errorFor('periodEnd')}
          />
        </SimpleGrid>
        {canRead(session, 'hr_people') ? (
          <RecordPicker<User>
            definition={userResource}
            label="Lead"
            description="Optional: who runs the audit on your side."
            value={draft.leadUserId}
            onChange={(id) => set('leadUserId', id)}
            optionLabel={(user) => `${user.name} (${user.email})`}
            filters={{ role: 'member,admin,auditor' }}
            error={errorFor('leadUserId')}
          />
        ) : (
          <TextInput
            label="Lead"
            disabled
            value=""
            description="Choosing a lead needs read access to people; it can be left empty."
          />
        )}
        <Radio.Group
          label="Scope"
          value={draft.scope}
          onChange={(value) => set('scope', value as Draft['scope'])}
        >
          <Stack gap={6} mt={4}>
            <Radio value="all" label="Every applicable control of the framework" />
            <Radio value="selection" label="A selection of controls" />
          </Stack>
        </Radio.Group>
        {draft.scope === 'selection' &&
          (draft.frameworkId ? (
            <ControlsSelect
              frameworkId={draft.frameworkId}
              value={draft.controlIds}
              onChange={(ids) => set('controlIds', ids)}
              error={errorFor('controlIds')}
            />
          ) : (
            <Text size="sm" c="dimmed">
              Choose the framework first, then its controls.
            </Text>
          ))}
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <NumberInput
            label="Look-back (months)"
            description="How far back evidence counts, 1 to 36."
            min={1}
            max={36}
            allowDecimal={false}
            value={draft.lookbackMonths}
            onChange={(value) => set('lookbackMonths', value)}
            error={errorFor('lookbackMonths')}
          />
          <NumberInput
            label="Sample per rule"
            description="Optional: at most this many records per automated rule, 1 to 1000."
            min={1}
            max={1000}
            allowDecimal={false}
            value={draft.samplePerRule}
            onChange={(value) => set('samplePerRule', value)}
            error={errorFor('samplePerRule')}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create and freeze
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
