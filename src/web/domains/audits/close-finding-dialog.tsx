import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { notifySuccess } from '../../components/notify';
import { useSaveFinding } from './audit-work.api';
import type { Finding } from './audit-work.model';
import { type Audit, fieldErrors } from './audits.model';

/** Closing a finding, and what the finding dialogs share: the closure note, the server's refusals by field. */

const LABELS: Record<string, string> = {
  itemId: 'Control',
  title: 'Title',
  description: 'Description',
  severity: 'Severity',
  ownerUserId: 'Owner',
  dueDate: 'Due date',
  status: 'Status',
  closureNote: 'Closure note',
};

/** The server's refusals, each led by its field's name; the paths this form has no field for come back apart. */
export function placeErrors(
  error: unknown,
  fields: string[],
): { byField: Record<string, string>; rest: string | null } {
  const byPath = fieldErrors(error);
  const byField: Record<string, string> = {};
  const others: string[] = [];
  for (const [path, message] of Object.entries(byPath)) {
    if (fields.includes(path)) byField[path] = `${LABELS[path] ?? path} ${message}`;
    else others.push(`${LABELS[path] ?? path} ${message}`);
  }
  if (Object.keys(byPath).length === 0) others.push(isApiError(error) ? error.summary : String(error));
  return { byField, rest: others.length > 0 ? others.join('; ') : null };
}

export function ClosureNote({
  value,
  onChange,
  error,
  required,
  autoFocus,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string;
  required: boolean;
  autoFocus?: boolean;
}) {
  return (
    <Textarea
      label="Closure note"
      description="How it was fixed, and where the proof is."
      required={required}
      autosize
      minRows={3}
      maxLength={10_000}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
      data-autofocus={autoFocus || undefined}
    />
  );
}

/** Closes a finding: the closure note says how it was fixed (the server requires one). */
export function CloseFindingDialog({
  audit,
  finding,
  onClose,
}: {
  audit: Audit;
  finding: Finding | null;
  onClose: () => void;
}) {
  return (
    <Modal opened={finding !== null} onClose={onClose} title="Close the finding" size="lg">
      {finding && <CloseFindingForm audit={audit} finding={finding} onClose={onClose} />}
    </Modal>
  );
}

function CloseFindingForm({
  audit,
  finding,
  onClose,
}: {
  audit: Audit;
  finding: Finding;
  onClose: () => void;
}) {
  const save = useSaveFinding(audit.id);
  const [note, setNote] = useState(finding.closureNote ?? '');
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (!note.trim()) {
      setError('Closure note is required to close a finding');
      return;
    }
    setError(undefined);
    save.mutate(
      { finding, input: { status: 'closed', closureNote: note.trim() } },
      {
        onSuccess: (saved) => {
          notifySuccess(`“${saved.title}” is closed.`);
          onClose();
        },
        onError: (caught) => {
          const placed = placeErrors(caught, ['closureNote']);
          setError(placed.byField.closureNote);
          setFormError(placed.rest);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">
          <strong>{finding.title}</strong> will be closed. It can be reopened from its edit dialog.
        </Text>
        {formError && (
          <Alert color="red" role="alert" title="Not closed">
            {formError}
          </Alert>
        )}
        <ClosureNote
          value={note}
          onChange={(value) => {
            setNote(value);
            setError(undefined);
          }}
          error={error}
          required
          autoFocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Close the finding
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
