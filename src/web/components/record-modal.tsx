import { Group, Modal, Skeleton, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { type ResourceDefinition, useResourceRecord } from '../api/resources';
import type { BaseRecord, RecordDetail } from '../api/types';
import { ErrorState } from './error-pages';
import { RecordLifecycleActions } from './record-actions';

/** Which record a list page's modal edits: a new one, an existing one by id, or none. */
export type ModalTarget = { mode: 'create' } | { mode: 'edit'; id: string } | null;

/**
 * Create and edit small records (tags, custom fields) in a dialog over their list. Editing loads
 * the record first, so the form has its version and the archive/restore actions its abilities.
 */
export function RecordModal<T extends BaseRecord>({
  definition,
  target,
  onClose,
  name,
  children,
}: {
  definition: ResourceDefinition;
  target: ModalTarget;
  onClose: () => void;
  name: (record: T) => string;
  children: (record: RecordDetail<T> | undefined) => ReactNode;
}) {
  const singular = definition.labels.singular.toLowerCase();
  return (
    <Modal
      opened={target !== null}
      onClose={onClose}
      title={target?.mode === 'edit' ? `Edit ${singular}` : `New ${singular}`}
      size="lg"
    >
      {target?.mode === 'edit' ? (
        <EditBody definition={definition} id={target.id} name={name} onClose={onClose}>
          {children}
        </EditBody>
      ) : (
        target && children(undefined)
      )}
    </Modal>
  );
}

function EditBody<T extends BaseRecord>({
  definition,
  id,
  name,
  onClose,
  children,
}: {
  definition: ResourceDefinition;
  id: string;
  name: (record: T) => string;
  onClose: () => void;
  children: (record: RecordDetail<T> | undefined) => ReactNode;
}) {
  const record = useResourceRecord<T>(definition, id);
  if (record.isError) return <ErrorState error={record.error} onRetry={() => record.refetch()} />;
  if (!record.data) return <Skeleton height={200} />;
  return (
    <Stack gap="md">
      {(record.data.abilities.archive || record.data.abilities.restore || record.data.abilities.delete) && (
        <Group justify="flex-end" gap="xs">
          <RecordLifecycleActions
            definition={definition}
            record={record.data}
            name={name(record.data)}
            onChanged={() => record.refetch()}
            onDeleted={onClose}
          />
        </Group>
      )}
      <div key={`${record.data.id}-${record.data.version}`}>{children(record.data)}</div>
    </Stack>
  );
}
