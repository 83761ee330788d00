import { HttpProblem } from '../http/problem';
import type { HeaderMapping } from './columns';
import type { Delimiter } from './csv-parser';

/** What an import (or its dry run) answers, and the 422 that carries it when a real import is refused. */

/** The report lists this many problems at most (`errorCount` says how many there were). */
export const MAX_REPORTED_ERRORS = 1000;

export interface ImportError {
  /** The file's row (the header is row 1). */
  row: number;
  /** The file's header of the column at fault, or the field when no column gave it. */
  column: string | null;
  message: string;
}

export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: ImportError[];
  errorCount: number;
  delimiter: Delimiter;
  columns: HeaderMapping[];
  /** Referenced records the import creates (or would create), when asked to. */
  createdReferences: Array<{ entityType: string; name: string }>;
}

/** The problems found so far, the first `MAX_REPORTED_ERRORS` of them kept. */
export class Problems {
  list: ImportError[] = [];
  count = 0;

  add(row: number, column: string | null, message: string): void {
    this.count++;
    if (this.list.length < MAX_REPORTED_ERRORS) this.list.push({ row, column, message });
  }
}

/** A real import refused: nothing was written; the report (as `data`) says why. */
export class ImportRefused extends HttpProblem {
  constructor(public readonly report: ImportReport) {
    const first = report.errors[0];
    const where = first
      ? ` First: row ${first.row}${first.column ? `, ${first.column}` : ''}: ${first.message}`
      : '';
    super(
      422,
      'Import refused',
      `${report.errorCount} problem${report.errorCount === 1 ? '' : 's'} in the file; nothing was imported.${where}`,
      undefined,
      { data: report },
    );
  }
}
