import { eq, sql } from 'drizzle-orm';
import { checkReference } from '../../platform/entities/check-reference';
import { defineEntity, type EntityFeatures } from '../../platform/entities/registry';
import type { ServiceContext } from '../../platform/http/context';
import { type FieldError, validationFailed } from '../../platform/http/problem';
import {
  type AssetInput,
  assetCreate,
  assetModelCreate,
  assetModelRecord,
  assetModelUpdate,
  assetRecord,
  assetUpdate,
  brandCreate,
  brandRecord,
  brandUpdate,
  locationCreate,
  locationRecord,
  locationUpdate,
  toAssetModelRecord,
  toAssetRecord,
  toBrandRecord,
  toLocationRecord,
} from './assets.schemas';
import {
  ASSET_STATUSES,
  type Asset,
  type AssetStatus,
  assetModels,
  assets,
  brands,
  locations,
} from './assets.table';
import { recordAssetHistory } from './item-history';

const referenceData: EntityFeatures = {
  archivable: true,
  customFields: false,
  linkable: true,
  tagged: false,
  attachments: false,
  hardDelete: false,
};

/**
 * An asset something is put on (a peripheral mounted, a licence seat installed): it must exist, be
 * live, and not be disposed of or sold. Its row is share-locked until the transaction ends, so a
 * concurrent disposal (which locks it for update) either sees what was put on it or refuses it.
 */
export async function checkTargetAsset(
  ctx: ServiceContext,
  field: string,
  id: string | null | undefined,
  errors: FieldError[],
): Promise<void> {
  if (!id) return;
  const [asset] = await ctx.db
    .select({ isArchived: assets.isArchived, status: assets.status })
    .from(assets)
    .where(eq(assets.id, id))
    .for('share');
  if (!asset) errors.push({ path: field, message: 'does not exist' });
  else if (asset.isArchived) errors.push({ path: field, message: 'is archived' });
  else if (asset.status === 'disposed' || asset.status === 'sold')
    errors.push({ path: field, message: `is ${asset.status}` });
}

export const locationEntity = defineEntity({
  table: locations,
  entityType: 'location',
  path: 'locations',
  labels: { singular: 'Location', plural: 'Locations' },
  module: 'core_inventory',
  record: locationRecord,
  create: locationCreate,
  update: locationUpdate,
  toRecord: toLocationRecord,
  label: (row) => row.name,
  list: {
    sortable: {
      name: locations.name,
      city: locations.city,
      country: locations.country,
      updatedAt: locations.updatedAt,
    },
    defaultSort: 'name',
    searchable: [locations.name, locations.city, locations.address],
    filters: {
      country: { type: 'text', column: locations.country },
      city: { type: 'text', column: locations.city },
    },
  },
  search: { title: locations.name, subtitle: locations.city },
  features: referenceData,
  uniqueConstraints: { locations_name_unique: 'name' },
});

export const brandEntity = defineEntity({
  table: brands,
  entityType: 'brand',
  path: 'brands',
  labels: { singular: 'Brand', plural: 'Brands' },
  module: 'core_inventory',
  record: brandRecord,
  create: brandCreate,
  update: brandUpdate,
  toRecord: toBrandRecord,
  label: (row) => row.name,
  list: {
    sortable: { name: brands.name, updatedAt: brands.updatedAt },
    defaultSort: 'name',
    searchable: [brands.name],
    filters: {},
  },
  search: { title: brands.name },
  features: { ...referenceData, linkable: false },
  uniqueConstraints: { brands_name_unique: 'name' },
});

export const assetModelEntity = defineEntity({
  table: assetModels,
  entityType: 'asset_model',
  path: 'asset-models',
  labels: { singular: 'Asset model', plural: 'Asset models' },
  module: 'core_inventory',
  record: assetModelRecord,
  create: assetModelCreate,
  update: assetModelUpdate,
  toRecord: toAssetModelRecord,
  label: (row) => row.name,
  list: {
    sortable: { name: assetModels.name, category: assetModels.category, updatedAt: assetModels.updatedAt },
    defaultSort: 'name',
    searchable: [assetModels.name, assetModels.category],
    filters: {
      brandId: { type: 'uuid', column: assetModels.brandId },
      category: { type: 'text', column: assetModels.category },
    },
  },
  search: { title: assetModels.name, subtitle: assetModels.category },
  references: { brandId: 'brand' },
  features: referenceData,
  uniqueConstraints: { asset_models_brand_name_unique: 'name' },
  hooks: {
    async beforeCreate(ctx, input) {
      const errors: FieldError[] = [];
      await checkReference(ctx, brands, 'brandId', input.brandId, undefined, errors);
      if (errors.length > 0) throw validationFailed(errors);
      return input;
    },
    async beforeUpdate(ctx, current, input) {
      const errors: FieldError[] = [];
      await checkReference(ctx, brands, 'brandId', input.brandId, current.brandId, errors);
      if (errors.length > 0) throw validationFailed(errors);
      return input;
    },
  },
});

/**
 * Where an asset may go from each status by an edit. `in_use` is entered by checking the asset out
 * (which names its holder) and left by checking it in; disposed and sold come only from a disposal
 * record (disposals.entity.ts) and are final.
 */
