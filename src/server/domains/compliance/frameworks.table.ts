import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
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
import { archivableColumns, entityColumns, jsonValue, timestampTz } from '../../db/columns';
import { groups } from '../people/groups.table';
import { users } from '../people/users.table';

export const FRAMEWORK_SOURCES = ['builtin', 'imported', 'custom'] as const;
export const CONTROL_KINDS = ['group', 'control'] as const;
export const IMPLEMENTATION_STATUSES = ['not_started', 'planned', 'partial', 'implemented'] as const;
export const MAPPING_RELATIONSHIPS = ['equal', 'subset', 'superset', 'intersects'] as const;
/** Ordered best to worst; a control's status is the worst its evidence and rules allow. */
export const CONTROL_STATUSES = [
  'not_applicable',
  'compliant',
  'manual',
  'warning',
  'non_compliant',
  'uncovered',
] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

/** A body of requirements: built in (from the library), imported (OSCAL, JSON, CSV) or written here. */
export const frameworks = pgTable(
  'frameworks',
  {
    ...entityColumns(),
    ...archivableColumns(),
    /** Stable identity across re-imports: the library key, or the imported document's id. */
    key: varchar('key', { length: 200 }).notNull(),
    name: varchar('name', { length: 200 }).notNull(),
    /** The framework's own version ("2022", "rev5"); `version` is the record's edit counter. */
    edition: varchar('edition', { length: 50 }),
    publisher: varchar('publisher', { length: 200 }),
    description: text('description'),
    source: varchar('source', { length: 20 }).$type<(typeof FRAMEWORK_SOURCES)[number]>().notNull(),
    isActive: boolean('is_active').notNull().default(true),
  },
  (t) => [
    uniqueIndex('frameworks_key_unique').on(t.key),
    uniqueIndex('frameworks_name_unique').on(sql`lower(${t.name})`),
  ],
);
export type Framework = typeof frameworks.$inferSelect;

/**
 * A requirement, or a heading grouping requirements (a clause, a family), at any depth. `position`
 * orders the whole tree in one index walk: each level's sort order, zero-padded, joined by dots.
 */
export const frameworkControls = pgTable(
  'framework_controls',
  {
    ...entityColumns(),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id),
    parentId: uuid('parent_id').references((): AnyPgColumn => frameworkControls.id),
    refId: varchar('ref_id', { length: 100 }).notNull(),
    title: varchar('title', { length: 500 }).notNull(),
    description: text('description'),
    guidance: text('guidance'),
    kind: varchar('kind', { length: 10 })
      .$type<(typeof CONTROL_KINDS)[number]>()
      .notNull()
      .default('control'),
    sortOrder: integer('sort_order').notNull().default(0),
    depth: integer('depth').notNull().default(0),
    position: varchar('position', { length: 200 }).notNull(),
    /** The id in the source document when it differs from the reference (OSCAL `ac-2.1`). */
    sourceId: varchar('source_id', { length: 100 }),
    withdrawn: boolean('withdrawn').notNull().default(false),
    /** The Statement of Applicability: excluded controls need a justification and leave every statistic. */
    applicable: boolean('applicable').notNull().default(true),
    soaJustification: text('soa_justification'),
    implementationStatus: varchar('implementation_status', { length: 20 })
      .$type<(typeof IMPLEMENTATION_STATUSES)[number]>()
      .notNull()
      .default('not_started'),
    ownerUserId: uuid('owner_user_id').references(() => users.id),
    ownerGroupId: uuid('owner_group_id').references(() => groups.id),
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(
        (): ReturnType<typeof sql> =>
          sql`lower(coalesce(${frameworkControls.refId}, '') || ' ' || coalesce(${frameworkControls.title}, ''))`,
      ),
  },
  (t) => [
    uniqueIndex('framework_controls_ref_unique').on(t.frameworkId, t.refId),
    // Ends with the id: a deep page of the tree is read from the index alone (see listEntities).
    index('framework_controls_position_idx').on(t.frameworkId, t.position, t.id),
    index('framework_controls_parent_idx').on(t.parentId),
    index('framework_controls_owner_idx').on(t.ownerUserId),
    index('framework_controls_search_idx').using('gin', t.searchText.op('gin_trgm_ops')),
    check(
      'framework_controls_soa_justified',
      sql`${t.applicable} or coalesce(length(trim(${t.soaJustification})), 0) > 0`,
    ),
  ],
);
export type FrameworkControl = typeof frameworkControls.$inferSelect;

/**
 * "Control A relates to control B": evidence on a control counts for the controls it equals in
 * other frameworks. `subset` reads "from is narrower than to".
 */
export const controlMappings = pgTable(
  'control_mappings',
  {
    ...entityColumns(),
    fromControlId: uuid('from_control_id')
      .notNull()
      .references(() => frameworkControls.id),
    toControlId: uuid('to_control_id')
      .notNull()
      .references(() => frameworkControls.id),
    relationship: varchar('relationship', { length: 20 })
      .$type<(typeof MAPPING_RELATIONSHIPS)[number]>()
      .notNull(),
  },
  (t) => [
    uniqueIndex('control_mappings_pair_unique').on(t.fromControlId, t.toControlId),
    index('control_mappings_to_idx').on(t.toControlId),
    check('control_mappings_not_self', sql`${t.fromControlId} <> ${t.toControlId}`),
  ],
);
export type ControlMapping = typeof controlMappings.$inferSelect;

