import { and, eq, inArray, or } from 'drizzle-orm';
import { newId } from '../../db/ids';
import { type AuditedTable, insertRecord, insertRecords, updateRecord } from '../../platform/audit/write';
import { inTransaction, type ServiceContext } from '../../platform/http/context';
import { conflict } from '../../platform/http/problem';
import { recomputeStatuses } from './control-status';
import type { ControlDefinition, ControlMappingDefinition, FrameworkDefinition } from './framework-model';
import { controlEntity, frameworkEntity, positionSegment } from './frameworks.entity';
import {
  controlMappings,
  type Framework,
  type FrameworkControl,
  frameworkControls,
  frameworks,
} from './frameworks.table';

/**
 * Writes a framework document (the library's, or an imported one) into the database, idempotently:
 * the framework is found again by its key and its controls by their reference, so importing the
 * same document twice changes nothing, and a newer edition updates what changed. Controls the
 * document no longer lists are kept (evidence may point at them) and counted as `kept`.
 */

export interface InstallReport {
  id: string;
  name: string;
  key: string;
  controlCount: number;
  created: number;
  updated: number;
  unchanged: number;
  kept: number;
  mappings: number;
}

const WITHDRAWN_JUSTIFICATION = 'Withdrawn from the framework by its publisher.';

export const controlMappingAudit: AuditedTable<typeof controlMappings> = {
  table: controlMappings,
  entityType: 'control_mapping',
  label: (row) => `${row.fromControlId} ${row.relationship} ${row.toControlId}`,
};

/** Parents before their children, each level in its sort order: the order positions are made in. */
function treeOrder(controls: ControlDefinition[]): ControlDefinition[] {
  const children = new Map<string, ControlDefinition[]>();
  for (const control of controls) {
    const key = control.parentRefId ?? '';
    children.set(key, [...(children.get(key) ?? []), control]);
  }
  const ordered: ControlDefinition[] = [];
  const visit = (parent: string) => {
    for (const child of (children.get(parent) ?? []).sort((a, b) => a.sortOrder - b.sortOrder)) {
      ordered.push(child);
      visit(child.refId);
    }
  };
  visit('');
  return ordered;
}

function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  return (a ?? null) === (b ?? null);
}

export async function installFramework(
  ctx: ServiceContext,
  document: FrameworkDefinition,
  source: 'builtin' | 'imported',
): Promise<InstallReport> {
  return inTransaction(ctx, async (tx) => {
    let [framework] = await tx.db.select().from(frameworks).where(eq(frameworks.key, document.key));
    if (!framework) {
      const [sameName] = await tx.db
        .select({ id: frameworks.id })
        .from(frameworks)
        .where(eq(frameworks.name, document.name));
      if (sameName) {
        throw conflict(
          `A framework named "${document.name}" exists already, from another source.`,
          undefined,
          [{ path: 'name', message: 'is taken by another framework' }],
        );
      }
      framework = (await insertRecord(tx, frameworkEntity, {
        key: document.key,
        name: document.name,
        edition: document.version ?? null,
        publisher: document.publisher ?? null,
        description: document.description ?? null,
        source,
        isActive: true,
      })) as Framework;
    }
    const existing = new Map(
      (
        await tx.db.select().from(frameworkControls).where(eq(frameworkControls.frameworkId, framework.id))
      ).map((row) => [row.refId, row]),
    );
    const placed = new Map<string, { id: string; position: string; depth: number }>();
    const inserts: Array<typeof frameworkControls.$inferInsert> = [];
    const updates: Array<{ id: string; changed: Record<string, unknown> }> = [];
    let unchanged = 0;
    for (const control of treeOrder(document.controls)) {
      const parent = control.parentRefId ? placed.get(control.parentRefId) : undefined;
      const position = parent
        ? `${parent.position}.${positionSegment(control.sortOrder)}`
        : positionSegment(control.sortOrder);
      const depth = parent ? parent.depth + 1 : 0;
      const values = {
        parentId: parent?.id ?? null,
        refId: control.refId,
        title: control.title,
        description: control.description ?? null,
        guidance: control.guidance ?? null,
        kind: control.kind,
        sortOrder: control.sortOrder,
        depth,
        position,
        sourceId: control.sourceId ?? null,
        withdrawn: control.withdrawn ?? false,
      };
      const current = existing.get(control.refId);
      if (!current) {
        const id = newId();
        inserts.push({
          id,
          frameworkId: framework.id,
          ...values,
          ...(values.withdrawn ? { applicable: false, soaJustification: WITHDRAWN_JUSTIFICATION } : {}),
        });
        placed.set(control.refId, { id, position, depth });
        continue;
      }
      placed.set(control.refId, { id: current.id, position, depth });
      const changed = Object.fromEntries(
        Object.entries(values).filter(([field, value]) =>
          typeof value === 'string' || value === null
            ? !sameText(current[field as keyof FrameworkControl] as string | null, value)
            : current[field as keyof FrameworkControl] !== value,
        ),
      );
      if (Object.keys(changed).length === 0) unchanged += 1;
      else updates.push({ id: current.id, changed });
    }
    // New controls first: an updated control may now sit under one of them.
    if (inserts.length > 0) await insertRecords(tx, controlEntity, inserts as never);
    for (const { id, changed } of updates) await updateRecord(tx, controlEntity, id, changed);
    const listed = new Set(document.controls.map((c) => c.refId));
    const kept = [...existing.keys()].filter((refId) => !listed.has(refId)).length;
    await recomputeStatuses(tx, { frameworkId: framework.id });
    return {
      id: framework.id,
      name: framework.name,
      key: framework.key,
      controlCount: document.controls.filter((c) => c.kind === 'control').length,
      created: inserts.length,
      updated: updates.length,
      unchanged,
      kept,
      mappings: 0,
    };
  });
}

