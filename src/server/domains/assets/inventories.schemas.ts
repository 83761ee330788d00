import { z } from 'zod';
import { optionalText, plainString, shortText } from '../../platform/http/schemas';
import {
  type AssetInventory,
  INVENTORY_RESULTS,
  INVENTORY_STATUSES,
  type InventorySummary,
} from './inventories.table';

export const inventorySummary = z
  .object({
    expected: z.number().int(),
    verified: z.number().int(),
    missing: z.number().int(),
    damaged: z.number().int(),
    foundUnexpected: z.number().int(),
    unchecked: z.number().int(),
  })
  .meta({ id: 'InventorySummary' });

export const inventoryRecord = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    name: z.string(),
    /** Null: every location. */
    locationId: z.uuid().nullable(),
    status: z.enum(INVENTORY_STATUSES),
    notes: z.string().nullable(),
    closedAt: z.string().nullable(),
    closedBy: z.uuid().nullable(),
    /** The discrepancy summary, frozen when the campaign closed. */
    summary: inventorySummary.nullable(),
  })
  .meta({ id: 'AssetInventory' });

export function toInventoryRecord(row: AssetInventory): z.input<typeof inventoryRecord> {
  return {
    id: row.id,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    name: row.name,
    locationId: row.locationId,
    status: row.status,
    notes: row.notes,
    closedAt: row.closedAt?.toISOString() ?? null,
    closedBy: row.closedBy,
    summary: (row.summary as InventorySummary | null) ?? null,
  };
}

export const inventoryCreate = z
  .strictObject({
    name: shortText(200),
    locationId: z.uuid().nullable().optional(),
    notes: optionalText(5000),
  })
  .meta({ id: 'AssetInventoryCreate' });
/** Where a campaign looks cannot change once its expected items are listed. */
export const inventoryUpdate = z
  .strictObject({ name: shortText(200).optional(), notes: optionalText(5000) })
  .meta({ id: 'AssetInventoryUpdate' });

/** What a person may record for an item; `found_unexpected` is the scanner's finding, not a choice. */
export const MARKABLE_RESULTS = ['pending', 'verified', 'missing', 'damaged'] as const;

export const scanBody = z
  .strictObject({
    /** The asset tag as typed or scanned (case does not matter). */
    assetTag: plainString().trim().min(1, 'type or scan an asset tag').max(64),
    result: z.enum(['verified', 'damaged']).default('verified'),
    notes: optionalText(2000),
  })
  .meta({ id: 'InventoryScan' });

export const markBody = z
  .strictObject({ result: z.enum(MARKABLE_RESULTS), notes: optionalText(2000) })
  .meta({ id: 'InventoryMark' });

export const closeBody = z
  .strictObject({
    /** Tag every asset found missing "Missing", so the inventory lists can find them. */
    flagMissing: z.boolean().default(false),
    version: z.number().int().min(1).optional(),
  })
  .meta({ id: 'InventoryClose' });

export const inventoryItemRecord = z
  .object({
    id: z.uuid(),
    assetId: z.uuid(),
    assetTag: z.string(),
    assetName: z.string(),
    /** Where the asset was expected when the campaign started. */
    expectedLocationId: z.uuid().nullable(),
    expected: z.boolean(),
    result: z.enum(INVENTORY_RESULTS),
    checkedAt: z.string().nullable(),
    checkedBy: z.uuid().nullable(),
    checkedByName: z.string().nullable(),
    notes: z.string().nullable(),
  })
  .meta({ id: 'InventoryItem' });

export const inventoryProgress = z
  .object({
    expected: z.number().int(),
    pending: z.number().int(),
    verified: z.number().int(),
    missing: z.number().int(),
    damaged: z.number().int(),
    foundUnexpected: z.number().int(),
  })
  .meta({ id: 'InventoryProgress' });
export type InventoryProgress = z.infer<typeof inventoryProgress>;
