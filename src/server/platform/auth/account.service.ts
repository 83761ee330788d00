import { and, count, desc, eq, ne } from 'drizzle-orm';
import { generateSecret, generateURI } from 'otplib';
import QRCode from 'qrcode';
import { users } from '../../domains/people/users.table';
import { deleteRecord, insertRecord, updateRecord } from '../audit/write';
import { inTransaction, type ServiceContext } from '../http/context';
import { conflict, forbidden, notFound, validationFailed } from '../http/problem';
import { API_TOKEN_PREFIX } from './actor-resolver';
import { apiTokenAudit, credentialsAudit, sessionAudit } from './auth.audit';
import { apiTokens, sessions, userCredentials } from './auth.table';
import { randomToken, sha256Hex } from './crypto';
import type { AuthDeps } from './login.service';
import { checkPasswordRules, hashPassword, verifyPassword } from './passwords';
import { verifyTotpCode } from './totp';

const RECOVERY_CODE_COUNT = 10;
/** Personal tokens per person: enough for every script, few enough to review. */
export const MAX_API_TOKENS = 25;

async function credentialsOf(ctx: ServiceContext, userId: string) {
  const [row] = await ctx.db.select().from(userCredentials).where(eq(userCredentials.userId, userId));
  return row;
}

async function requireUser(ctx: ServiceContext, userId: string) {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (!user) throw notFound('User');
  return user;
}

/**
 * Sets a password (hashed before the transaction). Sessions are revoked in the same
 * transaction: all of them when an administrator resets it, all but the current one when the
 * user changes their own.
 */
export async function setPassword(
  ctx: ServiceContext,
  userId: string,
  password: string,
  keepSessionId?: string,
): Promise<void> {
  const user = await requireUser(ctx, userId);
  const errors = checkPasswordRules(password, { email: user.email });
  if (errors.length > 0) throw validationFailed(errors);
  const passwordHash = await hashPassword(password);
  await inTransaction(ctx, async (tx) => {
    const existing = await credentialsOf(tx, userId);
    const values = { passwordHash, passwordChangedAt: new Date(), failedLogins: 0, lockedUntil: null };
    if (existing) await updateRecord(tx, credentialsAudit, existing.id, values);
    else await insertRecord(tx, credentialsAudit, { userId, ...values });
    await revokeSessions(tx, userId, keepSessionId);
  });
}

export async function changeOwnPassword(
  ctx: ServiceContext,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  currentSessionId: string | undefined,
): Promise<void> {
  const credentials = await credentialsOf(ctx, userId);
  if (!(await verifyPassword(credentials?.passwordHash ?? null, input.currentPassword))) {
    throw validationFailed([{ path: 'currentPassword', message: 'is incorrect' }]);
  }
  if (input.currentPassword === input.newPassword) {
    throw validationFailed([{ path: 'newPassword', message: 'must differ from the current password' }]);
  }
  await setPassword(ctx, userId, input.newPassword, currentSessionId);
}

async function revokeSessions(ctx: ServiceContext, userId: string, keepSessionId?: string): Promise<number> {
  const rows = await ctx.db
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      keepSessionId
        ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId))
        : eq(sessions.userId, userId),
    );
  for (const row of rows) await deleteRecord(ctx, sessionAudit, row.id);
  return rows.length;
}

export async function revokeOtherSessions(
  ctx: ServiceContext,
  userId: string,
  keepSessionId: string | undefined,
): Promise<number> {
  return inTransaction(ctx, (tx) => revokeSessions(tx, userId, keepSessionId));
}

export async function revokeSession(ctx: ServiceContext, userId: string, sessionId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
    if (!row) throw notFound('Session');
    await deleteRecord(tx, sessionAudit, sessionId);
  });
}

export async function listSessions(ctx: ServiceContext, userId: string) {
  return ctx.db
    .select({
      id: sessions.id,
      stage: sessions.stage,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.stage, 'active')))
    .orderBy(desc(sessions.lastSeenAt));
}

export async function twoFactorStatus(ctx: ServiceContext, userId: string) {
  const credentials = await credentialsOf(ctx, userId);
  return {
    enabled: credentials?.totpEnabledAt != null,
    enabledAt: credentials?.totpEnabledAt?.toISOString() ?? null,
    recoveryCodesLeft: credentials?.totpEnabledAt ? credentials.recoveryCodeHashes.length : 0,
  };
}

/** Starts enrolment: a new secret, stored encrypted but not yet active until a code confirms it. */
export async function startTwoFactorEnrolment(ctx: ServiceContext, deps: AuthDeps, userId: string) {
  const user = await requireUser(ctx, userId);
  const credentials = await credentialsOf(ctx, userId);
  if (!credentials) throw conflict('Set a password before enabling two-factor authentication.');
  if (credentials.totpEnabledAt)
    throw conflict('Two-factor authentication is already enabled; disable it first.');
  const secret = generateSecret();
  const otpauthUrl = generateURI({ issuer: 'OpsDeck', label: user.email, secret });
  await inTransaction(ctx, (tx) =>
    updateRecord(tx, credentialsAudit, credentials.id, {
      totpSecretEncrypted: deps.secretBox.encrypt(secret),
    }),
  );
  return { secret, otpauthUrl, qrCodeDataUrl: await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 240 }) };
}

