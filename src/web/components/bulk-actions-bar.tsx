import { Button, Group, Paper, Text } from '@mantine/core';
import { useState } from 'react';
import { type ResourceDefinition, useBulkTransition } from '../api/resources';
import type { BaseRecord } from '../api/types';
import { ConfirmDialog } from './confirm-dialog';
import { notifyError, notifySuccess } from './notify';

type Transition = 'archive' | 'restore';

/**
 * "N selected" with Archive and Restore for the selected rows, each behind a confirmation, then
 * one request for all of them (all or nothing on the server).
 */
export function BulkActionsBar<T extends BaseRecord>({
  definition,
  rows,
  onClear,
}: {
  definition: ResourceDefinition;
  /** The selected rows. */
  rows: T[];
  onClear: () => void;
}) {
  const [asking, setAsking] = useState<Transition | null>(null);
  const archive = useBulkTransition<T>(definition, 'archive');
  const restore = useBulkTransition<T>(definition, 'restore');
  const active = rows.filter((row) => !row.isArchived);
  const archived = rows.filter((row) => row.isArchived);
  const targets = asking === 'archive' ? active : archived;
  const noun = (count: number) =>
    `${count} ${(count === 1 ? definition.labels.singular : definition.labels.plural).toLowerCase()}`;

  const confirm = () => {
    if (!asking) return;
    const mutation = asking === 'archive' ? archive : restore;
    const verb = asking === 'archive' ? 'archived' : 'restored';
    mutation.mutate(
      targets.map((row) => row.id),
      {
        onSuccess: (result) => {
          notifySuccess(
            `${noun(result.changed.length)} ${result.changed.length === 1 ? 'was' : 'were'} ${verb}.`,
          );
          setAsking(null);
          onClear();
        },
        onError: (error) => {
          notifyError(error, `Nothing was ${verb}`);
          setAsking(null);
        },
      },
    );
  };

  return (
    <Paper withBorder p="xs" radius="md" role="region" aria-label="Bulk actions">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Text size="sm" fw={500} aria-live="polite">
          {rows.length} selected
        </Text>
        <Group gap="xs">
          {active.length > 0 && (
            <Button size="xs" variant="default" color="orange" onClick={() => setAsking('archive')}>
              Archive
            </Button>
          )}
          {archived.length > 0 && (
            <Button size="xs" variant="default" onClick={() => setAsking('restore')}>
              Restore
            </Button>
          )}
          <Button size="xs" variant="subtle" onClick={onClear}>
            Clear selection
          </Button>
        </Group>
      </Group>
      <ConfirmDialog
        opened={asking !== null}
        title={`${asking === 'archive' ? 'Archive' : 'Restore'} ${noun(targets.length)}?`}
        confirmLabel={`${asking === 'archive' ? 'Archive' : 'Restore'} ${noun(targets.length)}`}
        destructive={asking === 'archive'}
        loading={archive.isPending || restore.isPending}
        onCancel={() => setAsking(null)}
        onConfirm={confirm}
      >
        {confirmation(asking, targets.length, rows.length - targets.length, noun)}
      </ConfirmDialog>
    </Paper>
  );
}

/** What the confirmation says will happen, including to rows already in the asked-for state. */
function confirmation(
  asking: Transition | null,
  count: number,
  skipped: number,
  noun: (count: number) => string,
): string {
  const one = count === 1;
  const what =
    asking === 'archive'
      ? `${one ? 'It leaves' : 'They leave'} the active list but ${one ? 'keeps its' : 'keep their'} history, and can be restored at any time.`
      : `${one ? 'It returns' : 'They return'} to the active list.`;
  if (skipped === 0) return what;
  const state = asking === 'archive' ? 'archived' : 'active';
  return `${what} ${noun(skipped)} of the selection ${skipped === 1 ? 'is' : 'are'} already ${state} and ${skipped === 1 ? 'stays' : 'stay'} as ${skipped === 1 ? 'it is' : 'they are'}.`;
}
