import '@mantine/charts/styles.css';
import { DonutChart, LineChart } from '@mantine/charts';
import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { canWrite, useSession } from '../../api/session';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { formatDate, formatDateTime } from '../../components/format';
import { DownloadIcon } from '../../components/icons';
import { notifyError } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { plural, TakeSnapshotButton } from './drift-page';
import { controlHref, daysUntil, evidenceResource, frameworkHref, todayIso } from './evidence.api';
import { CONTROL_STATUS_LABELS, type ControlStatus, type FrameworkStats } from './frameworks.api';
import { CoverageBar } from './frameworks-page';
import {
  type ComplianceDashboard,
  type DashboardFramework,
  downloadDashboardPdf,
  useComplianceDashboard,
} from './reports.api';

/**
 * The compliance dashboard: coverage across the active frameworks and how it is made up, each
 * framework at a glance, evidence about to stop counting, and coverage over the snapshots.
 */

/** The statuses as the statistics count them, best first; `not_applicable` stands apart. */
const STATUS_COUNTS = [
  { key: 'compliant', status: 'compliant', color: 'green.6' },
  { key: 'manual', status: 'manual', color: 'teal.5' },
  { key: 'warning', status: 'warning', color: 'yellow.5' },
  { key: 'nonCompliant', status: 'non_compliant', color: 'red.6' },
  { key: 'uncovered', status: 'uncovered', color: 'gray.5' },
  { key: 'notApplicable', status: 'not_applicable', color: 'gray.3' },
] as const satisfies ReadonlyArray<{ key: keyof FrameworkStats; status: ControlStatus; color: string }>;

/** One colour per framework line, in order. */
const LINE_COLORS = ['indigo.6', 'teal.6', 'orange.6', 'grape.6', 'cyan.6', 'pink.6', 'lime.7', 'blue.4'];

const percent = (value: number) => `${Number.isInteger(value) ? value : value.toFixed(1)}%`;

export function DashboardPage() {
  const session = useSession();
  const writable = canWrite(session, 'compliance');
  const query = useComplianceDashboard();
  const dashboard = query.data;
  const empty = dashboard?.frameworks.length === 0;
  return (
    <>
      <PageHeader
        title="Compliance dashboard"
        description="Coverage of the active frameworks: which applicable controls your evidence and rules satisfy."
        actions={dashboard && !empty && <DashboardActions writable={writable} />}
      />
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !dashboard ? (
        <Stack gap="lg">
          <Skeleton height={180} />
          <Skeleton height={240} />
        </Stack>
      ) : empty ? (
        <EmptyStateBlock
          title="No active framework"
          description="The dashboard measures the active frameworks. Add one from the library, import one, or make an installed one active."
          action={
            <Button component={Link} to="/compliance/frameworks">
              Go to frameworks
            </Button>
          }
        />
      ) : (
        <Stack gap="lg">
          <Totals dashboard={dashboard} />
          <section aria-labelledby="dashboard-frameworks">
            <Title id="dashboard-frameworks" order={2} size="h4" mb="sm">
              Frameworks
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
              {dashboard.frameworks.map((framework) => (
                <FrameworkCard key={framework.id} framework={framework} />
              ))}
            </SimpleGrid>
          </section>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <CoverageTrend dashboard={dashboard} writable={writable} />
            <ExpiringEvidenceList expiring={dashboard.expiringEvidence} />
          </SimpleGrid>
        </Stack>
      )}
    </>
  );
}

function DashboardActions({ writable }: { writable: boolean }) {
  const [exporting, setExporting] = useState(false);
  const exportPdf = async () => {
    setExporting(true);
    try {
      await downloadDashboardPdf();
    } catch (error) {
      notifyError(error, 'Could not export the dashboard');
    } finally {
      setExporting(false);
    }
  };
  return (
    <>
      <Button variant="default" component={Link} to="/compliance/drift">
        What changed
      </Button>
      <Button
        variant="default"
        leftSection={<DownloadIcon size={16} />}
        loading={exporting}
        onClick={() => void exportPdf()}
      >
        Export PDF
      </Button>
      {writable && <TakeSnapshotButton />}
    </>
  );
}

