import { eq, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { queryRows } from '../../db/client';
import { escapeLike, searchCondition } from '../entities/list-query';
import type { EntityDefinition, EntityRegistry } from '../entities/registry';
import type { ServiceContext } from '../http/context';
import { canRead } from '../rbac/access';

/**
 * Global search: one ranked, paged statement over every entity the caller may read. A record
 * matches exactly when its list's `q` search would find it, so the palette and the lists agree.
 */

export const MAX_SEARCH_PAGE_SIZE = 50;
const SUBTITLE_LENGTH = 200;

export interface SearchInput {
  q: string;
  page: number;
  pageSize: number;
  /** Entity types to search (already checked against the registry); all when absent. */
  types?: string[];
}

export interface SearchHit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  score: number;
}

export interface SearchTypeCount {
  type: string;
  singular: string;
  plural: string;
  /** Hits of this type across all pages. */
  total: number;
}

export interface SearchResult {
  data: SearchHit[];
  types: SearchTypeCount[];
  page: number;
  pageSize: number;
  total: number;
}

/** The entity types global search covers: those with something to match and a title to show. */
export function searchableEntities(registry: EntityRegistry): EntityDefinition[] {
  return registry.all().filter((def) => def.search || def.list.searchable.length > 0);
}

/**
 * Ranking, from 1 down: the title is the query (1), starts with it (0.9), has a word starting with
 * it (0.8); any other match scores 0.7 × the trigram word similarity of the query to the title, so
 * a title containing the query ranks above a match in another field. `title` is lower-cased.
 */
function scoreOf(title: SQL, q: string): SQL {
  const escaped = escapeLike(q);
  return sql`case
    when ${title} = lower(${q}) then 1.0
    when ${title} like lower(${`${escaped}%`}) then 0.9
    when ${title} like lower(${`% ${escaped}%`}) then 0.8
    else round((0.7 * word_similarity(lower(${q}), ${title}))::numeric, 3)
  end`;
}

function branchOf(def: EntityDefinition, q: string): SQL {
  const table = def.table as unknown as Record<string, PgColumn>;
  const title = sql`coalesce(${def.search?.title ?? def.list.searchable[0]!}::text, '')`;
  const subtitle = def.search?.subtitle
    ? sql`left(${def.search.subtitle}::text, ${sql.raw(String(SUBTITLE_LENGTH))})`
    : sql`null::text`;
  const conditions = [searchCondition(def, q)];
  if (def.features.archivable) conditions.push(eq(table.isArchived!, false));
  // The lateral lower-cases the title once per row, for the score's comparisons and the sort.
  return sql`(select ${def.entityType}::text as type, ${table.id} as id, t.title, ${subtitle} as subtitle,
    ${scoreOf(sql`t.sort_title`, q)} as score, t.sort_title
    from ${def.table}
    cross join lateral (select ${title} as title, lower(${title}) as sort_title) t
    where ${sql.join(conditions, sql` and `)})`;
}

/** Best first; ties by title (case-insensitively, then exactly), then type and id so pages never overlap. */
const ORDER = sql.raw('score desc, sort_title, title, type, id');

interface SearchRow extends Record<string, unknown> {
  total: number;
  types: Array<{ type: string; total: number }>;
  data: Array<Omit<SearchHit, 'score'> & { score: number | string }>;
}

export async function searchRecords(
  ctx: ServiceContext,
  registry: EntityRegistry,
  input: SearchInput,
): Promise<SearchResult> {
  const wanted = input.types ? new Set(input.types) : undefined;
  const readable = searchableEntities(registry).filter(
    (def) => (!wanted || wanted.has(def.entityType)) && canRead(ctx, def),
  );
  const empty: SearchResult = { data: [], types: [], page: input.page, pageSize: input.pageSize, total: 0 };
  if (readable.length === 0) return empty;

  // One statement: the hits of every readable entity, their total and count per type, and one page.
  const hits = sql.join(
    readable.map((def) => branchOf(def, input.q)),
    sql` union all `,
  );
  const [row] = await queryRows<SearchRow>(
    ctx.db,
    sql`with hits as (${hits})
    select
      (select count(*)::int from hits) as total,
      (select coalesce(json_agg(json_build_object('type', c.type, 'total', c.total)), '[]'::json)
         from (select type, count(*)::int as total from hits group by type) c) as types,
      (select coalesce(json_agg(json_build_object('type', p.type, 'id', p.id, 'title', p.title,
                'subtitle', p.subtitle, 'score', p.score) order by ${ORDER}), '[]'::json)
         from (select * from hits order by ${ORDER}
               limit ${input.pageSize} offset ${(input.page - 1) * input.pageSize}) p) as data`,
  );
  if (!row) return empty;
  const counts = new Map(row.types.map((entry) => [entry.type, entry.total]));
  return {
    data: row.data.map((hit) => ({ ...hit, score: Number(hit.score) })),
    // In registry order, so a client can list the groups the same way every time.
    types: readable
      .filter((def) => counts.has(def.entityType))
      .map((def) => ({
        type: def.entityType,
        singular: def.labels.singular,
        plural: def.labels.plural,
        total: counts.get(def.entityType)!,
      })),
    page: input.page,
    pageSize: input.pageSize,
    total: row.total,
  };
}
