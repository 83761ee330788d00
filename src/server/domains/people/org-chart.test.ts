import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

interface Node {
  id: string;
  name: string;
  children: Node[];
}

function find(forest: Node[], id: string): Node | undefined {
  for (const node of forest) {
    if (node.id === id) return node;
    const inside = find(node.children, id);
    if (inside) return inside;
  }
  return undefined;
}

/** The tree below `id` as nested ids, children in the order served. */
function shape(node: Node | undefined): unknown {
  return node ? { [node.id]: node.children.map(shape) } : undefined;
}

/** A small company: ceo → (hidden) vp → engineer, ceo → designer, designer → (archived) intern. */
async function buildCompany() {
  const ceo = await buildUser(t, { name: 'A Ceo' });
  const vp = await buildUser(t, { name: 'B Vp', managerId: ceo.id, hideFromOrgChart: true });
  const engineer = await buildUser(t, { name: 'C Engineer', managerId: vp.id });
  const designer = await buildUser(t, { name: 'D Designer', managerId: ceo.id });
  const intern = await buildUser(t, { name: 'E Intern', managerId: designer.id, isArchived: true });
  return { ceo, vp, engineer, designer, intern };
}

describe('the org chart', () => {
  it('is a tree of managers without hidden or archived people, whose reports move up', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'read' } });
    const { ceo, vp, engineer, designer, intern } = await buildCompany();
    const response = await client.get('/api/v1/org-chart');
    expect(response.statusCode).toBe(200);
    const forest: Node[] = response.json().data;
    expect(forest.map((n) => n.id)).toContain(ceo.id);
    expect(shape(find(forest, ceo.id))).toEqual({
      [ceo.id]: [{ [engineer.id]: [] }, { [designer.id]: [] }],
    });
    expect(find(forest, vp.id)).toBeUndefined();
    expect(find(forest, intern.id)).toBeUndefined();
  });

  it('needs read access to HR', async () => {
    const { client } = await signedIn(t, { grants: { finance: 'write' } });
    expect((await client.get('/api/v1/org-chart')).statusCode).toBe(403);
  });

  it('is frozen in a snapshot: later changes do not alter it', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const { ceo, engineer, designer } = await buildCompany();
    const created = await client.post('/api/v1/org-chart-snapshots', { name: 'Before the reorganisation' });
    expect(created.statusCode).toBe(201);
    const snapshot = created.json();
    const frozen = shape(find(snapshot.chartData, ceo.id));
    expect(frozen).toEqual({ [ceo.id]: [{ [engineer.id]: [] }, { [designer.id]: [] }] });

    // Reorganise: the engineer now reports to the designer, and the designer is renamed.
    await client.patch(`/api/v1/users/${engineer.id}`, { version: 1, managerId: designer.id });
    await client.patch(`/api/v1/users/${designer.id}`, { version: 1, name: 'D Design Lead' });
    const live: Node[] = (await client.get('/api/v1/org-chart')).json().data;
    expect(shape(find(live, ceo.id))).toEqual({ [ceo.id]: [{ [designer.id]: [{ [engineer.id]: [] }] }] });

    const again = await client.get(`/api/v1/org-chart-snapshots/${snapshot.id}`);
    expect(again.json().chartData).toEqual(snapshot.chartData);
    expect(find(again.json().chartData, designer.id)!.name).toBe('D Designer');

    // Its chart cannot be edited, only its name and notes.
    const tamper = await client.patch(`/api/v1/org-chart-snapshots/${snapshot.id}`, {
      version: 1,
      chartData: [],
    });
    expect(tamper.statusCode).toBe(400);
    expect(tamper.json().errors[0].path).toBe('chartData');
    const renamed = await client.patch(`/api/v1/org-chart-snapshots/${snapshot.id}`, {
      version: 1,
      notes: 'Q3',
    });
    expect(renamed.json()).toMatchObject({ notes: 'Q3', chartData: snapshot.chartData });
    const listed = await client.get('/api/v1/org-chart-snapshots');
    expect(listed.json().data.map((s: { id: string }) => s.id)).toContain(snapshot.id);
  });
});

describe('a management loop that slipped into the data', () => {
  it('still shows everyone in it, cut at one member who becomes a root', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const first = await buildUser(t, { name: 'Loop First', loginEnabled: false });
    const second = await buildUser(t, { name: 'Loop Second', loginEnabled: false, managerId: first.id });
    // The API refuses loops; this one is written behind its back, as old or imported data might be.
    await t.database.db.execute(
      sql`update users set manager_id = ${second.id}::uuid where id = ${first.id}::uuid`,
    );
    const chart = (await client.get('/api/v1/org-chart')).json().data as OrgNode[];
    const names = flatten(chart).map((node) => node.name);
    expect(names.filter((name) => name === 'Loop First')).toHaveLength(1);
    expect(names.filter((name) => name === 'Loop Second')).toHaveLength(1);
  });
});

interface OrgNode {
  name: string;
  children: OrgNode[];
}
function flatten(nodes: OrgNode[]): OrgNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}
