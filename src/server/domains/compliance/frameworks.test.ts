import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signedIn } from '../../../../test/factories';
import { FIXTURES_DIR } from '../../../../test/fixtures';
import { type Client, sharedTestContext } from '../../../../test/harness';

// The NIST LOW baseline catalog is 1.2 MB; uploads default to 1 MB in tests.
const t = sharedTestContext({ maxUploadBytes: 4 * 1024 * 1024 });
const LOW_CATALOG = path.join(
  FIXTURES_DIR,
  'oscal/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json',
);
const LOW_PROFILE = path.join(FIXTURES_DIR, 'oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json');

async function compliance(level: 'read' | 'write' = 'write') {
  return (await signedIn(t, { grants: { compliance: level, core_inventory: 'write' } })).client;
}

async function install(client: Client, key: string) {
  const response = await client.post(`/api/v1/framework-library/${key}/install`);
  expect(response.statusCode).toBe(201);
  return response.json().data as { id: string; created: number; unchanged: number; mappings: number };
}

async function controlByRef(client: Client, frameworkId: string, refId: string) {
  const response = await client.get(
    `/api/v1/frameworks/${frameworkId}/controls?q=${encodeURIComponent(refId)}&pageSize=50`,
  );
  expect(response.statusCode).toBe(200);
  const found = (
    response.json().data as Array<{ refId: string; id: string; status: string; version: number }>
  ).find((c) => c.refId === refId);
  expect(found, refId).toBeDefined();
  return found!;
}

describe('frameworks from the library', () => {
  it('install with one call, again without duplicating, and list their controls in tree order with a status', async () => {
    const client = await compliance();
    const first = await install(client, 'iso27001-2022');
    expect(first.created).toBeGreaterThan(120);
    const again = await install(client, 'iso27001-2022');
    expect(again).toMatchObject({ id: first.id, created: 0, unchanged: first.created });

    const library = (await client.get('/api/v1/framework-library')).json().data as Array<{
      key: string;
      installedId: string | null;
    }>;
    expect(library.find((f) => f.key === 'iso27001-2022')?.installedId).toBe(first.id);

    const page = (await client.get(`/api/v1/frameworks/${first.id}/controls?pageSize=5`)).json();
    expect(page.total).toBe(first.created);
    expect(page.data.map((c: { refId: string }) => c.refId)).toEqual(['4', '4.1', '4.2', '4.3', '4.4']);
    expect(page.data[0]).toMatchObject({ kind: 'group', status: null });
    expect(page.data[1]).toMatchObject({
      kind: 'control',
      status: 'uncovered',
      parentId: page.data[0].id,
      applicable: true,
    });

    const framework = (await client.get(`/api/v1/frameworks/${first.id}`)).json();
    const controls = (
      await client.get(`/api/v1/frameworks/${first.id}/controls?kind=control&pageSize=1`)
    ).json().total;
    expect(framework).toMatchObject({
      source: 'builtin',
      stats: { controls, applicable: controls, uncovered: controls, coverage: 0, compliant: 0, manual: 0 },
    });
    // Headings have no status: filtering by one lists controls only.
    const uncovered = (
      await client.get(`/api/v1/frameworks/${first.id}/controls?status=uncovered&pageSize=1`)
    ).json();
    expect(uncovered.total).toBe(controls);
  });

  it('refuse edits of a built-in framework’s text, but take its Statement of Applicability with a justification', async () => {
    const client = await compliance();
    const { id } = await install(client, 'iso27001-2022');
    const control = await controlByRef(client, id, 'A.7.4');
    const retitled = await client.patch(`/api/v1/controls/${control.id}`, {
      title: 'Mine now',
      version: control.version,
    });
    expect(retitled.statusCode).toBe(422);
    expect(retitled.json().errors[0].path).toBe('title');

    const unjustified = await client.patch(`/api/v1/controls/${control.id}`, {
      applicable: false,
      version: control.version,
    });
    expect(unjustified.statusCode).toBe(422);
    expect(unjustified.json().errors).toEqual([
      { path: 'soaJustification', message: 'is required when the control is not applicable' },
    ]);

    const excluded = await client.patch(`/api/v1/controls/${control.id}`, {
      applicable: false,
      soaJustification: 'Fully remote company: no premises to monitor.',
      version: control.version,
    });
    expect(excluded.statusCode).toBe(200);
    expect(excluded.json()).toMatchObject({ applicable: false, status: 'not_applicable' });
  });
});

