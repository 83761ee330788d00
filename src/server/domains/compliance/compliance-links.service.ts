import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { type AuditedTable, deleteRecord, insertRecord, lockRecord } from '../../platform/audit/write';
import type { EntityDefinition } from '../../platform/entities/registry';
import type { ServiceContext } from '../../platform/http/context';
import { forbidden, notFound, validationFailed } from '../../platform/http/problem';
import { plainString } from '../../platform/http/schemas';
import { canRead } from '../../platform/rbac/access';
import { recomputeStatuses } from './control-status';
import { complianceLinks, frameworkControls, frameworks } from './frameworks.table';

/** Evidence links of one control or one record: more is abuse, and a page would not cope. */
export const MAX_COMPLIANCE_LINKS_PAGE = 500;

export const complianceLinkAudit: AuditedTable<typeof complianceLinks> = {
  table: complianceLinks,
  entityType: 'compliance_link',
  label: (row) => `${row.linkableType} ${row.linkableId} → control ${row.controlId}`,
};

export const complianceLinkCreate = z
  .strictObject({
    controlId: z.uuid(),
    linkableType: plainString().min(1).max(64),
    linkableId: z.uuid(),
    justification: plainString()
      .trim()
      .min(1, 'is required: say how this record satisfies the control')
      .max(5000),
  })
  .meta({ id: 'ComplianceLinkCreate' });

export const complianceLinkRecord = z
  .object({
    id: z.uuid(),
    controlId: z.uuid(),
    controlRefId: z.string(),
    controlTitle: z.string(),
    frameworkId: z.uuid(),
    frameworkName: z.string(),
    linkableType: z.string(),
    linkableId: z.uuid(),
    /** The record's label; null when the actor may not read that kind of record, or it is gone. */
    linkableLabel: z.string().nullable(),
    /** The record was deleted or archived: the link no longer counts as evidence. */
    broken: z.boolean(),
    restricted: z.boolean(),
    justification: z.string(),
    createdAt: z.string(),
    createdBy: z.uuid().nullable(),
  })
  .meta({ id: 'ComplianceLink' });
export type ComplianceLinkRecord = z.infer<typeof complianceLinkRecord>;

function registry(ctx: ServiceContext) {
  if (!ctx.registry) throw new Error('compliance links need the entity registry in the service context');
  return ctx.registry;
}

/** The linkable definition of a type key, or a 422 naming the field. */
export function linkableDefinition(
  ctx: ServiceContext,
  type: string,
  path = 'linkableType',
): EntityDefinition {
  const def = registry(ctx).get(type);
  if (!def?.features.linkable) throw validationFailed([{ path, message: 'is not a linkable record type' }]);
  return def;
}

/** Labels of live records of one type, and which of the ids are archived. */
async function recordsOf(ctx: ServiceContext, def: EntityDefinition, ids: string[]) {
  const table = def.table as PgTable & { id: PgColumn; isArchived?: PgColumn };
  if (ids.length === 0) return new Map<string, { label: string; archived: boolean }>();
  const rows = (await ctx.db.select().from(table).where(inArray(table.id, ids))) as Array<
    Record<string, unknown> & { id: string; isArchived?: boolean }
  >;
  return new Map(
    rows.map((row) => [
      row.id,
      { label: def.label(row as never) ?? def.labels.singular, archived: row.isArchived === true },
    ]),
  );
}

