import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../../../test/fixtures';
import { FRAMEWORK_LIMITS, type FrameworkDefinition, type FrameworkParseResult } from '../framework-model';
import { parseFrameworkCsv, toFrameworkCsv } from './csv';
import { parseOscalCatalog } from './oscal-catalog';

const fixture = (name: string): unknown => JSON.parse(readFileSync(path.resolve(FIXTURES_DIR, name), 'utf8'));

function framework(result: FrameworkParseResult): FrameworkDefinition {
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.framework;
}

const problems = (result: FrameworkParseResult) => (result.ok ? [] : result.problems);
const bytes = (text: string) => new TextEncoder().encode(text);
const withBom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...bytes(text)]);

describe('parseFrameworkCsv', () => {
  it('reads a spreadsheet CSV: byte order mark, `;`, quoted line breaks, header aliases', () => {
    const csv = [
      'ID;Name;Description;Parent ID;Kind;Sort_Order;Comment',
      'A;Organizational;;;group;;ignored',
      'A.1;Policies;"Line one;\r\nline ""two""";A;;5;',
      '',
      "A.2;'=Formula;;A;Control;;",
    ].join('\r\n');
    const result = parseFrameworkCsv(withBom(csv), { name: 'My Framework (2024)' });
    const fw = framework(result);
    expect(fw).toMatchObject({ key: 'my-framework-2024', name: 'My Framework (2024)' });
    expect(fw.controls).toEqual([
      { refId: 'A', title: 'Organizational', sortOrder: 1, kind: 'group' },
      {
        refId: 'A.1',
        title: 'Policies',
        description: 'Line one;\r\nline "two"',
        parentRefId: 'A',
        sortOrder: 5,
        kind: 'control',
      },
      { refId: 'A.2', title: '=Formula', parentRefId: 'A', sortOrder: 2, kind: 'control' },
    ]);
    expect(result.ok && result.warnings).toEqual([
      { path: 'row 1', row: 1, field: 'Comment', message: 'The column "Comment" is not used.' },
    ]);
  });

  it('names the framework when no name is given', () => {
    const fw = framework(parseFrameworkCsv(bytes('refId,title\nX,Y\n'), {}));
    expect(fw).toMatchObject({ key: 'imported-framework', name: 'Imported framework' });
  });

  it('locates problems by row and column', () => {
    const csv = [
      'ref_id,title,parent,kind,sortOrder,withdrawn',
      'A,Alpha,,,,',
      'A,Again,,,,',
      'B,,A,,,',
      'C,Gamma,nowhere,,,',
      'D,Delta,E,heading,x,maybe',
      'E,Epsilon,D,,,',
      `${'r'.repeat(FRAMEWORK_LIMITS.refIdLength + 1)},Long,,,,`,
    ].join('\n');
    expect(problems(parseFrameworkCsv(bytes(csv), { name: 'x' }))).toEqual([
      { path: 'row 3', row: 3, field: 'refId', message: 'The reference "A" is used twice (first at row 2).' },
      { path: 'row 4', row: 4, field: 'title', message: 'The title is required.' },
      {
        path: 'row 5',
        row: 5,
        field: 'parentRefId',
        message: 'The parent "nowhere" is not a reference of this framework.',
      },
      { path: 'row 6', row: 6, field: 'kind', message: 'Must be "group" or "control".' },
      { path: 'row 6', row: 6, field: 'sortOrder', message: 'The sort order must be a whole number.' },
      {
        path: 'row 6',
        row: 6,
        field: 'withdrawn',
        message: 'Withdrawn must be yes or no (true/false, y/n, 1/0).',
      },
      { path: 'row 6', row: 6, field: 'parentRefId', message: 'The parents form a cycle: D → E → D.' },
      {
        path: 'row 8',
        row: 8,
        field: 'refId',
        message: 'The reference holds 101 characters; at most 100 are allowed.',
      },
    ]);
  });

  it('refuses files without the required columns, with too many rows or an open quote', () => {
    expect(problems(parseFrameworkCsv(bytes('name,description\nx,y'), {}))).toEqual([
      { path: 'row 1', row: 1, field: 'refId', message: 'The header has no refId column.' },
    ]);
    const rows = Array.from({ length: FRAMEWORK_LIMITS.maxControls + 1 }, (_, i) => `c${i},Title`);
    expect(problems(parseFrameworkCsv(bytes(`id,title\n${rows.join('\n')}`), {}))[0]!.message).toContain(
      'more than 5000 rows',
    );
    expect(problems(parseFrameworkCsv(bytes('id,title\nA,"open'), {}))[0]).toMatchObject({
      path: 'row 2',
      row: 2,
    });
    expect(problems(parseFrameworkCsv(new Uint8Array(), {}))[0]!.message).toContain('no refId column');
  });
});

describe('toFrameworkCsv', () => {
  it('writes RFC 4180 with the export formula guard, and reads back the same framework', () => {
    const def: FrameworkDefinition = {
      key: 'k',
      name: 'Name',
      controls: [
        { refId: '=1+1', title: '@SUM(A1)', sortOrder: 1, kind: 'group', description: 'a, "b"\nc' },
        { refId: 'X', title: '-x', parentRefId: '=1+1', sortOrder: 1, kind: 'control', withdrawn: true },
      ],
    };
    const text = toFrameworkCsv(def);
    expect(text).toBe(
      '\uFEFFrefId,title,description,guidance,parentRefId,kind,sortOrder,withdrawn,sourceId\r\n' +
        `'=1+1,'@SUM(A1),"a, ""b""\nc",,,group,1,,\r\n` +
        `X,'-x,,,'=1+1,control,1,yes,\r\n`,
    );
    const back = framework(parseFrameworkCsv(bytes(text), { name: 'Name' }));
    expect(back.controls).toEqual(def.controls);
  });

  it('round-trips the NIST LOW catalog', () => {
    const nist = framework(
      parseOscalCatalog(fixture('oscal/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json')),
    );
    const back = framework(parseFrameworkCsv(bytes(toFrameworkCsv(nist)), { name: nist.name }));
    expect(back.controls).toEqual(nist.controls);
  });
});
