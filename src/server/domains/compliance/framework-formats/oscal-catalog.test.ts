import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../../../test/fixtures';
import { FRAMEWORK_LIMITS, type FrameworkDefinition, type FrameworkParseResult } from '../framework-model';
import { parseOscalCatalog } from './oscal-catalog';

const fixture = (name: string): unknown => JSON.parse(readFileSync(path.resolve(FIXTURES_DIR, name), 'utf8'));
const LOW_CATALOG = 'oscal/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json';

function framework(result: FrameworkParseResult): FrameworkDefinition {
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.framework;
}

function problems(result: FrameworkParseResult) {
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

const catalog = (body: Record<string, unknown>) => ({
  catalog: {
    uuid: '2c1f4a5e-9b7d-4c3e-8a6f-1d2e3f4a5b6c',
    metadata: { title: 'Test', version: '1' },
    ...body,
  },
});

describe('parseOscalCatalog on the NIST SP 800-53 LOW baseline', () => {
  const result = parseOscalCatalog(fixture(LOW_CATALOG));
  const nist = framework(result);
  const byRef = new Map(nist.controls.map((control) => [control.refId, control]));

  it('reads 18 families, 131 controls and 18 enhancements', () => {
    const groups = nist.controls.filter((control) => control.kind === 'group');
    const controls = nist.controls.filter((control) => control.kind === 'control');
    const groupRefs = new Set(groups.map((group) => group.refId));
    expect(groups).toHaveLength(18);
    expect(controls.filter((control) => groupRefs.has(control.parentRefId!))).toHaveLength(131);
    expect(controls.filter((control) => !groupRefs.has(control.parentRefId!))).toHaveLength(18);
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('takes metadata, labels as refIds and OSCAL ids as sourceIds', () => {
    expect(nist).toMatchObject({
      key: '0470d39a-3e02-4bff-82cf-676d522c1554',
      name: 'NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE',
      version: '5.1.1+u4',
      publisher: 'Joint Task Force, Transformation Initiative',
    });
    expect(byRef.get('AC')).toMatchObject({
      kind: 'group',
      title: 'Access Control',
      sourceId: 'ac',
      sortOrder: 1,
    });
    expect(byRef.get('AC-2')).toMatchObject({ parentRefId: 'AC', sourceId: 'ac-2', sortOrder: 2 });
    expect(byRef.get('IA-2(1)')).toMatchObject({ parentRefId: 'IA-2', sourceId: 'ia-2.1', kind: 'control' });
  });

  it('resolves every parameter placeholder', () => {
    const texts = nist.controls.flatMap((control) => [control.title, control.description, control.guidance]);
    expect(texts.filter((text) => text?.includes('{{'))).toEqual([]);
  });

  it('renders statements as labelled, indented items', () => {
    const ac1 = byRef.get('AC-1')!.description!;
    expect(ac1).toContain(
      'a. Develop, document, and disseminate to [Assignment: organization-defined personnel or roles]:',
    );
    expect(ac1).toContain(
      '\n  1. [Selection (one or more): organization-level; mission/business process-level; system-level] access control policy that:',
    );
    expect(ac1).toContain('\n    (a) Addresses purpose, scope');
    expect(byRef.get('AC-7')!.description).toContain(
      'lock the account or node for [Assignment: time period];',
    );
    expect(byRef.get('AC-1')!.guidance).toMatch(/^Access control policy and procedures address/);
  });
});

describe('parseOscalCatalog on small catalogs', () => {
  it('reads nested groups, withdrawn status, top-level controls and parameters of ancestors', () => {
    const result = parseOscalCatalog(
      catalog({
        params: [{ id: 'org', values: ['Acme', 'Sub'] }],
        controls: [{ id: 'top-1', title: 'Top control' }],
        groups: [
          {
            id: 'outer',
            title: 'Outer',
            params: [
              {
                id: 'freq',
                select: { 'how-many': 'one', choice: ['daily', 'every {{ insert: param, n }}'] },
              },
            ],
            groups: [
              {
                id: 'inner',
                title: 'Inner',
                controls: [
                  {
                    id: 'x-1',
                    title: 'Review by {{ insert: param, org }}',
                    params: [{ id: 'n', label: 'number of days' }],
                    props: [
                      { name: 'label', value: 'X-1' },
                      { name: 'status', value: 'withdrawn' },
                    ],
                    parts: [
                      {
                        name: 'statement',
                        prose:
                          'Review {{ insert: param, freq }} with {{ insert: param, missing }}; {{ odd }}',
                      },
                      { name: 'discussion', prose: 'Why.' },
                      { name: 'assessment-objective', prose: 'Left out.' },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    const fw = framework(result);
    expect(fw.controls.map((c) => [c.refId, c.kind, c.parentRefId, c.sortOrder])).toEqual([
      ['TOP-1', 'control', undefined, 1],
      ['OUTER', 'group', undefined, 2],
      ['INNER', 'group', 'OUTER', 1],
      ['X-1', 'control', 'INNER', 1],
    ]);
    expect(fw.controls[3]).toMatchObject({
      title: 'Review by Acme, Sub',
      description:
        'Review [Selection (one): daily; every [Assignment: number of days]] with [Assignment: missing]; [Assignment: odd]',
      guidance: 'Why.',
      withdrawn: true,
      sourceId: 'x-1',
    });
    expect(result.ok && result.warnings).toEqual([
      {
        path: 'catalog.groups[0].groups[0].controls[0]',
        message: 'The parameter "missing" is not declared; it is shown as [Assignment: missing].',
      },
    ]);
  });

  it('stops parameters that insert themselves', () => {
    const fw = framework(
      parseOscalCatalog(
        catalog({
          controls: [
            {
              id: 'c',
              title: 'C',
              params: [{ id: 'p', label: 'loop {{ insert: param, p }}' }],
              parts: [{ name: 'statement', prose: 'x {{ insert: param, p }} {{{ y' }],
            },
          ],
        }),
      ),
    );
    expect(fw.controls[0]!.description).not.toContain('{{');
    expect(fw.controls[0]!.description).toMatch(/^x \[Assignment: loop \[Assignment: loop/);
  });

  it('bounds what parameters inserting parameters can grow to', () => {
    const params = Array.from({ length: 6 }, (_, level) => ({
      id: `p${level}`,
      label: `level ${level}`,
      select: {
        choice: Array.from({ length: 50 }, (_, i) => `choice ${i} {{ insert: param, p${level + 1} }}`),
      },
    }));
    const result = parseOscalCatalog(
      catalog({
        controls: [
          { id: 'c', title: 'C', params, parts: [{ name: 'statement', prose: '{{ insert: param, p0 }}' }] },
        ],
      }),
    );
    expect(problems(result)).toEqual([
      {
        path: 'catalog.controls[0].parts',
        message: expect.stringMatching(/^The description holds \d+ characters/),
      },
    ]);
  });

  it('locates malformed entries by path', () => {
    const result = parseOscalCatalog(
      catalog({
        groups: [
          {
            id: 'g',
            title: 'G',
            controls: [{ id: 'ok', title: 'Fine' }, { id: 'bad' }, 'junk', { title: 'No id' }],
          },
          { id: 'h', title: 7, controls: {} },
          { id: 'i', title: 'Dup', props: [{ name: 'label', value: 'OK' }] },
        ],
      }),
    );
    expect(problems(result).map((p) => p.path)).toEqual([
      'catalog.groups[0].controls[1].title',
      'catalog.groups[0].controls[2]',
      'catalog.groups[0].controls[3].id',
      'catalog.groups[1].title',
      'catalog.groups[1].controls',
      'catalog.groups[2]',
    ]);
  });

  it('refuses long strings, missing metadata and documents that are not catalogs', () => {
    const long = 'x'.repeat(FRAMEWORK_LIMITS.titleLength + 1);
    expect(problems(parseOscalCatalog(catalog({ controls: [{ id: 'a', title: long }] })))[0]).toMatchObject({
      path: 'catalog.controls[0].title',
      message: expect.stringContaining('at most 500'),
    });
    expect(problems(parseOscalCatalog({ catalog: { controls: [] } })).map((p) => p.path)).toEqual([
      'catalog.uuid',
      'catalog.metadata',
      'catalog.metadata.title',
    ]);
    expect(problems(parseOscalCatalog({ profile: {} }))[0]!.message).toContain('this is an OSCAL profile');
  });

  it('refuses nesting deeper than the limit and too many controls', () => {
    let control: Record<string, unknown> = { id: 'leaf', title: 'Leaf' };
    for (let depth = 0; depth < FRAMEWORK_LIMITS.maxDepth + 2; depth++) {
      control = { id: `c${depth}`, title: `C${depth}`, controls: [control] };
    }
    const deep = problems(parseOscalCatalog(catalog({ controls: [control] })));
    expect(deep).toHaveLength(1);
    expect(deep[0]!.path).toMatch(/^catalog\.controls\[0\](\.controls\[0\]){7}\.controls$/);

    const many = Array.from({ length: FRAMEWORK_LIMITS.maxControls + 5 }, (_, i) => ({
      id: `c${i}`,
      title: 'C',
    }));
    const tooMany = problems(parseOscalCatalog(catalog({ controls: many })));
    expect(tooMany).toEqual([
      {
        path: 'catalog.controls[5000]',
        message: 'More than 5000 controls and groups; the rest is not read.',
      },
    ]);
  });

  it('never throws, whatever it is given', () => {
    const nested: unknown[] = [];
    let cursor = nested;
    for (let i = 0; i < 10_000; i++) {
      const next: unknown[] = [];
      cursor.push(next, { groups: next });
      cursor = next;
    }
    const junk: unknown[] = [
      null,
      undefined,
      42,
      'catalog',
      [],
      [{ catalog: {} }],
      { catalog: null },
      { catalog: [] },
      { catalog: { uuid: 5, metadata: 'x', groups: nested } },
      { catalog: { uuid: 'u', metadata: { title: 't' }, groups: [{ groups: [{ groups: nested }] }] } },
      catalog({
        controls: [{ id: 'a', title: 'A', params: 'x', parts: [{ name: 'statement', parts: nested }] }],
      }),
      catalog({ controls: [{ id: {}, title: [], props: [null, 1, { name: 'label' }] }] }),
    ];
    for (const doc of junk) {
      const result = parseOscalCatalog(doc);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
    }
  });
});
