import {
  ActionIcon,
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorState } from '../../components/error-pages';
import { formatDate, fromNow } from '../../components/format';
import { TrashIcon } from '../../components/icons';
import { notifyError, notifySuccess } from '../../components/notify';
import { type ApiToken, useApiTokenActions, useApiTokens } from './profile.api';

const LIFETIMES = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
];

export function ApiTokensSection() {
  const tokens = useApiTokens();
  const { create, revoke } = useApiTokenActions();
  const [name, setName] = useState('');
  const [lifetime, setLifetime] = useState('90');
  const [nameError, setNameError] = useState<string | undefined>();
  const [created, setCreated] = useState<(ApiToken & { token: string }) | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setNameError(undefined);
    create.mutate(
      { name: name.trim(), expiresInDays: Number(lifetime) },
      {
        onSuccess: (token) => {
          setCreated(token);
          setName('');
        },
        onError: (error) => {
          const fieldError = isApiError(error) ? error.fieldErrors.find((e) => e.path === 'name') : undefined;
          if (fieldError) setNameError(`Token name ${fieldError.message}`);
          else notifyError(error, 'Could not create the token');
        },
      },
    );
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Scripts and integrations use personal tokens as <Code>Authorization: Bearer …</Code>. A token acts as
        you, with your permissions.
      </Text>
      {created && (
        <Alert color="green" title={`Token “${created.name}” created`} role="alert">
          <Stack gap="xs">
            <Text size="sm">Copy it now: it is shown only once.</Text>
            <Code block style={{ wordBreak: 'break-all' }}>
              {created.token}
            </Code>
            <Group gap="sm">
              <CopyButton value={created.token}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="default" onClick={copy}>
                    {copied ? 'Copied' : 'Copy token'}
                  </Button>
                )}
              </CopyButton>
              <Button size="xs" variant="subtle" onClick={() => setCreated(null)}>
                Done
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label="Token name"
            placeholder="e.g. Inventory sync"
            value={name}
            onChange={(event) => {
              setName(event.currentTarget.value);
              setNameError(undefined);
            }}
            error={nameError ?? (name.length > 100 ? 'Token name must be at most 100 characters' : undefined)}
            style={{ flex: '1 1 200px' }}
          />
          <Select
            label="Expires after"
            data={LIFETIMES}
            value={lifetime}
            onChange={(value) => value && setLifetime(value)}
            allowDeselect={false}
            w={140}
          />
          <Button
            type="submit"
            mt={25}
            disabled={!name.trim() || name.length > 100}
            loading={create.isPending}
          >
            Create token
          </Button>
        </Group>
      </form>
      {tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} />
      ) : !tokens.data ? (
        <Skeleton height={60} />
      ) : tokens.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          You have no API tokens.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={460} type="native">
          <Table fz="sm" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Token</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>
                  <span className="visually-hidden">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.map((token) => (
                <Table.Tr key={token.id}>
                  <Table.Td>{token.name}</Table.Td>
                  <Table.Td>
                    <Code>{token.tokenPrefix}…</Code>
                  </Table.Td>
                  <Table.Td>{formatDate(token.expiresAt)}</Table.Td>
                  <Table.Td>{token.lastUsedAt ? fromNow(token.lastUsedAt) : 'Never'}</Table.Td>
                  <Table.Td>
                    <Tooltip label="Revoke">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Revoke token ${token.name}`}
                        onClick={() => setRevoking(token)}
                      >
                        <TrashIcon size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ConfirmDialog
        opened={revoking !== null}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke"
        loading={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              notifySuccess('Token revoked.');
              setRevoking(null);
            },
            onError: (error) => notifyError(error, 'Could not revoke the token'),
          })
        }
      >
        Anything using this token stops working immediately.
      </ConfirmDialog>
    </Stack>
  );
}