/** Coverage across every active framework, its make-up, and the controls nobody owns. */
function Totals({ dashboard }: { dashboard: ComplianceDashboard }) {
  const { totals, frameworks, withoutOwner } = dashboard;
  const slices = STATUS_COUNTS.filter((item) => totals[item.key] > 0).map((item) => ({
    name: CONTROL_STATUS_LABELS[item.status],
    value: totals[item.key],
    color: item.color,
  }));
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="dashboard-coverage">
      <Group gap="xl" align="center" wrap="wrap">
        <Stack gap={0}>
          <Text id="dashboard-coverage" size="xs" c="dimmed" tt="uppercase" fw={700}>
            Total coverage
          </Text>
          <Text fz={48} fw={800} lh={1.1} data-testid="total-coverage">
            {percent(totals.coverage)}
          </Text>
          <Text size="sm" c="dimmed">
            of {plural(totals.applicable, 'applicable control')} in{' '}
            {plural(frameworks.length, 'active framework')}
          </Text>
          <Text size="sm" c={withoutOwner > 0 ? 'orange.8' : 'dimmed'} mt={4}>
            {withoutOwner === 0
              ? 'Every control has an owner'
              : `${plural(withoutOwner, 'control')} without owner`}
          </Text>
        </Stack>
        {slices.length > 0 && (
          <DonutChart
            data={slices}
            size={150}
            thickness={22}
            chartLabel={percent(totals.coverage)}
            tooltipDataSource="segment"
            accessibilityLayer={false}
            aria-hidden
          />
        )}
        <Stack gap={6} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }} miw={200}>
          {STATUS_COUNTS.map((item) => (
            <Group key={item.key} gap="xs" component="li" wrap="nowrap">
              <span
                aria-hidden
                style={{
                  width: 12,
                  height: 12,
                  borderRadius: 3,
                  background: `var(--mantine-color-${item.color.replace('.', '-')})`,
                }}
              />
              <Text size="sm" style={{ flex: 1 }}>
                {CONTROL_STATUS_LABELS[item.status]}
              </Text>
              <Text size="sm" fw={700}>
                {totals[item.key]}
              </Text>
            </Group>
          ))}
        </Stack>
      </Group>
    </Paper>
  );
}

function FrameworkCard({ framework }: { framework: DashboardFramework }) {
  const { stats } = framework;
  return (
    <Paper withBorder p="md" component="article" aria-label={framework.name}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Anchor component={Link} to={frameworkHref(framework.id)} fw={600}>
            {framework.name}
          </Anchor>
          <Text fz={28} fw={800} lh={1}>
            {percent(stats.coverage)}
          </Text>
        </Group>
        <CoverageBar stats={stats} />
        <Group gap="xs" wrap="wrap">
          {STATUS_COUNTS.filter((item) => stats[item.key] > 0 && item.status !== 'not_applicable').map(
            (item) => (
              <Anchor
                key={item.key}
                renderRoot={(props) => (
                  <Link
                    {...props}
                    to="/compliance/frameworks/$frameworkId"
                    params={{ frameworkId: framework.id }}
                    search={{ status: item.status }}
                  />
                )}
                size="xs"
                c="dimmed"
              >
                {CONTROL_STATUS_LABELS[item.status]} {stats[item.key]}
              </Anchor>
            ),
          )}
        </Group>
        <Text size="sm" c={framework.withoutOwner > 0 ? 'orange.8' : 'dimmed'}>
          {framework.withoutOwner === 0
            ? 'Every control has an owner'
            : `${plural(framework.withoutOwner, 'control')} without owner`}
        </Text>
      </Stack>
    </Paper>
  );
}

