import { randomUUID } from 'node:crypto';
import { and, count, eq, ilike, inArray, like, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildCustomField, buildUser, signedIn } from '../../../../test/factories';
import { type Client, sharedTestContext } from '../../../../test/harness';
import { auditLog } from '../../platform/audit/audit.table';
import { assetHistory, assetModels, assets, brands, locations } from './assets.table';

/**
 * The CSV importer against deliberately messy files: every point of issue 4's "Import and export"
 * (encodings, delimiters, line ends, quoting, headers, dates, amounts, booleans, idempotent
 * re-import, references, all-or-nothing, dry run, limits, export round trip).
 */

const t = sharedTestContext();
const unique = () => randomUUID().slice(0, 8);

type Fields = Record<string, string | boolean | Record<string, string | null>>;

/** Sends `content` as the multipart `file` of an import, with the options as text fields. */
async function importFile(
  client: Client,
  entity: string,
  content: string | Buffer,
  fields: Fields = {},
  { dryRun = false, path = '' }: { dryRun?: boolean; path?: string } = {},
) {
  const boundary = `----opsdeck${randomUUID().replace(/-/g, '')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${text}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="import.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return client.raw(
    'POST',
    `/api/v1/imports/${entity}${path}${dryRun ? '?dryRun=true' : ''}`,
    Buffer.concat(parts),
    { 'content-type': `multipart/form-data; boundary=${boundary}` },
  );
}

const dryRun = (client: Client, entity: string, content: string | Buffer, fields: Fields = {}) =>
  importFile(client, entity, content, fields, { dryRun: true });

async function writer() {
  return (await signedIn(t, { grants: { core_inventory: 'write' } })).client;
}
/** An inventory writer who may also read people, and so match them by e-mail. */
async function writerWhoReadsPeople() {
  return (await signedIn(t, { grants: { core_inventory: 'write', hr_people: 'read' } })).client;
}

const byTag = async (tag: string) =>
  (await t.database.db.select().from(assets).where(eq(assets.assetTag, tag)))[0];

const counted = async () => {
  const [a] = await t.database.db.select({ n: count() }).from(assets);
  const [l] = await t.database.db.select({ n: count() }).from(locations);
  const [m] = await t.database.db.select({ n: count() }).from(assetModels);
  const [log] = await t.database.db.select({ n: count() }).from(auditLog);
  return { assets: a!.n, locations: l!.n, models: m!.n, audit: log!.n };
};

async function location(client: Client, name = `Site ${unique()}`) {
  return (await client.post('/api/v1/locations', { name })).json() as { id: string; name: string };
}

async function brandWithModels(client: Client, brandName: string, ...models: string[]) {
  const brand = (await client.post('/api/v1/brands', { name: brandName })).json() as { id: string };
  const made = [];
  for (const name of models)
    made.push((await client.post('/api/v1/asset-models', { brandId: brand.id, name })).json());
  return { brand, models: made as Array<{ id: string; name: string }> };
}

describe('CSV import of assets: real-world files', () => {
  it('reads a spreadsheet file: BOM, semicolons, CRLF, quoted delimiters, quotes and line breaks, day-first dates, 1.234,56 €, yes/no', async () => {
    const client = await writer();
    const site = await location(client);
    const [a, b] = [`MESSY-${unique()}`, `MESSY-${unique()}`];
    const csv =
      '\uFEFFAsset tag;Name;Serial number;Location;Purchase date;Cost;Currency;Critical;Comments\r\n' +
      `${a};"Laptop; 14""";SN-${a};${site.name.toUpperCase()};31/01/2024;"1.234,56 €";EUR;yes;"line one\r\nline two, with ""quotes"""\r\n` +
      `${b};Dock;;${site.name};05/02/2024;89,90;eur;No;\r\n`;
    const response = await importFile(client, 'assets', csv, { dateFormat: 'dmy' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().data).toMatchObject({ rows: 2, created: 2, errors: [], delimiter: ';' });
    expect(await byTag(a)).toMatchObject({
      name: 'Laptop; 14"',
      serialNumber: `SN-${a}`,
      locationId: site.id,
      purchaseDate: '2024-01-31',
      cost: '1234.56',
      currency: 'EUR',
      critical: true,
      comments: 'line one\r\nline two, with "quotes"',
    });
    expect(await byTag(b)).toMatchObject({
      serialNumber: null,
      purchaseDate: '2024-02-05',
      cost: '89.90',
      critical: false,
      comments: null,
    });
  });

  it('reads tab-separated files with lone CR line ends, $1,234.56, month-first dates and 1/0, Y/N booleans', async () => {
    const client = await writer();
    const [a, b] = [`TAB-${unique()}`, `TAB-${unique()}`];
    const csv =
      'assetTag\tname\tcost\tcurrency\tpurchaseDate\tcritical\tvirtual\r' +
      `${a}\tServer\t$1,234.56\tUSD\t01/31/2024\t1\tY\r` +
      `${b}\tSwitch\tUSD 99\tUSD\t12/01/2023\t0\tn\r`;
    const response = await importFile(client, 'assets', csv, { dateFormat: 'mdy' });
    expect(response.json().data).toMatchObject({ created: 2, errors: [], delimiter: '\t' });
    expect(await byTag(a)).toMatchObject({
      cost: '1234.56',
      purchaseDate: '2024-01-31',
      critical: true,
      virtual: true,
    });
    expect(await byTag(b)).toMatchObject({
      cost: '99.00',
      purchaseDate: '2023-12-01',
      critical: false,
      virtual: false,
    });
  });

  it('uses the delimiter asked for, and reads UTF-16 "Unicode text" and Windows-1252 files', async () => {
    const client = await writer();
    const tag = `ENC-${unique()}`;
    const semicolonsInside = `assetTag,name\n${tag},Écran; 27"\n`;
    const asked = await dryRun(client, 'assets', semicolonsInside, { delimiter: ',' });
    expect(asked.json().data).toMatchObject({ delimiter: ',', created: 1, errors: [] });
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`assetTag\tname\r\n${tag}\tÉcran\r\n`, 'utf16le'),
    ]);
    expect((await importFile(client, 'assets', utf16)).json().data).toMatchObject({ created: 1, errors: [] });
    expect((await byTag(tag))!.name).toBe('Écran');
    const cp1252 = Buffer.concat([
      Buffer.from(`assetTag,name\n${tag},Caf`),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    expect((await importFile(client, 'assets', cp1252)).json().data).toMatchObject({
      updated: 1,
      errors: [],
    });
    expect((await byTag(tag))!.name).toBe('Café');
  });

  it('reports duplicated, blank, unknown and competing headers on row 1, by name; an empty unnamed column is left out', async () => {
    const client = await writer();
    const csv = 'assetTag,name,Name,,Colour,Asset tag,\nX-1,One,Uno,data,red,X-1,\n';
    const report = (await dryRun(client, 'assets', csv)).json().data;
    expect(report.errors).toEqual([
      { row: 1, column: 'Name', message: 'appears twice (columns 2 and 3): rename or remove one' },
      { row: 1, column: 'column 4', message: 'has no header: name the column or remove it' },
      { row: 1, column: 'Colour', message: 'is not a column of assets: map it to a field or leave it out' },
      { row: 1, column: 'Asset tag', message: 'gives Asset tag like column "assetTag": keep one' },
    ]);
    expect(report.columns.map((c: { status: string }) => c.status)).toEqual([
      'mapped',
      'mapped',
      'duplicate',
      'blank',
      'unknown',
      'duplicate',
      'ignored',
    ]);
  });

  it('reports a quoted field never closed, and a row with more cells than the header', async () => {
    const client = await writer();
    const report = (await dryRun(client, 'assets', 'assetTag,name\nQ-1,One,extra\nQ-2,"Two\n')).json().data;
    expect(report.errors).toEqual([
      { row: 2, column: 'column 3', message: 'has more cells than the header has columns (2)' },
      { row: 3, column: null, message: 'a quoted field is never closed: a quote (") is missing' },
    ]);
  });

  it('reads ISO dates by default and explains the option when a day-first date comes; impossible days are refused', async () => {
    const client = await writer();
    const csv = `assetTag,name,purchaseDate\nD-${unique()},One,31/01/2024\nD-${unique()},Two,2023-02-29\n`;
    const iso = (await dryRun(client, 'assets', csv)).json().data;
    expect(iso.errors).toEqual([
      {
        row: 2,
        column: 'purchaseDate',
        message:
          'must be a date as YYYY-MM-DD (for 31/01/2024 choose the day-first or month-first date format)',
      },
      { row: 3, column: 'purchaseDate', message: 'is not a day of the calendar (2023-02-29)' },
    ]);
    const dayFirst = (await dryRun(client, 'assets', csv, { dateFormat: 'dmy' })).json().data;
    expect(dayFirst.errors).toEqual([
      { row: 3, column: 'purchaseDate', message: 'is not a day of the calendar (2023-02-29)' },
    ]);
  });
});

