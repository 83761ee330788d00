import { useRouterState } from '@tanstack/react-router';
import { isApiError } from '../../api/client';
import { canWrite } from '../../api/session';
import type { BaseRecord, SessionInfo } from '../../api/types';

/**
 * What an audit is, as the screens read it: its statuses, results and outcomes with their labels,
 * the records the API answers, who may do what, and small rules the screens share with the server.
 */

export const AUDIT_STATUSES = ['planned', 'preparation', 'auditor_review', 'closed'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];
export const AUDIT_STATUS_LABELS: Record<AuditStatus, string> = {
  planned: 'Planned',
  preparation: 'Preparation',
  auditor_review: 'Auditor review',
  closed: 'Closed',
};
export const AUDIT_STATUS_COLORS: Record<AuditStatus, string> = {
  planned: 'gray',
  preparation: 'blue',
  auditor_review: 'violet',
  closed: 'dark',
};

export const AUDIT_OUTCOMES = ['pass', 'qualified', 'fail'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export const OUTCOME_LABELS: Record<AuditOutcome, string> = {
  pass: 'Pass',
  qualified: 'Qualified',
  fail: 'Fail',
};
export const OUTCOME_COLORS: Record<AuditOutcome, string> = {
  pass: 'green',
  qualified: 'yellow',
  fail: 'red',
};

/** The steps an audit may take from each status, as the server allows them, with their buttons. */
export const AUDIT_STEPS: Record<AuditStatus, ReadonlyArray<{ to: AuditStatus; label: string }>> = {
  planned: [{ to: 'preparation', label: 'Start preparation' }],
  preparation: [{ to: 'auditor_review', label: 'Hand over for review' }],
  auditor_review: [
    { to: 'preparation', label: 'Back to preparation' },
    { to: 'closed', label: 'Close the audit' },
  ],
  closed: [],
};

export const AUDIT_RESULTS = [
  'pending',
  'compliant',
  'observation',
  'minor_nonconformity',
  'major_nonconformity',
  'not_applicable',
] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];
export const RESULT_LABELS: Record<AuditResult, string> = {
  pending: 'Pending',
  compliant: 'Compliant',
  observation: 'Observation',
  minor_nonconformity: 'Minor nonconformity',
  major_nonconformity: 'Major nonconformity',
  not_applicable: 'Not applicable',
};
export const RESULT_COLORS: Record<AuditResult, string> = {
  pending: 'gray.4',
  compliant: 'green',
  observation: 'yellow',
  minor_nonconformity: 'orange',
  major_nonconformity: 'red',
  not_applicable: 'gray.6',
};

export interface Audit extends BaseRecord {
  name: string;
  frameworkId: string;
  frameworkName: string;
  periodStart: string;
  periodEnd: string;
  status: AuditStatus;
  outcome: AuditOutcome | null;
  leadUserId: string | null;
  scope: 'all' | 'selection';
  lookbackMonths: number;
  samplePerRule: number | null;
  frozenAsOf: string;
  locked: boolean;
  lockReason: string | null;
  lockedAt: string | null;
  clonedFromId: string | null;
  /** Frozen controls (headings aside) by the auditor's result. */
  progress: Record<AuditResult, number>;
}

export const EVIDENCE_SOURCE_LABELS = {
  link: 'Linked record',
  manual: 'Manual evidence',
  rule: 'Rule sample',
  added: 'Added during the audit',
} as const;

export interface FrozenEvidence {
  id: string;
  source: keyof typeof EVIDENCE_SOURCE_LABELS;
  recordType: string | null;
  recordId: string | null;
  displayName: string;
  /** The record's fields as they were when frozen. */
  recordJson: unknown;
  justification: string | null;
  evidenceDate: string | null;
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  frozenAt: string;
}

export interface AuditItem {
  id: string;
  version: number;
  controlId: string;
  refId: string;
  title: string;
  description: string | null;
  guidance: string | null;
  kind: 'group' | 'control';
  depth: number;
  applicable: boolean;
  soaJustification: string | null;
  frozenStatus: string | null;
  frozenReason: string | null;
  result: AuditResult;
  auditorComment: string | null;
  evidence: FrozenEvidence[];
}

export interface Participant {
  id: string;
  userId: string;
  name: string;
  email: string;
  role: 'participant' | 'auditor';
  external: boolean;
}

export interface PackVerification {
  ok: boolean;
  problems: Array<{ path: string; problem: string }>;
  manifestSha256: string | null;
  files: number;
  /** When this server exported a pack with this manifest, and for which audit. */
  issued: { at: string; auditId: string; by: string | null } | null;
}

export interface AuditCreateInput {
  name: string;
  frameworkId: string;
  periodStart: string;
  periodEnd: string;
  leadUserId?: string;
  controlIds?: string[];
  lookbackMonths?: number;
  samplePerRule?: number;
}

/**
 * Who may do what, from the session and whether the actor is one of the audit's auditors (its
 * people with that role); the server enforces the same rules.
 */
export function auditAbilities(
  session: SessionInfo,
  audit: Pick<Audit, 'locked' | 'status'>,
  auditor: boolean,
) {
  const write = canWrite(session, 'compliance');
  const admin = session.user.role === 'admin';
  const open = !audit.locked && audit.status !== 'closed';
  const recorder =
    auditor && (write || session.user.role === 'external_auditor' || session.user.role === 'auditor');
  return {
    /** Change the audit itself: its status, lock it, clone it, add team members. */
    write,
    admin,
    changeStatus: write && open,
    lock: write && !audit.locked,
    unlock: admin && audit.locked,
    clone: write,
    /** Who records results and comments: the audit's auditors (invited external ones, or people added as auditors). */
    recorder,
    /** An administrator may join the audit as its auditor, to record results themselves. */
    joinAsAuditor: admin && !auditor && !audit.locked,
    /** Whether they may now: not while the audit is locked or once it is closed. */
    recordResults: recorder && open,
  };
}

/** The audits live under /compliance for the team and under /audits for external auditors. */
export function useAuditsBase(): '/compliance/audits' | '/audits' {
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  return pathname.startsWith('/compliance/') ? '/compliance/audits' : '/audits';
}

/** The audit's server field errors by path (`controlIds.3` counts as `controlIds`). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const byPath: Record<string, string> = {};
  for (const { path, message } of error.fieldErrors) {
    const key = path.split('.')[0] ?? path;
    byPath[key] ??= message;
  }
  return byPath;
}