/**
 * Adds the mappings whose two ends are installed and which do not exist yet; returns how many.
 * Each end is named by framework key and control reference.
 */
export async function addMappings(
  ctx: ServiceContext,
  mappings: ControlMappingDefinition[],
): Promise<number> {
  if (mappings.length === 0) return 0;
  const keys = [...new Set(mappings.flatMap((m) => [m.fromFramework, m.toFramework]))];
  const rows = await ctx.db
    .select({ id: frameworkControls.id, refId: frameworkControls.refId, key: frameworks.key })
    .from(frameworkControls)
    .innerJoin(frameworks, eq(frameworks.id, frameworkControls.frameworkId))
    .where(inArray(frameworks.key, keys));
  const idOf = new Map(rows.map((r) => [`${r.key}\u0000${r.refId}`, r.id]));
  const wanted = mappings.flatMap((m) => {
    const from = idOf.get(`${m.fromFramework}\u0000${m.fromRefId}`);
    const to = idOf.get(`${m.toFramework}\u0000${m.toRefId}`);
    return from && to ? [{ fromControlId: from, toControlId: to, relationship: m.relationship }] : [];
  });
  if (wanted.length === 0) return 0;
  const ids = [...new Set(wanted.flatMap((w) => [w.fromControlId, w.toControlId]))];
  const present = await ctx.db
    .select({ from: controlMappings.fromControlId, to: controlMappings.toControlId })
    .from(controlMappings)
    .where(or(inArray(controlMappings.fromControlId, ids), inArray(controlMappings.toControlId, ids)));
  const pairs = new Set(present.flatMap((p) => [`${p.from}:${p.to}`, `${p.to}:${p.from}`]));
  const fresh = wanted.filter((w) => !pairs.has(`${w.fromControlId}:${w.toControlId}`));
  if (fresh.length > 0) {
    await insertRecords(ctx, controlMappingAudit, fresh);
    await recomputeStatuses(ctx, { controlIds: ids });
  }
  return fresh.length;
}

/** A framework installed from the library, with its mappings to the library frameworks already here. */
export async function frameworkKeysInstalled(ctx: ServiceContext, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await ctx.db
    .select({ key: frameworks.key })
    .from(frameworks)
    .where(and(inArray(frameworks.key, keys)));
  return new Set(rows.map((r) => r.key));
}
