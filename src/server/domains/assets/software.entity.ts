import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { checkReference } from '../../platform/entities/check-reference';
import { defineEntity } from '../../platform/entities/registry';
import type { ServiceContext } from '../../platform/http/context';
import { type FieldError, validationFailed } from '../../platform/http/problem';
import { groups } from '../people/groups.table';
import { users } from '../people/users.table';
import {
  LICENSE_STATUSES,
  type LicenseInput,
  licenseCreate,
  licenseRecord,
  licenseUpdate,
  type SoftwareInput,
  softwareCreate,
  softwareRecord,
  softwareUpdate,
  toLicenseRecord,
  toSoftwareRecord,
} from './software.schemas';
import { type License, licenseAssignments, licenses, type Software, software } from './software.table';

async function validateSoftware(ctx: ServiceContext, input: SoftwareInput, current: Software | undefined) {
  const errors: FieldError[] = [];
  const ownerUserId = input.ownerUserId !== undefined ? input.ownerUserId : (current?.ownerUserId ?? null);
  const ownerGroupId =
    input.ownerGroupId !== undefined ? input.ownerGroupId : (current?.ownerGroupId ?? null);
  if (ownerUserId && ownerGroupId)
    errors.push({ path: 'ownerGroupId', message: 'an owner is a person or a group, not both' });
  await checkReference(ctx, users, 'ownerUserId', input.ownerUserId, current?.ownerUserId, errors);
  await checkReference(ctx, groups, 'ownerGroupId', input.ownerGroupId, current?.ownerGroupId, errors);
  if (errors.length > 0) throw validationFailed(errors);
  return input;
}

export const softwareEntity = defineEntity({
  table: software,
  entityType: 'software',
  path: 'software',
  labels: { singular: 'Software', plural: 'Software' },
  module: 'core_inventory',
  record: softwareRecord,
  create: softwareCreate,
  update: softwareUpdate,
  toRecord: toSoftwareRecord,
  label: (row) => row.name,
  list: {
    sortable: {
      name: software.name,
      publisher: software.publisher,
      category: software.category,
      updatedAt: software.updatedAt,
    },
    defaultSort: 'name',
    searchable: [software.name, software.publisher, software.category],
    filters: {
      publisher: { type: 'text', column: software.publisher },
      category: { type: 'text', column: software.category },
      ownerUserId: { type: 'uuid', column: software.ownerUserId },
      ownerGroupId: { type: 'uuid', column: software.ownerGroupId },
    },
  },
  search: { title: software.name, subtitle: software.publisher },
  references: { ownerUserId: 'user', ownerGroupId: 'group' },
  features: {
    archivable: true,
    customFields: false,
    linkable: true,
    tagged: true,
    attachments: false,
    hardDelete: false,
  },
  uniqueConstraints: { software_name_unique: 'name' },
  hooks: {
    beforeCreate: (ctx, input) => validateSoftware(ctx, input, undefined),
    beforeUpdate: (ctx, current, input) => validateSoftware(ctx, input, current),
  },
});

/**
 * Seats of a licence assigned now (a correlated count over the open-assignments index). Spelled
 * out rather than built from column objects: Drizzle writes columns unqualified in the select list
 * of a one-table query, and an unqualified `id` inside this subquery would be the assignment's.
 */
const seatsUsed: SQL<number> =
  sql<number>`(select count(*)::int from license_assignments as seat where seat.license_id = licenses.id and seat.released_at is null)`.mapWith(
    Number,
  );
/** See LICENSE_STATUSES; computed by the database, so the record and the status filter agree. */
const licenseStatus: SQL<string> = sql<string>`(case when ${licenses.expiryDate} < current_date then 'expired' when ${seatsUsed} > 0 then 'in_use' else 'available' end)`;

/** Open seats of a licence, counted in the caller's transaction. */
export async function countSeatsInUse(ctx: ServiceContext, licenseId: string): Promise<number> {
  return ctx.db.$count(
    licenseAssignments,
    and(eq(licenseAssignments.licenseId, licenseId), isNull(licenseAssignments.releasedAt)),
  );
}

