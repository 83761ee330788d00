import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { entityColumns, jsonValue, timestampTz } from '../../db/columns';
import { frameworks } from '../compliance/frameworks.table';
import { users } from '../people/users.table';

export const AUDIT_STATUSES = ['planned', 'preparation', 'auditor_review', 'closed'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];
export const AUDIT_OUTCOMES = ['pass', 'qualified', 'fail'] as const;
export const AUDIT_RESULTS = [
  'pending',
  'compliant',
  'observation',
  'minor_nonconformity',
  'major_nonconformity',
  'not_applicable',
] as const;
export const PARTICIPANT_ROLES = ['participant', 'auditor'] as const;
export const EVIDENCE_SOURCES = ['link', 'manual', 'rule', 'added'] as const;

/**
 * A point-in-time audit of a framework: what each control in scope looked like, and every piece of
 * its evidence, frozen when the audit was created (or as of a past date). Nothing live changes it.
 */
export const audits = pgTable(
  'audits',
  {
    ...entityColumns(),
    name: varchar('name', { length: 200 }).notNull(),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id),
    /** The framework as it was named when frozen. */
    frameworkName: varchar('framework_name', { length: 200 }).notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    status: varchar('status', { length: 20 }).$type<AuditStatus>().notNull().default('planned'),
    outcome: varchar('outcome', { length: 20 }).$type<(typeof AUDIT_OUTCOMES)[number]>(),
    leadUserId: uuid('lead_user_id').references(() => users.id),
    /** `all` applicable controls, or the `selection` the audit was created with. */
    scope: varchar('scope', { length: 20 }).notNull().default('all'),
    /** With scope `selection`: the controls chosen (their ids), kept for the clone of the next period. */
    selection: jsonValue('selection'),
    /** How far back automated evidence was collected, and how many records per rule at most. */
    lookbackMonths: integer('lookback_months').notNull().default(6),
    samplePerRule: integer('sample_per_rule'),
    /** The moment the evidence stood as frozen (now, or a past date for an audit "as of"). */
    frozenAsOf: timestampTz('frozen_as_of').notNull(),
    /** Created "as of" a past moment: frozen from the snapshots and the audit log, not the live state. */
    historical: boolean('historical').notNull().default(false),
    locked: boolean('locked').notNull().default(false),
    lockReason: text('lock_reason'),
    lockedAt: timestampTz('locked_at'),
    lockedBy: uuid('locked_by'),
    clonedFromId: uuid('cloned_from_id'),
  },
  (t) => [
    index('audits_framework_idx').on(t.frameworkId),
    check('audits_period', sql`${t.periodEnd} >= ${t.periodStart}`),
  ],
);
export type Audit = typeof audits.$inferSelect;

/** Who works an audit: the team (participants) and the external auditors it is opened to. */
export const auditParticipants = pgTable(
  'audit_participants',
  {
    ...entityColumns(),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: varchar('role', { length: 20 }).$type<(typeof PARTICIPANT_ROLES)[number]>().notNull(),
  },
  (t) => [
    uniqueIndex('audit_participants_unique').on(t.auditId, t.userId),
    index('audit_participants_user_idx').on(t.userId),
  ],
);

/** A control as frozen into an audit, with the auditor's result. */
export const auditItems = pgTable(
  'audit_items',
  {
    ...entityColumns(),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id),
    /** The live control it was frozen from (for cloning and "as of" views); the copy stands alone. */
    controlId: uuid('control_id').notNull(),
    refId: varchar('ref_id', { length: 100 }).notNull(),
    title: varchar('title', { length: 500 }).notNull(),
    description: text('description'),
    guidance: text('guidance'),
    kind: varchar('kind', { length: 10 }).notNull(),
    depth: integer('depth').notNull(),
    position: varchar('position', { length: 200 }).notNull(),
    applicable: boolean('applicable').notNull(),
    soaJustification: text('soa_justification'),
    /** The live status and its reason when frozen. */
    frozenStatus: varchar('frozen_status', { length: 20 }),
    frozenReason: text('frozen_reason'),
    result: varchar('result', { length: 30 })
      .$type<(typeof AUDIT_RESULTS)[number]>()
      .notNull()
      .default('pending'),
    auditorComment: text('auditor_comment'),
  },
  (t) => [
    index('audit_items_audit_idx').on(t.auditId, t.position),
    uniqueIndex('audit_items_control_unique').on(t.auditId, t.controlId),
  ],
);
export type AuditItem = typeof auditItems.$inferSelect;

