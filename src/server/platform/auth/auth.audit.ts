import type { AuditedTable } from '../audit/write';
import { apiTokens, sessions, userCredentials, userKnownIps } from './auth.table';

/** Audit descriptors of the auth tables: every secret column is redacted in diffs. */
export const credentialsAudit: AuditedTable<typeof userCredentials> = {
  table: userCredentials,
  entityType: 'user_credentials',
  label: () => 'credentials',
  secretFields: ['passwordHash', 'totpSecretEncrypted', 'recoveryCodeHashes'],
  present: () => ({}),
};

export const sessionAudit: AuditedTable<typeof sessions> = {
  table: sessions,
  entityType: 'session',
  label: (row) => `session from ${row.ip ?? 'unknown address'}`,
  secretFields: ['tokenHash'],
};

export const apiTokenAudit: AuditedTable<typeof apiTokens> = {
  table: apiTokens,
  entityType: 'api_token',
  label: (row) => row.name,
  secretFields: ['tokenHash'],
};

export const knownIpAudit: AuditedTable<typeof userKnownIps> = {
  table: userKnownIps,
  entityType: 'user_known_ip',
  label: (row) => row.ip,
};
