import { and, eq, ne, sql } from 'drizzle-orm';
import { ROLES } from '../../../shared/modules';
import { queryRows } from '../../db/client';
import { defineEntity } from '../../platform/entities/registry';
import { historyAudit, recordFieldChanges } from '../../platform/history/history';
import type { ServiceContext } from '../../platform/http/context';
import { type FieldError, forbidden, validationFailed } from '../../platform/http/problem';
import { userHistory } from './user-history.table';
import { toUserRecord, userCreate, userRecord, userUpdate } from './users.schemas';
import { EMPLOYMENT_STATUSES, type User, users } from './users.table';

/** The fields whose evolution is kept in `user_history`, for "who managed X on date Y". */
export const USER_HISTORY_FIELDS = [
  'department',
  'jobTitle',
  'managerId',
  'employmentStatus',
  'location',
] as const;
export const userHistoryAudit = historyAudit(userHistory, 'user_history');

type UserInput = Partial<
  Omit<User, 'id' | 'createdAt' | 'updatedAt' | 'createdBy' | 'updatedBy' | 'version'>
>;

function isAdmin(ctx: ServiceContext): boolean {
  return ctx.actor.kind === 'system' || (ctx.actor.kind === 'user' && ctx.actor.role === 'admin');
}

/** Would `managerId` as the manager of `userId` close a loop in the org chart? */
async function createsManagementCycle(
  ctx: ServiceContext,
  userId: string,
  managerId: string,
): Promise<boolean> {
  const [row] = await queryRows<{ found: boolean }>(
    ctx.db,
    sql`
    with recursive chain(id, depth) as (
      select ${managerId}::uuid, 0
      union all
      select u.manager_id, c.depth + 1 from users u join chain c on u.id = c.id
      where u.manager_id is not null and c.depth < 1000
    )
    select exists(select 1 from chain where id = ${userId}::uuid) as found`,
  );
  return row?.found === true;
}

/**
 * Serialises the checks that read other people's rows (manager loops, the last administrator):
 * without it, concurrent edits could each pass and together commit a loop or leave no admin.
 */
const ORGANISATION_LOCK = 0x0b5de0e;
async function lockOrganisation(ctx: ServiceContext): Promise<void> {
  await ctx.db.execute(sql`select pg_advisory_xact_lock(${ORGANISATION_LOCK})`);
}

/** Someone who can sign in, or holds a role: their account is an administrator's business. */
function hasAccount(user: User): boolean {
  return user.loginEnabled || user.role !== 'member';
}

function requireAdminFor(ctx: ServiceContext, user: User, what: string): void {
  if (hasAccount(user) && !isAdmin(ctx)) {
    throw forbidden(`Only administrators may ${what} someone who can sign in or holds a role.`);
  }
}

async function countOtherActiveAdmins(ctx: ServiceContext, userId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ count: sql<number>`count(*)::int` })
    .from(users)
    .where(
      and(
        eq(users.role, 'admin'),
        eq(users.isArchived, false),
        eq(users.loginEnabled, true),
        ne(users.id, userId),
      ),
    );
  return row?.count ?? 0;
}

