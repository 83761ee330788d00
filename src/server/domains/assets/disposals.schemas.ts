import { z } from 'zod';
import {
  amount,
  currencyCode,
  isoDate,
  nullableOptional as optional,
  optionalText,
  plainString,
} from '../../platform/http/schemas';
import { DISPOSAL_METHODS, type Disposal, type DisposalMethod } from './disposals.table';

export const DISPOSAL_METHOD_LABEL: Record<DisposalMethod, string> = {
  recycled: 'Recycled',
  sold: 'Sold',
  donated: 'Donated',
  returned_to_vendor: 'Returned to vendor',
  destroyed: 'Destroyed',
  other: 'Disposed',
};

/** How a disposal is named on screens and in the audit log: "Recycled on 2025-03-01". */
export const disposalTitle = (row: Pick<Disposal, 'method' | 'disposedOn'>): string =>
  `${DISPOSAL_METHOD_LABEL[row.method] ?? row.method} on ${row.disposedOn}`;

export const REASON_MAX = 2000;

export const disposalRecord = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** Derived from the method and the date. */
    title: z.string(),
    assetId: z.uuid().nullable(),
    peripheralId: z.uuid().nullable(),
    disposedOn: z.string(),
    method: z.enum(DISPOSAL_METHODS),
    wipeMethod: z.string().nullable(),
    partner: z.string().nullable(),
    proceeds: z.string().nullable(),
    currency: z.string().nullable(),
    notes: z.string().nullable(),
  })
  .meta({ id: 'Disposal' });

export function toDisposalRecord(row: Disposal): z.input<typeof disposalRecord> {
  return {
    id: row.id,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    title: disposalTitle(row),
    assetId: row.assetId,
    peripheralId: row.peripheralId,
    disposedOn: row.disposedOn,
    method: row.method,
    wipeMethod: row.wipeMethod,
    partner: row.partner,
    proceeds: row.proceeds,
    currency: row.currency,
    notes: row.notes,
  };
}

const fields = {
  /** e.g. NIST 800-88 purge, degauss, shredding; the certificate is attached to the record. */
  wipeMethod: optionalText(200),
  partner: optionalText(200),
  proceeds: optional(amount),
  currency: optional(currencyCode),
  notes: optionalText(10_000),
};

export const disposalCreate = z
  .strictObject({
    /** Exactly one of assetId and peripheralId; the item cannot change afterwards. */
    assetId: optional(z.uuid()),
    peripheralId: optional(z.uuid()),
    disposedOn: isoDate,
    method: z.enum(DISPOSAL_METHODS),
    ...fields,
  })
  .meta({ id: 'DisposalCreate' });

export const disposalUpdate = z
  .strictObject({
    disposedOn: isoDate.optional(),
    method: z.enum(DISPOSAL_METHODS).optional(),
    ...fields,
    /** Required (422 when missing): why the record is changed, kept with the change. */
    reason: plainString().trim().max(REASON_MAX).optional().meta({
      writeOnly: true,
      description: 'Why the record is changed; kept with the change (GET …/{id}/edits).',
    }),
  })
  .meta({ id: 'DisposalUpdate' });

export type DisposalCreateInput = z.output<typeof disposalCreate>;
export type DisposalUpdateInput = z.output<typeof disposalUpdate>;

export const disposalEditRecord = z
  .object({
    id: z.uuid(),
    reason: z.string(),
    /** `{field: {old, new}}` of the edit. */
    changes: z.record(z.string(), z.object({ old: z.unknown(), new: z.unknown() })),
    changedAt: z.string(),
    changedBy: z.uuid().nullable(),
  })
  .meta({ id: 'DisposalEdit' });