describe('evidence', () => {
  it('counts a linked record until it is archived, and flows to controls mapped as equal', async () => {
    const client = await compliance();
    const iso = await install(client, 'iso27001-2022');
    const soc2 = await install(client, 'soc2-tsc-2017');
    expect(soc2.mappings).toBeGreaterThan(0);

    // Find an equal mapping of an ISO control, and put evidence on the ISO side.
    const mapped = await client.get(`/api/v1/frameworks/${iso.id}/controls?pageSize=200&kind=control`);
    let source: { id: string; refId: string } | undefined;
    let target: { otherControlId: string } | undefined;
    for (const control of mapped.json().data as Array<{ id: string; refId: string }>) {
      const mappings = (await client.get(`/api/v1/controls/${control.id}/mappings`)).json().data as Array<{
        relationship: string;
        otherControlId: string;
        otherFrameworkId: string;
      }>;
      const equal = mappings.find((m) => m.relationship === 'equal' && m.otherFrameworkId === soc2.id);
      if (equal) {
        source = control;
        target = equal;
        break;
      }
    }
    expect(source, 'an ISO control mapped as equal to a SOC 2 criterion').toBeDefined();

    const location = await client.post('/api/v1/locations', { name: `Evidence site ${Date.now()}` });
    expect(location.statusCode).toBe(201);
    const linked = await client.post('/api/v1/compliance-links', {
      controlId: source!.id,
      linkableType: 'location',
      linkableId: location.json().id,
      justification: 'The office with badge access, reviewed quarterly.',
    });
    expect(linked.statusCode).toBe(201);
    expect(linked.json().data).toMatchObject({ linkableLabel: location.json().name, broken: false });

    const own = (await client.get(`/api/v1/controls/${source!.id}`)).json();
    expect(own).toMatchObject({ status: 'manual', evidenceCount: 1 });
    const isoStats = (await client.get(`/api/v1/frameworks/${iso.id}`)).json().stats;
    expect(isoStats.manual).toBeGreaterThanOrEqual(1);
    expect(isoStats.coverage).toBeGreaterThan(0);
    const via = (await client.get(`/api/v1/controls/${target!.otherControlId}`)).json();
    expect(via.status).toBe('manual');
    expect(via.statusReason).toContain(source!.refId);

    const fromRecord = await client.get(
      `/api/v1/compliance-links?linkableType=location&linkableId=${location.json().id}`,
    );
    expect(fromRecord.json().data).toHaveLength(1);

    // Archived: the link is shown broken and stops counting once statuses are recomputed.
    await client.post(`/api/v1/locations/${location.json().id}/archive`, {
      version: location.json().version,
    });
    const links = (await client.get(`/api/v1/compliance-links?controlId=${source!.id}`)).json().data;
    expect(links[0]).toMatchObject({ broken: true });
    expect((await client.post('/api/v1/compliance/recompute')).statusCode).toBe(200);
    expect((await client.get(`/api/v1/controls/${source!.id}`)).json().status).toBe('uncovered');
    expect((await client.get(`/api/v1/controls/${target!.otherControlId}`)).json().status).toBe('uncovered');
  });

  it('needs a justification, a linkable record the actor may read, and a control rather than a heading', async () => {
    const client = await compliance();
    const { id } = await install(client, 'iso27001-2022');
    const heading = await controlByRef(client, id, 'A.5');
    const control = await controlByRef(client, id, 'A.5.9');
    const location = (await client.post('/api/v1/locations', { name: `Linked ${Date.now()}` })).json();
    const base = { controlId: control.id, linkableType: 'location', linkableId: location.id };

    const noReason = await client.post('/api/v1/compliance-links', { ...base, justification: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].path).toBe('justification');
    const onHeading = await client.post('/api/v1/compliance-links', {
      ...base,
      controlId: heading.id,
      justification: 'x',
    });
    expect(onHeading.json().errors).toEqual([
      { path: 'controlId', message: 'is a heading; evidence goes on its controls' },
    ]);
    const unknownType = await client.post('/api/v1/compliance-links', {
      ...base,
      linkableType: 'spaceship',
      justification: 'x',
    });
    expect(unknownType.json().errors).toEqual([
      { path: 'linkableType', message: 'is not a linkable record type' },
    ]);

    const { client: outsider } = await signedIn(t, { grants: { compliance: 'write' } });
    const forbidden = await outsider.post('/api/v1/compliance-links', {
      ...base,
      justification: 'Inventory',
    });
    expect(forbidden.statusCode).toBe(403);

    const { client: reader } = await signedIn(t, { grants: { compliance: 'read' } });
    expect((await reader.post('/api/v1/compliance-links', { ...base, justification: 'x' })).statusCode).toBe(
      403,
    );
    const { client: nobody } = await signedIn(t, { grants: {} });
    expect((await nobody.get(`/api/v1/frameworks/${id}/controls`)).statusCode).toBe(403);
  });

  it('counts manual evidence only within its validity', async () => {
    const client = await compliance();
    const { id } = await install(client, 'iso27001-2022');
    const control = await controlByRef(client, id, 'A.5.1');
    const expired = await client.post('/api/v1/compliance-evidence', {
      controlId: control.id,
      title: 'Policy approval minutes 2020',
      evidenceDate: '2020-01-10',
      validUntil: '2021-01-10',
    });
    expect(expired.statusCode).toBe(201);
    expect((await client.get(`/api/v1/controls/${control.id}`)).json().status).toBe('uncovered');
    const current = await client.post('/api/v1/compliance-evidence', {
      controlId: control.id,
      title: 'Policy approval minutes',
      evidenceDate: '2026-01-10',
      validUntil: '2099-01-10',
    });
    expect(current.statusCode).toBe(201);
    expect((await client.get(`/api/v1/controls/${control.id}`)).json()).toMatchObject({
      status: 'manual',
      evidenceCount: 1,
    });
    await client.post(`/api/v1/compliance-evidence/${current.json().id}/archive`, { version: 1 });
    expect((await client.get(`/api/v1/controls/${control.id}`)).json().status).toBe('uncovered');

    const backwards = await client.post('/api/v1/compliance-evidence', {
      controlId: control.id,
      title: 'Wrong way round',
      evidenceDate: '2026-01-10',
      validUntil: '2025-01-10',
    });
    expect(backwards.json().errors).toEqual([
      { path: 'validUntil', message: 'must not be before the evidence date' },
    ]);
  });
});

