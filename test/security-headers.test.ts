import { describe, expect, it } from 'vitest';
import { signedIn } from './factories';
import { createTestContext, sharedTestContext } from './harness';

const t = sharedTestContext();

/** What every response carries, public or signed in, success or problem. */
function expectSecurityHeaders(headers: Record<string, unknown>) {
  const csp = String(headers['content-security-policy']);
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['x-powered-by']).toBeUndefined();
}

describe('security headers', () => {
  it('are on public, signed-in and failed responses alike', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expectSecurityHeaders(ready.headers);

    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/assets' });
    expect(anonymous.statusCode).toBe(401);
    expectSecurityHeaders(anonymous.headers);

    const { client } = await signedIn(t, { grants: { core_inventory: 'read' } });
    const list = await client.get('/api/v1/assets');
    expect(list.statusCode, list.body).toBe(200);
    expectSecurityHeaders(list.headers);
    // Plain HTTP (the default) sends no HSTS: a browser would then refuse the site over HTTP.
    expect(list.headers['strict-transport-security']).toBeUndefined();
  });

  it('serve the API reference on its first visit, and let only it run its inline boot script', async () => {
    const bare = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/api/docs/');
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/api/openapi.json');
    expect(page.body).toContain('js/scalar.js');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self' 'unsafe-inline'");
    const script = await t.app.inject({ method: 'GET', url: '/api/docs/js/scalar.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.body.length).toBeGreaterThan(100_000);
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    const missing = await t.app.inject({ method: 'GET', url: '/api/docs/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
  });

  it('add HSTS when the site is served over HTTPS (secure cookies)', async () => {
    const secure = await createTestContext({ secureCookies: true });
    try {
      const ready = await secure.app.inject({ method: 'GET', url: '/readyz' });
      expect(String(ready.headers['strict-transport-security'])).toMatch(/max-age=\d+/);
      expectSecurityHeaders(ready.headers);
    } finally {
      await secure.close();
    }
  });
});