function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = randomToken(8)
      .replace(/[^a-zA-Z0-9]/g, '')
      .toLowerCase()
      .padEnd(10, 'x')
      .slice(0, 10);
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  return { codes, hashes: codes.map((code) => sha256Hex(code.replace('-', ''))) };
}

/** Confirms enrolment with a code from the app; returns the recovery codes, shown this once. */
export async function confirmTwoFactor(ctx: ServiceContext, deps: AuthDeps, userId: string, code: string) {
  const credentials = await credentialsOf(ctx, userId);
  if (!credentials?.totpSecretEncrypted || credentials.totpEnabledAt) {
    throw conflict('Start two-factor enrolment first.');
  }
  const secret = deps.secretBox.decrypt(credentials.totpSecretEncrypted);
  const timeStep = await verifyTotpCode(secret, code.replace(/\s/g, ''), null);
  if (timeStep === null) throw validationFailed([{ path: 'code', message: 'is incorrect or has expired' }]);
  const { codes, hashes } = newRecoveryCodes();
  await inTransaction(ctx, (tx) =>
    updateRecord(tx, credentialsAudit, credentials.id, {
      totpEnabledAt: new Date(),
      // The confirming code is spent: it cannot also complete a login.
      totpLastTimeStep: timeStep,
      recoveryCodeHashes: hashes,
    }),
  );
  return { recoveryCodes: codes };
}

async function requirePassword(ctx: ServiceContext, userId: string, password: string) {
  const credentials = await credentialsOf(ctx, userId);
  if (!credentials || !(await verifyPassword(credentials.passwordHash, password))) {
    throw validationFailed([{ path: 'password', message: 'is incorrect' }]);
  }
  return credentials;
}

export async function disableTwoFactor(ctx: ServiceContext, userId: string, password: string): Promise<void> {
  const credentials = await requirePassword(ctx, userId, password);
  await inTransaction(ctx, (tx) =>
    updateRecord(tx, credentialsAudit, credentials.id, {
      totpSecretEncrypted: null,
      totpEnabledAt: null,
      totpLastTimeStep: null,
      recoveryCodeHashes: [],
    }),
  );
}

export async function regenerateRecoveryCodes(ctx: ServiceContext, userId: string, password: string) {
  const credentials = await requirePassword(ctx, userId, password);
  if (!credentials.totpEnabledAt) throw conflict('Two-factor authentication is not enabled.');
  const { codes, hashes } = newRecoveryCodes();
  await inTransaction(ctx, (tx) =>
    updateRecord(tx, credentialsAudit, credentials.id, { recoveryCodeHashes: hashes }),
  );
  return { recoveryCodes: codes };
}

/** An administrator clears a user's two-factor (lost phone and recovery codes). */
export async function resetTwoFactor(ctx: ServiceContext, userId: string): Promise<void> {
  const credentials = await credentialsOf(ctx, userId);
  if (!credentials) throw notFound('Credentials');
  await inTransaction(ctx, async (tx) => {
    await updateRecord(tx, credentialsAudit, credentials.id, {
      totpSecretEncrypted: null,
      totpEnabledAt: null,
      totpLastTimeStep: null,
      recoveryCodeHashes: [],
    });
    await revokeSessions(tx, userId);
  });
}

export async function listApiTokens(ctx: ServiceContext, userId: string) {
  return ctx.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      tokenPrefix: apiTokens.tokenPrefix,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt));
}

/** Creates a personal token; the secret is returned once and only its hash is kept. */
export async function createApiToken(
  ctx: ServiceContext,
  userId: string,
  input: { name: string; expiresInDays: number },
) {
  if (ctx.actor.kind === 'user' && ctx.actor.authMethod === 'api_token') {
    throw forbidden('API tokens cannot create API tokens; sign in to create one.');
  }
  const [{ total } = { total: 0 }] = await ctx.db
    .select({ total: count() })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId));
  if (total >= MAX_API_TOKENS) {
    throw validationFailed([
      { path: 'name', message: `you have ${MAX_API_TOKENS} tokens already; revoke one you no longer use` },
    ]);
  }
  const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
  const row = await inTransaction(ctx, (tx) =>
    insertRecord(tx, apiTokenAudit, {
      userId,
      name: input.name,
      tokenHash: sha256Hex(token),
      tokenPrefix: token.slice(0, 12),
      expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
    }),
  );
  return {
    id: row.id,
    name: row.name,
    tokenPrefix: row.tokenPrefix,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: null,
    token,
  };
}

export async function revokeApiToken(ctx: ServiceContext, userId: string, tokenId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)));
    if (!row) throw notFound('API token');
    await deleteRecord(tx, apiTokenAudit, tokenId);
  });
}
