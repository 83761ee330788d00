import { canRead, canWrite } from '../../api/session';
import type { SessionInfo } from '../../api/types';
import type { Audit } from './audits.model';

/**
 * Working an audit, as the screens read it: the threads on each frozen control, the requests for
 * more evidence, the findings, and who may take part in each. The server enforces the same rules.
 */

export const COMMENT_AUDIENCES = ['auditor', 'internal'] as const;
export type CommentAudience = (typeof COMMENT_AUDIENCES)[number];
export const THREAD_LABELS: Record<CommentAudience, string> = {
  auditor: 'With the auditors',
  internal: 'Internal — never shown to auditors',
};

export interface AuditComment {
  id: string;
  itemId: string;
  audience: CommentAudience;
  body: string;
  createdAt: string;
  createdBy: string | null;
}

export const REQUEST_STATUSES = ['open', 'answered', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  open: 'Open',
  answered: 'Answered',
  closed: 'Closed',
};
export const REQUEST_STATUS_COLORS: Record<RequestStatus, string> = {
  open: 'orange',
  answered: 'blue',
  closed: 'gray',
};

export interface EvidenceRequest {
  id: string;
  version: number;
  itemId: string;
  /** The reference of its control. */
  itemRefId: string | null;
  body: string;
  status: RequestStatus;
  answer: string | null;
  createdAt: string;
  createdBy: string | null;
  /** Who asked, by name. */
  createdByName: string | null;
}

export const FINDING_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];
export const SEVERITY_LABELS: Record<FindingSeverity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};
export const SEVERITY_COLORS: Record<FindingSeverity, string> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'gray',
};

export const FINDING_STATUSES = ['open', 'in_progress', 'closed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const FINDING_STATUS_LABELS: Record<FindingStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  closed: 'Closed',
};
export const FINDING_STATUS_COLORS: Record<FindingStatus, string> = {
  open: 'orange',
  in_progress: 'blue',
  closed: 'green',
};

export interface Finding {
  id: string;
  version: number;
  itemId: string | null;
  /** The reference of its control; null for a finding on the audit as a whole. */
  itemRefId: string | null;
  title: string;
  description: string | null;
  severity: FindingSeverity;
  ownerUserId: string | null;
  dueDate: string | null;
  status: FindingStatus;
  closureNote: string | null;
  closedAt: string | null;
  createdAt: string;
  createdBy: string | null;
  /** Who raised it, by name. */
  createdByName: string | null;
}

export interface FindingInput {
  itemId?: string | null;
  title?: string;
  description?: string | null;
  severity?: FindingSeverity;
  ownerUserId?: string | null;
  dueDate?: string | null;
  status?: FindingStatus;
  closureNote?: string | null;
}

/** Today as YYYY-MM-DD in the user's time zone: a finding due today is not overdue yet. */
function localTodayIso(): string {
  const now = new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

export function isOverdue(finding: Pick<Finding, 'dueDate' | 'status'>): boolean {
  return finding.status !== 'closed' && finding.dueDate !== null && finding.dueDate < localTodayIso();
}

/**
 * Who may take part in the audit's work, and whether they may now. Threads, requests and added
 * evidence stop once the audit is closed or locked; findings are tracked after the closing and
 * stop only while it is locked. `auditor`: the actor is one of the audit's auditors (its people
 * with that role), who alone raise findings and say what they are.
 */
export function workAbilities(
  session: SessionInfo,
  audit: Pick<Audit, 'locked' | 'status'>,
  auditor: boolean,
) {
  const external = session.user.role === 'external_auditor';
  const team = canWrite(session, 'compliance');
  // An internal auditor (a read-only account) works on the audits they are an auditor of.
  const participant = team || external || (auditor && session.user.role === 'auditor');
  const open = !audit.locked && audit.status !== 'closed';
  return {
    external,
    auditor,
    /** Comment with the auditors, ask for evidence, close a request. */
    participate: participant && open,
    /** Raise a finding: the audit's auditors. */
    raiseFindings: auditor && participant && open,
    /** Change what a finding says (title, description, severity): the audit's auditors. */
    judgeFindings: auditor && participant && !audit.locked,
    /** Close or reopen a finding: its owner or an auditor. */
    closeFinding: (finding: Pick<Finding, 'ownerUserId'>) =>
      participant && !audit.locked && (auditor || finding.ownerUserId === session.user.id),
    /** The internal thread: the team reads it (write access to add to it); auditors never do. */
    seeInternal: !external,
    commentInternal: team && open,
    /** Answer a request, add evidence: the audited team only. */
    answer: team && open,
    addEvidence: team && open,
    /** Respond to a finding (owner, due date, progress): after the audit closed, not while it is locked. */
    editFindings: participant && !audit.locked,
    /** The owner of a finding is picked among the people, for those who may read them. */
    pickOwner: canRead(session, 'hr_people'),
  };
}

/** Why the audit's work cannot change now, or null when it can (for the actor's own part). */
export function workBlockedReason(
  session: SessionInfo,
  audit: Pick<Audit, 'locked' | 'status' | 'lockReason'>,
  what: 'work' | 'findings' = 'work',
  auditor = false,
): string | null {
  const external = session.user.role === 'external_auditor';
  if (audit.locked)
    return `The audit is locked (${audit.lockReason ?? 'no reason given'}): nothing can change until an administrator unlocks it.`;
  if (what === 'work' && audit.status === 'closed')
    return 'The audit is closed: its threads, requests and evidence are final.';
  if (session.user.role === 'auditor' && !auditor)
    return 'You can read this audit; an administrator can add you to its people as an auditor.';
  if (!external && !auditor && !canWrite(session, 'compliance'))
    return 'You can read this audit; taking part needs write access to compliance.';
  return null;
}
