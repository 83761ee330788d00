import { Badge, Button, ColorInput, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useCreateRecord, useUpdateRecord } from '../../api/resources';
import { canWrite, useSession } from '../../api/session';
import type { RecordDetail, Tag } from '../../api/types';
import { formatDate } from '../../components/format';
import { PlusIcon } from '../../components/icons';
import { notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { RecordForm } from '../../components/record-form';
import { type ModalTarget, RecordModal } from '../../components/record-modal';
import { type ColumnDefinition, ResourceList } from '../../components/resource-list';
import { useRecordForm } from '../../components/use-record-form';
import { tagResource } from './administration.resources';

const SWATCHES = [
  '#fa5252',
  '#e64980',
  '#be4bdb',
  '#7950f2',
  '#4c6ef5',
  '#228be6',
  '#15aabf',
  '#12b886',
  '#40c057',
  '#82c91e',
  '#fab005',
  '#fd7e14',
  '#868e96',
];

export function TagsPage() {
  const session = useSession();
  const search = useSearch({ from: '/app/settings/tags' });
  const navigate = useNavigate({ from: '/settings/tags' });
  const [target, setTarget] = useState<ModalTarget>(null);
  const writable = canWrite(session, tagResource.module);

  const columns: ColumnDefinition<Tag>[] = [
    {
      key: 'name',
      header: 'Tag',
      sortField: 'name',
      render: (tag) => (
        <Badge color={tag.color ?? 'gray'} variant="light">
          {tag.name}
        </Badge>
      ),
    },
    { key: 'status', header: 'Status', render: (tag) => (tag.isArchived ? 'Archived' : 'Active') },
    {
      key: 'createdAt',
      header: 'Created',
      sortField: 'createdAt',
      visibleFrom: 'sm',
      render: (tag) => formatDate(tag.createdAt),
    },
    ...(writable
      ? [
          {
            key: 'actions',
            header: 'Actions',
            hiddenHeader: true,
            render: (tag: Tag) => (
              <Button
                size="compact-sm"
                variant="subtle"
                onClick={() => setTarget({ mode: 'edit', id: tag.id })}
                aria-label={`Edit tag ${tag.name}`}
              >
                Edit
              </Button>
            ),
          },
        ]
      : []),
  ];
  const newTag = writable ? (
    <Button leftSection={<PlusIcon size={16} />} onClick={() => setTarget({ mode: 'create' })}>
      New tag
    </Button>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Tags"
        description="The shared vocabulary of tags that people can put on records. Archived tags stay on records but cannot be added."
        actions={newTag}
      />
      <ResourceList<Tag>
        definition={tagResource}
        columns={columns}
        search={search}
        onSearchChange={(next, options) => navigate({ search: next, replace: options?.replace })}
        defaultSort="name"
        createAction={newTag}
      />
      <RecordModal<Tag>
        definition={tagResource}
        target={target}
        onClose={() => setTarget(null)}
        name={(tag) => tag.name}
      >
        {(tag) => <TagForm tag={tag} onDone={() => setTarget(null)} />}
      </RecordModal>
    </>
  );
}

function TagForm({ tag, onDone }: { tag?: RecordDetail<Tag>; onDone: () => void }) {
  const queryClient = useQueryClient();
  const toValues = (record?: Tag) => ({ name: record?.name ?? '', color: record?.color ?? '' });
  const form = useRecordForm({
    initialValues: toValues(tag),
    rules: {
      name: { label: 'Name', required: true, maxLength: 50 },
      color: {
        label: 'Colour',
        pattern: /^#[0-9a-fA-F]{6}$|^[a-z]{3,20}$/,
        patternMessage: 'Colour must be a colour name or #rrggbb',
      },
    },
    version: tag?.version,
    fromRecord: (record) => toValues(record as Tag),
  });
  const create = useCreateRecord<Tag>(tagResource);
  const update = useUpdateRecord<Tag>(tagResource, tag?.id ?? '');
  const payload = (values: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value === '' ? null : value]));
  return (
    <RecordForm
      form={form}
      onCancel={onDone}
      onSubmit={({ values, changes, version }) =>
        tag
          ? update.mutateAsync({ changes: payload(changes), version: version ?? tag.version })
          : create.mutateAsync(payload(values))
      }
      onSaved={(saved) => {
        notifySuccess(tag ? 'Tag saved.' : `Tag “${saved.name}” created.`);
        void queryClient.invalidateQueries({ queryKey: ['tags', 'vocabulary'] });
        onDone();
      }}
    >
      <Stack gap="sm">
        <TextInput label="Name" {...form.text('name')} data-autofocus />
        <ColorInput
          label="Colour"
          description="Optional. Pick a swatch or type #rrggbb."
          format="hex"
          swatches={SWATCHES}
          value={form.values.color}
          onChange={(value) => form.setValue('color', value)}
          onBlur={() => form.markTouched('color')}
          error={form.errorFor('color')}
        />
      </Stack>
    </RecordForm>
  );
}
