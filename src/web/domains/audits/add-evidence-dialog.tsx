import {
  Alert,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { notifySuccess } from '../../components/notify';
import { EvidenceRecordPicker } from '../compliance/evidence-record-picker';
import { type AddedEvidenceInput, useAddEvidence } from './audit-work.api';
import { type Audit, type AuditItem, fieldErrors } from './audits.model';
import { useFieldErrors } from './work-parts';

/**
 * Evidence added to a frozen control during the audit (the team): a record as it is now, or a
 * note. It is frozen when added, and shown as added during the audit.
 */
export function AddEvidenceDialog({
  audit,
  item,
  opened,
  onClose,
}: {
  audit: Audit;
  item: AuditItem;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Add evidence to ${item.refId}`} size="lg">
      {opened && <AddEvidenceForm audit={audit} item={item} onClose={onClose} />}
    </Modal>
  );
}

const LABELS: Record<string, string> = {
  recordType: 'Kind of record',
  recordId: 'Record',
  justification: 'Justification',
  title: 'Title',
  note: 'Note',
};

function AddEvidenceForm({ audit, item, onClose }: { audit: Audit; item: AuditItem; onClose: () => void }) {
  const add = useAddEvidence(audit.id);
  const [kind, setKind] = useState<'note' | 'record'>('note');
  const [type, setType] = useState<string | null>(null);
  const [recordId, setRecordId] = useState<string | null>(null);
  const [justification, setJustification] = useState('');
  const [title, setTitle] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors, clearError] = useFieldErrors();
  const [formError, setFormError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (kind === 'record') {
      if (!type) missing.recordType = 'Choose the kind of record';
      else if (!recordId) missing.recordId = 'Choose the record';
      if (!justification.trim())
        missing.justification = 'Justification is required: say how it meets the control';
    } else {
      if (!title.trim()) missing.title = 'Title is required';
      if (!note.trim()) missing.note = 'Note is required';
    }
    setErrors(missing);
    setFormError(null);
    if (Object.keys(missing).length > 0) return;
    const input: AddedEvidenceInput =
      kind === 'record' && type && recordId
        ? { recordType: type, recordId, justification: justification.trim() }
        : { title: title.trim(), note: note.trim() };
    add.mutate(
      { itemId: item.id, ...input },
      {
        onSuccess: ({ data }) => {
          notifySuccess(`${data.displayName} is frozen with ${item.refId}.`, 'Evidence added');
          onClose();
        },
        onError: (error) => {
          const byField = fieldErrors(error);
          setErrors(
            Object.fromEntries(
              Object.entries(byField).map(([path, message]) => [path, `${LABELS[path] ?? path} ${message}`]),
            ),
          );
          const placed = Object.keys(byField).some((path) => path in LABELS);
          if (!placed) setFormError(isApiError(error) ? error.summary : String(error));
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">
          What you add is frozen now, as it stands, and shown to the auditors as added during the audit. The
          control’s evidence frozen at the start does not change.
        </Text>
        {formError && (
          <Alert color="red" role="alert" title="Not added">
            {formError}
          </Alert>
        )}
        <SegmentedControl
          aria-label="Kind of evidence"
          value={kind}
          onChange={(value) => {
            setKind(value as 'note' | 'record');
            setErrors({});
          }}
          data={[
            { value: 'note', label: 'A note' },
            { value: 'record', label: 'A record' },
          ]}
        />
        {kind === 'note' ? (
          <>
            <TextInput
              label="Title"
              required
              maxLength={200}
              value={title}
              onChange={(event) => {
                setTitle(event.currentTarget.value);
                clearError('title');
              }}
              error={errors.title}
              data-autofocus
            />
            <Textarea
              label="Note"
              description="What it shows, where it comes from, for which period."
              required
              autosize
              minRows={3}
              maxLength={10_000}
              value={note}
              onChange={(event) => {
                setNote(event.currentTarget.value);
                clearError('note');
              }}
              error={errors.note}
            />
          </>
        ) : (
          <>
            <EvidenceRecordPicker
              type={type}
              recordId={recordId}
              onTypeChange={(value) => {
                setType(value);
                clearError('recordType');
              }}
              onRecordChange={(id) => {
                setRecordId(id);
                clearError('recordId');
              }}
              typeError={errors.recordType}
              recordError={errors.recordId}
            />
            <Textarea
              label="Justification"
              description="How this record shows the control is met; auditors read it."
              required
              autosize
              minRows={3}
              maxLength={10_000}
              value={justification}
              onChange={(event) => {
                setJustification(event.currentTarget.value);
                clearError('justification');
              }}
              error={errors.justification}
            />
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={add.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending}>
            Add evidence
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
