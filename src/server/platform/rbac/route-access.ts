import type { FastifyInstance } from 'fastify';
import type { GrantLevel, ModuleKey, Role } from '../../../shared/modules';
import type { Actor } from '../http/context';
import { forbidden, unauthorized } from '../http/problem';
import { allows } from './access';

/**
 * What a route needs. Every route declares one in `config.access`; a route without one is
 * refused to everybody (deny by default), and a test enumerates all routes to prove none lacks it.
 */
export type RouteAccess =
  | { kind: 'public' }
  /** Any logged-in user, e.g. their own profile. */
  | { kind: 'authenticated' }
  /** A session that has passed the password but not yet the second factor. */
  | { kind: 'mfa-pending' }
  | { kind: 'module'; module: ModuleKey; level: GrantLevel }
  /** Reserved to roles, whatever the grants: e.g. the audit log, which spans every module. */
  | { kind: 'roles'; roles: readonly Role[] }
  /**
   * The work on audits: a module grant for the organisation's people, or an external auditor, whom
   * the route then limits to the audits they are invited to (a 404 for any other).
   */
  | { kind: 'audit-work'; module: ModuleKey; level: GrantLevel }
  | { kind: 'admin' };

export const access = {
  public: { kind: 'public' } as RouteAccess,
  authenticated: { kind: 'authenticated' } as RouteAccess,
  mfaPending: { kind: 'mfa-pending' } as RouteAccess,
  admin: { kind: 'admin' } as RouteAccess,
  /** Administrators and auditors. */
  oversight: { kind: 'roles', roles: ['admin', 'auditor'] } as RouteAccess,
  read: (module: ModuleKey): RouteAccess => ({ kind: 'module', module, level: 'read' }),
  write: (module: ModuleKey): RouteAccess => ({ kind: 'module', module, level: 'write' }),
  auditWork: (level: GrantLevel): RouteAccess => ({ kind: 'audit-work', module: 'compliance', level }),
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/** Throws 401/403 unless `actor` satisfies `required`. Pure: no I/O. */
export function assertAccess(actor: Actor, required: RouteAccess | undefined, mfaPending: boolean): void {
  if (!required) throw forbidden('This route declares no access rule and is therefore closed.');
  if (required.kind === 'public') return;
  if (required.kind === 'mfa-pending') {
    if (!mfaPending) throw unauthorized('Sign in with your password first.');
    return;
  }
  if (actor.kind !== 'user') throw unauthorized();
  if (required.kind === 'authenticated') return;
  if (required.kind === 'roles') {
    if (!required.roles.includes(actor.role)) {
      throw forbidden(`Only ${required.roles.map((r) => `${r}s`).join(' and ')} may do this.`);
    }
    return;
  }
  if (required.kind === 'admin') {
    if (actor.role !== 'admin') throw forbidden('Only administrators may do this.');
    return;
  }
  // Audit work is also for auditors without module access (external ones, scoped to their audits
  // by the audit's row scope) or with read access only (the internal `auditor` role): the audit's
  // routes then check that they are among its auditors.
  if (required.kind === 'audit-work' && (actor.role === 'external_auditor' || actor.role === 'auditor'))
    return;
  if (!allows(actor.access, required.module, required.level)) {
    throw forbidden(`This needs ${required.level} access to the ${required.module} module.`);
  }
}

/** Records every route with its declaration, for the test that proves none is left open. */
export function collectRoutes(
  app: FastifyInstance,
): Array<{ method: string; url: string; access?: RouteAccess }> {
  const routes: Array<{ method: string; url: string; access?: RouteAccess }> = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      // Read when asked, not now: hooks of encapsulated plugins (e.g. the docs) run after this
      // one and may still set `config.access` on the same route options.
      routes.push({
        method,
        url: route.url,
        get access() {
          return (route.config as { access?: RouteAccess } | undefined)?.access;
        },
      });
    }
  });
  return routes;
}