/** "1 seat is in use", "3 seats are in use". */
export function seatsInUse(count: number): string {
  return count === 1 ? '1 seat is in use' : `${count} seats are in use`;
}

/** The key as stored: sealed with the server's SecretBox; null removes it. */
function sealKey(ctx: ServiceContext, key: string | null, current: string | null): string | null {
  if (key === null) return null;
  if (!ctx.secretBox) throw new Error('Licence keys need a context that carries the SecretBox');
  // Sending the same key again is not a change (a fresh ciphertext would look like one).
  if (current && ctx.secretBox.decrypt(current) === key) return current;
  return ctx.secretBox.encrypt(key);
}

async function validateLicense(
  ctx: ServiceContext,
  input: LicenseInput,
  current: License | undefined,
): Promise<Record<string, unknown>> {
  const errors: FieldError[] = [];
  await checkReference(ctx, software, 'softwareId', input.softwareId, current?.softwareId, errors);
  const merged = <K extends keyof License & keyof LicenseInput>(field: K) =>
    input[field] !== undefined ? input[field] : (current?.[field] ?? null);
  const purchaseDate = merged('purchaseDate');
  const expiryDate = merged('expiryDate');
  if (purchaseDate && expiryDate && expiryDate < purchaseDate)
    errors.push({ path: 'expiryDate', message: 'cannot be before the purchase date' });
  if (merged('cost') !== null && merged('currency') === null)
    errors.push({ path: 'currency', message: 'is required with a cost' });
  if (current && input.seats !== undefined && input.seats < current.seats) {
    // The row is locked (updateEntity locks before its hooks), and assigning a seat locks it too,
    // so no seat can be taken between this count and the commit.
    const used = await countSeatsInUse(ctx, current.id);
    if (input.seats < used)
      errors.push({ path: 'seats', message: `${seatsInUse(used)}: release some before lowering it` });
  }
  if (errors.length > 0) throw validationFailed(errors);
  const { key, ...values } = input;
  if (key === undefined) return values;
  return { ...values, keyCiphertext: sealKey(ctx, key, current?.keyCiphertext ?? null) };
}

export const licenseEntity = defineEntity({
  table: licenses,
  entityType: 'license',
  path: 'licenses',
  labels: { singular: 'Licence', plural: 'Licences' },
  module: 'core_inventory',
  record: licenseRecord,
  create: licenseCreate,
  update: licenseUpdate,
  toRecord: toLicenseRecord,
  label: (row) => row.name,
  // The ciphertext is as secret as the key: audit diffs say only that it changed.
  secretFields: ['keyCiphertext'],
  derived: { seatsUsed, status: licenseStatus },
  list: {
    sortable: {
      name: licenses.name,
      seats: licenses.seats,
      purchaseDate: licenses.purchaseDate,
      expiryDate: licenses.expiryDate,
      cost: licenses.cost,
      updatedAt: licenses.updatedAt,
    },
    defaultSort: 'name',
    searchable: [licenses.name],
    filters: {
      softwareId: { type: 'uuid', column: licenses.softwareId },
      status: { type: 'enum', column: licenseStatus, values: LICENSE_STATUSES },
      expiryDate: { type: 'date', column: licenses.expiryDate },
    },
  },
  search: { title: licenses.name },
  references: { softwareId: 'software' },
  features: {
    archivable: true,
    customFields: false,
    linkable: true,
    tagged: true,
    attachments: true,
    hardDelete: false,
  },
  uniqueConstraints: {
    license_assignments_user_open_unique: 'userId',
    license_assignments_asset_open_unique: 'assetId',
  },
  hooks: {
    beforeCreate: (ctx, input) => validateLicense(ctx, input as LicenseInput, undefined),
    beforeUpdate: (ctx, current, input) => validateLicense(ctx, input as LicenseInput, current),
    async beforeArchive(ctx, current) {
      const used = await countSeatsInUse(ctx, current.id);
      if (used > 0) {
        throw validationFailed([
          {
            path: 'seats',
            message: `${seatsInUse(used)}: release ${used === 1 ? 'it' : 'them'} before archiving the licence`,
          },
        ]);
      }
    },
  },
});
