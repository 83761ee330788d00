import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { entityColumns } from '../../db/columns';

/**
 * The organisation's own settings: one row at most (a unique index on a constant), created by the
 * first save. Until then the API answers the defaults with version 0.
 */
export const organizationSettings = pgTable(
  'organization_settings',
  {
    ...entityColumns(),
    /** How the organisation is named across the app and in reports. */
    displayName: varchar('display_name', { length: 120 }).notNull(),
    legalName: varchar('legal_name', { length: 255 }),
    taxId: varchar('tax_id', { length: 50 }),
    primaryDomain: varchar('primary_domain', { length: 253 }),
    /** The e-mail domains that belong to the organisation (people, identity imports). */
    emailDomains: text('email_domains').array().notNull().default(sql`'{}'::text[]`),
    /** ISO 4217 code in which money is reported. */
    defaultCurrency: varchar('default_currency', { length: 3 }).notNull(),
    /** IANA time zone for dates shown and deadlines computed. */
    timeZone: varchar('time_zone', { length: 64 }).notNull(),
    /** The risk matrix: impact levels × likelihood levels (3 to 8 each). */
    riskImpactLevels: integer('risk_impact_levels').notNull(),
    riskLikelihoodLevels: integer('risk_likelihood_levels').notNull(),
    /** Risk appetite bands, as percentages of the highest score: medium, high and critical from. */
    riskAppetiteMediumFrom: integer('risk_appetite_medium_from').notNull(),
    riskAppetiteHighFrom: integer('risk_appetite_high_from').notNull(),
    riskAppetiteCriticalFrom: integer('risk_appetite_critical_from').notNull(),
  },
  (t) => [
    uniqueIndex('organization_settings_singleton').on(sql`(true)`),
    check(
      'organization_settings_matrix',
      sql`${t.riskImpactLevels} between 3 and 8 and ${t.riskLikelihoodLevels} between 3 and 8`,
    ),
    check(
      'organization_settings_appetite',
      sql`0 < ${t.riskAppetiteMediumFrom} and ${t.riskAppetiteMediumFrom} < ${t.riskAppetiteHighFrom} and ${t.riskAppetiteHighFrom} < ${t.riskAppetiteCriticalFrom} and ${t.riskAppetiteCriticalFrom} <= 100`,
    ),
  ],
);
