import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import type { FieldDescriptor } from '../../api/entity-meta';
import { canWrite, useSession } from '../../api/session';
import type { ListSearch } from '../../app/search-params';
import { type ColumnDefinition, DataTable, ListPagination } from '../../components/data-table';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { notifyError, notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { FieldValue } from '../../generic/entity-fields';
import { controlHref, frameworkHref } from './evidence.api';
import { ControlStatusBadge } from './framework-detail';
import { useInstalledFrameworks } from './frameworks.api';
import {
  type DriftChange,
  type DriftKind,
  type DriftReport,
  type DriftSeverity,
  NOW,
  type Snapshot,
  useDrift,
  useSnapshots,
  useTakeSnapshot,
} from './reports.api';

/**
 * Drift: what changed between two snapshots of every control's status (or between a snapshot and
 * now), regressions first, with the reasons before and after: which evidence or rule moved it.
 */

const PAGE_SIZE = 100;

const SEVERITY_COLORS: Record<DriftSeverity, { color: string; variant: 'filled' | 'light' }> = {
  critical: { color: 'red', variant: 'filled' },
  high: { color: 'red', variant: 'light' },
  medium: { color: 'orange', variant: 'light' },
  low: { color: 'gray', variant: 'light' },
};
const KIND_LABELS: Record<DriftKind, string> = {
  regression: 'Regression',
  improvement: 'Improvement',
  scope: 'Scope change',
};
const KIND_COLORS: Record<DriftKind, string> = { regression: 'red', improvement: 'green', scope: 'gray' };

const OWNER_USER: FieldDescriptor = {
  name: 'ownerUserId',
  label: 'Owner',
  kind: 'uuid',
  reference: 'user',
  required: false,
  nullable: true,
  creatable: false,
  updatable: false,
};
const OWNER_GROUP: FieldDescriptor = { ...OWNER_USER, name: 'ownerGroupId', reference: 'group' };

/** Seconds included: two snapshots taken in the same minute must still be told apart. */
const snapshotTime = (iso: string) => dayjs(iso).format('D MMM YYYY, HH:mm:ss');
const snapshotLabel = (snapshot: Snapshot) =>
  `${snapshotTime(snapshot.takenAt)} · ${snapshot.trigger === 'schedule' ? 'daily' : 'manual'}`;

/**
 * A badge at its full width: its label may shrink to nothing (it hides what overflows), so a table
 * sizing its columns would otherwise cut it short.
 */
function Keep({ children }: { children: ReactNode }) {
  return <span style={{ display: 'inline-block', flexShrink: 0, minWidth: 'max-content' }}>{children}</span>;
}

const columns: ColumnDefinition<DriftChange>[] = [
  {
    key: 'severity',
    header: 'Severity',
    render: (change) => (
      <Stack gap={2} align="flex-start">
        <Keep>
          <Badge {...SEVERITY_COLORS[change.severity]}>{change.severity}</Badge>
        </Keep>
        <Text size="xs" c={KIND_COLORS[change.kind]}>
          {KIND_LABELS[change.kind]}
        </Text>
      </Stack>
    ),
  },
  {
    key: 'control',
    header: 'Control',
    render: (change) => (
      <Anchor component={Link} to={controlHref(change.controlId)} size="sm">
        <Text span ff="monospace" size="sm" fw={600}>
          {change.refId}
        </Text>{' '}
        {change.title}
      </Anchor>
    ),
  },
  {
    key: 'framework',
    header: 'Framework',
    visibleFrom: 'sm',
    render: (change) => (
      <Anchor component={Link} to={frameworkHref(change.frameworkId)} size="sm" c="dimmed">
        {change.frameworkName}
      </Anchor>
    ),
  },
  {
    key: 'status',
    header: 'Status',
    render: (change) => (
      <Group gap={6} wrap="nowrap">
        <Keep>
          <ControlStatusBadge status={change.from} />
        </Keep>
        <Text span c="dimmed">
          →<VisuallyHidden> became </VisuallyHidden>
        </Text>
        <Keep>
          <ControlStatusBadge status={change.to} />
        </Keep>
      </Group>
    ),
  },
  {
    key: 'reasons',
    header: 'Why',
    render: (change) => (
      <Stack gap={2} maw={380}>
        <Text size="xs">
          <Text span c="dimmed">
            Before:{' '}
          </Text>
          {change.fromReason || '—'}
        </Text>
        <Text size="xs">
          <Text span c="dimmed">
            After:{' '}
          </Text>
          {change.toReason || '—'}
        </Text>
      </Stack>
    ),
  },
  {
    key: 'owner',
    header: 'Owner',
    visibleFrom: 'md',
    render: (change) =>
      change.ownerUserId ? (
        <FieldValue field={OWNER_USER} value={change.ownerUserId} />
      ) : change.ownerGroupId ? (
        <FieldValue field={OWNER_GROUP} value={change.ownerGroupId} />
      ) : (
        <Text size="sm" c="dimmed">
          nobody
        </Text>
      ),
  },
];

export const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/** Photographs every control's status now (the scheduler does it daily); also used by the drift page. */
export function TakeSnapshotButton({ variant = 'filled' }: { variant?: 'filled' | 'default' }) {
  const take = useTakeSnapshot();
  return (
    <Button
      variant={variant}
      loading={take.isPending}
      onClick={() =>
        take.mutate(undefined, {
          onSuccess: (snapshot) =>
            notifySuccess(
              `${plural(snapshot.controls, 'control status', 'control statuses')} recorded${
                snapshot.notified ? `; ${plural(snapshot.notified, 'owner')} told of a regression` : ''
              }.`,
              'Snapshot taken',
            ),
          onError: (error) => notifyError(error, 'Could not take a snapshot'),
        })
      }
    >
      Take snapshot now
    </Button>
  );
}

export function DriftPage() {
  const session = useSession();
  const writable = canWrite(session, 'compliance');
  const search = useSearch({ from: '/app/compliance/drift' });
  const navigate = useNavigate({ from: '/compliance/drift' });
  const snapshots = useSnapshots();
  // A change of what is compared starts again from page 1.
  const update = (changes: ListSearch) => navigate({ search: { ...search, page: undefined, ...changes } });

  return (
    <>
      <PageHeader
        title="Compliance drift"
        crumbs={[{ label: 'Compliance dashboard', to: '/compliance/dashboard' }, { label: 'Drift' }]}
        description="What changed between two snapshots of every control's status, and why."
        actions={writable && <TakeSnapshotButton variant="default" />}
      />
      {snapshots.isError ? (
        <ErrorState error={snapshots.error} onRetry={() => snapshots.refetch()} />
      ) : !snapshots.data ? (
        <Skeleton height={240} />
      ) : snapshots.data.length === 0 ? (
        <EmptyStateBlock
          title="No snapshots yet"
          description="A snapshot records every control's status; one is taken daily. Drift compares two of them, or one with the statuses now."
          action={writable ? <TakeSnapshotButton /> : undefined}
        />
      ) : snapshots.data.length === 1 && !search.to ? (
        <EmptyStateBlock
          title="Only one snapshot so far"
          description={`Taken ${snapshotTime(snapshots.data[0]!.takenAt)}. Drift compares two snapshots: take another, or compare this one with the statuses now.`}
          action={
            <Group>
              {writable && <TakeSnapshotButton />}
              <Button variant="default" onClick={() => update({ from: snapshots.data[0]!.id, to: NOW })}>
                Compare with now
              </Button>
            </Group>
          }
        />
      ) : (
        <Drift snapshots={snapshots.data} search={search} update={update} />
      )}
    </>
  );
}

function Drift({
  snapshots,
  search,
  update,
}: {
  snapshots: Snapshot[];
  search: ListSearch;
  update: (changes: ListSearch) => void;
}) {
  const frameworks = useInstalledFrameworks(true);
  const takenAt = (id: string | undefined) =>
    id === NOW ? Number.POSITIVE_INFINITY : Date.parse(snapshots.find((s) => s.id === id)?.takenAt ?? '');
  // Both ends chosen in the wrong order would read improvements as regressions: refuse it here.
  const misordered = Boolean(search.from && search.to) && takenAt(search.from) >= takenAt(search.to);
  const drift = useDrift({ from: search.from, to: search.to, frameworkId: search.frameworkId }, !misordered);
  const report = drift.data;
  const from = search.from ?? report?.from?.id ?? null;
  const to = search.to ?? report?.to?.id ?? null;
  const snapshotOptions = snapshots.map((snapshot) => ({
    value: snapshot.id,
    label: snapshotLabel(snapshot),
  }));

  return (
    <Stack gap="lg">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label="From"
          description="The earlier snapshot"
          data={snapshotOptions}
          value={from}
          // Both ends go to the address once one is chosen, so that the pair can be checked here.
          onChange={(value) => update({ from: value ?? undefined, to: to ?? undefined })}
          allowDeselect={false}
          error={misordered ? 'Must be earlier than “To”' : undefined}
          w={{ base: '100%', xs: 290 }}
        />
        <Select
          label="To"
          description="A later snapshot, or the statuses now"
          data={[{ value: NOW, label: 'Now (live statuses)' }, ...snapshotOptions]}
          value={to}
          onChange={(value) => update({ from: from ?? undefined, to: value ?? undefined })}
          allowDeselect={false}
          w={{ base: '100%', xs: 290 }}
        />
        <Select
          label="Framework"
          placeholder="All frameworks"
          data={(frameworks.data ?? []).map((framework) => ({ value: framework.id, label: framework.name }))}
          value={search.frameworkId ?? null}
          onChange={(value) => update({ frameworkId: value ?? undefined })}
          clearable
          searchable
          w={{ base: '100%', xs: 290 }}
        />
        {misordered && (
          <Button variant="default" onClick={() => update({ from: search.to, to: search.from })}>
            Swap
          </Button>
        )}
      </Group>
      {misordered ? null : drift.isError ? (
        <ErrorState error={drift.error} what="snapshot" onRetry={() => drift.refetch()} />
      ) : !report ? (
        <Skeleton height={240} />
      ) : (
        <DriftChanges report={report} search={search} update={update} loading={drift.isPlaceholderData} />
      )}
    </Stack>
  );
}

function DriftChanges({
  report,
  search,
  update,
  loading,
}: {
  report: DriftReport;
  search: ListSearch;
  update: (changes: ListSearch) => void;
  loading: boolean;
}) {
  const scope = report.changes.filter((change) => change.kind === 'scope').length;
  const kind = (['regression', 'improvement', 'scope'] as const).find((k) => k === search.kind);
  const shown = kind ? report.changes.filter((change) => change.kind === kind) : report.changes;
  const page = Math.max(1, Number(search.page) || 1);
  const rows = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const end = report.to?.id === NOW ? 'now' : report.to ? snapshotTime(report.to.takenAt) : '';

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" maw={720}>
        <Count label="Regressions" value={report.regressions} color="red" />
        <Count label="Improvements" value={report.improvements} color="green" />
        <Count label="Scope changes" value={scope} color="gray" />
      </SimpleGrid>
      {report.from && (
        <Text size="sm" c="dimmed">
          Comparing {snapshotTime(report.from.takenAt)} with {end}.
        </Text>
      )}
      {report.changes.length === 0 ? (
        <EmptyStateBlock
          title="No changes"
          description="Every control has the same status at both ends of the comparison."
        />
      ) : (
        <>
          <SegmentedControl
            aria-label="Show"
            value={kind ?? 'all'}
            onChange={(value) => update({ kind: value === 'all' ? undefined : value })}
            data={[
              { value: 'all', label: `All (${report.changes.length})` },
              { value: 'regression', label: `Regressions (${report.regressions})` },
              { value: 'improvement', label: `Improvements (${report.improvements})` },
              { value: 'scope', label: `Scope (${scope})` },
            ]}
            style={{ alignSelf: 'flex-start' }}
          />
          <DataTable
            caption="Changes"
            columns={columns}
            rows={rows}
            rowKey={(change) => change.controlId}
            loading={loading}
            minWidth={880}
            empty={
              <EmptyStateBlock
                title={`No ${KIND_LABELS[kind ?? 'scope'].toLowerCase()}s`}
                description="Nothing of this kind changed between these snapshots."
              />
            }
          />
          {shown.length > PAGE_SIZE && (
            <ListPagination
              page={page}
              pageSize={PAGE_SIZE}
              total={shown.length}
              noun="changes"
              onPageChange={(next) =>
                update({ kind: search.kind, page: next === 1 ? undefined : String(next) })
              }
            />
          )}
        </>
      )}
    </Stack>
  );
}

function Count({ label, value, color }: { label: string; value: number; color: string }) {
  return (
    <Paper withBorder p="sm" style={{ borderLeft: `4px solid var(--mantine-color-${color}-6)` }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Paper>
  );
}
