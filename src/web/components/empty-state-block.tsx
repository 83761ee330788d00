import { EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';
import { InboxIcon } from './icons';

/** "Nothing here yet", with what to do next. */
export function EmptyStateBlock({
  title,
  description,
  action,
}: {
  title: string;
  description: string;
  action?: ReactNode;
}) {
  return (
    <EmptyState
      py="lg"
      icon={<InboxIcon size={28} />}
      withIndicatorBackground
      title={title}
      description={description}
    >
      {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
    </EmptyState>
  );
}
