import { z } from 'zod';

/** Building blocks for contracts: every string has a maximum, every id is a UUID. */
export const idParams = z.object({ id: z.uuid() });

export const NUL_MESSAGE = 'must not contain NUL characters';

/** PostgreSQL text and JSONB cannot hold U+0000: refused here, so the caller learns which field. */
export const hasNoNul = (value: string) => !value.includes('\u0000');

/** A string PostgreSQL can store; chain `.trim()`, `.max()`… after it. */
export const plainString = () => z.string().refine(hasNoNul, { error: NUL_MESSAGE, abort: true });

export const shortText = (max = 200) => plainString().trim().min(1).max(max);
export const optionalText = (max = 200) =>
  plainString()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

/**
 * Whether `value` (YYYY-MM-DD) names a real calendar day from 0001-01-01 on: its parts survive a
 * round trip through Date.UTC (so 2024-02-31 and 2023-02-29 do not). `setUTCFullYear` keeps years
 * below 100 as they are (Date.UTC alone would read 0050 as 1950).
 */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1) return false;
  const date = new Date(Date.UTC(2000, 0, 1));
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const DATE_MESSAGE = 'must be a date (YYYY-MM-DD) from 0001-01-01 on';

/** A calendar date as YYYY-MM-DD (OpenAPI `format: date`), from 0001-01-01 on. */
export const isoDate = z.iso
  .date({ error: DATE_MESSAGE, abort: true })
  .refine(isCalendarDate, { error: DATE_MESSAGE });

/** A whole day (YYYY-MM-DD) or an ISO timestamp with its offset, from year 0001 on. */
export const dateOrTimestamp = z.union([
  isoDate,
  z.iso
    .datetime({ offset: true, error: 'must be a date (YYYY-MM-DD) or an ISO timestamp with offset' })
    .refine((value) => {
      const time = new Date(value);
      return !Number.isNaN(time.getTime()) && time.getUTCFullYear() >= 1;
    }, 'must be a real moment from year 0001 on'),
]);

/** Values are checked against their definitions later; NUL is refused here, naming the key. */
export const customFieldsInput = z
  .record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
  .superRefine((values, ctx) => {
    const keys = Object.keys(values);
    if (keys.length > 100) ctx.addIssue({ code: 'custom', message: 'at most 100 custom fields' });
    for (const key of keys) {
      const value = values[key];
      if (!hasNoNul(key) || (typeof value === 'string' && !hasNoNul(value))) {
        ctx.addIssue({ code: 'custom', path: [key], message: NUL_MESSAGE });
      }
    }
  });

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const AMOUNT_MESSAGE = 'must be an amount of at most 12 digits and 2 decimals, e.g. 1234.50';

/** A money amount, not negative: a number or a plain decimal string; answered as a decimal string. */
export const amount = z.union([
  z
    .number()
    .refine(
      (n) => Number.isFinite(n) && n >= 0 && n < 1e12 && Math.round(n * 100) === n * 100,
      AMOUNT_MESSAGE,
    )
    .transform((n) => n.toFixed(2)),
  z.string().trim().regex(AMOUNT, AMOUNT_MESSAGE),
]);

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
/** An ISO 4217 currency code; lower case is accepted and answered upper case. */
export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((v) => CURRENCIES.has(v), 'must be an ISO 4217 currency code such as EUR or USD');

/** A field that may be left out (unchanged) or sent as null (cleared), on create and update alike. */
export const nullableOptional = <T extends z.ZodType>(schema: T) => schema.nullable().optional();
