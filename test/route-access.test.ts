import { describe, expect, it } from 'vitest';
import { signedIn } from './factories';
import { Client, sharedTestContext } from './harness';

const t = sharedTestContext();

const PUBLIC_ROUTES = new Set([
  'POST /api/v1/auth/login',
  'GET /healthz',
  'GET /readyz',
  'GET /api/openapi.json',
]);
/** Public documentation and the web app's static assets, served under these prefixes. */
const PUBLIC_PREFIXES = ['GET /api/docs', 'GET /assets/'];

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
) {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers['content-type'])).toContain('application/problem+json');
  expect(response.json()).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
}

describe('route declarations', () => {
  it('declares an access rule on every route', () => {
    const routes = t.app.registeredRoutes;
    expect(routes.length).toBeGreaterThan(50);
    const undeclared = routes.filter((r) => !r.access).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('keeps the public routes to login, health, the API document, docs and assets', () => {
    const publicRoutes = t.app.registeredRoutes
      .filter((r) => r.access?.kind === 'public')
      .map((r) => `${r.method} ${r.url}`);
    const unexpected = publicRoutes.filter(
      (r) => !PUBLIC_ROUTES.has(r) && !PUBLIC_PREFIXES.some((prefix) => r.startsWith(prefix)),
    );
    expect(unexpected).toEqual([]);
    for (const route of PUBLIC_ROUTES) expect(publicRoutes).toContain(route);
    expect(publicRoutes.some((r) => r.startsWith('GET /api/docs'))).toBe(true);
  });

  it('serves the public routes without a session', async () => {
    const anonymous = new Client(t.app);
    expect((await anonymous.get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await anonymous.get('/readyz')).json()).toEqual({ status: 'ready' });
    const openapi = await anonymous.get('/api/openapi.json');
    expect(openapi.statusCode).toBe(200);
    expect(openapi.json().paths['/api/v1/users']).toBeDefined();
    expect((await anonymous.get('/api/docs')).statusCode).toBeLessThan(400);
  });

  it('answers 401 problem+json to an anonymous caller on every kind of protected route', async () => {
    const anonymous = new Client(t.app);
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [method, url] of [
      ['GET', '/api/v1/users'],
      ['POST', '/api/v1/users'],
      ['GET', '/api/v1/auth/session'],
      ['GET', '/api/v1/audit-log/verify'],
      ['PUT', `/api/v1/access-grants/user/${id}`],
      ['POST', '/api/v1/auth/login/second-factor'],
    ] as const) {
      const response = await anonymous.request(method, url, method === 'GET' ? undefined : {});
      expectProblem(response, 401);
    }
  });

  it('refuses a caller before validating the body, so the refusal reveals nothing about the input', async () => {
    const anonymous = new Client(t.app);
    expectProblem(await anonymous.post('/api/v1/users', { nonsense: true }), 401);
    const { client } = await signedIn(t);
    expectProblem(await client.post('/api/v1/users', { nonsense: true }), 403);
  });

  it('answers 403 problem+json when the access is insufficient', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'read' } });
    const refused = await client.post('/api/v1/users', { name: 'X', email: 'x@example.test' });
    expectProblem(refused, 403);
    expect(refused.json().detail).toContain('hr_people');
    expectProblem(await client.get('/api/v1/audit-log/verify'), 403);
    expectProblem(await client.get('/api/v1/groups'), 403);
  });

  it('answers unknown API routes with a 404 problem', async () => {
    const anonymous = new Client(t.app);
    expectProblem(await anonymous.get('/api/v1/no-such-thing'), 404);
  });

  it('rejects a non-Bearer Authorization header and an unknown token with 401', async () => {
    const anonymous = new Client(t.app);
    expectProblem(await anonymous.get('/api/v1/users', { authorization: 'Basic YWRtaW46YWRtaW4=' }), 401);
    expectProblem(await anonymous.get('/healthz', { authorization: 'Bearer odk_not-a-real-token' }), 401);
  });
});
