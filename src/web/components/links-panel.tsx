import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link as RouterLink } from '@tanstack/react-router';
import { useState } from 'react';
import { api, isApiError } from '../api/client';
import { type ResourceDefinition, recordRoute, recordUrl, resourceKeys } from '../api/resources';
import type { BaseRecord, Link } from '../api/types';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorState } from './error-pages';
import { ExternalLinkIcon, TrashIcon } from './icons';
import { notifyError, notifySuccess } from './notify';
import { RecordPicker } from './record-picker';

/** A record type links can point at, and how to name its records in the picker. */
export interface LinkTarget {
  definition: ResourceDefinition;
  optionLabel: (record: BaseRecord & Record<string, unknown>) => string;
}

const URL_TARGET = 'url';

/** Links of a record in both directions; add to another record or a URL, remove with confirmation. */
export function LinksPanel({
  definition,
  id,
  targets,
  canEdit,
}: {
  definition: ResourceDefinition;
  id: string;
  targets: LinkTarget[];
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const linksKey = resourceKeys.part(definition, id, 'links');
  const query = useQuery({
    queryKey: linksKey,
    queryFn: ({ signal }) =>
      api.get<{ data: Link[] }>(`${recordUrl(definition, id)}/links`, undefined, { signal }),
  });
  const [removing, setRemoving] = useState<Link | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: resourceKeys.detail(definition, id) });
  const remove = useMutation({
    mutationFn: (link: Link) => api.delete(`${recordUrl(definition, id)}/links/${link.id}`),
    onSuccess: () => {
      notifySuccess('Link removed.');
      setRemoving(null);
      return refresh();
    },
    onError: (error) => notifyError(error, 'Could not remove the link'),
  });

  const targetOf = (type: string | null) => targets.find((target) => target.definition.entityType === type);

  return (
    <Stack gap="md">
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : query.data && query.data.data.length === 0 ? (
        <Text c="dimmed">
          No links yet.{canEdit ? ' Link related people, groups or web pages below.' : ''}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {query.data?.data.map((link) => {
            const target = targetOf(link.otherType);
            return (
              <Paper key={link.id} withBorder p="xs" component="li">
                <Group justify="space-between" wrap="nowrap" gap="sm">
                  <Stack gap={2} style={{ minWidth: 0 }}>
                    <Group gap={6} wrap="wrap">
                      <Text size="sm" c="dimmed">
                        {link.direction === 'outgoing' ? link.relation : `${link.relation} (from)`}
                      </Text>
                      {link.url ? (
                        <Anchor href={link.url} target="_blank" rel="noopener noreferrer" size="sm">
                          {link.url} <ExternalLinkIcon size={12} />
                        </Anchor>
                      ) : target && link.otherId ? (
                        <Anchor
                          component={RouterLink}
                          to={recordRoute(target.definition, link.otherId)}
                          size="sm"
                        >
                          {link.otherLabel ?? link.otherId}
                        </Anchor>
                      ) : (
                        <Text size="sm">{link.otherLabel ?? link.otherId}</Text>
                      )}
                      {target && (
                        <Badge size="xs" variant="light">
                          {target.definition.labels.singular}
                        </Badge>
                      )}
                    </Group>
                    {link.description && (
                      <Text size="xs" c="dimmed">
                        {link.description}
                      </Text>
                    )}
                  </Stack>
                  {canEdit && (
                    <Tooltip label="Remove link">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove link to ${link.otherLabel ?? link.url ?? 'record'}`}
                        onClick={() => setRemoving(link)}
                      >
                        <TrashIcon size={16} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Group>
              </Paper>
            );
          })}
        </Stack>
      )}
      {canEdit && <AddLinkForm definition={definition} id={id} targets={targets} onAdded={refresh} />}
      <ConfirmDialog
        opened={removing !== null}
        title="Remove this link?"
        confirmLabel="Remove"
        loading={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
        onCancel={() => setRemoving(null)}
      >
        The link to {removing?.otherLabel ?? removing?.url} will be removed from both records.
      </ConfirmDialog>
    </Stack>
  );
}

function AddLinkForm({
  definition,
  id,
  targets,
  onAdded,
}: {
  definition: ResourceDefinition;
  id: string;
  targets: LinkTarget[];
  onAdded: () => void;
}) {
  const [kind, setKind] = useState(targets[0]?.definition.entityType ?? URL_TARGET);
  const [targetId, setTargetId] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [relation, setRelation] = useState('related to');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const target = targets.find((candidate) => candidate.definition.entityType === kind);

  const add = useMutation({
    mutationFn: () =>
      api.post<Link>(`${recordUrl(definition, id)}/links`, {
        ...(kind === URL_TARGET ? { url: url.trim() } : { targetType: kind, targetId }),
        relation: relation.trim() || undefined,
        description: description.trim() || undefined,
      }),
    onSuccess: () => {
      notifySuccess('Link added.');
      setTargetId(null);
      setUrl('');
      setRelation('related to');
      setDescription('');
      setErrors({});
      onAdded();
    },
    onError: (error) => {
      if (isApiError(error) && error.fieldErrors.length > 0) {
        setErrors(
          Object.fromEntries(error.fieldErrors.map((fieldError) => [fieldError.path, fieldError.message])),
        );
      } else notifyError(error, 'Could not add the link');
    },
  });

  const ready = kind === URL_TARGET ? url.trim() !== '' : targetId !== null;
  return (
    <Paper withBorder p="sm">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (ready) add.mutate();
        }}
      >
        <Stack gap="sm">
          <Text fw={600} size="sm" id="add-link-heading">
            Add a link
          </Text>
          <SegmentedControl
            aria-labelledby="add-link-heading"
            value={kind}
            onChange={(value) => {
              setKind(value);
              setTargetId(null);
              setErrors({});
            }}
            data={[
              ...targets.map((candidate) => ({
                value: candidate.definition.entityType,
                label: candidate.definition.labels.singular,
              })),
              { value: URL_TARGET, label: 'Web address' },
            ]}
          />
          <Group align="flex-start" grow wrap="wrap">
            {target ? (
              <RecordPicker
                key={kind}
                definition={target.definition}
                label={`Link to ${target.definition.labels.singular.toLowerCase()}`}
                value={targetId}
                onChange={(next) => setTargetId(next)}
                optionLabel={target.optionLabel}
                exclude={target.definition.entityType === definition.entityType ? [id] : []}
                error={errors.targetId ?? errors.targetType}
              />
            ) : (
              <TextInput
                label="URL"
                placeholder="https://"
                type="url"
                value={url}
                onChange={(event) => setUrl(event.currentTarget.value)}
                error={errors.url}
                maxLength={2048}
              />
            )}
            <TextInput
              label="Relation"
              value={relation}
              onChange={(event) => setRelation(event.currentTarget.value)}
              error={errors.relation}
              maxLength={100}
            />
          </Group>
          <TextInput
            label="Description (optional)"
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
            error={errors.description}
            maxLength={2000}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={add.isPending} disabled={!ready}>
              Add link
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
