import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { entityColumns, timestampTz } from '../../db/columns';

/**
 * Login secrets, one row per user who has ever had a password. Kept apart from `users` so
 * that no query of the directory can leak them; every column here is redacted in audit diffs.
 * The TOTP secret is encrypted at rest (AES-256-GCM, key derived from OPSDECK_SECRET).
 */
export const userCredentials = pgTable('user_credentials', {
  ...entityColumns(),
  userId: uuid('user_id').notNull().unique(),
  passwordHash: text('password_hash'),
  passwordChangedAt: timestampTz('password_changed_at'),
  totpSecretEncrypted: text('totp_secret_encrypted'),
  totpEnabledAt: timestampTz('totp_enabled_at'),
  /** The last TOTP time step accepted: a code is good once (RFC 6238 §5.2). */
  totpLastTimeStep: bigint('totp_last_time_step', { mode: 'number' }),
  recoveryCodeHashes: jsonb('recovery_code_hashes').$type<string[]>().notNull().default([]),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestampTz('locked_until'),
});

export const SESSION_STAGES = ['mfa', 'active'] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];

/**
 * Server-side sessions. The cookie carries a random token; only its SHA-256 is stored.
 * A session in stage `mfa` has passed the password and waits for the second factor.
 */
export const sessions = pgTable(
  'sessions',
  {
    ...entityColumns(),
    tokenHash: varchar('token_hash', { length: 64 }).notNull(),
    userId: uuid('user_id').notNull(),
    stage: varchar('stage', { length: 10 }).$type<SessionStage>().notNull(),
    expiresAt: timestampTz('expires_at').notNull(),
    lastSeenAt: timestampTz('last_seen_at').notNull().defaultNow(),
    ip: varchar('ip', { length: 64 }),
    userAgent: varchar('user_agent', { length: 512 }),
  },
  (t) => [uniqueIndex('sessions_token_unique').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/** Personal API tokens: shown once, stored hashed, never stronger than their owner. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    ...entityColumns(),
    userId: uuid('user_id').notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    tokenHash: varchar('token_hash', { length: 64 }).notNull(),
    tokenPrefix: varchar('token_prefix', { length: 16 }).notNull(),
    expiresAt: timestampTz('expires_at').notNull(),
    lastUsedAt: timestampTz('last_used_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_unique').on(t.tokenHash), index('api_tokens_user_idx').on(t.userId)],
);

/** IP addresses a user has logged in from; a new one may require the second factor. */
export const userKnownIps = pgTable(
  'user_known_ips',
  {
    ...entityColumns(),
    userId: uuid('user_id').notNull(),
    ip: varchar('ip', { length: 64 }).notNull(),
    lastSeenAt: timestampTz('last_seen_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('user_known_ips_unique').on(t.userId, t.ip)],
);
