import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { forbidden, unauthorized } from '../http/problem';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { idParams, shortText } from '../http/schemas';
import { access } from '../rbac/route-access';
import {
  changeOwnPassword,
  confirmTwoFactor,
  createApiToken,
  disableTwoFactor,
  listApiTokens,
  listSessions,
  regenerateRecoveryCodes,
  revokeApiToken,
  revokeOtherSessions,
  revokeSession,
  startTwoFactorEnrolment,
  twoFactorStatus,
} from './account.service';
import { PASSWORD_MAX_LENGTH } from './passwords';

const apiTokenRecord = z
  .object({
    id: z.uuid(),
    name: z.string(),
    tokenPrefix: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });

const sessionRecord = z
  .object({
    id: z.uuid(),
    current: z.boolean(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    expiresAt: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
  })
  .meta({ id: 'Session' });

const twoFactorStatusSchema = z.object({
  enabled: z.boolean(),
  enabledAt: z.string().nullable(),
  recoveryCodesLeft: z.number().int(),
});
const passwordBody = z.strictObject({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });
const recoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });

/** Dates leave the server as ISO 8601 strings. */
function isoDates<T extends Record<string, unknown>>(
  row: T,
): { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] } {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  ) as never;
}

function me(request: FastifyRequest): string {
  if (request.actor.kind !== 'user') throw unauthorized();
  return request.actor.id;
}

/**
 * Changing how one signs in (password, second factor, sessions, tokens) needs a signed-in
 * session: a leaked API token must not be able to lock its owner out or keep itself alive.
 */
function meInSession(request: FastifyRequest): string {
  const id = me(request);
  if (request.actor.kind === 'user' && request.actor.authMethod !== 'session') {
    throw forbidden('Sign in to change your account security; API tokens cannot.');
  }
  return id;
}

/** Routes that check a password or code: a few tries a minute per person. */
const ATTEMPT_LIMIT = {
  max: 10,
  timeWindow: '1 minute',
  keyGenerator: (request: FastifyRequest) =>
    request.actor?.kind === 'user' ? `user:${request.actor.id}` : request.ip,
};

/** The signed-in user's own account: password, two-factor, API tokens, sessions. */
export async function registerMeRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['My account'];
  const self = { config: { access: access.authenticated } };

  app.post(
    '/api/v1/me/password',
    {
      config: { access: access.authenticated, rateLimit: ATTEMPT_LIMIT },
      schema: {
        tags,
        summary: 'Change my password (signs out my other sessions)',
        body: z.strictObject({
          currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
          newPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
        }),
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await changeOwnPassword(
        serviceContext(request, db),
        meInSession(request),
        request.body,
        request.session?.id,
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/me/two-factor',
    {
      ...self,
      schema: {
        tags,
        summary: 'My two-factor status',
        response: { 200: twoFactorStatusSchema, ...standardErrors },
      },
    },
    async (request) => twoFactorStatus(serviceContext(request, db), me(request)),
  );

  app.post(
    '/api/v1/me/two-factor/setup',
    {
      ...self,
      schema: {
        tags,
        summary: 'Start two-factor enrolment: a secret and its QR code',
        response: {
          200: z.object({ secret: z.string(), otpauthUrl: z.string(), qrCodeDataUrl: z.string() }),
          ...standardErrors,
        },
      },
    },
    async (request) => startTwoFactorEnrolment(serviceContext(request, db), deps, meInSession(request)),
  );

  app.post(
    '/api/v1/me/two-factor/confirm',
    {
      config: { access: access.authenticated, rateLimit: ATTEMPT_LIMIT },
      schema: {
        tags,
        summary: 'Confirm enrolment with a code; returns recovery codes once',
        body: z.strictObject({
          code: z
            .string()
            .trim()
            .regex(/^\d{6}$/, 'must be the 6-digit code from your app'),
        }),
        response: { 200: recoveryCodes, ...standardErrors },
      },
    },
    async (request) =>
      confirmTwoFactor(serviceContext(request, db), deps, meInSession(request), request.body.code),
  );

  app.post(
    '/api/v1/me/two-factor/disable',
    {
      config: { access: access.authenticated, rateLimit: ATTEMPT_LIMIT },
      schema: {
        tags,
        summary: 'Turn two-factor off (needs my password)',
        body: passwordBody,
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await disableTwoFactor(serviceContext(request, db), meInSession(request), request.body.password);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/me/two-factor/recovery-codes',
    {
      config: { access: access.authenticated, rateLimit: ATTEMPT_LIMIT },
      schema: {
        tags,
        summary: 'Replace my recovery codes (needs my password)',
        body: passwordBody,
        response: { 200: recoveryCodes, ...standardErrors },
      },
    },
    async (request) =>
      regenerateRecoveryCodes(serviceContext(request, db), meInSession(request), request.body.password),
  );

  app.get(
    '/api/v1/me/api-tokens',
    {
      ...self,
      schema: {
        tags,
        summary: 'My API tokens',
        response: { 200: z.object({ data: z.array(apiTokenRecord) }), ...standardErrors },
      },
    },
    async (request) => ({
      data: (await listApiTokens(serviceContext(request, db), me(request))).map(isoDates),
    }),
  );

  app.post(
    '/api/v1/me/api-tokens',
    {
      ...self,
      schema: {
        tags,
        summary: 'Create an API token; the token is shown only in this response',
        body: z.strictObject({
          name: shortText(100),
          expiresInDays: z.number().int().min(1).max(365).default(90),
        }),
        response: { 201: apiTokenRecord.extend({ token: z.string() }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const created = await createApiToken(serviceContext(request, db), meInSession(request), request.body);
      return reply.code(201).send(isoDates(created));
    },
  );

  app.delete(
    '/api/v1/me/api-tokens/:id',
    {
      ...self,
      schema: {
        tags,
        summary: 'Revoke one of my API tokens',
        params: idParams,
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await revokeApiToken(serviceContext(request, db), meInSession(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/me/sessions',
    {
      ...self,
      schema: {
        tags,
        summary: 'My active sessions',
        response: { 200: z.object({ data: z.array(sessionRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const rows = await listSessions(serviceContext(request, db), me(request));
      return {
        data: rows.map(({ stage: _stage, ...row }) =>
          isoDates({ ...row, current: row.id === request.session?.id }),
        ),
      };
    },
  );

  app.delete(
    '/api/v1/me/sessions/:id',
    {
      ...self,
      schema: {
        tags,
        summary: 'Sign out one of my sessions',
        params: idParams,
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await revokeSession(serviceContext(request, db), meInSession(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/me/sessions/revoke-others',
    {
      ...self,
      schema: {
        tags,
        summary: 'Sign out everywhere else',
        response: { 200: z.object({ revoked: z.number().int() }), ...standardErrors },
      },
    },
    async (request) => ({
      revoked: await revokeOtherSessions(
        serviceContext(request, db),
        meInSession(request),
        request.session?.id,
      ),
    }),
  );
}
