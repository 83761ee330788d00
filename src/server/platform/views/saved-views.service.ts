import { and, asc, count, desc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { type AuditedTable, deleteRecord, insertRecord, updateRecord } from '../audit/write';
import { prepareListQuery } from '../entities/entity.service';
import { listQuerySchema } from '../entities/list-query';
import type { EntityDefinition, EntityRegistry } from '../entities/registry';
import { actorUserId, inTransaction, type ServiceContext } from '../http/context';
import { badRequest, conflict, forbidden, HttpProblem, notFound } from '../http/problem';
import { canRead } from '../rbac/access';
import {
  MAX_SHARED_VIEWS_LISTED,
  MAX_VIEWS_PER_OWNER,
  type SavedViewCreateInput,
  type SavedViewUpdateInput,
} from './saved-views.schemas';
import { type SavedView, type SavedViewState, savedViews } from './saved-views.table';

/**
 * Saved views of a list. Anyone signed in keeps their own; a shared view is offered to everyone
 * who may read its entity type; only the owner (or an administrator) changes or deletes one.
 * Every change goes through the write path, so views are versioned and audited like records.
 */
export const savedViewAudit: AuditedTable<typeof savedViews> = {
  table: savedViews,
  entityType: 'saved_view',
  label: (row) => row.name,
};

function isAdmin(ctx: ServiceContext): boolean {
  return ctx.actor.kind === 'user' && ctx.actor.role === 'admin';
}

/**
 * May the caller see this view at all? Its entity type must be readable too, so a view of a type
 * the caller cannot read is as unknown as someone else's private view: both answer 404.
 */
function canSee(ctx: ServiceContext, registry: EntityRegistry, view: SavedView): boolean {
  const mayOpen = view.shared || view.ownerId === actorUserId(ctx.actor) || isAdmin(ctx);
  const def = registry.get(view.entityType);
  return mayOpen && def !== undefined && canRead(ctx, def);
}

/**
 * Reads and locks a view the caller may see (404 otherwise). `ownerMayClean`: the owner still
 * finds their own view after losing access to its type, so they can delete it.
 */
async function lockVisible(
  ctx: ServiceContext,
  registry: EntityRegistry,
  id: string,
  options: { ownerMayClean?: boolean } = {},
): Promise<SavedView> {
  const [view] = await ctx.db.select().from(savedViews).where(eq(savedViews.id, id)).for('update');
  if (!view) throw notFound('Saved view');
  const owned = options.ownerMayClean === true && view.ownerId === actorUserId(ctx.actor);
  if (!owned && !canSee(ctx, registry, view)) throw notFound('Saved view');
  return view;
}

function assertMayChange(ctx: ServiceContext, view: SavedView): void {
  if (view.ownerId !== actorUserId(ctx.actor) && !isAdmin(ctx))
    throw forbidden('Only the owner of this view (or an administrator) may change or delete it.');
}

/** The entity the view lists, which the caller must be able to read. */
function readableEntity(ctx: ServiceContext, registry: EntityRegistry, entityType: string): EntityDefinition {
  const def = registry.get(entityType);
  if (!def)
    throw badRequest('Unknown entity type.', [{ path: 'entityType', message: 'is not a record type' }]);
  if (!canRead(ctx, def)) {
    throw forbidden(`You cannot read ${def.labels.plural.toLowerCase()}, so you cannot use views of them.`);
  }
  return def;
}

/** A view must restore a list the list would accept: the same 400 the list would answer, under `state.query`. */
async function checkState(ctx: ServiceContext, def: EntityDefinition, state: SavedViewState): Promise<void> {
  const parsed = listQuerySchema(def).safeParse(state.query);
  if (!parsed.success) {
    throw badRequest(
      'The view does not describe a valid list.',
      parsed.error.issues.map((issue) => ({
        path: ['state', 'query', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    );
  }
  try {
    await prepareListQuery(ctx, def, parsed.data as never);
  } catch (error) {
    if (!(error instanceof HttpProblem) || error.status !== 400) throw error;
    throw badRequest(
      'The view does not describe a valid list.',
      (error.errors ?? []).map((e) => ({ path: `state.query.${e.path}`, message: e.message })),
    );
  }
}

/** Serialises the creation and renaming of one owner's views, so the name check and the limit hold. */
async function lockViewsOf(ctx: ServiceContext, ownerId: string): Promise<void> {
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`saved_views:${ownerId}`}, 0))`);
}

async function assertNameFree(
  ctx: ServiceContext,
  view: { ownerId: string; entityType: string; name: string; id?: string },
): Promise<void> {
  const [taken] = await ctx.db
    .select({ id: savedViews.id })
    .from(savedViews)
    .where(
      and(
        eq(savedViews.ownerId, view.ownerId),
        eq(savedViews.entityType, view.entityType),
        sql`lower(${savedViews.name}) = lower(${view.name})`,
        view.id ? ne(savedViews.id, view.id) : undefined,
      ),
    );
  if (taken)
    throw conflict('A view of this list with that name already exists.', undefined, [
      { path: 'name', message: 'is already in use' },
    ]);
}

/**
 * My views of one entity type (at most `MAX_VIEWS_PER_OWNER`) and the `MAX_SHARED_VIEWS_LISTED`
 * most recently updated views others share, together by name: the answer stays bounded however
 * many people share views.
 */
export async function listSavedViews(
  ctx: ServiceContext,
  registry: EntityRegistry,
  entityType: string,
): Promise<SavedView[]> {
  readableEntity(ctx, registry, entityType);
  const me = actorUserId(ctx.actor);
  const sharedByOthers = ctx.db
    .select({ id: savedViews.id })
    .from(savedViews)
    .where(
      and(
        eq(savedViews.entityType, entityType),
        eq(savedViews.shared, true),
        me ? ne(savedViews.ownerId, me) : undefined,
      ),
    )
    .orderBy(desc(savedViews.updatedAt), desc(savedViews.id))
    .limit(MAX_SHARED_VIEWS_LISTED);
  return ctx.db
    .select()
    .from(savedViews)
    .where(
      and(
        eq(savedViews.entityType, entityType),
        or(me ? eq(savedViews.ownerId, me) : undefined, inArray(savedViews.id, sharedByOthers)),
      ),
    )
    .orderBy(asc(sql`lower(${savedViews.name})`), asc(savedViews.id));
}

export async function getSavedView(
  ctx: ServiceContext,
  registry: EntityRegistry,
  id: string,
): Promise<SavedView> {
  const [view] = await ctx.db.select().from(savedViews).where(eq(savedViews.id, id));
  if (!view || !canSee(ctx, registry, view)) throw notFound('Saved view');
  return view;
}

export async function createSavedView(
  ctx: ServiceContext,
  registry: EntityRegistry,
  input: SavedViewCreateInput,
): Promise<SavedView> {
  const ownerId = actorUserId(ctx.actor);
  if (!ownerId) throw forbidden('Only people keep saved views.');
  const def = readableEntity(ctx, registry, input.entityType);
  await checkState(ctx, def, input.state);
  return inTransaction(ctx, async (tx) => {
    await lockViewsOf(tx, ownerId);
    const [held] = await tx.db.select({ n: count() }).from(savedViews).where(eq(savedViews.ownerId, ownerId));
    if ((held?.n ?? 0) >= MAX_VIEWS_PER_OWNER)
      throw conflict(`You already keep ${MAX_VIEWS_PER_OWNER} views; delete some before saving more.`);
    await assertNameFree(tx, { ownerId, entityType: input.entityType, name: input.name });
    return insertRecord(tx, savedViewAudit, {
      entityType: input.entityType,
      ownerId,
      name: input.name,
      shared: input.shared ?? false,
      state: input.state,
    });
  });
}

export async function updateSavedView(
  ctx: ServiceContext,
  registry: EntityRegistry,
  id: string,
  input: SavedViewUpdateInput,
  expectedVersion: number,
): Promise<SavedView> {
  return inTransaction(ctx, async (tx) => {
    const current = await lockVisible(tx, registry, id);
    assertMayChange(tx, current);
    const def = readableEntity(tx, registry, current.entityType);
    if (input.state) await checkState(tx, def, input.state);
    if (input.name !== undefined && input.name.toLowerCase() !== current.name.toLowerCase()) {
      await lockViewsOf(tx, current.ownerId);
      await assertNameFree(tx, { ...current, name: input.name });
    }
    return updateRecord(tx, savedViewAudit, id, input, { expectedVersion, locked: current });
  });
}

export async function deleteSavedView(
  ctx: ServiceContext,
  registry: EntityRegistry,
  id: string,
  expectedVersion: number | undefined,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    // The owner may always clean up, even after losing access to the entity type.
    const current = await lockVisible(tx, registry, id, { ownerMayClean: true });
    assertMayChange(tx, current);
    await deleteRecord(tx, savedViewAudit, id, expectedVersion, current);
  });
}
