import { describe, expect, it } from 'vitest';
import { signedIn } from '../../../../test/factories';
import { Client, sharedTestContext } from '../../../../test/harness';
import { humanize } from './meta.service';

const t = sharedTestContext();

interface Field {
  name: string;
  label: string;
  kind: string;
  required: boolean;
  nullable: boolean;
  creatable: boolean;
  updatable: boolean;
  maxLength?: number;
  values?: string[];
}

describe('entity metadata', () => {
  it('describes the fields of a record type from the schemas the server validates with', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const response = await client.get('/api/v1/meta/entities/user');
    expect(response.statusCode).toBe(200);
    const meta = response.json();
    expect(meta).toMatchObject({
      type: 'user',
      path: 'users',
      module: 'hr_people',
      labels: { singular: 'User', plural: 'Users' },
      features: { archivable: true, customFields: true },
      list: { defaultSort: 'name' },
      abilities: { create: true, update: true, hardDelete: false },
    });
    const field = (name: string) => (meta.fields as Field[]).find((f) => f.name === name);
    expect(field('name')).toMatchObject({ label: 'Name', kind: 'text', required: true, maxLength: 200 });
    expect(field('email')).toMatchObject({ kind: 'email', required: true, creatable: true });
    expect(field('jobTitle')).toMatchObject({ label: 'Job title', required: false, nullable: true });
    expect(field('employmentStatus')?.values).toEqual(['active', 'on_leave', 'contractor', 'terminated']);
    expect(field('startDate')?.kind).toBe('date');
    expect(field('id')).toMatchObject({ creatable: false, updatable: false });
    expect(meta.list.filters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'employmentStatus', type: 'enum' })]),
    );
  });

  it('lists only the types the caller may read, with what they may do', async () => {
    const { client: reader } = await signedIn(t, { grants: { hr_people: 'read' } });
    const types = (await reader.get('/api/v1/meta/entities')).json().data as Array<{
      type: string;
      abilities: { create: boolean };
    }>;
    expect(types.find((m) => m.type === 'user')?.abilities.create).toBe(false);
    // Groups belong to administration, which this reader cannot read; tags are open to all.
    expect(types.map((m) => m.type)).not.toContain('group');
    expect(types.map((m) => m.type)).toContain('tag');
    expect((await reader.get('/api/v1/meta/entities/group')).statusCode).toBe(404);
    expect((await reader.get('/api/v1/meta/entities/nonsense')).statusCode).toBe(404);

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const all = (await admin.get('/api/v1/meta/entities')).json().data as Array<{ type: string }>;
    expect(all.map((m) => m.type)).toEqual(expect.arrayContaining(['user', 'group', 'tag']));

    expect((await new Client(t.app).get('/api/v1/meta/entities')).statusCode).toBe(401);
  });

  it('humanizes field names', () => {
    expect(humanize('jobTitle')).toBe('Job title');
    expect(humanize('riskAppetiteHighFrom')).toBe('Risk appetite high from');
    expect(humanize('entity_type')).toBe('Entity type');
  });
});
