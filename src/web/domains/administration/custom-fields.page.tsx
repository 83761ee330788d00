import {
  Badge,
  Button,
  Checkbox,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useCreateRecord, useUpdateRecord } from '../../api/resources';
import { canWrite, useSession } from '../../api/session';
import {
  CUSTOM_FIELD_TYPES,
  type CustomFieldDefinition,
  type CustomFieldType,
  type RecordDetail,
} from '../../api/types';
import { PlusIcon } from '../../components/icons';
import { notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { RecordForm } from '../../components/record-form';
import { type ModalTarget, RecordModal } from '../../components/record-modal';
import { type ColumnDefinition, ResourceList } from '../../components/resource-list';
import { useRecordForm } from '../../components/use-record-form';
import { customFieldResource, useCustomFieldEntityTypes } from './administration.resources';

const TYPE_LABELS: Record<CustomFieldType, string> = {
  text: 'Text',
  number: 'Number',
  date: 'Date',
  boolean: 'Yes / no',
  select: 'Choice from a list',
};

export function CustomFieldsPage() {
  const session = useSession();
  const entityTypes = useCustomFieldEntityTypes();
  const search = useSearch({ from: '/app/admin/custom-fields' });
  const navigate = useNavigate({ from: '/admin/custom-fields' });
  const [target, setTarget] = useState<ModalTarget>(null);
  const writable = canWrite(session, customFieldResource.module);

  const columns: ColumnDefinition<CustomFieldDefinition>[] = [
    {
      key: 'label',
      header: 'Label',
      sortField: 'label',
      render: (field) => (
        <Text size="sm" fw={500}>
          {field.label}
          {field.isArchived && (
            <Badge ml={6} size="xs" color="gray" variant="outline">
              Archived
            </Badge>
          )}
        </Text>
      ),
    },
    { key: 'key', header: 'Key', sortField: 'key', render: (field) => <code>{field.key}</code> },
    { key: 'entityType', header: 'Record type', visibleFrom: 'sm', render: (field) => field.entityType },
    { key: 'fieldType', header: 'Type', render: (field) => TYPE_LABELS[field.fieldType] },
    {
      key: 'required',
      header: 'Required',
      visibleFrom: 'sm',
      render: (field) => (field.required ? 'Yes' : 'No'),
    },
    {
      key: 'sortOrder',
      header: 'Order',
      sortField: 'sortOrder',
      visibleFrom: 'md',
      render: (field) => field.sortOrder,
    },
    ...(writable
      ? [
          {
            key: 'actions',
            header: 'Actions',
            hiddenHeader: true,
            render: (field: CustomFieldDefinition) => (
              <Button
                size="compact-sm"
                variant="subtle"
                onClick={() => setTarget({ mode: 'edit', id: field.id })}
                aria-label={`Edit custom field ${field.label}`}
              >
                Edit
              </Button>
            ),
          },
        ]
      : []),
  ];
  const newField = writable ? (
    <Button leftSection={<PlusIcon size={16} />} onClick={() => setTarget({ mode: 'create' })}>
      New custom field
    </Button>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Custom fields"
        description="Extra fields your organisation tracks on records. They appear on forms and detail pages, and can be filtered on."
        actions={newField}
      />
      <ResourceList<CustomFieldDefinition>
        definition={customFieldResource}
        columns={columns}
        filters={[{ key: 'entityType', label: 'Record type', type: 'select', options: entityTypes }]}
        search={search}
        onSearchChange={(next, options) => navigate({ search: next, replace: options?.replace })}
        defaultSort="sortOrder"
        createAction={newField}
      />
      <RecordModal<CustomFieldDefinition>
        definition={customFieldResource}
        target={target}
        onClose={() => setTarget(null)}
        name={(field) => field.label}
      >
        {(field) => <CustomFieldForm field={field} onDone={() => setTarget(null)} />}
      </RecordModal>
    </>
  );
}

interface CustomFieldFormValues extends Record<string, unknown> {
  entityType: string;
  key: string;
  label: string;
  fieldType: string;
  options: string[];
  required: boolean;
  sortOrder: number;
}

const toValues = (field?: CustomFieldDefinition): CustomFieldFormValues => ({
  entityType: field?.entityType ?? 'user',
  key: field?.key ?? '',
  label: field?.label ?? '',
  fieldType: field?.fieldType ?? 'text',
  options: field?.options ?? [],
  required: field?.required ?? false,
  sortOrder: field?.sortOrder ?? 0,
});

/** `Cost center` → `cost_center`: a key suggestion while the key is untouched. */
function keyFrom(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 63);
}

