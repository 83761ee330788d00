import { Alert, Button, Center, EmptyState, Group, Stack } from '@mantine/core';
import { type ErrorComponentProps, Link } from '@tanstack/react-router';
import { isApiError } from '../api/client';
import { CompassIcon, LockIcon } from './icons';

export function NotFoundPage({ what = 'page' }: { what?: string }) {
  return (
    <Center py="xl">
      <EmptyState
        icon={<CompassIcon size={32} />}
        withIndicatorBackground
        title={`This ${what} does not exist`}
        description="It may have been deleted, or the address is mistyped. Check the link, or start again from the home page."
      >
        <EmptyState.Actions>
          <Button component={Link} to="/">
            Go to the home page
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}

export function ForbiddenPage({ detail }: { detail?: string }) {
  return (
    <Center py="xl">
      <EmptyState
        icon={<LockIcon size={32} />}
        withIndicatorBackground
        title="You do not have access to this"
        description={
          detail ??
          'Your role or group permissions do not include this part of OpsDeck. Ask an administrator if you need access.'
        }
      >
        <EmptyState.Actions>
          <Button component={Link} to="/">
            Go to the home page
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}

/** What to show when loading data failed: friendly 403/404, otherwise the problem and a retry. */
export function ErrorState({
  error,
  what,
  onRetry,
}: {
  error: unknown;
  what?: string;
  onRetry?: () => void;
}) {
  if (isApiError(error, 404)) return <NotFoundPage what={what} />;
  if (isApiError(error, 403)) return <ForbiddenPage detail={error.problem.detail} />;
  const message = isApiError(error)
    ? error.summary
    : error instanceof Error
      ? error.message
      : 'Unexpected error.';
  return (
    <Stack py="md">
      <Alert color="red" title="Could not load this page" role="alert">
        {message}
      </Alert>
      {onRetry && (
        <Group>
          <Button variant="default" onClick={onRetry}>
            Try again
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function RouteErrorPage({ error, reset }: ErrorComponentProps) {
  return <ErrorState error={error} onRetry={reset} />;
}