describe('CSV import of assets: matching, references, all or nothing', () => {
  it('re-imports idempotently: matched on the tag (else the serial), only real changes written, never duplicated', async () => {
    const client = await writer();
    const [a, b, c] = [`RE-${unique()}`, `RE-${unique()}`, `RE-${unique()}`];
    const file = `assetTag,name,serialNumber,cost,currency\n${a},One,S-${a},10,EUR\n${b},Two,S-${b},,\n${c},Three,S-${c},5.5,EUR\n`;
    expect((await importFile(client, 'assets', file)).json().data).toMatchObject({ created: 3, updated: 0 });
    const again = (await importFile(client, 'assets', file)).json().data;
    expect(again).toMatchObject({ rows: 3, created: 0, updated: 0, unchanged: 3 });
    // The tag in another case (the same asset: its tag is rewritten), a renamed asset, and a row
    // found by its serial number alone.
    const changed = `assetTag,name,serialNumber,cost,currency\n${a.toLowerCase()},One,S-${a},10.00,EUR\n${b},Two renamed,S-${b},,\n,Three,S-${c},5.50,EUR\n`;
    const report = (await importFile(client, 'assets', changed)).json().data;
    expect(report).toMatchObject({ created: 0, updated: 2, unchanged: 1, errors: [] });
    const [{ n }] = (await t.database.db
      .select({ n: count() })
      .from(assets)
      .where(
        inArray(
          sql`lower(${assets.assetTag})`,
          [a, b, c].map((tag) => tag.toLowerCase()),
        ),
      )) as [{ n: number }];
    expect(n).toBe(3);
    expect(await byTag(a.toLowerCase())).toMatchObject({ name: 'One', cost: '10.00', version: 2 });
    const renamed = (await byTag(b))!;
    expect(renamed).toMatchObject({ name: 'Two renamed', version: 2 });
    const updates = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, renamed.id), eq(auditLog.action, 'UPDATE')));
    expect(updates.map((u) => u.changes)).toEqual([{ name: { old: 'Two', new: 'Two renamed' } }]);
  });

  it('refuses a key repeated in the file, and a serial number another asset has', async () => {
    const client = await writer();
    const other = `OWN-${unique()}`;
    await client.post('/api/v1/assets', { name: 'Owner', assetTag: other, serialNumber: `SER-${other}` });
    const tag = `DUP-${unique()}`;
    const csv = `assetTag,name,serialNumber\n${tag},One,\n${tag.toLowerCase()},Again,\nNEW-${unique()},Thief,ser-${other}\n`;
    expect((await dryRun(client, 'assets', csv)).json().data.errors).toEqual([
      { row: 3, column: 'assetTag', message: 'repeats the asset tag of row 2' },
      { row: 4, column: 'serialNumber', message: `is already used by asset ${other} Owner` },
    ]);
  });

  it('resolves locations and models by name or id, within their brand, and reports unknown ones by row and column', async () => {
    const client = await writer();
    const site = await location(client);
    const suffix = unique();
    const one = await brandWithModels(client, `Brand A ${suffix}`, `Shared ${suffix}`, `Only ${suffix}`);
    const two = await brandWithModels(client, `Brand B ${suffix}`, `Shared ${suffix}`);
    const csv = [
      'Asset tag,Name,Location,Brand,Model',
      `R1-${suffix},One,${site.name.toLowerCase()},,only ${suffix}`,
      `R2-${suffix},Two,${site.id},Brand B ${suffix},Shared ${suffix}`,
      `R3-${suffix},Three,,,Shared ${suffix}`,
      `R4-${suffix},Four,Atlantis ${suffix},,`,
      `R5-${suffix},Five,,,${randomUUID()}`,
    ].join('\n');
    const report = (await dryRun(client, 'assets', csv)).json().data;
    expect(report.errors).toEqual([
      {
        row: 4,
        column: 'Model',
        message: `2 asset models are named "Shared ${suffix}": add a brand column to tell them apart`,
      },
      {
        row: 5,
        column: 'Location',
        message: `no location is named "Atlantis ${suffix}" (tick "create missing references" to create it)`,
      },
      { row: 6, column: 'Model', message: expect.stringMatching(/^no asset model has the id /) },
    ]);
    const valid = [csv.split('\n')[0], ...csv.split('\n').slice(1, 3)].join('\n');
    expect((await importFile(client, 'assets', valid)).json().data).toMatchObject({ created: 2, errors: [] });
    expect(await byTag(`R1-${suffix}`)).toMatchObject({ locationId: site.id, modelId: one.models[1]!.id });
    expect(await byTag(`R2-${suffix}`)).toMatchObject({ locationId: site.id, modelId: two.models[0]!.id });
  });

  it('refuses an archived location for a new asset, as the API does', async () => {
    const client = await writer();
    const site = await location(client);
    await client.post(`/api/v1/locations/${site.id}/archive`, {});
    const report = (
      await dryRun(client, 'assets', `assetTag,name,location\nARC-${unique()},X,${site.name}\n`)
    ).json().data;
    expect(report.errors).toEqual([{ row: 2, column: 'location', message: 'is archived' }]);
  });

  it('creates missing locations, brands and models once each when asked, each through the write path', async () => {
    const client = await writer();
    const suffix = unique();
    const rows = [
      'assetTag,name,location,brand,model',
      `C1-${suffix},One,Narnia ${suffix},Acme ${suffix},Rocket ${suffix}`,
      `C2-${suffix},Two,narnia ${suffix},acme ${suffix},rocket ${suffix}`,
      `C3-${suffix},Three,,,Orphan ${suffix}`,
    ];
    const before = await counted();
    const checked = (
      await dryRun(client, 'assets', rows.join('\n'), { createMissingReferences: 'true' })
    ).json().data;
    expect(checked.errors).toEqual([
      {
        row: 4,
        column: 'model',
        message: `no asset model is named "Orphan ${suffix}", and creating it needs its brand: add a Brand column`,
      },
    ]);
    expect(checked.createdReferences).toEqual([
      { entityType: 'location', name: `Narnia ${suffix}` },
      { entityType: 'brand', name: `Acme ${suffix}` },
      { entityType: 'asset_model', name: `Rocket ${suffix}` },
    ]);
    expect(await counted()).toEqual(before);
    const imported = await importFile(client, 'assets', rows.slice(0, 3).join('\n'), {
      createMissingReferences: 'true',
    });
    expect(imported.json().data).toMatchObject({ created: 2, errors: [] });
    const [site] = await t.database.db
      .select()
      .from(locations)
      .where(like(locations.name, `%${suffix}`));
    const [brand] = await t.database.db
      .select()
      .from(brands)
      .where(like(brands.name, `%${suffix}`));
    const models = await t.database.db
      .select()
      .from(assetModels)
      .where(like(assetModels.name, `%${suffix}`));
    expect(models).toEqual([expect.objectContaining({ name: `Rocket ${suffix}`, brandId: brand!.id })]);
    expect(await byTag(`C2-${suffix}`)).toMatchObject({ locationId: site!.id, modelId: models[0]!.id });
    const audited = await t.database.db
      .select({ type: auditLog.entityType })
      .from(auditLog)
      .where(inArray(auditLog.entityId, [site!.id, brand!.id, models[0]!.id]));
    expect(audited.map((a) => a.type).sort()).toEqual(['asset_model', 'brand', 'location']);
  });

  it('answers 422 with the report and writes nothing when any row has a problem', async () => {
    const client = await writer();
    const suffix = unique();
    const csv = `assetTag,name,cost,currency,location\nOK1-${suffix},Good,12,EUR,New place ${suffix}\nOK2-${suffix},Good,1,EUR,\nBAD-${suffix},Bad,twelve,EUR,\n`;
    const before = await counted();
    const response = await importFile(client, 'assets', csv, { createMissingReferences: 'true' });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      title: 'Import refused',
      detail:
        '1 problem in the file; nothing was imported. First: row 4, cost: must be an amount, e.g. 1234.56, $1,234.56 or 1.234,56 €',
      data: {
        rows: 3,
        errorCount: 1,
        errors: [
          { row: 4, column: 'cost', message: 'must be an amount, e.g. 1234.56, $1,234.56 or 1.234,56 €' },
        ],
      },
    });
    expect(await counted()).toEqual(before);
  });

  it('writes nothing on a dry run, however clean the file', async () => {
    const client = await writer();
    const suffix = unique();
    const before = await counted();
    const report = (
      await dryRun(client, 'assets', `assetTag,name,location\nDRY-${suffix},One,Dry ${suffix}\n`, {
        createMissingReferences: 'true',
      })
    ).json().data;
    expect(report).toMatchObject({ rows: 1, created: 1, errors: [] });
    expect(await counted()).toEqual(before);
  });
});

