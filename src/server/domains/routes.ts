import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app';
import { registerCustodyRoutes } from './assets/custody.routes';
import { registerDisposalRoutes } from './assets/disposals.routes';
import { registerInventoryRoutes } from './assets/inventories.routes';
import { registerItemHistoryRoutes } from './assets/item-history.routes';
import { registerLicenseRoutes } from './assets/licenses.routes';
import { registerReportRoutes } from './assets/reports.routes';
import { registerAuditRoutes } from './audits/audits.routes';
import { registerComplianceRoutes } from './compliance/compliance.routes';
import { registerPeopleRoutes } from './people/people.routes';
import { registerUserTimelineRoutes } from './people/user-timeline.routes';

/** Workflow routes of each domain (their entities' generic routes come from the registry). */
export async function registerDomainRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await registerPeopleRoutes(app, deps);
  await registerUserTimelineRoutes(app, deps);
  await registerCustodyRoutes(app, deps);
  await registerInventoryRoutes(app, deps);
  await registerDisposalRoutes(app, deps);
  await registerItemHistoryRoutes(app, deps);
  await registerReportRoutes(app, deps);
  await registerLicenseRoutes(app, deps);
  await registerComplianceRoutes(app, deps);
  await registerAuditRoutes(app, deps);
}
