import {
  ActionIcon,
  Badge,
  Button,
  Fieldset,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { MODULES, type ModuleKey } from '../../../shared/modules';
import { isApiError } from '../../api/client';
import {
  type EntityMeta,
  type FieldDescriptor,
  fieldRule,
  resourceFromMeta,
  titleOf,
  useEntityMetas,
} from '../../api/entity-meta';
import type { BaseRecord } from '../../api/types';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { formatDate, humanizeField } from '../../components/format';
import { TrashIcon } from '../../components/icons';
import { notifyError, notifySuccess } from '../../components/notify';
import { RecordForm } from '../../components/record-form';
import { RecordPicker } from '../../components/record-picker';
import { type FieldRule, type RecordFormState, useRecordForm } from '../../components/use-record-form';
import { FieldInput, FieldValue } from '../../generic/entity-fields';
import type { DetailContext, DetailExtension } from '../../generic/extensions';
import { ControlStatusBadge } from './framework-detail';
import type { Control } from './frameworks.api';
import {
  type ComplianceRule,
  type RuleInput,
  type RuleResult,
  type RuleType,
  ruleResource,
  useControlRules,
  useCreateRule,
  useDeleteRule,
  useUpdateRule,
} from './reports.api';

/**
 * A control's rules: automated evidence that judges the control from records (the latest of a
 * kind must be recent enough; enough records must be linked to it). With enabled rules, the
 * control's status is the worst of their verdicts; each one's verdict and why are shown here.
 */

type ControlWithRules = Control & { ruleResults?: RuleResult[] };

/** Dates every record has, besides the date filters its type declares. */
const RECORD_DATES = [
  { value: 'createdAt', label: 'Created' },
  { value: 'updatedAt', label: 'Last changed' },
];

type Filter = EntityMeta['list']['filters'][number];

/** The filters a rule can match on: every list filter except date ranges (the date is the rule's own). */
const matchFilters = (meta: EntityMeta | undefined): Filter[] =>
  meta?.list.filters.filter((filter) => filter.type !== 'date') ?? [];

const filterLabel = (meta: EntityMeta, name: string) =>
  meta.fields.find((field) => field.name === name)?.label ?? humanizeField(name);

function dateFieldsOf(meta: EntityMeta | undefined): { value: string; label: string }[] {
  const own = (meta?.list.filters ?? [])
    .filter((filter) => filter.type === 'date' && !RECORD_DATES.some((d) => d.value === filter.name))
    .map((filter) => ({ value: filter.name, label: filterLabel(meta!, filter.name) }));
  return [...own, ...RECORD_DATES];
}

export function ControlRulesTab({ context }: { context: DetailContext }) {
  const control = context.record as unknown as ControlWithRules;
  const metas = useEntityMetas();
  const abilities = metas.data?.find((meta) => meta.type === ruleResource.entityType)?.abilities;
  const rules = useControlRules(control.id);
  const update = useUpdateRule();
  const remove = useDeleteRule();
  const [editing, setEditing] = useState<ComplianceRule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ComplianceRule | null>(null);

  if (control.kind === 'group') {
    return (
      <Text c="dimmed">
        {control.refId} is a heading: rules go on its controls, which have a status of their own.
      </Text>
    );
  }
  const toggle = (rule: ComplianceRule, enabled: boolean) =>
    update.mutate(
      { rule, changes: { enabled } },
      {
        onSuccess: () => {
          notifySuccess(`${rule.name} ${enabled ? 'enabled' : 'disabled'}.`);
          context.refresh();
        },
        onError: (error) =>
          notifyError(
            error,
            isApiError(error, 409)
              ? 'Someone changed this rule meanwhile: reloaded, try again'
              : 'Could not change the rule',
          ),
      },
    );
  const addButton = abilities?.create ? (
    <Button size="xs" onClick={() => setEditing('new')}>
      Add rule
    </Button>
  ) : null;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={680}>
          Rules judge this control from records, every time statuses are computed. While it has enabled rules,
          the control's status is the worst of their verdicts.
        </Text>
        {rules.data && rules.data.total > 0 && addButton}
      </Group>
      {rules.isError || metas.isError ? (
        <ErrorState error={rules.error ?? metas.error} onRetry={() => rules.refetch()} />
      ) : !rules.data || !metas.data ? (
        <Skeleton height={120} />
      ) : rules.data.total === 0 ? (
        <EmptyStateBlock
          title="No rules"
          description="Add a rule to judge this control automatically: the latest record of a kind must be recent enough (a restore test, an access review), or enough records must be linked to it as evidence."
          action={addButton}
        />
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {rules.data.data.map((rule) => (
            <RuleItem
              key={rule.id}
              rule={rule}
              result={control.ruleResults?.find((result) => result.ruleId === rule.id)}
              metas={metas.data}
              canUpdate={Boolean(abilities?.update)}
              canDelete={Boolean(abilities?.hardDelete)}
              pendingEnabled={
                update.isPending && update.variables?.rule.id === rule.id
                  ? update.variables.changes.enabled
                  : undefined
              }
              onToggle={(enabled) => toggle(rule, enabled)}
              onEdit={() => setEditing(rule)}
              onDelete={() => setDeleting(rule)}
            />
          ))}
        </Stack>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'Add rule' : 'Edit rule'}
        size="lg"
      >
        {editing !== null && metas.data && (
          <RuleForm
            control={control}
            rule={editing === 'new' ? undefined : editing}
            metas={metas.data}
            onDone={(saved) => {
              setEditing(null);
              if (saved) context.refresh();
            }}
          />
        )}
      </Modal>
      <ConfirmDialog
        opened={deleting !== null}
        title="Delete this rule?"
        confirmLabel="Delete"
        loading={remove.isPending}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting, {
            onSuccess: () => {
              notifySuccess('Rule deleted.');
              setDeleting(null);
              context.refresh();
            },
            onError: (error) => {
              notifyError(
                error,
                isApiError(error, 412) || isApiError(error, 409)
                  ? 'Someone changed this rule meanwhile: reloaded, look again'
                  : 'Could not delete the rule',
              );
              setDeleting(null);
            },
          })
        }
        onCancel={() => setDeleting(null)}
      >
        “{deleting?.name}” will be deleted for good, and {control.refId}'s status computed again without it.
      </ConfirmDialog>
    </Stack>
  );
}

