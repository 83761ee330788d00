import { and, eq } from 'drizzle-orm';
import type { ServiceContext } from '../../platform/http/context';
import { forbidden } from '../../platform/http/problem';
import { auditParticipants, type PARTICIPANT_ROLES } from './audits.table';

/**
 * Separation of duties on an audit: the auditors (its participants with the role `auditor`,
 * external or internal) judge, the team prepares and responds. Results, an auditor's comment and
 * what a finding says are the auditors' alone; an administrator who must record them adds
 * themselves as an auditor first, which is explicit and in the audit log.
 */

export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** The actor's role on the audit, or null when they are not on it. */
export async function participantRoleOf(
  ctx: ServiceContext,
  auditId: string,
): Promise<ParticipantRole | null> {
  if (ctx.actor.kind !== 'user') return null;
  const [row] = await ctx.db
    .select({ role: auditParticipants.role })
    .from(auditParticipants)
    .where(and(eq(auditParticipants.auditId, auditId), eq(auditParticipants.userId, ctx.actor.id)));
  return row?.role ?? null;
}

export async function isAuditorOf(ctx: ServiceContext, auditId: string): Promise<boolean> {
  return (await participantRoleOf(ctx, auditId)) === 'auditor';
}

/** Refuses (403) unless the actor is an auditor of the audit; `what` completes "Only its auditors …". */
export async function assertAuditorOf(ctx: ServiceContext, auditId: string, what: string): Promise<void> {
  if (await isAuditorOf(ctx, auditId)) return;
  throw forbidden(
    `Only the auditors of this audit ${what}. An administrator can add an auditor, themselves included, to the audit's people.`,
  );
}

/**
 * People whose account has the read-only `auditor` role (an internal audit function) read every
 * audit, like the rest of the organisation, but work on one (comment, ask, raise findings, record
 * results) only as one of its auditors.
 */
export async function assertMayWorkOn(ctx: ServiceContext, auditId: string): Promise<void> {
  if (ctx.actor.kind !== 'user' || ctx.actor.role !== 'auditor') return;
  if (await isAuditorOf(ctx, auditId)) return;
  throw forbidden(
    'Your account reads everything and changes nothing, except the audits you are an auditor of. An administrator can add you to this audit as an auditor.',
  );
}
