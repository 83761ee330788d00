import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../../../test/fixtures';
import { FRAMEWORK_LIMITS, type FrameworkDefinition, type FrameworkParseResult } from '../framework-model';
import { parseSimpleFrameworkJson, shortTitle, toSimpleFrameworkJson } from './simple-json';

const fixture = (name: string): unknown => JSON.parse(readFileSync(path.resolve(FIXTURES_DIR, name), 'utf8'));

function framework(result: FrameworkParseResult): FrameworkDefinition {
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.framework;
}

const problems = (result: FrameworkParseResult) => (result.ok ? [] : result.problems);
const doc = (controls: unknown[]) => ({ id: 'fw', name: 'Framework', controls });

describe('parseSimpleFrameworkJson', () => {
  it('reads the 61 SOC 2 criteria, ignoring the logo', () => {
    const result = parseSimpleFrameworkJson(fixture('frameworks/SOC2.json'));
    const soc2 = framework(result);
    expect(soc2).toMatchObject({ key: 'SOC2', name: 'SOC 2' });
    expect(soc2.controls).toHaveLength(61);
    expect(soc2.controls[0]).toMatchObject({ refId: 'CC1.1', kind: 'control', sortOrder: 1 });
    expect(soc2.controls.map((c) => c.refId)).toContain('P8.1');
    expect(soc2).not.toHaveProperty('logo');
    // P2.1's criterion text (652 characters) is longer than a title may be.
    const p21 = soc2.controls.find((c) => c.refId === 'P2.1')!;
    expect(p21.title).toBe(
      'The entity communicates choices available regarding the collection, use, retention, disclosure, and disposal of personal information to the data subjects and the consequences, if any, of each choice.',
    );
    expect(p21.description).toHaveLength(652);
    expect(result.ok && result.warnings.map((w) => w.path)).toEqual(['controls[44].name']);
  });

  it('shortens a long name without a sentence end at a word', () => {
    const title = shortTitle(`${'word '.repeat(200)}end`);
    expect(title.length).toBeLessThanOrEqual(FRAMEWORK_LIMITS.titleLength);
    expect(title).toMatch(/word…$/);
  });

  it('reads the 123 ISO 27001:2022 items: clauses and 93 Annex A controls', () => {
    const iso = framework(parseSimpleFrameworkJson(fixture('frameworks/ISO27001-2022.json')));
    expect(iso).toMatchObject({ key: 'ISO/IEC 27001:2022', name: 'ISO 27001 (2022)' });
    expect(iso.controls).toHaveLength(123);
    expect(iso.controls.filter((c) => c.refId.startsWith('A.'))).toHaveLength(93);
    expect(iso.controls.every((c) => c.kind === 'control' && !c.parentRefId)).toBe(true);
    expect(iso.controls.at(-1)).toMatchObject({ refId: 'A.8.34', sortOrder: 123 });
  });

  it('reads parents given before or after their children, numbering siblings in order', () => {
    const fw = framework(
      parseSimpleFrameworkJson(
        doc([
          { id: '4.1', name: 'Context', parent: '4' },
          { id: 4, name: 'Clause 4', kind: 'group', description: ' About it ' },
          { id: '4.2', name: 'Parties', parent: '4', withdrawn: true },
          { id: '5', name: 'Leadership' },
        ]),
      ),
    );
    expect(fw.controls.map((c) => [c.refId, c.parentRefId, c.kind, c.sortOrder])).toEqual([
      ['4.1', '4', 'control', 1],
      ['4', undefined, 'group', 1],
      ['4.2', '4', 'control', 2],
      ['5', undefined, 'control', 2],
    ]);
    expect(fw.controls[1]!.description).toBe('About it');
    expect(fw.controls[2]!.withdrawn).toBe(true);
  });

  it('locates duplicates, unknown parents, cycles, missing titles and wrong types', () => {
    const result = parseSimpleFrameworkJson(
      doc([
        { id: 'A', name: 'A' },
        { id: 'A', name: 'Again' },
        { id: 'B', name: 'B', parent: 'nowhere' },
        { id: 'C', name: 'C', parent: 'D' },
        { id: 'D', name: 'D', parent: 'C' },
        { id: 'E' },
        { id: 'F', name: 'F', kind: 'heading' },
        { id: 'G', name: ['x'] },
        'H',
      ]),
    );
    expect(problems(result).map((p) => [p.path, p.message])).toEqual([
      ['controls[5].name', 'Is required.'],
      ['controls[6].kind', 'Must be "group" or "control".'],
      ['controls[7].name', 'Must be text, not a list.'],
      ['controls[8]', 'Must be an object, not a string.'],
      ['controls[1].id', 'The reference "A" is used twice (first at controls[0]).'],
      ['controls[2].parent', 'The parent "nowhere" is not a reference of this framework.'],
      ['controls[3].parent', 'The parents form a cycle: C → D → C.'],
    ]);
  });

  it('refuses over-long text and too many controls', () => {
    const long = parseSimpleFrameworkJson({
      id: 'fw',
      name: 'n'.repeat(FRAMEWORK_LIMITS.nameLength + 1),
      controls: [
        { id: 'r'.repeat(FRAMEWORK_LIMITS.refIdLength + 1), name: 'T', description: 'd'.repeat(20_001) },
      ],
    });
    expect(problems(long).map((p) => p.path)).toEqual(['name', 'controls[0].id', 'controls[0].description']);
    const many = Array.from({ length: FRAMEWORK_LIMITS.maxControls + 1 }, (_, i) => ({
      id: `c${i}`,
      name: 'C',
    }));
    expect(problems(parseSimpleFrameworkJson(doc(many)))[0]!.message).toContain('at most 5000');
  });

  it('reports a hierarchy deeper than the limit', () => {
    const chain = Array.from({ length: FRAMEWORK_LIMITS.maxDepth + 3 }, (_, i) => ({
      id: `c${i}`,
      name: `C${i}`,
      ...(i > 0 ? { parent: `c${i - 1}` } : {}),
    }));
    expect(problems(parseSimpleFrameworkJson(doc(chain)))).toEqual([
      { path: 'controls[8].parent', message: '"c8" is nested 9 levels deep; at most 8 are allowed.' },
    ]);
  });

  it('reads 1,200 generated controls in three levels', () => {
    const controls = [];
    for (let g = 0; g < 40; g++) {
      controls.push({ id: `G${g}`, name: `Group ${g}`, kind: 'group' });
      for (let c = 0; c < 29; c++) controls.push({ id: `G${g}.${c}`, name: `Control ${c}`, parent: `G${g}` });
    }
    const fw = framework(parseSimpleFrameworkJson(doc(controls)));
    expect(fw.controls).toHaveLength(1200);
  });

  it('never throws', () => {
    for (const value of [
      null,
      1,
      'x',
      [],
      {},
      { controls: {} },
      { id: {}, name: 1, controls: [null, [], 2] },
    ]) {
      expect(parseSimpleFrameworkJson(value).ok).toBe(false);
    }
  });
});

