import { describe, expect, it } from 'vitest';
import {
  parseAmount,
  parseBoolean,
  parseDate,
  parseDecimal,
  parseEnum,
  parseInteger,
  parseText,
} from './coerce';

const value = <T>(parsed: { value: T } | { error: string }) => ('value' in parsed ? parsed.value : parsed);

describe('reading cell values', () => {
  it('reads booleans as people write them', () => {
    for (const yes of ['yes', 'YES', 'y', 'Y', 'true', 'True', '1', ' yes '])
      expect(value(parseBoolean(yes))).toBe(true);
    for (const no of ['no', 'N', 'false', 'FALSE', '0']) expect(value(parseBoolean(no))).toBe(false);
    expect(parseBoolean('maybe')).toEqual({ error: 'must be yes or no (true/false, y/n, 1/0)' });
  });

  it('reads ISO dates always, and day-first or month-first dates only when told which', () => {
    expect(value(parseDate('2024-01-31', 'iso'))).toBe('2024-01-31');
    expect(value(parseDate('2024-1-5', 'dmy'))).toBe('2024-01-05');
    expect(value(parseDate('2024-01-31 00:00:00', 'iso'))).toBe('2024-01-31');
    expect(value(parseDate('2024-01-31T10:00:00Z', 'iso'))).toBe('2024-01-31');
    expect(value(parseDate('31/01/2024', 'dmy'))).toBe('2024-01-31');
    expect(value(parseDate('5.3.2024', 'dmy'))).toBe('2024-03-05');
    expect(value(parseDate('01/31/2024', 'mdy'))).toBe('2024-01-31');
    expect(value(parseDate('03-05-2024', 'mdy'))).toBe('2024-03-05');
    expect(parseDate('31/01/2024', 'iso')).toEqual({
      error: 'must be a date as YYYY-MM-DD (for 31/01/2024 choose the day-first or month-first date format)',
    });
    expect(parseDate('31/01/2024', 'mdy')).toEqual({ error: 'is not a day of the calendar (2024-31-01)' });
    expect(parseDate('2023-02-29', 'iso')).toEqual({ error: 'is not a day of the calendar (2023-02-29)' });
    expect(parseDate('31/01/24', 'dmy')).toEqual({ error: 'must have a four-digit year' });
    expect('error' in parseDate('yesterday', 'dmy')).toBe(true);
  });

  it('reads amounts with currency signs and either decimal separator, as two-decimal strings', () => {
    const cases: Array<[string, string]> = [
      ['$1,234.56', '1234.56'],
      ['1.234,56 €', '1234.56'],
      ['€ 1.234,5', '1234.50'],
      ['1 234,56', '1234.56'],
      ['1\u00a0234,56\u00a0€', '1234.56'],
      ["CHF 1'234.50", '1234.50'],
      ['EUR 12', '12.00'],
      ['12 EUR', '12.00'],
      ['1,234', '1234.00'],
      ['1.234', '1234.00'],
      ['1,234,567.8', '1234567.80'],
      ['1.234.567', '1234567.00'],
      ['12,5', '12.50'],
      ['0.5', '0.50'],
      ['£0', '0.00'],
    ];
    for (const [text, expected] of cases) expect(value(parseAmount(text)), text).toBe(expected);
    // More decimals than money has are left for the contract to refuse, not rounded away.
    expect(value(parseAmount('0,125'))).toBe('0.125');
    expect(value(parseAmount('-$5'))).toBe('-5.00');
    for (const bad of ['abc', '1,23,456', '1.2.3,4,5', '12e3', '', '€']) {
      expect('error' in parseAmount(bad), bad).toBe(true);
    }
  });

  it('reads plain numbers and whole numbers', () => {
    expect(value(parseDecimal('3,25'))).toBe('3.25');
    expect(value(parseDecimal('-7'))).toBe('-7');
    expect(value(parseInteger(' 36 '))).toBe(36);
    expect(value(parseInteger('1 000'))).toBe(1000);
    expect('error' in parseInteger('3.5')).toBe(true);
  });

  it('reads enum values by value or label, whatever the case and separators', () => {
    const values = ['in_stock', 'awaiting_disposal'];
    const labels = ['In stock', 'Awaiting disposal'];
    for (const text of ['in_stock', 'In stock', 'IN-STOCK', ' in  stock ']) {
      expect(value(parseEnum(text, values, labels))).toBe('in_stock');
    }
    expect(parseEnum('lost', values, labels)).toEqual({
      error: 'must be one of: In stock, Awaiting disposal',
    });
  });

  it("takes off the export's guard against spreadsheet formulas", () => {
    expect(parseText("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(parseText("'-broken")).toBe('-broken');
    expect(parseText("'quoted'")).toBe("'quoted'");
    expect(parseText('plain')).toBe('plain');
  });
});
