import { and, eq, type SQL, sql } from 'drizzle-orm';
import { queryReusableRows } from '../../db/fast-select';
import { jsonRowOf, rowFromJson } from '../../db/json-rows';
import { type AttachmentRecord, toAttachmentRecord } from '../attachments/attachments.service';
import { attachments } from '../attachments/attachments.table';
import type { ServiceContext } from '../http/context';
import { type LinkRecord, linksOfCondition, presentLinks } from '../links/links.service';
import { links } from '../links/links.table';
import { canRead } from '../rbac/access';
import type { AppliedTag } from '../tags/tags.service';
import { entityTags, tags } from '../tags/tags.table';
import type { EntityDefinition, EntityRegistry } from './registry';

/** What a record's detail carries beside its fields, by the features its entity has. */
export interface RecordExtras {
  links?: LinkRecord[];
  tags?: AppliedTag[];
  attachments?: AttachmentRecord[];
}

/**
 * A record's links, tags and attachments for its detail: one statement for the three, and one more
 * for the labels of linked records only when it has links to other records. However many of each
 * the record holds, its detail costs the same number of statements.
 *
 * The same answers as `listLinksOf`, `listTagsOf` and `listAttachmentsOf` (record-extras.test.ts
 * holds them to it), including none at all for someone who reads the record without reading its
 * type (an external auditor's audit).
 */
export async function recordExtras(
  ctx: ServiceContext,
  registry: EntityRegistry,
  def: EntityDefinition,
  id: string,
): Promise<RecordExtras> {
  const { linkable, tagged, attachments: attached } = def.features;
  if (!linkable && !tagged && !attached) return {};
  if (!canRead(ctx, def)) {
    return {
      ...(linkable ? { links: [] } : {}),
      ...(tagged ? { tags: [] } : {}),
      ...(attached ? { attachments: [] } : {}),
    };
  }
  const features = `${linkable ? 'l' : ''}${tagged ? 't' : ''}${attached ? 'a' : ''}`;
  const [row] = await queryReusableRows<{
    links: Array<Record<string, unknown>> | null;
    tags: AppliedTag[] | null;
    attachments: Array<Record<string, unknown>> | null;
  }>(
    ctx.db,
    `record-extras:${features}`,
    () => {
      const [type, entityId] = [sql.placeholder('type'), sql.placeholder('id')];
      const agg = (value: SQL, order: SQL) =>
        sql`coalesce(jsonb_agg(${value} order by ${order}), '[]'::jsonb)`;
      const linksJson = sql`(select ${agg(jsonRowOf(links), sql`${links.createdAt}, ${links.id}`)}
        from ${links} where ${linksOfCondition(type, entityId)})`;
      const tagJson = sql`jsonb_build_object('id', ${tags.id}, 'name', ${tags.name}, 'color', ${tags.color})`;
      const tagsJson = sql`(select ${agg(tagJson, sql`${tags.name}`)}
        from ${entityTags} inner join ${tags} on ${eq(tags.id, entityTags.tagId)}
        where ${and(eq(entityTags.entityType, type), eq(entityTags.entityId, entityId))})`;
      const attachmentsJson = sql`(select ${agg(jsonRowOf(attachments), sql`${attachments.createdAt}, ${attachments.id}`)}
        from ${attachments}
        where ${and(eq(attachments.entityType, type), eq(attachments.entityId, entityId))})`;
      const none = sql`null::jsonb`;
      return sql`select ${linkable ? linksJson : none} as links, ${tagged ? tagsJson : none} as tags,
        ${attached ? attachmentsJson : none} as attachments`;
    },
    { type: def.entityType, id },
  );
  const extras: RecordExtras = {};
  if (linkable) {
    const linkRows = (row?.links ?? []).map((json) => rowFromJson(links, json));
    extras.links = await presentLinks(ctx, registry, def.entityType, id, linkRows);
  }
  if (tagged) extras.tags = row?.tags ?? [];
  if (attached) {
    extras.attachments = (row?.attachments ?? []).map((json) =>
      toAttachmentRecord(rowFromJson(attachments, json)),
    );
  }
  return extras;
}
