import { describe, expect, it } from 'vitest';
import { CsvLimitError, decodeCsv, detectDelimiter, parseCsv } from './csv-parser';

const limits = { maxRows: 100, maxColumns: 10, maxCellLength: 50 };
const parse = (text: string, delimiter?: ',' | ';' | '\t') => parseCsv(text, limits, delimiter);

describe('reading CSV files', () => {
  it('reads quoted fields holding delimiters, doubled quotes and line breaks', () => {
    const csv = parse('name,notes\r\n"Smith, J.","said ""hi""\r\nthen left"\r\nplain,"a,b"\r\n');
    expect(csv.header).toEqual(['name', 'notes']);
    expect(csv.records).toEqual([
      { row: 2, cells: ['Smith, J.', 'said "hi"\r\nthen left'] },
      { row: 3, cells: ['plain', 'a,b'] },
    ]);
  });

  it('ends records at CRLF, LF or a lone CR, and needs no final line end', () => {
    for (const end of ['\r\n', '\n', '\r']) {
      const csv = parse(`a,b${end}1,2${end}3,4`);
      expect(csv.records.map((r) => r.cells)).toEqual([
        ['1', '2'],
        ['3', '4'],
      ]);
    }
  });

  it('detects the delimiter from the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('a;b;c\n1,5;2;3')).toBe(';');
    expect(detectDelimiter('a\tb\n')).toBe('\t');
    expect(detectDelimiter('"x;y;z",b\n')).toBe(',');
    expect(detectDelimiter('single\n')).toBe(',');
    expect(parse('a;b\r\n"1;5";2').records[0]!.cells).toEqual(['1;5', '2']);
    expect(parse('a,b;c\n1,2;3', ';').records[0]!.cells).toEqual(['1,2', '3']);
  });

  it('numbers rows as a spreadsheet does: blank rows are skipped but counted, multi-line cells are one row', () => {
    const csv = parse('a,b\n"x\ny",1\n\n,\n2,3\n');
    expect(csv.records).toEqual([
      { row: 2, cells: ['x\ny', '1'] },
      { row: 5, cells: ['2', '3'] },
    ]);
  });

  it('keeps stray quotes, and notes a quoted field that is never closed', () => {
    expect(parse('a,b\n5" screen,"x"y').records[0]!.cells).toEqual(['5" screen', 'xy']);
    const open = parse('a,b\n1,2\n3,"never closed\n4,5');
    expect(open.unclosedQuoteRow).toBe(3);
  });

  it('keeps empty trailing cells', () => {
    expect(parse('a,b,c\n1,,\n').records[0]!.cells).toEqual(['1', '', '']);
  });

  it('refuses files beyond the limits, saying where', () => {
    const tooManyRows = `a\n${'x\n'.repeat(101)}`;
    expect(() => parse(tooManyRows)).toThrow(/more than 100 rows/);
    expect(() => parse(`${'c,'.repeat(10)}c\n`)).toThrow(/more than 10 columns/);
    try {
      parse(`a,b\n1,${'x'.repeat(51)}\n`);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CsvLimitError);
      expect(error).toMatchObject({ row: 2, column: 2 });
    }
  });

  it('decodes UTF-8 with or without a byte order mark, UTF-16 "Unicode text", and Windows-1252', () => {
    expect(decodeCsv(Buffer.from('\uFEFFnámé,b'))).toBe('námé,b');
    expect(decodeCsv(Buffer.from('námé,b'))).toBe('námé,b');
    expect(decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('nämé\tb', 'utf16le')]))).toBe(
      'nämé\tb',
    );
    // "Café" as Windows-1252 writes it: é is 0xE9, not valid UTF-8.
    expect(decodeCsv(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x2c, 0x80]))).toBe('Café,€');
  });
});
