import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { access } from '../rbac/route-access';
import { notFound } from './problem';

const PREFIX = '/api/docs';

/** Scalar boots from an inline script; these pages hold no user data, so only they allow it. */
const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'";

/** Headers of the reference's own answers that are passed on; ours (security, cookies) stay ours. */
const PASSED_ON = ['content-type', 'location', 'cache-control', 'etag', 'last-modified'];

/**
 * The API reference (Scalar) at /api/docs, reading /api/openapi.json, loaded on its first visit.
 *
 * Scalar's Fastify plugin carries the whole browser application as a JavaScript string: loading it
 * at start held some 16 MB of heap in every server, whether or not anyone read the documentation.
 * Here the plugin runs in a small Fastify instance of its own, made on the first request; our
 * routes hand it the request and pass its answer on. The routes are public, like the document.
 */
export function registerApiReference(app: FastifyInstance): void {
  let reference: Promise<FastifyInstance> | undefined;
  const load = () => {
    reference ??= (async () => {
      const { default: scalarReference } = await import('@scalar/fastify-api-reference');
      const inner = Fastify({ logger: false });
      await inner.register(scalarReference, {
        routePrefix: PREFIX,
        configuration: { url: '/api/openapi.json', title: 'OpsDeck API' },
      });
      await inner.ready();
      return inner;
    })();
    // A failed load is tried again on the next visit.
    reference.catch(() => {
      reference = undefined;
    });
    return reference;
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const inner = await load();
    const answer = await inner.inject({ method: 'GET', url: request.url });
    // Anything else under /api/docs is ours to refuse, in our own problem format.
    if (answer.statusCode === 404) throw notFound('Page');
    reply.code(answer.statusCode);
    for (const name of PASSED_ON) {
      const value = answer.headers[name];
      if (value !== undefined) reply.header(name, value);
    }
    return reply.header('content-security-policy', DOCS_CSP).send(answer.rawPayload);
  };
  const options = { config: { access: access.public }, schema: { hide: true }, logLevel: 'warn' as const };
  app.get(PREFIX, options, handler);
  app.get(`${PREFIX}/*`, options, handler);
}
