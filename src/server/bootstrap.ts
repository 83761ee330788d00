import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { type Config, ConfigError } from './config';
import type { Database } from './db/client';
import { userEntity } from './domains/people/users.entity';
import { users } from './domains/people/users.table';
import { insertRecord } from './platform/audit/write';
import { credentialsAudit } from './platform/auth/auth.audit';
import { checkPasswordRules, hashPassword } from './platform/auth/passwords';
import { inTransaction, type ServiceContext, SYSTEM_META, systemActor } from './platform/http/context';

export const DEFAULT_ADMIN_EMAIL = 'admin@opsdeck.local';

export function systemContext(database: Database, label: string): ServiceContext {
  return { db: database.db, actor: systemActor(label), meta: SYSTEM_META, afterCommit: (task) => task() };
}

/**
 * On the very first start (no administrator yet) creates one: from OPSDECK_ADMIN_EMAIL and
 * OPSDECK_ADMIN_PASSWORD when set, otherwise with a generated password printed once.
 */
export async function ensureFirstAdministrator(
  database: Database,
  config: Config,
  print: (message: string) => void,
): Promise<void> {
  const [existing] = await database.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin')))
    .limit(1);
  if (existing) return;
  const ctx = systemContext(database, 'bootstrap');
  const email = config.adminEmail ?? DEFAULT_ADMIN_EMAIL;
  const password = config.adminPassword ?? randomBytes(12).toString('base64url');
  const problems = checkPasswordRules(password, { email, path: 'OPSDECK_ADMIN_PASSWORD' });
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `${p.path}: ${p.message}`));
  // Hash first (slow), then the person and their credentials in one transaction: a failure
  // leaves no administrator without a password behind.
  const passwordHash = await hashPassword(password);
  await inTransaction(ctx, async (tx) => {
    const admin = await insertRecord(tx, userEntity, {
      name: 'Administrator',
      email,
      role: 'admin',
      loginEnabled: true,
      hideFromOrgChart: true,
    });
    await insertRecord(tx, credentialsAudit, {
      userId: admin.id,
      passwordHash,
      passwordChangedAt: new Date(),
    });
  });
  if (config.adminPassword) {
    print(`Created the first administrator ${email} with the password from OPSDECK_ADMIN_PASSWORD.`);
  } else {
    print(
      [
        '',
        '  ┌──────────────────────────────────────────────────────────────┐',
        '  │ First start: an administrator account was created.          │',
        `  │   e-mail:   ${email.padEnd(49)}│`,
        `  │   password: ${password.padEnd(49)}│`,
        '  │ This password is shown only once. Change it after signing in.│',
        '  └──────────────────────────────────────────────────────────────┘',
        '',
      ].join('\n'),
    );
  }
}