function RuleItem({
  rule,
  result,
  metas,
  canUpdate,
  canDelete,
  pendingEnabled,
  onToggle,
  onEdit,
  onDelete,
}: {
  rule: ComplianceRule;
  result: RuleResult | undefined;
  metas: EntityMeta[];
  canUpdate: boolean;
  canDelete: boolean;
  /** The state asked for while the change is on its way to the server. */
  pendingEnabled: boolean | undefined;
  onToggle: (enabled: boolean) => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const owner = metas
    .find((meta) => meta.type === ruleResource.entityType)
    ?.fields.find((f) => f.name === 'ownerUserId');
  return (
    <Paper withBorder p="sm" component="li" aria-label={rule.name}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={600}>{rule.name}</Text>
            <Badge variant="outline" color="gray" size="sm">
              {rule.ruleType === 'linked_records' ? 'Linked records' : 'Recent record'}
            </Badge>
          </Group>
          <Text size="sm">
            <RuleSummary rule={rule} metas={metas} />
          </Text>
          {rule.description && (
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
              {rule.description}
            </Text>
          )}
          <Group gap="xs" wrap="wrap">
            {!rule.enabled ? (
              <>
                <Badge color="gray" variant="outline">
                  Disabled
                </Badge>
                <Text size="sm" c="dimmed">
                  Not evaluated while disabled.
                </Text>
              </>
            ) : result ? (
              <>
                <ControlStatusBadge status={result.status} />
                <Text size="sm">{result.reason}</Text>
                {result.evidenceDate && (
                  <Text size="sm" c="dimmed">
                    · latest evidence {formatDate(result.evidenceDate)}
                  </Text>
                )}
              </>
            ) : (
              <Text size="sm" c="dimmed">
                Not evaluated yet.
              </Text>
            )}
          </Group>
          {owner && rule.ownerUserId && (
            <Text size="xs" c="dimmed" component="div">
              Owner: <FieldValue field={owner} value={rule.ownerUserId} />
            </Text>
          )}
        </Stack>
        <Group gap="xs" wrap="nowrap">
          <Switch
            label="Enabled"
            aria-label={`${rule.name}: enabled`}
            checked={pendingEnabled ?? rule.enabled}
            disabled={!canUpdate || pendingEnabled !== undefined}
            onChange={(event) => onToggle(event.currentTarget.checked)}
          />
          {canUpdate && (
            <Button size="xs" variant="default" onClick={onEdit} aria-label={`Edit ${rule.name}`}>
              Edit
            </Button>
          )}
          {canDelete && (
            <Tooltip label="Delete">
              <ActionIcon variant="subtle" color="red" aria-label={`Delete ${rule.name}`} onClick={onDelete}>
                <TrashIcon size={16} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      </Group>
    </Paper>
  );
}

/** What a rule asks, in a sentence. */
function RuleSummary({ rule, metas }: { rule: ComplianceRule; metas: EntityMeta[] }) {
  const { criteria } = rule;
  if (rule.ruleType === 'linked_records') {
    return <>At least {criteria.minimum ?? '?'} records linked to this control as evidence.</>;
  }
  const meta = metas.find((candidate) => candidate.type === criteria.entityType);
  const noun =
    meta?.labels.plural.toLowerCase() ?? humanizeField(criteria.entityType ?? 'record').toLowerCase();
  const filters = Object.entries(criteria.filters ?? {});
  const date = dateFieldsOf(meta).find((d) => d.value === criteria.dateField)?.label ?? criteria.dateField;
  return (
    <>
      The latest of the {noun}
      {filters.length > 0 && (
        <>
          {' '}
          where{' '}
          {filters.map(([name, value], index) => {
            const field = meta?.fields.find((f) => f.name === name);
            return (
              <span key={name}>
                {index > 0 && ' and '}
                {meta ? filterLabel(meta, name).toLowerCase() : name} is{' '}
                {field?.reference ? (
                  <FieldValue field={field} value={value} />
                ) : field?.kind === 'boolean' ? (
                  value === 'true' ? (
                    'yes'
                  ) : (
                    'no'
                  )
                ) : (
                  value
                    .split(',')
                    .map((part) => (field?.kind === 'enum' ? humanizeField(part) : part))
                    .join(' or ')
                )}
              </span>
            );
          })}
        </>
      )}
      , by {String(date).toLowerCase()}: compliant within {rule.windowDays} days, then a warning for{' '}
      {rule.graceDays} more.
    </>
  );
}

interface RuleValues extends Record<string, unknown> {
  name: string;
  description: string;
  ruleType: RuleType;
  criteria: {
    entityType: string | null;
    filters: Record<string, string>;
    dateField: string | null;
    minimum: number | null;
  };
  windowDays: number | null;
  graceDays: number | null;
  ownerUserId: string | null;
}

function toValues(rule: ComplianceRule | undefined): RuleValues {
  return {
    name: rule?.name ?? '',
    description: rule?.description ?? '',
    ruleType: rule?.ruleType ?? 'recent_record',
    criteria: {
      entityType: rule?.criteria.entityType ?? null,
      filters: { ...(rule?.criteria.filters ?? {}) },
      dateField: rule?.criteria.dateField ?? null,
      minimum: rule?.criteria.minimum ?? 1,
    },
    windowDays: rule?.windowDays ?? 90,
    graceDays: rule?.graceDays ?? 7,
    ownerUserId: rule?.ownerUserId ?? null,
  };
}

/** What the API takes: the criteria of the chosen type only, filters left empty left out. */
function toInput(values: RuleValues, typeMeta: EntityMeta | undefined): RuleInput {
  const common = {
    name: values.name.trim(),
    description: values.description.trim() || null,
    ownerUserId: values.ownerUserId || null,
  };
  if (values.ruleType === 'linked_records') {
    return {
      ...common,
      ruleType: 'linked_records',
      criteria: { minimum: values.criteria.minimum ?? undefined },
    };
  }
  // A record type the caller cannot see has no inputs here: its filters are kept as they are.
  const known = typeMeta && new Set(matchFilters(typeMeta).map((filter) => filter.name));
  const filters = Object.fromEntries(
    Object.entries(values.criteria.filters).filter(
      ([name, value]) => (!known || known.has(name)) && value.trim() !== '',
    ),
  );
  return {
    ...common,
    ruleType: 'recent_record',
    criteria: {
      entityType: values.criteria.entityType ?? undefined,
      filters,
      dateField: values.criteria.dateField ?? undefined,
    },
    windowDays: values.windowDays ?? 90,
    graceDays: values.graceDays ?? 7,
  };
}

/** Record types a rule can read: every registry type the caller sees, by module. */
function recordTypeOptions(metas: EntityMeta[]) {
  const byModule = new Map<ModuleKey, { value: string; label: string }[]>();
  for (const meta of metas) {
    if (meta.type === ruleResource.entityType) continue;
    byModule.set(meta.module, [
      ...(byModule.get(meta.module) ?? []),
      { value: meta.type, label: meta.labels.plural },
    ]);
  }
  return MODULES.filter((module) => byModule.has(module.key)).map((module) => ({
    group: module.label,
    items: byModule.get(module.key)!.sort((a, b) => a.label.localeCompare(b.label)),
  }));
}

function RuleForm({
  control,
  rule,
  metas,
  onDone,
}: {
  control: Control;
  rule?: ComplianceRule;
  metas: EntityMeta[];
  onDone: (saved: boolean) => void;
}) {
  const ruleMeta = metas.find((meta) => meta.type === ruleResource.entityType);
  const create = useCreateRule();
  const update = useUpdateRule();
  const [values0] = useState(() => toValues(rule));
  // The form's rules change with the rule type and the record type chosen: computed from both.
  const [shape, setShape] = useState({ ruleType: values0.ruleType, entityType: values0.criteria.entityType });
  const typeMeta = metas.find((meta) => meta.type === shape.entityType);
  const fields = useMemo(() => {
    const field = (name: string, label: string): FieldDescriptor | undefined => {
      const found = ruleMeta?.fields.find((f) => f.name === name);
      return found && { ...found, label };
    };
    return {
      name: field('name', 'Name'),
      description: field('description', 'Description'),
      windowDays: field('windowDays', 'Window (days)'),
      graceDays: field('graceDays', 'Grace period (days)'),
      ownerUserId: field('ownerUserId', 'Owner'),
    };
  }, [ruleMeta]);
  const rules = useMemo(() => {
    const result: Record<string, FieldRule> = {
      name: fields.name ? fieldRule(fields.name) : { label: 'Name', required: true },
      description: fields.description ? fieldRule(fields.description) : { label: 'Description' },
      ownerUserId: { label: 'Owner' },
      ruleType: { label: 'Type', required: true },
    };
    if (shape.ruleType === 'linked_records') {
      result['criteria.minimum'] = { label: 'Minimum', required: true, integer: true, min: 1, max: 1000 };
    } else {
      result['criteria.entityType'] = { label: 'Record type', required: true };
      result['criteria.dateField'] = { label: 'Date field', required: true };
      if (fields.windowDays) result.windowDays = { ...fieldRule(fields.windowDays), required: true };
      if (fields.graceDays) result.graceDays = { ...fieldRule(fields.graceDays), required: true };
      for (const filter of matchFilters(typeMeta))
        result[`criteria.filters.${filter.name}`] = { label: filterLabel(typeMeta!, filter.name) };
    }
    return result;
  }, [fields, shape.ruleType, typeMeta]);
  const form = useRecordForm<RuleValues>({
    initialValues: values0,
    rules,
    version: rule?.version,
    fromRecord: (record) => toValues(record as ComplianceRule),
  });
  const setRuleType = (ruleType: RuleType) => {
    form.setValue('ruleType', ruleType);
    setShape((current) => ({ ...current, ruleType }));
  };
  const setEntityType = (entityType: string | null) => {
    const meta = metas.find((candidate) => candidate.type === entityType);
    form.setValue('criteria.entityType', entityType);
    form.setValue('criteria.filters', {});
    // The type's own date (a purchase, an event) is what a rule usually means; else creation.
    form.setValue('criteria.dateField', entityType ? (dateFieldsOf(meta)[0]?.value ?? null) : null);
    setShape((current) => ({ ...current, entityType }));
  };

  return (
    <RecordForm
      form={form}
      submitLabel={rule ? 'Save rule' : 'Add rule'}
      onCancel={() => onDone(false)}
      onSubmit={({ values, version }) => {
        const input = toInput(values, typeMeta);
        return rule
          ? update.mutateAsync({ rule, changes: input, version })
          : create.mutateAsync({ ...input, controlId: control.id, enabled: true });
      }}
      onSaved={(saved) => {
        notifySuccess(
          rule ? `Rule “${saved.name}” saved.` : `Rule “${saved.name}” added to ${control.refId}.`,
        );
        onDone(true);
      }}
    >
      {/* Not checked on leaving it empty: the message would push the type choice away from the pointer. */}
      <TextInput
        label="Name"
        placeholder="e.g. Backups restored every quarter"
        autoComplete="off"
        data-autofocus
        {...form.text('name')}
        onBlur={undefined}
      />
      <Radio.Group
        label="Type"
        value={form.values.ruleType}
        onChange={(value) => setRuleType(value as RuleType)}
        error={form.errorFor('ruleType')}
        required
      >
        <Stack gap="xs" mt={6}>
          <Radio
            value="recent_record"
            label="Recent record"
            description="The latest record of a kind, matching filters, must be recent enough: a restore test, a review, a training."
          />
          <Radio
            value="linked_records"
            label="Linked records"
            description="At least a number of records must be linked to this control as evidence (archived ones do not count)."
          />
        </Stack>
      </Radio.Group>
      {form.values.ruleType === 'linked_records' ? (
        <NumberInput
          label="Minimum linked records"
          min={1}
          max={1000}
          allowDecimal={false}
          clampBehavior="none"
          value={form.values.criteria.minimum ?? ''}
          onChange={(value) => form.setValue('criteria.minimum', value === '' ? null : Number(value))}
          onBlur={() => form.markTouched('criteria.minimum')}
          error={form.errorFor('criteria.minimum')}
          required
        />
      ) : (
        <RecentRecordFields form={form} metas={metas} typeMeta={typeMeta} onEntityType={setEntityType} />
      )}
      {form.values.ruleType === 'recent_record' && fields.windowDays && fields.graceDays && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <FieldInput field={fields.windowDays} form={form} />
          <FieldInput field={fields.graceDays} form={form} />
        </SimpleGrid>
      )}
      {fields.description && <FieldInput field={fields.description} form={form} />}
      {fields.ownerUserId && <FieldInput field={fields.ownerUserId} form={form} />}
    </RecordForm>
  );
}

/** The record type, what its records must match (its own list filters) and the date that counts. */
function RecentRecordFields({
  form,
  metas,
  typeMeta,
  onEntityType,
}: {
  form: RecordFormState<RuleValues>;
  metas: EntityMeta[];
  typeMeta: EntityMeta | undefined;
  onEntityType: (type: string | null) => void;
}) {
  const filters = matchFilters(typeMeta);
  return (
    <Fieldset legend="Which records" variant="filled">
      <Stack gap="sm">
        <Select
          label="Record type"
          placeholder="Choose a kind of record"
          data={recordTypeOptions(metas)}
          searchable
          {...form.select('criteria.entityType')}
          onChange={onEntityType}
        />
        {typeMeta && filters.length > 0 && (
          <Stack gap="xs">
            <Text size="sm" c="dimmed">
              Only the {typeMeta.labels.plural.toLowerCase()} that match (leave a filter empty to accept any):
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {filters.map((filter) => (
                <FilterInput key={filter.name} filter={filter} meta={typeMeta} metas={metas} form={form} />
              ))}
            </SimpleGrid>
          </Stack>
        )}
        {typeMeta && (
          <Select
            label="Date field"
            description="The date that must be recent: the rule looks at the latest one."
            data={dateFieldsOf(typeMeta)}
            allowDeselect={false}
            {...form.select('criteria.dateField')}
          />
        )}
      </Stack>
    </Fieldset>
  );
}

/** One list filter of the chosen record type, as its list takes it (several values comma-separated). */
function FilterInput({
  filter,
  meta,
  metas,
  form,
}: {
  filter: Filter;
  meta: EntityMeta;
  metas: EntityMeta[];
  form: RecordFormState<RuleValues>;
}) {
  const path = `criteria.filters.${filter.name}`;
  const label = filterLabel(meta, filter.name);
  const value = form.values.criteria.filters[filter.name] ?? '';
  const set = (next: string) => form.setValue(path, next);
  const common = { label, error: form.errorFor(path), onBlur: () => form.markTouched(path) };
  if (filter.type === 'enum') {
    return (
      <MultiSelect
        {...common}
        placeholder={value ? undefined : 'Any'}
        data={(filter.values ?? []).map((option) => ({ value: option, label: humanizeField(option) }))}
        value={value ? value.split(',') : []}
        onChange={(values) => set(values.join(','))}
        clearable
      />
    );
  }
  if (filter.type === 'boolean') {
    return (
      <Select
        {...common}
        placeholder="Any"
        data={[
          { value: 'true', label: 'Yes' },
          { value: 'false', label: 'No' },
        ]}
        value={value || null}
        onChange={(next) => set(next ?? '')}
        clearable
      />
    );
  }
  const reference = meta.fields.find((field) => field.name === filter.name)?.reference;
  const target = reference ? metas.find((candidate) => candidate.type === reference) : undefined;
  if (target) {
    return (
      <RecordPicker<BaseRecord & Record<string, unknown>>
        definition={resourceFromMeta(target)}
        label={label}
        placeholder="Any"
        value={value || null}
        onChange={(id) => set(id ?? '')}
        optionLabel={(record) => titleOf(target, record)}
        error={common.error}
        onBlur={common.onBlur}
      />
    );
  }
  return (
    <TextInput
      {...common}
      placeholder="Any"
      description={filter.type === 'uuid' ? 'A record id' : undefined}
      value={value}
      onChange={(event) => set(event.currentTarget.value)}
    />
  );
}

/** The control page's Rules tab (see src/web/generic/extensions.ts). */
export const controlRulesExtension: DetailExtension = {
  tabs: [{ value: 'rules', label: 'Rules', render: (context) => <ControlRulesTab context={context} /> }],
};
