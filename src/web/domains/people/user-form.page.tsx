import { Checkbox, Fieldset, Select, SimpleGrid, Skeleton, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useSchemaRules } from '../../api/entity-meta';
import { resourceKeys, useCreateRecord, useResourceRecord, useUpdateRecord } from '../../api/resources';
import { canWrite, isAdmin, useSession } from '../../api/session';
import type { CustomFieldDefinition, RecordDetail } from '../../api/types';
import {
  CustomFieldInputs,
  customFieldRules,
  customFieldValues,
  useCustomFieldDefinitions,
} from '../../components/custom-fields';
import { ErrorState, ForbiddenPage } from '../../components/error-pages';
import { notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { RecordForm } from '../../components/record-form';
import { RecordPicker } from '../../components/record-picker';
import { type FieldRule, useRecordForm } from '../../components/use-record-form';
import {
  EMPLOYMENT_STATUS_LABELS,
  EMPLOYMENT_STATUSES,
  ROLE_LABELS,
  type User,
  userResource,
} from './people.resources';

interface UserFormValues extends Record<string, unknown> {
  name: string;
  email: string;
  username: string;
  department: string;
  jobTitle: string;
  managerId: string | null;
  location: string;
  employmentStatus: string;
  startDate: string;
  endDate: string;
  role: string;
  loginEnabled: boolean;
  hideFromOrgChart: boolean;
  customFields: Record<string, unknown>;
}

/**
 * The page's names for the fields, and what it always fills in (status, role); the limits come
 * from the server's contract (useSchemaRules), so they cannot drift from what the server checks.
 */
const USER_RULES: Record<string, FieldRule> = {
  name: { label: 'Name', required: true },
  email: { label: 'Email', required: true },
  username: { label: 'Login ID' },
  department: { label: 'Department' },
  jobTitle: { label: 'Job title' },
  location: { label: 'Location' },
  managerId: { label: 'Manager' },
  employmentStatus: { label: 'Employment status', required: true },
  startDate: { label: 'Start date' },
  endDate: { label: 'End date' },
  role: { label: 'Role', required: true },
};

function toFormValues(user: User | undefined, definitions: CustomFieldDefinition[]): UserFormValues {
  return {
    name: user?.name ?? '',
    email: user?.email ?? '',
    username: user?.username ?? '',
    department: user?.department ?? '',
    jobTitle: user?.jobTitle ?? '',
    managerId: user?.managerId ?? null,
    location: user?.location ?? '',
    employmentStatus: user?.employmentStatus ?? 'active',
    startDate: user?.startDate ?? '',
    endDate: user?.endDate ?? '',
    role: user?.role ?? 'member',
    loginEnabled: user?.loginEnabled ?? false,
    hideFromOrgChart: user?.hideFromOrgChart ?? false,
    customFields: customFieldValues(definitions, user?.customFields),
  };
}

/** Empty text means "no value" to the API. */
function toPayload(values: Record<string, unknown>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === 'customFields' && value && typeof value === 'object') {
      payload.customFields = Object.fromEntries(
        Object.entries(value).map(([field, inner]) => [field, inner === '' ? null : inner]),
      );
    } else payload[key] = value === '' ? null : value;
  }
  return payload;
}

export function UserCreatePage() {
  const session = useSession();
  const definitions = useCustomFieldDefinitions('user');
  if (!canWrite(session, userResource.module))
    return <ForbiddenPage detail="You can view people but not add them." />;
  if (definitions.isError)
    return <ErrorState error={definitions.error} onRetry={() => definitions.refetch()} />;
  if (!definitions.data) return <Skeleton height={400} />;
  return <UserForm definitions={definitions.data} />;
}

export function UserEditPage() {
  const { userId } = useParams({ from: '/app/people/users/$userId/edit' });
  const definitions = useCustomFieldDefinitions('user');
  const record = useResourceRecord<User>(userResource, userId);
  const error = record.error ?? definitions.error;
  if (error) return <ErrorState error={error} what="user" onRetry={() => record.refetch()} />;
  if (!definitions.data || !record.data) return <Skeleton height={400} />;
  if (!record.data.abilities.update)
    return <ForbiddenPage detail="You can view this user but not change it." />;
  return <UserForm key={record.data.id} user={record.data} definitions={definitions.data} />;
}

