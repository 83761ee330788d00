import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { timestampTz } from '../../db/columns';

/** REVEAL, EXPORT and VIEW change nothing: a secret shown, an evidence pack downloaded, a record seen by an external auditor. */
export const AUDIT_ACTIONS = [
  'INSERT',
  'UPDATE',
  'DELETE',
  'ARCHIVE',
  'RESTORE',
  'REVEAL',
  'EXPORT',
  'VIEW',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUTH_METHODS = ['session', 'api_token', 'system', 'anonymous'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/**
 * One row per mutation, written in the mutation's own transaction by the write path.
 * Append-only: a trigger (migration 0001) rejects UPDATE, DELETE and TRUNCATE.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey(),
    /**
     * The writing transaction's id. Rows of transactions older than every running one are
     * settled, which lets the sealer take exactly the finished rows in a stable order.
     */
    txId: bigint('tx_id', { mode: 'number' }).notNull().default(sql`(pg_current_xact_id()::text::bigint)`),
    occurredAt: timestampTz('occurred_at').notNull(),
    actorId: uuid('actor_id'),
    actorLabel: varchar('actor_label', { length: 320 }),
    authMethod: varchar('auth_method', { length: 16 }).$type<AuthMethod>().notNull(),
    action: varchar('action', { length: 16 }).$type<AuditAction>().notNull(),
    entityType: varchar('entity_type', { length: 64 }).notNull(),
    entityId: uuid('entity_id').notNull(),
    entityLabel: varchar('entity_label', { length: 255 }),
    changes: jsonb('changes').$type<Record<string, unknown>>().notNull(),
    ip: varchar('ip', { length: 64 }),
    userAgent: varchar('user_agent', { length: 512 }),
    requestId: varchar('request_id', { length: 64 }),
  },
  (t) => [
    index('audit_log_entity_idx').on(t.entityType, t.entityId, t.id),
    index('audit_log_actor_idx').on(t.actorId, t.id),
    // The log only grows, in time and transaction order: BRIN indexes serve its time ranges and
    // the sealer's scan of recent transactions at almost no cost per insert. Newest-first
    // listing walks the primary key, whose UUIDv7 values are time-ordered.
    index('audit_log_occurred_brin').using('brin', t.occurredAt),
    index('audit_log_tx_brin').using('brin', t.txId),
  ],
);

/**
 * The hash chain, kept beside the log so that audit rows never change after insert.
 * Rows are sealed shortly after commit, in (transaction id, id) order, by one sealer at a time:
 * hash = SHA-256(previous hash + canonical content of the audit row).
 */
export const auditSeal = pgTable('audit_seal', {
  position: bigint('position', { mode: 'number' }).primaryKey(),
  auditId: uuid('audit_id')
    .notNull()
    .unique()
    .references(() => auditLog.id),
  /** The sealed row's transaction id, kept here so sealing resumes even if that row is tampered with. */
  txId: bigint('tx_id', { mode: 'number' }).notNull(),
  previousHash: text('previous_hash').notNull(),
  hash: text('hash').notNull(),
  sealedAt: timestampTz('sealed_at').notNull().defaultNow(),
});
