import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { notifySuccess } from '../../components/notify';
import { useChangePassword } from './profile.api';

const MIN_LENGTH = 12;

export function PasswordSection() {
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);

  const localErrors = {
    newPassword:
      next.length > 0 && next.length < MIN_LENGTH
        ? `New password must be at least ${MIN_LENGTH} characters`
        : undefined,
    repeat: repeat.length > 0 && repeat !== next ? 'The two new passwords differ' : undefined,
  };
  const ready = current.length > 0 && next.length >= MIN_LENGTH && repeat === next;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    setErrors({});
    setProblem(null);
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setRepeat('');
          notifySuccess('Password changed. Your other sessions were signed out.');
        },
        onError: (error) => {
          if (isApiError(error) && error.fieldErrors.length > 0) {
            setErrors(Object.fromEntries(error.fieldErrors.map((e) => [e.path, e.message])));
          } else setProblem(isApiError(error) ? error.summary : 'Could not change the password.');
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={420}>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          value={current}
          onChange={(event) => setCurrent(event.currentTarget.value)}
          error={errors.currentPassword && `Current password ${errors.currentPassword}`}
        />
        <PasswordInput
          label="New password"
          description={`At least ${MIN_LENGTH} characters; a passphrase is easiest to remember.`}
          autoComplete="new-password"
          value={next}
          onChange={(event) => setNext(event.currentTarget.value)}
          error={(errors.newPassword && `New password ${errors.newPassword}`) ?? localErrors.newPassword}
        />
        <PasswordInput
          label="Confirm new password"
          autoComplete="new-password"
          value={repeat}
          onChange={(event) => setRepeat(event.currentTarget.value)}
          error={localErrors.repeat}
        />
        <Group>
          <Button type="submit" disabled={!ready} loading={change.isPending}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
