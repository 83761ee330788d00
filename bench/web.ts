/**
 * The web application's budgets (run by `npm run bench` after bench/run.ts, or alone with
 * `npx tsx bench/web.ts`), measured in Debian's Chromium (playwright-core) against the real server:
 * the bundle `npm start` runs, on PGlite in a temporary data directory seeded with 10,000 users.
 *   1. the JavaScript the browser loads for the login page (budget < 350 KB gzip);
 *   2. the JavaScript for the first screen after login, the home page: everything a signed-in
 *      browser with an empty cache loads to show it (budget < 350 KB gzip). For information, what
 *      the navigation after submitting the login form adds, and login page + that navigation;
 *   3. opening the users list (10,000 users) on its first page, 50 full page loads signed in: how
 *      long the server is busy with the page's API requests (the session, the list request
 *      `GET /api/v1/users?page=1&pageSize=25` as the app sends it, custom field definitions),
 *      from the server's own log (Fastify's per-request `responseTime`), p95 (budget < 300 ms).
 *      For information: their times added up, the list request alone, and its time to first
 *      byte seen by the browser.
 * Sizes are every script body the browser received, each gzipped with zlib at level 9 (the server
 * does not compress), in KB of 1,000 bytes as Vite prints them. Results go to bench/results/web.json.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
  type Request,
  type Response,
} from 'playwright-core';
import { openDatabase } from '../src/server/db/client';
import { ADMIN, ROOT, type Stats, seed, startServer, stats, stop, USERS } from './support';

const SCRIPT_BUDGET_KB = 350;
const LIST_BUDGET_MS = 300;
const LIST_LOADS = 50;
const WARM_UP_LOADS = 3;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface ScriptTotal {
  files: number;
  bytes: number;
  gzipBytes: number;
  gzipKb: number;
  scripts: { path: string; gzipBytes: number }[];
}

/** Records every script the page receives from now on; the returned function stops and sums. */
function recordScripts(page: Page): () => Promise<ScriptTotal> {
  const seen = new Map<string, Promise<{ path: string; bytes: number; gzipBytes: number }>>();
  const onResponse = (response: Response) => {
    const url = new URL(response.url());
    const isScript =
      url.pathname.endsWith('.js') || /javascript/.test(response.headers()['content-type'] ?? '');
    if (!isScript || seen.has(url.href)) return;
    // Read the body as soon as it arrives, before a later navigation can discard it.
    seen.set(
      url.href,
      response.body().then((body) => ({
        path: url.pathname,
        bytes: body.length,
        gzipBytes: gzipSync(body, { level: 9 }).length,
      })),
    );
  };
  page.on('response', onResponse);
  return async () => {
    page.off('response', onResponse);
    const loaded = await Promise.all(seen.values());
    const gzipBytes = loaded.reduce((sum, script) => sum + script.gzipBytes, 0);
    return {
      files: loaded.length,
      bytes: loaded.reduce((sum, script) => sum + script.bytes, 0),
      gzipBytes,
      gzipKb: kb(gzipBytes),
      scripts: loaded
        .map(({ path, gzipBytes }) => ({ path, gzipBytes }))
        .sort((a, b) => b.gzipBytes - a.gzipBytes),
    };
  };
}

const kb = (bytes: number) => Math.round(bytes / 100) / 10;

function addTotals(a: ScriptTotal, b: ScriptTotal): Omit<ScriptTotal, 'scripts'> {
  const gzipBytes = a.gzipBytes + b.gzipBytes;
  return { files: a.files + b.files, bytes: a.bytes + b.bytes, gzipBytes, gzipKb: kb(gzipBytes) };
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
}

