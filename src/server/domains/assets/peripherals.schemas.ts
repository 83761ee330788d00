import { z } from 'zod';
import {
  amount,
  currencyCode,
  customFieldsInput,
  isoDate,
  nullableOptional as optional,
  optionalText,
  shortText,
} from '../../platform/http/schemas';
import { bookkeeping, stamps, warrantyEnd } from './assets.schemas';
import { ASSET_STATUSES } from './assets.table';
import type { Peripheral } from './peripherals.table';

export const peripheralRecord = z
  .object({
    ...bookkeeping,
    name: z.string(),
    type: z.string(),
    brandId: z.uuid().nullable(),
    modelId: z.uuid().nullable(),
    serialNumber: z.string().nullable(),
    status: z.enum(ASSET_STATUSES),
    /** The asset it is mounted on or was handed out with; set by check-out. */
    assetId: z.uuid().nullable(),
    /** Set by check-out, cleared by check-in. */
    holderId: z.uuid().nullable(),
    locationId: z.uuid().nullable(),
    purchaseDate: z.string().nullable(),
    cost: z.string().nullable(),
    currency: z.string().nullable(),
    warrantyMonths: z.number().int().nullable(),
    /** Derived: the purchase date plus the warranty months. */
    warrantyEnd: z.string().nullable(),
    comments: z.string().nullable(),
    customFields: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Peripheral' });

export function toPeripheralRecord(row: Peripheral): z.input<typeof peripheralRecord> {
  const { createdBy: _c, updatedBy: _u, searchText: _s, ...rest } = row;
  return { ...rest, ...stamps(row), warrantyEnd: warrantyEnd(row.purchaseDate, row.warrantyMonths) };
}

const peripheralFields = {
  brandId: optional(z.uuid()),
  modelId: optional(z.uuid()),
  serialNumber: optionalText(100),
  status: z.enum(ASSET_STATUSES).optional(),
  locationId: optional(z.uuid()),
  purchaseDate: optional(isoDate),
  cost: optional(amount),
  currency: optional(currencyCode),
  warrantyMonths: optional(z.number().int().min(0).max(600)),
  comments: optionalText(10_000),
  customFields: customFieldsInput.optional(),
};
export const peripheralCreate = z
  .strictObject({ name: shortText(200), type: shortText(100), ...peripheralFields })
  .meta({ id: 'PeripheralCreate' });
export const peripheralUpdate = z
  .strictObject({
    name: shortText(200).optional(),
    type: shortText(100).optional(),
    ...peripheralFields,
  })
  .meta({ id: 'PeripheralUpdate' });
export type PeripheralInput = z.output<typeof peripheralUpdate>;
