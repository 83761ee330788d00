import { and, eq, getTableName, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { changeStamp } from '../../db/table-changes';
import { groupMembers, groups } from '../../domains/people/groups.table';
import { users } from '../../domains/people/users.table';
import type { Actor } from '../http/context';
import { effectiveAccess, grantsColumn } from '../rbac/access';
import { accessGrants } from '../rbac/grants.table';
import { apiTokens, sessions } from './auth.table';
import { sha256Hex } from './crypto';

export const SESSION_COOKIE = 'opsdeck_session';
export const API_TOKEN_PREFIX = 'odk_';
/** Last-seen times are refreshed at most this often, so reads stay reads. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ResolvedSession {
  id: string;
  token: string;
  stage: 'mfa' | 'active';
  userId: string;
}

export interface Resolution {
  actor: Actor;
  session: ResolvedSession | null;
}

const ANONYMOUS: Resolution = { actor: { kind: 'anonymous' }, session: null };

const loginAllowed = and(eq(users.loginEnabled, true), eq(users.isArchived, false));

/**
 * The session lookup runs on every request: built once per database as a prepared statement
 * (PostgreSQL plans it once per connection), with only the columns an actor needs.
 */
function buildSessionQuery(db: Db) {
  return db
    .select({
      sessionId: sessions.id,
      stage: sessions.stage,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      userId: users.id,
      email: users.email,
      role: users.role,
      grants: grantsColumn(db, sql`${users.id}`),
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, sql.placeholder('hash')),
        gt(sessions.expiresAt, sql`${sql.placeholder('now')}::timestamptz`),
        loginAllowed,
      ),
    )
    .prepare('opsdeck_resolve_session');
}
const sessionQueries = new WeakMap<Db, ReturnType<typeof buildSessionQuery>>();
function sessionQuery(db: Db): ReturnType<typeof buildSessionQuery> {
  let query = sessionQueries.get(db);
  if (!query) {
    query = buildSessionQuery(db);
    sessionQueries.set(db, query);
  }
  return query;
}

/**
 * Resolved actors, kept until one of the tables they were read from changes.
 *
 * Every request resolves its caller; without this, that lookup is half the database round trips
 * of a list page. Signing in or out, revoking a session or token, changing a person's role or
 * login, their groups or any grant: each is a write through the audited write path, which reports
 * its table (db/table-changes.ts), and every resolution read before is dropped, in this process at
 * once and in the other instances when they hear the NOTIFY. An entry also goes when its session or
 * token expires, and after TOUCH_INTERVAL_MS, so that last-seen times are still refreshed.
 */
const RESOLVED_FROM = [sessions, apiTokens, users, accessGrants, groupMembers, groups].map((table) =>
  getTableName(table),
);
const MAX_CACHED = 5_000;

interface CachedResolution {
  stamp: string;
  resolution: Resolution;
  expiresAt: number;
  cachedAt: number;
}
const cachesByDatabase = new WeakMap<Db, Map<string, CachedResolution>>();

/**
 * Turns a bearer token or a session cookie into an actor with their effective access.
 * Bookkeeping writes here (last seen/used) are not audited: they are not changes anyone made.
 */
export async function resolveActor(
  db: Db,
  bearer: string | undefined,
  cookie: string | undefined,
): Promise<Resolution> {
  if (!bearer && !cookie) return ANONYMOUS;
  if (bearer && !bearer.startsWith(API_TOKEN_PREFIX)) return ANONYMOUS;
  const hash = sha256Hex(bearer ?? cookie!);
  const key = `${bearer ? 't' : 's'}:${hash}`;
  // The stamp is read before the lookup: a change committed meanwhile makes its result stale.
  const stamp = changeStamp(RESOLVED_FROM);
  let cache = cachesByDatabase.get(db);
  if (!cache) {
    cache = new Map();
    cachesByDatabase.set(db, cache);
  }
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp && now < hit.expiresAt && now - hit.cachedAt < TOUCH_INTERVAL_MS) {
    return hit.resolution;
  }
  const found = await lookUpActor(db, hash, bearer ? undefined : cookie);
  if (!found) {
    cache.delete(key);
    return ANONYMOUS;
  }
  if (stamp !== undefined) {
    cache.delete(key);
    cache.set(key, { stamp, resolution: found.resolution, expiresAt: found.expiresAt, cachedAt: now });
    if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  }
  return found.resolution;
}

/** The actor of a token (by its hash), or of a session when `cookie` is given. */
async function lookUpActor(
  db: Db,
  hash: string,
  cookie: string | undefined,
): Promise<{ resolution: Resolution; expiresAt: number } | undefined> {
  const now = new Date();
  if (cookie === undefined) {
    const [found] = await db
      .select({ token: apiTokens, user: users, grants: grantsColumn(db, sql`${users.id}`) })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.tokenHash, hash), gt(apiTokens.expiresAt, now), loginAllowed));
    if (!found) return undefined;
    if (!found.token.lastUsedAt || now.getTime() - found.token.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, found.token.id));
    }
    return {
      expiresAt: found.token.expiresAt.getTime(),
      resolution: {
        actor: {
          kind: 'user',
          id: found.user.id,
          label: found.user.email,
          role: found.user.role,
          authMethod: 'api_token',
          apiTokenId: found.token.id,
          access: effectiveAccess(found.user.role, found.grants),
        },
        session: null,
      },
    };
  }
  const [found] = await sessionQuery(db).execute({ hash, now: now.toISOString() });
  if (!found) return undefined;
  const session: ResolvedSession = {
    id: found.sessionId,
    token: cookie,
    stage: found.stage,
    userId: found.userId,
  };
  const expiresAt = found.expiresAt.getTime();
  if (found.stage !== 'active') return { expiresAt, resolution: { actor: { kind: 'anonymous' }, session } };
  if (now.getTime() - found.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, found.sessionId));
  }
  return {
    expiresAt,
    resolution: {
      actor: {
        kind: 'user',
        id: found.userId,
        label: found.email,
        role: found.role,
        authMethod: 'session',
        sessionId: found.sessionId,
        access: effectiveAccess(found.role, found.grants),
      },
      session,
    },
  };
}

/** Expired sessions are housekeeping, not history: removed without audit rows. */
export async function purgeExpiredSessions(db: Db): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
