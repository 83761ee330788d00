import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../../../test/fixtures';
import type { FrameworkParseResult } from '../framework-model';
import { parseFrameworkDocument } from './index';
import { jsonErrorOffset, parseJsonText } from './json-text';

const fixturePath = (name: string) => path.resolve(FIXTURES_DIR, name);
const problems = (result: FrameworkParseResult) => (result.ok ? [] : result.problems);

describe('parseFrameworkDocument', () => {
  it('reads each format from text, bytes or a parsed value', () => {
    const soc2 = readFileSync(fixturePath('frameworks/SOC2.json'));
    const fromBytes = parseFrameworkDocument('json', { bytes: soc2 });
    expect(fromBytes.ok && fromBytes.framework.controls).toHaveLength(61);
    const fromText = parseFrameworkDocument('json', { text: `\uFEFF${soc2.toString('utf8')}` });
    expect(fromText.ok && fromText.framework.key).toBe('SOC2');

    const catalogText = readFileSync(
      fixturePath('oscal/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json'),
      'utf8',
    );
    const oscal = parseFrameworkDocument('oscal', { json: JSON.parse(catalogText) });
    expect(oscal.ok && oscal.framework.controls).toHaveLength(167);

    const csv = parseFrameworkDocument('csv', { text: 'id,title\nA,Alpha\n', name: 'Mine' });
    expect(csv.ok && csv.framework).toMatchObject({
      key: 'mine',
      controls: [{ refId: 'A', title: 'Alpha' }],
    });
  });

  it('asks for the catalog when given an OSCAL profile', () => {
    const profile = readFileSync(fixturePath('oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json'), 'utf8');
    const [problem] = problems(parseFrameworkDocument('oscal', { text: profile }));
    expect(problem).toMatchObject({
      path: 'profile',
      message: expect.stringContaining('Install the catalog'),
    });
  });

  it('answers invalid JSON text with one problem giving line and column', () => {
    const text = '{\n  "id": "x",\n  "name" "y"\n}';
    expect(problems(parseFrameworkDocument('json', { text }))).toEqual([
      {
        path: '$',
        message: 'The JSON is not valid at line 3, column 10 (position 24): Unexpected string.',
      },
    ]);
    expect(problems(parseFrameworkDocument('oscal', { text: '{"catalog": }' }))).toEqual([
      {
        path: '$',
        message: "The JSON is not valid at line 1, column 13 (position 12): Unexpected token '}'.",
      },
    ]);
    expect(problems(parseFrameworkDocument('json', { text: '' }))[0]!.message).toBe(
      'The JSON is not valid at line 1, column 1 (position 0): Unexpected end of JSON input.',
    );
  });

  it('answers a problem when no document is given, and never throws', () => {
    expect(problems(parseFrameworkDocument('oscal', {}))).toEqual([
      { path: '$', message: 'No document was given.' },
    ]);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const format of ['oscal', 'json', 'csv'] as const) {
      for (const text of ['null', '[]', '42', '"x"', deep, '{"controls": [[[[{}]]]]}', '\u0000\uFFFF']) {
        expect(parseFrameworkDocument(format, { text }).ok).toBe(false);
      }
    }
  });
});

describe('jsonErrorOffset', () => {
  it('finds the first offending character, or none in valid JSON', () => {
    const cases: Array<[string, number | undefined]> = [
      ['{"a": [1, 2.5e3, -0, true, null, "\\u00e9\\n"]}', undefined],
      ['  [ ]  ', undefined],
      ['{"a":1,}', 7],
      ['[1,]', 3],
      ['[01]', 2],
      ['{"a" 1}', 5],
      ['"tab\there"', 4],
      ['"\\x"', 1],
      ['[1] x', 4],
      ['{"a": tru}', 6],
      ['[', 1],
      ['{"a": [1}', 8],
    ];
    for (const [text, offset] of cases) expect([text, jsonErrorOffset(text)]).toEqual([text, offset]);
  });

  it('parses what JSON.parse parses, a byte order mark aside', () => {
    expect(parseJsonText('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });
});
