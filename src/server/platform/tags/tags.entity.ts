import { z } from 'zod';
import { defineEntity } from '../entities/registry';
import { shortText } from '../http/schemas';
import { tags } from './tags.table';

export const tagRecord = z
  .object({
    id: z.uuid(),
    name: z.string(),
    color: z.string().nullable(),
    isArchived: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Tag' });

const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$|^[a-z]{3,20}$/, 'must be a colour name or #rrggbb')
  .nullable()
  .optional();

/** The global tag vocabulary: anyone signed in reads it, settings writers curate it. */
export const tagEntity = defineEntity({
  table: tags,
  entityType: 'tag',
  path: 'tags',
  labels: { singular: 'Tag', plural: 'Tags' },
  module: 'settings',
  readableByAnyUser: true,
  record: tagRecord,
  create: z.strictObject({ name: shortText(50), color }).meta({ id: 'TagCreate' }),
  update: z.strictObject({ name: shortText(50).optional(), color }).meta({ id: 'TagUpdate' }),
  toRecord: (row) => ({
    id: row.id,
    name: row.name,
    color: row.color,
    isArchived: row.isArchived,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }),
  label: (row) => row.name,
  list: {
    sortable: { name: tags.name, createdAt: tags.createdAt },
    defaultSort: 'name',
    searchable: [tags.name],
    filters: {},
  },
  search: { title: tags.name },
  features: {
    archivable: true,
    customFields: false,
    linkable: false,
    tagged: false,
    attachments: false,
    hardDelete: false,
  },
  uniqueConstraints: { tags_name_unique: 'name' },
});
