import { z } from 'zod';
import {
  amount,
  currencyCode,
  isoDate,
  nullableOptional as optional,
  optionalText,
  plainString,
  shortText,
} from '../../platform/http/schemas';
import { bookkeeping, stamps } from './assets.schemas';
import type { License, Software } from './software.table';

// ─── Software ───
export const softwareRecord = z
  .object({
    ...bookkeeping,
    name: z.string(),
    publisher: z.string().nullable(),
    category: z.string().nullable(),
    /** The person, or else the group, who answers for it. */
    ownerUserId: z.uuid().nullable(),
    ownerGroupId: z.uuid().nullable(),
    description: z.string().nullable(),
  })
  .meta({ id: 'Software' });

export function toSoftwareRecord(row: Software): z.input<typeof softwareRecord> {
  const { createdBy: _c, updatedBy: _u, ...rest } = row;
  return { ...rest, ...stamps(row) };
}

const softwareFields = {
  publisher: optionalText(200),
  category: optionalText(100),
  ownerUserId: optional(z.uuid()),
  ownerGroupId: optional(z.uuid()),
  description: optionalText(10_000),
};
export const softwareCreate = z
  .strictObject({ name: shortText(200), ...softwareFields })
  .meta({ id: 'SoftwareCreate' });
export const softwareUpdate = z
  .strictObject({ name: shortText(200).optional(), ...softwareFields })
  .meta({ id: 'SoftwareUpdate' });
export type SoftwareInput = z.output<typeof softwareUpdate>;

// ─── Licences ───
/**
 * Derived, never stored: `expired` once the expiry date has passed, else `in_use` while at least
 * one seat is assigned, else `available`. Whether seats are left is `seatsAvailable`.
 */
export const LICENSE_STATUSES = ['available', 'in_use', 'expired'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];
export const MAX_SEATS = 100_000;

export const licenseRecord = z
  .object({
    ...bookkeeping,
    softwareId: z.uuid(),
    name: z.string(),
    /** Whether a key is stored; the key itself only comes from `POST /licenses/{id}/reveal-key`. */
    hasKey: z.boolean(),
    seats: z.number().int(),
    seatsUsed: z.number().int(),
    seatsAvailable: z.number().int(),
    status: z.enum(LICENSE_STATUSES),
    purchaseDate: z.string().nullable(),
    expiryDate: z.string().nullable(),
    cost: z.string().nullable(),
    currency: z.string().nullable(),
    comments: z.string().nullable(),
  })
  .meta({ id: 'License' });

/** The values the registry computes with each licence row (see `derived` in software.entity.ts). */
export interface LicenseDerived {
  seatsUsed: number;
  status: LicenseStatus;
}

export function toLicenseRecord(row: License & Partial<LicenseDerived>): z.input<typeof licenseRecord> {
  const seatsUsed = row.seatsUsed ?? 0;
  return {
    ...stamps(row),
    softwareId: row.softwareId,
    name: row.name,
    hasKey: row.keyCiphertext !== null,
    seats: row.seats,
    seatsUsed,
    seatsAvailable: Math.max(0, row.seats - seatsUsed),
    // Only a version conflict's `current` comes without the derived values: judged from the row.
    status: row.status ?? (row.expiryDate && row.expiryDate < today() ? 'expired' : 'available'),
    purchaseDate: row.purchaseDate,
    expiryDate: row.expiryDate,
    cost: row.cost,
    currency: row.currency,
    comments: row.comments,
  };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The licence key: accepted on create and update (null removes it), never answered. `writeOnly`
 * tells the OpenAPI document and the generic form that it is a secret.
 */
const licenseKey = optional(plainString().trim().min(1).max(4000)).meta({
  writeOnly: true,
  format: 'password',
  description: 'The licence key; stored encrypted, never returned (see reveal-key). null removes it.',
});

const licenseFields = {
  seats: z.number().int().min(1).max(MAX_SEATS).optional(),
  purchaseDate: optional(isoDate),
  expiryDate: optional(isoDate),
  cost: optional(amount),
  currency: optional(currencyCode),
  comments: optionalText(10_000),
  key: licenseKey,
};
export const licenseCreate = z
  .strictObject({ softwareId: z.uuid(), name: shortText(200), ...licenseFields })
  .meta({ id: 'LicenseCreate' });
export const licenseUpdate = z
  .strictObject({ softwareId: z.uuid().optional(), name: shortText(200).optional(), ...licenseFields })
  .meta({ id: 'LicenseUpdate' });
export type LicenseInput = z.output<typeof licenseUpdate>;

// ─── Seats ───
export const seatAssignmentRecord = z
  .object({
    id: z.uuid(),
    licenseId: z.uuid(),
    /** The person holding the seat, or else the asset it is installed on. */
    userId: z.uuid().nullable(),
    assetId: z.uuid().nullable(),
    /** The person's name, or the asset's tag and name, for lists that show many. */
    holderName: z.string().nullable(),
    assignedAt: z.string(),
    assignedBy: z.uuid().nullable(),
    releasedAt: z.string().nullable(),
    releasedBy: z.uuid().nullable(),
    notes: z.string().nullable(),
  })
  .meta({ id: 'LicenseSeatAssignment' });

export const seatAssignBody = z
  .strictObject({ userId: z.uuid().optional(), assetId: z.uuid().optional(), notes: optionalText(2000) })
  .meta({ id: 'LicenseSeatAssign', description: 'Give exactly one of `userId` and `assetId`.' });
export const seatReleaseBody = z
  .strictObject({ notes: optionalText(2000) })
  .meta({ id: 'LicenseSeatRelease' });

export const seatListQuery = z.strictObject({
  state: z.enum(['open', 'released', 'all']).default('all'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});

/** A seat a person holds, with what it is a seat of: the custody statement's licence lines. */
export const heldSeatRecord = z
  .object({
    assignmentId: z.uuid(),
    licenseId: z.uuid(),
    licenseName: z.string(),
    softwareId: z.uuid(),
    softwareName: z.string(),
    expiryDate: z.string().nullable(),
    assignedAt: z.string(),
    notes: z.string().nullable(),
  })
  .meta({ id: 'HeldLicenseSeat' });
