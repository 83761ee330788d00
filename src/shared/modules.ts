/**
 * Modules are the unit of access control: every route and every entity belongs to one.
 * Imported by the server (RBAC) and the web app (navigation), so the two cannot drift.
 */
export const MODULES = [
  { key: 'dashboards', label: 'Dashboards' },
  { key: 'core_inventory', label: 'Core inventory' },
  { key: 'procurement', label: 'Procurement' },
  { key: 'finance', label: 'Finance' },
  { key: 'operations', label: 'Operations' },
  { key: 'risk_governance', label: 'Risk & governance' },
  { key: 'compliance', label: 'Compliance' },
  { key: 'knowledge_policy', label: 'Knowledge & policy' },
  { key: 'hr_people', label: 'HR & people' },
  { key: 'communications', label: 'Communications' },
  { key: 'administration', label: 'Administration' },
  { key: 'settings', label: 'Settings' },
  { key: 'roadmaps', label: 'Roadmaps' },
] as const;

export type ModuleKey = (typeof MODULES)[number]['key'];
export const MODULE_KEYS = MODULES.map((m) => m.key) as [ModuleKey, ...ModuleKey[]];

/** Ordered weakest to strongest: the effective grant is the strongest of all grants. */
export const ACCESS_LEVELS = ['none', 'read', 'write'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export type GrantLevel = Exclude<AccessLevel, 'none'>;

export function accessRank(level: AccessLevel): number {
  return ACCESS_LEVELS.indexOf(level);
}

export function strongest(a: AccessLevel, b: AccessLevel): AccessLevel {
  return accessRank(a) >= accessRank(b) ? a : b;
}

/**
 * Roles: `admin` holds everything; `auditor` reads everything and writes nothing;
 * `member` gets exactly what user and group grants give; `external_auditor` (someone from an
 * audit firm) gets no module at all, only the audits they are invited to (see domains/audits).
 */
export const ROLES = ['member', 'auditor', 'admin', 'external_auditor'] as const;
export type Role = (typeof ROLES)[number];

export type AccessMap = Record<ModuleKey, AccessLevel>;
