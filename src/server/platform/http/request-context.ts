import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client';
import { type ResolvedSession, resolveActor, SESSION_COOKIE } from '../auth/actor-resolver';
import type { SecretBox } from '../auth/crypto';
import { safeEqual } from '../auth/crypto';
import { assertAccess } from '../rbac/route-access';
import type { Actor, ServiceContext } from './context';
import { HttpProblem } from './problem';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    session: ResolvedSession | null;
  }
}

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfTokenFor(secretBox: SecretBox, sessionToken: string): string {
  return secretBox.mac(`csrf:${sessionToken}`);
}

export function serviceContext(request: FastifyRequest, db: Db): ServiceContext {
  return {
    db,
    actor: request.actor,
    meta: {
      requestId: request.id,
      ip: request.ip ?? null,
      userAgent: request.headers['user-agent'] ?? null,
    },
    afterCommit: (task) => task(),
    secretBox: request.server.deps.secretBox,
    registry: request.server.deps.registry,
  };
}

/**
 * On every request: who is calling (bearer token or session cookie), whether a cookie-borne
 * write carries its CSRF token, and whether the route's declared access admits them. This runs
 * before body parsing and validation, so a refused caller learns nothing about the input.
 */
export function installRequestContext(app: FastifyInstance, db: Db, secretBox: SecretBox): void {
  app.decorateRequest('actor', null as never);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    const authorization = request.headers.authorization;
    const bearer = authorization?.toLowerCase().startsWith('bearer ')
      ? authorization.slice(7).trim()
      : undefined;
    if (authorization && !bearer)
      throw new HttpProblem(401, 'Unauthorized', 'Only Bearer tokens are accepted.');
    const cookie = bearer ? undefined : request.cookies[SESSION_COOKIE];
    const resolution = await resolveActor(db, bearer, cookie);
    request.actor = resolution.actor;
    request.session = resolution.session;
    if (bearer && resolution.actor.kind === 'anonymous') {
      throw new HttpProblem(401, 'Unauthorized', 'The API token is invalid, expired or revoked.');
    }
    if (request.is404) return;
    const required = request.routeOptions.config.access;
    // Public routes (login) take JSON bodies only, which a cross-site form cannot send.
    if (resolution.session && required?.kind !== 'public' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      const expected = csrfTokenFor(secretBox, resolution.session.token);
      if (typeof sent !== 'string' || !safeEqual(sent, expected)) {
        throw new HttpProblem(403, 'Forbidden', `Missing or invalid ${CSRF_HEADER} header.`);
      }
    }
    assertAccess(request.actor, required, resolution.session?.stage === 'mfa');
  });
}
