import { Badge, Button } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { canWrite, useSession } from '../../api/session';
import { PlusIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { type ColumnDefinition, type FilterDefinition, ResourceList } from '../../components/resource-list';
import {
  EMPLOYMENT_STATUS_COLORS,
  EMPLOYMENT_STATUS_LABELS,
  EMPLOYMENT_STATUSES,
  ROLE_LABELS,
  type User,
  userResource,
} from './people.resources';

const columns: ColumnDefinition<User>[] = [
  { key: 'email', header: 'Email', sortField: 'email', render: (user) => user.email },
  {
    key: 'department',
    header: 'Department',
    sortField: 'department',
    visibleFrom: 'sm',
    render: (user) => user.department ?? '—',
  },
  {
    key: 'jobTitle',
    header: 'Job title',
    sortField: 'jobTitle',
    visibleFrom: 'md',
    render: (user) => user.jobTitle ?? '—',
  },
  {
    key: 'employmentStatus',
    header: 'Status',
    sortField: 'employmentStatus',
    render: (user) => (
      <Badge variant="light" color={EMPLOYMENT_STATUS_COLORS[user.employmentStatus]}>
        {EMPLOYMENT_STATUS_LABELS[user.employmentStatus]}
      </Badge>
    ),
  },
];

const filters: FilterDefinition[] = [
  { key: 'department', label: 'Department', type: 'text' },
  {
    key: 'employmentStatus',
    label: 'Status',
    type: 'multi',
    options: EMPLOYMENT_STATUSES.map((status) => ({
      value: status,
      label: EMPLOYMENT_STATUS_LABELS[status],
    })),
  },
  {
    key: 'role',
    label: 'Role',
    type: 'select',
    options: Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label })),
  },
];

export function UsersListPage() {
  const session = useSession();
  const search = useSearch({ from: '/app/people/users' });
  const navigate = useNavigate({ from: '/people/users' });
  const writable = canWrite(session, 'hr_people');
  const newUser = writable ? (
    <Button onClick={() => navigate({ to: '/people/users/new' })} leftSection={<PlusIcon size={16} />}>
      New user
    </Button>
  ) : undefined;
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone in the organisation: employees, contractors and accounts that sign in."
        actions={newUser}
      />
      <ResourceList<User>
        definition={userResource}
        titleColumn={{
          key: 'name',
          header: 'Name',
          sortField: 'name',
          render: (user) => user.name,
          href: (user) => `/people/users/${user.id}`,
        }}
        columns={columns}
        filters={filters}
        search={search}
        onSearchChange={(next, options) => navigate({ search: next, replace: options?.replace })}
        defaultSort="name"
        createAction={newUser}
      />
    </>
  );
}
