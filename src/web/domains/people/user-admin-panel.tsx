import {
  Badge,
  Button,
  DataList,
  Group,
  Paper,
  PasswordInput,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorState } from '../../components/error-pages';
import { formatDateTime } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { useAccountAction, useUserLogin } from './people.api';
import type { User } from './people.resources';
import { PermissionMatrix } from './permission-matrix';

/** Administrators only: the account's sign-in state, password, two-factor, lock and grants. */
export function UserAdminPanel({ user }: { user: User }) {
  const login = useUserLogin(user.id, true);
  const resetTwoFactor = useAccountAction(user.id, 'two-factor/reset');
  const unlock = useAccountAction(user.id, 'unlock');
  const [confirmReset, setConfirmReset] = useState(false);

  const status = login.data;
  const locked = status?.lockedUntil ? new Date(status.lockedUntil) > new Date() : false;
  return (
    <Stack gap="lg">
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={2} size="h4">
            Sign-in
          </Title>
          {login.isError ? (
            <ErrorState error={login.error} onRetry={() => login.refetch()} />
          ) : !status ? (
            <Skeleton height={120} />
          ) : (
            <>
              <DataList labelWidth={180}>
                <DataList.Item>
                  <DataList.ItemLabel>Can sign in</DataList.ItemLabel>
                  <DataList.ItemValue>
                    <Badge color={status.loginEnabled ? 'green' : 'gray'} variant="light">
                      {status.loginEnabled ? 'Yes' : 'No'}
                    </Badge>
                  </DataList.ItemValue>
                </DataList.Item>
                <DataList.Item>
                  <DataList.ItemLabel>Password</DataList.ItemLabel>
                  <DataList.ItemValue>
                    {status.hasPassword ? `Set ${formatDateTime(status.passwordChangedAt)}` : 'Not set'}
                  </DataList.ItemValue>
                </DataList.Item>
                <DataList.Item>
                  <DataList.ItemLabel>Two-factor</DataList.ItemLabel>
                  <DataList.ItemValue>
                    {status.twoFactorEnabled ? 'Enabled' : 'Not enabled'}
                  </DataList.ItemValue>
                </DataList.Item>
                <DataList.Item>
                  <DataList.ItemLabel>Locked</DataList.ItemLabel>
                  <DataList.ItemValue>
                    {locked ? `Until ${formatDateTime(status.lockedUntil)}` : 'No'}
                  </DataList.ItemValue>
                </DataList.Item>
              </DataList>
              <Group gap="sm">
                {status.twoFactorEnabled && (
                  <Button variant="default" color="red" onClick={() => setConfirmReset(true)}>
                    Reset two-factor
                  </Button>
                )}
                {locked && (
                  <Button
                    variant="default"
                    loading={unlock.isPending}
                    onClick={() =>
                      unlock.mutate(undefined, {
                        onSuccess: () => notifySuccess(`${user.name} can sign in again.`),
                        onError: (error) => notifyError(error, 'Could not unlock the account'),
                      })
                    }
                  >
                    Unlock account
                  </Button>
                )}
              </Group>
              {status.knownIps.length > 0 && (
                <Table.ScrollContainer minWidth={420} type="native">
                  <Table fz="sm">
                    <Table.Caption>Addresses this account has signed in from</Table.Caption>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>IP address</Table.Th>
                        <Table.Th>First seen</Table.Th>
                        <Table.Th>Last seen</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {status.knownIps.map((known) => (
                        <Table.Tr key={known.ip}>
                          <Table.Td>{known.ip}</Table.Td>
                          <Table.Td>{formatDateTime(known.firstSeenAt)}</Table.Td>
                          <Table.Td>{formatDateTime(known.lastSeenAt)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </>
          )}
        </Stack>
      </Paper>
      <SetPasswordForm user={user} />
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={2} size="h4">
            Permissions
          </Title>
          <PermissionMatrix
            principalType="user"
            id={user.id}
            editable
            note={
              user.role === 'member'
                ? 'Effective access combines these direct grants with the grants of the groups this user belongs to.'
                : `This user's role (${user.role}) already determines their access; grants only matter for members.`
            }
          />
        </Stack>
      </Paper>
      <ConfirmDialog
        opened={confirmReset}
        title={`Reset two-factor for ${user.name}?`}
        confirmLabel="Reset two-factor"
        loading={resetTwoFactor.isPending}
        onCancel={() => setConfirmReset(false)}
        onConfirm={() =>
          resetTwoFactor.mutate(undefined, {
            onSuccess: () => {
              setConfirmReset(false);
              notifySuccess('Two-factor authentication was reset. They can enrol again after signing in.');
            },
            onError: (error) => notifyError(error, 'Could not reset two-factor'),
          })
        }
      >
        Their authenticator app and recovery codes stop working. They will sign in with their password alone
        until they enrol again.
      </ConfirmDialog>
    </Stack>
  );
}

function SetPasswordForm({ user }: { user: User }) {
  const setPassword = useAccountAction<{ password: string }>(user.id, 'password');
  const [password, setPasswordValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const tooShort = password.length > 0 && password.length < 12;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setPassword.mutate(
      { password },
      {
        onSuccess: () => {
          setPasswordValue('');
          notifySuccess(`New password set for ${user.name}. All their sessions were signed out.`);
        },
        onError: (caught) => {
          const fieldError = isApiError(caught)
            ? caught.fieldErrors.find((e) => e.path === 'password')
            : undefined;
          if (fieldError) setError(`Password ${fieldError.message}`);
          else notifyError(caught, 'Could not set the password');
        },
      },
    );
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4">
            Set password
          </Title>
          <Text size="sm" c="dimmed">
            Sets a new password for {user.name}. Share it with them over a safe channel; they can change it in
            their profile.
          </Text>
          <PasswordInput
            label="New password"
            description="At least 12 characters."
            autoComplete="new-password"
            value={password}
            onChange={(event) => {
              setPasswordValue(event.currentTarget.value);
              setError(undefined);
            }}
            error={error ?? (tooShort ? 'Password must be at least 12 characters' : undefined)}
            maw={420}
          />
          <Group>
            <Button type="submit" disabled={password.length < 12} loading={setPassword.isPending}>
              Set password
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
