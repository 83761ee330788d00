import {
  Badge,
  Button,
  DataList,
  Fieldset,
  Grid,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Tabs,
  Title,
} from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useMemo } from 'react';
import {
  type EntityMeta,
  type FieldDescriptor,
  fieldRule,
  formFields,
  GENERIC_ROUTE,
  isSystemField,
  resourceFromMeta,
  titleFieldOf,
  titleOf,
  useEntityMeta,
  useEntityMetas,
} from '../api/entity-meta';
import { useCreateRecord, useResourceRecord, useUpdateRecord } from '../api/resources';
import { useSession } from '../api/session';
import type { CustomFieldDefinition, RecordDetail } from '../api/types';
import type { ListSearch } from '../app/search-params';
import { AttachmentsPanel } from '../components/attachments-panel';
import {
  CustomFieldInputs,
  CustomFieldValues,
  customFieldRules,
  customFieldValues,
  useCustomFieldDefinitions,
} from '../components/custom-fields';
import { ErrorState, ForbiddenPage, NotFoundPage } from '../components/error-pages';
import { formatDateTime, humanizeField } from '../components/format';
import { HistoryTab } from '../components/history-tab';
import { PlusIcon } from '../components/icons';
import { LinksPanel, type LinkTarget } from '../components/links-panel';
import { notifySuccess } from '../components/notify';
import { PageHeader } from '../components/page-header';
import { RecordLifecycleActions } from '../components/record-actions';
import { RecordForm } from '../components/record-form';
import { type ColumnDefinition, type FilterDefinition, ResourceList } from '../components/resource-list';
import { TagsEditor } from '../components/tags-editor';
import { useRecordForm } from '../components/use-record-form';
import { ImportCsvButton } from '../domains/imports/import-button';
import { FieldInput, FieldValue, toFormValue, toPayloadValue } from './entity-fields';
import { type AnyRecord, detailExtensionFor } from './extensions';

/**
 * Screens every registered record type gets for free, from the registry's description of it
 * (GET /api/v1/meta/entities): a list with the type's sorts and filters, a detail page with its
 * fields, tags, attachments, links and history, and create/edit forms that check the server's
 * limits as the user types. Domains write their own pages only where these are not enough.
 */

/** Resolves a type's description, or explains why there is none. */
function WithMeta({ type, children }: { type: string; children: (meta: EntityMeta) => React.ReactNode }) {
  const meta = useEntityMeta(type);
  if (meta.isError) return <ErrorState error={meta.error} onRetry={() => meta.refetch()} />;
  if (meta.isPending) return <Skeleton height={320} />;
  // Unknown and unreadable types look the same: the server does not describe either.
  if (!meta.data) return <NotFoundPage what="record type" />;
  return <>{children(meta.data)}</>;
}

/** The columns of a generic list: the title, then the sortable and filterable fields. */
function listColumns(meta: EntityMeta): ColumnDefinition<AnyRecord>[] {
  const title = titleFieldOf(meta);
  const shown = meta.fields.filter(
    (field) =>
      field !== title &&
      !isSystemField(field) &&
      field.kind !== 'object' &&
      (meta.list.sortable.includes(field.name) || meta.list.filters.some((f) => f.name === field.name)),
  );
  const columns: ColumnDefinition<AnyRecord>[] = shown.slice(0, 5).map((field) => ({
    key: field.name,
    header: field.label,
    sortField: meta.list.sortable.includes(field.name) ? field.name : undefined,
    render: (row) => <FieldValue field={field} value={row[field.name]} />,
  }));
  if (meta.list.sortable.includes('updatedAt')) {
    columns.push({
      key: 'updatedAt',
      header: 'Updated',
      sortField: 'updatedAt',
      visibleFrom: 'sm',
      render: (row) => formatDateTime(row.updatedAt),
    });
  }
  return columns;
}

