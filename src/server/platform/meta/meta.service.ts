import { z } from 'zod';
import type { FieldDescriptor, FieldKind } from '../../../shared/entity-meta';
import type { EntityDefinition, FilterSpec } from '../entities/registry';

/**
 * What the web app needs to know of an entity to give it screens without writing any: its
 * labels, features, list options and fields, derived from the registry's declaration and its
 * zod contracts (the same schemas the server validates with), so the two cannot drift.
 */

export interface EntityMeta {
  type: string;
  path: string;
  module: string;
  labels: { singular: string; plural: string };
  features: EntityDefinition['features'];
  list: {
    defaultSort: string;
    sortable: string[];
    filters: Array<{ name: string; type: FilterSpec['type']; values?: string[] }>;
  };
  fields: FieldDescriptor[];
}

type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  writeOnly?: boolean;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

/** "jobTitle" → "Job title". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function objectSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  if (json.$ref && json.$defs) return json.$defs[json.$ref.replace('#/$defs/', '')] ?? {};
  return json;
}

/** A property's own schema, and whether it also accepts null. */
function unwrap(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  if (schema.anyOf) {
    const others = schema.anyOf.filter((s) => s.type !== 'null');
    return {
      schema: others.length === 1 ? others[0]! : schema,
      nullable: others.length < schema.anyOf.length,
    };
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== 'null');
    return {
      schema: { ...schema, type: types.length === 1 ? types[0] : types },
      nullable: types.length < schema.type.length,
    };
  }
  return { schema, nullable: false };
}

function kindOf(schema: JsonSchema): FieldKind {
  if (schema.enum) return 'enum';
  switch (schema.type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'array':
      return 'list';
    case 'object':
      return 'object';
  }
  switch (schema.format) {
    case 'email':
      return 'email';
    case 'uri':
      return 'url';
    case 'date':
      return 'date';
    case 'date-time':
      return 'datetime';
    case 'uuid':
      return 'uuid';
  }
  return 'text';
}

// JavaScript's safe-integer bounds are zod's defaults for `.int()`: not a real limit worth showing.
const meaningful = (n: number | undefined) =>
  n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined;

export function describeEntity(def: EntityDefinition): EntityMeta {
  const record = objectSchema(def.record, 'output');
  const create = objectSchema(def.create, 'input');
  const update = objectSchema(def.update, 'input');
  // Fields an edit alone takes and nobody reads back (a disposal's reason for a change) are
  // described too, so that the edit form asks for them.
  const editOnly = Object.entries(update.properties ?? {})
    .filter(([, schema]) => unwrap(schema).schema.writeOnly || (schema as { writeOnly?: boolean }).writeOnly)
    .map(([name]) => name);
  const names = [
    ...new Set([
      ...Object.keys(record.properties ?? {}),
      ...Object.keys(create.properties ?? {}),
      ...editOnly,
    ]),
  ];
  const fields = names.map((name): FieldDescriptor => {
    const source = create.properties?.[name] ?? update.properties?.[name] ?? record.properties?.[name] ?? {};
    const { schema, nullable } = unwrap(source);
    const reference = def.references?.[name];
    const field: FieldDescriptor = {
      name,
      // A reference is named after what it points at: `locationId` is "Location".
      label: humanize(reference ? name.replace(/Id$/, '') : name),
      kind: kindOf(schema),
      required: create.required?.includes(name) ?? false,
      nullable,
      creatable: name in (create.properties ?? {}),
      updatable: name in (update.properties ?? {}),
    };
    if (schema.minLength !== undefined) field.minLength = schema.minLength;
    if (schema.maxLength !== undefined) field.maxLength = schema.maxLength;
    const minimum = meaningful(schema.minimum);
    const maximum = meaningful(schema.maximum);
    if (minimum !== undefined) field.minimum = minimum;
    if (maximum !== undefined) field.maximum = maximum;
    // Formats carry their own (long, machine-made) patterns; only hand-written ones help a person.
    if (schema.pattern && !schema.format) field.pattern = schema.pattern;
    if (schema.enum) field.values = schema.enum.map(String);
    if (reference) field.reference = reference;
    if (source.writeOnly || schema.writeOnly) field.writeOnly = true;
    if (source.format === 'password' || schema.format === 'password') field.secret = true;
    return field;
  });
  return {
    type: def.entityType,
    path: def.path,
    module: def.module,
    labels: def.labels,
    features: def.features,
    list: {
      defaultSort: def.list.defaultSort,
      sortable: Object.keys(def.list.sortable),
      filters: Object.entries(def.list.filters).map(([name, spec]) => ({
        name,
        type: spec.type,
        ...(spec.type === 'enum' ? { values: [...spec.values] } : {}),
      })),
    },
    fields,
  };
}
