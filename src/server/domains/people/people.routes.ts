import { and, desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACCESS_LEVELS, MODULE_KEYS } from '../../../shared/modules';
import type { AppDeps } from '../../app';
import { updateRecord } from '../../platform/audit/write';
import { resetTwoFactor, setPassword } from '../../platform/auth/account.service';
import { credentialsAudit } from '../../platform/auth/auth.audit';
import { userCredentials, userKnownIps } from '../../platform/auth/auth.table';
import { PASSWORD_MAX_LENGTH } from '../../platform/auth/passwords';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction } from '../../platform/http/context';
import { notFound } from '../../platform/http/problem';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { idParams } from '../../platform/http/schemas';
import { loadAccess } from '../../platform/rbac/access';
import { readGrants, writeGrants } from '../../platform/rbac/grants.service';
import { access } from '../../platform/rbac/route-access';
import { groupEntity } from './groups.entity';
import { addGroupMember, listGroupMembers, listGroupsOfUser, removeGroupMember } from './groups.service';
import { buildOrgChart, type OrgChartNode } from './org-chart.service';
import { userEntity } from './users.entity';
import { users } from './users.table';

const memberRecord = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string(),
    jobTitle: z.string().nullable(),
    isArchived: z.boolean(),
  })
  .meta({ id: 'GroupMember' });
const matrix = z.record(z.enum(MODULE_KEYS), z.enum(ACCESS_LEVELS)).meta({ id: 'AccessMatrix' });
const principalParams = z.object({ principalType: z.enum(['user', 'group']), principalId: z.uuid() });

const orgChartNode: z.ZodType<OrgChartNode> = z.lazy(() =>
  z.object({
    id: z.uuid(),
    name: z.string(),
    email: z.string(),
    jobTitle: z.string().nullable(),
    department: z.string().nullable(),
    children: z.array(orgChartNode),
  }),
);

const loginStatus = z.object({
  loginEnabled: z.boolean(),
  hasPassword: z.boolean(),
  passwordChangedAt: z.string().nullable(),
  twoFactorEnabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  knownIps: z.array(z.object({ ip: z.string(), firstSeenAt: z.string(), lastSeenAt: z.string() })),
});

