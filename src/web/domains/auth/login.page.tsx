import {
  Alert,
  Anchor,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useRouter, useSearch } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { useSessionActions } from '../../api/session';

/** Only same-site paths: never send the user to another origin after signing in. */
function safeRedirect(target: string | undefined): string {
  if (!target?.startsWith('/') || target.startsWith('//') || target.startsWith('/login')) return '/';
  return target;
}

function messageFor(error: unknown): string {
  if (isApiError(error, 429)) return 'Too many attempts. Wait a minute and try again.';
  if (isApiError(error) && error.status !== 0) return error.problem.detail ?? 'Sign-in failed.';
  return 'The server could not be reached. Check your connection and try again.';
}

export function LoginPage() {
  const { redirect } = useSearch({ from: '/login' });
  const router = useRouter();
  const { login, submitSecondFactor } = useSessionActions();
  const [step, setStep] = useState<'credentials' | 'second-factor'>('credentials');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = 'Sign in · OpsDeck';
  }, []);

  const finish = () => router.history.push(safeRedirect(redirect));

  const [attempted, setAttempted] = useState(false);
  const submitCredentials = async (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    setError(null);
    if (!email.trim() || !password) return;
    setBusy(true);
    try {
      const answer = await login(email.trim(), password);
      if (answer.status === 'authenticated') finish();
      else {
        setStep('second-factor');
        setPassword('');
      }
    } catch (caught) {
      setError(messageFor(caught));
    } finally {
      setBusy(false);
    }
  };

  const submitCode = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!code.trim()) {
      setError('Enter the code from your authenticator app or a recovery code.');
      return;
    }
    setBusy(true);
    try {
      await submitSecondFactor(code.trim());
      finish();
    } catch (caught) {
      setError(messageFor(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420} component="main">
        <Stack>
          <div>
            <Text fw={700} c="blue" size="lg">
              OpsDeck
            </Text>
            <Title order={1} size="h2">
              {step === 'credentials' ? 'Sign in' : 'Two-factor authentication'}
            </Title>
          </div>
          {redirect && step === 'credentials' && (
            <Text size="sm" c="dimmed">
              Sign in to continue where you were.
            </Text>
          )}
          {error && (
            <Alert color="red" role="alert" title="Could not sign in">
              {error}
            </Alert>
          )}
          {step === 'credentials' ? (
            <form onSubmit={submitCredentials} noValidate>
              <Stack>
                <TextInput
                  label="Email"
                  type="email"
                  autoComplete="username"
                  required
                  value={email}
                  onChange={(event) => setEmail(event.currentTarget.value)}
                  error={attempted && !email.trim() ? 'Enter your email address' : undefined}
                  data-autofocus
                  autoFocus
                />
                <PasswordInput
                  label="Password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(event) => setPassword(event.currentTarget.value)}
                  error={attempted && !password ? 'Enter your password' : undefined}
                />
                <Button type="submit" loading={busy} fullWidth>
                  Sign in
                </Button>
              </Stack>
            </form>
          ) : (
            <form onSubmit={submitCode} noValidate>
              <Stack>
                <TextInput
                  label="Authentication code"
                  description="The 6-digit code from your authenticator app, or one of your recovery codes."
                  autoComplete="one-time-code"
                  inputMode="text"
                  required
                  maxLength={20}
                  value={code}
                  onChange={(event) => setCode(event.currentTarget.value)}
                  autoFocus
                />
                <Button type="submit" loading={busy} fullWidth>
                  Verify
                </Button>
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  onClick={() => {
                    setStep('credentials');
                    setCode('');
                    setError(null);
                  }}
                >
                  Use a different account
                </Anchor>
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
