import { z } from 'zod';
import { defineEntity } from '../entities/registry';
import { type FieldError, validationFailed } from '../http/problem';
import { shortText } from '../http/schemas';
import {
  CUSTOM_FIELD_TYPES,
  type CustomFieldDefinition,
  customFieldDefinitions,
} from './custom-fields.table';

const options = z.array(shortText(100)).max(100);

export const customFieldRecord = z
  .object({
    id: z.uuid(),
    entityType: z.string(),
    key: z.string(),
    label: z.string(),
    fieldType: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(z.string()),
    required: z.boolean(),
    sortOrder: z.number().int(),
    isArchived: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'CustomFieldDefinition' });

function checkOptions(fieldType: string, values: string[] | undefined): FieldError[] {
  if (fieldType === 'select' && (!values || values.length === 0)) {
    return [{ path: 'options', message: 'a select field needs at least one option' }];
  }
  if (values && new Set(values).size !== values.length)
    return [{ path: 'options', message: 'must not repeat' }];
  return [];
}

/**
 * Custom field definitions, per entity type. The key and type are fixed once created, because
 * stored values are keyed and typed by them; label, options, order and `required` may change.
 */
export function makeCustomFieldEntity(entityTypes: [string, ...string[]]) {
  return defineEntity({
    table: customFieldDefinitions,
    entityType: 'custom_field',
    path: 'custom-fields',
    labels: { singular: 'Custom field', plural: 'Custom fields' },
    module: 'administration',
    readableByAnyUser: true,
    record: customFieldRecord,
    create: z
      .strictObject({
        entityType: z.enum(entityTypes),
        key: z
          .string()
          .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must start with a letter and use only a-z, 0-9 and _'),
        label: shortText(100),
        fieldType: z.enum(CUSTOM_FIELD_TYPES),
        options: options.optional(),
        required: z.boolean().optional(),
        sortOrder: z.number().int().min(0).max(10_000).optional(),
      })
      .meta({ id: 'CustomFieldCreate' }),
    update: z
      .strictObject({
        label: shortText(100).optional(),
        options: options.optional(),
        required: z.boolean().optional(),
        sortOrder: z.number().int().min(0).max(10_000).optional(),
      })
      .meta({ id: 'CustomFieldUpdate' }),
    toRecord: (row: CustomFieldDefinition) => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    }),
    label: (row) => `${row.entityType}.${row.key}`,
    list: {
      sortable: {
        sortOrder: customFieldDefinitions.sortOrder,
        label: customFieldDefinitions.label,
        key: customFieldDefinitions.key,
      },
      defaultSort: 'sortOrder',
      searchable: [customFieldDefinitions.label, customFieldDefinitions.key],
      filters: {
        entityType: { type: 'enum', column: customFieldDefinitions.entityType, values: entityTypes },
      },
    },
    search: { title: customFieldDefinitions.label, subtitle: customFieldDefinitions.key },
    features: {
      archivable: true,
      customFields: false,
      linkable: false,
      tagged: false,
      attachments: false,
      hardDelete: false,
    },
    uniqueConstraints: { custom_field_definitions_unique: 'key' },
    hooks: {
      beforeCreate: async (_ctx, input) => {
        const errors = checkOptions(input.fieldType, input.options);
        if (errors.length > 0) throw validationFailed(errors);
        return input;
      },
      beforeUpdate: async (_ctx, current, input) => {
        const errors = checkOptions(current.fieldType, input.options ?? current.options);
        if (errors.length > 0) throw validationFailed(errors);
        return input;
      },
    },
  });
}
