import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { executeReusable } from '../../db/fast-select';
import { type AuditedTable, deleteRecord, insertRecord } from '../audit/write';
import type { ServiceContext } from '../http/context';
import { validationFailed } from '../http/problem';
import { canRead } from '../rbac/access';
import { entityTags, tags } from './tags.table';

export const entityTagAudit: AuditedTable<typeof entityTags> = {
  table: entityTags,
  entityType: 'entity_tag',
  label: (row) => `${row.entityType}:${row.entityId}`,
};

export const appliedTag = z
  .object({ id: z.uuid(), name: z.string(), color: z.string().nullable() })
  .meta({ id: 'AppliedTag' });
export type AppliedTag = z.infer<typeof appliedTag>;
export const setTagsInput = z.strictObject({ tagIds: z.array(z.uuid()).max(50) }).meta({ id: 'SetTags' });

/** The record's tags; none for someone who reads the record without reading its type (an external auditor's audit). */
export async function listTagsOf(ctx: ServiceContext, type: string, id: string): Promise<AppliedTag[]> {
  const owner = ctx.registry?.get(type);
  if (owner && !canRead(ctx, owner)) return [];
  return executeReusable(
    ctx.db,
    'tags-of',
    () =>
      ctx.db
        .select({ id: tags.id, name: tags.name, color: tags.color })
        .from(entityTags)
        .innerJoin(tags, eq(tags.id, entityTags.tagId))
        .where(
          and(
            eq(entityTags.entityType, sql.placeholder('type')),
            eq(entityTags.entityId, sql.placeholder('id')),
          ),
        )
        .orderBy(asc(tags.name)),
    { type, id },
  );
}

/** Replaces the entity's tags with `tagIds`: adds and removes only the difference. */
export async function setTagsOf(
  ctx: ServiceContext,
  type: string,
  id: string,
  tagIds: string[],
): Promise<AppliedTag[]> {
  const wanted = new Set(tagIds);
  if (wanted.size > 0) {
    const known = await ctx.db
      .select({ id: tags.id, isArchived: tags.isArchived })
      .from(tags)
      .where(inArray(tags.id, [...wanted]));
    const usable = new Set(known.filter((t) => !t.isArchived).map((t) => t.id));
    const bad = [...wanted].filter((tagId) => !usable.has(tagId));
    if (bad.length > 0)
      throw validationFailed([{ path: 'tagIds', message: `unknown or archived tags: ${bad.join(', ')}` }]);
  }
  const current = await ctx.db
    .select({ id: entityTags.id, tagId: entityTags.tagId })
    .from(entityTags)
    .where(and(eq(entityTags.entityType, type), eq(entityTags.entityId, id)));
  for (const row of current) if (!wanted.has(row.tagId)) await deleteRecord(ctx, entityTagAudit, row.id);
  const present = new Set(current.map((row) => row.tagId));
  for (const tagId of wanted)
    if (!present.has(tagId))
      await insertRecord(ctx, entityTagAudit, { tagId, entityType: type, entityId: id });
  return listTagsOf(ctx, type, id);
}

export async function removeAllTagsOf(ctx: ServiceContext, type: string, id: string): Promise<void> {
  await setTagsOf(ctx, type, id, []);
}
