import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACCESS_LEVELS, MODULE_KEYS, ROLES } from '../../../shared/modules';
import type { AppDeps } from '../../app';
import { users } from '../../domains/people/users.table';
import { unauthorized } from '../http/problem';
import { standardErrors } from '../http/problem.schemas';
import { csrfTokenFor, serviceContext } from '../http/request-context';
import { plainString, shortText } from '../http/schemas';
import { loadAccess } from '../rbac/access';
import { access } from '../rbac/route-access';
import { SESSION_COOKIE } from './actor-resolver';
import { completeSecondFactor, logIn, logOut } from './login.service';
import { PASSWORD_MAX_LENGTH } from './passwords';

export const sessionInfo = z
  .object({
    user: z.object({ id: z.uuid(), name: z.string(), email: z.string(), role: z.enum(ROLES) }),
    access: z.record(z.enum(MODULE_KEYS), z.enum(ACCESS_LEVELS)),
    authMethod: z.enum(['session', 'api_token']),
    csrfToken: z.string().nullable(),
  })
  .meta({ id: 'SessionInfo' });

const loginBody = z.strictObject({
  email: shortText(254),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
const loginResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('authenticated'), session: sessionInfo }),
  z.object({ status: z.literal('second_factor_required'), csrfToken: z.string() }),
]);

export async function registerAuthRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  /** Login attempts per IP; the per-account lockout (login.service) guards against spread attacks. */
  const LOGIN_RATE_LIMIT = { max: deps.config.loginAttemptsPerMinute, timeWindow: '1 minute' };
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Authentication'];

  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.secureCookies,
      path: '/',
      maxAge: deps.config.sessionTtlHours * 3600,
    });

  /** The signed-in user, their effective access and, for cookie sessions, the CSRF token. */
  const describeSession = async (
    userId: string,
    authMethod: 'session' | 'api_token',
    sessionToken: string | null,
  ) => {
    const [user] = await db
      .select({ id: users.id, name: users.name, email: users.email, role: users.role })
      .from(users)
      .where(eq(users.id, userId));
    if (!user) throw unauthorized();
    return {
      user,
      access: await loadAccess(db, user.id, user.role),
      authMethod,
      csrfToken: sessionToken ? csrfTokenFor(deps.secretBox, sessionToken) : null,
    };
  };

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: access.public, rateLimit: LOGIN_RATE_LIMIT },
      schema: {
        tags,
        summary: 'Sign in with e-mail and password',
        description:
          'Sets the session cookie. When the account has two-factor authentication, answers `second_factor_required`; then POST the code to /api/v1/auth/login/second-factor with the same cookie and the returned csrfToken as X-CSRF-Token.',
        body: loginBody,
        security: [],
        response: { 200: loginResponse, ...standardErrors },
      },
    },
    async (request, reply) => {
      const outcome = await logIn(serviceContext(request, db), deps, request.body);
      setSessionCookie(reply, outcome.sessionToken);
      if (outcome.status === 'second_factor_required') {
        return { status: outcome.status, csrfToken: csrfTokenFor(deps.secretBox, outcome.sessionToken) };
      }
      return {
        status: outcome.status,
        session: await describeSession(outcome.userId, 'session', outcome.sessionToken),
      };
    },
  );

  app.post(
    '/api/v1/auth/login/second-factor',
    {
      config: { access: access.mfaPending, rateLimit: LOGIN_RATE_LIMIT },
      schema: {
        tags,
        summary: 'Complete sign-in with a two-factor or recovery code',
        body: z.strictObject({ code: plainString().trim().min(6).max(20) }),
        response: {
          200: z.object({ status: z.literal('authenticated'), session: sessionInfo }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const pending = request.session!;
      const { sessionToken } = await completeSecondFactor(
        serviceContext(request, db),
        deps,
        pending,
        request.body.code,
      );
      setSessionCookie(reply, sessionToken);
      return {
        status: 'authenticated' as const,
        session: await describeSession(pending.userId, 'session', sessionToken),
      };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'Sign out (ends this session)',
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      if (request.session) await logOut(serviceContext(request, db), request.session.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'Who am I, with my effective access and CSRF token',
        response: { 200: sessionInfo, ...standardErrors },
      },
    },
    async (request) => {
      const actor = request.actor;
      if (actor.kind !== 'user') throw unauthorized();
      return describeSession(actor.id, actor.authMethod, request.session?.token ?? null);
    },
  );
}
