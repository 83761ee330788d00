import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Image,
  PasswordInput,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { ErrorState } from '../../components/error-pages';
import { formatDateTime } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { type TwoFactorSetup, useTwoFactorActions, useTwoFactorStatus } from './profile.api';
import { RecoveryCodes } from './recovery-codes';

export function TwoFactorSection() {
  const status = useTwoFactorStatus();
  const actions = useTwoFactorActions();
  const [enrolment, setEnrolment] = useState<TwoFactorSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [passwordAction, setPasswordAction] = useState<'disable' | 'regenerate' | null>(null);

  if (status.isError) return <ErrorState error={status.error} onRetry={() => status.refetch()} />;
  if (!status.data) return <Skeleton height={80} />;
  if (codes) return <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />;
  if (enrolment) {
    return (
      <ConfirmEnrolment
        setup={enrolment}
        onCancel={() => setEnrolment(null)}
        onConfirmed={(recoveryCodes) => {
          setEnrolment(null);
          setCodes(recoveryCodes);
          notifySuccess('Two-factor authentication is on.');
        }}
      />
    );
  }
  if (!status.data.enabled) {
    return (
      <Stack gap="sm">
        <Group gap="xs">
          <Badge color="gray" variant="light">
            Off
          </Badge>
          <Text size="sm">Protect your account with a code from an authenticator app when you sign in.</Text>
        </Group>
        <Group>
          <Button
            loading={actions.setup.isPending}
            onClick={() =>
              actions.setup.mutate(undefined, {
                onSuccess: setEnrolment,
                onError: (error) => notifyError(error, 'Could not start two-factor set-up'),
              })
            }
          >
            Set up two-factor
          </Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Badge color="green" variant="light">
          On
        </Badge>
        <Text size="sm">
          Since {formatDateTime(status.data.enabledAt)} · {status.data.recoveryCodesLeft} recovery codes left
        </Text>
      </Group>
      {passwordAction ? (
        <PasswordConfirm
          action={passwordAction}
          onCancel={() => setPasswordAction(null)}
          onSubmit={(password, fail) => {
            const options = {
              onError: (error: unknown) => {
                const fieldError = isApiError(error) ? error.fieldErrors[0] : undefined;
                if (fieldError) fail(`Password ${fieldError.message}`);
                else notifyError(error);
              },
            };
            if (passwordAction === 'disable') {
              actions.disable.mutate(password, {
                ...options,
                onSuccess: () => {
                  setPasswordAction(null);
                  notifySuccess('Two-factor authentication is off.');
                },
              });
            } else {
              actions.regenerateCodes.mutate(password, {
                ...options,
                onSuccess: (answer) => {
                  setPasswordAction(null);
                  setCodes(answer.recoveryCodes);
                },
              });
            }
          }}
          loading={actions.disable.isPending || actions.regenerateCodes.isPending}
        />
      ) : (
        <Group gap="sm">
          <Button variant="default" onClick={() => setPasswordAction('regenerate')}>
            New recovery codes
          </Button>
          <Button variant="default" color="red" onClick={() => setPasswordAction('disable')}>
            Turn off two-factor
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function ConfirmEnrolment({
  setup,
  onCancel,
  onConfirmed,
}: {
  setup: TwoFactorSetup;
  onCancel: () => void;
  onConfirmed: (codes: string[]) => void;
}) {
  const { confirm } = useTwoFactorActions();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    confirm.mutate(code.replace(/\s/g, ''), {
      onSuccess: (answer) => onConfirmed(answer.recoveryCodes),
      onError: (caught) =>
        setError(
          isApiError(caught) && caught.fieldErrors[0]
            ? `Code ${caught.fieldErrors[0].message}`
            : isApiError(caught)
              ? caught.summary
              : 'Could not confirm the code.',
        ),
    });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          1. Scan this QR code with your authenticator app (or enter the key by hand). 2. Type the 6-digit
          code it shows.
        </Text>
        <Image
          src={setup.qrCodeDataUrl}
          alt="QR code to add OpsDeck to your authenticator app"
          w={200}
          h={200}
          fit="contain"
          radius="sm"
          bg="white"
        />
        <Text size="sm">
          Key: <Code>{setup.secret}</Code>
        </Text>
        <TextInput
          label="Authentication code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={10}
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={error}
          maw={220}
        />
        <Group gap="sm">
          <Button type="submit" disabled={code.replace(/\s/g, '').length < 6} loading={confirm.isPending}>
            Turn on two-factor
          </Button>
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function PasswordConfirm({
  action,
  onSubmit,
  onCancel,
  loading,
}: {
  action: 'disable' | 'regenerate';
  onSubmit: (password: string, fail: (message: string) => void) => void;
  onCancel: () => void;
  loading: boolean;
}) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setError(undefined);
        onSubmit(password, setError);
      }}
      noValidate
    >
      <Stack gap="sm">
        {action === 'disable' ? (
          <Alert color="red" variant="light">
            Without two-factor, your password alone protects your account.
          </Alert>
        ) : (
          <Text size="sm">Your current recovery codes stop working when new ones are made.</Text>
        )}
        <PasswordInput
          label="Your password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={error}
          maw={320}
          data-autofocus
        />
        <Group gap="sm">
          <Button
            type="submit"
            color={action === 'disable' ? 'red' : undefined}
            disabled={!password}
            loading={loading}
          >
            {action === 'disable' ? 'Turn off two-factor' : 'Make new recovery codes'}
          </Button>
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