describe('import and export', () => {
  it('imports the NIST LOW baseline catalog (dry run first), re-imports it idempotently, and applies its profile', async () => {
    const client = await compliance();
    const catalog = readFileSync(LOW_CATALOG);
    const dry = await client.upload('/api/v1/frameworks/import?format=oscal&dryRun=true', {
      filename: 'low.json',
      content: catalog,
    });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().data).toMatchObject({ dryRun: true, controlCount: 149, created: 167 });
    const listed = (await client.get('/api/v1/frameworks?source=imported')).json();
    expect(listed.total).toBe(0);

    const real = await client.upload('/api/v1/frameworks/import?format=oscal', {
      filename: 'low.json',
      content: catalog,
    });
    expect(real.statusCode).toBe(201);
    const imported = real.json().data;
    expect(imported).toMatchObject({ controlCount: 149, created: 167 });
    expect(imported.name).toContain('800-53');
    const again = await client.upload('/api/v1/frameworks/import?format=oscal', {
      filename: 'low.json',
      content: catalog,
    });
    expect(again.json().data).toMatchObject({ id: imported.id, created: 0, updated: 0, unchanged: 167 });

    const ac1 = await controlByRef(client, imported.id, 'AC-1');
    const detail = (await client.get(`/api/v1/controls/${ac1.id}`)).json();
    expect(detail.description).toContain('a.');
    expect(detail.description).not.toContain('{{');

    const profile = readFileSync(LOW_PROFILE);
    const withoutCatalog = await client.upload('/api/v1/frameworks/import?format=oscal', {
      filename: 'p.json',
      content: profile,
    });
    expect(withoutCatalog.statusCode).toBe(400);
    expect(withoutCatalog.json().errors[0].path).toBe('catalogId');
    const applied = await client.upload(
      `/api/v1/frameworks/import?format=oscal&catalogId=${imported.id}&name=LOW%20baseline`,
      {
        filename: 'p.json',
        content: profile,
      },
    );
    expect(applied.statusCode).toBe(201);
    expect(applied.json().data).toMatchObject({ name: 'LOW baseline', controlCount: 149 });
    // Without another name, the profile's title clashes with the catalog's: 409 naming the field.
    const clash = await client.upload(`/api/v1/frameworks/import?format=oscal&catalogId=${imported.id}`, {
      filename: 'p.json',
      content: profile,
    });
    expect(clash.statusCode === 201 || clash.json().errors?.[0]?.path === 'name').toBe(true);
  });

  it('answers a broken document 400 with where it is wrong, never 500', async () => {
    const client = await compliance();
    const truncated = await client.upload('/api/v1/frameworks/import?format=oscal', {
      filename: 'broken.json',
      content: '{"catalog": {"uuid": "x", "metadata": {"title": "T"},\n "groups": [',
    });
    expect(truncated.statusCode).toBe(400);
    expect(truncated.json().detail).toMatch(/line 2/);
    const noTitle = await client.post('/api/v1/frameworks/import?format=json', {
      id: 'mine',
      name: 'Mine',
      controls: [{ id: 'M-1' }],
    });
    expect(noTitle.statusCode).toBe(400);
    expect(noTitle.json().errors[0].path).toContain('controls[0]');
    const csv = await client.upload('/api/v1/frameworks/import?format=csv&name=Broken', {
      filename: 'c.csv',
      content: 'refId,title,parentRefId\nA,First,\nB,Second,Z\n',
    });
    expect(csv.statusCode).toBe(400);
    expect(csv.json().errors[0].path).toMatch(/^row 3/);
    expect(csv.json().detail).not.toContain('..');
    const unnamed = await client.upload('/api/v1/frameworks/import?format=csv', {
      filename: 'c.csv',
      content: 'refId,title\nA,First\n',
    });
    expect(unnamed.json().errors).toEqual([{ path: 'name', message: 'is required for a CSV file' }]);
  });

  it('exports a framework in each format, and the export imports back to the same controls', async () => {
    const client = await compliance();
    const { id } = await install(client, 'soc2-tsc-2017');
    const csvExport = await client.get(`/api/v1/frameworks/${id}/export?format=csv`);
    expect(csvExport.statusCode).toBe(200);
    expect(csvExport.headers['content-type']).toContain('text/csv');
    const oscal = await client.get(`/api/v1/frameworks/${id}/export?format=oscal`);
    expect(oscal.json().catalog.metadata['oscal-version']).toBeDefined();
    const json = (await client.get(`/api/v1/frameworks/${id}/export?format=json`)).json();
    json.id = 'soc2-copy';
    json.name = 'SOC 2 copy';
    const copy = await client.post('/api/v1/frameworks/import?format=json', json);
    expect(copy.statusCode).toBe(201);
    const original = (await client.get(`/api/v1/frameworks/${id}/controls?pageSize=200`)).json();
    const copied = (
      await client.get(`/api/v1/frameworks/${copy.json().data.id}/controls?pageSize=200`)
    ).json();
    expect(copied.data.map((c: { refId: string; title: string }) => [c.refId, c.title])).toEqual(
      original.data.map((c: { refId: string; title: string }) => [c.refId, c.title]),
    );
  });
});
