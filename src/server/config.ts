import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Everything the server reads from the environment, validated once at start. */
export interface Config {
  env: 'development' | 'production' | 'test';
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  secret: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  maxUploadBytes: number;
  sessionTtlHours: number;
  /** Ask users with two-factor for their code only when logging in from an address new to them. */
  mfaOnlyFromNewIp: boolean;
  secureCookies: boolean;
  trustProxy: boolean;
  /** Sign-in attempts (password or second factor) one client address may make per minute. */
  loginAttemptsPerMinute: number;
  logLevel: string;
}

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  OPSDECK_DATA_DIR: z.string().min(1).default('./data'),
  HOST: z.string().min(1).default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  OPSDECK_SECRET: z.string().optional(),
  OPSDECK_ADMIN_EMAIL: z.email('must be an e-mail address').optional(),
  OPSDECK_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(256).optional(),
  OPSDECK_MAX_UPLOAD_MB: z.coerce.number().positive().max(1024).default(25),
  OPSDECK_SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(12),
  OPSDECK_MFA_NEW_IP: booleanFlag.default(false),
  OPSDECK_SECURE_COOKIES: booleanFlag.optional(),
  OPSDECK_TRUST_PROXY: booleanFlag.default(false),
  OPSDECK_LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const WEAK_SECRETS = new Set(['changeme', 'secret', 'password', 'opsdeck', 'development']);

/** Reads the secret from the data directory, creating it on first start. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.OPSDECK_DATA_DIR);
  const problems: string[] = [];
  let secret = e.OPSDECK_SECRET;
  if (secret !== undefined && (secret.length < 32 || WEAK_SECRETS.has(secret.toLowerCase()))) {
    problems.push('OPSDECK_SECRET: must be at least 32 characters and not a well-known value');
  }
  if (secret === undefined) {
    if (e.NODE_ENV === 'production' && e.DATABASE_URL) {
      problems.push(
        'OPSDECK_SECRET: required in production on a PostgreSQL server (generate one with `openssl rand -base64 48`)',
      );
    } else {
      secret = readOrCreateSecret(dataDir);
    }
  }
  if ((e.OPSDECK_ADMIN_EMAIL === undefined) !== (e.OPSDECK_ADMIN_PASSWORD === undefined)) {
    problems.push('OPSDECK_ADMIN_EMAIL and OPSDECK_ADMIN_PASSWORD: set both or neither');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    env: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    host: e.HOST,
    port: e.PORT,
    secret: secret!,
    adminEmail: e.OPSDECK_ADMIN_EMAIL?.toLowerCase(),
    adminPassword: e.OPSDECK_ADMIN_PASSWORD,
    maxUploadBytes: Math.round(e.OPSDECK_MAX_UPLOAD_MB * 1024 * 1024),
    sessionTtlHours: e.OPSDECK_SESSION_TTL_HOURS,
    mfaOnlyFromNewIp: e.OPSDECK_MFA_NEW_IP,
    secureCookies: e.OPSDECK_SECURE_COOKIES ?? e.NODE_ENV === 'production',
    trustProxy: e.OPSDECK_TRUST_PROXY,
    loginAttemptsPerMinute: e.OPSDECK_LOGIN_ATTEMPTS_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
  };
}
