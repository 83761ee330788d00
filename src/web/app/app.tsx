import { createTheme, InputWrapper, MantineProvider, PasswordInput } from '@mantine/core';
import { Notifications, notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { isApiError, onUnauthorized } from '../api/client';
import { sessionQuery } from '../api/session';
import { createAppRouter } from './router';

const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'md',
  focusRing: 'auto',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  components: {
    // Required marks are drawn by CSS (global.css) so that label text stays exactly the field name.
    InputWrapper: InputWrapper.extend({ defaultProps: { withAsterisk: false } }),
    // The default toggle label contains "password", so getByLabel('Password') would match two elements.
    PasswordInput: PasswordInput.extend({
      defaultProps: { visibilityToggleButtonProps: { 'aria-label': 'Show or hide the characters' } },
    }),
  },
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Client errors (403, 404, 422…) will not change by asking again.
      retry: (failureCount, error) =>
        !(isApiError(error) && error.status >= 400 && error.status < 500) && failureCount < 2,
    },
  },
});

const router = createAppRouter(queryClient);

// A 401 anywhere means the session expired or was revoked: back to login, then back here.
onUnauthorized(() => {
  const location = router.state.location;
  queryClient.setQueryData(sessionQuery.queryKey, null);
  if (location.pathname === '/login') return;
  notifications.show({
    id: 'session-expired',
    color: 'yellow',
    title: 'Signed out',
    message: 'Your session has ended. Sign in again to continue where you were.',
  });
  void router.navigate({ to: '/login', search: { redirect: location.href } });
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="bottom-right" limit={3} />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
