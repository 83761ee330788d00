import { recordFieldChangesMany } from '../../platform/history/history';
import {
  defineImportAdapter,
  type ImportAdapter,
  type ImportReference,
  type ReferenceTarget,
} from '../../platform/imports/adapter';
import { groupEntity } from '../people/groups.entity';
import { groups } from '../people/groups.table';
import { userEntity } from '../people/users.entity';
import { users } from '../people/users.table';
import { assetEntity, assetModelEntity, brandEntity, locationEntity } from './assets.entity';
import { assetModels, brands, locations } from './assets.table';
import {
  ASSET_HISTORY_FIELDS,
  assetHistoryAudit,
  PERIPHERAL_HISTORY_FIELDS,
  peripheralHistoryAudit,
} from './item-history';
import { peripheralEntity } from './peripherals.entity';
import { licenseEntity, softwareEntity } from './software.entity';
import { software } from './software.table';

/**
 * How the inventory comes in from CSV (locations, asset models, assets, peripherals, software,
 * licences): the keys a re-import matches on, the columns that name other records, and the names
 * people give columns in their own spreadsheets.
 */

const brandTarget: ReferenceTarget = { entity: brandEntity, nameColumn: brands.name };
const locationTarget: ReferenceTarget = { entity: locationEntity, nameColumn: locations.name };

const locationReference: ImportReference = {
  field: 'locationId',
  target: locationTarget,
  headers: ['location name', 'site', 'office'],
  create: (name) => ({ name }),
  // The asset hooks only check that a location exists and is not archived.
  checkedInBulk: true,
};

export const locationImport = defineImportAdapter({
  entity: locationEntity,
  keys: [['name']],
  aliases: {
    location: 'name',
    'location name': 'name',
    'zip code': 'postcode',
    'postal code': 'postcode',
    zip: 'postcode',
    tz: 'timeZone',
    email: 'receptionEmail',
    'e-mail': 'receptionEmail',
    telephone: 'phone',
  },
});

export const assetModelImport = defineImportAdapter({
  entity: assetModelEntity,
  // Model names are unique within their brand.
  keys: [['brandId', 'name']],
  references: [
    {
      field: 'brandId',
      target: brandTarget,
      headers: ['brand name', 'manufacturer', 'make'],
      create: (name) => ({ name }),
      checkedInBulk: true,
    },
  ],
  aliases: { model: 'name', 'model name': 'name' },
});

/** An asset names its model's brand only to find (or create) the model: a helper column. */
const assetBrandHelper: ImportReference = {
  field: 'brand',
  helper: { label: 'Brand' },
  target: brandTarget,
  headers: ['brand name', 'manufacturer', 'make'],
  create: (name) => ({ name }),
};

const assetModelReference: ImportReference = {
  field: 'modelId',
  target: { entity: assetModelEntity, nameColumn: assetModels.name },
  headers: ['asset model', 'model name'],
  within: { reference: 'brand', column: assetModels.brandId },
  create: (name, brandId) =>
    brandId ? { brandId, name } : 'creating it needs its brand: add a Brand column',
  checkedInBulk: true,
};

/**
 * The holder, by e-mail (or id, as the export writes it): checked, never set, since only a
 * check-out gives an asset a holder. The export's `holderId` column therefore re-imports as is.
 */
const assetHolderHelper: ImportReference = {
  field: 'holderEmail',
  helper: { label: 'Holder e-mail' },
  target: { entity: userEntity, nameColumn: users.email, nameIs: 'e-mail' },
  headers: ['holderId', 'holder', 'holder email', 'assigned to'],
};

/**
 * The `afterWrite` of assets and peripherals (`recordAssetHistory`, `recordPeripheralHistory` in
 * item-history.ts) for a whole import: the same history rows (a test compares them), written in a
 * few statements instead of two per changed field. Like them, a creation records nothing (the
 * timeline shows it from the item's `created_at`).
 */
