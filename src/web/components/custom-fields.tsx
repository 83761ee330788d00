import { Checkbox, DataList, NumberInput, Select, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { CustomFieldDefinition, Page } from '../api/types';
import { formatDate } from './format';
import type { FilterDefinition } from './list-controls';
import type { FieldRule, FormValues, RecordFormState } from './use-record-form';

const TEXT_MAX = 2000;

/** The active custom field definitions of one record type, in display order. */
export function useCustomFieldDefinitions(entityType: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    enabled: options.enabled ?? true,
    queryKey: ['custom-fields', 'definitions', entityType],
    queryFn: ({ signal }) =>
      api.get<Page<CustomFieldDefinition>>(
        '/api/v1/custom-fields',
        { entityType, pageSize: 200, sort: 'sortOrder' },
        { signal },
      ),
    select: (page) => page.data,
    staleTime: 60_000,
  });
}

export function customFieldRules(definitions: CustomFieldDefinition[]): Record<string, FieldRule> {
  return Object.fromEntries(
    definitions.map((definition) => [
      `customFields.${definition.key}`,
      {
        label: definition.label,
        required: definition.required,
        maxLength: definition.fieldType === 'text' ? TEXT_MAX : undefined,
      },
    ]),
  );
}

/** Form values for custom fields: every defined key present, empty as null (booleans false). */
export function customFieldValues(
  definitions: CustomFieldDefinition[],
  stored: Record<string, unknown> | undefined,
): Record<string, unknown> {
  return Object.fromEntries(
    definitions.map((definition) => [
      definition.key,
      stored?.[definition.key] ?? (definition.fieldType === 'boolean' ? false : null),
    ]),
  );
}

/** Inputs for the custom fields of a record type, wired to a record form. */
export function CustomFieldInputs<V extends FormValues>({
  definitions,
  form,
}: {
  definitions: CustomFieldDefinition[];
  form: RecordFormState<V>;
}) {
  return (
    <>
      {definitions.map((definition) => {
        const path = `customFields.${definition.key}`;
        switch (definition.fieldType) {
          case 'boolean':
            return <Checkbox key={definition.key} label={definition.label} {...form.checkbox(path)} />;
          case 'select':
            return (
              <Select
                key={definition.key}
                label={definition.label}
                data={definition.options}
                clearable={!definition.required}
                {...form.select(path)}
              />
            );
          case 'number': {
            const props = form.select(path);
            return (
              <NumberInput
                key={definition.key}
                label={definition.label}
                required={props.required}
                error={props.error}
                onBlur={props.onBlur}
                value={
                  ((form.values.customFields as FormValues | undefined)?.[definition.key] as
                    | number
                    | undefined) ?? ''
                }
                onChange={(value) => form.setValue(path, value === '' ? null : Number(value))}
              />
            );
          }
          case 'date':
            return (
              <TextInput key={definition.key} label={definition.label} type="date" {...form.text(path)} />
            );
          default:
            return <TextInput key={definition.key} label={definition.label} {...form.text(path)} />;
        }
      })}
    </>
  );
}

/**
 * List filters for a type's choice and yes/no custom fields (`cf.<key>=value`; the server matches
 * exactly, which suits a choice, not free text).
 */
export function customFieldFilters(definitions: CustomFieldDefinition[]): FilterDefinition[] {
  return definitions.flatMap((definition): FilterDefinition[] => {
    const key = `${CUSTOM_FIELD_FILTER_PREFIX}${definition.key}`;
    if (definition.fieldType === 'select') {
      const options = definition.options.map((option) => ({ value: option, label: option }));
      return [{ key, label: definition.label, type: 'select', options }];
    }
    if (definition.fieldType === 'boolean') {
      const options = [
        { value: 'true', label: 'Yes' },
        { value: 'false', label: 'No' },
      ];
      return [{ key, label: definition.label, type: 'select', options }];
    }
    return [];
  });
}

export const CUSTOM_FIELD_FILTER_PREFIX = 'cf.';

export function formatCustomValue(definition: CustomFieldDefinition, value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (definition.fieldType === 'boolean') return value ? 'Yes' : 'No';
  if (definition.fieldType === 'date' && typeof value === 'string') return formatDate(value);
  return String(value);
}

/** Read-only custom field values on a detail page. */
export function CustomFieldValues({
  definitions,
  values,
}: {
  definitions: CustomFieldDefinition[];
  values: Record<string, unknown>;
}) {
  return (
    <>
      {definitions.map((definition) => (
        <DataList.Item key={definition.key}>
          <DataList.ItemLabel>{definition.label}</DataList.ItemLabel>
          <DataList.ItemValue>{formatCustomValue(definition, values[definition.key])}</DataList.ItemValue>
        </DataList.Item>
      ))}
    </>
  );
}
