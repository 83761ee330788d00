import { isCalendarDate } from '../http/schemas';

/**
 * Cell text to the values the API contracts take, as spreadsheets write them: booleans in words,
 * dates day-first or month-first, amounts with currency signs and either decimal separator.
 * Each parser answers the value, or an error message naming what was expected.
 */

export type DateFormat = 'iso' | 'dmy' | 'mdy';
export const DATE_FORMATS: readonly DateFormat[] = ['iso', 'dmy', 'mdy'];

export type Parsed<T> = { value: T } | { error: string };

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

export function parseBoolean(text: string): Parsed<boolean> {
  const word = text.trim().toLowerCase();
  if (TRUE.has(word)) return { value: true };
  if (FALSE.has(word)) return { value: false };
  return { error: 'must be yes or no (true/false, y/n, 1/0)' };
}

const ISO_DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const LOCAL_DATE = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/;
/** A time of day a spreadsheet may append to a date ("2024-01-31 00:00:00"): the day is what counts. */
const TIME_SUFFIX = /[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

const pad = (n: string, width: number) => n.padStart(width, '0');

const FORMAT_HINT: Record<DateFormat, string> = {
  iso: 'must be a date as YYYY-MM-DD (for 31/01/2024 choose the day-first or month-first date format)',
  dmy: 'must be a date as DD/MM/YYYY (day first) or YYYY-MM-DD',
  mdy: 'must be a date as MM/DD/YYYY (month first) or YYYY-MM-DD',
};

/** A calendar date as YYYY-MM-DD. ISO dates are read in every format, since they are unambiguous. */
export function parseDate(text: string, format: DateFormat): Parsed<string> {
  const trimmed = text.trim().replace(TIME_SUFFIX, '');
  let year: string;
  let month: string;
  let day: string;
  const iso = ISO_DATE.exec(trimmed);
  const local = format === 'iso' ? null : LOCAL_DATE.exec(trimmed);
  if (iso) [, year, month, day] = iso as unknown as [string, string, string, string];
  else if (local) {
    const [, first, second, y] = local as unknown as [string, string, string, string];
    if (y.length === 2) return { error: 'must have a four-digit year' };
    [day, month, year] = format === 'dmy' ? [first, second, y] : [second, first, y];
  } else return { error: FORMAT_HINT[format] };
  const value = `${year}-${pad(month, 2)}-${pad(day, 2)}`;
  if (!isCalendarDate(value)) return { error: `is not a day of the calendar (${value})` };
  return { value };
}

/** Currency signs and ISO codes before or after an amount ("$1,234.56", "1.234,56 €", "EUR 12"). */
const CURRENCY = /^(?:[A-Z]{3}|[A-Z]{1,2}\$|[$€£¥₹₩₽₺]|kr|Fr\.?)/;
const CURRENCY_END = /(?:[A-Z]{3}|[$€£¥₹₩₽₺]|kr|Fr\.?)$/;
/** Spaces (also no-break and narrow no-break) and apostrophes group thousands ("1 234,56", "1'234.56"). */
const GROUPING = /[\s\u00a0\u202f']/g;

/**
 * A decimal number written with either separator: the last of `.` and `,` is the decimal point
 * when both appear; a lone separator followed by exactly three digits groups thousands
 * ("1,234" and "1.234" are 1234), otherwise it is the decimal point ("1234,5"). Answers the
 * number as a plain decimal string ("1234.56"), so no precision is lost.
 */
export function parseDecimal(text: string): Parsed<string> {
  const invalid = { error: 'must be a number, e.g. 1234.56 or 1.234,56' };
  let rest = text.trim();
  let negative = false;
  if (rest.startsWith('-')) {
    negative = true;
    rest = rest.slice(1).trim();
  }
  rest = rest.replace(CURRENCY, '').trim();
  if (rest.startsWith('-')) {
    negative = true;
    rest = rest.slice(1).trim();
  }
  rest = rest.replace(CURRENCY_END, '').replace(GROUPING, '');
  if (!/^[\d.,]+$/.test(rest) || !/\d/.test(rest)) return invalid;
  const lastDot = rest.lastIndexOf('.');
  const lastComma = rest.lastIndexOf(',');
  let integer: string;
  let fraction = '';
  if (lastDot !== -1 && lastComma !== -1) {
    const point = Math.max(lastDot, lastComma);
    const grouping = point === lastDot ? ',' : '.';
    integer = rest.slice(0, point);
    fraction = rest.slice(point + 1);
    if (integer.includes(rest[point]!) || !validGroups(integer, grouping)) return invalid;
    integer = integer.replaceAll(grouping, '');
  } else if (lastDot !== -1 || lastComma !== -1) {
    const separator = lastDot !== -1 ? '.' : ',';
    const parts = rest.split(separator);
    if (parts.length > 2 || (parts[1]!.length === 3 && validGroups(rest, separator))) {
      if (!validGroups(rest, separator)) return invalid;
      integer = rest.replaceAll(separator, '');
    } else {
      [integer, fraction] = parts as [string, string];
    }
  } else integer = rest;
  if (!/^\d*$/.test(integer) || !/^\d*$/.test(fraction) || integer + fraction === '') return invalid;
  const digits = integer.replace(/^0+(?=\d)/, '') || '0';
  return { value: `${negative ? '-' : ''}${digits}${fraction ? `.${fraction}` : ''}` };
}

/** Thousands groups: 1–3 digits (not a leading zero), then groups of exactly three. */
function validGroups(text: string, separator: string): boolean {
  const groups = text.split(separator);
  if (groups.length === 1) return true;
  return /^[1-9]\d{0,2}$/.test(groups[0]!) && groups.slice(1).every((g) => /^\d{3}$/.test(g));
}

/**
 * A money amount as the `amount` contract takes it: two decimals, as PostgreSQL's numeric(…, 2)
 * gives it back, so that an unchanged amount compares equal on re-import. More decimals are left
 * for the contract to refuse.
 */
export function parseAmount(text: string): Parsed<string> {
  const parsed = parseDecimal(text);
  if ('error' in parsed) return { error: 'must be an amount, e.g. 1234.56, $1,234.56 or 1.234,56 €' };
  const [integer, fraction = ''] = parsed.value.split('.');
  return { value: fraction.length > 2 ? parsed.value : `${integer}.${fraction.padEnd(2, '0')}` };
}

export function parseInteger(text: string): Parsed<number> {
  const trimmed = text.trim().replace(GROUPING, '');
  if (!/^[+-]?\d{1,15}$/.test(trimmed)) return { error: 'must be a whole number' };
  return { value: Number(trimmed) };
}

/** "In stock", "in-stock", "IN_STOCK" all name `in_stock`. */
export function enumKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
}

export function parseEnum(
  text: string,
  values: readonly string[],
  labels: readonly string[],
): Parsed<string> {
  const key = enumKey(text);
  const index = values.findIndex((value, i) => enumKey(value) === key || enumKey(labels[i] ?? '') === key);
  if (index === -1) return { error: `must be one of: ${labels.join(', ')}` };
  return { value: values[index]! };
}

/** What the CSV export puts before text that a spreadsheet would run as a formula. */
const DEFUSED_FORMULA = /^'[=+\-@\t\r]/;

/** Text as exported: the export's formula guard (a leading apostrophe) is taken off again. */
export function parseText(text: string): string {
  return DEFUSED_FORMULA.test(text) ? text.slice(1) : text;
}
