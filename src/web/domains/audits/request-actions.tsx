import { Alert, Button, Checkbox, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { notifyError, notifySuccess } from '../../components/notify';
import { useAddEvidence, useUpdateRequest, useWorkAbilities } from './audit-work.api';
import type { EvidenceRequest, RequestStatus } from './audit-work.model';
import { type Audit, fieldErrors } from './audits.model';
import { useFieldErrors } from './work-parts';

/**
 * What can be done with a request for evidence, wherever it is shown: the team answers it
 * (optionally adding the answer to the control's evidence as a note), and whoever takes part
 * closes or reopens it.
 */
export function RequestActions({
  audit,
  request,
  controlRef,
}: {
  audit: Audit;
  request: EvidenceRequest;
  /** The control's reference, to name the request to screen readers. */
  controlRef: string;
}) {
  const can = useWorkAbilities(audit);
  const update = useUpdateRequest(audit.id);
  const [answering, setAnswering] = useState(false);
  const setStatus = (status: RequestStatus, done: string) =>
    update.mutate(
      { request, status },
      {
        onSuccess: () => notifySuccess(done),
        onError: (error) =>
          notifyError(
            error,
            isApiError(error, 409) ? 'The request changed meanwhile: reloaded' : 'Not changed',
          ),
      },
    );
  const pending = (status: RequestStatus) => update.isPending && update.variables?.status === status;
  if (!can.participate) return null;
  return (
    <Group gap="xs">
      {can.answer && request.status !== 'closed' && (
        <Button
          size="compact-sm"
          onClick={() => setAnswering(true)}
          aria-label={`Answer the request on ${controlRef}`}
        >
          {request.status === 'answered' ? 'Change the answer' : 'Answer'}
        </Button>
      )}
      {request.status !== 'closed' && (
        <Button
          size="compact-sm"
          variant="default"
          loading={pending('closed')}
          onClick={() => setStatus('closed', `The request on ${controlRef} is closed.`)}
          aria-label={`Close the request on ${controlRef}`}
        >
          Close
        </Button>
      )}
      {request.status !== 'open' && (
        <Button
          size="compact-sm"
          variant="subtle"
          loading={pending('open')}
          onClick={() => setStatus('open', `The request on ${controlRef} is open again.`)}
          aria-label={`Reopen the request on ${controlRef}`}
        >
          Reopen
        </Button>
      )}
      {can.answer && (
        <Modal
          opened={answering}
          onClose={() => setAnswering(false)}
          title={`Answer the request on ${controlRef}`}
          size="lg"
        >
          {answering && <AnswerForm audit={audit} request={request} onClose={() => setAnswering(false)} />}
        </Modal>
      )}
    </Group>
  );
}

function AnswerForm({
  audit,
  request,
  onClose,
}: {
  audit: Audit;
  request: EvidenceRequest;
  onClose: () => void;
}) {
  const update = useUpdateRequest(audit.id);
  const addEvidence = useAddEvidence(audit.id);
  const [answer, setAnswer] = useState(request.answer ?? '');
  const [asEvidence, setAsEvidence] = useState(false);
  const [title, setTitle] = useState('');
  // Once the note is added, a refused answer is tried again without adding it twice.
  const [evidenceAdded, setEvidenceAdded] = useState(false);
  const [errors, setErrors, clearError] = useFieldErrors();
  const [formError, setFormError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!answer.trim()) missing.answer = 'Answer is required';
    if (asEvidence && !evidenceAdded && !title.trim())
      missing.title = 'Title is required for the evidence note';
    setErrors(missing);
    setFormError(null);
    if (Object.keys(missing).length > 0) return;
    if (asEvidence && !evidenceAdded) {
      try {
        await addEvidence.mutateAsync({ itemId: request.itemId, title: title.trim(), note: answer.trim() });
        setEvidenceAdded(true);
      } catch (error) {
        const byField = fieldErrors(error);
        setErrors({
          ...(byField.title ? { title: `Title ${byField.title}` } : {}),
          ...(byField.note ? { answer: `Answer ${byField.note}` } : {}),
        });
        if (!byField.title && !byField.note) setFormError(isApiError(error) ? error.summary : String(error));
        return;
      }
    }
    try {
      await update.mutateAsync({ request, status: 'answered', answer: answer.trim() });
      notifySuccess(
        asEvidence
          ? 'The request is answered and the note added to the control’s evidence.'
          : 'The request is answered.',
      );
      onClose();
    } catch (error) {
      const byField = fieldErrors(error);
      if (byField.answer) setErrors({ answer: `Answer ${byField.answer}` });
      else
        setFormError(
          isApiError(error, 409)
            ? 'The request changed meanwhile (someone answered or closed it). Close this dialog to see it as it is now.'
            : isApiError(error)
              ? error.summary
              : String(error),
        );
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
          Asked: {request.body}
        </Text>
        {evidenceAdded && (
          <Alert color="green" role="status" title="Evidence note added">
            The note is frozen with the control; only the answer is left to save.
          </Alert>
        )}
        {formError && (
          <Alert color="red" role="alert" title="Not answered">
            {formError}
          </Alert>
        )}
        <Textarea
          label="Answer"
          description="The auditors read it with the request."
          required
          autosize
          minRows={3}
          maxLength={10_000}
          value={answer}
          onChange={(event) => {
            setAnswer(event.currentTarget.value);
            clearError('answer');
          }}
          error={errors.answer}
          data-autofocus
        />
        <Checkbox
          label="Also add the answer to the control’s evidence, as a note"
          description="Frozen with the control now, and listed as added during the audit."
          checked={asEvidence || evidenceAdded}
          disabled={evidenceAdded}
          onChange={(event) => setAsEvidence(event.currentTarget.checked)}
        />
        {asEvidence && !evidenceAdded && (
          <TextInput
            label="Evidence title"
            required
            maxLength={200}
            value={title}
            onChange={(event) => {
              setTitle(event.currentTarget.value);
              clearError('title');
            }}
            error={errors.title}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending || addEvidence.isPending}>
            Answer
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
