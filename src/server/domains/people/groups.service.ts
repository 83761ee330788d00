import { and, asc, eq } from 'drizzle-orm';
import { type AuditedTable, deleteRecord, insertRecord } from '../../platform/audit/write';
import type { ServiceContext } from '../../platform/http/context';
import { conflict, notFound, validationFailed } from '../../platform/http/problem';
import { grantAudit } from '../../platform/rbac/grants.service';
import { accessGrants } from '../../platform/rbac/grants.table';
import { groupMembers, groups } from './groups.table';
import { users } from './users.table';

export const groupMemberAudit: AuditedTable<typeof groupMembers> = {
  table: groupMembers,
  entityType: 'group_member',
  label: (row) => `${row.userId} in ${row.groupId}`,
};

export async function listGroupMembers(ctx: ServiceContext, groupId: string) {
  return ctx.db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      jobTitle: users.jobTitle,
      isArchived: users.isArchived,
    })
    .from(groupMembers)
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(eq(groupMembers.groupId, groupId))
    .orderBy(asc(users.name));
}

export async function listGroupsOfUser(ctx: ServiceContext, userId: string) {
  return ctx.db
    .select({ id: groups.id, name: groups.name })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.userId, userId))
    .orderBy(asc(groups.name));
}

export async function addGroupMember(ctx: ServiceContext, groupId: string, userId: string): Promise<void> {
  const [group] = await ctx.db
    .select({ id: groups.id, isArchived: groups.isArchived })
    .from(groups)
    .where(eq(groups.id, groupId));
  if (!group) throw notFound('Group');
  if (group.isArchived) throw conflict('This group is archived; restore it before adding members.');
  const [user] = await ctx.db
    .select({ id: users.id, isArchived: users.isArchived })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw validationFailed([{ path: 'userId', message: 'does not exist' }]);
  if (user.isArchived) throw validationFailed([{ path: 'userId', message: 'is archived' }]);
  const [existing] = await ctx.db
    .select({ id: groupMembers.id })
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)));
  if (existing) return;
  await insertRecord(ctx, groupMemberAudit, { groupId, userId });
}

export async function removeGroupMember(ctx: ServiceContext, groupId: string, userId: string): Promise<void> {
  const [existing] = await ctx.db
    .select({ id: groupMembers.id })
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)));
  if (!existing) throw notFound('Membership');
  await deleteRecord(ctx, groupMemberAudit, existing.id);
}

/** Before a group is deleted for good: its memberships and grants go too, each audited. */
export async function removeGroupDependents(ctx: ServiceContext, groupId: string): Promise<void> {
  const members = await ctx.db
    .select({ id: groupMembers.id })
    .from(groupMembers)
    .where(eq(groupMembers.groupId, groupId));
  for (const member of members) await deleteRecord(ctx, groupMemberAudit, member.id);
  const grants = await ctx.db
    .select({ id: accessGrants.id })
    .from(accessGrants)
    .where(and(eq(accessGrants.principalType, 'group'), eq(accessGrants.principalId, groupId)));
  for (const grant of grants) await deleteRecord(ctx, grantAudit, grant.id);
}
