import { and, asc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import {
  type AuditedTable,
  deleteRecord,
  insertRecord,
  lockRecord,
  recordEvent,
  updateRecord,
} from '../../platform/audit/write';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction, type ServiceContext } from '../../platform/http/context';
import { conflict, forbidden, notFound } from '../../platform/http/problem';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { idParams, shortText } from '../../platform/http/schemas';
import { access } from '../../platform/rbac/route-access';
import { userEntity } from '../people/users.entity';
import { users } from '../people/users.table';
import { assertUnlocked, auditEntity } from './audits.entity';
import { type Audit, auditParticipants, PARTICIPANT_ROLES } from './audits.table';

export const participantAudit: AuditedTable<typeof auditParticipants> = {
  table: auditParticipants,
  entityType: 'audit_participant',
  label: (row) => `${row.role} ${row.userId} of audit ${row.auditId}`,
};

const participantRecord = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    name: z.string(),
    email: z.string(),
    role: z.enum(PARTICIPANT_ROLES),
    external: z.boolean(),
  })
  .meta({ id: 'AuditParticipant' });

/** What an external auditor reads is accountable: each view and download is an audit-log event. */
export async function logExternalView(ctx: ServiceContext, audit: Audit, details: Record<string, unknown>) {
  if (ctx.actor.kind !== 'user' || ctx.actor.role !== 'external_auditor') return;
  await inTransaction(ctx, (tx) => recordEvent(tx, auditEntity, 'VIEW', audit, details));
}

async function participantsOf(ctx: ServiceContext, auditId: string) {
  const rows = await ctx.db
    .select({ participant: auditParticipants, name: users.name, email: users.email, userRole: users.role })
    .from(auditParticipants)
    .innerJoin(users, eq(users.id, auditParticipants.userId))
    .where(eq(auditParticipants.auditId, auditId))
    .orderBy(asc(auditParticipants.role), asc(users.name));
  return rows.map(({ participant, name, email, userRole }) => ({
    id: participant.id,
    userId: participant.userId,
    name,
    email,
    role: participant.role,
    external: userRole === 'external_auditor',
  }));
}

/** The team of an audit, and the external auditors it is opened to. */
export async function registerParticipantRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Audits'];

  app.get(
    '/api/v1/audits/:id/participants',
    {
      config: { access: access.auditWork('read') },
      schema: {
        tags,
        summary: 'Who works the audit: its team and its external auditors',
        params: idParams,
        response: { 200: z.object({ data: z.array(participantRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await getEntity(ctx, auditEntity, request.params.id);
      return { data: await participantsOf(ctx, request.params.id) };
    },
  );

  app.post(
    '/api/v1/audits/:id/participants',
    {
      config: { access: access.write('compliance') },
      schema: {
        tags,
        summary:
          'Add a member of the organisation to the audit: to its team, or as an auditor (administrators)',
        description:
          "`role` is `participant` (the team, the default) or `auditor`: auditors record results and raise findings, so adding one, or changing someone's role, is for administrators, who may add themselves. Both are in the audit log.",
        params: idParams,
        body: z.strictObject({ userId: z.uuid(), role: z.enum(PARTICIPANT_ROLES).default('participant') }),
        response: { 201: z.object({ data: z.array(participantRecord) }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      const { userId, role } = request.body;
      const admin = ctx.actor.kind === 'user' && ctx.actor.role === 'admin';
      if (role === 'auditor' && !admin) {
        throw forbidden('Only administrators add auditors: they record results and raise findings.');
      }
      await inTransaction(ctx, async (tx) => {
        const audit = (await lockRecord(tx, auditEntity, request.params.id)) as Audit;
        assertUnlocked(audit);
        const [user] = await tx.db.select().from(users).where(eq(users.id, userId));
        if (!user || user.isArchived) throw notFound('User');
        if (user.role === 'external_auditor') {
          throw conflict('This is an external auditor: invite them as one.', undefined, [
            { path: 'userId', message: 'is an external auditor' },
          ]);
        }
        const existing = await participantOf(tx, audit.id, user.id);
        if (existing && existing.role !== role && !admin) {
          throw forbidden(
            `They are on this audit as ${existing.role} already; only administrators change roles.`,
          );
        }
        await addParticipant(tx, audit.id, user.id, role);
      });
      return reply.code(201).send({ data: await participantsOf(ctx, request.params.id) });
    },
  );

  app.post(
    '/api/v1/audits/:id/auditors',
    {
      // Opening the organisation's evidence to someone outside it is an administrator's decision.
      config: { access: access.admin },
      schema: {
        tags,
        summary: 'Invite an external auditor to this audit (administrators)',
        description:
          'Finds the external auditor by e-mail or creates their account (role external_auditor, no module access), and opens this audit to them. Set their password with POST /api/v1/users/{id}/password; the e-mail invitation comes with the notifications. They see the audits they are invited to and nothing else.',
        params: idParams,
        body: z.strictObject({
          email: z
            .email('must be an e-mail address')
            .max(254)
            .transform((v) => v.trim().toLowerCase()),
          name: shortText(200),
        }),
        response: { 201: z.object({ data: participantRecord }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      const userId = await inTransaction(ctx, async (tx) => {
        const audit = (await lockRecord(tx, auditEntity, request.params.id)) as Audit;
        assertUnlocked(audit);
        const [existing] = await tx.db
          .select()
          .from(users)
          .where(sql`lower(${users.email}) = ${request.body.email}`);
        if (existing && existing.role !== 'external_auditor') {
          throw conflict(
            'This e-mail belongs to a member of the organisation, not to an external auditor.',
            undefined,
            [{ path: 'email', message: 'belongs to an internal account' }],
          );
        }
        const user =
          existing ??
          (await insertRecord(tx, userEntity, {
            name: request.body.name,
            email: request.body.email,
            role: 'external_auditor',
            loginEnabled: true,
            hideFromOrgChart: true,
          }));
        await addParticipant(tx, audit.id, user.id, 'auditor');
        return user.id;
      });
      const created = (await participantsOf(ctx, request.params.id)).find((p) => p.userId === userId)!;
      return reply.code(201).send({ data: created });
    },
  );

  app.delete(
    '/api/v1/audits/:id/participants/:userId',
    {
      config: { access: access.admin },
      schema: {
        tags,
        summary: 'Remove someone from the audit (administrators): an external auditor loses access to it',
        params: z.object({ id: z.uuid(), userId: z.uuid() }),
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await inTransaction(serviceContext(request, db), async (tx) => {
        const [row] = await tx.db
          .select()
          .from(auditParticipants)
          .where(
            and(
              eq(auditParticipants.auditId, request.params.id),
              eq(auditParticipants.userId, request.params.userId),
            ),
          );
        if (!row) throw notFound('Participant');
        await deleteRecord(tx, participantAudit, row.id);
      });
      return reply.code(204).send();
    },
  );
}

async function participantOf(ctx: ServiceContext, auditId: string, userId: string) {
  const [row] = await ctx.db
    .select()
    .from(auditParticipants)
    .where(and(eq(auditParticipants.auditId, auditId), eq(auditParticipants.userId, userId)));
  return row;
}

/** Puts the person on the audit with `role`: added, or their role changed (audited either way). */
async function addParticipant(
  ctx: ServiceContext,
  auditId: string,
  userId: string,
  role: (typeof PARTICIPANT_ROLES)[number],
) {
  const existing = await participantOf(ctx, auditId, userId);
  if (!existing) await insertRecord(ctx, participantAudit, { auditId, userId, role });
  else if (existing.role !== role) await updateRecord(ctx, participantAudit, existing.id, { role });
}
