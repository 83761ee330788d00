import { Badge, Button, Checkbox, Group, Menu, Modal, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { isApiError } from '../api/client';
import { type SavedView, type SavedViewState, useSavedViewMutations, useSavedViews } from '../api/resources';
import { ConfirmDialog } from './confirm-dialog';
import { ChevronDownIcon } from './icons';
import { notifyError, notifySuccess } from './notify';

type NameDialog = { mode: 'create' } | { mode: 'edit'; view: SavedView } | null;

/** Does the list still show what the view saved? (Columns count only if the view keeps them.) */
function showsView(view: SavedView, state: SavedViewState): boolean {
  const entries = (query: Record<string, string>) => JSON.stringify(Object.entries(query).sort());
  if (entries(view.state.query) !== entries(state.query)) return false;
  return !view.state.columns || view.state.columns.join(',') === (state.columns ?? []).join(',');
}

/**
 * "Views": apply a saved view (mine, or one shared with everyone), save the list as it is now
 * under a name, and update, rename, share or delete the view being looked at.
 */
export function SavedViewsMenu({
  entityType,
  noun,
  currentViewId,
  currentState,
  onApply,
  onForget,
}: {
  entityType: string;
  /** Plural, lower-case: "users". */
  noun: string;
  /** The applied view (the `view` URL parameter). */
  currentViewId: string | undefined;
  /** The list's state now: what "save" and "update" store. */
  currentState: SavedViewState;
  onApply: (view: SavedView) => void;
  /** The applied view was deleted. */
  onForget: () => void;
}) {
  const views = useSavedViews(entityType);
  const { update, remove } = useSavedViewMutations(entityType);
  const [dialog, setDialog] = useState<NameDialog>(null);
  const [deleting, setDeleting] = useState<SavedView | null>(null);
  const all = views.data ?? [];
  const current = all.find((view) => view.id === currentViewId);
  const mine = all.filter((view) => view.mine);
  const shared = all.filter((view) => !view.mine);

  const item = (view: SavedView) => (
    <Menu.Item
      key={view.id}
      onClick={() => onApply(view)}
      aria-current={view.id === currentViewId ? 'true' : undefined}
      fw={view.id === currentViewId ? 600 : undefined}
      rightSection={
        view.shared && view.mine ? (
          <Badge size="xs" variant="light">
            Shared
          </Badge>
        ) : undefined
      }
    >
      {view.name}
    </Menu.Item>
  );

  const updateCurrent = (view: SavedView) =>
    update.mutate(
      { view, changes: { state: currentState } },
      {
        onSuccess: () => notifySuccess(`“${view.name}” now shows the list as it is.`),
        onError: (error) => notifyError(error, `Could not update “${view.name}”`),
      },
    );

  return (
    <>
      <Menu position="bottom-start" width={260} withinPortal>
        <Menu.Target>
          <Button variant="default" rightSection={<ChevronDownIcon size={14} />} maw={260}>
            {current
              ? `View: ${current.name}${showsView(current, currentState) ? '' : ' (changed)'}`
              : 'Views'}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {mine.length > 0 && <Menu.Label>My views</Menu.Label>}
          {mine.map(item)}
          {shared.length > 0 && <Menu.Label>Shared views</Menu.Label>}
          {shared.map(item)}
          {all.length === 0 && (
            <Menu.Item disabled>{views.isPending ? 'Loading views…' : 'No saved views yet'}</Menu.Item>
          )}
          <Menu.Divider />
          <Menu.Item onClick={() => setDialog({ mode: 'create' })}>Save current view as…</Menu.Item>
          {current?.abilities.update && (
            <>
              <Menu.Item onClick={() => updateCurrent(current)}>Update “{current.name}”</Menu.Item>
              <Menu.Item onClick={() => setDialog({ mode: 'edit', view: current })}>
                Rename or share “{current.name}”…
              </Menu.Item>
            </>
          )}
          {current?.abilities.delete && (
            <Menu.Item color="red" onClick={() => setDeleting(current)}>
              Delete “{current.name}”…
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
      <ViewNameModal
        dialog={dialog}
        entityType={entityType}
        noun={noun}
        state={currentState}
        onClose={() => setDialog(null)}
        onCreated={onApply}
      />
      <ConfirmDialog
        opened={deleting !== null}
        title="Delete this view?"
        confirmLabel="Delete view"
        loading={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (!deleting) return;
          remove.mutate(deleting, {
            onSuccess: () => {
              notifySuccess(`“${deleting.name}” was deleted.`);
              if (deleting.id === currentViewId) onForget();
              setDeleting(null);
            },
            onError: (error) => notifyError(error, 'Could not delete the view'),
          });
        }}
      >
        “{deleting?.name}” will be gone{deleting?.shared ? ' for everyone it is shared with' : ''}. The list
        itself does not change.
      </ConfirmDialog>
    </>
  );
}

/** Name (and sharing) of a new view, or of the one being renamed. */
function ViewNameModal({
  dialog,
  entityType,
  noun,
  state,
  onClose,
  onCreated,
}: {
  dialog: NameDialog;
  entityType: string;
  noun: string;
  state: SavedViewState;
  onClose: () => void;
  onCreated: (view: SavedView) => void;
}) {
  const { create, update } = useSavedViewMutations(entityType);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!dialog) return;
    setName(dialog.mode === 'edit' ? dialog.view.name : '');
    setShared(dialog.mode === 'edit' ? dialog.view.shared : false);
    setError(null);
  }, [dialog]);

  const failed = (failure: unknown) => {
    const field = isApiError(failure) ? failure.fieldErrors.find((e) => e.path === 'name') : undefined;
    if (field) setError(`Name ${field.message}`);
    else notifyError(failure, 'Could not save the view');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError('Name is required');
      return;
    }
    if (dialog?.mode === 'edit') {
      update.mutate(
        { view: dialog.view, changes: { name: trimmed, shared } },
        {
          onSuccess: () => {
            notifySuccess(`View “${trimmed}” saved.`);
            onClose();
          },
          onError: failed,
        },
      );
    } else {
      create.mutate(
        { name: trimmed, shared, state },
        {
          onSuccess: (view) => {
            notifySuccess(`View “${view.name}” saved.`);
            onCreated(view);
            onClose();
          },
          onError: failed,
        },
      );
    }
  };

  return (
    <Modal
      opened={dialog !== null}
      onClose={onClose}
      title={dialog?.mode === 'edit' ? 'Rename or share the view' : 'Save current view'}
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            required
            maxLength={100}
            value={name}
            error={error}
            onChange={(event) => {
              setName(event.currentTarget.value);
              setError(null);
            }}
            data-autofocus
          />
          <Checkbox
            label={`Share with everyone who can see ${noun}`}
            checked={shared}
            onChange={(event) => setShared(event.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              Save view
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
