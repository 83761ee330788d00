import { checkReference } from '../../platform/entities/check-reference';
import { defineEntity } from '../../platform/entities/registry';
import { conflict, type FieldError, validationFailed } from '../../platform/http/problem';
import { locations } from './assets.table';
import { inventoryCreate, inventoryRecord, inventoryUpdate, toInventoryRecord } from './inventories.schemas';
import { listExpectedItems } from './inventories.service';
import { assetInventories, INVENTORY_STATUSES } from './inventories.table';

/**
 * A physical inventory campaign. Creating one lists every asset expected where it looks (in the
 * same transaction); scanning, marking and closing are its own routes (inventories.routes.ts).
 */
export const inventoryEntity = defineEntity({
  table: assetInventories,
  entityType: 'asset_inventory',
  path: 'asset-inventories',
  labels: { singular: 'Inventory campaign', plural: 'Inventory campaigns' },
  module: 'core_inventory',
  record: inventoryRecord,
  create: inventoryCreate,
  update: inventoryUpdate,
  toRecord: toInventoryRecord,
  label: (row) => row.name,
  list: {
    sortable: {
      createdAt: assetInventories.createdAt,
      name: assetInventories.name,
      status: assetInventories.status,
      closedAt: assetInventories.closedAt,
    },
    defaultSort: '-createdAt',
    searchable: [assetInventories.name],
    filters: {
      status: { type: 'enum', column: assetInventories.status, values: INVENTORY_STATUSES },
      locationId: { type: 'uuid', column: assetInventories.locationId },
    },
  },
  search: { title: assetInventories.name },
  references: { locationId: 'location', closedBy: 'user' },
  features: {
    archivable: false,
    customFields: false,
    linkable: true,
    tagged: false,
    attachments: true,
    hardDelete: false,
  },
  hooks: {
    async beforeCreate(ctx, input) {
      const errors: FieldError[] = [];
      await checkReference(ctx, locations, 'locationId', input.locationId, undefined, errors);
      if (errors.length > 0) throw validationFailed(errors);
      return input;
    },
    async beforeUpdate(_ctx, current, input) {
      if (current.status === 'closed') throw conflict('This inventory is closed: its result is frozen.');
      return input;
    },
    async afterWrite(ctx, before, after) {
      if (before === null) await listExpectedItems(ctx, after);
    },
  },
});
