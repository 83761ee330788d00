import {
  Badge,
  Box,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useResourceList } from '../../api/resources';
import { canWrite, useSession } from '../../api/session';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { PlusIcon, UploadIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { type ColumnDefinition, type FilterDefinition, ResourceList } from '../../components/resource-list';
import {
  type ControlStatus,
  FRAMEWORK_SOURCES,
  type Framework,
  type FrameworkSource,
  type FrameworkStats,
  frameworkResource,
  SOURCE_COLORS,
  SOURCE_LABELS,
} from './frameworks.api';
import { ImportDialog } from './import-dialog';
import { LibraryDialog } from './library-dialog';

/**
 * The compliance frameworks: each with its coverage (which applicable controls are satisfied, and
 * how), added from the built-in library, imported from a file, or written by hand.
 */

export function SourceBadge({ source }: { source: FrameworkSource }) {
  return (
    <Badge variant="light" color={SOURCE_COLORS[source]}>
      {SOURCE_LABELS[source]}
    </Badge>
  );
}

/** The applicable controls by status, in the order an auditor reads them (best first). */
const COVERAGE_SEGMENTS = [
  { key: 'compliant', label: 'Compliant', color: 'green', status: 'compliant' },
  { key: 'manual', label: 'Manual', color: 'teal', status: 'manual' },
  { key: 'warning', label: 'Warning', color: 'yellow', status: 'warning' },
  { key: 'nonCompliant', label: 'Non-compliant', color: 'red', status: 'non_compliant' },
  { key: 'uncovered', label: 'Uncovered', color: 'gray', status: 'uncovered' },
] as const satisfies ReadonlyArray<{
  key: keyof FrameworkStats;
  label: string;
  color: string;
  status: ControlStatus;
}>;

/** A bar of the applicable controls by status; not-applicable ones are counted apart, beside it. */
export function CoverageBar({ stats, size = 'md' }: { stats: FrameworkStats; size?: 'md' | 'xl' }) {
  if (stats.controls === 0) {
    return (
      <Text size="sm" c="dimmed">
        No controls
      </Text>
    );
  }
  const breakdown = COVERAGE_SEGMENTS.map((segment) => `${segment.label} ${stats[segment.key]}`).join(', ');
  return (
    <Stack gap={4} miw={180}>
      <Progress.Root size={size} aria-hidden>
        {COVERAGE_SEGMENTS.filter((segment) => stats[segment.key] > 0).map((segment) => (
          <Tooltip key={segment.key} label={`${segment.label}: ${stats[segment.key]}`} withArrow>
            <Progress.Section
              value={stats.applicable === 0 ? 0 : (100 * stats[segment.key]) / stats.applicable}
              color={segment.color}
              withAria={false}
            />
          </Tooltip>
        ))}
      </Progress.Root>
      <Text size="xs" c="dimmed">
        {stats.coverage}% covered · {stats.applicable} applicable
        {stats.notApplicable > 0 ? ` · ${stats.notApplicable} not applicable` : ''}
        <VisuallyHidden>. {breakdown}.</VisuallyHidden>
      </Text>
    </Stack>
  );
}

/** One card per status: the applicable controls by status, then those not applicable. */
const STAT_CARDS = [
  ...COVERAGE_SEGMENTS,
  { key: 'notApplicable', label: 'Not applicable', color: 'gray', status: 'not_applicable' },
] as const;

/** Coverage, then one card per status: choosing one shows those controls below. */
export function StatCards({
  stats,
  onStatus,
}: {
  stats: FrameworkStats;
  onStatus: (status: ControlStatus) => void;
}) {
  return (
    <SimpleGrid cols={{ base: 2, xs: 3, md: 7 }} spacing="sm">
      <Paper withBorder p="sm">
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
          Coverage
        </Text>
        <Text size="xl" fw={700}>
          {stats.coverage}%
        </Text>
        <Text size="xs" c="dimmed">
          of {stats.applicable} applicable
        </Text>
      </Paper>
      {STAT_CARDS.map((card) => (
        <Paper
          key={card.key}
          withBorder
          p={0}
          style={{ borderLeft: `4px solid var(--mantine-color-${card.color}-6)` }}
        >
          <UnstyledButton
            p="sm"
            w="100%"
            h="100%"
            onClick={() => onStatus(card.status)}
            aria-label={`${card.label}: ${stats[card.key]}. Show these controls`}
          >
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              {card.label}
            </Text>
            <Text size="xl" fw={700} c={card.status === 'not_applicable' ? 'dimmed' : undefined}>
              {stats[card.key]}
            </Text>
          </UnstyledButton>
        </Paper>
      ))}
      <Box style={{ gridColumn: '1 / -1' }}>
        <CoverageBar stats={stats} size="xl" />
      </Box>
    </SimpleGrid>
  );
}

const columns: ColumnDefinition<Framework>[] = [
  {
    key: 'edition',
    header: 'Edition',
    visibleFrom: 'sm',
    render: (framework) => framework.edition ?? '—',
  },
  {
    key: 'publisher',
    header: 'Publisher',
    visibleFrom: 'md',
    render: (framework) => framework.publisher ?? '—',
  },
  {
    key: 'source',
    header: 'Source',
    sortField: 'source',
    render: (framework) => <SourceBadge source={framework.source} />,
  },
  {
    key: 'isActive',
    header: 'Active',
    render: (framework) =>
      framework.isActive ? (
        <Badge variant="light" color="green">
          Active
        </Badge>
      ) : (
        <Badge variant="outline" color="gray">
          Inactive
        </Badge>
      ),
  },
  {
    key: 'coverage',
    header: 'Coverage',
    render: (framework) => <CoverageBar stats={framework.stats} />,
  },
];

const filters: FilterDefinition[] = [
  {
    key: 'source',
    label: 'Source',
    type: 'multi',
    options: FRAMEWORK_SOURCES.map((source) => ({ value: source, label: SOURCE_LABELS[source] })),
  },
  {
    key: 'isActive',
    label: 'Active',
    type: 'select',
    options: [
      { value: 'true', label: 'Active' },
      { value: 'false', label: 'Inactive' },
    ],
  },
];

export function FrameworksPage() {
  const session = useSession();
  const search = useSearch({ from: '/app/compliance/frameworks' });
  const navigate = useNavigate({ from: '/compliance/frameworks' });
  const writable = canWrite(session, 'compliance');
  const [dialog, setDialog] = useState<'library' | 'import' | null>(null);
  // Whether any framework exists at all, archived ones included: none yet invites to add one.
  const any = useResourceList<Framework>(frameworkResource, { pageSize: 1, archived: 'all' });

  const addButtons = writable ? (
    <>
      <Button onClick={() => setDialog('library')} leftSection={<PlusIcon size={16} />}>
        Add from library
      </Button>
      <Button variant="default" onClick={() => setDialog('import')} leftSection={<UploadIcon size={16} />}>
        Import
      </Button>
    </>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Frameworks"
        description="The standards you measure against, and how much of each your evidence covers."
        actions={
          writable && (
            <>
              {addButtons}
              <Button
                variant="default"
                onClick={() => navigate({ to: '/records/$type/new', params: { type: 'framework' } })}
              >
                New custom framework
              </Button>
            </>
          )
        }
      />
      {any.isError ? (
        <ErrorState error={any.error} onRetry={() => any.refetch()} />
      ) : !any.data ? (
        <Skeleton height={240} />
      ) : any.data.total === 0 ? (
        <EmptyStateBlock
          title="No frameworks yet"
          description={
            writable
              ? 'Add ISO 27001, SOC 2 or NIST from the built-in library in one click, or import an OSCAL catalog, a JSON list or a CSV file.'
              : 'Nobody has added a framework yet. Ask someone with write access to compliance to add one.'
          }
          action={addButtons && <Group>{addButtons}</Group>}
        />
      ) : (
        <ResourceList<Framework>
          definition={frameworkResource}
          listKey="compliance-frameworks"
          titleColumn={{
            key: 'name',
            header: 'Name',
            sortField: 'name',
            render: (framework) => framework.name,
            href: (framework) => `/compliance/frameworks/${framework.id}`,
          }}
          columns={columns}
          filters={filters}
          search={search}
          onSearchChange={(next, options) => navigate({ search: next, replace: options?.replace })}
          defaultSort="name"
          createAction={addButtons && <Group>{addButtons}</Group>}
        />
      )}
      <LibraryDialog opened={dialog === 'library'} onClose={() => setDialog(null)} />
      <ImportDialog opened={dialog === 'import'} onClose={() => setDialog(null)} />
    </>
  );
}
