import { and, asc, eq } from 'drizzle-orm';
import type { ServiceContext } from '../../platform/http/context';
import { users } from './users.table';

export interface OrgChartNode {
  id: string;
  name: string;
  email: string;
  jobTitle: string | null;
  department: string | null;
  children: OrgChartNode[];
}

/**
 * The org chart as a forest built from manager relationships, in one query. Archived people and
 * those hidden from the chart are left out; their reports move up to the nearest visible manager.
 */
export async function buildOrgChart(ctx: ServiceContext): Promise<OrgChartNode[]> {
  const rows = await ctx.db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      jobTitle: users.jobTitle,
      department: users.department,
      managerId: users.managerId,
      hidden: users.hideFromOrgChart,
    })
    .from(users)
    .where(and(eq(users.isArchived, false)))
    .orderBy(asc(users.name));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const nodes = new Map<string, OrgChartNode>();
  for (const row of rows) {
    if (row.hidden) continue;
    nodes.set(row.id, {
      id: row.id,
      name: row.name,
      email: row.email,
      jobTitle: row.jobTitle,
      department: row.department,
      children: [],
    });
  }
  const roots: OrgChartNode[] = [];
  for (const row of rows) {
    const node = nodes.get(row.id);
    if (!node) continue;
    let managerId = row.managerId;
    const seen = new Set<string>([row.id]);
    while (managerId && !nodes.has(managerId) && !seen.has(managerId)) {
      seen.add(managerId);
      managerId = byId.get(managerId)?.managerId ?? null;
    }
    const parent = managerId && managerId !== row.id ? nodes.get(managerId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  promoteLoops(nodes, roots);
  return roots;
}

/**
 * People in a management loop (A manages B manages A) are nobody's descendants from a root, so
 * they would vanish from the chart. The writes refuse loops; this keeps anything that slipped in
 * (older data, imports) visible: each loop is cut at its first member, who becomes a root.
 */
function promoteLoops(nodes: Map<string, OrgChartNode>, roots: OrgChartNode[]): void {
  const reached = new Set<string>();
  const visit = (node: OrgChartNode) => {
    if (reached.has(node.id)) return;
    reached.add(node.id);
    for (const child of node.children) visit(child);
  };
  for (const root of roots) visit(root);
  for (const node of nodes.values()) {
    if (reached.has(node.id)) continue;
    for (const other of nodes.values()) other.children = other.children.filter((child) => child !== node);
    roots.push(node);
    visit(node);
  }
}
