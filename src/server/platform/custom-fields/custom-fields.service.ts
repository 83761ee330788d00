import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { FieldError } from '../http/problem';
import { hasNoNul, isCalendarDate, NUL_MESSAGE } from '../http/schemas';
import { type CustomFieldDefinition, customFieldDefinitions } from './custom-fields.table';

export const CUSTOM_FIELD_TEXT_MAX = 2000;

export async function loadCustomFieldDefinitions(
  db: Db,
  entityType: string,
): Promise<CustomFieldDefinition[]> {
  return db
    .select()
    .from(customFieldDefinitions)
    .where(
      and(eq(customFieldDefinitions.entityType, entityType), eq(customFieldDefinitions.isArchived, false)),
    )
    .orderBy(asc(customFieldDefinitions.sortOrder), asc(customFieldDefinitions.label));
}

/** Numbers may come as JSON numbers or as plain decimal strings: no hex, exponents or Infinity. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

function coerce(definition: CustomFieldDefinition, value: unknown): { value: unknown } | { error: string } {
  switch (definition.fieldType) {
    case 'text':
      if (typeof value !== 'string') return { error: 'must be text' };
      if (!hasNoNul(value)) return { error: NUL_MESSAGE };
      if (value.length > CUSTOM_FIELD_TEXT_MAX)
        return { error: `must be at most ${CUSTOM_FIELD_TEXT_MAX} characters` };
      return { value };
    case 'number': {
      const number = typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) return { error: 'must be a number' };
      return { value: number };
    }
    case 'date':
      if (typeof value !== 'string' || !isCalendarDate(value)) {
        return { error: 'must be a date (YYYY-MM-DD)' };
      }
      return { value };
    case 'boolean':
      if (typeof value !== 'boolean') return { error: 'must be true or false' };
      return { value };
    case 'select':
      if (typeof value !== 'string' || !definition.options.includes(value)) {
        return { error: `must be one of: ${definition.options.join(', ')}` };
      }
      return { value };
  }
}

/**
 * Merges `input` over `current` and validates the result against the definitions: unknown keys
 * are refused, values are coerced to their type, required fields must have a value.
 * Values of archived definitions are kept untouched.
 */
export function validateCustomFields(
  definitions: CustomFieldDefinition[],
  input: Record<string, unknown> | undefined,
  current: Record<string, unknown> = {},
): { values: Record<string, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const values: Record<string, unknown> = { ...current };
  for (const [key, raw] of Object.entries(input ?? {})) {
    const definition = byKey.get(key);
    if (!definition) {
      errors.push({ path: `customFields.${key}`, message: 'is not a custom field of this record type' });
      continue;
    }
    if (raw === null || raw === '') {
      delete values[key];
      continue;
    }
    const result = coerce(definition, raw);
    if ('error' in result) errors.push({ path: `customFields.${key}`, message: result.error });
    else values[key] = result.value;
  }
  for (const definition of definitions) {
    if (definition.required && (values[definition.key] === undefined || values[definition.key] === null)) {
      errors.push({ path: `customFields.${definition.key}`, message: `${definition.label} is required` });
    }
  }
  return { values, errors };
}
