import { Button, Text } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { canWrite, useSession } from '../../api/session';
import { PlusIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { type ColumnDefinition, ResourceList } from '../../components/resource-list';
import { type Group, groupResource } from './people.resources';

const columns: ColumnDefinition<Group>[] = [
  {
    key: 'description',
    header: 'Description',
    render: (group) => (
      <Text size="sm" lineClamp={2}>
        {group.description ?? '—'}
      </Text>
    ),
  },
  { key: 'members', header: 'Members', render: (group) => group.memberCount ?? '—' },
];

export function GroupsListPage() {
  const session = useSession();
  const search = useSearch({ from: '/app/admin/groups' });
  const navigate = useNavigate({ from: '/admin/groups' });
  const newGroup = canWrite(session, 'administration') ? (
    <Button onClick={() => navigate({ to: '/admin/groups/new' })} leftSection={<PlusIcon size={16} />}>
      New group
    </Button>
  ) : undefined;
  return (
    <>
      <PageHeader
        title="Groups"
        description="Groups collect people and carry module permissions for all their members."
        actions={newGroup}
      />
      <ResourceList<Group>
        definition={groupResource}
        titleColumn={{
          key: 'name',
          header: 'Name',
          sortField: 'name',
          render: (group) => group.name,
          href: (group) => `/admin/groups/${group.id}`,
        }}
        columns={columns}
        search={search}
        onSearchChange={(next, options) => navigate({ search: next, replace: options?.replace })}
        defaultSort="name"
        createAction={newGroup}
      />
    </>
  );
}
