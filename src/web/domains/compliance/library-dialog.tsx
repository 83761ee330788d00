import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorState } from '../../components/error-pages';
import { notifyError } from '../../components/notify';
import {
  type InstallReport,
  type LibraryEntry,
  useFrameworkLibrary,
  useInstallFramework,
} from './frameworks.api';

const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** What an install did, in a sentence: items are controls and their headings. */
export function installSummary(report: InstallReport): string {
  const parts = [
    `${report.created.toLocaleString()} created`,
    `${report.updated.toLocaleString()} updated`,
    `${report.unchanged.toLocaleString()} unchanged`,
  ];
  if (report.kept > 0) parts.push(`${report.kept.toLocaleString()} kept (no longer in the source)`);
  return `${count(report.controlCount, 'control', 'controls')}; items ${parts.join(', ')}.`;
}

/**
 * The built-in frameworks: install one in a click, or install it again to update it (installing
 * is idempotent: unchanged controls stay as they are, with their evidence and applicability).
 */
export function LibraryDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Add a framework from the library" size="xl">
      {opened && <LibraryEntries onClose={onClose} />}
    </Modal>
  );
}

function LibraryEntries({ onClose }: { onClose: () => void }) {
  const library = useFrameworkLibrary();
  const install = useInstallFramework();
  // Each entry's last install in this dialog: shown under it until the dialog closes.
  const [reports, setReports] = useState<Record<string, { report: InstallReport; wasInstalled: boolean }>>(
    {},
  );
  if (library.isError) return <ErrorState error={library.error} onRetry={() => library.refetch()} />;
  if (!library.data) return <Skeleton height={240} />;

  const run = (entry: LibraryEntry) =>
    install.mutate(entry.key, {
      onSuccess: (report) =>
        setReports((current) => ({
          ...current,
          [entry.key]: { report, wasInstalled: entry.installedId !== null },
        })),
      onError: (error) => notifyError(error, `Could not install ${entry.name}`),
    });

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Installing a framework again updates it to the library's version: controls keep their applicability,
        owners and evidence. Mappings to the other installed frameworks are added too.
      </Text>
      {library.data.map((entry) => {
        const done = reports[entry.key];
        const busy = install.isPending && install.variables === entry.key;
        return (
          <Paper key={entry.key} withBorder p="md" component="section" aria-label={entry.name}>
            <Stack gap="xs">
              <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Title order={3} size="h5">
                    {entry.name}
                  </Title>
                  <Text size="sm" c="dimmed">
                    {[
                      entry.edition && `Edition ${entry.edition}`,
                      entry.publisher,
                      count(entry.controlCount, 'control', 'controls'),
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </Text>
                </Stack>
                <Group gap="xs" wrap="nowrap">
                  {entry.installedId ? (
                    <>
                      <Badge color="green" variant="light">
                        Installed ✓
                      </Badge>
                      <Button
                        size="xs"
                        variant="default"
                        loading={busy}
                        disabled={install.isPending && !busy}
                        onClick={() => run(entry)}
                        aria-label={`Update ${entry.name}`}
                      >
                        Update
                      </Button>
                    </>
                  ) : (
                    <Button
                      size="xs"
                      loading={busy}
                      disabled={install.isPending && !busy}
                      onClick={() => run(entry)}
                      aria-label={`Install ${entry.name}`}
                    >
                      Install
                    </Button>
                  )}
                </Group>
              </Group>
              {entry.description && (
                <Text size="sm" lineClamp={3} title={entry.description}>
                  {entry.description}
                </Text>
              )}
              {done ? (
                <Alert color="green" title={done.wasInstalled ? 'Updated' : 'Installed'} role="status">
                  <Stack gap={4}>
                    <Text size="sm">
                      {installSummary(done.report)}{' '}
                      {done.report.mappings > 0
                        ? `${count(done.report.mappings, 'mapping', 'mappings')} to other frameworks added.`
                        : 'No new mappings to other frameworks.'}
                    </Text>
                    <Anchor
                      component={Link}
                      to={`/compliance/frameworks/${done.report.id}`}
                      onClick={onClose}
                      size="sm"
                    >
                      Open {done.report.name}
                    </Anchor>
                  </Stack>
                </Alert>
              ) : (
                entry.installedId && (
                  <Anchor
                    component={Link}
                    to={`/compliance/frameworks/${entry.installedId}`}
                    onClick={onClose}
                    size="sm"
                  >
                    Open {entry.name}
                  </Anchor>
                )
              )}
            </Stack>
          </Paper>
        );
      })}
    </Stack>
  );
}