export async function listComplianceLinks(
  ctx: ServiceContext,
  filter: { controlId: string } | { linkableType: string; linkableId: string } | { id: string },
): Promise<ComplianceLinkRecord[]> {
  const rows = await ctx.db
    .select({
      link: complianceLinks,
      controlRefId: frameworkControls.refId,
      controlTitle: frameworkControls.title,
      frameworkId: frameworks.id,
      frameworkName: frameworks.name,
    })
    .from(complianceLinks)
    .innerJoin(frameworkControls, eq(frameworkControls.id, complianceLinks.controlId))
    .innerJoin(frameworks, eq(frameworks.id, frameworkControls.frameworkId))
    .where(
      'id' in filter
        ? eq(complianceLinks.id, filter.id)
        : 'controlId' in filter
          ? eq(complianceLinks.controlId, filter.controlId)
          : and(
              eq(complianceLinks.linkableType, filter.linkableType),
              eq(complianceLinks.linkableId, filter.linkableId),
            ),
    )
    .orderBy(asc(frameworks.name), asc(frameworkControls.position), asc(complianceLinks.createdAt))
    .limit(MAX_COMPLIANCE_LINKS_PAGE);
  const byType = new Map<string, string[]>();
  for (const { link } of rows)
    byType.set(link.linkableType, [...(byType.get(link.linkableType) ?? []), link.linkableId]);
  const found = new Map<string, { label: string; archived: boolean } | 'restricted'>();
  for (const [type, ids] of byType) {
    const def = registry(ctx).get(type);
    if (def && !canRead(ctx, def)) {
      for (const id of ids) found.set(`${type}:${id}`, 'restricted');
      continue;
    }
    const records = def ? await recordsOf(ctx, def, ids) : new Map();
    for (const [id, record] of records) found.set(`${type}:${id}`, record);
  }
  return rows.map(({ link, ...control }) => {
    const record = found.get(`${link.linkableType}:${link.linkableId}`);
    const restricted = record === 'restricted';
    return {
      id: link.id,
      controlId: link.controlId,
      ...control,
      linkableType: link.linkableType,
      linkableId: link.linkableId,
      linkableLabel: record && record !== 'restricted' ? record.label : null,
      broken: !restricted && (!record || record.archived),
      restricted,
      justification: link.justification,
      createdAt: link.createdAt.toISOString(),
      createdBy: link.createdBy,
    };
  });
}

export async function createComplianceLink(
  ctx: ServiceContext,
  input: z.output<typeof complianceLinkCreate>,
): Promise<ComplianceLinkRecord> {
  const def = linkableDefinition(ctx, input.linkableType);
  if (!canRead(ctx, def)) throw forbidden('You cannot read the record you are linking as evidence.');
  const [control] = await ctx.db
    .select({ kind: frameworkControls.kind })
    .from(frameworkControls)
    .where(eq(frameworkControls.id, input.controlId));
  const errors = [];
  if (!control) errors.push({ path: 'controlId', message: 'does not exist' });
  else if (control.kind === 'group')
    errors.push({ path: 'controlId', message: 'is a heading; evidence goes on its controls' });
  const record = (await recordsOf(ctx, def, [input.linkableId])).get(input.linkableId);
  if (!record) errors.push({ path: 'linkableId', message: 'does not exist' });
  else if (record.archived) errors.push({ path: 'linkableId', message: 'is archived' });
  const [{ n } = { n: 0 }] = await ctx.db
    .select({ n: count() })
    .from(complianceLinks)
    .where(eq(complianceLinks.controlId, input.controlId));
  if (n >= MAX_COMPLIANCE_LINKS_PAGE)
    errors.push({
      path: 'controlId',
      message: `a control can have at most ${MAX_COMPLIANCE_LINKS_PAGE} evidence links`,
    });
  if (errors.length > 0) throw validationFailed(errors);
  const row = await insertRecord(ctx, complianceLinkAudit, input);
  await recomputeStatuses(ctx, { controlIds: [input.controlId] });
  const [created] = await listComplianceLinks(ctx, { id: row.id });
  return created!;
}

export async function removeComplianceLink(ctx: ServiceContext, id: string): Promise<void> {
  const [exists] = await ctx.db
    .select({ id: complianceLinks.id })
    .from(complianceLinks)
    .where(eq(complianceLinks.id, id));
  if (!exists) throw notFound('Compliance link');
  const link = await lockRecord(ctx, complianceLinkAudit, id);
  await deleteRecord(ctx, complianceLinkAudit, id, undefined, link);
  await recomputeStatuses(ctx, { controlIds: [link.controlId] });
}
