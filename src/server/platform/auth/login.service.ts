import { and, eq, sql } from 'drizzle-orm';
import type { Config } from '../../config';
import { users } from '../../domains/people/users.table';
import { deleteRecord, insertRecord, lockRecord, updateRecord } from '../audit/write';
import { inTransaction, type ServiceContext } from '../http/context';
import { type HttpProblem, tooManyRequests, unauthorized } from '../http/problem';
import { credentialsAudit, knownIpAudit, sessionAudit } from './auth.audit';
import { userCredentials, userKnownIps } from './auth.table';
import { randomToken, type SecretBox, sha256Hex } from './crypto';
import { dummyPasswordHash, verifyPassword } from './passwords';
import { verifyTotpCode } from './totp';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
/** A password-verified session waiting for its second factor lives this long. */
const MFA_PENDING_MINUTES = 10;

export interface AuthDeps {
  config: Config;
  secretBox: SecretBox;
}

export type LoginOutcome =
  | { status: 'authenticated'; sessionToken: string; userId: string }
  | { status: 'second_factor_required'; sessionToken: string; userId: string };

type Credentials = typeof userCredentials.$inferSelect;

const INVALID_CREDENTIALS = () => unauthorized('The e-mail address or password is incorrect.');

function lockedProblem(until: Date): HttpProblem {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return tooManyRequests(
    `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  );
}

/**
 * Counts an attempt against the account before the password or code is checked, under the row
 * lock: parallel guesses queue here and, past MAX_FAILED_LOGINS without a success, find the
 * account locked instead of all being checked. A success clears the count.
 */
async function reserveAttempt(ctx: ServiceContext, credentialsId: string): Promise<void> {
  const lockedUntil = await inTransaction(ctx, async (tx) => {
    const current = await lockRecord(tx, credentialsAudit, credentialsId);
    if (current.lockedUntil && current.lockedUntil > new Date()) return current.lockedUntil;
    const failedLogins = current.failedLogins + 1;
    if (failedLogins > MAX_FAILED_LOGINS) {
      const until = new Date(Date.now() + LOCKOUT_MINUTES * 60_000);
      await updateRecord(
        tx,
        credentialsAudit,
        current.id,
        { failedLogins: 0, lockedUntil: until },
        { locked: current },
      );
      return until;
    }
    await updateRecord(tx, credentialsAudit, current.id, { failedLogins }, { locked: current });
    return null;
  });
  // Refused after the commit, so that a new lock is kept.
  if (lockedUntil) throw lockedProblem(lockedUntil);
}

async function createSession(
  ctx: ServiceContext,
  deps: AuthDeps,
  userId: string,
  stage: 'mfa' | 'active',
): Promise<string> {
  const token = randomToken();
  const ttlMs = stage === 'mfa' ? MFA_PENDING_MINUTES * 60_000 : deps.config.sessionTtlHours * 3_600_000;
  await insertRecord(ctx, sessionAudit, {
    tokenHash: sha256Hex(token),
    userId,
    stage,
    expiresAt: new Date(Date.now() + ttlMs),
    ip: ctx.meta.ip,
    userAgent: ctx.meta.userAgent?.slice(0, 512) ?? null,
  });
  return token;
}

async function rememberIp(ctx: ServiceContext, userId: string): Promise<void> {
  if (!ctx.meta.ip) return;
  const [known] = await ctx.db
    .select()
    .from(userKnownIps)
    .where(and(eq(userKnownIps.userId, userId), eq(userKnownIps.ip, ctx.meta.ip)));
  if (known) await updateRecord(ctx, knownIpAudit, known.id, { lastSeenAt: new Date() });
  else await insertRecord(ctx, knownIpAudit, { userId, ip: ctx.meta.ip });
}

async function isKnownIp(ctx: ServiceContext, userId: string): Promise<boolean> {
  if (!ctx.meta.ip) return false;
  const [row] = await ctx.db
    .select({ id: userKnownIps.id })
    .from(userKnownIps)
    .where(and(eq(userKnownIps.userId, userId), eq(userKnownIps.ip, ctx.meta.ip)));
  return row !== undefined;
}

/**
 * Step one: e-mail and password. The password is hashed outside any transaction; an unknown
 * e-mail costs the same time as a wrong password, so timing does not reveal who has an account.
 */
export async function logIn(
  ctx: ServiceContext,
  deps: AuthDeps,
  input: { email: string; password: string },
): Promise<LoginOutcome> {
  const [found] = await ctx.db
    .select({ user: users, credentials: userCredentials })
    .from(users)
    .innerJoin(userCredentials, eq(userCredentials.userId, users.id))
    .where(
      and(
        sql`lower(${users.email}) = ${input.email.trim().toLowerCase()}`,
        eq(users.loginEnabled, true),
        eq(users.isArchived, false),
      ),
    );
  if (!found?.credentials.passwordHash) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    throw INVALID_CREDENTIALS();
  }
  const { user, credentials } = found;
  const actorCtx: ServiceContext = { ...ctx, actor: { kind: 'system', label: `login:${user.email}` } };
  await reserveAttempt(actorCtx, credentials.id);
  if (!(await verifyPassword(credentials.passwordHash, input.password))) throw INVALID_CREDENTIALS();
  // With OPSDECK_MFA_NEW_IP, an address this user already completed a login from is trusted.
  const trustedIp = deps.config.mfaOnlyFromNewIp && (await isKnownIp(ctx, user.id));
  const needsSecondFactor = credentials.totpEnabledAt !== null && !trustedIp;
  return inTransaction(actorCtx, async (tx) => {
    await updateRecord(tx, credentialsAudit, credentials.id, { failedLogins: 0, lockedUntil: null });
    if (needsSecondFactor) {
      return {
        status: 'second_factor_required',
        sessionToken: await createSession(tx, deps, user.id, 'mfa'),
        userId: user.id,
      };
    }
    await rememberIp(tx, user.id);
    return {
      status: 'authenticated',
      sessionToken: await createSession(tx, deps, user.id, 'active'),
      userId: user.id,
    };
  });
}

/**
 * Accepts a current TOTP code not used before, or consumes one unused recovery code. Returns
 * what to store on success: the accepted time step, or the remaining recovery codes.
 */
async function checkSecondFactor(
  deps: AuthDeps,
  credentials: Credentials,
  code: string,
): Promise<{ ok: false } | { ok: true; changes: Partial<Credentials> }> {
  const normalized = code.replace(/[\s-]/g, '');
  if (/^\d{6}$/.test(normalized) && credentials.totpSecretEncrypted) {
    const secret = deps.secretBox.decrypt(credentials.totpSecretEncrypted);
    const timeStep = await verifyTotpCode(secret, normalized, credentials.totpLastTimeStep);
    return timeStep !== null ? { ok: true, changes: { totpLastTimeStep: timeStep } } : { ok: false };
  }
  const hash = sha256Hex(normalized.toLowerCase());
  if (credentials.recoveryCodeHashes.includes(hash)) {
    return {
      ok: true,
      changes: { recoveryCodeHashes: credentials.recoveryCodeHashes.filter((h) => h !== hash) },
    };
  }
  return { ok: false };
}

/** Step two: the code from the authenticator app (or a recovery code) turns the session active. */
export async function completeSecondFactor(
  ctx: ServiceContext,
  deps: AuthDeps,
  pending: { id: string; userId: string },
  code: string,
): Promise<{ sessionToken: string }> {
  const [credentials] = await ctx.db
    .select()
    .from(userCredentials)
    .where(eq(userCredentials.userId, pending.userId));
  if (!credentials?.totpEnabledAt)
    throw unauthorized('Two-factor authentication is not set up for this account.');
  const actorCtx: ServiceContext = { ...ctx, actor: { kind: 'system', label: 'login:second-factor' } };
  await reserveAttempt(actorCtx, credentials.id);
  return inTransaction(actorCtx, async (tx) => {
    // Checked and consumed on the locked row: a recovery code or a time step is spent once.
    const current = await lockRecord(tx, credentialsAudit, credentials.id);
    const check = await checkSecondFactor(deps, current, code);
    if (!check.ok) throw unauthorized('The code is incorrect or has expired.');
    await updateRecord(
      tx,
      credentialsAudit,
      current.id,
      { ...check.changes, failedLogins: 0, lockedUntil: null },
      { locked: current },
    );
    // A fresh token for the authenticated session: the pre-MFA token is never promoted.
    const token = randomToken();
    await updateRecord(tx, sessionAudit, pending.id, {
      tokenHash: sha256Hex(token),
      stage: 'active',
      expiresAt: new Date(Date.now() + deps.config.sessionTtlHours * 3_600_000),
    });
    await rememberIp(tx, pending.userId);
    return { sessionToken: token };
  });
}

export async function logOut(ctx: ServiceContext, sessionId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await deleteRecord(tx, sessionAudit, sessionId);
  });
}
