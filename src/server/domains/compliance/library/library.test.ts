import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../../../test/fixtures';
import { type ControlDefinition, FRAMEWORK_LIMITS, type FrameworkDefinition } from '../framework-model';
import { BUILTIN_FRAMEWORKS, BUILTIN_MAPPINGS, builtinMappingsFor, findBuiltinFramework } from './index';

function framework(key: string): FrameworkDefinition {
  const found = findBuiltinFramework(key);
  if (!found) throw new Error(`no built-in framework ${key}`);
  return found;
}

function refIds(
  definition: FrameworkDefinition,
  predicate: (control: ControlDefinition) => boolean,
): string[] {
  return definition.controls.filter(predicate).map((control) => control.refId);
}

const isControl = (control: ControlDefinition) => control.kind === 'control';
const isGroup = (control: ControlDefinition) => control.kind === 'group';

describe('built-in framework structure', () => {
  it.each(BUILTIN_FRAMEWORKS.map((definition) => [definition.key, definition] as const))(
    '%s is a well-formed tree within the limits',
    (_key, definition) => {
      expect(definition.name.length).toBeLessThanOrEqual(FRAMEWORK_LIMITS.nameLength);
      expect(definition.description?.length ?? 0).toBeLessThanOrEqual(FRAMEWORK_LIMITS.textLength);
      expect(definition.controls.length).toBeLessThanOrEqual(FRAMEWORK_LIMITS.maxControls);

      const byRefId = new Map(definition.controls.map((control) => [control.refId, control]));
      expect(byRefId.size, 'refIds are unique').toBe(definition.controls.length);

      const siblingOrders = new Map<string, number[]>();
      for (const control of definition.controls) {
        expect(control.refId.length).toBeGreaterThan(0);
        expect(control.refId.length).toBeLessThanOrEqual(FRAMEWORK_LIMITS.refIdLength);
        expect(control.title.trim().length, control.refId).toBeGreaterThan(0);
        expect(control.title.length, control.refId).toBeLessThanOrEqual(FRAMEWORK_LIMITS.titleLength);
        expect(control.description?.length ?? 0).toBeLessThanOrEqual(FRAMEWORK_LIMITS.textLength);
        expect(['group', 'control']).toContain(control.kind);
        if (control.parentRefId !== undefined) {
          expect(byRefId.has(control.parentRefId), `parent of ${control.refId}`).toBe(true);
        }
        const parentKey = control.parentRefId ?? '';
        siblingOrders.set(parentKey, [...(siblingOrders.get(parentKey) ?? []), control.sortOrder]);
      }

      // Numbered 1, 2, 3… among siblings, in document order.
      for (const orders of siblingOrders.values()) {
        expect(orders).toEqual(orders.map((_order, index) => index + 1));
      }

      // Walking up from any control reaches the top within the depth limit: no cycles.
      for (const control of definition.controls) {
        let depth = 1;
        let current = control;
        while (current.parentRefId !== undefined) {
          current = byRefId.get(current.parentRefId)!;
          depth += 1;
          expect(depth, `depth of ${control.refId}`).toBeLessThanOrEqual(FRAMEWORK_LIMITS.maxDepth);
        }
      }
    },
  );

  it('uses one key per framework and finds each by key', () => {
    const keys = BUILTIN_FRAMEWORKS.map((definition) => definition.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(['iso27001-2022', 'soc2-tsc-2017', 'nist-csf-2.0', 'nist-sp-800-53-rev5']);
    expect(findBuiltinFramework('no-such-framework')).toBeUndefined();
  });
});

describe('ISO/IEC 27001:2022', () => {
  const iso = framework('iso27001-2022');
  const byRefId = new Map(iso.controls.map((control) => [control.refId, control]));

  it('has clauses 4 to 10 as groups with their sub-clauses as controls', () => {
    for (const clause of ['4', '5', '6', '7', '8', '9', '10']) {
      expect(byRefId.get(clause)?.kind, clause).toBe('group');
    }
    for (const refId of [
      '4.1',
      '4.4',
      '5.3',
      '6.1.2',
      '6.1.3',
      '6.3',
      '7.5.3',
      '8.3',
      '9.2.2',
      '9.3.3',
      '10.2',
    ]) {
      expect(byRefId.get(refId)?.kind, refId).toBe('control');
    }
    expect(byRefId.get('6.1.2')?.parentRefId).toBe('6.1');
  });

  it('has the 93 Annex A controls under four themes', () => {
    const themes = { 'A.5': 37, 'A.6': 8, 'A.7': 14, 'A.8': 34 };
    for (const [theme, count] of Object.entries(themes)) {
      expect(byRefId.get(theme)).toMatchObject({ kind: 'group', parentRefId: 'A' });
      const controls = refIds(iso, (control) => control.parentRefId === theme);
      const themeNumber = theme.slice(2);
      expect(controls).toEqual(
        Array.from({ length: count }, (_unused, index) => `A.${themeNumber}.${index + 1}`),
      );
    }
    expect(refIds(iso, (control) => isControl(control) && control.refId.startsWith('A.'))).toHaveLength(93);
  });

  it('describes every control', () => {
    for (const control of iso.controls.filter(isControl)) {
      expect(control.description?.trim().length, control.refId).toBeGreaterThan(0);
    }
  });
});

describe('SOC 2 Trust Services Criteria', () => {
  const soc2 = framework('soc2-tsc-2017');
  const expected = [
    ...['CC1.1', 'CC1.2', 'CC1.3', 'CC1.4', 'CC1.5', 'CC2.1', 'CC2.2', 'CC2.3'],
    ...['CC3.1', 'CC3.2', 'CC3.3', 'CC3.4', 'CC4.1', 'CC4.2', 'CC5.1', 'CC5.2', 'CC5.3'],
    ...['CC6.1', 'CC6.2', 'CC6.3', 'CC6.4', 'CC6.5', 'CC6.6', 'CC6.7', 'CC6.8'],
    ...['CC7.1', 'CC7.2', 'CC7.3', 'CC7.4', 'CC7.5', 'CC8.1', 'CC9.1', 'CC9.2'],
    ...['A1.1', 'A1.2', 'A1.3', 'C1.1', 'C1.2', 'PI1.1', 'PI1.2', 'PI1.3', 'PI1.4', 'PI1.5'],
    ...['P1.1', 'P2.1', 'P3.1', 'P3.2', 'P4.1', 'P4.2', 'P4.3', 'P5.1', 'P5.2'],
    ...['P6.1', 'P6.2', 'P6.3', 'P6.4', 'P6.5', 'P6.6', 'P6.7', 'P7.1', 'P8.1'],
  ];

  it('lists every criterion, in order, from CC1.1 to P8.1', () => {
    const criteria = refIds(soc2, isControl);
    expect(criteria).toEqual(expected);
    expect(criteria[0]).toBe('CC1.1');
    expect(criteria.at(-1)).toBe('P8.1');
  });

  it('groups criteria by category', () => {
    expect(refIds(soc2, isGroup)).toEqual([
      ...['CC', 'CC1', 'CC2', 'CC3', 'CC4', 'CC5', 'CC6', 'CC7', 'CC8', 'CC9'],
      ...['A1', 'C1', 'PI1', 'P', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8'],
    ]);
    const byRefId = new Map(soc2.controls.map((control) => [control.refId, control]));
    expect(byRefId.get('CC6.1')?.parentRefId).toBe('CC6');
    expect(byRefId.get('CC6')?.parentRefId).toBe('CC');
    expect(byRefId.get('P6.7')?.parentRefId).toBe('P6');
  });
});

describe('NIST CSF 2.0', () => {
  const csf = framework('nist-csf-2.0');
  const functions = refIds(csf, (control) => control.parentRefId === undefined);
  const categories = refIds(csf, (control) => isGroup(control) && control.parentRefId !== undefined);
  const subcategories = csf.controls.filter(isControl);

  it('has 6 functions, 22 categories and 106 subcategories', () => {
    expect(functions).toEqual(['GV', 'ID', 'PR', 'DE', 'RS', 'RC']);
    expect(categories).toHaveLength(22);
    expect(subcategories).toHaveLength(106);
  });

  it('places each category under its function and each subcategory under its category', () => {
    const byRefId = new Map(csf.controls.map((control) => [control.refId, control]));
    for (const category of categories) {
      expect(category).toMatch(/^[A-Z]{2}\.[A-Z]{2}$/);
      expect(byRefId.get(category)?.parentRefId).toBe(category.slice(0, 2));
    }
    for (const subcategory of subcategories) {
      expect(subcategory.refId).toMatch(/^[A-Z]{2}\.[A-Z]{2}-\d{2}$/);
      expect(subcategory.parentRefId).toBe(subcategory.refId.slice(0, 5));
    }
  });
});

describe('NIST SP 800-53 Rev. 5', () => {
  const catalog = framework('nist-sp-800-53-rev5');
  const families = ['AC', 'AT', 'AU', 'CA', 'CM', 'CP', 'IA', 'IR', 'MA', 'MP'];
  families.push('PE', 'PL', 'PM', 'PS', 'PT', 'RA', 'SA', 'SC', 'SI', 'SR');
  const controls = catalog.controls.filter(isControl);

  it('has the 20 families and every base control', () => {
    expect(refIds(catalog, isGroup)).toEqual(families);
    expect(controls.length).toBeGreaterThanOrEqual(300);
    expect(controls).toHaveLength(323);
    expect(controls.filter((control) => control.withdrawn)).toHaveLength(24);
  });

  it('numbers controls consecutively within each family, with OSCAL source ids', () => {
    for (const family of families) {
      const inFamily = controls.filter((control) => control.parentRefId === family);
      expect(inFamily.map((control) => control.refId)).toEqual(
        inFamily.map((_control, index) => `${family}-${index + 1}`),
      );
    }
    for (const control of controls) {
      expect(control.sourceId).toBe(control.refId.toLowerCase());
    }
  });

  it('marks withdrawn controls and says where they went', () => {
    const byRefId = new Map(controls.map((control) => [control.refId, control]));
    expect(byRefId.get('AC-13')).toMatchObject({
      withdrawn: true,
      title: 'Supervision and Review — Access Control [Withdrawn: incorporated into AC-2 and AU-6]',
    });
    expect(byRefId.get('SA-12')?.withdrawn).toBe(true);
    expect(byRefId.get('AC-2')?.withdrawn).toBeUndefined();
    expect(byRefId.get('AC-2')?.title).toBe('Account Management');
  });
});

describe('built-in mappings', () => {
  it('point at existing, applicable controls of their frameworks', () => {
    for (const mapping of BUILTIN_MAPPINGS) {
      const from = framework(mapping.fromFramework).controls.find((c) => c.refId === mapping.fromRefId);
      const to = framework(mapping.toFramework).controls.find((c) => c.refId === mapping.toRefId);
      const label = `${mapping.fromRefId} → ${mapping.toRefId}`;
      expect(from, label).toMatchObject({ kind: 'control' });
      expect(to, label).toMatchObject({ kind: 'control' });
      expect(from?.withdrawn ?? false, label).toBe(false);
      expect(to?.withdrawn ?? false, label).toBe(false);
      expect(mapping.fromFramework).not.toBe(mapping.toFramework);
    }
  });

  it('has no duplicates, in either direction', () => {
    const seen = new Set<string>();
    for (const mapping of BUILTIN_MAPPINGS) {
      const ends = [
        `${mapping.fromFramework}:${mapping.fromRefId}`,
        `${mapping.toFramework}:${mapping.toRefId}`,
      ].sort();
      const pair = ends.join(' ~ ');
      expect(seen.has(pair), pair).toBe(false);
      seen.add(pair);
    }
  });

  it('has a useful number of mappings, a conservative share of them equal', () => {
    expect(BUILTIN_MAPPINGS.length).toBeGreaterThanOrEqual(100);
    expect(BUILTIN_MAPPINGS.length).toBeLessThanOrEqual(250);
    const equal = BUILTIN_MAPPINGS.filter((mapping) => mapping.relationship === 'equal');
    expect(equal.length).toBeGreaterThanOrEqual(20);
    expect(equal.length).toBeLessThan(BUILTIN_MAPPINGS.length / 4);
  });

  it('selects the mappings whose two ends are installed', () => {
    const isoAndCsf = builtinMappingsFor(['iso27001-2022', 'nist-csf-2.0']);
    expect(isoAndCsf.length).toBeGreaterThan(0);
    for (const mapping of isoAndCsf) {
      expect([mapping.fromFramework, mapping.toFramework].sort()).toEqual(['iso27001-2022', 'nist-csf-2.0']);
    }
    expect(builtinMappingsFor(['iso27001-2022'])).toEqual([]);
    expect(builtinMappingsFor([])).toEqual([]);
    expect(builtinMappingsFor(BUILTIN_FRAMEWORKS.map((definition) => definition.key))).toHaveLength(
      BUILTIN_MAPPINGS.length,
    );
  });
});

// Official titles from a third-party fixture, read at test time only: our titles must be our own words.
describe('copyrighted wording is not shipped', () => {
  const fixtures = [
    ['iso27001-2022', 'ISO27001-2022.json'],
    ['soc2-tsc-2017', 'SOC2.json'],
  ] as const;

  for (const [key, file] of fixtures) {
    const fixturePath = path.resolve(FIXTURES_DIR, 'frameworks', file);
    it.skipIf(!existsSync(fixturePath))(`${key} titles differ from the official ones in ${file}`, () => {
      const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as {
        controls: { id: string; name: string }[];
      };
      const ours = new Map(framework(key).controls.map((control) => [control.refId, control.title]));
      const normalize = (text: string) => text.trim().toLowerCase();
      let compared = 0;
      for (const official of fixture.controls) {
        const title = ours.get(official.id);
        if (title === undefined) continue;
        compared += 1;
        expect(normalize(title), official.id).not.toBe(normalize(official.name));
      }
      expect(compared).toBe(fixture.controls.length);
    });
  }
});
