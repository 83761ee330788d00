import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useBlocker } from '@tanstack/react-router';
import { type FormEvent, type ReactNode, useRef } from 'react';
import { ConfirmDialog } from './confirm-dialog';
import { type FormValues, getPath, type RecordFormState, type SubmitInput } from './use-record-form';

export interface RecordFormProps<V extends FormValues, R> {
  form: RecordFormState<V>;
  onSubmit: (input: SubmitInput<V>) => Promise<R>;
  /** After a successful save, e.g. a toast and navigation to the record. */
  onSaved?: (result: R) => void;
  onCancel?: () => void;
  submitLabel?: string;
  /** Readable form of a value in the conflict panel, e.g. a manager's name for their id. */
  describeValue?: (path: string, value: unknown) => string | undefined;
  children: ReactNode;
}

export function formatValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The frame of every create/edit form: server errors, the version-conflict panel, Save and
 * Cancel, and a guard against leaving with unsaved changes.
 */
export function RecordForm<V extends FormValues, R>({
  form,
  onSubmit,
  onSaved,
  onCancel,
  submitLabel = 'Save',
  describeValue,
  children,
}: RecordFormProps<V, R>) {
  const formRef = useRef<HTMLFormElement>(null);
  const blocker = useBlocker({
    shouldBlockFn: () => form.dirty && !form.savedRef.current,
    enableBeforeUnload: () => form.dirty && !form.savedRef.current,
    withResolver: true,
  });

  const focusFirstProblem = () =>
    requestAnimationFrame(() => {
      const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      (invalid ?? formRef.current?.querySelector<HTMLElement>('[role="alert"]'))?.focus();
    });

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await form.submit(onSubmit, onSaved);
    if (!saved) focusFirstProblem();
  };

  return (
    <form ref={formRef} onSubmit={handleSubmit} noValidate>
      <Stack gap="md">
        {form.conflict ? (
          <ConflictPanel form={form} describeValue={describeValue} />
        ) : (
          form.formError && (
            <Alert color="red" title="Not saved" role="alert" tabIndex={-1}>
              {form.formError}
            </Alert>
          )
        )}
        {children}
        <Group justify="flex-end" gap="sm">
          {onCancel && (
            <Button variant="default" onClick={onCancel} disabled={form.submitting}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={form.submitting} disabled={Boolean(form.conflict)}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
      <ConfirmDialog
        opened={blocker.status === 'blocked'}
        title="Leave without saving?"
        confirmLabel="Discard changes"
        onConfirm={() => blocker.proceed?.()}
        onCancel={() => blocker.reset?.()}
      >
        You have unsaved changes. If you leave this page they will be lost.
      </ConfirmDialog>
    </form>
  );
}

/** Someone else saved first: show their values next to the user's edits and let them choose. */
function ConflictPanel<V extends FormValues>({
  form,
  describeValue,
}: {
  form: RecordFormState<V>;
  describeValue?: (path: string, value: unknown) => string | undefined;
}) {
  const conflict = form.conflict!;
  const show = (path: string, value: unknown) => describeValue?.(path, value) ?? formatValue(value);
  const fields = [...new Set([...conflict.changedByThem, ...conflict.changedByMe])];
  const labelOf = (path: string) => form.rules[path]?.label ?? path.replace(/^customFields\./, '');
  return (
    <Alert color="orange" title="Someone else changed this record" role="alert" tabIndex={-1}>
      <Stack gap="sm">
        <Text size="sm">
          While you were editing, a newer version was saved. Compare the values below, then reapply your edits
          on top of the newer version (and save again) or discard them.
        </Text>
        {fields.length > 0 && (
          <Table.ScrollContainer minWidth={420} type="native">
            <Table withTableBorder withColumnBorders fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Field</Table.Th>
                  <Table.Th>Newer saved value</Table.Th>
                  <Table.Th>Your edit</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {fields.map((path) => (
                  <Table.Tr key={path}>
                    <Table.Td>{labelOf(path)}</Table.Td>
                    <Table.Td>{show(path, getPath(conflict.theirs, path))}</Table.Td>
                    <Table.Td>
                      {conflict.changedByMe.includes(path)
                        ? show(path, getPath(form.values, path))
                        : '(unchanged)'}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Group gap="sm">
          <Button onClick={form.reapplyMine}>Reapply my edits</Button>
          <Button variant="default" onClick={form.discardMine}>
            Discard my edits
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
