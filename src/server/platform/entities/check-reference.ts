import { eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { ServiceContext } from '../http/context';
import type { FieldError } from '../http/problem';

/**
 * A field naming another record (a location, a model, an owner) must name one that exists and is
 * not archived; an unchanged value (`current`) is accepted as it is.
 */
export async function checkReference(
  ctx: ServiceContext,
  table: PgTable & { id: PgColumn; isArchived: PgColumn },
  field: string,
  id: string | null | undefined,
  current: string | null | undefined,
  errors: FieldError[],
): Promise<void> {
  if (!id || id === current) return;
  const [row] = await ctx.db.select({ isArchived: table.isArchived }).from(table).where(eq(table.id, id));
  if (!row) errors.push({ path: field, message: 'does not exist' });
  else if (row.isArchived) errors.push({ path: field, message: 'is archived' });
}
