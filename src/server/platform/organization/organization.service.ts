import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { type AuditedTable, insertRecord, lockRecord, updateRecord } from '../audit/write';
import type { ServiceContext } from '../http/context';
import { conflict } from '../http/problem';
import { currencyCode, optionalText, plainString, shortText } from '../http/schemas';
import { organizationSettings } from './organization.table';

type SettingsRow = typeof organizationSettings.$inferSelect;

/** Advisory lock serialising saves of the settings (held until the transaction ends). */
const ORGANIZATION_LOCK_KEY = 0x0b5dec5;

export const organizationAudit: AuditedTable<typeof organizationSettings> = {
  table: organizationSettings,
  entityType: 'organization_settings',
  label: (row) => row.displayName,
};

export const ORGANIZATION_DEFAULTS = {
  displayName: 'My organisation',
  legalName: null,
  taxId: null,
  primaryDomain: null,
  emailDomains: [] as string[],
  defaultCurrency: 'EUR',
  timeZone: 'UTC',
  riskImpactLevels: 5,
  riskLikelihoodLevels: 5,
  riskAppetiteMediumFrom: 20,
  riskAppetiteHighFrom: 60,
  riskAppetiteCriticalFrom: 80,
};

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const domain = plainString()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(DOMAIN, 'must be a domain name such as example.com');

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const level = z.number().int().min(3).max(8);
const percent = z.number().int().min(1).max(100);

export const MAX_EMAIL_DOMAINS = 20;

export const organizationInput = z
  .strictObject({
    displayName: shortText(120),
    legalName: optionalText(255),
    taxId: optionalText(50),
    primaryDomain: z
      .union([z.literal(''), domain])
      .transform((v) => (v === '' ? null : v))
      .nullable()
      .optional(),
    emailDomains: z
      .array(domain)
      .max(MAX_EMAIL_DOMAINS)
      .refine((list) => new Set(list).size === list.length, 'must not list a domain twice'),
    defaultCurrency: currencyCode,
    timeZone: plainString()
      .trim()
      .max(64)
      .refine(isTimeZone, 'must be an IANA time zone such as Europe/Madrid or UTC'),
    riskImpactLevels: level,
    riskLikelihoodLevels: level,
    riskAppetiteMediumFrom: percent,
    riskAppetiteHighFrom: percent,
    riskAppetiteCriticalFrom: percent,
  })
  .superRefine((value, ctx) => {
    if (value.riskAppetiteHighFrom <= value.riskAppetiteMediumFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['riskAppetiteHighFrom'],
        message: 'must be above the medium threshold',
      });
    }
    if (value.riskAppetiteCriticalFrom <= value.riskAppetiteHighFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['riskAppetiteCriticalFrom'],
        message: 'must be above the high threshold',
      });
    }
  });
export type OrganizationInput = z.output<typeof organizationInput>;

export interface OrganizationSettings {
  settings: Omit<SettingsRow, 'id' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy' | 'version'>;
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

function present(row: SettingsRow | undefined): OrganizationSettings {
  if (!row) return { settings: { ...ORGANIZATION_DEFAULTS }, version: 0, updatedAt: null, updatedBy: null };
  const { id: _id, createdAt: _c, createdBy: _cb, updatedAt, updatedBy, version, ...settings } = row;
  return { settings, version, updatedAt, updatedBy };
}

export async function readOrganization(db: Db): Promise<OrganizationSettings> {
  const [row] = await db.select().from(organizationSettings).limit(1);
  return present(row);
}

/**
 * Saves the settings as the version the caller read: version 0 creates the row (a concurrent
 * first save loses on the singleton index and answers 409), any other version updates it.
 */
export async function saveOrganization(
  ctx: ServiceContext,
  input: OrganizationInput,
  expectedVersion: number,
): Promise<OrganizationSettings> {
  // Two first saves at once must not both see "no row": the second waits, then finds the first's.
  await ctx.db.execute(sql`select pg_advisory_xact_lock(${ORGANIZATION_LOCK_KEY})`);
  const [existing] = await ctx.db.select({ id: organizationSettings.id }).from(organizationSettings).limit(1);
  if (!existing) {
    if (expectedVersion !== 0) {
      throw conflict('The organisation settings have not been saved yet: send version 0.', {
        current: present(undefined),
      });
    }
    return present(await insertRecord(ctx, organizationAudit, input));
  }
  const locked = await lockRecord(ctx, organizationAudit, existing.id);
  if (locked.version !== expectedVersion) {
    throw conflict(
      `The organisation settings were changed by someone else (version ${locked.version}, you sent ${expectedVersion}). Reload and reapply your changes.`,
      { current: present(locked) },
    );
  }
  return present(await updateRecord(ctx, organizationAudit, existing.id, input, { locked }));
}
