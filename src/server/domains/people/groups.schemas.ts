import { z } from 'zod';
import { optionalText, shortText } from '../../platform/http/schemas';
import type { Group } from './groups.table';

export const groupRecord = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    memberCount: z.number().int().optional(),
    isArchived: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Group' });

export function toGroupRecord(row: Group): z.input<typeof groupRecord> {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isArchived: row.isArchived,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const groupCreate = z
  .strictObject({ name: shortText(100), description: optionalText(5000) })
  .meta({ id: 'GroupCreate' });
export const groupUpdate = z
  .strictObject({ name: shortText(100).optional(), description: optionalText(5000) })
  .meta({ id: 'GroupUpdate' });
