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
  const [found] = await db
    .select({ session: sessions, user: users, grants: grantsColumn(db, sql`${users.id}`) })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sha256Hex(cookie)), gt(sessions.expiresAt, now), loginAllowed));
  if (!found) return ANONYMOUS;
  const session: ResolvedSession = {
    id: found.session.id,
    token: cookie,
    stage: found.session.stage,
    userId: found.user.id,
  };
  if (found.session.stage !== 'active') return { actor: { kind: 'anonymous' }, session };
  if (now.getTime() - found.session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, found.session.id));
  }
  return {
    actor: {
      kind: 'user',
      id: found.user.id,
      label: found.user.email,
      role: found.user.role,
      authMethod: 'session',
      sessionId: found.session.id,
      access: effectiveAccess(found.user.role, found.grants),
    },
    session,
  };
}

/** Expired sessions are housekeeping, not history: removed without audit rows. */
export async function purgeExpiredSessions(db: Db): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