/** Evidence from any linkable record (the registry's type keys) for a control, with why it counts. */
export const complianceLinks = pgTable(
  'compliance_links',
  {
    ...entityColumns(),
    controlId: uuid('control_id')
      .notNull()
      .references(() => frameworkControls.id),
    linkableType: varchar('linkable_type', { length: 64 }).notNull(),
    linkableId: uuid('linkable_id').notNull(),
    justification: text('justification').notNull(),
  },
  (t) => [
    uniqueIndex('compliance_links_unique').on(t.controlId, t.linkableType, t.linkableId),
    index('compliance_links_linkable_idx').on(t.linkableType, t.linkableId),
  ],
);
export type ComplianceLink = typeof complianceLinks.$inferSelect;

/** Evidence that is not a record of the system: a note or an uploaded file (as its attachment). */
export const complianceEvidence = pgTable(
  'compliance_evidence',
  {
    ...entityColumns(),
    ...archivableColumns(),
    controlId: uuid('control_id')
      .notNull()
      .references(() => frameworkControls.id),
    title: varchar('title', { length: 200 }).notNull(),
    note: text('note'),
    evidenceDate: date('evidence_date', { mode: 'string' }).notNull(),
    /** The last day it counts; none means it does not expire. */
    validUntil: date('valid_until', { mode: 'string' }),
  },
  (t) => [
    index('compliance_evidence_control_idx').on(t.controlId),
    index('compliance_evidence_valid_idx').on(t.validUntil),
    check('compliance_evidence_dates', sql`${t.validUntil} is null or ${t.validUntil} >= ${t.evidenceDate}`),
  ],
);
export type ComplianceEvidence = typeof complianceEvidence.$inferSelect;

/**
 * Each control's live status as last computed, so that reading a framework never recomputes it.
 * Derived data: rewritten by the status computation, never edited, and not audited itself (the
 * changes that move it are).
 */
export const controlStatuses = pgTable(
  'control_statuses',
  {
    controlId: uuid('control_id')
      .primaryKey()
      .references(() => frameworkControls.id),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id),
    status: varchar('status', { length: 20 }).$type<ControlStatus>().notNull(),
    reason: text('reason').notNull(),
    evidenceCount: integer('evidence_count').notNull().default(0),
    /** The earliest end of validity among the evidence that counts, for "expiring soon". */
    evidenceExpiresOn: date('evidence_expires_on', { mode: 'string' }),
    /** Each enabled rule's verdict: `[{ruleId, name, status, reason, evidenceDate}]`. */
    ruleResults: jsonValue('rule_results').notNull().default([]),
    computedAt: timestampTz('computed_at').notNull().defaultNow(),
  },
  (t) => [index('control_statuses_framework_idx').on(t.frameworkId, t.status)],
);
export type ControlStatusRow = typeof controlStatuses.$inferSelect;

export const RULE_TYPES = ['recent_record', 'linked_records'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

/**
 * Automated evidence: a declarative check on a control, such as "a completed maintenance log within
 * the last 90 days" or "at least 3 linked records". Green within `windowDays` of the latest
 * evidence, amber for `graceDays` more, red after.
 */
export const complianceRules = pgTable(
  'compliance_rules',
  {
    ...entityColumns(),
    controlId: uuid('control_id')
      .notNull()
      .references(() => frameworkControls.id),
    name: varchar('name', { length: 150 }).notNull(),
    description: text('description'),
    ruleType: varchar('rule_type', { length: 40 }).$type<RuleType>().notNull(),
    criteria: jsonValue('criteria').notNull(),
    windowDays: integer('window_days').notNull().default(90),
    graceDays: integer('grace_days').notNull().default(7),
    enabled: boolean('enabled').notNull().default(true),
    ownerUserId: uuid('owner_user_id').references(() => users.id),
  },
  (t) => [
    index('compliance_rules_control_idx').on(t.controlId),
    check('compliance_rules_windows', sql`${t.windowDays} > 0 and ${t.graceDays} >= 0`),
  ],
);
export type ComplianceRule = typeof complianceRules.$inferSelect;

/** A moment's statuses (daily, or on demand), which drift reports compare. */
export const complianceSnapshots = pgTable(
  'compliance_snapshots',
  {
    id: uuid('id').primaryKey(),
    takenAt: timestampTz('taken_at').notNull().defaultNow(),
    /** `schedule` or `manual`. */
    trigger: varchar('trigger', { length: 20 }).notNull(),
    takenBy: uuid('taken_by'),
  },
  (t) => [index('compliance_snapshots_taken_idx').on(t.takenAt)],
);

export const complianceSnapshotItems = pgTable(
  'compliance_snapshot_items',
  {
    snapshotId: uuid('snapshot_id')
      .notNull()
      .references(() => complianceSnapshots.id),
    controlId: uuid('control_id').notNull(),
    frameworkId: uuid('framework_id').notNull(),
    status: varchar('status', { length: 20 }).$type<ControlStatus>().notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [
    uniqueIndex('compliance_snapshot_items_pk').on(t.snapshotId, t.controlId),
    index('compliance_snapshot_items_framework_idx').on(t.snapshotId, t.frameworkId),
  ],
);
