import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../../../test/fixtures';
import type { ControlDefinition, FrameworkDefinition, FrameworkParseResult } from '../framework-model';
import { parseOscalCatalog } from './oscal-catalog';
import { applyOscalProfile, matchesGlob } from './oscal-profile';

const fixture = (name: string): unknown => JSON.parse(readFileSync(path.resolve(FIXTURES_DIR, name), 'utf8'));

function framework(result: FrameworkParseResult): FrameworkDefinition {
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.framework;
}

const nist = framework(
  parseOscalCatalog(fixture('oscal/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json')),
);

const profile = (imports: unknown[], extra: Record<string, unknown> = {}) => ({
  profile: {
    uuid: '9d1e7f7c-1111-4c3e-8a6f-1d2e3f4a5b6c',
    metadata: { title: 'My baseline', version: '2' },
    imports,
    ...extra,
  },
});

const control = (refId: string, parentRefId?: string, kind: ControlDefinition['kind'] = 'control') => ({
  refId,
  title: refId,
  sortOrder: 1,
  kind,
  ...(parentRefId ? { parentRefId } : {}),
});

const small: FrameworkDefinition = {
  key: 'small',
  name: 'Small',
  publisher: 'Catalog publisher',
  controls: [
    control('A', undefined, 'group'),
    control('A-1', 'A'),
    control('A-1.1', 'A-1'),
    control('A-1.2', 'A-1'),
    control('A-2', 'A'),
    control('B', undefined, 'group'),
    control('B-1', 'B'),
  ],
};

describe('applyOscalProfile', () => {
  it('selects the with-ids of the NIST LOW baseline profile from its catalog', () => {
    const doc = fixture('oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json') as {
      profile: { imports: Array<{ 'include-controls': Array<{ 'with-ids': string[] }> }> };
    };
    const ids = doc.profile.imports.flatMap((i) => i['include-controls'].flatMap((r) => r['with-ids']));
    const result = applyOscalProfile(doc, nist);
    const baseline = framework(result);
    expect(baseline).toMatchObject({
      key: '7eca4589-7ed9-4552-9da6-738126660be3',
      name: 'NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE',
      version: '5.1.1+u4',
    });
    const controls = baseline.controls.filter((c) => c.kind === 'control');
    expect(controls.map((c) => c.sourceId).sort()).toEqual([...ids].sort());
    expect(baseline.controls.filter((c) => c.kind === 'group')).toHaveLength(18);
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('keeps the ancestors of what it selects, leaves out the rest and warns about unknown ids', () => {
    const result = applyOscalProfile(
      profile([
        {
          href: '#x',
          'include-controls': [{ 'with-ids': ['a-1.2', 'nope'] }, { 'with-ids': ['B-1'] }],
          'exclude-controls': [{ 'with-ids': ['b-1'] }],
        },
      ]),
      small,
    );
    const fw = framework(result);
    expect(fw.controls.map((c) => c.refId)).toEqual(['A', 'A-1', 'A-1.2']);
    expect(fw).toMatchObject({
      key: '9d1e7f7c-1111-4c3e-8a6f-1d2e3f4a5b6c',
      name: 'My baseline',
      version: '2',
    });
    expect(fw.publisher).toBe('Catalog publisher');
    expect(result.ok && result.warnings).toEqual([
      {
        path: 'profile.imports[0].include-controls[0].with-ids[1]',
        message: 'The catalog has no control "nope".',
      },
    ]);
  });

  it('takes include-all, child controls, matching patterns and modify warnings', () => {
    const all = framework(
      applyOscalProfile(
        profile([{ 'include-all': {}, 'exclude-controls': [{ 'with-ids': ['a-2'] }] }]),
        small,
      ),
    );
    expect(all.controls.map((c) => c.refId)).toEqual(['A', 'A-1', 'A-1.1', 'A-1.2', 'B', 'B-1']);

    const children = framework(
      applyOscalProfile(
        profile([{ 'include-controls': [{ 'with-ids': ['a-1'], 'with-child-controls': 'yes' }] }]),
        small,
      ),
    );
    expect(children.controls.map((c) => c.refId)).toEqual(['A', 'A-1', 'A-1.1', 'A-1.2']);

    const matched = applyOscalProfile(
      profile([{ 'include-controls': [{ matching: [{ pattern: 'b-*' }, { pattern: 'z?' }] }] }], {
        modify: {},
      }),
      small,
    );
    expect(framework(matched).controls.map((c) => c.refId)).toEqual(['B', 'B-1']);
    expect(matched.ok && matched.warnings.map((w) => w.path)).toEqual([
      'profile.imports[0].include-controls[0].matching[1]',
      'profile.modify',
    ]);
  });

  it('refuses malformed profiles and profiles that select nothing, with paths', () => {
    const bad = applyOscalProfile(profile([{ 'include-controls': [{ 'with-ids': [3] }] }, 'x']), small);
    expect(!bad.ok && bad.problems.map((p) => p.path)).toEqual([
      'profile.imports[0].include-controls[0].with-ids[0]',
      'profile.imports[1]',
    ]);
    const none = applyOscalProfile(profile([{ 'include-controls': [{ 'with-ids': ['zz'] }] }]), small);
    expect(!none.ok && none.problems).toEqual([
      { path: 'profile.imports', message: 'The profile selects no control of the catalog.' },
    ]);
    for (const doc of [null, 1, [], {}, { profile: [] }, { profile: { uuid: 'u', imports: {} } }]) {
      expect(applyOscalProfile(doc, small).ok).toBe(false);
    }
  });

  it('matches glob patterns without backtracking blow-up', () => {
    expect(matchesGlob('ac-*', 'AC-2.1')).toBe(true);
    expect(matchesGlob('a?-1', 'ab-1')).toBe(true);
    expect(matchesGlob('a*b*c', 'axxbyc')).toBe(true);
    expect(matchesGlob('a*b*c', 'axxbyd')).toBe(false);
    expect(matchesGlob(`${'*a'.repeat(50)}b`, 'a'.repeat(100))).toBe(false);
  });
});