export async function registerPeopleRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;

  app.get(
    '/api/v1/groups/:id/members',
    {
      config: { access: access.read('administration') },
      schema: {
        tags: ['Groups'],
        summary: 'Members of a group',
        params: idParams,
        response: { 200: z.object({ data: z.array(memberRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await getEntity(ctx, groupEntity, request.params.id);
      return { data: await listGroupMembers(ctx, request.params.id) };
    },
  );

  app.post(
    '/api/v1/groups/:id/members',
    {
      // Membership carries the group's grants: only administrators may change it.
      config: { access: access.admin },
      schema: {
        tags: ['Groups'],
        summary: 'Add a member (administrators)',
        params: idParams,
        body: z.strictObject({ userId: z.uuid() }),
        response: { 200: z.object({ data: z.array(memberRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await inTransaction(ctx, (tx) => addGroupMember(tx, request.params.id, request.body.userId));
      return { data: await listGroupMembers(ctx, request.params.id) };
    },
  );

  app.delete(
    '/api/v1/groups/:id/members/:userId',
    {
      config: { access: access.admin },
      schema: {
        tags: ['Groups'],
        summary: 'Remove a member (administrators)',
        params: idParams.extend({ userId: z.uuid() }),
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await inTransaction(serviceContext(request, db), (tx) =>
        removeGroupMember(tx, request.params.id, request.params.userId),
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/users/:id/groups',
    {
      config: { access: access.read('hr_people') },
      schema: {
        tags: ['Users'],
        summary: 'Groups the user belongs to',
        params: idParams,
        response: {
          200: z.object({ data: z.array(z.object({ id: z.uuid(), name: z.string() })) }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await getEntity(ctx, userEntity, request.params.id);
      return { data: await listGroupsOfUser(ctx, request.params.id) };
    },
  );

  app.get(
    '/api/v1/access-grants/:principalType/:principalId',
    {
      config: { access: access.read('administration') },
      schema: {
        tags: ['Permissions'],
        summary: "A user's or group's row of the permission matrix",
        params: principalParams,
        response: { 200: z.object({ grants: matrix, effective: matrix.optional() }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      const { principalType, principalId } = request.params;
      const def = principalType === 'user' ? userEntity : groupEntity;
      const row = await getEntity(ctx, def, principalId);
      const grants = await readGrants(ctx, { type: principalType, id: principalId });
      if (principalType === 'group') return { grants };
      return {
        grants,
        effective: await loadAccess(db, principalId, (row as unknown as { role: 'member' }).role),
      };
    },
  );

  app.put(
    '/api/v1/access-grants/:principalType/:principalId',
    {
      config: { access: access.admin },
      schema: {
        tags: ['Permissions'],
        summary: 'Change grants (administrators); modules left out are unchanged, "none" removes a grant',
        params: principalParams,
        body: z.strictObject({ grants: z.partialRecord(z.enum(MODULE_KEYS), z.enum(ACCESS_LEVELS)) }),
        response: { 200: z.object({ grants: matrix }), ...standardErrors },
      },
    },
    async (request) => {
      const { principalType, principalId } = request.params;
      const def = principalType === 'user' ? userEntity : groupEntity;
      const grants = await inTransaction(serviceContext(request, db), async (tx) => {
        await getEntity(tx, def, principalId);
        return writeGrants(tx, { type: principalType, id: principalId }, request.body.grants);
      });
      return { grants };
    },
  );

  app.get(
    '/api/v1/org-chart',
    {
      config: { access: access.read('hr_people') },
      schema: {
        tags: ['Org chart'],
        summary: 'The org chart as a tree',
        response: { 200: z.object({ data: z.array(orgChartNode) }), ...standardErrors },
      },
    },
    async (request) => ({ data: await buildOrgChart(serviceContext(request, db)) }),
  );

  app.get(
    '/api/v1/users/:id/login',
    {
      config: { access: access.admin },
      schema: {
        tags: ['Users'],
        summary: 'Sign-in status (administrators)',
        params: idParams,
        response: { 200: loginStatus, ...standardErrors },
      },
    },
    async (request) => {
      const [user] = await db
        .select({ loginEnabled: users.loginEnabled })
        .from(users)
        .where(eq(users.id, request.params.id));
      if (!user) throw notFound('User');
      const [credentials] = await db
        .select()
        .from(userCredentials)
        .where(eq(userCredentials.userId, request.params.id));
      const ips = await db
        .select()
        .from(userKnownIps)
        .where(eq(userKnownIps.userId, request.params.id))
        .orderBy(desc(userKnownIps.lastSeenAt))
        .limit(50);
      return {
        loginEnabled: user.loginEnabled,
        hasPassword: Boolean(credentials?.passwordHash),
        passwordChangedAt: credentials?.passwordChangedAt?.toISOString() ?? null,
        twoFactorEnabled: Boolean(credentials?.totpEnabledAt),
        lockedUntil:
          credentials?.lockedUntil && credentials.lockedUntil > new Date()
            ? credentials.lockedUntil.toISOString()
            : null,
        knownIps: ips.map((ip) => ({
          ip: ip.ip,
          firstSeenAt: ip.createdAt.toISOString(),
          lastSeenAt: ip.lastSeenAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/api/v1/users/:id/password',
    {
      config: { access: access.admin },
      schema: {
        tags: ['Users'],
        summary: "Set a user's password (administrators); signs out all their sessions",
        params: idParams,
        body: z.strictObject({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH) }),
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      // An administrator setting their own password keeps the session they are using.
      const ownSession = request.actor.kind === 'user' && request.actor.id === request.params.id;
      await setPassword(
        serviceContext(request, db),
        request.params.id,
        request.body.password,
        ownSession ? request.session?.id : undefined,
      );
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/users/:id/two-factor/reset',
    {
      config: { access: access.admin },
      schema: {
        tags: ['Users'],
        summary: "Clear a user's two-factor (administrators)",
        params: idParams,
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await resetTwoFactor(serviceContext(request, db), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/users/:id/unlock',
    {
      config: { access: access.admin },
      schema: {
        tags: ['Users'],
        summary: 'Lift a sign-in lockout (administrators)',
        params: idParams,
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await inTransaction(serviceContext(request, db), async (tx) => {
        const [credentials] = await tx.db
          .select()
          .from(userCredentials)
          .where(and(eq(userCredentials.userId, request.params.id)));
        if (!credentials) throw notFound('Credentials');
        await updateRecord(tx, credentialsAudit, credentials.id, { failedLogins: 0, lockedUntil: null });
      });
      return reply.code(204).send();
    },
  );
}