function recordHistoryMany(
  audit: typeof assetHistoryAudit,
  fields: readonly string[],
): ImportAdapter['afterWriteMany'] {
  return async (ctx, writes) => {
    await recordFieldChangesMany(
      ctx,
      audit,
      writes.flatMap(({ before, after }) => (before ? [{ entityId: after.id, before, after, fields }] : [])),
    );
  };
}

export const assetImport = defineImportAdapter({
  entity: assetEntity,
  // The tag is the human key; a row without one finds its asset by serial number.
  keys: [['assetTag'], ['serialNumber']],
  unique: ['assetTag', 'serialNumber'],
  amounts: ['cost', 'salvageValue'],
  references: [locationReference, assetBrandHelper, assetModelReference, assetHolderHelper],
  aliases: {
    tag: 'assetTag',
    'asset tag number': 'assetTag',
    serial: 'serialNumber',
    'serial no': 'serialNumber',
    's/n': 'serialNumber',
    price: 'cost',
    'purchase price': 'cost',
    purchased: 'purchaseDate',
    'warranty (months)': 'warrantyMonths',
    notes: 'comments',
  },
  rules({ current, references }) {
    if (!('holderEmail' in references) || references.holderEmail === (current?.holderId ?? null)) return [];
    return [{ path: 'holderEmail', message: 'the holder changes only by checking the asset out or in' }];
  },
  afterWriteMany: recordHistoryMany(assetHistoryAudit, ASSET_HISTORY_FIELDS),
});

/**
 * Peripherals have no tag: a row finds its peripheral by serial number (or by the export's id).
 * Where they are mounted or who holds them is custody's, so those export columns are left alone.
 */
export const peripheralImport = defineImportAdapter({
  entity: peripheralEntity,
  keys: [['serialNumber']],
  unique: ['serialNumber'],
  amounts: ['cost'],
  references: [
    {
      field: 'brandId',
      target: brandTarget,
      headers: ['brand name', 'manufacturer', 'make'],
      create: (name) => ({ name }),
      checkedInBulk: true,
    },
    {
      ...assetModelReference,
      within: { reference: 'brandId', column: assetModels.brandId },
    },
    locationReference,
  ],
  aliases: { serial: 'serialNumber', 's/n': 'serialNumber', kind: 'type', notes: 'comments' },
  afterWriteMany: recordHistoryMany(peripheralHistoryAudit, PERIPHERAL_HISTORY_FIELDS),
});

export const softwareImport = defineImportAdapter({
  entity: softwareEntity,
  keys: [['name']],
  unique: ['name'],
  references: [
    // Not checked in bulk: the hook also needs them for its "a person or a group, not both" rule.
    {
      field: 'ownerUserId',
      target: { entity: userEntity, nameColumn: users.email, nameIs: 'e-mail' },
      headers: ['owner', 'owner email', 'ownerEmail'],
    },
    {
      field: 'ownerGroupId',
      target: { entity: groupEntity, nameColumn: groups.name },
      headers: ['owner group', 'group'],
    },
  ],
  aliases: { vendor: 'publisher', manufacturer: 'publisher', product: 'name' },
});

export const licenseImport = defineImportAdapter({
  entity: licenseEntity,
  // Lowering seats is checked against the seats in use, which assigning one changes.
  recheckWhenLocked: true,
  // Licence names repeat across products: a licence is its software's and its name.
  keys: [['softwareId', 'name']],
  amounts: ['cost'],
  references: [
    {
      field: 'softwareId',
      target: { entity: softwareEntity, nameColumn: software.name },
      headers: ['software name', 'product'],
      create: (name) => ({ name }),
      checkedInBulk: true,
    },
  ],
  aliases: {
    'licence key': 'key',
    'license key': 'key',
    expiry: 'expiryDate',
    expires: 'expiryDate',
    notes: 'comments',
  },
});