describe('CSV import of assets: the same rules as the API', () => {
  it('runs every row through the contract, the status rules and the custom fields', async () => {
    const client = await writer();
    const key = `colour_${unique().replace(/-/g, '')}`;
    await buildCustomField(t, {
      entityType: 'asset',
      key,
      label: `Colour ${key}`,
      fieldType: 'select',
      options: ['Red', 'Blue'],
    });
    const s = unique();
    /** What the API itself answers for the same values: the import must say the same. */
    const apiSays = async (body: Record<string, unknown>) =>
      (await client.post('/api/v1/assets', { name: 'X', assetTag: `API-${unique()}`, ...body })).json()
        .errors;
    const csv = [
      `assetTag,name,status,cost,currency,Colour ${key}`,
      `V1-${s},In use,In use,,,`,
      `V2-${s},Sold,sold,,,`,
      `V3-${s},No currency,,10,,`,
      `V4-${s},${'x'.repeat(201)},,,,`,
      `V5-${s},Colour,in repair,,,Green`,
      `V6-${s},Fine,in repair,,,blue`,
      ',No tag,,,,',
      `V7-${s},Every problem listed,In use,ten,EUR,`,
    ].join('\n');
    const report = (await dryRun(client, 'assets', csv)).json().data;
    const [inUse] = await apiSays({ status: 'in_use' });
    const [sold] = await apiSays({ status: 'sold' });
    const [currency] = await apiSays({ cost: 10 });
    const [tooLong] = await apiSays({ name: 'x'.repeat(201) });
    expect(report.errors).toEqual([
      { row: 2, column: 'status', message: inUse.message },
      { row: 3, column: 'status', message: sold.message },
      { row: 4, column: 'currency', message: currency.message },
      { row: 5, column: 'name', message: tooLong.message },
      { row: 6, column: `Colour ${key}`, message: 'must be one of: Red, Blue' },
      { row: 8, column: 'assetTag', message: 'is required' },
      // A cell refused does not stop the row's other checks: all its problems are listed at once.
      { row: 9, column: 'cost', message: 'must be an amount, e.g. 1234.56, $1,234.56 or 1.234,56 €' },
      { row: 9, column: 'status', message: inUse.message },
    ]);
    expect(inUse.message).toMatch(/checking it out/);
    expect(report.created).toBe(1);
    await importFile(client, 'assets', [csv.split('\n')[0], csv.split('\n')[6]].join('\n'));
    expect(await byTag(`V6-${s}`)).toMatchObject({ status: 'in_repair', customFields: { [key]: 'Blue' } });
  });

  it('never changes what only custody changes: the status of a checked-out asset, or its holder', async () => {
    const client = await writerWhoReadsPeople();
    const holder = await buildUser(t, { loginEnabled: false });
    const other = await buildUser(t, { loginEnabled: false });
    const tag = `OUT-${unique()}`;
    const asset = (await client.post('/api/v1/assets', { name: 'Out', assetTag: tag })).json();
    await client.post(`/api/v1/assets/${asset.id}/check-out`, { userId: holder.id });
    const same = (
      await dryRun(client, 'assets', `assetTag,name,status,holderEmail\n${tag},Out,in_use,${holder.email}\n`)
    ).json().data;
    expect(same).toMatchObject({ unchanged: 1, errors: [] });
    const csv = `assetTag,status,holder\n${tag},In stock,${other.email.toUpperCase()}\n`;
    expect((await dryRun(client, 'assets', csv)).json().data.errors).toEqual([
      { row: 2, column: 'holder', message: 'the holder changes only by checking the asset out or in' },
      { row: 2, column: 'status', message: 'check the asset in before changing its status' },
    ]);
  });

  it('writes the same history rows as creating the asset through the API', async () => {
    const client = await writer();
    const site = await location(client);
    const values = {
      name: 'Twin',
      category: 'Laptop',
      cost: '12.50',
      currency: 'EUR',
      purchaseDate: '2024-03-01',
      critical: true,
    };
    const viaApi = (
      await client.post('/api/v1/assets', { ...values, assetTag: `API-${unique()}`, locationId: site.id })
    ).json();
    const tag = `CSV-${unique()}`;
    await importFile(
      client,
      'assets',
      `assetTag,name,category,cost,currency,purchaseDate,critical,locationId\n${tag},Twin,Laptop,12.50,EUR,2024-03-01,yes,${site.id}\n`,
    );
    const viaCsv = (await byTag(tag))!;
    // A creation writes no history (the audit log has it); the same edit, by the API and by a
    // re-import, writes the same rows.
    await client.patch(`/api/v1/assets/${viaApi.id}`, {
      name: 'Twin 2',
      cost: '13.00',
      critical: false,
      version: 1,
    });
    await importFile(
      client,
      'assets',
      `assetTag,name,category,cost,currency,purchaseDate,critical,locationId\n${tag},Twin 2,Laptop,13.00,EUR,2024-03-01,no,${site.id}\n`,
    );
    const history = async (id: string) =>
      (await t.database.db.select().from(assetHistory).where(eq(assetHistory.entityId, id)))
        .map((h) => ({
          field: h.field,
          oldValue: h.oldValue,
          newValue: h.field === 'assetTag' ? 'tag' : h.newValue,
          note: h.note,
        }))
        .sort((x, y) => x.field.localeCompare(y.field));
    const imported = await history(viaCsv.id);
    expect(imported.map((h) => h.field)).toEqual(['cost', 'critical', 'name']);
    expect(imported).toEqual(await history(viaApi.id));
    const rows = await t.database.db
      .select({ id: assetHistory.id })
      .from(assetHistory)
      .where(eq(assetHistory.entityId, viaCsv.id));
    const audited = await t.database.db
      .select({ n: count() })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.entityType, 'asset_history'),
          inArray(
            auditLog.entityId,
            rows.map((r) => r.id),
          ),
        ),
      );
    expect(audited[0]!.n).toBe(rows.length);
  });
});

