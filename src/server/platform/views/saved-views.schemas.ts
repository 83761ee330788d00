import { z } from 'zod';
import { plainString, shortText } from '../http/schemas';
import type { SavedView } from './saved-views.table';

/** A view's state, as JSON, stays small: it is a handful of list parameters and column keys. */
export const MAX_VIEW_STATE_BYTES = 8 * 1024;
export const MAX_VIEWS_PER_OWNER = 200;
/** How many views shared by others one list answers (the most recently updated), so it stays bounded. */
export const MAX_SHARED_VIEWS_LISTED = 200;

const queryKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.]{0,99}$/, 'must be a list parameter name, at most 100 characters');
const columnKey = z
  .string()
  .regex(
    /^[A-Za-z0-9_.:-]{1,100}$/,
    'must be a column key: letters, digits, _ . : -, at most 100 characters',
  );

export const savedViewState = z
  .strictObject({
    /** The list's query parameters (`q`, `sort`, `archived`, filters, `cf.<key>`…), checked against the list. */
    query: z
      .record(queryKey, plainString().max(500))
      .refine((query) => Object.keys(query).length <= 50, 'at most 50 parameters'),
    /** The columns shown, in order (keys of the web app's list columns). */
    columns: z
      .array(columnKey)
      .max(100)
      .refine((keys) => new Set(keys).size === keys.length, 'must not repeat a column')
      .optional(),
  })
  .refine((state) => Buffer.byteLength(JSON.stringify(state)) <= MAX_VIEW_STATE_BYTES, {
    message: `must be at most ${MAX_VIEW_STATE_BYTES} bytes as JSON`,
  })
  .meta({ id: 'SavedViewState' });

export const savedViewRecord = z
  .object({
    id: z.uuid(),
    entityType: z.string(),
    name: z.string(),
    shared: z.boolean(),
    ownerId: z.uuid(),
    /** Whether the caller owns it (a shared view may be someone else's). */
    mine: z.boolean(),
    state: z.object({ query: z.record(z.string(), z.string()), columns: z.array(z.string()).optional() }),
    abilities: z.object({ update: z.boolean(), delete: z.boolean() }),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SavedView' });
export type SavedViewRecord = z.infer<typeof savedViewRecord>;

export function savedViewCreate(entityTypes: [string, ...string[]]) {
  return z
    .strictObject({
      entityType: z.enum(entityTypes),
      name: shortText(100),
      shared: z.boolean().optional(),
      state: savedViewState,
    })
    .meta({ id: 'SavedViewCreate' });
}
export type SavedViewCreateInput = z.output<ReturnType<typeof savedViewCreate>>;

export const savedViewUpdate = z
  .strictObject({
    name: shortText(100).optional(),
    shared: z.boolean().optional(),
    state: savedViewState.optional(),
    version: z.number().int().min(1).optional(),
  })
  .meta({ id: 'SavedViewUpdate' });
export type SavedViewUpdateInput = Omit<z.output<typeof savedViewUpdate>, 'version'>;

export function toSavedViewRecord(
  row: SavedView,
  caller: { id: string | null; admin: boolean },
): SavedViewRecord {
  const mine = row.ownerId === caller.id;
  return {
    id: row.id,
    entityType: row.entityType,
    name: row.name,
    shared: row.shared,
    ownerId: row.ownerId,
    mine,
    state: row.state,
    abilities: { update: mine || caller.admin, delete: mine || caller.admin },
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
