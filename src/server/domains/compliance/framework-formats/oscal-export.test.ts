import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../../../test/fixtures';
import type { ControlDefinition, FrameworkDefinition, FrameworkParseResult } from '../framework-model';
import { parseOscalCatalog } from './oscal-catalog';
import { OSCAL_VERSION, oscalIdFor, toOscalCatalog, uuidFor } from './oscal-export';
import { parseSimpleFrameworkJson } from './simple-json';

const fixture = (name: string): unknown => JSON.parse(readFileSync(path.resolve(FIXTURES_DIR, name), 'utf8'));

function framework(result: FrameworkParseResult): FrameworkDefinition {
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.framework;
}

/** What a round trip must keep: references, titles, kinds, hierarchy and text. */
const shape = (def: FrameworkDefinition) =>
  def.controls
    .map((c: ControlDefinition) => [
      c.refId,
      c.title,
      c.kind,
      c.parentRefId,
      c.description,
      c.guidance,
      c.withdrawn,
    ])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

const TOKEN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const UUID_V4_OR_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-[45][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function allIds(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) allIds(item, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'id' && typeof value === 'string') out.push(value);
      else allIds(value, out);
    }
  }
  return out;
}

describe('toOscalCatalog', () => {
  it('round-trips the NIST LOW catalog with its ids, labels and hierarchy', () => {
    const nist = framework(
      parseOscalCatalog(fixture('oscal/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json')),
    );
    const doc = toOscalCatalog(nist);
    expect(doc.catalog.uuid).toBe(nist.key);
    expect(doc.catalog.metadata).toMatchObject({ 'oscal-version': OSCAL_VERSION, version: '5.1.1+u4' });
    expect(doc.catalog.groups).toHaveLength(18);
    expect(doc.catalog.groups![0]!.controls![0]).toMatchObject({
      id: 'ac-1',
      title: 'Policy and Procedures',
      props: [{ name: 'label', value: 'AC-1' }],
      parts: [
        { id: 'ac-1_smt', name: 'statement' },
        { id: 'ac-1_gdn', name: 'guidance' },
      ],
    });
    const back = framework(parseOscalCatalog(JSON.parse(JSON.stringify(doc))));
    expect(back).toMatchObject({
      key: nist.key,
      name: nist.name,
      version: nist.version,
      publisher: nist.publisher,
    });
    expect(back.controls).toEqual(nist.controls);
  });

  it('derives OSCAL tokens from refIds and keeps the refIds as labels (ISO 27001)', () => {
    const iso = framework(parseSimpleFrameworkJson(fixture('frameworks/ISO27001-2022.json')));
    const doc = toOscalCatalog(iso);
    const ids = allIds(doc);
    expect(ids.every((id) => TOKEN.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.catalog.uuid).toMatch(UUID_V4_OR_V5);
    expect(doc.catalog.uuid).toBe(toOscalCatalog(iso).catalog.uuid);
    expect(doc.catalog.controls!.slice(0, 1)).toEqual([
      { id: '_4.1', title: iso.controls[0]!.title, props: [{ name: 'label', value: '4.1' }] },
    ]);
    const back = framework(parseOscalCatalog(doc));
    expect(shape(back)).toEqual(shape(iso));
    expect(back.key).toBe(doc.catalog.uuid);
  });

  it('writes groups, nested groups, enhancements, withdrawn status and the publisher', () => {
    const def: FrameworkDefinition = {
      key: 'custom',
      name: 'Custom',
      publisher: 'Acme',
      description: 'About',
      controls: [
        { refId: 'G', title: 'Group', sortOrder: 1, kind: 'group', description: 'Overview' },
        { refId: 'G.1', title: 'Sub', parentRefId: 'G', sortOrder: 1, kind: 'group' },
        { refId: 'C-1', title: 'C1', parentRefId: 'G.1', sortOrder: 1, kind: 'control', guidance: 'Why' },
        { refId: 'C-1(1)', title: 'E1', parentRefId: 'C-1', sortOrder: 1, kind: 'control', withdrawn: true },
        { refId: 'c 1 (1)', title: 'Clash', parentRefId: 'G', sortOrder: 2, kind: 'control' },
      ],
    };
    const doc = toOscalCatalog(def);
    expect(doc.catalog.groups![0]).toMatchObject({
      id: 'g',
      parts: [{ id: 'g_ovw', name: 'overview', prose: 'Overview' }],
      groups: [{ id: 'g.1', controls: [{ id: 'c-1', controls: [{ id: 'c-1.1' }] }] }],
      controls: [{ id: 'c-1.1-2', props: [{ name: 'label', value: 'c 1 (1)' }] }],
    });
    const back = framework(parseOscalCatalog(doc));
    expect(shape(back)).toEqual(shape(def));
    expect(back).toMatchObject({ publisher: 'Acme', description: 'About', version: 'unversioned' });
  });

  it('makes OSCAL ids and name-based uuids', () => {
    expect(oscalIdFor('AC-2(1)')).toBe('ac-2.1');
    expect(oscalIdFor('A.5.1')).toBe('a.5.1');
    expect(oscalIdFor('CC 6.1 / x')).toBe('cc-6.1-x');
    expect(oscalIdFor('9')).toBe('_9');
    expect(oscalIdFor('***')).toBe('control');
    expect(uuidFor('SOC2')).toMatch(UUID_V4_OR_V5);
    expect(uuidFor('SOC2')).not.toBe(uuidFor('SOC3'));
    expect(uuidFor('0470D39A-3E02-4BFF-82CF-676D522C1554')).toBe('0470d39a-3e02-4bff-82cf-676d522c1554');
  });
});
