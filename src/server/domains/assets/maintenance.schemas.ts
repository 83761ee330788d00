import { z } from 'zod';
import {
  amount,
  currencyCode,
  isoDate,
  nullableOptional as optional,
  plainString,
} from '../../platform/http/schemas';
import { MAINTENANCE_STATUSES, type MaintenanceLog } from './maintenance.table';

/** What was done: a closed list, so logs can be filtered and counted by kind. */
export const MAINTENANCE_TYPES = ['repair', 'upgrade', 'inspection', 'cleaning', 'other'] as const;

/** A ticket in the service desk: a web address only (no javascript:, file: or other schemes). */
const ticketUrl = z
  .url({ protocol: /^https?$/, error: 'must be a web address starting with http:// or https://' })
  .max(2000);

export const maintenanceLogRecord = z
  .object({
    id: z.uuid(),
    isArchived: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    // The description comes first: the generic screens title a log by its first text field.
    description: z.string(),
    assetId: z.uuid().nullable(),
    peripheralId: z.uuid().nullable(),
    type: z.enum(MAINTENANCE_TYPES),
    eventDate: z.string(),
    status: z.enum(MAINTENANCE_STATUSES),
    assigneeId: z.uuid().nullable(),
    ticketUrl: z.string().nullable(),
    cost: z.string().nullable(),
    currency: z.string().nullable(),
  })
  .meta({ id: 'MaintenanceLog' });

export function toMaintenanceLogRecord(row: MaintenanceLog): z.input<typeof maintenanceLogRecord> {
  return {
    id: row.id,
    isArchived: row.isArchived,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    description: row.description ?? '',
    assetId: row.assetId,
    peripheralId: row.peripheralId,
    type: row.type as (typeof MAINTENANCE_TYPES)[number],
    eventDate: row.eventDate,
    status: row.status,
    assigneeId: row.assigneeId,
    ticketUrl: row.ticketUrl,
    cost: row.cost,
    currency: row.currency,
  };
}

const description = plainString().trim().min(1).max(5000);
const fields = {
  assigneeId: optional(z.uuid()),
  ticketUrl: optional(ticketUrl),
  cost: optional(amount),
  currency: optional(currencyCode),
};

export const maintenanceLogCreate = z
  .strictObject({
    description,
    /** Exactly one of assetId and peripheralId. */
    assetId: optional(z.uuid()),
    peripheralId: optional(z.uuid()),
    type: z.enum(MAINTENANCE_TYPES),
    eventDate: isoDate,
    status: z.enum(MAINTENANCE_STATUSES).optional(),
    ...fields,
  })
  .meta({ id: 'MaintenanceLogCreate' });

export const maintenanceLogUpdate = z
  .strictObject({
    description: description.optional(),
    assetId: optional(z.uuid()),
    peripheralId: optional(z.uuid()),
    type: z.enum(MAINTENANCE_TYPES).optional(),
    eventDate: isoDate.optional(),
    status: z.enum(MAINTENANCE_STATUSES).optional(),
    ...fields,
  })
  .meta({ id: 'MaintenanceLogUpdate' });
export type MaintenanceLogInput = z.output<typeof maintenanceLogUpdate>;
