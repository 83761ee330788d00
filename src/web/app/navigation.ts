import { MODULES, type ModuleKey } from '../../shared/modules';
import { canRead } from '../api/session';
import type { SessionInfo } from '../api/types';

export interface NavPage {
  label: string;
  to: string;
  /** Shown only to these roles (the server enforces the same). */
  roles?: ReadonlyArray<SessionInfo['user']['role']>;
}

export interface NavSection {
  module: ModuleKey;
  label: string;
  /** Empty while the module has no pages yet ("coming soon"). */
  pages: NavPage[];
}

/** The pages each module has today; modules not listed show as "coming soon". */
const MODULE_PAGES: Partial<Record<ModuleKey, NavPage[]>> = {
  // The generic record screens serve these until the domain's own pages arrive.
  core_inventory: [
    { label: 'Assets', to: '/records/asset' },
    { label: 'Peripherals', to: '/records/peripheral' },
    { label: 'Maintenance', to: '/records/maintenance_log' },
    { label: 'Disposals', to: '/records/disposal' },
    { label: 'Software', to: '/records/software' },
    { label: 'Licences', to: '/records/license' },
    { label: 'Inventories', to: '/records/asset_inventory' },
    { label: 'Asset models', to: '/records/asset_model' },
    { label: 'Brands', to: '/records/brand' },
    { label: 'Locations', to: '/records/location' },
    { label: 'Overdue returns', to: '/inventory/overdue-returns' },
    { label: 'Reports', to: '/inventory/reports' },
    { label: 'Import CSV', to: '/imports' },
  ],
  hr_people: [
    { label: 'Users', to: '/people/users' },
    { label: 'Org chart', to: '/people/org-chart' },
  ],
  administration: [
    { label: 'Groups', to: '/admin/groups' },
    { label: 'Audit log', to: '/admin/audit-log', roles: ['admin', 'auditor'] },
    { label: 'Custom fields', to: '/admin/custom-fields' },
  ],
  compliance: [
    { label: 'Dashboard', to: '/compliance/dashboard' },
    { label: 'Frameworks', to: '/compliance/frameworks' },
    { label: 'Evidence', to: '/records/compliance_evidence' },
    { label: 'Drift', to: '/compliance/drift' },
    { label: 'Audits', to: '/compliance/audits' },
    { label: 'Verify a pack', to: '/compliance/verify-pack' },
  ],
  // Tags belong to the settings module on the server (who may curate the vocabulary).
  settings: [
    { label: 'Organisation', to: '/settings/organization' },
    { label: 'Tags', to: '/settings/tags' },
  ],
};

/** External auditors read no module, only the audits they are invited to (the API lists just those). */
const EXTERNAL_AUDITOR_SECTION: NavSection = {
  module: 'compliance',
  label: 'Audits',
  pages: [{ label: 'My audits', to: '/audits' }],
};

/** The sidebar: modules in the order of src/shared/modules.ts, only those the user may read. */
export function navigationFor(session: SessionInfo): NavSection[] {
  if (session.user.role === 'external_auditor') return [EXTERNAL_AUDITOR_SECTION];
  return MODULES.filter((module) => canRead(session, module.key)).map((module) => ({
    module: module.key,
    label: module.label,
    pages: (MODULE_PAGES[module.key] ?? []).filter(
      (page) => !page.roles || page.roles.includes(session.user.role),
    ),
  }));
}