async function validateUser(
  ctx: ServiceContext,
  input: UserInput,
  current: User | undefined,
): Promise<UserInput> {
  const errors: FieldError[] = [];
  const privileged = (['role', 'loginEnabled'] as const).filter(
    (field) =>
      input[field] !== undefined &&
      input[field] !== (current?.[field] ?? (field === 'role' ? 'member' : false)),
  );
  if (current && input.email !== undefined && input.email !== current.email) {
    requireAdminFor(ctx, current, 'change the e-mail address (the sign-in name) of');
  }
  if (
    input.managerId ||
    privileged.length > 0 ||
    (current?.role === 'admin' && input.loginEnabled === false)
  ) {
    await lockOrganisation(ctx);
  }
  if (privileged.length > 0 && !isAdmin(ctx)) {
    throw forbidden(`Only administrators may change ${privileged.join(' and ')}.`);
  }
  if (input.managerId) {
    if (current && input.managerId === current.id)
      errors.push({ path: 'managerId', message: 'a person cannot manage themselves' });
    else {
      const [manager] = await ctx.db
        .select({ id: users.id, isArchived: users.isArchived })
        .from(users)
        .where(eq(users.id, input.managerId));
      if (!manager) errors.push({ path: 'managerId', message: 'does not exist' });
      else if (manager.isArchived) errors.push({ path: 'managerId', message: 'is archived' });
      else if (current && (await createsManagementCycle(ctx, current.id, input.managerId))) {
        errors.push({ path: 'managerId', message: 'would create a loop in the org chart' });
      }
    }
  }
  const startDate = input.startDate !== undefined ? input.startDate : current?.startDate;
  const endDate = input.endDate !== undefined ? input.endDate : current?.endDate;
  if (startDate && endDate && endDate < startDate)
    errors.push({ path: 'endDate', message: 'must not be before the start date' });
  if (current && current.role === 'admin' && current.loginEnabled) {
    const demoted = (input.role !== undefined && input.role !== 'admin') || input.loginEnabled === false;
    if (demoted && (await countOtherActiveAdmins(ctx, current.id)) === 0) {
      errors.push({
        path: input.role !== undefined ? 'role' : 'loginEnabled',
        message: 'the last administrator must keep access',
      });
    }
  }
  if (errors.length > 0) throw validationFailed(errors);
  return input;
}

export const userEntity = defineEntity({
  table: users,
  entityType: 'user',
  path: 'users',
  labels: { singular: 'User', plural: 'Users' },
  module: 'hr_people',
  record: userRecord,
  create: userCreate,
  update: userUpdate,
  toRecord: toUserRecord,
  sqlRecord: {},
  label: (row) => row.name,
  list: {
    sortable: {
      name: users.name,
      email: users.email,
      department: users.department,
      jobTitle: users.jobTitle,
      employmentStatus: users.employmentStatus,
      startDate: users.startDate,
      createdAt: users.createdAt,
      updatedAt: users.updatedAt,
    },
    defaultSort: 'name',
    searchable: [users.name, users.email, users.username, users.department, users.jobTitle],
    searchColumn: users.searchText,
    filters: {
      department: { type: 'text', column: users.department },
      location: { type: 'text', column: users.location },
      employmentStatus: { type: 'enum', column: users.employmentStatus, values: EMPLOYMENT_STATUSES },
      role: { type: 'enum', column: users.role, values: ROLES },
      managerId: { type: 'uuid', column: users.managerId },
      loginEnabled: { type: 'boolean', column: users.loginEnabled },
      startDate: { type: 'date', column: users.startDate },
    },
  },
  search: { title: users.name, subtitle: users.email },
  features: {
    archivable: true,
    customFields: true,
    linkable: true,
    tagged: true,
    attachments: true,
    hardDelete: false,
  },
  uniqueConstraints: { users_email_unique: 'email', users_username_unique: 'username' },
  hooks: {
    beforeCreate: (ctx, input) => validateUser(ctx, input as UserInput, undefined),
    beforeUpdate: (ctx, current, input) => validateUser(ctx, input as UserInput, current),
    afterWrite: async (ctx, before, after) => {
      await recordFieldChanges(ctx, userHistoryAudit, after.id, before, after, USER_HISTORY_FIELDS);
    },
    beforeArchive: async (ctx, current) => {
      if (ctx.actor.kind === 'user' && ctx.actor.id === current.id)
        throw forbidden('You cannot archive yourself.');
      requireAdminFor(ctx, current, 'archive');
      await lockOrganisation(ctx);
      if (
        current.role === 'admin' &&
        current.loginEnabled &&
        (await countOtherActiveAdmins(ctx, current.id)) === 0
      ) {
        throw validationFailed([{ path: 'id', message: 'the last administrator cannot be archived' }]);
      }
    },
    beforeRestore: async (ctx, current) => requireAdminFor(ctx, current, 'restore'),
  },
});