function UserForm({
  user,
  definitions,
}: {
  user?: RecordDetail<User>;
  definitions: CustomFieldDefinition[];
}) {
  const session = useSession();
  const navigate = useNavigate();
  const admin = isAdmin(session);
  const schemaRules = useSchemaRules('user', user ? 'edit' : 'create', USER_RULES);
  const rules = useMemo(
    () => ({ ...schemaRules, ...customFieldRules(definitions) }),
    [schemaRules, definitions],
  );
  const form = useRecordForm<UserFormValues>({
    initialValues: toFormValues(user, definitions),
    rules,
    version: user?.version,
    fromRecord: (record) => toFormValues(record as User, definitions),
  });
  const create = useCreateRecord<User>(userResource);
  const update = useUpdateRecord<User>(userResource, user?.id ?? '');

  const queryClient = useQueryClient();
  const title = user ? `Edit ${user.name}` : 'New user';
  // Conflict panel: show a manager by name (from the cache the picker filled), enums by label.
  const describeValue = (path: string, value: unknown): string | undefined => {
    if (path === 'managerId' && typeof value === 'string') {
      return (
        queryClient.getQueryData<User>(resourceKeys.detail(userResource, value))?.name ??
        queryClient
          .getQueriesData<{ data: User[] }>({ queryKey: [userResource.path, 'list'] })
          .flatMap(([, page]) => page?.data ?? [])
          .find((candidate) => candidate.id === value)?.name ??
        'another person'
      );
    }
    if (path === 'employmentStatus')
      return EMPLOYMENT_STATUS_LABELS[value as keyof typeof EMPLOYMENT_STATUS_LABELS];
    if (path === 'role') return ROLE_LABELS[value as keyof typeof ROLE_LABELS];
    return undefined;
  };
  const leave = (id?: string) =>
    id
      ? navigate({ to: '/people/users/$userId', params: { userId: id } })
      : navigate({ to: '/people/users' });

  return (
    <>
      <PageHeader
        title={title}
        crumbs={[
          { label: 'Users', to: '/people/users' },
          ...(user ? [{ label: user.name, to: `/people/users/${user.id}` }] : []),
          { label: user ? 'Edit' : 'New' },
        ]}
      />
      <RecordForm
        form={form}
        describeValue={describeValue}
        onSubmit={({ values, changes, version }) =>
          user
            ? update.mutateAsync({ changes: toPayload(changes), version: version ?? user.version })
            : create.mutateAsync(toPayload(values))
        }
        onSaved={(saved) => {
          notifySuccess(user ? 'Changes saved.' : `${saved.name} was created.`);
          void leave(saved.id);
        }}
        onCancel={() => void leave(user?.id)}
      >
        <Stack gap="lg" maw={880}>
          <Fieldset legend="Person">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Name" autoComplete="off" {...form.text('name')} data-autofocus />
              <TextInput label="Email" type="email" autoComplete="off" {...form.text('email')} />
              <TextInput
                label="Login ID"
                description="Optional short handle, e.g. from the directory."
                autoComplete="off"
                {...form.text('username')}
              />
              <TextInput label="Location" {...form.text('location')} />
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend="Organisation">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Department" {...form.text('department')} />
              <TextInput label="Job title" {...form.text('jobTitle')} />
              <RecordPicker<User>
                definition={userResource}
                label="Manager"
                placeholder="Search people"
                value={form.values.managerId}
                onChange={(id) => form.setValue('managerId', id)}
                optionLabel={(candidate) => `${candidate.name} (${candidate.email})`}
                exclude={user ? [user.id] : []}
                error={form.errorFor('managerId')}
              />
              <Select
                label="Employment status"
                data={EMPLOYMENT_STATUSES.map((status) => ({
                  value: status,
                  label: EMPLOYMENT_STATUS_LABELS[status],
                }))}
                allowDeselect={false}
                {...form.select('employmentStatus')}
              />
              <TextInput label="Start date" type="date" {...form.text('startDate')} />
              <TextInput label="End date" type="date" {...form.text('endDate')} />
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend="Access">
            <Stack gap="sm">
              <Select
                label="Role"
                description={
                  admin
                    ? 'Administrators hold every permission; auditors read everything; members get what grants give.'
                    : 'Only administrators can change roles.'
                }
                data={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
                allowDeselect={false}
                disabled={!admin}
                maw={360}
                {...form.select('role')}
              />
              <Checkbox
                label="Can sign in"
                description={admin ? undefined : 'Only administrators can change this.'}
                disabled={!admin}
                {...form.checkbox('loginEnabled')}
              />
              <Checkbox label="Hide from org chart" {...form.checkbox('hideFromOrgChart')} />
            </Stack>
          </Fieldset>
          {definitions.length > 0 && (
            <Fieldset legend="Custom fields">
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <CustomFieldInputs definitions={definitions} form={form} />
              </SimpleGrid>
            </Fieldset>
          )}
        </Stack>
      </RecordForm>
    </>
  );
}
