import { describe, expect, it } from 'vitest';
import { signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

describe('users over HTTP', () => {
  it('creates, reads, updates with a version, archives and restores a user', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const created = await client.post('/api/v1/users', {
      name: 'Ada Lovelace',
      email: 'Ada@Example.com',
      department: 'Engineering',
    });
    expect(created.statusCode).toBe(201);
    const ada = created.json();
    expect(ada).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      version: 1,
      isArchived: false,
    });
    expect(ada.abilities).toMatchObject({ update: true, archive: true });

    const updated = await client.patch(
      `/api/v1/users/${ada.id}`,
      { jobTitle: 'Analyst' },
      { 'if-match': '"1"' },
    );
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ jobTitle: 'Analyst', version: 2 });

    const archived = await client.post(`/api/v1/users/${ada.id}/archive`, { version: 2 });
    expect(archived.json()).toMatchObject({ isArchived: true, version: 3 });
    const activeList = await client.get('/api/v1/users?q=lovelace');
    expect(activeList.json().total).toBe(0);
    const archivedList = await client.get('/api/v1/users?q=lovelace&archived=true');
    expect(archivedList.json().data.map((u: { id: string }) => u.id)).toEqual([ada.id]);

    const restored = await client.post(`/api/v1/users/${ada.id}/restore`);
    expect(restored.json()).toMatchObject({ isArchived: false, version: 4 });
  });
});
