import { z } from 'zod';
import { MAX_PAGE_SIZE } from '../../platform/entities/list-query';
import { isoDate } from '../../platform/http/schemas';

/** Contracts of the inventory reports (reports.routes.ts): their parameters and their rows. */

const paging = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
};
/** Omitted: today in the organisation's time zone. */
const asOf = isoDate.optional();
const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((value) => value === 'true');

export const overdueQuery = z.strictObject({ ...paging, asOf });
const window = { ...paging, asOf, days: z.coerce.number().int().min(0).max(3650).default(30) };
export const warrantyQuery = z.strictObject({ ...window, includeExpired: flag });
export const endOfLifeQuery = z.strictObject({ ...window, includeOverdue: flag });
export const depreciationQuery = z.strictObject({ ...paging, asOf });
export const treeQuery = z.strictObject({ ...paging });
export const treeAssetsQuery = z.strictObject({
  ...paging,
  /** A location's id, or `none` for the assets without one. */
  locationId: z.union([z.uuid(), z.literal('none')]),
});
export const treePeripheralsQuery = z.strictObject({ ...paging, assetId: z.uuid() });

const itemType = z.enum(['asset', 'peripheral']);

export const overdueRow = z
  .object({
    itemType,
    itemId: z.uuid(),
    itemName: z.string(),
    /** The asset tag of an asset, the serial number of a peripheral. */
    itemCode: z.string().nullable(),
    assignmentId: z.uuid(),
    userId: z.uuid().nullable(),
    userName: z.string().nullable(),
    locationId: z.uuid().nullable(),
    locationName: z.string().nullable(),
    /** The asset a peripheral went out with (mounted on). */
    assetId: z.uuid().nullable(),
    assetName: z.string().nullable(),
    checkedOutAt: z.string(),
    expectedReturnDate: z.string(),
    daysOverdue: z.number().int(),
  })
  .meta({ id: 'OverdueReturn' });

export const warrantyRow = z
  .object({
    itemType,
    itemId: z.uuid(),
    itemName: z.string(),
    itemCode: z.string().nullable(),
    status: z.string(),
    locationId: z.uuid().nullable(),
    locationName: z.string().nullable(),
    purchaseDate: z.string(),
    warrantyMonths: z.number().int(),
    warrantyEnd: z.string(),
    /** Negative once the warranty has ended. */
    daysLeft: z.number().int(),
  })
  .meta({ id: 'WarrantyExpiry' });

export const endOfLifeRow = z
  .object({
    assetId: z.uuid(),
    name: z.string(),
    assetTag: z.string(),
    status: z.string(),
    expectedEndOfLife: z.string(),
    daysLeft: z.number().int(),
    locationId: z.uuid().nullable(),
    locationName: z.string().nullable(),
    holderId: z.uuid().nullable(),
    holderName: z.string().nullable(),
  })
  .meta({ id: 'EndOfLifeDue' });

const money = z.string().describe('A decimal amount with two decimals, e.g. "1234.50"');

export const depreciationRow = z
  .object({
    assetId: z.uuid(),
    assetTag: z.string(),
    name: z.string(),
    category: z.string().nullable(),
    locationId: z.uuid().nullable(),
    locationName: z.string().nullable(),
    purchaseDate: z.string(),
    currency: z.string(),
    cost: money,
    salvageValue: money,
    usefulLifeMonths: z.number().int(),
    /** Whole months elapsed from the purchase date to the as-of date, at most the useful life. */
    monthsElapsed: z.number().int(),
    /** The purchase date plus the useful life: from then on, the book value is the salvage value. */
    depreciationEnd: z.string(),
    accumulatedDepreciation: money,
    bookValue: money,
    fullyDepreciated: z.boolean(),
  })
  .meta({ id: 'AssetDepreciation' });

const total = {
  currency: z.string(),
  count: z.number().int(),
  cost: money,
  accumulatedDepreciation: money,
  bookValue: money,
};
export const depreciationTotals = z
  .object({
    byCurrency: z.array(z.object(total)),
    byCategory: z.array(z.object({ category: z.string().nullable(), ...total })),
    byLocation: z.array(
      z.object({ locationId: z.uuid().nullable(), locationName: z.string().nullable(), ...total }),
    ),
    notDepreciable: z.number().int(),
  })
  .meta({ id: 'DepreciationTotals' });

export const treeLocation = z
  .object({
    id: z.uuid(),
    name: z.string(),
    city: z.string().nullable(),
    isArchived: z.boolean(),
    assetCount: z.number().int(),
  })
  .meta({ id: 'AssetTreeLocation' });
export const treeAsset = z
  .object({
    id: z.uuid(),
    name: z.string(),
    assetTag: z.string(),
    status: z.string(),
    holderId: z.uuid().nullable(),
    holderName: z.string().nullable(),
    peripheralCount: z.number().int(),
  })
  .meta({ id: 'AssetTreeAsset' });
export const treePeripheral = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: z.string(),
    serialNumber: z.string().nullable(),
    status: z.string(),
  })
  .meta({ id: 'AssetTreePeripheral' });

/** A page of report rows, as every list answers. */
export const reportPage = <T extends z.ZodType>(row: T) =>
  z.object({ data: z.array(row), page: z.number(), pageSize: z.number(), total: z.number() });
