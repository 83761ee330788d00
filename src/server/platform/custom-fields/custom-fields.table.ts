import { boolean, integer, jsonb, pgTable, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { archivableColumns, entityColumns } from '../../db/columns';

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'boolean', 'select'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Administrator-defined fields per entity type; values live in the entity's `custom_fields` JSONB. */
export const customFieldDefinitions = pgTable(
  'custom_field_definitions',
  {
    ...entityColumns(),
    ...archivableColumns(),
    entityType: varchar('entity_type', { length: 64 }).notNull(),
    key: varchar('key', { length: 64 }).notNull(),
    label: varchar('label', { length: 100 }).notNull(),
    fieldType: varchar('field_type', { length: 16 }).$type<CustomFieldType>().notNull(),
    options: jsonb('options').$type<string[]>().notNull().default([]),
    required: boolean('required').notNull().default(false),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (t) => [uniqueIndex('custom_field_definitions_unique').on(t.entityType, t.key)],
);

export type CustomFieldDefinition = typeof customFieldDefinitions.$inferSelect;
