import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Grid,
  Group as MantineGroup,
  Paper,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useResourceRecord } from '../../api/resources';
import { canRead, isAdmin, useSession } from '../../api/session';
import type { RecordDetail } from '../../api/types';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorState } from '../../components/error-pages';
import { HistoryTab } from '../../components/history-tab';
import { TrashIcon } from '../../components/icons';
import { LinksPanel } from '../../components/links-panel';
import { notifyError, notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { RecordLifecycleActions } from '../../components/record-actions';
import { RecordPicker } from '../../components/record-picker';
import { TagsEditor } from '../../components/tags-editor';
import { ComplianceTabFor } from '../compliance/compliance-panel';
import { type GroupMember, useGroupMembers, useGroupMembership } from './people.api';
import { type Group, groupResource, PEOPLE_LINK_TARGETS, type User, userResource } from './people.resources';
import { PermissionMatrix } from './permission-matrix';

export function GroupDetailPage() {
  const { groupId } = useParams({ from: '/app/admin/groups/$groupId' });
  const { tab = 'members' } = useSearch({ from: '/app/admin/groups/$groupId' });
  const navigate = useNavigate({ from: '/admin/groups/$groupId' });
  const session = useSession();
  const query = useResourceRecord<Group>(groupResource, groupId);
  if (query.isError) return <ErrorState error={query.error} what="group" onRetry={() => query.refetch()} />;
  if (!query.data) return <Skeleton height={320} />;
  const group = query.data;
  return (
    <>
      <PageHeader
        title={group.name}
        description={group.description ?? undefined}
        crumbs={[{ label: 'Groups', to: '/admin/groups' }, { label: group.name }]}
        badge={
          group.isArchived ? (
            <Badge color="gray" variant="outline">
              Archived
            </Badge>
          ) : undefined
        }
        actions={
          <>
            {group.abilities.update && (
              <Button onClick={() => navigate({ to: '/admin/groups/$groupId/edit', params: { groupId } })}>
                Edit
              </Button>
            )}
            <RecordLifecycleActions
              definition={groupResource}
              record={group}
              name={group.name}
              onChanged={() => query.refetch()}
              onDeleted={() => navigate({ to: '/admin/groups' })}
            />
          </>
        }
      />
      <Tabs
        value={tab}
        onChange={(next) =>
          navigate({ search: next === 'members' ? {} : { tab: next ?? undefined }, replace: true })
        }
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="members">Members</Tabs.Tab>
          <Tabs.Tab value="permissions">Permissions</Tabs.Tab>
          <Tabs.Tab value="links">Links</Tabs.Tab>
          <Tabs.Tab value="history">History</Tabs.Tab>
          {canRead(session, 'compliance') && <Tabs.Tab value="compliance">Compliance</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="members">
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 8 }}>
              <MembersPanel group={group} canSeePeople={canRead(session, 'hr_people')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Paper withBorder p="md">
                <Title order={2} size="h4" mb="sm">
                  Tags
                </Title>
                <TagsEditor
                  definition={groupResource}
                  id={group.id}
                  tags={group.tags ?? []}
                  canEdit={group.abilities.update}
                />
              </Paper>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="permissions">
          <PermissionMatrix
            principalType="group"
            id={group.id}
            editable={isAdmin(session)}
            note="Every member of this group gets at least these permissions. Only administrators can change them."
          />
        </Tabs.Panel>
        <Tabs.Panel value="links">
          <LinksPanel
            definition={groupResource}
            id={group.id}
            targets={PEOPLE_LINK_TARGETS}
            canEdit={group.abilities.update}
          />
        </Tabs.Panel>
        <Tabs.Panel value="history">
          <HistoryTab definition={groupResource} id={group.id} />
        </Tabs.Panel>
        {canRead(session, 'compliance') && (
          <Tabs.Panel value="compliance">
            <ComplianceTabFor type="group" record={group as never} refresh={() => void query.refetch()} />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}

function MembersPanel({ group, canSeePeople }: { group: RecordDetail<Group>; canSeePeople: boolean }) {
  const session = useSession();
  const members = useGroupMembers(group.id);
  const { add, remove } = useGroupMembership(group.id);
  const [candidate, setCandidate] = useState<string | null>(null);
  const [removing, setRemoving] = useState<GroupMember | null>(null);
  // Membership carries the group's permissions: the server lets only administrators change it.
  const canEdit = group.abilities.update && isAdmin(session);

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Members{members.data ? ` (${members.data.length})` : ''}
        </Title>
        {canEdit && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (!candidate) return;
              add.mutate(candidate, {
                onSuccess: () => {
                  notifySuccess('Member added.');
                  setCandidate(null);
                },
                onError: (error) => notifyError(error, 'Could not add the member'),
              });
            }}
          >
            <MantineGroup align="flex-end" gap="sm" wrap="wrap">
              <div style={{ flex: '1 1 240px' }}>
                <RecordPicker<User>
                  definition={userResource}
                  label="Add a member"
                  placeholder="Search people"
                  value={candidate}
                  onChange={(id) => setCandidate(id)}
                  optionLabel={(user) => `${user.name} (${user.email})`}
                  exclude={members.data?.map((member) => member.id) ?? []}
                />
              </div>
              <Button type="submit" disabled={!candidate} loading={add.isPending}>
                Add member
              </Button>
            </MantineGroup>
          </form>
        )}
        {members.isError ? (
          <ErrorState error={members.error} onRetry={() => members.refetch()} />
        ) : !members.data ? (
          <Skeleton height={80} />
        ) : members.data.length === 0 ? (
          <Text c="dimmed">No members yet.{canEdit ? ' Add people with the search box above.' : ''}</Text>
        ) : (
          <Table.ScrollContainer minWidth={420} type="native">
            <Table verticalSpacing="xs" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Email</Table.Th>
                  <Table.Th visibleFrom="sm">Job title</Table.Th>
                  {canEdit && (
                    <Table.Th>
                      <span className="visually-hidden">Actions</span>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {members.data.map((member) => (
                  <Table.Tr key={member.id}>
                    <Table.Td>
                      {canSeePeople ? (
                        <Anchor component={Link} to={`/people/users/${member.id}`} size="sm">
                          {member.name}
                        </Anchor>
                      ) : (
                        member.name
                      )}
                      {member.isArchived && (
                        <Badge ml={6} size="xs" color="gray" variant="outline">
                          Archived
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{member.email}</Table.Td>
                    <Table.Td visibleFrom="sm">{member.jobTitle ?? '—'}</Table.Td>
                    {canEdit && (
                      <Table.Td>
                        <Tooltip label="Remove from group">
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Remove ${member.name} from the group`}
                            onClick={() => setRemoving(member)}
                          >
                            <TrashIcon size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <ConfirmDialog
        opened={removing !== null}
        title={`Remove ${removing?.name ?? ''} from ${group.name}?`}
        confirmLabel="Remove"
        loading={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          remove.mutate(removing.id, {
            onSuccess: () => {
              notifySuccess(`${removing.name} was removed from the group.`);
              setRemoving(null);
            },
            onError: (error) => notifyError(error, 'Could not remove the member'),
          })
        }
      >
        They lose the permissions this group gives them.
      </ConfirmDialog>
    </Paper>
  );
}
