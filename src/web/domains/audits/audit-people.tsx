import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';
import { canRead, useSession } from '../../api/session';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { PlusIcon, TrashIcon } from '../../components/icons';
import { notifyError, notifySuccess } from '../../components/notify';
import { RecordPicker } from '../../components/record-picker';
import { type User, userResource } from '../people/people.resources';
import { useIsAuditor, useParticipantMutations, useParticipants } from './audits.api';
import { type Audit, auditAbilities, type Participant } from './audits.model';
import { InviteAuditorDialog } from './invite-auditor-dialog';

/** Who works the audit: the team, and the external auditors it is opened to. */
export function AuditPeople({ audit }: { audit: Audit }) {
  const session = useSession();
  const can = auditAbilities(session, audit, useIsAuditor(audit.id));
  const participants = useParticipants(audit.id);
  const mutations = useParticipantMutations(audit.id);
  const [inviting, setInviting] = useState(false);
  const [joining, setJoining] = useState(false);
  const [removing, setRemoving] = useState<Participant | null>(null);

  const join = () =>
    mutations.add.mutate(
      { userId: session.user.id, role: 'auditor' },
      {
        onSuccess: () => {
          setJoining(false);
          notifySuccess('You are an auditor of this audit: you can record results and raise findings.');
        },
        onError: (error) => notifyError(error, 'Could not join as auditor'),
      },
    );

  const remove = (participant: Participant) =>
    mutations.remove.mutate(participant.userId, {
      onSuccess: () => {
        setRemoving(null);
        notifySuccess(`${participant.name} is no longer on this audit.`);
      },
      onError: (error) => notifyError(error, `Could not remove ${participant.name}`),
    });

  if (participants.isError)
    return <ErrorState error={participants.error} onRetry={() => participants.refetch()} />;
  const people = participants.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2} size="h4">
          People
        </Title>
        <Group gap="sm">
          {can.joinAsAuditor && (
            <Button variant="default" onClick={() => setJoining(true)}>
              Join as auditor
            </Button>
          )}
          {can.admin && (
            <Button leftSection={<PlusIcon size={16} />} onClick={() => setInviting(true)}>
              Invite external auditor
            </Button>
          )}
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        Auditors record the results and raise findings; the team prepares the evidence and responds. Adding an
        auditor is for administrators.
      </Text>
      {can.write && (
        <AddTeamMember
          audit={audit}
          admin={can.admin}
          exclude={people?.map((person) => person.userId) ?? []}
        />
      )}
      {!people ? (
        <Skeleton height={120} />
      ) : people.length === 0 ? (
        <EmptyStateBlock
          title="Nobody on this audit yet"
          description="Add the colleagues who prepare it, and invite the external auditor who reviews it."
        />
      ) : (
        <Table.ScrollContainer minWidth={520} type="native">
          <Table striped verticalSpacing="sm" aria-label="People on this audit">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>E-mail</Table.Th>
                <Table.Th>Role</Table.Th>
                {can.admin && (
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {people.map((person) => (
                <Table.Tr key={person.id}>
                  <Table.Td>{person.name}</Table.Td>
                  <Table.Td>{person.email}</Table.Td>
                  <Table.Td>
                    {person.external ? (
                      <Badge color="violet" variant="light">
                        External auditor
                      </Badge>
                    ) : (
                      <Badge color="blue" variant="light">
                        {person.role === 'auditor' ? 'Auditor' : 'Team'}
                      </Badge>
                    )}
                  </Table.Td>
                  {can.admin && (
                    <Table.Td ta="right">
                      <Tooltip label="Remove from the audit">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Remove ${person.name} from the audit`}
                          onClick={() => setRemoving(person)}
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
      <ConfirmDialog
        opened={removing !== null}
        title="Remove from this audit?"
        confirmLabel="Remove"
        loading={mutations.remove.isPending}
        onConfirm={() => removing && remove(removing)}
        onCancel={() => setRemoving(null)}
      >
        {removing?.external
          ? `${removing.name} will no longer see this audit, its evidence or its pack. Their account stays; they keep any other audit they are invited to.`
          : `${removing?.name} will no longer be listed on this audit's team.`}
      </ConfirmDialog>
      <ConfirmDialog
        opened={joining}
        title="Join this audit as an auditor?"
        confirmLabel="Join as auditor"
        destructive={false}
        loading={mutations.add.isPending}
        onConfirm={join}
        onCancel={() => setJoining(false)}
      >
        As an auditor you record the results of the controls and raise findings, which the team may not do for
        its own work. Joining is recorded in the audit log.
      </ConfirmDialog>
      {can.admin && (
        <InviteAuditorDialog audit={audit} opened={inviting} onClose={() => setInviting(false)} />
      )}
    </Stack>
  );
}

function AddTeamMember({ audit, admin, exclude }: { audit: Audit; admin: boolean; exclude: string[] }) {
  const session = useSession();
  const { add } = useParticipantMutations(audit.id);
  const [userId, setUserId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Participant['role']>('participant');
  if (!canRead(session, 'hr_people')) {
    return (
      <Text size="sm" c="dimmed">
        Adding a team member needs read access to people, to choose them.
      </Text>
    );
  }
  const submit = () => {
    if (!userId) return;
    add.mutate(
      { userId, role },
      {
        onSuccess: () => {
          notifySuccess(
            role === 'auditor'
              ? `${name || 'They'} joined the audit as an auditor.`
              : `${name || 'They'} joined the audit team.`,
          );
          setUserId(null);
        },
        onError: (error) => notifyError(error, 'Could not add them to the audit'),
      },
    );
  };
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Group align="flex-end" gap="sm" wrap="wrap">
        <div style={{ minWidth: 280 }}>
          <RecordPicker<User>
            definition={userResource}
            label={admin ? 'Add someone to the audit' : 'Add a team member'}
            value={userId}
            onChange={(id, user) => {
              setUserId(id);
              setName(user?.name ?? '');
            }}
            optionLabel={(user) => `${user.name} (${user.email})`}
            exclude={exclude}
            filters={{ role: 'member,admin,auditor' }}
          />
        </div>
        {admin && (
          <Select
            label="Role"
            w={200}
            allowDeselect={false}
            data={[
              { value: 'participant', label: 'Team member' },
              { value: 'auditor', label: 'Auditor' },
            ]}
            value={role}
            onChange={(value) => value && setRole(value as Participant['role'])}
          />
        )}
        <Button type="submit" variant="default" disabled={!userId} loading={add.isPending}>
          {role === 'auditor' ? 'Add as auditor' : 'Add to team'}
        </Button>
      </Group>
    </form>
  );
}
