import { checkReference } from '../../platform/entities/check-reference';
import { defineEntity } from '../../platform/entities/registry';
import type { ServiceContext } from '../../platform/http/context';
import { type FieldError, validationFailed } from '../../platform/http/problem';
import { statusError } from './assets.entity';
import { ASSET_STATUSES, assetModels, brands, locations } from './assets.table';
import { recordPeripheralHistory } from './item-history';
import {
  type PeripheralInput,
  peripheralCreate,
  peripheralRecord,
  peripheralUpdate,
  toPeripheralRecord,
} from './peripherals.schemas';
import { type Peripheral, peripherals } from './peripherals.table';

/** Same rules as an asset's: status moves by the transition table, cost needs a currency. */
async function validatePeripheral(
  ctx: ServiceContext,
  input: PeripheralInput,
  current: Peripheral | undefined,
) {
  const errors: FieldError[] = [];
  if (input.status !== undefined) {
    const problem = statusError(current?.status, input.status, 'peripheral');
    if (problem) errors.push({ path: 'status', message: problem });
  }
  await checkReference(ctx, brands, 'brandId', input.brandId, current?.brandId, errors);
  await checkReference(ctx, assetModels, 'modelId', input.modelId, current?.modelId, errors);
  await checkReference(ctx, locations, 'locationId', input.locationId, current?.locationId, errors);
  const cost = input.cost !== undefined ? input.cost : (current?.cost ?? null);
  const currency = input.currency !== undefined ? input.currency : (current?.currency ?? null);
  if (cost !== null && currency === null)
    errors.push({ path: 'currency', message: 'is required with a cost' });
  if (errors.length > 0) throw validationFailed(errors);
  return input;
}

export const peripheralEntity = defineEntity({
  table: peripherals,
  entityType: 'peripheral',
  path: 'peripherals',
  labels: { singular: 'Peripheral', plural: 'Peripherals' },
  module: 'core_inventory',
  record: peripheralRecord,
  create: peripheralCreate,
  update: peripheralUpdate,
  toRecord: toPeripheralRecord,
  label: (row) => row.name,
  list: {
    sortable: {
      name: peripherals.name,
      type: peripherals.type,
      status: peripherals.status,
      purchaseDate: peripherals.purchaseDate,
      updatedAt: peripherals.updatedAt,
    },
    defaultSort: 'name',
    searchable: [peripherals.name, peripherals.type, peripherals.serialNumber],
    searchColumn: peripherals.searchText,
    filters: {
      status: { type: 'enum', column: peripherals.status, values: ASSET_STATUSES },
      type: { type: 'text', column: peripherals.type },
      assetId: { type: 'uuid', column: peripherals.assetId },
      holderId: { type: 'uuid', column: peripherals.holderId },
      locationId: { type: 'uuid', column: peripherals.locationId },
      brandId: { type: 'uuid', column: peripherals.brandId },
    },
  },
  search: { title: peripherals.name, subtitle: peripherals.type },
  references: {
    brandId: 'brand',
    modelId: 'asset_model',
    assetId: 'asset',
    holderId: 'user',
    locationId: 'location',
  },
  features: {
    archivable: true,
    customFields: true,
    linkable: true,
    tagged: true,
    attachments: true,
    hardDelete: false,
  },
  uniqueConstraints: { peripherals_serial_unique: 'serialNumber' },
  // GET /peripherals/:id/history is the peripheral's timeline (item-history.routes.ts).
  ownHistoryRoute: true,
  hooks: {
    afterWrite: (ctx, before, after) => recordPeripheralHistory(ctx, before, after),
    beforeCreate: (ctx, input) => validatePeripheral(ctx, input as PeripheralInput, undefined),
    beforeUpdate: (ctx, current, input) => validatePeripheral(ctx, input as PeripheralInput, current),
    async beforeArchive(_ctx, current) {
      if (current.status === 'in_use')
        throw validationFailed([{ path: 'status', message: 'check the peripheral in before archiving it' }]);
    },
  },
});
