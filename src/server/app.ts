import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import helmet from 'helmet';
import type { Config } from './config';
import type { Database } from './db/client';
import { startEmbeddedMaintenance } from './db/embedded-maintenance';
import { newId } from './db/ids';
import { listenForTableChanges } from './db/table-changes';
import { registerDomainRoutes } from './domains/routes';
import { entityDefinitions } from './entities';
import { importAdapters } from './importers';
import { WEB_BUILD_DIR } from './paths';
import { createFileStorage, type FileStorage } from './platform/attachments/storage';
import { AuditSealer } from './platform/audit/chain';
import { purgeExpiredSessions } from './platform/auth/actor-resolver';
import { SecretBox } from './platform/auth/crypto';
import { EntityRegistry } from './platform/entities/registry';
import { registerApiReference } from './platform/http/api-reference';
import { installErrorHandler, loggable, sendProblem } from './platform/http/error-handler';
import { HttpProblem } from './platform/http/problem';
import { installRequestContext } from './platform/http/request-context';
import { responseSerializerCompiler } from './platform/http/serializer';
import { registerImportRoutes } from './platform/imports/imports.routes';
import { access, collectRoutes } from './platform/rbac/route-access';
import { registerPlatformRoutes } from './platform/routes';

/** What route plugins need; passed explicitly, never imported as globals. */
export interface AppDeps {
  config: Config;
  database: Database;
  registry: EntityRegistry;
  secretBox: SecretBox;
  sealer: AuditSealer;
  storage: FileStorage;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    registeredRoutes: ReturnType<typeof collectRoutes>;
  }
}

const WEB_ROOT = WEB_BUILD_DIR;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface BuildAppOptions {
  config: Config;
  database: Database;
  /** Tests pass false to keep output quiet; production logs JSON to stdout. */
  logger?: boolean;
}

export async function buildApp({
  config,
  database,
  logger = true,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger
      ? {
          level: config.logLevel,
          redact: [
            'req.headers.authorization',
            'req.headers.cookie',
            'req.headers["x-csrf-token"]',
            'res.headers["set-cookie"]',
          ],
        }
      : false,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: (request) => {
      const sent = request.headers['x-request-id'];
      return typeof sent === 'string' && REQUEST_ID_PATTERN.test(sent) ? sent : newId();
    },
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  const registry = new EntityRegistry(entityDefinitions);
  const sealer = new AuditSealer(database, (error) =>
    app.log.error({ err: loggable(error) }, 'audit sealing failed'),
  );
  const deps: AppDeps = {
    config,
    database,
    registry,
    secretBox: new SecretBox(config.secret),
    sealer,
    storage: createFileStorage(path.join(config.dataDir, 'files')),
  };
  app.decorate('deps', deps);
  app.decorate('registeredRoutes', collectRoutes(app));

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  installErrorHandler(app, registry.constraintFields());

  await app.register(fastifyCookie);
  // Security headers from Helmet, its middleware built once: the Fastify plugin built a new one for
  // every request, a measurable share of the CPU of a cheap request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: config.secureCookies,
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)),
  );
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OpsDeck API',
        version: '1',
        description:
          'IT operations and governance. Authenticate with a session cookie (POST /api/v1/auth/login) or a personal API token (Authorization: Bearer odk_…). Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'opsdeck_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  installRequestContext(app, database.db, deps.secretBox);
  app.addHook('onResponse', async (request) => {
    if (WRITE_METHODS.has(request.method)) sealer.nudge();
  });

  app.get('/healthz', { config: { access: access.public }, schema: { hide: true } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { config: { access: access.public }, schema: { hide: true } },
    async (request, reply) => {
      try {
        await database.db.execute('select 1');
        return { status: 'ready' };
      } catch {
        return sendProblem(
          reply,
          request,
          new HttpProblem(503, 'Service unavailable', 'The database is not reachable.'),
        );
      }
    },
  );
  app.get('/api/openapi.json', { config: { access: access.public }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  registerApiReference(app);

  await registerPlatformRoutes(app, deps);
  await registerDomainRoutes(app, deps);
  registerImportRoutes(app, deps, importAdapters);
  await registerWebApp(app);

  // Expired sessions are housekeeping: purged hourly, never part of anyone's history.
  let purgeTimer: NodeJS.Timeout | undefined;
  let stopListening: (() => Promise<void>) | undefined;
  let stopMaintenance: (() => Promise<void>) | undefined;
  app.addHook('onReady', async () => {
    sealer.start();
    // Other instances on the same server announce their writes; list totals follow them.
    if (database.driver === 'pg' && config.databaseUrl) {
      stopListening = listenForTableChanges(config.databaseUrl, (error) =>
        app.log.warn(
          { err: loggable(error) },
          'listening for table changes failed; list totals are counted afresh',
        ),
      );
    }
    // PGlite has no autovacuum: the tables this process changes are vacuumed and analysed by it.
    if (database.driver === 'pglite')
      stopMaintenance = startEmbeddedMaintenance(database, (error) =>
        app.log.warn({ err: loggable(error) }, 'vacuuming the embedded database failed'),
      );
    purgeTimer = setInterval(() => {
      purgeExpiredSessions(database.db).catch((error: unknown) =>
        app.log.error({ err: loggable(error) }, 'session purge failed'),
      );
    }, 3_600_000);
    purgeTimer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(purgeTimer);
    await stopListening?.();
    await stopMaintenance?.();
    await sealer.stop();
  });
  return app;
}

/**
 * Serves the built single-page app: hashed assets with long caching, and index.html for every
 * other GET outside /api so that client-side routes survive a reload.
 */
async function registerWebApp(app: FastifyInstance): Promise<void> {
  const hasBuild = existsSync(path.join(WEB_ROOT, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, { root: WEB_ROOT, serve: false });
    app.get('/assets/*', { config: { access: access.public }, schema: { hide: true } }, (request, reply) => {
      const file = (request.params as { '*': string })['*'];
      return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(`assets/${file}`);
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (
      (request.method !== 'GET' && request.method !== 'HEAD') ||
      pathname.startsWith('/api/') ||
      !hasBuild
    ) {
      return sendProblem(
        reply,
        request,
        new HttpProblem(404, 'Not found', `No route ${request.method} ${pathname}.`),
      );
    }
    const file = pathname.slice(1);
    if (/^[\w.-]+\.(svg|png|ico|txt|webmanifest)$/.test(file) && existsSync(path.join(WEB_ROOT, file))) {
      return reply.sendFile(file);
    }
    return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
  });
}