/**
 * A piece of evidence as it was: the record's type, id, name and a JSON rendering of its fields at
 * that moment, the justification, and for a file its bytes (content-addressed in the audit store,
 * so unchanged files are kept once) with their SHA-256.
 */
export const auditEvidence = pgTable(
  'audit_evidence',
  {
    ...entityColumns(),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => auditItems.id),
    source: varchar('source', { length: 10 }).$type<(typeof EVIDENCE_SOURCES)[number]>().notNull(),
    recordType: varchar('record_type', { length: 64 }),
    recordId: uuid('record_id'),
    displayName: varchar('display_name', { length: 500 }).notNull(),
    recordJson: jsonValue('record_json'),
    justification: text('justification'),
    evidenceDate: date('evidence_date', { mode: 'string' }),
    fileName: varchar('file_name', { length: 255 }),
    contentType: varchar('content_type', { length: 127 }),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    sha256: varchar('sha256', { length: 64 }),
    frozenAt: timestampTz('frozen_at').notNull(),
  },
  (t) => [
    index('audit_evidence_item_idx').on(t.itemId),
    index('audit_evidence_audit_idx').on(t.auditId),
    index('audit_evidence_sha_idx').on(t.sha256),
  ],
);
export type AuditEvidence = typeof auditEvidence.$inferSelect;

export const COMMENT_AUDIENCES = ['auditor', 'internal'] as const;
export const REQUEST_STATUSES = ['open', 'answered', 'closed'] as const;
export const FINDING_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const FINDING_STATUSES = ['open', 'in_progress', 'closed'] as const;

/** A thread on a frozen control: with the auditors (`auditor`), or within the team (`internal`, never shown to them). */
export const auditComments = pgTable(
  'audit_comments',
  {
    ...entityColumns(),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => auditItems.id),
    audience: varchar('audience', { length: 10 }).$type<(typeof COMMENT_AUDIENCES)[number]>().notNull(),
    body: text('body').notNull(),
  },
  (t) => [index('audit_comments_item_idx').on(t.itemId, t.createdAt)],
);
export type AuditComment = typeof auditComments.$inferSelect;

/** An auditor asking for more evidence on a control; the team answers by adding evidence. */
export const auditRequests = pgTable(
  'audit_requests',
  {
    ...entityColumns(),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => auditItems.id),
    body: text('body').notNull(),
    status: varchar('status', { length: 10 })
      .$type<(typeof REQUEST_STATUSES)[number]>()
      .notNull()
      .default('open'),
    answer: text('answer'),
  },
  (t) => [index('audit_requests_audit_idx').on(t.auditId, t.status)],
);
export type AuditRequest = typeof auditRequests.$inferSelect;

/** What the audit found wrong, tracked to closure by its owner. */
export const auditFindings = pgTable(
  'audit_findings',
  {
    ...entityColumns(),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id),
    itemId: uuid('item_id').references(() => auditItems.id),
    title: varchar('title', { length: 200 }).notNull(),
    description: text('description'),
    severity: varchar('severity', { length: 10 }).$type<(typeof FINDING_SEVERITIES)[number]>().notNull(),
    ownerUserId: uuid('owner_user_id').references(() => users.id),
    dueDate: date('due_date', { mode: 'string' }),
    status: varchar('status', { length: 12 })
      .$type<(typeof FINDING_STATUSES)[number]>()
      .notNull()
      .default('open'),
    closureNote: text('closure_note'),
    closedAt: timestampTz('closed_at'),
  },
  (t) => [
    index('audit_findings_audit_idx').on(t.auditId, t.status),
    index('audit_findings_owner_idx').on(t.ownerUserId, t.status),
  ],
);
export type AuditFinding = typeof auditFindings.$inferSelect;
