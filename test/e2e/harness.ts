import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { buildApp } from '../../src/server/app';
import { ensureFirstAdministrator, systemContext } from '../../src/server/bootstrap';
import { createPglite, type Database, openDatabase, openPglite } from '../../src/server/db/client';
import { migrateDatabase } from '../../src/server/db/migrate';
import type { ServiceContext } from '../../src/server/platform/http/context';
import { testConfig } from '../harness';

export const ADMIN = { email: 'e2e-admin@example.test', password: 'e2e-admin-password-1' };
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results/e2e');

export interface Environment {
  baseUrl: string;
  app: FastifyInstance;
  database: Database;
  system: ServiceContext;
  browser: Browser;
  close(): Promise<void>;
}

/** A fresh database: on the server when TEST_DATABASE_URL is set, else in-memory PGlite. */
async function freshDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const database = openPglite(await createPglite());
    await migrateDatabase(database);
    return { database, drop: async () => {} };
  }
  const name = `opsdeck_e2e_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: os.tmpdir() });
  await migrateDatabase(database);
  return {
    database,
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** The real server (built web app included) on a random port, and a headless Chromium. */
export async function startEnvironment(): Promise<Environment> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-e2e-'));
  const { database, drop } = await freshDatabase();
  const config = testConfig(dataDir, {
    adminEmail: ADMIN.email,
    adminPassword: ADMIN.password,
    maxUploadBytes: 5 * 1024 * 1024,
    // Every journey signs in from 127.0.0.1; the per-address limit is tested over HTTP instead.
    loginAttemptsPerMinute: 200,
  });
  await ensureFirstAdministrator(database, config, () => {});
  const app = await buildApp({ config, database, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  await mkdir(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // playwright gives every launch a fresh, temporary profile of its own.
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    database,
    system: systemContext(database, 'e2e'),
    browser,
    async close() {
      await browser.close();
      await app.close();
      await database.close();
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface JourneyContext {
  env: Environment;
  context: BrowserContext;
  page: Page;
  /** Names the step being run: a failure's screenshot and message say which one. */
  step(name: string): void;
}

export interface Journey {
  name: string;
  run(t: JourneyContext): Promise<void>;
}

/** Fills and submits the login form (the caller checks what happens next). */
export async function submitLogin(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in through the login page and waits until the app has left it. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await submitLogin(page, baseUrl, email, password);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}
