import { Center, Loader } from '@mantine/core';

/** Shown while a lazily loaded page or its first data arrives. */
export function PageLoader() {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Loader size="md" aria-label="Loading" />
    </Center>
  );
}
