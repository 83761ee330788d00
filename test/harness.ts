import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { buildApp } from '../src/server/app';
import { systemContext } from '../src/server/bootstrap';
import type { Config } from '../src/server/config';
import { createPglite, type Database, openDatabase, openPglite } from '../src/server/db/client';
import type { ServiceContext } from '../src/server/platform/http/context';

let counter = 0;

/** A fresh, migrated database for this test file: a copy of the run's template. */
export async function openTestDatabase(): Promise<Database> {
  const template = inject('databaseTemplate');
  if (template.kind === 'server') {
    const name = `opsdeck_t_${process.ppid}_${process.pid}_${counter++}`;
    const admin = new pg.Client({ connectionString: template.serverUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${template.name}`);
    await admin.end();
    const url = new URL(template.serverUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString(), dataDir: os.tmpdir(), poolSize: 5 });
    return {
      ...database,
      close: async () => {
        await database.close();
        const cleanup = new pg.Client({ connectionString: template.serverUrl });
        await cleanup.connect();
        await cleanup.query(`drop database if exists ${name} with (force)`);
        await cleanup.end();
      },
    };
  }
  const dump = await readFile(template.file);
  return openPglite(await createPglite({ loadDataDir: new Blob([dump]) }));
}

export interface TestContext {
  app: FastifyInstance;
  database: Database;
  config: Config;
  system: ServiceContext;
  close(): Promise<void>;
}

export function testConfig(dataDir: string, overrides: Partial<Config> = {}): Config {
  return {
    env: 'test',
    databaseUrl: undefined,
    dataDir,
    host: '127.0.0.1',
    port: 0,
    secret: 'test-secret-that-is-long-enough-to-pass-validation',
    adminEmail: undefined,
    adminPassword: undefined,
    maxUploadBytes: 1024 * 1024,
    sessionTtlHours: 12,
    mfaOnlyFromNewIp: false,
    secureCookies: false,
    trustProxy: false,
    loginAttemptsPerMinute: 10,
    logLevel: 'silent',
    ...overrides,
  };
}

/** An app on its own database and data directory; `close()` removes both. */
export async function createTestContext(overrides: Partial<Config> = {}): Promise<TestContext> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-test-'));
  const database = await openTestDatabase();
  // TEST_LOG=error (or another level) shows the server's log, e.g. to see why a request failed.
  const logLevel = process.env.TEST_LOG;
  const config = testConfig(dataDir, { ...(logLevel ? { logLevel } : {}), ...overrides });
  const app = await buildApp({ config, database, logger: Boolean(logLevel) });
  await app.ready();
  return {
    app,
    database,
    config,
    system: systemContext(database, 'test'),
    async close() {
      await app.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One app and database for the whole test file: created before its tests, closed after them.
 * Use at the top level of a test file: `const t = sharedTestContext();`.
 */
export function sharedTestContext(overrides: Partial<Config> = {}): TestContext {
  let current: TestContext | undefined;
  beforeAll(async () => {
    current = await createTestContext(overrides);
  });
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as TestContext, {
    get(_target, key) {
      if (!current) throw new Error('The test context exists only while the tests of this file run');
      return current[key as keyof TestContext];
    },
  });
}

export type Json = Record<string, unknown> & { [key: string]: unknown };

let clientCounter = 0;

export interface ClientOptions {
  /** The caller's address; each client gets its own, so per-IP rate limits do not leak between tests. */
  ip?: string;
  userAgent?: string;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** An HTTP client over `app.inject` that keeps a session cookie and sends its CSRF token. */
export class Client {
  cookie: string | undefined;
  csrfToken: string | undefined;
  bearer: string | undefined;
  readonly ip: string;
  readonly userAgent: string;

  constructor(
    private readonly app: FastifyInstance,
    options: ClientOptions = {},
  ) {
    clientCounter++;
    this.ip =
      options.ip ??
      `10.${process.pid % 250}.${Math.floor(clientCounter / 250) % 250}.${(clientCounter % 250) + 1}`;
    this.userAgent = options.userAgent ?? `opsdeck-tests/${clientCounter}`;
  }

  /** Sends `payload` as is (a string or Buffer) with the given headers: for raw or malformed bodies. */
  async raw(
    method: Method,
    url: string,
    payload: string | Buffer | undefined,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: {
        'user-agent': this.userAgent,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrfToken ? { 'x-csrf-token': this.csrfToken } : {}),
        ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
        ...headers,
      },
      ...(payload !== undefined ? { payload } : {}),
    });
    const setCookie = response.cookies.find((c) => c.name === 'opsdeck_session');
    if (setCookie) this.cookie = setCookie.value ? `opsdeck_session=${setCookie.value}` : undefined;
    return response;
  }

  request(
    method: Method,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    if (body === undefined) return this.raw(method, url, undefined, headers);
    return this.raw(method, url, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
  }

  get = (url: string, headers?: Record<string, string>) => this.request('GET', url, undefined, headers);
  post = (url: string, body?: unknown, headers?: Record<string, string>) =>
    this.request('POST', url, body ?? {}, headers);
  patch = (url: string, body: unknown, headers?: Record<string, string>) =>
    this.request('PATCH', url, body, headers);
  put = (url: string, body: unknown, headers?: Record<string, string>) =>
    this.request('PUT', url, body, headers);
  delete = (url: string, headers?: Record<string, string>) => this.request('DELETE', url, undefined, headers);

  /** Uploads one file as multipart/form-data in the field `file`. */
  async upload(
    url: string,
    file: { filename: string; content: Buffer | string; contentType?: string },
  ): Promise<LightMyRequestResponse> {
    const boundary = `----opsdeck${randomUUID().replace(/-/g, '')}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\n` +
        `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const payload = Buffer.concat([head, Buffer.from(file.content), tail]);
    return this.raw('POST', url, payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
  }

  /** Signs in; returns the login response. Stores the cookie and CSRF token. */
  async login(email: string, password: string): Promise<LightMyRequestResponse> {
    const response = await this.post('/api/v1/auth/login', { email, password });
    const json = response.json() as { status?: string; session?: { csrfToken: string }; csrfToken?: string };
    this.csrfToken = json.session?.csrfToken ?? json.csrfToken;
    return response;
  }

  /** Completes a second-factor login with `code`; stores the new cookie and CSRF token on success. */
  async secondFactor(code: string): Promise<LightMyRequestResponse> {
    const response = await this.post('/api/v1/auth/login/second-factor', { code });
    if (response.statusCode === 200) this.csrfToken = response.json().session.csrfToken;
    return response;
  }
}