/** Coverage of each active framework at each snapshot, a line per framework. */
function CoverageTrend({ dashboard, writable }: { dashboard: ComplianceDashboard; writable: boolean }) {
  const names = new Map(dashboard.frameworks.map((framework) => [framework.id, framework.name]));
  const bySnapshot = new Map<string, Record<string, string | number>>();
  for (const point of [...dashboard.trend].sort((a, b) => a.takenAt.localeCompare(b.takenAt))) {
    if (!names.has(point.frameworkId)) continue;
    const row = bySnapshot.get(point.snapshotId) ?? { takenAt: formatDateTime(point.takenAt) };
    row[point.frameworkId] = point.coverage;
    bySnapshot.set(point.snapshotId, row);
  }
  const rows = [...bySnapshot.values()];
  const series = dashboard.frameworks
    .filter((framework) => rows.some((row) => framework.id in row))
    .map((framework, index) => ({
      name: framework.id,
      label: framework.name,
      color: LINE_COLORS[index % LINE_COLORS.length]!,
    }));
  // For screen readers and tests: where each line starts and ends.
  const summary = series.map((line) => {
    const points = dashboard.trend
      .filter((point) => point.frameworkId === line.name)
      .sort((a, b) => a.takenAt.localeCompare(b.takenAt));
    const first = points[0]!;
    const last = points.at(-1)!;
    return `${line.label}: ${percent(first.coverage)} on ${formatDate(first.takenAt)}${
      points.length > 1 ? `, ${percent(last.coverage)} on ${formatDate(last.takenAt)}` : ''
    }`;
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="dashboard-trend">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title id="dashboard-trend" order={2} size="h4">
            Coverage trend
          </Title>
          {rows.length > 0 && (
            <Text size="xs" c="dimmed">
              {plural(rows.length, 'snapshot')}
            </Text>
          )}
        </Group>
        {rows.length === 0 ? (
          <EmptyStateBlock
            title="No snapshots yet"
            description="A snapshot records every control's status; one is taken daily. The trend appears from the first one."
            action={writable ? <TakeSnapshotButton variant="default" /> : undefined}
          />
        ) : (
          <>
            <LineChart
              h={260}
              data={rows}
              dataKey="takenAt"
              series={series}
              curveType="linear"
              withLegend
              legendProps={{ verticalAlign: 'bottom' }}
              yAxisProps={{ domain: [0, 100] }}
              valueFormatter={(value) => percent(value)}
              aria-label="Coverage of each framework at each snapshot"
            />
            <VisuallyHidden>
              <ul aria-label="Coverage trend by framework">
                {summary.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </VisuallyHidden>
            {rows.length === 1 && (
              <Text size="xs" c="dimmed">
                One snapshot so far: the lines appear with the next one.
              </Text>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}

/** Evidence whose validity ends soon: once it does, its control may lose its status. */
function ExpiringEvidenceList({ expiring }: { expiring: ComplianceDashboard['expiringEvidence'] }) {
  const today = todayIso();
  const until = new Date(Date.parse(today) + expiring.withinDays * 86_400_000).toISOString().slice(0, 10);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="dashboard-expiring">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title id="dashboard-expiring" order={2} size="h4">
            Evidence expiring within {expiring.withinDays} days
          </Title>
          <Badge color={expiring.total > 0 ? 'yellow' : 'gray'} variant="light">
            {expiring.total}
          </Badge>
        </Group>
        {expiring.total === 0 ? (
          <Text size="sm" c="dimmed">
            No evidence stops counting in the next {expiring.withinDays} days.
          </Text>
        ) : (
          <Stack gap={6} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {expiring.items.map((item) => {
              const left = daysUntil(item.validUntil);
              return (
                <Group key={item.id} component="li" justify="space-between" wrap="nowrap" gap="sm">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Anchor component={Link} to={controlHref(item.controlId)} size="sm" lineClamp={1}>
                      {item.controlRefId} · {item.title}
                    </Anchor>
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {item.frameworkName}
                    </Text>
                  </Stack>
                  <Text size="xs" c={left <= 7 ? 'red.7' : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(item.validUntil)} ·{' '}
                    {left <= 0 ? 'today' : left === 1 ? 'tomorrow' : `in ${left} days`}
                  </Text>
                </Group>
              );
            })}
          </Stack>
        )}
        {expiring.total > expiring.items.length && (
          <Anchor
            renderRoot={(props) => (
              <Link
                {...props}
                to="/records/$type"
                params={{ type: evidenceResource.entityType }}
                search={{ validUntilFrom: today, validUntilTo: until, sort: 'validUntil' }}
              />
            )}
            size="sm"
          >
            All {expiring.total} pieces of expiring evidence
          </Anchor>
        )}
      </Stack>
    </Paper>
  );
}
