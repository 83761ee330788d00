import {
  Alert,
  Button,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { isApiError } from '../../api/client';
import { notifySuccess } from '../../components/notify';
import { RecordPicker } from '../../components/record-picker';
import { type User, userResource } from '../people/people.resources';
import { type ItemRef, useSaveFinding, useWorkAbilities } from './audit-work.api';
import {
  FINDING_SEVERITIES,
  FINDING_STATUS_LABELS,
  FINDING_STATUSES,
  type Finding,
  type FindingInput,
  type FindingSeverity,
  type FindingStatus,
  SEVERITY_LABELS,
} from './audit-work.model';
import type { Audit } from './audits.model';
import { ClosureNote, placeErrors } from './close-finding-dialog';
import { useFieldErrors } from './work-parts';

/**
 * Records a finding or edits one: on a control (fixed when recorded from the control's drawer, or
 * chosen among the audit's controls) or on the audit as a whole. Closing asks for a closure note.
 */
export function FindingDialog({
  audit,
  opened,
  finding,
  fixedItem,
  items,
  onClose,
}: {
  audit: Audit;
  opened: boolean;
  /** The finding to edit; null records a new one. */
  finding: Finding | null;
  /** Recording from a control's drawer: that control. */
  fixedItem?: Pick<ItemRef, 'id' | 'refId' | 'title'>;
  /** The audit's controls to choose from when recording from the Findings tab. */
  items?: ItemRef[];
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={
        finding
          ? 'Edit the finding'
          : fixedItem
            ? `Record a finding on ${fixedItem.refId}`
            : 'Record a finding'
      }
      size="lg"
    >
      {opened && (
        <FindingForm audit={audit} finding={finding} fixedItem={fixedItem} items={items} onClose={onClose} />
      )}
    </Modal>
  );
}

function FindingForm({
  audit,
  finding,
  fixedItem,
  items,
  onClose,
}: {
  audit: Audit;
  finding: Finding | null;
  fixedItem?: Pick<ItemRef, 'id' | 'refId' | 'title'>;
  items?: ItemRef[];
  onClose: () => void;
}) {
  const can = useWorkAbilities(audit);
  const save = useSaveFinding(audit.id);
  const [itemId, setItemId] = useState<string | null>(fixedItem?.id ?? null);
  const [title, setTitle] = useState(finding?.title ?? '');
  const [description, setDescription] = useState(finding?.description ?? '');
  const [severity, setSeverity] = useState<FindingSeverity>(finding?.severity ?? 'medium');
  const [ownerUserId, setOwnerUserId] = useState<string | null>(finding?.ownerUserId ?? null);
  const [dueDate, setDueDate] = useState(finding?.dueDate ?? '');
  const [status, setStatus] = useState<FindingStatus>(finding?.status ?? 'open');
  const [closureNote, setClosureNote] = useState(finding?.closureNote ?? '');
  const [errors, setErrors, clearError] = useFieldErrors();
  const [formError, setFormError] = useState<string | null>(null);
  const closing = status === 'closed';
  // What a finding says is the auditors'; closing or reopening it, its owner's (as chosen here) or theirs.
  const judge = finding === null || can.judgeFindings;
  const mayClose =
    finding !== null && can.closeFinding({ ownerUserId: can.pickOwner ? ownerUserId : finding.ownerUserId });
  const statusLocked = finding?.status === 'closed' && !mayClose;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!title.trim()) missing.title = 'Title is required';
    if (closing && !closureNote.trim()) missing.closureNote = 'Closure note is required to close a finding';
    setErrors(missing);
    setFormError(null);
    if (Object.keys(missing).length > 0) return;
    const input: FindingInput = {
      ...(judge ? { title: title.trim(), description: description.trim() || null, severity } : {}),
      dueDate: dueDate || null,
      ...(can.pickOwner ? { ownerUserId } : {}),
      ...(finding
        ? { status, ...(closing || finding.closureNote ? { closureNote: closureNote.trim() || null } : {}) }
        : { itemId: itemId ?? undefined }),
    };
    save.mutate(
      { finding, input },
      {
        onSuccess: (saved) => {
          notifySuccess(
            finding ? `“${saved.title}” saved.` : `“${saved.title}” recorded.`,
            finding ? undefined : 'Finding recorded',
          );
          onClose();
        },
        onError: (error) => {
          const placed = placeErrors(error, [
            'itemId',
            'title',
            'description',
            'severity',
            'ownerUserId',
            'dueDate',
            'status',
            'closureNote',
          ]);
          setErrors(placed.byField);
          setFormError(
            isApiError(error, 409) && !placed.byField.closureNote
              ? `${placed.rest ?? 'The finding changed meanwhile.'} Close this dialog to see it as it is now.`
              : placed.rest,
          );
        },
      },
    );
  };

  let control: ReactNode = null;
  if (finding === null && fixedItem)
    control = (
      <Text size="sm">
        On control <strong>{fixedItem.refId}</strong> {fixedItem.title}
      </Text>
    );
  else if (finding === null && items)
    control = (
      <Select
        label="Control"
        description="Leave it empty for a finding on the audit as a whole."
        placeholder="Search by reference or title"
        searchable
        clearable
        data={items.map((item) => ({ value: item.id, label: `${item.refId} ${item.title}` }))}
        value={itemId}
        onChange={(value) => {
          setItemId(value);
          clearError('itemId');
        }}
        error={errors.itemId}
        limit={50}
      />
    );

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {formError && (
          <Alert color="red" role="alert" title={finding ? 'Not saved' : 'Not recorded'}>
            {formError}
          </Alert>
        )}
        {control}
        {!judge && (
          <Text size="sm" c="dimmed">
            The auditors say what the finding is; you give it an owner, a due date and its progress.
          </Text>
        )}
        <TextInput
          label="Title"
          required
          disabled={!judge}
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
          label="Description"
          description="What was found, and what it puts at risk."
          autosize
          minRows={3}
          maxLength={10_000}
          disabled={!judge}
          value={description}
          onChange={(event) => {
            setDescription(event.currentTarget.value);
            clearError('description');
          }}
          error={errors.description}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <Select
            label="Severity"
            required
            disabled={!judge}
            allowDeselect={false}
            data={FINDING_SEVERITIES.map((value) => ({ value, label: SEVERITY_LABELS[value] }))}
            value={severity}
            onChange={(value) => value && setSeverity(value as FindingSeverity)}
            error={errors.severity}
          />
          <TextInput
            type="date"
            label="Due date"
            value={dueDate}
            onChange={(event) => {
              setDueDate(event.currentTarget.value);
              clearError('dueDate');
            }}
            error={errors.dueDate}
          />
        </SimpleGrid>
        {can.pickOwner && (
          <RecordPicker<User>
            definition={userResource}
            label="Owner"
            description="Who fixes it."
            value={ownerUserId}
            onChange={(id) => {
              setOwnerUserId(id);
              clearError('ownerUserId');
            }}
            optionLabel={(user) => `${user.name} (${user.email})`}
            filters={{ role: 'member,admin' }}
            error={errors.ownerUserId}
          />
        )}
        {finding && (
          <Select
            label="Status"
            description={
              mayClose
                ? undefined
                : 'Its owner or an auditor closes it; give it an owner to close it yourself.'
            }
            required
            disabled={statusLocked}
            allowDeselect={false}
            data={FINDING_STATUSES.map((value) => ({
              value,
              label: FINDING_STATUS_LABELS[value],
              disabled: value === 'closed' && !mayClose,
            }))}
            value={status}
            onChange={(value) => value && setStatus(value as FindingStatus)}
            error={errors.status}
          />
        )}
        {finding && (closing || finding.closureNote) && (
          <ClosureNote
            value={closureNote}
            onChange={(value) => {
              setClosureNote(value);
              clearError('closureNote');
            }}
            error={errors.closureNote}
            required={closing}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {finding ? 'Save' : 'Record the finding'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
