import { randomUUID } from 'node:crypto';
import { userEntity } from '../src/server/domains/people/users.entity';
import type { User } from '../src/server/domains/people/users.table';
import { insertRecord } from '../src/server/platform/audit/write';
import { setPassword } from '../src/server/platform/auth/account.service';
import { inTransaction } from '../src/server/platform/http/context';
import { writeGrants } from '../src/server/platform/rbac/grants.service';
import type { AccessLevel, ModuleKey, Role } from '../src/shared/modules';
import { Client, type TestContext } from './harness';

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
