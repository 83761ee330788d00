import type { ResourceDefinition } from '../../api/resources';
import type { BaseRecord } from '../../api/types';
import type { FieldVocabulary } from '../../components/audit-changes';
import type { LinkTarget } from '../../components/links-panel';

export const EMPLOYMENT_STATUSES = ['active', 'on_leave', 'contractor', 'terminated'] as const;
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];
export const EMPLOYMENT_STATUS_LABELS: Record<EmploymentStatus, string> = {
  active: 'Active',
  on_leave: 'On leave',
  contractor: 'Contractor',
  terminated: 'Terminated',
};
export const EMPLOYMENT_STATUS_COLORS: Record<EmploymentStatus, string> = {
  active: 'green',
  on_leave: 'yellow',
  contractor: 'blue',
  terminated: 'gray',
};

export const ROLE_LABELS = {
  member: 'Member',
  auditor: 'Auditor',
  admin: 'Administrator',
  external_auditor: 'External auditor',
} as const;

export interface User extends BaseRecord {
  name: string;
  email: string;
  username: string | null;
  department: string | null;
  jobTitle: string | null;
  managerId: string | null;
  location: string | null;
  employmentStatus: EmploymentStatus;
  startDate: string | null;
  endDate: string | null;
  role: keyof typeof ROLE_LABELS;
  loginEnabled: boolean;
  hideFromOrgChart: boolean;
  customFields: Record<string, unknown>;
  isArchived: boolean;
}

export interface Group extends BaseRecord {
  name: string;
  description: string | null;
  memberCount?: number;
  isArchived: boolean;
}

export interface OrgChartSnapshot extends BaseRecord {
  name: string;
  notes: string | null;
  chartData: unknown;
  createdBy: string | null;
}

export const userResource: ResourceDefinition = {
  path: 'users',
  entityType: 'user',
  module: 'hr_people',
  labels: { singular: 'User', plural: 'Users' },
  route: '/people/users',
  features: { archivable: true, linkable: true, tagged: true, attachments: true, hardDelete: false },
};

export const groupResource: ResourceDefinition = {
  path: 'groups',
  entityType: 'group',
  module: 'administration',
  labels: { singular: 'Group', plural: 'Groups' },
  route: '/admin/groups',
  features: { archivable: true, linkable: true, tagged: true, attachments: false, hardDelete: true },
};

export const orgChartSnapshotResource: ResourceDefinition = {
  path: 'org-chart-snapshots',
  entityType: 'org_chart_snapshot',
  module: 'hr_people',
  labels: { singular: 'Org chart snapshot', plural: 'Org chart snapshots' },
  route: '/people/org-chart/snapshots',
  features: { archivable: false, linkable: true, tagged: false, attachments: false, hardDelete: false },
};

/** What a people record can be linked to from the links panel. */
export const PEOPLE_LINK_TARGETS: LinkTarget[] = [
  { definition: userResource, optionLabel: (record) => `${record.name} (${record.email})` },
  { definition: groupResource, optionLabel: (record) => String(record.name) },
];

/** Field names as people read them, for forms and history. */
export const USER_FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  email: 'Email',
  username: 'Login ID',
  department: 'Department',
  jobTitle: 'Job title',
  managerId: 'Manager',
  location: 'Location',
  employmentStatus: 'Employment status',
  startDate: 'Start date',
  endDate: 'End date',
  role: 'Role',
  loginEnabled: 'Can sign in',
  hideFromOrgChart: 'Hidden from org chart',
  isArchived: 'Archived',
};

export const USER_VOCABULARY: FieldVocabulary = {
  labels: USER_FIELD_LABELS,
  values: { employmentStatus: EMPLOYMENT_STATUS_LABELS, role: ROLE_LABELS },
  references: { managerId: userResource },
};

export const GROUP_MEMBER_VOCABULARY: FieldVocabulary = {
  labels: { userId: 'Person', groupId: 'Group' },
  references: { userId: userResource, groupId: groupResource },
};