describe('CSV import: export round trip, mapping, other entities, access', () => {
  it("re-imports the list's own CSV export with every row unchanged", async () => {
    const client = await writer();
    const s = unique();
    const key = `cost_centre_${s.replace(/-/g, '')}`;
    await buildCustomField(t, { entityType: 'asset', key, label: `Cost centre ${s}`, fieldType: 'text' });
    const holder = await buildUser(t, { loginEnabled: false });
    const site = await location(client);
    const { models } = await brandWithModels(client, `Export brand ${s}`, `Export model ${s}`);
    const created = [
      {
        name: `=SUM(A1) ${s}`,
        assetTag: `EXP1-${s}`,
        comments: '-broken, "cracked"\nsecond line',
        customFields: { [key]: '+44 cost' },
      },
      {
        name: `Laptop ${s}`,
        assetTag: `EXP2-${s}`,
        serialNumber: `SN;${s}`,
        modelId: models[0]!.id,
        locationId: site.id,
        purchaseDate: '2023-12-31',
        cost: 1999.9,
        currency: 'usd',
        warrantyMonths: 36,
        usefulLifeMonths: 48,
        salvageValue: '100',
        critical: true,
        status: 'in_repair',
      },
      { name: `Out ${s}`, assetTag: `EXP3-${s}` },
    ];
    for (const body of created) expect((await client.post('/api/v1/assets', body)).statusCode).toBe(201);
    const out = await byTag(`EXP3-${s}`);
    await client.post(`/api/v1/assets/${out!.id}/check-out`, { userId: holder.id });
    const exported = await client.get(`/api/v1/assets/export.csv?q=${encodeURIComponent(s)}`);
    expect(exported.statusCode).toBe(200);
    expect(exported.body.split('\r\n')[0]).toContain(`cf.${key}`);
    const checked = (await dryRun(client, 'assets', exported.rawPayload)).json().data;
    expect(checked).toMatchObject({ rows: 3, created: 0, updated: 0, unchanged: 3, errors: [] });
    const imported = (await importFile(client, 'assets', exported.rawPayload)).json().data;
    expect(imported).toMatchObject({ rows: 3, unchanged: 3, errors: [] });
    expect((await byTag(`EXP2-${s}`))!.version).toBe(1);
  });

  it('takes a mapping of my headers, remembers it for me, and refuses a mapping to a column that does not exist', async () => {
    const { client, user } = await signedIn(t, { grants: { core_inventory: 'write' } });
    const tag = `MAP-${unique()}`;
    const csv = `Etiqueta;Nombre;Notas internas\n${tag};Portátil;no importar\n`;
    const unmapped = (await dryRun(client, 'assets', csv)).json().data;
    const headerProblems = unmapped.errors.filter((e: { row: number }) => e.row === 1);
    expect(headerProblems.map((e: { column: string }) => e.column)).toEqual([
      'Etiqueta',
      'Nombre',
      'Notas internas',
    ]);
    const mapping = { Etiqueta: 'assetTag', Nombre: 'name', 'Notas internas': null };
    const imported = await importFile(client, 'assets', csv, { mapping });
    expect(imported.json().data).toMatchObject({ created: 1, errors: [] });
    expect((await byTag(tag))!.name).toBe('Portátil');
    const columns = (await client.get('/api/v1/imports/assets/columns')).json().data;
    expect(columns.mapping).toEqual(mapping);
    expect(columns.keys).toEqual([['assetTag'], ['serialNumber']]);
    expect(columns.columns.find((c: { name: string }) => c.name === 'locationId')).toMatchObject({
      label: 'Location',
      kind: 'reference',
      reference: 'location',
    });
    const someoneElse = await writer();
    expect((await someoneElse.get('/api/v1/imports/assets/columns')).json().data.mapping).toBeNull();
    void user;
    const bad = await dryRun(client, 'assets', csv, { mapping: { Etiqueta: 'colour' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { path: 'mapping.Etiqueta', message: '"colour" is not an importable column' },
    ]);
  });

  it('previews a file: how each header maps and its first rows, writing nothing', async () => {
    const client = await writer();
    const preview = await importFile(
      client,
      'assets',
      'Asset tag;Nombre;warrantyEnd\nP-1;Uno;x\n',
      {},
      { path: '/preview' },
    );
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().data).toEqual({
      delimiter: ';',
      rows: 1,
      columns: [
        { header: 'Asset tag', field: 'assetTag', status: 'mapped' },
        { header: 'Nombre', field: null, status: 'unknown' },
        { header: 'warrantyEnd', field: null, status: 'read-only' },
      ],
      sample: [['P-1', 'Uno', 'x']],
    });
  });

  it('imports locations keyed by name and asset models keyed by brand and name', async () => {
    const client = await writer();
    const s = unique();
    const sites = `Name,City,Country,Time zone\nLisbon ${s},Lisbon,pt,Europe/Lisbon\nPorto ${s},Porto,PT,\n`;
    expect((await importFile(client, 'locations', sites)).json().data).toMatchObject({
      created: 2,
      errors: [],
    });
    const moved = `Name,City\nLISBON ${s},Sintra\n`;
    expect((await importFile(client, 'locations', moved)).json().data).toMatchObject({
      updated: 1,
      created: 0,
    });
    const found = await t.database.db
      .select()
      .from(locations)
      .where(ilike(locations.name, `lisbon ${s}`));
    expect(found).toEqual([
      expect.objectContaining({
        name: `LISBON ${s}`,
        city: 'Sintra',
        country: 'PT',
        timeZone: 'Europe/Lisbon',
      }),
    ]);
    const badZone = (await dryRun(client, 'locations', `name,timeZone\nX ${s},Mars/Olympus\n`)).json().data;
    expect(badZone.errors).toEqual([
      { row: 2, column: 'timeZone', message: 'must be an IANA time zone such as Europe/Madrid' },
    ]);

    await brandWithModels(client, `Dell ${s}`);
    await brandWithModels(client, `HP ${s}`);
    const models = `Brand,Model,Category\nDell ${s},Elite ${s},Laptop\nHP ${s},Elite ${s},Desktop\n`;
    expect((await importFile(client, 'asset-models', models)).json().data).toMatchObject({
      created: 2,
      errors: [],
    });
    const again = `Brand,Model,Category\ndell ${s},Elite ${s},Laptop\nHP ${s},Elite ${s},Tower\n`;
    expect((await importFile(client, 'asset-models', again)).json().data).toMatchObject({
      unchanged: 1,
      updated: 1,
    });
    const exported = await client.get(`/api/v1/asset-models/export.csv?q=${encodeURIComponent(s)}`);
    expect((await dryRun(client, 'asset-models', exported.rawPayload)).json().data).toMatchObject({
      unchanged: 2,
      errors: [],
    });
  });

  it('is described in the OpenAPI document', async () => {
    const document = (await (await writer()).get('/api/openapi.json')).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/imports', '/api/v1/imports/assets', '/api/v1/imports/assets/columns']),
    );
    expect(document.paths['/api/v1/imports/assets'].post.parameters).toEqual([
      expect.objectContaining({ name: 'dryRun', in: 'query' }),
    ]);
  });

  it('needs write access to the module, for a dry run too', async () => {
    const reader = (await signedIn(t, { grants: { core_inventory: 'read' } })).client;
    const csv = `assetTag,name\nACL-${unique()},X\n`;
    expect((await dryRun(reader, 'assets', csv)).statusCode).toBe(403);
    expect((await importFile(reader, 'assets', csv)).statusCode).toBe(403);
    expect((await reader.get('/api/v1/imports/assets/columns')).statusCode).toBe(403);
    expect((await reader.get('/api/v1/imports')).json().data).toEqual([]);
    const listed = (await (await writer()).get('/api/v1/imports')).json().data;
    expect(listed.map((e: { entity: string }) => e.entity)).toEqual([
      'locations',
      'asset-models',
      'assets',
      'peripherals',
      'software',
      'licenses',
    ]);
  });
});

