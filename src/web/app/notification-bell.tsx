import { ActionIcon, Popover, Stack, Text } from '@mantine/core';
import { BellIcon } from '../components/icons';

/**
 * The top bar's notifications. The notification centre comes later: until then the bell says
 * so, rather than promising alerts that nothing sends yet.
 */
export function NotificationBell() {
  return (
    <Popover position="bottom-end" width={280} shadow="md" trapFocus>
      <Popover.Target>
        <ActionIcon variant="default" size="lg" aria-label="Notifications">
          <BellIcon />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Notifications
          </Text>
          <Text size="sm" c="dimmed">
            You have no notifications yet.
          </Text>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
