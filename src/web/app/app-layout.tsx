import {
  ActionIcon,
  AppShell,
  Avatar,
  Badge,
  Burger,
  Button,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useEffect } from 'react';
import { useOptionalSession, useSession, useSessionActions } from '../api/session';
import { LogoutIcon, MoonIcon, SunIcon, UserIcon } from '../components/icons';
import { PageLoader } from '../components/page-loader';
import { GlobalSearch } from './global-search';
import { navigationFor } from './navigation';
import { NotificationBell } from './notification-bell';

export function AppLayout() {
  // Null for a moment after the session ends, until the redirect to login has happened.
  const session = useOptionalSession();
  return session ? <SignedInLayout /> : <PageLoader />;
}

function SignedInLayout() {
  const [navigationOpened, { toggle, close }] = useDisclosure(false);
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  // On phones the sidebar is a drawer: close it once the user has picked a page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation
  useEffect(() => close(), [pathname]);

  return (
    <>
      <a className="skip-link" href="#main-content">
        Skip to main content
      </a>
      <AppShell
        header={{ height: 56 }}
        navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !navigationOpened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={navigationOpened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={navigationOpened ? 'Close navigation' : 'Open navigation'}
                aria-controls="main-navigation"
                aria-expanded={navigationOpened}
              />
              <Text component={Link} to="/" fw={700} size="lg" className="brand">
                OpsDeck
              </Text>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <GlobalSearch />
              <NotificationBell />
              <ThemeToggle />
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar id="main-navigation" aria-label="Main navigation">
          <AppShell.Section grow component={ScrollArea} p="xs">
            <Sidebar pathname={pathname} />
          </AppShell.Section>
        </AppShell.Navbar>
        <AppShell.Main id="main-content" tabIndex={-1} className="main-content">
          <Outlet />
        </AppShell.Main>
      </AppShell>
    </>
  );
}

function Sidebar({ pathname }: { pathname: string }) {
  const session = useSession();
  const sections = navigationFor(session);
  return (
    <nav aria-label="Modules">
      {sections.map((section) =>
        section.pages.length > 0 ? (
          <div key={section.module} className="nav-section">
            <Text component="h2" className="nav-section-title" size="xs" fw={700} c="dimmed" tt="uppercase">
              {section.label}
            </Text>
            {section.pages.map((page) => {
              const active = pathname === page.to || pathname.startsWith(`${page.to}/`);
              return (
                <NavLink
                  key={page.to}
                  component={Link}
                  to={page.to}
                  label={page.label}
                  active={active}
                  aria-current={active ? 'page' : undefined}
                />
              );
            })}
          </div>
        ) : (
          <NavLink
            key={section.module}
            label={section.label}
            disabled
            aria-disabled="true"
            rightSection={
              <Badge size="xs" variant="light" color="gray">
                Soon
              </Badge>
            }
            description={<VisuallyHidden>coming soon</VisuallyHidden>}
          />
        ),
      )}
    </nav>
  );
}

function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: true });
  const next = computed === 'dark' ? 'light' : 'dark';
  const label = `Switch to ${next} theme`;
  return (
    <Tooltip label={label}>
      <ActionIcon variant="default" size="lg" aria-label={label} onClick={() => setColorScheme(next)}>
        {computed === 'dark' ? <SunIcon /> : <MoonIcon />}
      </ActionIcon>
    </Tooltip>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase();
}

function UserMenu() {
  const session = useSession();
  const { logout } = useSessionActions();
  const navigate = useNavigate();
  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          px="xs"
          aria-label={`Account menu for ${session.user.name}`}
          leftSection={
            <Avatar size="sm" radius="xl" color="blue">
              {initials(session.user.name)}
            </Avatar>
          }
        >
          <Text size="sm" visibleFrom="xs" truncate maw={160}>
            {session.user.name}
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{session.user.email}</Menu.Label>
        <Menu.Item component={Link} to="/profile" leftSection={<UserIcon size={16} />}>
          My profile
        </Menu.Item>
        <Menu.Item
          leftSection={<LogoutIcon size={16} />}
          onClick={async () => {
            await logout();
            await navigate({ to: '/login' });
          }}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
