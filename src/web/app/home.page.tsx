import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useSession } from '../api/session';
import { PageHeader } from '../components/page-header';
import { navigationFor } from './navigation';

export function HomePage() {
  const session = useSession();
  const sections = navigationFor(session).filter((section) => section.pages.length > 0);
  return (
    <>
      <PageHeader
        title={`Welcome, ${session.user.name}`}
        description="OpsDeck keeps your IT operations and governance in one place. Pick where to start."
      />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {sections.map((section) => (
          <Card key={section.module} withBorder padding="lg">
            <Stack gap="xs">
              <Title order={2} size="h4">
                {section.label}
              </Title>
              {section.pages.map((page) => (
                <Text key={page.to} component={Link} to={page.to} c="blue" td="underline">
                  {page.label}
                </Text>
              ))}
            </Stack>
          </Card>
        ))}
        <Card withBorder padding="lg">
          <Stack gap="xs">
            <Title order={2} size="h4">
              Your account
            </Title>
            <Text component={Link} to="/profile" c="blue" td="underline">
              Password, two-factor, API tokens and sessions
            </Text>
          </Stack>
        </Card>
      </SimpleGrid>
    </>
  );
}
