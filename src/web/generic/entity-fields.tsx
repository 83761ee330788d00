import {
  Badge,
  Checkbox,
  NumberInput,
  PasswordInput,
  Select,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import {
  type EntityMeta,
  type FieldDescriptor,
  resourceFromMeta,
  titleOf,
  useEntityMeta,
} from '../api/entity-meta';
import { loadReference } from '../api/references';
import type { BaseRecord } from '../api/types';
import { hitHref } from '../app/search.api';
import { formatDate, formatDateTime, humanizeField } from '../components/format';
import { RecordPicker } from '../components/record-picker';
import type { FormValues, RecordFormState } from '../components/use-record-form';

/** Long texts (descriptions, notes) get a multi-line box. */
const LONG_TEXT = 500;

/** A field's value as form state: strings for text-like inputs, so "empty" is ''. */
export function toFormValue(field: FieldDescriptor, value: unknown): unknown {
  if (field.kind === 'boolean') return Boolean(value);
  if (field.kind === 'list') return Array.isArray(value) ? value : [];
  if (field.kind === 'integer' || field.kind === 'number') return typeof value === 'number' ? value : null;
  if (field.kind === 'enum') return value ?? null;
  if (field.kind === 'datetime' && typeof value === 'string') return value.slice(0, 16);
  return value ?? '';
}

/**
 * Form state back to what the API takes. An empty value is `null` ("no value") where the field
 * accepts null; where it does not (an optional enum with a server default), it is left out.
 */
export function toPayloadValue(field: FieldDescriptor, value: unknown): unknown {
  if (value === '' || value === undefined || value === null) return field.nullable ? null : undefined;
  if (field.kind === 'datetime' && typeof value === 'string') return new Date(value).toISOString();
  return value;
}

/** The input for one field, wired to a record form: the registry decides which. */
export function FieldInput<V extends FormValues>({
  field,
  form,
  autoFocus,
}: {
  field: FieldDescriptor;
  form: RecordFormState<V>;
  autoFocus?: boolean;
}) {
  const path = field.name;
  const common = { label: field.label, 'data-autofocus': autoFocus || undefined };
  if (field.reference) return <ReferenceInput field={field} form={form} />;
  // A secret starts empty (the server never sends it back), and empty leaves it as it is.
  if (field.secret) {
    return (
      <PasswordInput
        {...common}
        description="Stored encrypted and never shown here; leave empty to keep what is stored."
        autoComplete="new-password"
        {...form.text(path)}
      />
    );
  }
  switch (field.kind) {
    case 'boolean':
      return <Checkbox {...common} {...form.checkbox(path)} />;
    case 'enum':
      return (
        <Select
          {...common}
          data={(field.values ?? []).map((value) => ({ value, label: humanizeField(value) }))}
          clearable={!field.required}
          allowDeselect={!field.required}
          {...form.select(path)}
        />
      );
    case 'integer':
    case 'number': {
      const props = form.select(path);
      return (
        <NumberInput
          {...common}
          required={props.required}
          error={props.error}
          onBlur={props.onBlur}
          min={field.minimum}
          max={field.maximum}
          allowDecimal={field.kind === 'number'}
          clampBehavior="none"
          value={(form.values[path] as number | null | undefined) ?? ''}
          onChange={(value) => form.setValue(path, value === '' ? null : Number(value))}
        />
      );
    }
    case 'list': {
      const props = form.select(path);
      return (
        <TagsInput
          {...common}
          description="Press Enter after each."
          required={props.required}
          error={props.error}
          onBlur={props.onBlur}
          value={(form.values[path] as string[] | undefined) ?? []}
          onChange={(value) => form.setValue(path, value)}
        />
      );
    }
    case 'date':
      return <TextInput {...common} type="date" {...form.text(path)} />;
    case 'datetime':
      return <TextInput {...common} type="datetime-local" {...form.text(path)} />;
    case 'email':
      return <TextInput {...common} type="email" autoComplete="off" {...form.text(path)} />;
    case 'url':
      return <TextInput {...common} type="url" placeholder="https://" {...form.text(path)} />;
    default:
      return (field.maxLength ?? 0) > LONG_TEXT ? (
        <Textarea {...common} autosize minRows={3} maxRows={12} {...form.text(path)} />
      ) : (
        <TextInput {...common} autoComplete="off" {...form.text(path)} />
      );
  }
}

/** A record of another type, picked by searching for it (when the caller may read that type). */
function ReferenceInput<V extends FormValues>({
  field,
  form,
}: {
  field: FieldDescriptor;
  form: RecordFormState<V>;
}) {
  const target = useEntityMeta(field.reference!).data;
  const props = form.select(field.name);
  if (!target)
    return (
      <TextInput
        label={field.label}
        value={props.value ?? ''}
        disabled
        description="You cannot read these records."
      />
    );
  return (
    <RecordPicker<BaseRecord & Record<string, unknown>>
      definition={resourceFromMeta(target)}
      label={field.label}
      value={props.value}
      onChange={(id) => form.setValue(field.name, id)}
      optionLabel={(record) => titleOf(target, record)}
      error={props.error}
      required={props.required}
      onBlur={props.onBlur}
    />
  );
}

/** The name of a record of another type, linked to it (the id's end when that type is hidden from the caller). */
function ReferenceValue({ type, id }: { type: string; id: string }) {
  const target = useEntityMeta(type).data;
  return target ? <ReadableReference meta={target} id={id} /> : id.slice(-8);
}

function ReadableReference({ meta, id }: { meta: EntityMeta; id: string }) {
  const record = useQuery({
    queryKey: ['reference', meta.type, id],
    queryFn: () => loadReference(resourceFromMeta(meta), id),
    staleTime: 60_000,
  });
  const href = hitHref({ type: meta.type, id, title: '', subtitle: null, score: 0 });
  const name = record.data ? titleOf(meta, record.data) : record.isPending ? '…' : id.slice(-8);
  return <Link to={href}>{name}</Link>;
}

/** A field's value, readable. */
export function FieldValue({ field, value }: { field: FieldDescriptor; value: unknown }): ReactNode {
  if (value === undefined || value === null || value === '') return '—';
  if (field.reference && typeof value === 'string')
    return <ReferenceValue type={field.reference} id={value} />;
  switch (field.kind) {
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'date':
      return formatDate(String(value));
    case 'datetime':
      return formatDateTime(String(value));
    case 'enum':
      return humanizeField(String(value));
    case 'list':
      return Array.isArray(value) && value.length > 0
        ? value.map((item) => (
            <Badge key={String(item)} variant="light" mr={4}>
              {String(item)}
            </Badge>
          ))
        : '—';
    case 'url':
      // Only web addresses become links: any other scheme is shown, not followed.
      return /^https?:\/\//i.test(String(value)) ? (
        <a href={String(value)} target="_blank" rel="noopener noreferrer">
          {String(value)}
        </a>
      ) : (
        String(value)
      );
    case 'object':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}
