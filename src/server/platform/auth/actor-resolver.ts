import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { users } from '../../domains/people/users.table';
import type { Actor } from '../http/context';
import { effectiveAccess, grantsColumn } from '../rbac/access';
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
 * Turns a bearer token or a session cookie into an actor with their effective access.
 * Bookkeeping writes here (last seen/used) are not audited: they are not changes anyone made.
 */
export async function resolveActor(
  db: Db,
  bearer: string | undefined,
  cookie: string | undefined,
): Promise<Resolution> {
  const now = new Date();
  if (bearer) {
    if (!bearer.startsWith(API_TOKEN_PREFIX)) return ANONYMOUS;
    const [found] = await db
      .select({ token: apiTokens, user: users, grants: grantsColumn(db, sql`${users.id}`) })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.tokenHash, sha256Hex(bearer)), gt(apiTokens.expiresAt, now), loginAllowed));
    if (!found) return ANONYMOUS;
    if (!found.token.lastUsedAt || now.getTime() - found.token.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, found.token.id));
    }
    return {
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
    };
  }
  if (!cookie) return ANONYMOUS;
  const [found] = await sessionQuery(db).execute({ hash: sha256Hex(cookie), now: now.toISOString() });
  if (!found) return ANONYMOUS;
  const session: ResolvedSession = {
    id: found.sessionId,
    token: cookie,
    stage: found.stage,
    userId: found.userId,
  };
  if (found.stage !== 'active') return { actor: { kind: 'anonymous' }, session };
  if (now.getTime() - found.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, found.sessionId));
  }
  return {
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
  };
}

/** Expired sessions are housekeeping, not history: removed without audit rows. */
export async function purgeExpiredSessions(db: Db): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