function CustomFieldForm({
  field,
  onDone,
}: {
  field?: RecordDetail<CustomFieldDefinition>;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const entityTypes = useCustomFieldEntityTypes();
  const editing = field !== undefined;
  const form = useRecordForm<CustomFieldFormValues>({
    initialValues: toValues(field),
    rules: {
      entityType: { label: 'Record type', required: true },
      key: {
        label: 'Key',
        required: true,
        maxLength: 63,
        pattern: /^[a-z][a-z0-9_]{0,62}$/,
        patternMessage: 'Key must start with a letter and use only a-z, 0-9 and _',
      },
      label: { label: 'Label', required: true, maxLength: 100 },
      fieldType: { label: 'Type', required: true },
    },
    version: field?.version,
    fromRecord: (record) => toValues(record as CustomFieldDefinition),
  });
  const [keyTouched, setKeyTouched] = useState(editing);
  const create = useCreateRecord<CustomFieldDefinition>(customFieldResource);
  const update = useUpdateRecord<CustomFieldDefinition>(customFieldResource, field?.id ?? '');
  const isSelect = form.values.fieldType === 'select';

  return (
    <RecordForm
      form={form}
      onCancel={onDone}
      onSubmit={({ values, changes, version }) => {
        if (field) {
          const { entityType: _e, key: _k, fieldType: _t, ...editable } = changes;
          return update.mutateAsync({ changes: editable, version: version ?? field.version });
        }
        return create.mutateAsync({ ...values, options: isSelect ? values.options : undefined });
      }}
      onSaved={(saved) => {
        notifySuccess(field ? 'Custom field saved.' : `Custom field “${saved.label}” created.`);
        void queryClient.invalidateQueries({ queryKey: ['custom-fields', 'definitions'] });
        onDone();
      }}
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Label"
            {...form.text('label')}
            onChange={(event) => {
              const label = event.currentTarget.value;
              form.setValue('label', label);
              if (!keyTouched) form.setValue('key', keyFrom(label));
            }}
            data-autofocus
          />
          <TextInput
            label="Key"
            description={editing ? 'Fixed once created.' : 'Used in the API and filters, e.g. cost_center.'}
            disabled={editing}
            {...form.text('key')}
            onChange={(event) => {
              setKeyTouched(true);
              form.setValue('key', event.currentTarget.value);
            }}
          />
          <Select
            label="Record type"
            data={entityTypes}
            disabled={editing}
            allowDeselect={false}
            {...form.select('entityType')}
          />
          <Select
            label="Type"
            description={editing ? 'Fixed once created.' : undefined}
            data={CUSTOM_FIELD_TYPES.map((type) => ({ value: type, label: TYPE_LABELS[type] }))}
            disabled={editing}
            allowDeselect={false}
            {...form.select('fieldType')}
          />
        </SimpleGrid>
        {isSelect && (
          <TagsInput
            label="Options"
            description="Type an option and press Enter."
            value={form.values.options}
            onChange={(options) => form.setValue('options', options)}
            error={form.errorFor('options')}
            required
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label="Order"
            description="Lower numbers come first."
            min={0}
            max={10000}
            value={form.values.sortOrder}
            onChange={(value) =>
              form.setValue('sortOrder', typeof value === 'number' ? value : Number(value) || 0)
            }
            error={form.errorFor('sortOrder')}
          />
          <Checkbox mt={30} label="Required" {...form.checkbox('required')} />
        </SimpleGrid>
      </Stack>
    </RecordForm>
  );
}