function listFilters(meta: EntityMeta): FilterDefinition[] {
  return meta.list.filters.flatMap((filter): FilterDefinition[] => {
    const label = meta.fields.find((f) => f.name === filter.name)?.label ?? filter.name;
    if (filter.type === 'enum' && filter.values) {
      const options = filter.values.map((value) => ({ value, label: humanizeField(value) }));
      return [{ key: filter.name, label, type: 'multi', options }];
    }
    if (filter.type === 'boolean') {
      const options = [
        { value: 'true', label: 'Yes' },
        { value: 'false', label: 'No' },
      ];
      return [{ key: filter.name, label, type: 'select', options }];
    }
    if (filter.type === 'text') return [{ key: filter.name, label, type: 'text' }];
    return [];
  });
}

export function EntityListPage({
  type,
  search,
  onSearchChange,
}: {
  type: string;
  search: ListSearch;
  onSearchChange: (next: ListSearch, options?: { replace?: boolean }) => void;
}) {
  const navigate = useNavigate();
  return (
    <WithMeta type={type}>
      {(meta) => {
        const definition = resourceFromMeta(meta);
        const title = titleFieldOf(meta);
        const create = meta.abilities.create ? (
          <Button
            leftSection={<PlusIcon size={16} />}
            onClick={() => navigate({ to: '/records/$type/new', params: { type } })}
          >
            New {meta.labels.singular.toLowerCase()}
          </Button>
        ) : undefined;
        return (
          <>
            <PageHeader
              title={meta.labels.plural}
              actions={
                <>
                  <ImportCsvButton entity={meta.path} />
                  {create}
                </>
              }
            />
            <ResourceList<AnyRecord>
              definition={definition}
              columns={listColumns(meta)}
              filters={listFilters(meta)}
              search={search}
              onSearchChange={onSearchChange}
              defaultSort={meta.list.defaultSort}
              createAction={create}
              titleColumn={{
                key: title?.name ?? 'id',
                header: title?.label ?? meta.labels.singular,
                sortField: title && meta.list.sortable.includes(title.name) ? title.name : undefined,
                render: (row) => titleOf(meta, row),
                href: (row) => `${GENERIC_ROUTE}/${type}/${row.id}`,
              }}
            />
          </>
        );
      }}
    </WithMeta>
  );
}

/** Everything the caller may read and link to, named by each type's title field. */
function useLinkTargets(): LinkTarget[] {
  const metas = useEntityMetas();
  return useMemo(
    () =>
      (metas.data ?? [])
        .filter((meta) => meta.features.linkable)
        .map((meta) => ({
          definition: resourceFromMeta(meta),
          optionLabel: (record: AnyRecord) => titleOf(meta, record),
        })),
    [metas.data],
  );
}

export function EntityDetailPage({
  type,
  id,
  tab,
  onTabChange,
}: {
  type: string;
  id: string;
  tab: string;
  onTabChange: (tab: string) => void;
}) {
  return (
    <WithMeta type={type}>
      {(meta) => <Detail meta={meta} id={id} tab={tab} onTabChange={onTabChange} />}
    </WithMeta>
  );
}

