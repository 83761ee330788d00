import { z } from 'zod';
import { ROLES } from '../../../shared/modules';
import { customFieldsInput, isoDate, optionalText, shortText } from '../../platform/http/schemas';
import { EMPLOYMENT_STATUSES, type User } from './users.table';

export const userRecord = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string(),
    username: z.string().nullable(),
    department: z.string().nullable(),
    jobTitle: z.string().nullable(),
    managerId: z.uuid().nullable(),
    location: z.string().nullable(),
    employmentStatus: z.enum(EMPLOYMENT_STATUSES),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    role: z.enum(ROLES),
    loginEnabled: z.boolean(),
    hideFromOrgChart: z.boolean(),
    customFields: z.record(z.string(), z.unknown()),
    isArchived: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'User' });

export type UserRecord = z.infer<typeof userRecord>;

export function toUserRecord(row: User): z.input<typeof userRecord> {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    username: row.username,
    department: row.department,
    jobTitle: row.jobTitle,
    managerId: row.managerId,
    location: row.location,
    employmentStatus: row.employmentStatus,
    startDate: row.startDate,
    endDate: row.endDate,
    role: row.role,
    loginEnabled: row.loginEnabled,
    hideFromOrgChart: row.hideFromOrgChart,
    customFields: row.customFields,
    isArchived: row.isArchived,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const userFields = {
  name: shortText(200),
  email: z
    .email('must be an e-mail address')
    .max(254)
    .transform((v) => v.trim().toLowerCase()),
  username: optionalText(100),
  department: optionalText(100),
  jobTitle: optionalText(150),
  managerId: z.uuid().nullable().optional(),
  location: optionalText(150),
  employmentStatus: z.enum(EMPLOYMENT_STATUSES).optional(),
  startDate: isoDate.nullable().optional(),
  endDate: isoDate.nullable().optional(),
  role: z.enum(ROLES).optional(),
  loginEnabled: z.boolean().optional(),
  hideFromOrgChart: z.boolean().optional(),
  customFields: customFieldsInput.optional(),
};

export const userCreate = z.strictObject(userFields).meta({ id: 'UserCreate' });
export const userUpdate = z
  .strictObject({ ...userFields, name: userFields.name.optional(), email: userFields.email.optional() })
  .meta({ id: 'UserUpdate' });
