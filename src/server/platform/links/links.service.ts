import { and, count, eq, inArray, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { queryRows } from '../../db/client';
import { executeReusable } from '../../db/fast-select';
import { jsonRowOf, rowFromJson } from '../../db/json-rows';
import { type AuditedTable, deleteRecord, insertRecord } from '../audit/write';
import type { EntityDefinition, EntityRegistry } from '../entities/registry';
import type { ServiceContext } from '../http/context';
import { forbidden, notFound, validationFailed } from '../http/problem';
import { plainString, shortText } from '../http/schemas';
import { canRead } from '../rbac/access';
import { links } from './links.table';

/** Links touching one record (either direction): more is abuse, and its page would not cope. */
export const MAX_LINKS_PER_RECORD = 200;

export const linkAudit: AuditedTable<typeof links> = {
  table: links,
  entityType: 'link',
  label: (row) => `${row.sourceType} ${row.relation} ${row.targetType ?? row.url}`,
};

export const linkRecord = z
  .object({
    id: z.uuid(),
    direction: z.enum(['outgoing', 'incoming']),
    relation: z.string(),
    description: z.string().nullable(),
    /** The other end: an entity (type, id, label) or an external URL. */
    otherType: z.string().nullable(),
    otherId: z.uuid().nullable(),
    otherLabel: z.string().nullable(),
    url: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Link' });
export type LinkRecord = z.infer<typeof linkRecord>;

export const linkCreate = z
  .strictObject({
    targetType: plainString().max(64).optional(),
    targetId: z.uuid().optional(),
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
      .max(2048)
      .optional(),
    relation: shortText(100).default('related to'),
    description: plainString().max(2000).optional(),
  })
  .meta({ id: 'LinkCreate' });

/** Looks up an entity's label, or undefined when it does not exist. */
/**
 * The labels of linked records, of whatever types, in one statement: one branch per type, each
 * limited to the records the actor may read (its type's module and, where the type has one, its
 * row scope). A record missing from the answer is one the actor may not see, or that is gone.
 */
async function findLabels(
  ctx: ServiceContext,
  registry: EntityRegistry,
  wanted: Map<string, Set<string>>,
): Promise<Map<string, Map<string, string>>> {
  const branches: Array<{ def: EntityDefinition; query: SQL }> = [];
  for (const [type, ids] of wanted) {
    const def = registry.get(type);
    if (!def || !canRead(ctx, def) || ids.size === 0) continue;
    const table = def.table as PgTable;
    const scope = def.rowScope?.(ctx);
    branches.push({
      def,
      query: sql`select ${type}::text as type, ${jsonRowOf(table, def.secretFields)} as row from ${table}
        where ${and(inArray(def.table.id, [...ids]), scope)}`,
    });
  }
  const labels = new Map<string, Map<string, string>>();
  if (branches.length === 0) return labels;
  const rows = await queryRows<{ type: string; row: Record<string, unknown> }>(
    ctx.db,
    sql.join(
      branches.map((branch) => sql`(${branch.query})`),
      sql` union all `,
    ),
  );
  const byType = new Map(branches.map((branch) => [branch.def.entityType, branch.def]));
  for (const { type, row: json } of rows) {
    const def = byType.get(type)!;
    const row = rowFromJson(def.table as PgTable, json, def.secretFields) as { id: string };
    if (!labels.has(type)) labels.set(type, new Map());
    labels.get(type)!.set(String(row.id), def.label(row as never) ?? def.labels.singular);
  }
  return labels;
}

/**
 * Links of one entity in both directions, with the other end's label. Other ends the actor may
 * not read are left out, so a link never reveals a record the actor could not open; and none at
 * all for someone who reads the record without reading its type (an external auditor's audit).
 */
export async function listLinksOf(
  ctx: ServiceContext,
  registry: EntityRegistry,
  type: string,
  id: string,
): Promise<LinkRecord[]> {
  const owner = registry.get(type);
  if (owner && !canRead(ctx, owner)) return [];
  const rows = await executeReusable(
    ctx.db,
    'links-of',
    () => {
      const [ofType, ofId] = [sql.placeholder('type'), sql.placeholder('id')];
      return ctx.db
        .select()
        .from(links)
        .where(linksOfCondition(ofType, ofId))
        .orderBy(links.createdAt, links.id);
    },
    { type, id },
  );
  return presentLinks(ctx, registry, type, id, rows);
}

/** Links touching the record (`type`, `id`), in either direction. */
export function linksOfCondition(type: SQLWrapper | string, id: SQLWrapper | string): SQL {
  return or(
    and(eq(links.sourceType, type), eq(links.sourceId, id)),
    and(eq(links.targetType, type), eq(links.targetId, id)),
  )!;
}

/**
 * The link rows of the record (`type`, `id`) as its links: each seen from this end, with the other
 * end's label (one more statement, whatever the links lead to).
 */
export async function presentLinks(
  ctx: ServiceContext,
  registry: EntityRegistry,
  type: string,
  id: string,
  rows: Array<typeof links.$inferSelect>,
): Promise<LinkRecord[]> {
  const wanted = new Map<string, Set<string>>();
  const ends = rows.map((row) => {
    const outgoing = row.sourceType === type && row.sourceId === id;
    const otherType = outgoing ? row.targetType : row.sourceType;
    const otherId = outgoing ? row.targetId : row.sourceId;
    if (otherType && otherId) {
      if (!wanted.has(otherType)) wanted.set(otherType, new Set());
      wanted.get(otherType)!.add(otherId);
    }
    return { row, outgoing, otherType, otherId };
  });
  const labels = await findLabels(ctx, registry, wanted);
  const result: LinkRecord[] = [];
  for (const { row, outgoing, otherType, otherId } of ends) {
    let otherLabel: string | null = null;
    if (otherType && otherId) {
      const label = labels.get(otherType)?.get(otherId);
      if (label === undefined) continue;
      otherLabel = label;
    }
    result.push({
      id: row.id,
      direction: outgoing ? 'outgoing' : 'incoming',
      relation: row.relation,
      description: row.description,
      otherType,
      otherId,
      otherLabel,
      url: row.url,
      createdAt: row.createdAt.toISOString(),
    });
  }
  return result;
}

async function countLinksOf(ctx: ServiceContext, type: string, id: string): Promise<number> {
  const [row] = await ctx.db.select({ total: count() }).from(links).where(linksOfCondition(type, id));
  return row?.total ?? 0;
}

export async function createLink(
  ctx: ServiceContext,
  registry: EntityRegistry,
  source: { def: EntityDefinition; id: string },
  input: z.output<typeof linkCreate>,
): Promise<LinkRecord> {
  const hasTarget = input.targetType !== undefined || input.targetId !== undefined;
  if (hasTarget === (input.url !== undefined)) {
    throw validationFailed([{ path: 'targetId', message: 'give either targetType and targetId, or url' }]);
  }
  let otherLabel: string | null = null;
  if (hasTarget) {
    const targetDef = input.targetType ? registry.get(input.targetType) : undefined;
    if (!targetDef?.features.linkable) {
      throw validationFailed([{ path: 'targetType', message: 'is not a linkable record type' }]);
    }
    if (!input.targetId)
      throw validationFailed([{ path: 'targetId', message: 'is required with targetType' }]);
    if (!canRead(ctx, targetDef)) throw forbidden('You cannot read the record you are linking to.');
    const target = new Map([[targetDef.entityType, new Set([input.targetId])]]);
    const label = (await findLabels(ctx, registry, target)).get(targetDef.entityType)?.get(input.targetId);
    if (label === undefined) throw validationFailed([{ path: 'targetId', message: 'does not exist' }]);
    if (targetDef.entityType === source.def.entityType && input.targetId === source.id) {
      throw validationFailed([{ path: 'targetId', message: 'a record cannot link to itself' }]);
    }
    otherLabel = label;
  }
  const ends = [{ type: source.def.entityType, id: source.id }];
  if (input.targetType && input.targetId) ends.push({ type: input.targetType, id: input.targetId });
  for (const end of ends) {
    if ((await countLinksOf(ctx, end.type, end.id)) >= MAX_LINKS_PER_RECORD) {
      throw validationFailed([
        {
          path: hasTarget ? 'targetId' : 'url',
          message: `a record can have at most ${MAX_LINKS_PER_RECORD} links`,
        },
      ]);
    }
  }
  const row = await insertRecord(ctx, linkAudit, {
    sourceType: source.def.entityType,
    sourceId: source.id,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    url: input.url ?? null,
    relation: input.relation,
    description: input.description ?? null,
  });
  return {
    id: row.id,
    direction: 'outgoing',
    relation: row.relation,
    description: row.description,
    otherType: row.targetType,
    otherId: row.targetId,
    otherLabel,
    url: row.url,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A link of the given entity (either end), or 404. */
export async function findLinkOf(
  ctx: ServiceContext,
  type: string,
  id: string,
  linkId: string,
): Promise<typeof links.$inferSelect> {
  const [row] = await ctx.db.select().from(links).where(eq(links.id, linkId));
  const touches =
    row &&
    ((row.sourceType === type && row.sourceId === id) || (row.targetType === type && row.targetId === id));
  if (!touches) throw notFound('Link');
  return row;
}

/** Removes a link of the given entity (either end). */
export async function removeLink(
  ctx: ServiceContext,
  type: string,
  id: string,
  linkId: string,
): Promise<void> {
  await findLinkOf(ctx, type, id, linkId);
  await deleteRecord(ctx, linkAudit, linkId);
}

/** Hard-deleting an entity removes its links in both directions, each audited. */
export async function removeAllLinksOf(ctx: ServiceContext, type: string, id: string): Promise<void> {
  const rows = await ctx.db
    .select({ id: links.id })
    .from(links)
    .where(
      or(
        and(eq(links.sourceType, type), eq(links.sourceId, id)),
        and(eq(links.targetType, type), eq(links.targetId, id)),
      ),
    );
  for (const row of rows) await deleteRecord(ctx, linkAudit, row.id);
}
