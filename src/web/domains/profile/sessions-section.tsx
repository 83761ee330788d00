import { Badge, Button, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorState } from '../../components/error-pages';
import { formatDateTime, fromNow } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { type ActiveSession, useSessionRevocation, useSessions } from './profile.api';

/** A readable device name from a user agent, e.g. "Firefox on Linux". */
function describeAgent(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : (userAgent.split(/[ /]/)[0] ?? 'Browser');
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /iPhone|iPad/.test(userAgent)
        ? 'iOS'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : undefined;
  return system ? `${browser} on ${system}` : browser;
}

export function SessionsSection() {
  const sessions = useSessions();
  const { revoke, revokeOthers } = useSessionRevocation();
  const [ending, setEnding] = useState<ActiveSession | 'others' | null>(null);

  if (sessions.isError) return <ErrorState error={sessions.error} onRetry={() => sessions.refetch()} />;
  if (!sessions.data) return <Skeleton height={80} />;
  const others = sessions.data.filter((session) => !session.current);

  return (
    <Stack gap="sm">
      <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {sessions.data.map((session) => (
          <Paper key={session.id} withBorder p="xs" component="li">
            <Group justify="space-between" wrap="nowrap" gap="sm">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Group gap={6}>
                  <Text size="sm" fw={500}>
                    {describeAgent(session.userAgent)}
                  </Text>
                  {session.current && (
                    <Badge size="xs" color="green" variant="light">
                      This session
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {session.ip ?? 'Unknown address'} · active {fromNow(session.lastSeenAt)} · signed in{' '}
                  {formatDateTime(session.createdAt)}
                </Text>
              </Stack>
              {!session.current && (
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => setEnding(session)}
                  style={{ flexShrink: 0 }}
                >
                  Sign out
                </Button>
              )}
            </Group>
          </Paper>
        ))}
      </Stack>
      <Group>
        <Button
          variant="default"
          color="red"
          disabled={others.length === 0}
          onClick={() => setEnding('others')}
        >
          Sign out everywhere else
        </Button>
      </Group>
      <ConfirmDialog
        opened={ending !== null}
        title={ending === 'others' ? 'Sign out all other sessions?' : 'Sign out this session?'}
        confirmLabel="Sign out"
        loading={revoke.isPending || revokeOthers.isPending}
        onCancel={() => setEnding(null)}
        onConfirm={() => {
          if (ending === 'others') {
            revokeOthers.mutate(undefined, {
              onSuccess: (answer) => {
                notifySuccess(
                  `Signed out ${answer.revoked} other ${answer.revoked === 1 ? 'session' : 'sessions'}.`,
                );
                setEnding(null);
              },
              onError: (error) => notifyError(error),
            });
          } else if (ending) {
            revoke.mutate(ending.id, {
              onSuccess: () => {
                notifySuccess('Session signed out.');
                setEnding(null);
              },
              onError: (error) => notifyError(error),
            });
          }
        }}
      >
        {ending === 'others'
          ? 'Every other browser and device signed in as you will need to sign in again. This one stays signed in.'
          : 'That browser or device will need to sign in again.'}
      </ConfirmDialog>
    </Stack>
  );
}
