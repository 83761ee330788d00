import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { FieldDescriptor } from '../../shared/entity-meta';
import type { ModuleKey } from '../../shared/modules';
import type { FieldRule } from '../components/use-record-form';
import { api } from './client';
import type { ResourceDefinition } from './resources';

export type { FieldDescriptor, FieldKind } from '../../shared/entity-meta';

/** The registry's description of a record type (GET /api/v1/meta/entities). */
export interface EntityMeta {
  type: string;
  path: string;
  module: ModuleKey;
  labels: { singular: string; plural: string };
  features: ResourceDefinition['features'] & { customFields: boolean };
  list: {
    defaultSort: string;
    sortable: string[];
    filters: Array<{ name: string; type: 'text' | 'enum' | 'boolean' | 'uuid' | 'date'; values?: string[] }>;
  };
  fields: FieldDescriptor[];
  abilities: { create: boolean; update: boolean; hardDelete: boolean };
}

/** Where the generic screens of a type live; domains with pages of their own route elsewhere. */
export const GENERIC_ROUTE = '/records';

export function useEntityMetas() {
  return useQuery({
    queryKey: ['meta', 'entities'],
    queryFn: ({ signal }) => api.get<{ data: EntityMeta[] }>('/api/v1/meta/entities', undefined, { signal }),
    select: (response) => response.data,
    // The registry only changes with a deployment.
    staleTime: 10 * 60_000,
  });
}

export function useEntityMeta(type: string) {
  const query = useEntityMetas();
  return { ...query, data: query.data?.find((meta) => meta.type === type) };
}

export function resourceFromMeta(meta: EntityMeta): ResourceDefinition {
  return {
    path: meta.path,
    entityType: meta.type,
    module: meta.module,
    labels: meta.labels,
    route: `${GENERIC_ROUTE}/${meta.type}`,
    features: {
      archivable: meta.features.archivable,
      linkable: meta.features.linkable,
      tagged: meta.features.tagged,
      attachments: meta.features.attachments,
      hardDelete: meta.features.hardDelete,
    },
  };
}

/** How a record of this type is named: its title field, else the type and the end of its id. */
export function titleOf(meta: EntityMeta, record: { id: string } & Record<string, unknown>): string {
  const field = titleFieldOf(meta);
  const value = field ? record[field.name] : undefined;
  return typeof value === 'string' && value !== '' ? value : `${meta.labels.singular} ${record.id.slice(-8)}`;
}

/** Fields never edited by hand: identity and bookkeeping. */
const SYSTEM_FIELDS = new Set([
  'id',
  'version',
  'createdAt',
  'updatedAt',
  'createdBy',
  'updatedBy',
  'isArchived',
]);

export function isSystemField(field: FieldDescriptor): boolean {
  return SYSTEM_FIELDS.has(field.name);
}

/** The field that names a record: the first of the usual suspects, else the first text field. */
export function titleFieldOf(meta: EntityMeta): FieldDescriptor | undefined {
  for (const name of ['name', 'title', 'label', 'key', 'reference']) {
    const field = meta.fields.find((f) => f.name === name);
    if (field) return field;
  }
  return meta.fields.find((f) => f.kind === 'text' && !isSystemField(f));
}

/** The fields a form shows: creatable ones when creating, updatable ones when editing. */
export function formFields(meta: EntityMeta, mode: 'create' | 'edit'): FieldDescriptor[] {
  return meta.fields.filter(
    (field) =>
      !isSystemField(field) &&
      field.name !== 'customFields' &&
      field.kind !== 'object' &&
      (mode === 'create' ? field.creatable : field.updatable),
  );
}

/** The same limits the server checks, applied as the user types. */
export function fieldRule(field: FieldDescriptor): FieldRule {
  const rule: FieldRule = { label: field.label, required: field.required };
  if (field.maxLength !== undefined) rule.maxLength = field.maxLength;
  if (field.minLength !== undefined && field.minLength > 1) rule.minLength = field.minLength;
  if (field.minimum !== undefined) rule.min = field.minimum;
  if (field.maximum !== undefined) rule.max = field.maximum;
  if (field.kind === 'integer') rule.integer = true;
  if (field.kind === 'email') {
    rule.pattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
    rule.patternMessage = `${field.label} must be an e-mail address, like name@example.com`;
  } else if (field.kind === 'url') {
    rule.pattern = /^https?:\/\/\S+$/;
    rule.patternMessage = `${field.label} must be a web address starting with https://`;
  } else if (field.pattern) {
    try {
      rule.pattern = new RegExp(field.pattern);
      rule.patternMessage = `${field.label} is not in the expected format`;
    } catch {
      // A pattern the browser cannot compile is left to the server.
    }
  }
  return rule;
}

/**
 * A form's rules from the server's own contract for the type (as the user types, the same limits
 * the server will check), named as the page labels its fields. `pageRules` says what the page adds
 * (a field it always fills, a friendlier message) and stands in until the description has loaded.
 */
export function useSchemaRules(
  type: string,
  mode: 'create' | 'edit',
  pageRules: Record<string, FieldRule>,
): Record<string, FieldRule> {
  const meta = useEntityMeta(type).data;
  return useMemo(() => {
    if (!meta) return pageRules;
    const rules: Record<string, FieldRule> = {};
    for (const field of formFields(meta, mode)) {
      const page = pageRules[field.name];
      const schema = fieldRule({ ...field, label: page?.label ?? field.label });
      rules[field.name] = { ...schema, ...page, required: Boolean(schema.required || page?.required) };
    }
    return { ...pageRules, ...rules };
  }, [meta, mode, pageRules]);
}