describe('CSV import: ids, peripherals, software and licences', () => {
  it("finds a record by the export's id first (so a tag can be renamed), ignoring ids this system does not have", async () => {
    const client = await writer();
    const s = unique();
    const asset = (await client.post('/api/v1/assets', { name: 'Renamed', assetTag: `OLD-${s}` })).json();
    const csv = `id,assetTag,name\n${asset.id},NEW-${s},Renamed\n${randomUUID()},FOREIGN-${s},From elsewhere\nnot-an-id,BAD-${s},X\n`;
    const checked = (await dryRun(client, 'assets', csv)).json().data;
    expect(checked.errors).toEqual([
      { row: 4, column: 'id', message: 'is not an id: leave it empty for a new record' },
    ]);
    const lines = csv.split('\n');
    const report = (await importFile(client, 'assets', lines.slice(0, 3).join('\n'))).json().data;
    expect(report).toMatchObject({ updated: 1, created: 1, errors: [] });
    expect(await byTag(`NEW-${s}`)).toMatchObject({ id: asset.id, version: 2 });
    expect(await byTag(`OLD-${s}`)).toBeUndefined();
    const taken = `id,assetTag\n${asset.id},FOREIGN-${s}\n`;
    expect((await dryRun(client, 'assets', taken)).json().data.errors).toEqual([
      { row: 2, column: 'assetTag', message: `is already used by asset FOREIGN-${s} From elsewhere` },
    ]);
  });

  it('imports peripherals by serial number, with their model within their brand and their history', async () => {
    const client = await writer();
    const s = unique();
    await brandWithModels(client, `Logi ${s}`, `MX ${s}`);
    const csv = `Name;Type;Brand;Model;Serial number;Cost;Currency\nMouse;mouse;Logi ${s};MX ${s};PS-${s};"49,90 €";EUR\n`;
    expect((await importFile(client, 'peripherals', csv)).json().data).toMatchObject({
      created: 1,
      errors: [],
    });
    expect((await importFile(client, 'peripherals', csv)).json().data).toMatchObject({ unchanged: 1 });
    const listed = (await client.get(`/api/v1/peripherals?q=ps-${s}`)).json().data;
    expect(listed).toEqual([
      expect.objectContaining({ name: 'Mouse', cost: '49.90', serialNumber: `PS-${s}` }),
    ]);
    const timeline = (await client.get(`/api/v1/peripherals/${listed[0].id}/history`)).json();
    expect(timeline.data.map((e: { kind: string }) => e.kind)).toEqual(['created']);
    const edited = `Name;Type;Brand;Model;Serial number;Cost;Currency\nMouse;mouse;Logi ${s};MX ${s};PS-${s};"52,00 €";EUR\n`;
    expect((await importFile(client, 'peripherals', edited)).json().data).toMatchObject({ updated: 1 });
    const after = (await client.get(`/api/v1/peripherals/${listed[0].id}/history`)).json();
    expect(after.data[0].changes).toEqual([{ field: 'cost', oldValue: '49.90', newValue: '52.00' }]);
  });

  it('imports software with its owner by e-mail, and licences by software and name with their key sealed', async () => {
    const s = unique();
    const owner = await buildUser(t, { loginEnabled: false });
    const catalogue = `Name,Publisher,Owner\nEditor ${s},Acme,${owner.email}\nViewer ${s},Acme,nobody-${s}@example.test\n`;
    // Matching people by e-mail would tell someone who may not read people who works here.
    expect((await dryRun(await writer(), 'software', catalogue)).json().data.errors).toEqual([
      {
        row: 2,
        column: 'Owner',
        message: 'give the id: matching users by e-mail needs read access to users',
      },
      {
        row: 3,
        column: 'Owner',
        message: 'give the id: matching users by e-mail needs read access to users',
      },
    ]);
    const client = await writerWhoReadsPeople();
    expect((await dryRun(client, 'software', catalogue)).json().data.errors).toEqual([
      { row: 3, column: 'Owner', message: `no user has the e-mail "nobody-${s}@example.test"` },
    ]);
    const [header, first] = catalogue.split('\n');
    expect((await importFile(client, 'software', `${header}\n${first}\n`)).json().data).toMatchObject({
      created: 1,
    });
    const secret = `KEY-${s}-SECRET`;
    const licences = `Software,Name,Seats,Licence key,Expiry,Cost,Currency\nEditor ${s},Team,5,${secret},31/12/2030,"1.000,00",EUR\nEditor ${s},Solo,1,,,,\n`;
    const imported = await importFile(client, 'licenses', licences, { dateFormat: 'dmy' });
    expect(imported.json().data).toMatchObject({ created: 2, errors: [] });
    expect(imported.body).not.toContain(secret);
    const team = (await client.get(`/api/v1/licenses?q=team`))
      .json()
      .data.find((l: { name: string; hasKey: boolean }) => l.name === 'Team');
    expect(team).toMatchObject({ hasKey: true, seats: 5, expiryDate: '2030-12-31', cost: '1000.00' });
    const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, team.id));
    expect(JSON.stringify(audit)).not.toContain(secret);
    // The key column left empty on re-import keeps the key: a secret is never cleared by a blank.
    const again = licences.replace(secret, '');
    expect((await importFile(client, 'licenses', again, { dateFormat: 'dmy' })).json().data).toMatchObject({
      unchanged: 2,
      errors: [],
    });
    const revealed = (await client.post(`/api/v1/licenses/${team.id}/reveal-key`, {})).json();
    expect(JSON.stringify(revealed)).toContain(secret);
  });
});

