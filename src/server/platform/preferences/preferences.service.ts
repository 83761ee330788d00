import { and, count, eq, sql } from 'drizzle-orm';
import { type AuditedTable, deleteRecord, insertRecord, updateRecord } from '../audit/write';
import { inTransaction, type ServiceContext } from '../http/context';
import { HttpProblem } from '../http/problem';
import { type UserPreference, userPreferences } from './preferences.table';

/** Preferences are changes like any other: written through the write path, audited. */
export const userPreferenceAudit: AuditedTable<typeof userPreferences> = {
  table: userPreferences,
  entityType: 'user_preference',
  label: (row) => row.key,
};

/** Enough for every list of every module, while keeping one person's settings bounded. */
export const MAX_PREFERENCES_PER_USER = 200;

/** Serialises one person's preference writes, so the first write of a key and the count limit hold. */
async function lockPreferencesOf(ctx: ServiceContext, userId: string): Promise<void> {
  await ctx.db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`user_preferences:${userId}`}, 0))`,
  );
}

async function findPreference(
  ctx: ServiceContext,
  userId: string,
  key: string,
  lock: boolean,
): Promise<UserPreference | undefined> {
  const query = ctx.db
    .select()
    .from(userPreferences)
    .where(and(eq(userPreferences.userId, userId), eq(userPreferences.key, key)));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function getPreference(
  ctx: ServiceContext,
  userId: string,
  key: string,
): Promise<UserPreference | undefined> {
  return findPreference(ctx, userId, key, false);
}

/** Creates or replaces one preference (last write wins: it is one person's own setting). */
export async function setPreference(
  ctx: ServiceContext,
  userId: string,
  key: string,
  value: unknown,
): Promise<UserPreference> {
  return inTransaction(ctx, async (tx) => {
    await lockPreferencesOf(tx, userId);
    const current = await findPreference(tx, userId, key, true);
    if (current) return updateRecord(tx, userPreferenceAudit, current.id, { value }, { locked: current });
    const [held] = await tx.db
      .select({ n: count() })
      .from(userPreferences)
      .where(eq(userPreferences.userId, userId));
    if ((held?.n ?? 0) >= MAX_PREFERENCES_PER_USER) {
      throw new HttpProblem(
        409,
        'Conflict',
        `You already keep ${MAX_PREFERENCES_PER_USER} preferences; reset some before adding more.`,
      );
    }
    return insertRecord(tx, userPreferenceAudit, { userId, key, value });
  });
}

/** Removes one preference, so the default applies again; true when there was one. */
export async function resetPreference(ctx: ServiceContext, userId: string, key: string): Promise<boolean> {
  return inTransaction(ctx, async (tx) => {
    await lockPreferencesOf(tx, userId);
    const current = await findPreference(tx, userId, key, true);
    if (!current) return false;
    await deleteRecord(tx, userPreferenceAudit, current.id, undefined, current);
    return true;
  });
}
