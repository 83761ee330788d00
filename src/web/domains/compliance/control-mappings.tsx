import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { canWrite, useSession } from '../../api/session';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { humanizeField } from '../../components/format';
import { TrashIcon } from '../../components/icons';
import { notifyError, notifySuccess } from '../../components/notify';
import { RecordPicker } from '../../components/record-picker';
import type { DetailContext } from '../../generic/extensions';
import {
  type ControlMapping,
  controlHref,
  controlResource,
  MAPPING_RELATIONSHIPS,
  type MappingRelationship,
  RELATIONSHIP_HINTS,
  useControlMappings,
  useCreateMapping,
  useRemoveMapping,
} from './evidence.api';
import { type Control, type Framework, frameworkResource } from './frameworks.api';

const RELATIONSHIP_COLORS: Record<MappingRelationship, string> = {
  equal: 'teal',
  subset: 'blue',
  superset: 'violet',
  intersects: 'gray',
};

/**
 * A refused request's field errors by API path, each led by the label of the field it sits next
 * to ("Justification is required…"); a toast when none names a field.
 */
export function fieldErrorsOf(
  error: unknown,
  title: string,
  labels: Record<string, string>,
): Record<string, string> {
  if (isApiError(error) && error.fieldErrors.length > 0) {
    return Object.fromEntries(
      error.fieldErrors.map((e) => [e.path, `${labels[e.path] ?? humanizeField(e.path)} ${e.message}`]),
    );
  }
  notifyError(error, title);
  return {};
}

/**
 * A control of another framework, found in two steps: the framework (active ones), then its
 * controls searched by reference or title on the server.
 */
export function FrameworkControlPicker({
  excludeFrameworkId,
  frameworkId,
  onFrameworkChange,
  controlId,
  onControlChange,
  controlError,
}: {
  excludeFrameworkId?: string;
  frameworkId: string | null;
  onFrameworkChange: (id: string | null) => void;
  controlId: string | null;
  onControlChange: (id: string | null) => void;
  controlError?: string;
}) {
  return (
    <>
      <RecordPicker<Framework>
        definition={frameworkResource}
        label="Framework"
        value={frameworkId}
        onChange={(id) => {
          onFrameworkChange(id);
          onControlChange(null);
        }}
        optionLabel={(framework) => framework.name}
        filters={{ isActive: 'true' }}
        exclude={excludeFrameworkId ? [excludeFrameworkId] : []}
        required
      />
      {frameworkId ? (
        <RecordPicker<Control>
          // A new framework starts a new search.
          key={frameworkId}
          definition={controlResource}
          label="Control"
          placeholder="Type a reference or words of the title"
          value={controlId}
          onChange={(id) => onControlChange(id)}
          optionLabel={(control) => `${control.refId} ${control.title}`}
          filters={{ frameworkId, kind: 'control' }}
          error={controlError}
          required
        />
      ) : (
        <Select
          label="Control"
          placeholder="Choose a framework first"
          data={[]}
          error={controlError}
          disabled
        />
      )}
    </>
  );
}

