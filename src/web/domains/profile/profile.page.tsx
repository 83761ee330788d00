import { Badge, Grid, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useSession } from '../../api/session';
import { PageHeader } from '../../components/page-header';
import { ROLE_LABELS } from '../people/people.resources';
import { ApiTokensSection } from './api-tokens-section';
import { PasswordSection } from './password-section';
import { SessionsSection } from './sessions-section';
import { TwoFactorSection } from './two-factor-section';

export function ProfileSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

export function ProfilePage() {
  const session = useSession();
  return (
    <>
      <PageHeader
        title="My profile"
        description={
          <>
            {session.user.name} · {session.user.email}{' '}
            <Badge variant="light" size="sm" ml={4}>
              {ROLE_LABELS[session.user.role]}
            </Badge>
          </>
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="lg">
            <ProfileSection title="Password">
              <PasswordSection />
            </ProfileSection>
            <ProfileSection title="Two-factor authentication">
              <TwoFactorSection />
            </ProfileSection>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="lg">
            <ProfileSection title="API tokens">
              <ApiTokensSection />
            </ProfileSection>
            <ProfileSection title="Active sessions">
              <SessionsSection />
            </ProfileSection>
          </Stack>
        </Grid.Col>
      </Grid>
      <Text size="xs" c="dimmed" mt="lg">
        Name, email and other details are kept on your user record; ask an HR writer or administrator to
        change them.
      </Text>
    </>
  );
}
