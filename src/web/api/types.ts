import type { AccessLevel, ModuleKey, Role } from '../../shared/modules';

/** Response shapes of the platform API (see GET /api/openapi.json). */

export interface Page<T> {
  data: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface Abilities {
  update: boolean;
  archive: boolean;
  restore: boolean;
  delete: boolean;
}

/** What every generic record has. */
export interface BaseRecord {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  isArchived?: boolean;
}

export interface Link {
  id: string;
  direction: 'outgoing' | 'incoming';
  relation: string;
  description: string | null;
  otherType: string | null;
  otherId: string | null;
  otherLabel: string | null;
  url: string | null;
  createdAt: string;
}

export interface AppliedTag {
  id: string;
  name: string;
  color: string | null;
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  createdBy: string | null;
}

/** A record as GET /:id answers it: with the actor's abilities and its mechanisms. */
export type RecordDetail<T extends BaseRecord> = T & {
  abilities: Abilities;
  links?: Link[];
  tags?: AppliedTag[];
  attachments?: Attachment[];
};

/** REVEAL: someone read a stored secret (a licence key); nothing changed. */
export type AuditAction = 'INSERT' | 'UPDATE' | 'DELETE' | 'ARCHIVE' | 'RESTORE' | 'REVEAL';
export const AUDIT_ACTIONS: AuditAction[] = ['INSERT', 'UPDATE', 'DELETE', 'ARCHIVE', 'RESTORE', 'REVEAL'];

export interface AuditEntry {
  id: string;
  occurredAt: string;
  actorId: string | null;
  actorLabel: string | null;
  authMethod: 'session' | 'api_token' | 'system' | 'anonymous';
  action: AuditAction;
  entityType: string;
  entityId: string;
  entityLabel: string | null;
  /** UPDATE: `{ field: { old, new } }`; INSERT/DELETE: the full record. */
  changes: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export interface SessionInfo {
  user: SessionUser;
  access: Partial<Record<ModuleKey, AccessLevel>>;
  authMethod: 'session' | 'api_token';
  csrfToken: string | null;
}

export type CustomFieldType = 'text' | 'number' | 'date' | 'boolean' | 'select';
export const CUSTOM_FIELD_TYPES: CustomFieldType[] = ['text', 'number', 'date', 'boolean', 'select'];

export interface CustomFieldDefinition extends BaseRecord {
  entityType: string;
  key: string;
  label: string;
  fieldType: CustomFieldType;
  options: string[];
  required: boolean;
  sortOrder: number;
  isArchived: boolean;
}

export interface Tag extends BaseRecord {
  name: string;
  color: string | null;
  isArchived: boolean;
}
