import { z } from 'zod';
import {
  amount,
  currencyCode,
  customFieldsInput,
  isoDate,
  nullableOptional as optional,
  optionalText,
  plainString,
  shortText,
} from '../../platform/http/schemas';
import { isTimeZone } from '../../platform/organization/organization.service';
import { ASSET_STATUSES, type Asset, type AssetModel, type Brand, type Location } from './assets.table';

/** The columns every archivable record of this domain answers with. */
export const bookkeeping = {
  id: z.uuid(),
  isArchived: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};
export const stamps = (row: {
  id: string;
  isArchived: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}) => ({
  id: row.id,
  isArchived: row.isArchived,
  version: row.version,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

// ─── Locations ───
export const locationRecord = z
  .object({
    ...bookkeeping,
    name: z.string(),
    address: z.string().nullable(),
    city: z.string().nullable(),
    postcode: z.string().nullable(),
    country: z.string().nullable(),
    timeZone: z.string().nullable(),
    phone: z.string().nullable(),
    receptionEmail: z.string().nullable(),
  })
  .meta({ id: 'Location' });

export function toLocationRecord(row: Location): z.input<typeof locationRecord> {
  const { createdBy: _c, updatedBy: _u, ...rest } = row;
  return { ...rest, ...stamps(row) };
}

const locationFields = {
  address: optionalText(300),
  city: optionalText(100),
  postcode: optionalText(20),
  country: optional(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166 country code, e.g. ES'),
  ),
  timeZone: optional(
    plainString().trim().max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Madrid'),
  ),
  phone: optionalText(50),
  receptionEmail: optional(z.email('must be an e-mail address').max(254)),
};
export const locationCreate = z
  .strictObject({ name: shortText(150), ...locationFields })
  .meta({ id: 'LocationCreate' });
export const locationUpdate = z
  .strictObject({ name: shortText(150).optional(), ...locationFields })
  .meta({ id: 'LocationUpdate' });

// ─── Brands ───
export const brandRecord = z.object({ ...bookkeeping, name: z.string() }).meta({ id: 'Brand' });
export const toBrandRecord = (row: Brand): z.input<typeof brandRecord> => ({
  name: row.name,
  ...stamps(row),
});
export const brandCreate = z.strictObject({ name: shortText(100) }).meta({ id: 'BrandCreate' });
export const brandUpdate = z.strictObject({ name: shortText(100).optional() }).meta({ id: 'BrandUpdate' });

// ─── Asset models ───
export const assetModelRecord = z
  .object({
    ...bookkeeping,
    brandId: z.uuid(),
    name: z.string(),
    category: z.string().nullable(),
    notes: z.string().nullable(),
  })
  .meta({ id: 'AssetModel' });
export function toAssetModelRecord(row: AssetModel): z.input<typeof assetModelRecord> {
  return { brandId: row.brandId, name: row.name, category: row.category, notes: row.notes, ...stamps(row) };
}
export const assetModelCreate = z
  .strictObject({
    brandId: z.uuid(),
    name: shortText(150),
    category: optionalText(100),
    notes: optionalText(5000),
  })
  .meta({ id: 'AssetModelCreate' });
export const assetModelUpdate = z
  .strictObject({
    brandId: z.uuid().optional(),
    name: shortText(150).optional(),
    category: optionalText(100),
    notes: optionalText(5000),
  })
  .meta({ id: 'AssetModelUpdate' });

// ─── Assets ───
/** The warranty ends `months` after the purchase date (same day of month, clamped to its end). */
export function warrantyEnd(purchaseDate: string | null, months: number | null): string | null {
  if (!purchaseDate || months === null) return null;
  const [year, month, day] = purchaseDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

export const assetRecord = z
  .object({
    ...bookkeeping,
    name: z.string(),
    assetTag: z.string(),
    serialNumber: z.string().nullable(),
    modelId: z.uuid().nullable(),
    category: z.string().nullable(),
    status: z.enum(ASSET_STATUSES),
    locationId: z.uuid().nullable(),
    /** Set by check-out, cleared by check-in. */
    holderId: z.uuid().nullable(),
    critical: z.boolean(),
    virtual: z.boolean(),
    purchaseDate: z.string().nullable(),
    cost: z.string().nullable(),
    currency: z.string().nullable(),
    warrantyMonths: z.number().int().nullable(),
    /** Derived: the purchase date plus the warranty months. */
    warrantyEnd: z.string().nullable(),
    expectedEndOfLife: z.string().nullable(),
    usefulLifeMonths: z.number().int().nullable(),
    salvageValue: z.string().nullable(),
    comments: z.string().nullable(),
    customFields: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Asset' });

export function toAssetRecord(row: Asset): z.input<typeof assetRecord> {
  const { createdBy: _c, updatedBy: _u, searchText: _s, ...rest } = row;
  return { ...rest, ...stamps(row), warrantyEnd: warrantyEnd(row.purchaseDate, row.warrantyMonths) };
}

const assetFields = {
  serialNumber: optionalText(100),
  modelId: optional(z.uuid()),
  category: optionalText(100),
  locationId: optional(z.uuid()),
  critical: z.boolean().optional(),
  virtual: z.boolean().optional(),
  purchaseDate: optional(isoDate),
  cost: optional(amount),
  currency: optional(currencyCode),
  warrantyMonths: optional(z.number().int().min(0).max(600)),
  expectedEndOfLife: optional(isoDate),
  usefulLifeMonths: optional(z.number().int().min(1).max(600)),
  salvageValue: optional(amount),
  comments: optionalText(10_000),
  customFields: customFieldsInput.optional(),
};
/** `in_use` comes only from a check-out, which also names the holder. */
const settableStatus = z.enum(ASSET_STATUSES);
export const assetCreate = z
  .strictObject({
    name: shortText(200),
    assetTag: shortText(64),
    status: settableStatus.optional(),
    ...assetFields,
  })
  .meta({ id: 'AssetCreate' });
export const assetUpdate = z
  .strictObject({
    name: shortText(200).optional(),
    assetTag: shortText(64).optional(),
    status: settableStatus.optional(),
    ...assetFields,
  })
  .meta({ id: 'AssetUpdate' });
export type AssetInput = z.output<typeof assetUpdate>;
