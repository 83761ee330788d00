import { eq, sql } from 'drizzle-orm';
import { systemContext } from '../bootstrap';
import { type Database, queryRows } from '../db/client';
import { groupEntity } from '../domains/people/groups.entity';
import { addGroupMember } from '../domains/people/groups.service';
import { orgChartSnapshotEntity } from '../domains/people/org-chart.entity';
import { userEntity } from '../domains/people/users.entity';
import type { EmploymentStatus } from '../domains/people/users.table';
import { users } from '../domains/people/users.table';
import { entityDefinitions } from '../entities';
import { insertRecord } from '../platform/audit/write';
import { credentialsAudit } from '../platform/auth/auth.audit';
import { hashPassword } from '../platform/auth/passwords';
import { makeCustomFieldEntity } from '../platform/custom-fields/custom-fields.entity';
import { customFieldDefinitions } from '../platform/custom-fields/custom-fields.table';
import { createEntity } from '../platform/entities/entity.service';
import { EntityRegistry } from '../platform/entities/registry';
import { inTransaction } from '../platform/http/context';
import { writeGrants } from '../platform/rbac/grants.service';
import { tagEntity } from '../platform/tags/tags.entity';
import { loadDemoCompliance } from './demo-compliance';
import { disposeDemoLaptop, loadDemoInventory } from './demo-inventory';
import { DEMO_GROUPS, DEMO_PEOPLE, DEMO_TAGS } from './demo-people';

export const DEMO_PASSWORD = 'demo-password-2026';
const MARKER_EMAIL = DEMO_PEOPLE[0]!.email;

/**
 * Loads a realistic mid-size company (a payments firm of ~40 people with an org chart, groups
 * with module grants, tags and custom fields, its hardware and software inventory, and its ISO 27001
 * and SOC 2 compliance work) through the ordinary write path, so every demo row
 * has its audit trail. Idempotent: does nothing if the demo CEO already exists.
 */
export async function loadDemoData(database: Database): Promise<string> {
  const [marker] = await database.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, MARKER_EMAIL));
  if (marker) return 'Demo data is already loaded.';
  const ctx = systemContext(database, 'demo-data');
  const customFieldEntity = makeCustomFieldEntity(['user']);
  const ids = new Map<string, string>();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let inventory: { assets: number; retiredAssetId: string } | undefined;
  await inTransaction(ctx, async (tx) => {
    const existingFields = await tx.db
      .select({ key: customFieldDefinitions.key })
      .from(customFieldDefinitions);
    const have = new Set(existingFields.map((f) => f.key));
    if (!have.has('cost_center')) {
      await insertRecord(tx, customFieldEntity, {
        entityType: 'user',
        key: 'cost_center',
        label: 'Cost centre',
        fieldType: 'select',
        options: [
          'CC-100 Executive',
          'CC-200 Engineering',
          'CC-300 Operations',
          'CC-400 Finance',
          'CC-500 Sales',
        ],
        sortOrder: 1,
      });
    }
    if (!have.has('laptop_policy_signed')) {
      await insertRecord(tx, customFieldEntity, {
        entityType: 'user',
        key: 'laptop_policy_signed',
        label: 'Laptop policy signed',
        fieldType: 'boolean',
        sortOrder: 2,
      });
    }
    const existingTags = await queryRows<{ name: string }>(tx.db, sql`select lower(name) as name from tags`);
    const tagNames = new Set(existingTags.map((r) => r.name));
    for (const tag of DEMO_TAGS) {
      if (!tagNames.has(tag.name.toLowerCase())) await insertRecord(tx, tagEntity, tag);
    }
    for (const person of DEMO_PEOPLE) {
      const created = await insertRecord(tx, userEntity, {
        name: person.name,
        email: person.email,
        department: person.department,
        jobTitle: person.jobTitle,
        location: person.location,
        employmentStatus: (person.status ?? 'active') as EmploymentStatus,
        startDate: person.startDate,
        managerId: person.manager ? (ids.get(person.manager) ?? null) : null,
        role: person.role ?? 'member',
        loginEnabled: person.login === true,
        customFields: {
          cost_center: person.costCenter,
          laptop_policy_signed: person.status !== 'contractor',
        },
      });
      ids.set(person.email, created.id);
    }
    for (const group of DEMO_GROUPS) {
      const created = await insertRecord(tx, groupEntity, {
        name: group.name,
        description: group.description,
      });
      await writeGrants(tx, { type: 'group', id: created.id }, group.grants);
      for (const email of group.members) await addGroupMember(tx, created.id, ids.get(email)!);
    }
    inventory = await loadDemoInventory(
      tx,
      DEMO_PEOPLE.filter((p) => p.status !== 'on_leave').map((p) => ({
        id: ids.get(p.email)!,
        location: p.location,
      })),
    );
    // In the same transaction as the people: a failed load leaves no login without a password.
    for (const person of DEMO_PEOPLE.filter((p) => p.login)) {
      await insertRecord(tx, credentialsAudit, {
        userId: ids.get(person.email)!,
        passwordHash,
        passwordChangedAt: new Date(),
      });
    }
  });
  if (inventory) await disposeDemoLaptop(ctx, inventory.retiredAssetId);
  const it = DEMO_PEOPLE.find((p) => p.department === 'IT' && p.jobTitle === 'IT Manager') ?? DEMO_PEOPLE[0]!;
  const security = DEMO_PEOPLE.find((p) => /security/i.test(p.jobTitle)) ?? it;
  await inTransaction({ ...ctx, registry: new EntityRegistry(entityDefinitions) }, (tx) =>
    loadDemoCompliance(tx, { it: ids.get(it.email)!, security: ids.get(security.email)! }),
  );
  await createEntity(ctx, orgChartSnapshotEntity, {
    name: 'Org chart at demo load',
    notes: 'Taken when the demo data was loaded.',
  });
  const logins = DEMO_PEOPLE.filter((p) => p.login).map((p) => `${p.email} (${p.role ?? 'member'})`);
  return `Demo data loaded: ${DEMO_PEOPLE.length} people, ${DEMO_GROUPS.length} groups, ${inventory?.assets ?? 0} assets. Sign in as ${logins.join(', ')} with the password ${DEMO_PASSWORD}.`;
}