/** Budgets 1 and 2. Returns the signed-in state for the list measurement. */
async function measureScripts(browser: Browser, baseUrl: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  let finish = recordScripts(page);
  await page.goto(`${baseUrl}/login`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await settle(page);
  const loginPage = await finish();

  // Submitted with Enter: a mouse left over the home page's links would preload their routes.
  finish = recordScripts(page);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
  await settle(page);
  const afterSignIn = await finish();
  const signedIn = await context.storageState();
  await context.close();

  const direct = await browser.newContext({ viewport: { width: 1280, height: 900 }, storageState: signedIn });
  const directPage = await direct.newPage();
  finish = recordScripts(directPage);
  await directPage.goto(`${baseUrl}/`);
  await directPage.getByRole('heading', { name: /^Welcome/ }).waitFor();
  await settle(directPage);
  const firstScreen = await finish();
  await direct.close();

  return {
    loginPage,
    firstScreen,
    afterSignIn: { navigation: afterSignIn, withLoginPage: addTotals(loginPage, afterSignIn) },
    signedIn,
  };
}

interface LoggedRequest {
  method: string;
  url: string;
  statusCode: number;
  responseTime: number;
  /** When the server finished the response (its log line's time, epoch ms). */
  finishedAt: number;
}

/** The server's JSON log, read for Fastify's per-request `responseTime`: the server's own time. */
class ServerLog {
  readonly completed: LoggedRequest[] = [];
  private readonly incoming = new Map<string, { method: string; url: string }>();
  private partial = '';

  read = (chunk: Buffer) => {
    const lines = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      let entry: {
        reqId?: string;
        msg?: string;
        req?: { method: string; url: string };
        res?: { statusCode: number };
        responseTime?: number;
        time?: number;
      };
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      if (!entry.reqId) continue;
      if (entry.msg === 'incoming request' && entry.req) {
        this.incoming.set(entry.reqId, { method: entry.req.method, url: entry.req.url });
      } else if (entry.msg === 'request completed' && entry.responseTime !== undefined) {
        const request = this.incoming.get(entry.reqId);
        this.incoming.delete(entry.reqId);
        if (request) {
          this.completed.push({
            ...request,
            statusCode: entry.res?.statusCode ?? 0,
            responseTime: entry.responseTime,
            finishedAt: entry.time ?? Date.now(),
          });
        }
      }
    }
  };

  /** The API requests completed since `mark`, once there are at least `expected` of them. */
  async apiRequestsSince(mark: number, expected: number): Promise<LoggedRequest[]> {
    const deadline = performance.now() + 5000;
    for (;;) {
      const found = this.completed.slice(mark).filter((request) => request.url.startsWith('/api/'));
      if (found.length >= expected) return found;
      if (performance.now() > deadline) {
        throw new Error(`the server logged ${found.length} of ${expected} API requests`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/**
 * How long the server was busy with at least one of these requests: the union of their intervals.
 * The page sends some of them together; summing their times would count the overlap twice.
 */
function busyMs(requests: LoggedRequest[]): number {
  const intervals = requests
    .map((request) => [request.finishedAt - request.responseTime, request.finishedAt] as const)
    .sort((a, b) => a[0] - b[0]);
  let busy = 0;
  let reached = Number.NEGATIVE_INFINITY;
  for (const [start, end] of intervals) {
    if (end > reached) busy += end - Math.max(start, reached);
    reached = Math.max(reached, end);
  }
  return busy;
}

function timeline(requests: LoggedRequest[]) {
  const startOf = (request: LoggedRequest) => request.finishedAt - request.responseTime;
  const first = Math.min(...requests.map(startOf));
  return requests.map((request) => ({
    request: `${request.method} ${request.url}`,
    startMs: Math.round(startOf(request) - first),
    serverMs: Math.round(request.responseTime * 100) / 100,
  }));
}

const pathOf = (url: string) => new URL(url, 'http://x').pathname;
const isListRequest = (url: string) => pathOf(url) === '/api/v1/users' && /[?&]page=1(&|$)/.test(url);

/** Budget 3: full loads of /people/users, each until the first page is shown and the network is quiet. */
async function measureUsersList(context: BrowserContext, baseUrl: string, log: ServerLog) {
  const page = await context.newPage();
  const pageServerMs: number[] = [];
  const pageServerSumMs: number[] = [];
  const listServerMs: number[] = [];
  const listTtfbMs: number[] = [];
  const openMs: number[] = [];
  const byEndpoint = new Map<string, number[]>();
  const listUrls = new Set<string>();
  let lastLoad: LoggedRequest[] = [];
  for (let i = 0; i < WARM_UP_LOADS + LIST_LOADS; i++) {
    const apiRequests: Request[] = [];
    const onRequest = (request: Request) => {
      if (pathOf(request.url()).startsWith('/api/')) apiRequests.push(request);
    };
    page.on('requestfinished', onRequest);
    const mark = log.completed.length;
    const started = performance.now();
    await page.goto(`${baseUrl}/people/users`);
    await page.getByText(/^1–25 of \d+ users$/).waitFor();
    const opened = performance.now() - started;
    await settle(page);
    page.off('requestfinished', onRequest);
    // The browser may answer a repeated GET from its cache (it still reports it finished), so the
    // server is expected to log each distinct address at least once.
    const expected = new Set(apiRequests.map((request) => request.url())).size;
    const logged = await log.apiRequestsSince(mark, expected).catch((error: Error) => {
      const seen = log.completed.slice(mark).map((request) => request.url);
      throw new Error(
        `${error.message}; the browser finished ${apiRequests.map((r) => r.url().replace(baseUrl, '')).join(', ')}; the server logged ${seen.join(', ')}`,
      );
    });
    if (i < WARM_UP_LOADS) continue;
    lastLoad = logged;
    openMs.push(opened);
    pageServerMs.push(busyMs(logged));
    pageServerSumMs.push(logged.reduce((sum, request) => sum + request.responseTime, 0));
    for (const request of logged) {
      const key = `${request.method} ${pathOf(request.url)}`;
      byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), request.responseTime]);
      if (isListRequest(request.url)) {
        listServerMs.push(request.responseTime);
        listUrls.add(request.url);
      }
    }
    for (const request of apiRequests) {
      if (!isListRequest(request.url().replace(baseUrl, ''))) continue;
      const timing = request.timing();
      listTtfbMs.push(timing.responseStart - timing.requestStart);
    }
  }
  await page.close();
  if (listServerMs.length !== LIST_LOADS) {
    throw new Error(`expected one list request per load, saw ${listServerMs.length} in ${LIST_LOADS}`);
  }
  return {
    loads: LIST_LOADS,
    /** The last load's API requests as the server saw them: start (ms after the first) and time. */
    lastLoad: timeline(lastLoad),
    pageServerMs: stats(pageServerMs),
    pageServerSumMs: stats(pageServerSumMs),
    listRequest: {
      urls: [...listUrls],
      serverMs: stats(listServerMs),
      clientTimeToFirstByteMs: stats(listTtfbMs),
    },
    serverMsByEndpoint: Object.fromEntries(
      [...byEndpoint].map(([key, samples]) => [key, stats(samples)] as [string, Stats]),
    ),
    untilFirstPageShownMs: stats(openMs),
  };
}

type WebResult = Omit<Awaited<ReturnType<typeof measureScripts>>, 'signedIn'> & {
  usersList: Awaited<ReturnType<typeof measureUsersList>>;
};

function verdicts(result: WebResult): string[] {
  const line = (ok: boolean, text: string) => `${ok ? 'PASS' : 'FAIL'}  ${text}`;
  const { loginPage, firstScreen, afterSignIn, usersList } = result;
  return [
    line(
      loginPage.gzipKb < SCRIPT_BUDGET_KB,
      `login page JavaScript ${loginPage.gzipKb} KB gzip in ${loginPage.files} files; budget < ${SCRIPT_BUDGET_KB} KB`,
    ),
    line(
      firstScreen.gzipKb < SCRIPT_BUDGET_KB,
      `first screen after login (home, loaded directly) JavaScript ${firstScreen.gzipKb} KB gzip in ${firstScreen.files} files; budget < ${SCRIPT_BUDGET_KB} KB (the navigation after signing in adds ${afterSignIn.navigation.gzipKb} KB to the login page's, ${afterSignIn.withLoginPage.gzipKb} KB in all, for information)`,
    ),
    line(
      usersList.pageServerMs.p95 < LIST_BUDGET_MS,
      `users list of ${USERS} opened on its first page: the server busy with the page's API requests (${Object.keys(usersList.serverMsByEndpoint).join(', ')}) p95 ${usersList.pageServerMs.p95} ms (p50 ${usersList.pageServerMs.p50}) over ${usersList.loads} loads; budget < ${LIST_BUDGET_MS} ms (their times added up p95 ${usersList.pageServerSumMs.p95} ms; the list request alone p95 ${usersList.listRequest.serverMs.p95} ms, first byte in the browser p95 ${usersList.listRequest.clientTimeToFirstByteMs.p95} ms; for information)`,
    ),
  ];
}

const webBuildTime = () =>
  statSync(path.join(ROOT, 'dist/web/index.html'), { throwIfNoEntry: false })?.mtimeMs;

/** A failed measurement leaves what the browser showed in test-results/bench-web/. */
async function screenshotOpenPages(browser: Browser): Promise<void> {
  const dir = path.join(ROOT, 'test-results/bench-web');
  await mkdir(dir, { recursive: true });
  const pages = browser.contexts().flatMap((context) => context.pages());
  for (const [index, page] of pages.entries()) {
    const file = path.join(dir, `failure-${index + 1}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    process.stderr.write(`screenshot of ${page.url()}: ${path.relative(ROOT, file)}\n`);
  }
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['scripts/ensure-web-build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const builtAt = webBuildTime();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-bench-web-'));
  let browser: Browser | undefined;
  let server: ReturnType<typeof startServer> | undefined;
  try {
    const database = await openDatabase({ dataDir });
    await seed(database);
    await database.close();
    const port = String(await freePort());
    const log = new ServerLog();
    // Info level: Fastify logs each request with its `responseTime`.
    server = startServer(
      { OPSDECK_DATA_DIR: dataDir, PORT: port, HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      log.read,
    );
    await server.ready;
    const baseUrl = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({
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
    });
    const scripts = await measureScripts(browser, baseUrl);
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      storageState: scripts.signedIn,
    });
    const usersList = await measureUsersList(context, baseUrl, log);
    await context.close();
    const { signedIn: _, ...measured } = scripts;
    const result = { ...measured, usersList };
    const report = {
      measuredAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        chromium: browser.version(),
      },
      ...result,
      verdicts: verdicts(result),
    };
    const dir = path.join(ROOT, 'bench/results');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'web.json'), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`\n[web]\n${report.verdicts.map((v) => `  ${v}`).join('\n')}\n`);
    process.stdout.write(`\nWritten to bench/results/web.json\n`);
  } catch (error) {
    if (browser) await screenshotOpenPages(browser);
    if (webBuildTime() !== builtAt) {
      process.stderr.write('dist/web was rebuilt while the bench ran (by another build?): run it again.\n');
    }
    throw error;
  } finally {
    await browser?.close();
    if (server) await stop(server.child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
