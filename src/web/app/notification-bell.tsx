import {
  ActionIcon,
  Anchor,
  Badge,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { request } from '../api/client';
import { fromNow } from '../components/format';
import { BellIcon } from '../components/icons';
import { notifyError } from '../components/notify';

interface AppNotification {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

const KEY = ['notifications'];
/** The bell asks again every minute; nothing arrives faster than the jobs that send them. */
const POLL_MS = 60_000;

/** The top bar's notifications: a control of yours regressed, say. Opening one marks it read. */
export function NotificationBell() {
  const [opened, setOpened] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const inbox = useQuery({
    queryKey: KEY,
    queryFn: () =>
      request<{ data: AppNotification[]; unread: number }>('GET', '/api/v1/notifications', {
        query: { limit: 20 },
      }),
    refetchInterval: POLL_MS,
  });
  const markRead = useMutation({
    mutationFn: (id?: string) =>
      request('POST', id ? `/api/v1/notifications/${id}/read` : '/api/v1/notifications/read-all'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
    onError: (error) => notifyError(error, 'Could not mark as read'),
  });
  const unread = inbox.data?.unread ?? 0;
  const items = inbox.data?.data ?? [];

  const open = (item: AppNotification) => {
    if (!item.readAt) markRead.mutate(item.id);
    setOpened(false);
    if (item.link?.startsWith('/')) void navigate({ to: item.link });
  };

  return (
    <Popover position="bottom-end" width={340} shadow="md" trapFocus opened={opened} onChange={setOpened}>
      <Popover.Target>
        <Indicator
          label={unread > 99 ? '99+' : unread}
          size={16}
          disabled={unread === 0}
          color="red"
          offset={4}
        >
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
            onClick={() => setOpened((o) => !o)}
          >
            <BellIcon />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Group justify="space-between">
            <Text size="sm" fw={600}>
              Notifications
            </Text>
            {unread > 0 && (
              <Anchor component="button" size="xs" onClick={() => markRead.mutate(undefined)}>
                Mark all read
              </Anchor>
            )}
          </Group>
          {items.length === 0 ? (
            <Text size="sm" c="dimmed">
              {inbox.isLoading ? 'Loading…' : 'You have no notifications.'}
            </Text>
          ) : (
            <ScrollArea.Autosize mah={380}>
              <Stack gap={4} role="list" aria-label="Notifications">
                {items.map((item) => (
                  <UnstyledButton
                    key={item.id}
                    role="listitem"
                    onClick={() => open(item)}
                    p={6}
                    style={{
                      borderRadius: 4,
                      background: item.readAt ? undefined : 'var(--mantine-color-blue-light)',
                    }}
                  >
                    <Group justify="space-between" gap={4} wrap="nowrap" align="flex-start">
                      <Text size="sm" fw={item.readAt ? 400 : 600} lineClamp={2}>
                        {item.title}
                      </Text>
                      {!item.readAt && (
                        <Badge size="xs" variant="filled">
                          new
                        </Badge>
                      )}
                    </Group>
                    {item.body && (
                      <Text size="xs" c="dimmed" lineClamp={3}>
                        {item.body}
                      </Text>
                    )}
                    <Text size="xs" c="dimmed">
                      {fromNow(item.createdAt)}
                    </Text>
                  </UnstyledButton>
                ))}
              </Stack>
            </ScrollArea.Autosize>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
