import { randomUUID } from 'node:crypto';
import { groupEntity } from '../src/server/domains/people/groups.entity';
import { addGroupMember } from '../src/server/domains/people/groups.service';
import type { Group } from '../src/server/domains/people/groups.table';
import { userEntity } from '../src/server/domains/people/users.entity';
import type { User } from '../src/server/domains/people/users.table';
import { entityDefinitions } from '../src/server/entities';
import { insertRecord } from '../src/server/platform/audit/write';
import { setPassword } from '../src/server/platform/auth/account.service';
import type { CustomFieldDefinition } from '../src/server/platform/custom-fields/custom-fields.table';
import { inTransaction } from '../src/server/platform/http/context';
import { writeGrants } from '../src/server/platform/rbac/grants.service';
import { tagEntity } from '../src/server/platform/tags/tags.entity';
import type { AccessLevel, ModuleKey, Role } from '../src/shared/modules';
import { Client, type TestContext } from './harness';

const customFieldEntity = entityDefinitions.find((d) => d.entityType === 'custom_field')!;

export const DEFAULT_PASSWORD = 'correct horse battery staple';

export interface BuildUserOptions extends Partial<Omit<User, 'id'>> {
  /** Sets a password and enables login. */
  password?: string;
  grants?: Partial<Record<ModuleKey, AccessLevel>>;
}

/** A person in the directory, with whatever login, role and grants the test needs. */
export async function buildUser(
  t: TestContext,
  options: BuildUserOptions = {},
): Promise<User & { password: string }> {
  const { password = DEFAULT_PASSWORD, grants, ...overrides } = options;
  const unique = randomUUID().slice(0, 8);
  const user = await inTransaction(t.system, async (tx) => {
    const created = await insertRecord(tx, userEntity, {
      name: `Test Person ${unique}`,
      email: `person-${unique}@example.test`,
      loginEnabled: true,
      ...overrides,
    });
    if (grants) await writeGrants(tx, { type: 'user', id: created.id }, grants);
    return created;
  });
  if (user.loginEnabled) await setPassword(t.system, user.id, password);
  return { ...user, password };
}

/** A signed-in client for a new user with `role` and `grants`. */
export async function signedIn(
  t: TestContext,
  options: { role?: Role; grants?: Partial<Record<ModuleKey, AccessLevel>> } & BuildUserOptions = {},
): Promise<{ client: Client; user: User & { password: string } }> {
  const user = await buildUser(t, options);
  const client = new Client(t.app);
  const response = await client.login(user.email, user.password);
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  return { client, user };
}

/** A group with optional members and module grants. */
export async function buildGroup(
  t: TestContext,
  options: {
    name?: string;
    description?: string;
    members?: string[];
    grants?: Partial<Record<ModuleKey, AccessLevel>>;
  } = {},
): Promise<Group> {
  const { members = [], grants, ...overrides } = options;
  return inTransaction(t.system, async (tx) => {
    const group = await insertRecord(tx, groupEntity, {
      name: `Test Group ${randomUUID().slice(0, 8)}`,
      ...overrides,
    });
    for (const userId of members) await addGroupMember(tx, group.id, userId);
    if (grants) await writeGrants(tx, { type: 'group', id: group.id }, grants);
    return group;
  });
}

/** A tag in the global vocabulary. */
export async function buildTag(t: TestContext, options: { name?: string; color?: string } = {}) {
  return inTransaction(t.system, (tx) =>
    insertRecord(tx, tagEntity, { name: `tag-${randomUUID().slice(0, 8)}`, ...options }),
  );
}

/** A custom field definition (default: an optional text field on users with a unique key). */
export async function buildCustomField(
  t: TestContext,
  options: Partial<Omit<CustomFieldDefinition, 'id'>> = {},
): Promise<CustomFieldDefinition> {
  const key = options.key ?? `f_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  return (await inTransaction(t.system, (tx) =>
    insertRecord(tx, customFieldEntity, {
      entityType: 'user',
      key,
      label: `Field ${key}`,
      fieldType: 'text',
      ...options,
    }),
  )) as CustomFieldDefinition;
}

/** An API token for a signed-in client's user, created over HTTP; returns the secret shown once. */
export async function createApiToken(
  client: Client,
  body: { name?: string; expiresInDays?: number } = {},
): Promise<{ id: string; token: string }> {
  const response = await client.post('/api/v1/me/api-tokens', { name: 'test token', ...body });
  if (response.statusCode !== 201) throw new Error(`token creation failed: ${response.body}`);
  return response.json();
}

/** A client that authenticates with `token` only (no cookie, no CSRF token). */
export function bearerClient(t: TestContext, token: string): Client {
  const client = new Client(t.app);
  client.bearer = token;
  return client;
}

export interface AuditEntry {
  id: string;
  occurredAt: string;
  actorId: string | null;
  actorLabel: string | null;
  authMethod: 'session' | 'api_token' | 'system' | 'anonymous';
  action: 'INSERT' | 'UPDATE' | 'DELETE' | 'ARCHIVE' | 'RESTORE';
  entityType: string;
  entityId: string;
  entityLabel: string | null;
  changes: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** Audit entries matching `query` (read over HTTP by `reader`), oldest first. */
export async function auditEntries(reader: Client, query: Record<string, string>): Promise<AuditEntry[]> {
  const response = await reader.get(
    `/api/v1/audit-log?${new URLSearchParams({ pageSize: '200', ...query })}`,
  );
  if (response.statusCode !== 200) throw new Error(`audit log read failed: ${response.body}`);
  return (response.json().data as AuditEntry[]).reverse();
}
