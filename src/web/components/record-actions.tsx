import { Button } from '@mantine/core';
import { useState } from 'react';
import { isApiError } from '../api/client';
import { type ResourceDefinition, useDeleteRecord, useRecordTransition } from '../api/resources';
import type { BaseRecord, RecordDetail } from '../api/types';
import { ConfirmDialog } from './confirm-dialog';
import { notifyError, notifySuccess } from './notify';

/**
 * Archive / Restore (and Delete where the type allows it) for a record, each behind a
 * confirmation, shown only when the record's abilities allow it.
 */
export function RecordLifecycleActions<T extends BaseRecord>({
  definition,
  record,
  name,
  onDeleted,
  onChanged,
}: {
  definition: ResourceDefinition;
  record: RecordDetail<T>;
  /** How the record is called in the confirmation, e.g. the user's name. */
  name: string;
  onDeleted?: () => void;
  onChanged?: () => void;
}) {
  const [asking, setAsking] = useState<'archive' | 'restore' | 'delete' | null>(null);
  const archive = useRecordTransition<T>(definition, record.id, 'archive');
  const restore = useRecordTransition<T>(definition, record.id, 'restore');
  const remove = useDeleteRecord(definition, record.id);
  const singular = definition.labels.singular.toLowerCase();

  const failed = (error: unknown, what: string) => {
    if (isApiError(error, 409)) {
      notifyError(
        error,
        `Could not ${what}: someone changed this ${singular} meanwhile. Reload and try again.`,
      );
      onChanged?.();
    } else notifyError(error, `Could not ${what} this ${singular}`);
  };

  const confirm = () => {
    if (asking === 'archive') {
      archive.mutate(record.version, {
        onSuccess: () => {
          notifySuccess(`${name} was archived.`);
          setAsking(null);
        },
        onError: (error) => failed(error, 'archive'),
      });
    } else if (asking === 'restore') {
      restore.mutate(record.version, {
        onSuccess: () => {
          notifySuccess(`${name} was restored.`);
          setAsking(null);
        },
        onError: (error) => failed(error, 'restore'),
      });
    } else if (asking === 'delete') {
      remove.mutate(undefined, {
        onSuccess: () => {
          notifySuccess(`${name} was deleted.`);
          setAsking(null);
          onDeleted?.();
        },
        onError: (error) => failed(error, 'delete'),
      });
    }
  };

  const archived = record.isArchived === true;
  return (
    <>
      {definition.features.archivable && !archived && record.abilities.archive && (
        <Button variant="default" color="orange" onClick={() => setAsking('archive')}>
          Archive
        </Button>
      )}
      {definition.features.archivable && archived && record.abilities.restore && (
        <Button variant="default" onClick={() => setAsking('restore')}>
          Restore
        </Button>
      )}
      {definition.features.hardDelete && record.abilities.delete && (
        <Button variant="outline" color="red" onClick={() => setAsking('delete')}>
          Delete
        </Button>
      )}
      <ConfirmDialog
        opened={asking !== null}
        title={
          asking === 'archive'
            ? `Archive ${name}?`
            : asking === 'restore'
              ? `Restore ${name}?`
              : `Delete ${name}?`
        }
        confirmLabel={asking === 'archive' ? 'Archive' : asking === 'restore' ? 'Restore' : 'Delete'}
        destructive={asking !== 'restore'}
        loading={archive.isPending || restore.isPending || remove.isPending}
        onConfirm={confirm}
        onCancel={() => setAsking(null)}
      >
        {asking === 'archive'
          ? `The ${singular} will be hidden from lists and pickers. Its history is kept and you can restore it later.`
          : asking === 'restore'
            ? `The ${singular} will be active again and appear in lists.`
            : `The ${singular} will be deleted permanently. This cannot be undone.`}
      </ConfirmDialog>
    </>
  );
}
