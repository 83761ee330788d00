import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app';
import { registerAttachmentRoutes } from './attachments/attachments.routes';
import { registerAuditRoutes } from './audit/audit.routes';
import { registerHistoryRoutes } from './audit/history.routes';
import { registerAuthRoutes } from './auth/auth.routes';
import { registerMeRoutes } from './auth/me.routes';
import { registerEntityRoutes } from './entities/entity.routes';
import { registerLinkRoutes } from './links/links.routes';
import { registerMetaRoutes } from './meta/meta.routes';
import { registerNotificationRoutes } from './notifications/notifications.routes';
import { registerOrganizationRoutes } from './organization/organization.routes';
import { registerPreferenceRoutes } from './preferences/preferences.routes';
import { registerSearchRoutes } from './search/search.routes';
import { registerEntityTagRoutes } from './tags/tags.routes';
import { registerSavedViewRoutes } from './views/saved-views.routes';

/** Routes of the cross-cutting mechanisms, and the generic routes of every registered entity. */
export async function registerPlatformRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await registerAuthRoutes(app, deps);
  await registerMeRoutes(app, deps);
  await registerAuditRoutes(app, deps);
  await registerMetaRoutes(app, deps);
  await registerOrganizationRoutes(app, deps);
  await registerSearchRoutes(app, deps);
  await registerPreferenceRoutes(app, deps);
  await registerSavedViewRoutes(app, deps);
  await registerNotificationRoutes(app, deps);
  for (const def of deps.registry.all()) {
    registerEntityRoutes(app, deps, def);
    // The audit trail is always at /:id/audit-trail; /:id/history too unless the domain owns that path.
    registerHistoryRoutes(app, deps, def, 'audit-trail');
    if (!def.ownHistoryRoute) registerHistoryRoutes(app, deps, def, 'history');
    if (def.features.linkable) registerLinkRoutes(app, deps, def);
    if (def.features.tagged) registerEntityTagRoutes(app, deps, def);
    if (def.features.attachments) registerAttachmentRoutes(app, deps, def);
  }
}