describe('toSimpleFrameworkJson', () => {
  it('round-trips a framework, parents first and siblings by sortOrder', () => {
    const def: FrameworkDefinition = {
      key: 'k',
      name: 'Name',
      version: 'v1',
      publisher: 'Pub',
      controls: [
        { refId: '1.2', title: 'Second', parentRefId: '1', sortOrder: 2, kind: 'control', guidance: 'G' },
        { refId: '1.1', title: 'First', parentRefId: '1', sortOrder: 1, kind: 'control', withdrawn: true },
        { refId: '1', title: 'One', sortOrder: 1, kind: 'group', sourceId: 'one' },
      ],
    };
    const json = toSimpleFrameworkJson(def);
    expect(json.controls.map((c) => c.id)).toEqual(['1', '1.1', '1.2']);
    const back = framework(parseSimpleFrameworkJson(JSON.parse(JSON.stringify(json))));
    const sorted = (fw: FrameworkDefinition) =>
      [...fw.controls].sort((a, b) => a.refId.localeCompare(b.refId));
    expect(sorted(back)).toEqual(sorted(def));
    expect(back).toMatchObject({ key: 'k', name: 'Name', version: 'v1', publisher: 'Pub' });
  });

  it('round-trips the ISO fixture', () => {
    const iso = framework(parseSimpleFrameworkJson(fixture('frameworks/ISO27001-2022.json')));
    expect(framework(parseSimpleFrameworkJson(toSimpleFrameworkJson(iso)))).toEqual(iso);
  });
});