export const STATUS_TRANSITIONS: Record<AssetStatus, readonly AssetStatus[]> = {
  in_stock: ['in_repair', 'awaiting_disposal'],
  in_use: [],
  in_repair: ['in_stock', 'awaiting_disposal'],
  awaiting_disposal: ['in_stock', 'in_repair'],
  disposed: [],
  sold: [],
};
const CREATABLE_STATUSES: readonly AssetStatus[] = ['in_stock', 'in_repair', 'awaiting_disposal'];
export const STATUS_LABEL: Record<AssetStatus, string> = {
  in_stock: 'in stock',
  in_use: 'in use',
  in_repair: 'in repair',
  awaiting_disposal: 'awaiting disposal',
  disposed: 'disposed',
  sold: 'sold',
};

/** Why an edit may not move an item (an asset, a peripheral) from `from` to `to`, if it may not. */
export function statusError(
  from: AssetStatus | undefined,
  to: AssetStatus,
  noun: 'asset' | 'peripheral' = 'asset',
): string | undefined {
  const article = noun === 'asset' ? 'an' : 'a';
  if (from === to) return undefined;
  if (to === 'in_use') return `${article} ${noun} is put in use by checking it out`;
  if (to === 'disposed' || to === 'sold')
    return `${article} ${noun} is disposed of or sold by recording its disposal`;
  if (from === undefined) {
    return CREATABLE_STATUSES.includes(to)
      ? undefined
      : `a new ${noun} starts ${CREATABLE_STATUSES.map((s) => STATUS_LABEL[s]).join(', ')}`;
  }
  if (from === 'in_use') return `check the ${noun} in before changing its status`;
  if (STATUS_TRANSITIONS[from].includes(to)) return undefined;
  if (STATUS_TRANSITIONS[from].length === 0) return `a ${STATUS_LABEL[from]} ${noun} keeps its status`;
  return `${article} ${noun} ${STATUS_LABEL[from]} can become ${STATUS_TRANSITIONS[from].map((s) => STATUS_LABEL[s]).join(', ')}`;
}

async function validateAsset(ctx: ServiceContext, input: AssetInput, current: Asset | undefined) {
  const errors: FieldError[] = [];
  if (input.status !== undefined) {
    const problem = statusError(current?.status, input.status);
    if (problem) errors.push({ path: 'status', message: problem });
  }
  await checkReference(ctx, assetModels, 'modelId', input.modelId, current?.modelId, errors);
  await checkReference(ctx, locations, 'locationId', input.locationId, current?.locationId, errors);
  const cost = input.cost !== undefined ? input.cost : (current?.cost ?? null);
  const currency = input.currency !== undefined ? input.currency : (current?.currency ?? null);
  const salvage = input.salvageValue !== undefined ? input.salvageValue : (current?.salvageValue ?? null);
  if (cost !== null && currency === null)
    errors.push({ path: 'currency', message: 'is required with a cost' });
  if (salvage !== null && cost !== null && Number(salvage) > Number(cost)) {
    errors.push({ path: 'salvageValue', message: 'cannot exceed the cost' });
  }
  if (errors.length > 0) throw validationFailed(errors);
  return input;
}

export const assetEntity = defineEntity({
  table: assets,
  entityType: 'asset',
  path: 'assets',
  labels: { singular: 'Asset', plural: 'Assets' },
  module: 'core_inventory',
  record: assetRecord,
  create: assetCreate,
  update: assetUpdate,
  toRecord: toAssetRecord,
  // warrantyEnd as `warrantyEnd()` computes it: PostgreSQL's month arithmetic also clamps to the month's end.
  sqlRecord: {
    computed: {
      warrantyEnd: sql`to_char(${assets.purchaseDate} + make_interval(months => ${assets.warrantyMonths}), 'YYYY-MM-DD')`,
    },
  },
  label: (row) => `${row.assetTag} ${row.name}`,
  list: {
    sortable: {
      name: assets.name,
      assetTag: assets.assetTag,
      status: assets.status,
      category: assets.category,
      purchaseDate: assets.purchaseDate,
      cost: assets.cost,
      updatedAt: assets.updatedAt,
    },
    defaultSort: 'name',
    searchable: [assets.name, assets.assetTag, assets.serialNumber, assets.category],
    searchColumn: assets.searchText,
    filters: {
      status: { type: 'enum', column: assets.status, values: ASSET_STATUSES },
      locationId: { type: 'uuid', column: assets.locationId },
      modelId: { type: 'uuid', column: assets.modelId },
      holderId: { type: 'uuid', column: assets.holderId },
      category: { type: 'text', column: assets.category },
      critical: { type: 'boolean', column: assets.critical },
      purchaseDate: { type: 'date', column: assets.purchaseDate },
    },
  },
  search: { title: assets.name, subtitle: assets.assetTag },
  references: { modelId: 'asset_model', locationId: 'location', holderId: 'user' },
  features: {
    archivable: true,
    customFields: true,
    linkable: true,
    tagged: true,
    attachments: true,
    hardDelete: false,
  },
  uniqueConstraints: { assets_tag_unique: 'assetTag', assets_serial_unique: 'serialNumber' },
  // GET /assets/:id/history is the asset's timeline (item-history.routes.ts).
  ownHistoryRoute: true,
  hooks: {
    afterWrite: (ctx, before, after) => recordAssetHistory(ctx, before, after),
    beforeCreate: (ctx, input) => validateAsset(ctx, input as AssetInput, undefined),
    beforeUpdate: (ctx, current, input) => validateAsset(ctx, input as AssetInput, current),
    async beforeArchive(_ctx, current) {
      if (current.status === 'in_use')
        throw validationFailed([{ path: 'status', message: 'check the asset in before archiving it' }]);
    },
  },
});
