import { defineEntity } from '../../platform/entities/registry';
import { groupCreate, groupRecord, groupUpdate, toGroupRecord } from './groups.schemas';
import { removeGroupDependents } from './groups.service';
import { groups } from './groups.table';

/** Groups carry module grants, so changing them is administration, not HR. */
export const groupEntity = defineEntity({
  table: groups,
  entityType: 'group',
  path: 'groups',
  labels: { singular: 'Group', plural: 'Groups' },
  module: 'administration',
  record: groupRecord,
  create: groupCreate,
  update: groupUpdate,
  toRecord: toGroupRecord,
  label: (row) => row.name,
  list: {
    sortable: { name: groups.name, createdAt: groups.createdAt, updatedAt: groups.updatedAt },
    defaultSort: 'name',
    searchable: [groups.name, groups.description],
    filters: {},
  },
  search: { title: groups.name, subtitle: groups.description },
  features: {
    archivable: true,
    customFields: false,
    linkable: true,
    tagged: true,
    attachments: false,
    hardDelete: true,
  },
  uniqueConstraints: { groups_name_unique: 'name' },
  hooks: {
    beforeDelete: (ctx, current) => removeGroupDependents(ctx, current.id),
  },
});
