/**
 * Reading CSV files as people really send them (RFC 4180, leniently): a UTF-8 byte order mark or
 * a spreadsheet's UTF-16 "Unicode text", `,` `;` or tab delimiters, CRLF, LF or lone CR line ends,
 * quoted fields holding delimiters, doubled quotes and line breaks.
 */

export type Delimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

export interface CsvRecord {
  /** Where a spreadsheet shows it: the header is row 1, a record with line breaks is one row. */
  row: number;
  cells: string[];
}

export interface ParsedCsv {
  delimiter: Delimiter;
  header: string[];
  /** Data records, blank ones left out (they keep their place in the numbering). */
  records: CsvRecord[];
  /** A quoted field left open at the end of the file: the row where it started. */
  unclosedQuoteRow?: number;
}

export interface CsvLimits {
  maxRows: number;
  maxColumns: number;
  maxCellLength: number;
}

/** A limit the file breaks: the whole file is refused, with where it happened. */
export class CsvLimitError extends Error {
  constructor(
    message: string,
    public readonly row?: number,
    public readonly column?: number,
  ) {
    super(message);
  }
}

/**
 * Bytes to text. A UTF-16 byte order mark means UTF-16 (Excel's "Unicode text"); otherwise UTF-8,
 * with the byte order mark dropped. Bytes that are not UTF-8 are read as Windows-1252, which is
 * what spreadsheets on Windows write when asked for plain "CSV".
 */
export function decodeCsv(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
  } catch {
    return decodeWindows1252(bytes.subarray(start));
  }
}

/** Windows-1252's characters at 0x80–0x9F (€, curly quotes, dashes…); elsewhere it is Latin-1. */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  // Node's own "windows-1252" decoder is Latin-1 for these bytes, so they are mapped here.
  return Buffer.from(bytes)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (char) => CP1252_HIGH[char.charCodeAt(0) - 0x80]!);
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/** The delimiter the header line uses most, outside quotes; a comma when it holds none. */
export function detectDelimiter(text: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) quoted = !quoted;
    else if (!quoted && (code === CR || code === LF)) break;
    else if (!quoted) {
      const char = text[i] as Delimiter;
      const count = counts.get(char);
      if (count !== undefined) counts.set(char, count + 1);
    }
  }
  let best: Delimiter = ',';
  for (const delimiter of DELIMITERS) if (counts.get(delimiter)! > counts.get(best)!) best = delimiter;
  return best;
}

const isBlank = (cells: string[]) => cells.every((cell) => cell.trim() === '');

/**
 * Splits `text` into the header and the data records. Lenient where files in the wild differ from
 * RFC 4180 (a quote inside an unquoted field is kept as it is; text after a closing quote is kept),
 * strict on the limits, which refuse the file before it costs more memory.
 */
export function parseCsv(text: string, limits: CsvLimits, delimiter?: Delimiter): ParsedCsv {
  const separator = delimiter ?? detectDelimiter(text);
  const sep = separator.charCodeAt(0);
  const records: CsvRecord[] = [];
  let header: string[] | undefined;
  let cells: string[] = [];
  let recordStart = 0;
  let unclosedQuoteRow: number | undefined;
  const length = text.length;
  let i = 0;

  const pushCell = (value: string) => {
    if (value.length > limits.maxCellLength) {
      throw new CsvLimitError(
        `Row ${recordStart}, column ${cells.length + 1} holds ${value.length} characters; a cell may hold at most ${limits.maxCellLength}.`,
        recordStart,
        cells.length + 1,
      );
    }
    cells.push(value);
    if (cells.length > limits.maxColumns) {
      throw new CsvLimitError(
        `Row ${recordStart} has more than ${limits.maxColumns} columns; an import takes at most ${limits.maxColumns}.`,
        recordStart,
      );
    }
  };
  const endRecord = () => {
    if (!header) header = cells;
    else if (!isBlank(cells)) {
      if (records.length >= limits.maxRows) {
        throw new CsvLimitError(
          `The file has more than ${limits.maxRows} rows; import at most ${limits.maxRows} at once.`,
        );
      }
      records.push({ row: recordStart, cells });
    }
    cells = [];
  };

  while (i < length) {
    recordStart++;
    // One record: cells until an unquoted line end.
    for (;;) {
      let value = '';
      if (text.charCodeAt(i) === QUOTE) {
        i++;
        let closed = false;
        while (i < length) {
          const next = text.indexOf('"', i);
          if (next === -1) {
            value += text.slice(i);
            i = length;
            break;
          }
          value += text.slice(i, next);
          if (text.charCodeAt(next + 1) === QUOTE) {
            value += '"';
            i = next + 2;
          } else {
            i = next + 1;
            closed = true;
            break;
          }
        }
        if (!closed) unclosedQuoteRow = recordStart;
        // Anything between the closing quote and the delimiter belongs to the cell.
        const end = findCellEnd(text, i, sep);
        value += text.slice(i, end);
        i = end;
      } else {
        const end = findCellEnd(text, i, sep);
        value = text.slice(i, end);
        i = end;
      }
      pushCell(value);
      if (i >= length) break;
      const code = text.charCodeAt(i);
      if (code === sep) {
        i++;
        if (i >= length) {
          pushCell('');
          break;
        }
        continue;
      }
      // A line end: CRLF, LF or a lone CR.
      i += code === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      break;
    }
    endRecord();
  }
  return {
    delimiter: separator,
    header: header ?? [],
    records,
    ...(unclosedQuoteRow !== undefined ? { unclosedQuoteRow } : {}),
  };
}

/** The index of the next delimiter or line end from `from` (or the end of the text). */
function findCellEnd(text: string, from: number, sep: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === sep || code === LF || code === CR) return i;
  }
  return text.length;
}
