import {
  Anchor,
  Badge,
  Button,
  DataList,
  Grid,
  Paper,
  Skeleton,
  Stack,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useResourceRecord } from '../../api/resources';
import { canRead, isAdmin, useSession } from '../../api/session';
import type { RecordDetail } from '../../api/types';
import { AttachmentsPanel } from '../../components/attachments-panel';
import { CustomFieldValues, useCustomFieldDefinitions } from '../../components/custom-fields';
import { ErrorState } from '../../components/error-pages';
import { formatDate } from '../../components/format';
import { HistoryTab } from '../../components/history-tab';
import { LinksPanel } from '../../components/links-panel';
import { PageHeader } from '../../components/page-header';
import { RecordLifecycleActions } from '../../components/record-actions';
import { TagsEditor } from '../../components/tags-editor';
import { Holdings } from '../assets/holdings';
import { ComplianceTabFor } from '../compliance/compliance-panel';
import { useUserGroups } from './people.api';
import {
  EMPLOYMENT_STATUS_COLORS,
  EMPLOYMENT_STATUS_LABELS,
  PEOPLE_LINK_TARGETS,
  ROLE_LABELS,
  USER_VOCABULARY,
  type User,
  userResource,
} from './people.resources';
import { UserAdminPanel } from './user-admin-panel';

export function UserDetailPage() {
  const { userId } = useParams({ from: '/app/people/users/$userId' });
  const { tab = 'overview' } = useSearch({ from: '/app/people/users/$userId' });
  const navigate = useNavigate({ from: '/people/users/$userId' });
  const session = useSession();
  const query = useResourceRecord<User>(userResource, userId);

  if (query.isError) return <ErrorState error={query.error} what="user" onRetry={() => query.refetch()} />;
  if (!query.data) return <Skeleton height={320} />;
  const user = query.data;
  const admin = isAdmin(session);

  return (
    <>
      <PageHeader
        title={user.name}
        crumbs={[{ label: 'Users', to: '/people/users' }, { label: user.name }]}
        badge={
          user.isArchived ? (
            <Badge color="gray" variant="outline">
              Archived
            </Badge>
          ) : (
            <Badge variant="light" color={EMPLOYMENT_STATUS_COLORS[user.employmentStatus]}>
              {EMPLOYMENT_STATUS_LABELS[user.employmentStatus]}
            </Badge>
          )
        }
        actions={
          <>
            {user.abilities.update && (
              <Button onClick={() => navigate({ to: '/people/users/$userId/edit', params: { userId } })}>
                Edit
              </Button>
            )}
            <RecordLifecycleActions
              definition={userResource}
              record={user}
              name={user.name}
              onChanged={() => query.refetch()}
            />
          </>
        }
      />
      <Tabs
        value={tab}
        onChange={(next) =>
          navigate({ search: next === 'overview' ? {} : { tab: next ?? undefined }, replace: true })
        }
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          {canRead(session, 'core_inventory') && <Tabs.Tab value="holdings">Holdings</Tabs.Tab>}
          <Tabs.Tab value="links">Links</Tabs.Tab>
          <Tabs.Tab value="attachments">Attachments</Tabs.Tab>
          <Tabs.Tab value="history">History</Tabs.Tab>
          {canRead(session, 'compliance') && <Tabs.Tab value="compliance">Compliance</Tabs.Tab>}
          {admin && <Tabs.Tab value="account">Account & permissions</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <UserOverview user={user} canSeeGroups={canRead(session, 'administration')} />
        </Tabs.Panel>
        {canRead(session, 'core_inventory') && (
          <Tabs.Panel value="holdings">
            <Holdings userId={userId} name={user.name} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="links">
          <LinksPanel
            definition={userResource}
            id={userId}
            targets={PEOPLE_LINK_TARGETS}
            canEdit={user.abilities.update}
          />
        </Tabs.Panel>
        <Tabs.Panel value="attachments">
          <AttachmentsPanel definition={userResource} id={userId} canEdit={user.abilities.update} />
        </Tabs.Panel>
        <Tabs.Panel value="history">
          <HistoryTab definition={userResource} id={userId} vocabulary={USER_VOCABULARY} />
        </Tabs.Panel>
        {canRead(session, 'compliance') && (
          <Tabs.Panel value="compliance">
            <ComplianceTabFor type="user" record={user as never} refresh={() => void query.refetch()} />
          </Tabs.Panel>
        )}
        {admin && (
          <Tabs.Panel value="account">
            <UserAdminPanel user={user} />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}

function ManagerName({ managerId }: { managerId: string }) {
  const manager = useResourceRecord<User>(userResource, managerId);
  return (
    <Anchor component={Link} to={`/people/users/${managerId}`}>
      {manager.data?.name ?? 'View manager'}
    </Anchor>
  );
}

function UserOverview({ user, canSeeGroups }: { user: RecordDetail<User>; canSeeGroups: boolean }) {
  const definitions = useCustomFieldDefinitions('user');
  const groups = useUserGroups(user.id);
  const field = (label: string, value: ReactNode) => (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{value ?? '—'}</DataList.ItemValue>
    </DataList.Item>
  );
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            Details
          </Title>
          <DataList labelWidth={160}>
            {field('Email', <Anchor href={`mailto:${user.email}`}>{user.email}</Anchor>)}
            {field('Login ID', user.username)}
            {field('Department', user.department)}
            {field('Job title', user.jobTitle)}
            {field('Manager', user.managerId ? <ManagerName managerId={user.managerId} /> : null)}
            {field('Location', user.location)}
            {field('Employment status', EMPLOYMENT_STATUS_LABELS[user.employmentStatus])}
            {field('Start date', user.startDate ? formatDate(user.startDate) : null)}
            {field('End date', user.endDate ? formatDate(user.endDate) : null)}
            {field('Role', ROLE_LABELS[user.role])}
            {field('Can sign in', user.loginEnabled ? 'Yes' : 'No')}
            {field('Shown in org chart', user.hideFromOrgChart ? 'No' : 'Yes')}
            {definitions.data && (
              <CustomFieldValues definitions={definitions.data} values={user.customFields} />
            )}
          </DataList>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack gap="lg">
          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="sm">
              Tags
            </Title>
            <TagsEditor
              definition={userResource}
              id={user.id}
              tags={user.tags ?? []}
              canEdit={user.abilities.update}
            />
          </Paper>
          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="sm">
              Groups
            </Title>
            {groups.isError ? (
              <ErrorState error={groups.error} />
            ) : !groups.data ? (
              <Skeleton height={40} />
            ) : groups.data.length === 0 ? (
              <Text c="dimmed">Not a member of any group.</Text>
            ) : (
              <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {groups.data.map((group) => (
                  <li key={group.id}>
                    {canSeeGroups ? (
                      <Anchor component={Link} to={`/admin/groups/${group.id}`}>
                        {group.name}
                      </Anchor>
                    ) : (
                      <Text>{group.name}</Text>
                    )}
                  </li>
                ))}
              </Stack>
            )}
          </Paper>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
