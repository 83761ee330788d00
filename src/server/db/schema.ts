/** Every table, for Drizzle's typed queries and for drizzle-kit. Domains add theirs here. */

export * from '../domains/assets/assets.table';
export * from '../domains/assets/disposals.table';
export * from '../domains/assets/inventories.table';
export * from '../domains/assets/maintenance.table';
export * from '../domains/assets/peripherals.table';
export * from '../domains/assets/software.table';
export * from '../domains/audits/audits.table';
export * from '../domains/compliance/frameworks.table';
export * from '../domains/people/groups.table';
export * from '../domains/people/org-chart.table';
export * from '../domains/people/user-history.table';
export * from '../domains/people/users.table';
export * from '../platform/attachments/attachments.table';
export * from '../platform/audit/audit.table';
export * from '../platform/auth/auth.table';
export * from '../platform/custom-fields/custom-fields.table';
export * from '../platform/links/links.table';
export * from '../platform/notifications/notifications.table';
export * from '../platform/organization/organization.table';
export * from '../platform/preferences/preferences.table';
export * from '../platform/rbac/grants.table';
export * from '../platform/tags/tags.table';
export * from '../platform/views/saved-views.table';