function Detail({
  meta,
  id,
  tab,
  onTabChange,
}: {
  meta: EntityMeta;
  id: string;
  tab: string;
  onTabChange: (tab: string) => void;
}) {
  const navigate = useNavigate();
  const definition = resourceFromMeta(meta);
  const query = useResourceRecord<AnyRecord>(definition, id);
  const customFields = useCustomFieldDefinitions(meta.type, { enabled: meta.features.customFields });
  const linkTargets = useLinkTargets();
  const session = useSession();
  if (query.isError)
    return (
      <ErrorState
        error={query.error}
        what={meta.labels.singular.toLowerCase()}
        onRetry={() => query.refetch()}
      />
    );
  if (!query.data) return <Skeleton height={320} />;
  const record = query.data;
  const name = titleOf(meta, record);
  const fields = meta.fields.filter(
    (field) => !isSystemField(field) && field.name !== 'customFields' && !field.writeOnly,
  );
  const listRoute = `${GENERIC_ROUTE}/${meta.type}`;
  const extension = detailExtensionFor(meta, session);
  const context = { meta, record, refresh: () => void query.refetch() };
  return (
    <>
      <PageHeader
        title={name}
        crumbs={[{ label: meta.labels.plural, to: listRoute }, { label: name }]}
        badge={
          record.isArchived ? (
            <Badge color="gray" variant="outline">
              Archived
            </Badge>
          ) : undefined
        }
        actions={
          <>
            {record.abilities.update && (
              <Button
                onClick={() => navigate({ to: '/records/$type/$id/edit', params: { type: meta.type, id } })}
              >
                Edit
              </Button>
            )}
            {extension.actions?.(context)}
            <RecordLifecycleActions
              definition={definition}
              record={record}
              name={name}
              onChanged={() => query.refetch()}
              onDeleted={() => navigate({ to: '/records/$type', params: { type: meta.type } })}
            />
          </>
        }
      />
      <Tabs value={tab} onChange={(next) => onTabChange(next ?? 'overview')} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          {meta.features.linkable && <Tabs.Tab value="links">Links</Tabs.Tab>}
          {meta.features.attachments && <Tabs.Tab value="attachments">Attachments</Tabs.Tab>}
          {extension.tabs?.map((tab) => (
            <Tabs.Tab key={tab.value} value={tab.value}>
              {tab.label}
            </Tabs.Tab>
          ))}
          <Tabs.Tab value="history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: meta.features.tagged ? 8 : 12 }}>
              <Paper withBorder p="md">
                <DataList>
                  {fields.map((field) => (
                    <DataList.Item key={field.name}>
                      <DataList.ItemLabel>{field.label}</DataList.ItemLabel>
                      <DataList.ItemValue>
                        <FieldValue field={field} value={record[field.name]} />
                      </DataList.ItemValue>
                    </DataList.Item>
                  ))}
                  {meta.features.customFields && customFields.data && (
                    <CustomFieldValues
                      definitions={customFields.data}
                      values={(record.customFields as Record<string, unknown> | undefined) ?? {}}
                    />
                  )}
                  <DataList.Item>
                    <DataList.ItemLabel>Last changed</DataList.ItemLabel>
                    <DataList.ItemValue>{formatDateTime(record.updatedAt)}</DataList.ItemValue>
                  </DataList.Item>
                </DataList>
              </Paper>
            </Grid.Col>
            {meta.features.tagged && (
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Paper withBorder p="md">
                  <Title order={2} size="h4" mb="sm">
                    Tags
                  </Title>
                  <TagsEditor
                    definition={definition}
                    id={record.id}
                    tags={(record as RecordDetail<AnyRecord>).tags ?? []}
                    canEdit={record.abilities.update}
                  />
                </Paper>
              </Grid.Col>
            )}
          </Grid>
        </Tabs.Panel>
        {meta.features.linkable && (
          <Tabs.Panel value="links">
            <LinksPanel
              definition={definition}
              id={record.id}
              targets={linkTargets}
              canEdit={record.abilities.update}
            />
          </Tabs.Panel>
        )}
        {meta.features.attachments && (
          <Tabs.Panel value="attachments">
            <AttachmentsPanel definition={definition} id={record.id} canEdit={record.abilities.update} />
          </Tabs.Panel>
        )}
        {extension.tabs?.map((tab) => (
          <Tabs.Panel key={tab.value} value={tab.value}>
            {tab.render(context)}
          </Tabs.Panel>
        ))}
        <Tabs.Panel value="history">
          <HistoryTab definition={definition} id={record.id} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

export function EntityFormPage({ type, id }: { type: string; id?: string }) {
  return (
    <WithMeta type={type}>
      {(meta) => (id ? <EditForm meta={meta} id={id} /> : <EntityForm meta={meta} />)}
    </WithMeta>
  );
}

function EditForm({ meta, id }: { meta: EntityMeta; id: string }) {
  const record = useResourceRecord<AnyRecord>(resourceFromMeta(meta), id);
  if (record.isError)
    return (
      <ErrorState
        error={record.error}
        what={meta.labels.singular.toLowerCase()}
        onRetry={() => record.refetch()}
      />
    );
  if (!record.data) return <Skeleton height={400} />;
  if (!record.data.abilities.update)
    return (
      <ForbiddenPage detail={`You can view this ${meta.labels.singular.toLowerCase()} but not change it.`} />
    );
  return <EntityForm key={record.data.id} meta={meta} record={record.data} />;
}

function EntityForm({ meta, record }: { meta: EntityMeta; record?: RecordDetail<AnyRecord> }) {
  const customFields = useCustomFieldDefinitions(meta.type, { enabled: meta.features.customFields });
  if (!record && !meta.abilities.create)
    return <ForbiddenPage detail={`You can view ${meta.labels.plural.toLowerCase()} but not add them.`} />;
  // The form takes its starting values once: wait for the custom fields it starts from.
  if (meta.features.customFields && !customFields.data) {
    return customFields.isError ? (
      <ErrorState error={customFields.error} onRetry={() => customFields.refetch()} />
    ) : (
      <Skeleton height={400} />
    );
  }
  return (
    <EntityFormBody
      meta={meta}
      record={record}
      definitions={meta.features.customFields ? (customFields.data ?? []) : []}
    />
  );
}

function EntityFormBody({
  meta,
  record,
  definitions,
}: {
  meta: EntityMeta;
  record?: RecordDetail<AnyRecord>;
  definitions: CustomFieldDefinition[];
}) {
  const navigate = useNavigate();
  const definition = resourceFromMeta(meta);
  const fields = formFields(meta, record ? 'edit' : 'create');
  const toValues = (source: AnyRecord | undefined): Record<string, unknown> => ({
    ...Object.fromEntries(fields.map((field) => [field.name, toFormValue(field, source?.[field.name])])),
    ...(meta.features.customFields
      ? {
          customFields: customFieldValues(
            definitions,
            source?.customFields as Record<string, unknown> | undefined,
          ),
        }
      : {}),
  });
  const rules = {
    ...Object.fromEntries(fields.map((field) => [field.name, fieldRule(field)])),
    ...customFieldRules(definitions),
  };
  const form = useRecordForm<Record<string, unknown>>({
    initialValues: toValues(record),
    rules,
    version: record?.version,
    fromRecord: (current) => toValues(current as AnyRecord),
  });
  const create = useCreateRecord<AnyRecord>(definition);
  const update = useUpdateRecord<AnyRecord>(definition, record?.id ?? '');
  const byName = new Map<string, FieldDescriptor>(fields.map((field) => [field.name, field]));
  const toPayload = (values: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(values)
        .map(([key, value]) => {
          if (key === 'customFields' && value && typeof value === 'object') {
            return [key, Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === '' ? null : v]))];
          }
          const field = byName.get(key);
          return [key, field ? toPayloadValue(field, value) : value];
        })
        .filter(([, value]) => value !== undefined),
    );
  const singular = meta.labels.singular.toLowerCase();
  const name = record ? titleOf(meta, record) : undefined;
  const leave = (id?: string) =>
    id
      ? navigate({ to: '/records/$type/$id', params: { type: meta.type, id } })
      : navigate({ to: '/records/$type', params: { type: meta.type } });
  return (
    <>
      <PageHeader
        title={record ? `Edit ${name}` : `New ${singular}`}
        crumbs={[
          { label: meta.labels.plural, to: `${GENERIC_ROUTE}/${meta.type}` },
          ...(record && name ? [{ label: name, to: `${GENERIC_ROUTE}/${meta.type}/${record.id}` }] : []),
          { label: record ? 'Edit' : 'New' },
        ]}
      />
      <RecordForm
        form={form}
        onSubmit={({ values, changes, version }) =>
          record
            ? update.mutateAsync({ changes: toPayload(changes), version: version ?? record.version })
            : create.mutateAsync(toPayload(values))
        }
        onSaved={(saved) => {
          notifySuccess(record ? 'Changes saved.' : `The ${singular} was created.`);
          void leave(saved.id);
        }}
        onCancel={() => void leave(record?.id)}
      >
        <Stack gap="lg" maw={880}>
          <Fieldset legend={meta.labels.singular}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {fields.map((field, index) => (
                <FieldInput key={field.name} field={field} form={form} autoFocus={index === 0} />
              ))}
            </SimpleGrid>
          </Fieldset>
          {definitions.length > 0 && (
            <Fieldset legend="Custom fields">
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <CustomFieldInputs definitions={definitions} form={form} />
              </SimpleGrid>
            </Fieldset>
          )}
        </Stack>
      </RecordForm>
    </>
  );
}
