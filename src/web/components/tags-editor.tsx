import { Badge, Button, Group, MultiSelect, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { type ResourceDefinition, recordUrl, resourceKeys } from '../api/resources';
import type { AppliedTag, Page, Tag } from '../api/types';
import { notifyError, notifySuccess } from './notify';

export const tagVocabularyQuery = {
  queryKey: ['tags', 'vocabulary'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api.get<Page<Tag>>('/api/v1/tags', { pageSize: 200, sort: 'name' }, { signal }),
  staleTime: 60_000,
};

export function TagBadges({ tags }: { tags: AppliedTag[] }) {
  if (tags.length === 0) return <Text c="dimmed">No tags.</Text>;
  return (
    <Group gap={6}>
      {tags.map((tag) => (
        <Badge key={tag.id} color={tag.color ?? 'gray'} variant="light">
          {tag.name}
        </Badge>
      ))}
    </Group>
  );
}

/** The record's tags; writers pick from the shared vocabulary and save the new set. */
export function TagsEditor({
  definition,
  id,
  tags,
  canEdit,
}: {
  definition: ResourceDefinition;
  id: string;
  tags: AppliedTag[];
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const vocabulary = useQuery({ ...tagVocabularyQuery, enabled: canEdit });
  const saved = tags.map((tag) => tag.id);
  const [selected, setSelected] = useState<string[]>(saved);
  const savedKey = saved.join(',');
  useEffect(() => setSelected(savedKey ? savedKey.split(',') : []), [savedKey]);

  const save = useMutation({
    mutationFn: (tagIds: string[]) =>
      api.put<{ data: AppliedTag[] }>(`${recordUrl(definition, id)}/tags`, { tagIds }),
    onSuccess: () => {
      notifySuccess('Tags saved.');
      return queryClient.invalidateQueries({ queryKey: resourceKeys.detail(definition, id) });
    },
    onError: (error) => notifyError(error, 'Could not save the tags'),
  });

  if (!canEdit) return <TagBadges tags={tags} />;
  const options = [
    ...(vocabulary.data?.data ?? []).map((tag) => ({ value: tag.id, label: tag.name })),
    // Tags already applied stay visible even if archived since.
    ...tags
      .filter((tag) => !vocabulary.data?.data.some((candidate) => candidate.id === tag.id))
      .map((tag) => ({ value: tag.id, label: tag.name })),
  ];
  const changed = [...selected].sort().join(',') !== [...saved].sort().join(',');
  return (
    <Stack gap="sm">
      <TagBadges tags={tags} />
      <MultiSelect
        label="Tags"
        description={
          options.length === 0 ? 'No tags exist yet: create them under Settings → Tags.' : undefined
        }
        placeholder="Pick tags"
        data={options}
        value={selected}
        onChange={setSelected}
        searchable
        clearable
        nothingFoundMessage="No such tag"
      />
      {changed && (
        <Group gap="sm">
          <Button size="xs" onClick={() => save.mutate(selected)} loading={save.isPending}>
            Save tags
          </Button>
          <Button size="xs" variant="default" onClick={() => setSelected(saved)}>
            Cancel
          </Button>
        </Group>
      )}
    </Stack>
  );
}