/** A control's mappings to controls of other frameworks, grouped by framework. */
export function ControlMappingsTab({ context }: { context: DetailContext }) {
  const control = context.record as unknown as Control;
  const session = useSession();
  const writable = canWrite(session, 'compliance');
  const query = useControlMappings(control.id);
  const remove = useRemoveMapping();
  const [removing, setRemoving] = useState<ControlMapping | null>(null);
  const [adding, setAdding] = useState(false);

  const byFramework = new Map<string, ControlMapping[]>();
  for (const mapping of query.data ?? [])
    byFramework.set(mapping.otherFrameworkName, [
      ...(byFramework.get(mapping.otherFrameworkName) ?? []),
      mapping,
    ]);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={640}>
          Controls of other frameworks that ask for the same or related things. Evidence flows across{' '}
          <strong>equal</strong> mappings only: valid evidence of one counts for the other.
        </Text>
        {writable && (
          <Button size="xs" onClick={() => setAdding(true)}>
            Add mapping
          </Button>
        )}
      </Group>
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !query.data ? (
        <Skeleton height={120} />
      ) : query.data.length === 0 ? (
        <EmptyStateBlock
          title="Not mapped to other frameworks"
          description="Map this control to the controls of other frameworks it overlaps with, so that one piece of evidence can serve several frameworks."
        />
      ) : (
        [...byFramework].map(([framework, mappings]) => (
          <Stack key={framework} gap="xs">
            <Title order={3} size="h5">
              {framework}
            </Title>
            <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {mappings.map((mapping) => (
                <Paper key={mapping.id} withBorder p="xs" component="li">
                  <Group justify="space-between" wrap="nowrap" gap="sm">
                    <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                      <Tooltip label={RELATIONSHIP_HINTS[mapping.relationship]}>
                        <Badge color={RELATIONSHIP_COLORS[mapping.relationship]} variant="light">
                          {mapping.relationship}
                        </Badge>
                      </Tooltip>
                      <Anchor component={Link} to={controlHref(mapping.otherControlId)} size="sm">
                        {mapping.otherRefId} {mapping.otherTitle}
                      </Anchor>
                    </Group>
                    {writable && (
                      <Tooltip label="Remove mapping">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Remove mapping to ${mapping.otherRefId}`}
                          onClick={() => setRemoving(mapping)}
                        >
                          <TrashIcon size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Group>
                </Paper>
              ))}
            </Stack>
          </Stack>
        ))
      )}
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add mapping" size="lg">
        {adding && <AddMappingForm control={control} onDone={() => setAdding(false)} />}
      </Modal>
      <ConfirmDialog
        opened={removing !== null}
        title="Remove this mapping?"
        confirmLabel="Remove"
        loading={remove.isPending}
        onConfirm={() =>
          removing &&
          remove.mutate(removing, {
            onSuccess: () => {
              notifySuccess('Mapping removed.');
              setRemoving(null);
            },
            onError: (error) => notifyError(error, 'Could not remove the mapping'),
          })
        }
        onCancel={() => setRemoving(null)}
      >
        {control.refId} will no longer be mapped to {removing?.otherRefId} ({removing?.otherFrameworkName})
        {removing?.relationship === 'equal' ? ': evidence stops counting across them.' : '.'}
      </ConfirmDialog>
    </Stack>
  );
}

function AddMappingForm({ control, onDone }: { control: Control; onDone: () => void }) {
  const [frameworkId, setFrameworkId] = useState<string | null>(null);
  const [toControlId, setToControlId] = useState<string | null>(null);
  const [relationship, setRelationship] = useState<MappingRelationship | null>('equal');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useCreateMapping();
  const submit = () => {
    const missing: Record<string, string> = {};
    if (!toControlId) missing.toControlId = 'Choose the control to map to';
    if (!relationship) missing.relationship = 'Choose how the two controls relate';
    setErrors(missing);
    if (!toControlId || !relationship) return;
    create.mutate(
      { fromControlId: control.id, toControlId, relationship },
      {
        onSuccess: (mapping) => {
          notifySuccess(`Mapped to ${mapping.otherRefId}.`);
          onDone();
        },
        onError: (error) =>
          setErrors(
            fieldErrorsOf(error, 'Could not add the mapping', {
              fromControlId: control.refId,
              toControlId: 'Control',
              relationship: 'Relationship',
            }),
          ),
      },
    );
  };
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Stack gap="sm">
        <FrameworkControlPicker
          excludeFrameworkId={control.frameworkId}
          frameworkId={frameworkId}
          onFrameworkChange={setFrameworkId}
          controlId={toControlId}
          onControlChange={(id) => {
            setToControlId(id);
            setErrors({});
          }}
          controlError={errors.toControlId}
        />
        <Select
          label="Relationship"
          description={relationship ? RELATIONSHIP_HINTS[relationship] : undefined}
          data={MAPPING_RELATIONSHIPS.map((value) => ({ value, label: value }))}
          value={relationship}
          onChange={(value) => setRelationship(value as MappingRelationship | null)}
          error={errors.relationship}
          allowDeselect={false}
          required
        />
        {errors.fromControlId && (
          <Text c="red" size="sm" role="alert">
            {errors.fromControlId}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Add mapping
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
