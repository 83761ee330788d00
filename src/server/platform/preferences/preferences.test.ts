import { describe, expect, it } from 'vitest';
import { auditEntries, bearerClient, createApiToken, signedIn } from '../../../../test/factories';
import { Client, sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();
const url = (listKey: string) => `/api/v1/me/preferences/list-columns/${listKey}`;

describe('list column preferences', () => {
  it('answers the default until arranged, then remembers the arrangement for that person only', async () => {
    const { client, user } = await signedIn(t);
    const empty = await client.get(url('user'));
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ listKey: 'user', order: [], hidden: [], updatedAt: null });

    const saved = await client.put(url('user'), { order: ['email', 'department'], hidden: ['jobTitle'] });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      listKey: 'user',
      order: ['email', 'department'],
      hidden: ['jobTitle'],
    });

    // From another "browser": a fresh session of the same person, and an API token.
    const elsewhere = new Client(t.app);
    await elsewhere.login(user.email, user.password);
    expect((await elsewhere.get(url('user'))).json()).toMatchObject({ hidden: ['jobTitle'] });
    const token = await createApiToken(client);
    expect((await bearerClient(t, token.token).get(url('user'))).json().order).toEqual([
      'email',
      'department',
    ]);

    // Each list keeps its own; another person sees the default.
    expect((await client.get(url('group'))).json().hidden).toEqual([]);
    const { client: other } = await signedIn(t);
    expect((await other.get(url('user'))).json().hidden).toEqual([]);

    const replaced = await client.put(url('user'), { order: [], hidden: ['cf.cost_center'] });
    expect(replaced.json()).toMatchObject({ order: [], hidden: ['cf.cost_center'] });

    expect((await client.delete(url('user'))).statusCode).toBe(204);
    expect((await client.get(url('user'))).json()).toMatchObject({ hidden: [], updatedAt: null });

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const audit = await auditEntries(admin, { entityType: 'user_preference', actorId: user.id });
    expect(audit.map((entry) => entry.action)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect(audit[0]!.entityLabel).toBe('list-columns:user');
  });

  it('refuses bad keys, repeated or malformed columns and oversized layouts with 400 naming the field', async () => {
    const { client } = await signedIn(t);
    const badKey = await client.put(url('Not A List'), { order: [], hidden: [] });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().errors[0].path).toBe('listKey');

    const repeated = await client.put(url('user'), { order: ['email', 'email'], hidden: [] });
    expect(repeated.statusCode).toBe(400);
    expect(repeated.json().errors[0].path).toBe('order');

    const malformed = await client.put(url('user'), { order: [], hidden: ['<script>'] });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors[0].path).toBe('hidden.0');

    const unknownField = await client.put(url('user'), { order: [], hidden: [], width: 3 });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().errors[0].path).toBe('width');

    const tooMany = await client.put(url('user'), {
      order: Array.from({ length: 101 }, (_, i) => `c${i}`),
      hidden: [],
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].path).toBe('order');

    // Within the count limits, but more than 16 KiB in all.
    const long = (prefix: string) => Array.from({ length: 100 }, (_, i) => `${prefix}${i}`.padEnd(100, 'x'));
    const tooLarge = await client.put(url('user'), { order: long('a'), hidden: long('b') });
    expect(tooLarge.statusCode).toBe(400);
    expect(tooLarge.json().detail).toContain('16384 bytes');

    expect((await client.get(url('user'))).json().updatedAt).toBeNull();
  });

  it('is for people signed in', async () => {
    const anonymous = new Client(t.app);
    expect((await anonymous.get(url('user'))).statusCode).toBe(401);
    expect((await anonymous.put(url('user'), { order: [], hidden: [] })).statusCode).toBe(401);
  });
});
