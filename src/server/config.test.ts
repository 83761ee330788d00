import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-config-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const STRONG_SECRET = 'k3y-material-that-is-long-enough-for-production-use';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadConfig to refuse this environment');
}

describe('loadConfig', () => {
  it('refuses production on a PostgreSQL server without OPSDECK_SECRET, saying how to make one', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://opsdeck@db.internal/opsdeck',
      OPSDECK_DATA_DIR: dataDir,
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^OPSDECK_SECRET: required in production/);
    expect(problems[0]).toContain('openssl rand');
  });

  it('refuses a weak or short secret', () => {
    for (const secret of ['changeme', 'short-secret', 'PASSWORD']) {
      const problems = problemsOf({ OPSDECK_SECRET: secret, OPSDECK_DATA_DIR: dataDir });
      expect(problems).toEqual(['OPSDECK_SECRET: must be at least 32 characters and not a well-known value']);
    }
  });

  it('accepts a strong secret in production', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://opsdeck@db.internal/opsdeck',
      OPSDECK_SECRET: STRONG_SECRET,
      OPSDECK_DATA_DIR: dataDir,
    });
    expect(config).toMatchObject({ env: 'production', secret: STRONG_SECRET, secureCookies: true });
  });

  it('otherwise generates a secret in the data directory, readable only by its owner, and reuses it', async () => {
    const first = loadConfig({ OPSDECK_DATA_DIR: dataDir });
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dataDir, 'secret.key');
    expect((await readFile(file, 'utf8')).trim()).toBe(first.secret);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(loadConfig({ OPSDECK_DATA_DIR: dataDir }).secret).toBe(first.secret);
    // Embedded PGlite in production also keeps its secret beside its data.
    expect(loadConfig({ NODE_ENV: 'production', OPSDECK_DATA_DIR: dataDir }).secret).toBe(first.secret);
  });

  it('names every invalid variable', () => {
    const problems = problemsOf({
      DATABASE_URL: 'mysql://nope',
      PORT: 'eighty',
      OPSDECK_ADMIN_EMAIL: 'not-an-email',
      OPSDECK_DATA_DIR: dataDir,
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'DATABASE_URL',
      'OPSDECK_ADMIN_EMAIL',
      'PORT',
    ]);
    expect(problemsOf({ OPSDECK_ADMIN_EMAIL: 'admin@example.test', OPSDECK_DATA_DIR: dataDir })).toEqual([
      'OPSDECK_ADMIN_EMAIL and OPSDECK_ADMIN_PASSWORD: set both or neither',
    ]);
  });

  it('turns the upload limit from megabytes into bytes', () => {
    expect(loadConfig({ OPSDECK_DATA_DIR: dataDir, OPSDECK_MAX_UPLOAD_MB: '2' }).maxUploadBytes).toBe(
      2 * 1024 * 1024,
    );
    expect(loadConfig({ OPSDECK_DATA_DIR: dataDir }).maxUploadBytes).toBe(25 * 1024 * 1024);
  });

  it('reads the per-address sign-in limit, within bounds', () => {
    expect(loadConfig({ OPSDECK_DATA_DIR: dataDir }).loginAttemptsPerMinute).toBe(10);
    expect(
      loadConfig({ OPSDECK_DATA_DIR: dataDir, OPSDECK_LOGIN_ATTEMPTS_PER_MINUTE: '60' })
        .loginAttemptsPerMinute,
    ).toBe(60);
    expect(
      problemsOf({ OPSDECK_DATA_DIR: dataDir, OPSDECK_LOGIN_ATTEMPTS_PER_MINUTE: '0' }).map(
        (p) => p.split(':')[0],
      ),
    ).toEqual(['OPSDECK_LOGIN_ATTEMPTS_PER_MINUTE']);
  });
});