describe('CSV import: limits', () => {
  it('refuses what is too large, or not a file, with a clear 4xx', async () => {
    const client = await writer();
    const wide = await dryRun(
      client,
      'assets',
      `${Array.from({ length: 201 }, (_, i) => `c${i}`).join(',')}\n`,
    );
    expect(wide.statusCode).toBe(422);
    expect(wide.json().detail).toBe('Row 1 has more than 200 columns; an import takes at most 200.');
    const long = await dryRun(client, 'assets', `assetTag,comments\nL-1,${'x'.repeat(10_001)}\n`);
    expect(long.statusCode).toBe(422);
    expect(long.json().detail).toBe('Row 2, column 2 holds 10001 characters; a cell may hold at most 10000.');
    const tall = await dryRun(client, 'assets', `name\n${'x\n'.repeat(50_001)}`);
    expect(tall.statusCode).toBe(422);
    expect(tall.json().detail).toBe('The file has more than 50000 rows; import at most 50000 at once.');
    // The test server takes files of 1 MiB.
    const huge = await dryRun(client, 'assets', `name\n${'y'.repeat(1024 * 1024)}\n`);
    expect(huge.statusCode).toBe(413);
    const mapping = await dryRun(client, 'assets', 'name\nx\n', { mapping: 'x'.repeat(70 * 1024) });
    expect(mapping.statusCode).toBe(413);
    expect((await dryRun(client, 'assets', '')).json()).toMatchObject({
      status: 400,
      errors: [{ path: 'file', message: 'is empty' }],
    });
    const notMultipart = await client.post('/api/v1/imports/assets?dryRun=true', { file: 'name\nx' });
    expect(notMultipart.statusCode).toBe(415);
    // A form without its boundary, or cut short, is the sender's mistake: a 400, never a 500.
    for (const [type, body] of [
      ['multipart/form-data', 'name\nx'],
      [
        'multipart/form-data; boundary=cut',
        '--cut\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nname',
      ],
    ] as const) {
      const broken = await client.raw('POST', '/api/v1/imports/assets?dryRun=true', Buffer.from(body), {
        'content-type': type,
      });
      expect(broken.statusCode).toBe(400);
      expect(broken.json().errors).toEqual([{ path: 'file', message: 'is not a valid multipart form' }]);
    }
    const unknownOption = await dryRun(client, 'assets', 'name\nx\n', { separator: ';' });
    expect(unknownOption.json()).toMatchObject({
      status: 400,
      errors: [{ path: 'separator', message: 'is not a known field' }],
    });
    const badDelimiter = await dryRun(client, 'assets', 'name\nx\n', { delimiter: '|' });
    expect(badDelimiter.statusCode).toBe(400);
    expect(badDelimiter.json().errors[0].path).toBe('delimiter');
  });
});
