import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { notifySuccess } from '../../components/notify';
import { PasswordNotSet, useParticipantMutations } from './audits.api';
import { type Audit, fieldErrors, type Participant } from './audits.model';

/** The server's own rule (see platform/auth/passwords.ts); checked here so that a short one fails early. */
const PASSWORD_MIN_LENGTH = 12;

/**
 * Invites an external auditor (administrators): their account is created with no module access,
 * this audit is opened to them, and the password given here is set so they can sign in at once.
 */
export function InviteAuditorDialog({
  audit,
  opened,
  onClose,
}: {
  audit: Audit;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Invite an external auditor" size="md">
      {opened && <InviteForm audit={audit} onClose={onClose} />}
    </Modal>
  );
}

function InviteForm({ audit, onClose }: { audit: Audit; onClose: () => void }) {
  const { invite } = useParticipantMutations(audit.id);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);
  // Once invited, a refused password is tried again on its own.
  const [invited, setInvited] = useState<Participant | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const clientErrors: Record<string, string> = {};
  if (!email.trim()) clientErrors.email = 'E-mail is required';
  else if (!/^\S+@\S+\.\S+$/.test(email.trim())) clientErrors.email = 'E-mail must be an e-mail address';
  if (!name.trim()) clientErrors.name = 'Name is required';
  if (password !== '' && password.length < PASSWORD_MIN_LENGTH)
    clientErrors.password = `Password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  const errorFor = (field: string) => errors[field] ?? (submitted ? clientErrors[field] : undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFormError(null);
    if (Object.keys(clientErrors).length > 0) return;
    invite.mutate(
      { email: email.trim(), name: name.trim(), password, invited },
      {
        onSuccess: (participant) => {
          notifySuccess(
            password
              ? `${participant.name} can sign in as ${participant.email} with the password you set.`
              : `${participant.name} is on the audit; their password was left as it was.`,
            'External auditor invited',
          );
          onClose();
        },
        onError: (error) => {
          if (error instanceof PasswordNotSet) {
            setInvited(error.invited);
            const message = fieldErrors(error.reason).password;
            setErrors({ password: message ? `Password ${message}` : error.message });
            return;
          }
          const byField = fieldErrors(error);
          const labels: Record<string, string> = { email: 'E-mail', name: 'Name' };
          setErrors(
            Object.fromEntries(
              Object.entries(byField).map(([path, message]) => [path, `${labels[path] ?? path} ${message}`]),
            ),
          );
          if (Object.keys(byField).length === 0)
            setFormError(isApiError(error) ? error.summary : String(error));
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">
          They get an account of their own with no access to anything but the audits they are invited to: this
          one, its frozen evidence and its pack. They can record results and comments.
        </Text>
        {invited && (
          <Alert color="yellow" title="Invited, but no password yet" role="status">
            {invited.name} is on the audit. Choose another password to let them sign in.
          </Alert>
        )}
        {formError && (
          <Alert color="red" title="Not invited" role="alert">
            {formError}
          </Alert>
        )}
        <TextInput
          label="E-mail"
          type="email"
          required
          maxLength={254}
          value={email}
          disabled={invited !== null}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
            setErrors(({ email: _gone, ...rest }) => rest);
          }}
          error={errorFor('email')}
          data-autofocus
        />
        <TextInput
          label="Name"
          required
          maxLength={200}
          value={name}
          disabled={invited !== null}
          onChange={(event) => {
            setName(event.currentTarget.value);
            setErrors(({ name: _gone, ...rest }) => rest);
          }}
          error={errorFor('name')}
        />
        <PasswordInput
          label="Password"
          description={`At least ${PASSWORD_MIN_LENGTH} characters; hand it over by another channel than e-mail. Leave it empty for an auditor who already has an account (setting one signs them out everywhere).`}
          autoComplete="new-password"
          value={password}
          onChange={(event) => {
            setPassword(event.currentTarget.value);
            setErrors(({ password: _gone, ...rest }) => rest);
          }}
          error={errorFor('password')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={invite.isPending}>
            {invited ? 'Close without a password' : 'Cancel'}
          </Button>
          <Button type="submit" loading={invite.isPending}>
            {invited ? 'Set the password' : 'Invite'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
