import {
  Anchor,
  Badge,
  Button,
  Group,
  Menu,
  Skeleton,
  Stack,
  Switch,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { isApiError, type QueryParams } from '../../api/client';
import type { FieldDescriptor } from '../../api/entity-meta';
import { useResourceRecord, useUpdateRecord } from '../../api/resources';
import type { RecordDetail } from '../../api/types';
import type { ListSearch } from '../../app/search-params';
import { type ColumnDefinition, DataTable, ListPagination } from '../../components/data-table';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { ChevronDownIcon, DownloadIcon } from '../../components/icons';
import { FilterBar, type FilterDefinition } from '../../components/list-controls';
import { notifyError, notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { RecordLifecycleActions } from '../../components/record-actions';
import { FieldValue } from '../../generic/entity-fields';
import {
  CONTROL_STATUS_COLORS,
  CONTROL_STATUS_LABELS,
  CONTROL_STATUSES,
  type Control,
  type ControlStatus,
  downloadFrameworkExport,
  type ExportFormat,
  type Framework,
  frameworkResource,
  useFrameworkControls,
} from './frameworks.api';
import { SourceBadge, StatCards } from './frameworks-page';

/**
 * One framework: its coverage by status, and its controls as the tree they form in the standard,
 * one page at a time, searchable and filtered by status, applicability and kind. A control opens
 * on the generic control page, where its evidence, mappings and applicability are managed.
 */

const PAGE_SIZE = 100;

/** A control's live status; the reason (which evidence, what is missing) on hover and to screen readers. */
export function ControlStatusBadge({ status, reason }: { status: ControlStatus; reason?: string | null }) {
  const badge = (
    <Badge
      variant={status === 'not_applicable' ? 'outline' : status === 'uncovered' ? 'filled' : 'light'}
      color={status === 'uncovered' ? 'gray.5' : CONTROL_STATUS_COLORS[status]}
      td={status === 'not_applicable' ? 'line-through' : undefined}
    >
      {CONTROL_STATUS_LABELS[status]}
      {reason && <VisuallyHidden>: {reason}</VisuallyHidden>}
    </Badge>
  );
  return reason ? (
    <Tooltip label={reason} withArrow multiline maw={320}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

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

const columns: ColumnDefinition<Control>[] = [
  {
    key: 'refId',
    header: 'Ref',
    render: (control) => (
      <Text
        size="sm"
        ff="monospace"
        fw={control.kind === 'group' ? 700 : undefined}
        style={{ whiteSpace: 'nowrap' }}
      >
        {control.refId}
      </Text>
    ),
  },
  {
    key: 'title',
    header: 'Title',
    render: (control) => (
      <Group gap={6} wrap="nowrap" pl={`calc(${control.depth} * 1.25rem)`}>
        <Anchor
          component={Link}
          to={`/records/control/${control.id}`}
          size="sm"
          fw={control.kind === 'group' ? 700 : 500}
          td={control.withdrawn ? 'line-through' : undefined}
          c={control.applicable ? undefined : 'dimmed'}
        >
          {control.title}
        </Anchor>
        {control.withdrawn && (
          <Badge size="xs" variant="outline" color="gray">
            Withdrawn
          </Badge>
        )}
      </Group>
    ),
  },
  {
    key: 'status',
    header: 'Status',
    render: (control) =>
      control.status ? <ControlStatusBadge status={control.status} reason={control.statusReason} /> : null,
  },
  {
    key: 'owner',
    header: 'Owner',
    visibleFrom: 'sm',
    render: (control) =>
      control.ownerUserId ? (
        <FieldValue field={OWNER_USER} value={control.ownerUserId} />
      ) : control.ownerGroupId ? (
        <FieldValue field={OWNER_GROUP} value={control.ownerGroupId} />
      ) : control.kind === 'group' ? (
        ''
      ) : (
        '—'
      ),
  },
  {
    key: 'evidence',
    header: 'Evidence',
    visibleFrom: 'xs',
    render: (control) => (control.kind === 'group' ? '' : control.evidenceCount),
  },
];

const filters: FilterDefinition[] = [
  {
    key: 'status',
    label: 'Status',
    type: 'multi',
    options: CONTROL_STATUSES.map((status) => ({ value: status, label: CONTROL_STATUS_LABELS[status] })),
  },
  {
    key: 'applicable',
    label: 'Applicable',
    type: 'select',
    options: [
      { value: 'true', label: 'Applicable' },
      { value: 'false', label: 'Not applicable' },
    ],
  },
  {
    key: 'kind',
    label: 'Kind',
    type: 'select',
    options: [
      { value: 'control', label: 'Controls' },
      { value: 'group', label: 'Headings' },
    ],
  },
];
const FILTER_KEYS = ['q', ...filters.map((filter) => filter.key)];

/** The controls query from the URL: tree order, and headings left out when filtering by status (they have none). */
function controlParams(search: ListSearch): QueryParams {
  return {
    page: Number(search.page) > 0 ? Number(search.page) : 1,
    pageSize: PAGE_SIZE,
    sort: 'position',
    q: search.q,
    status: search.status,
    applicable: search.applicable,
    kind: search.kind ?? (search.status ? 'control' : undefined),
  };
}

const EXPORTS: Array<{ format: ExportFormat; label: string }> = [
  { format: 'oscal', label: 'OSCAL catalog (JSON)' },
  { format: 'json', label: 'Simple JSON' },
  { format: 'csv', label: 'CSV' },
];

export function FrameworkDetailPage() {
  const { frameworkId } = useParams({ from: '/app/compliance/frameworks/$frameworkId' });
  const search = useSearch({ from: '/app/compliance/frameworks/$frameworkId' });
  const navigate = useNavigate({ from: '/compliance/frameworks/$frameworkId' });
  const query = useResourceRecord<Framework>(frameworkResource, frameworkId);
  if (query.isError)
    return <ErrorState error={query.error} what="framework" onRetry={() => query.refetch()} />;
  if (!query.data) return <Skeleton height={320} />;
  const framework = query.data;
  // A change of search or filters starts again from page 1.
  const update = (changes: ListSearch, keepPage = false, replace = false) =>
    navigate({ search: { ...search, ...(keepPage ? {} : { page: undefined }), ...changes }, replace });

  return (
    <>
      <PageHeader
        title={framework.name}
        crumbs={[{ label: 'Frameworks', to: '/compliance/frameworks' }, { label: framework.name }]}
        badge={
          <Group gap="xs">
            <SourceBadge source={framework.source} />
            {framework.isArchived && (
              <Badge color="gray" variant="outline">
                Archived
              </Badge>
            )}
          </Group>
        }
        description={
          [framework.edition && `Edition ${framework.edition}`, framework.publisher]
            .filter(Boolean)
            .join(' · ') || undefined
        }
        actions={<FrameworkActions framework={framework} onChanged={() => void query.refetch()} />}
      />
      <Stack gap="lg">
        {framework.description && (
          <Text size="sm" maw={880}>
            {framework.description}
          </Text>
        )}
        <StatCards stats={framework.stats} onStatus={(status) => update({ status, kind: undefined })} />
        <ControlsTree frameworkId={framework.id} search={search} update={update} />
      </Stack>
    </>
  );
}

function FrameworkActions({
  framework,
  onChanged,
}: {
  framework: RecordDetail<Framework>;
  onChanged: () => void;
}) {
  const navigate = useNavigate();
  const setActive = useUpdateRecord<Framework>(frameworkResource, framework.id);
  const [exporting, setExporting] = useState(false);
  const editable = framework.abilities.update && !framework.isArchived;

  const toggle = (isActive: boolean) =>
    setActive.mutate(
      { changes: { isActive }, version: framework.version },
      {
        onSuccess: () => notifySuccess(`${framework.name} is now ${isActive ? 'active' : 'inactive'}.`),
        onError: (error) => {
          notifyError(
            error,
            isApiError(error, 409)
              ? 'Someone changed this framework meanwhile: reloaded, try again'
              : 'Could not change whether the framework is active',
          );
          onChanged();
        },
      },
    );

  const download = async (format: ExportFormat) => {
    setExporting(true);
    try {
      await downloadFrameworkExport(framework.id, format);
    } catch (error) {
      notifyError(error, 'Could not export the framework');
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <Switch
        label="Active"
        checked={framework.isActive}
        disabled={!editable || setActive.isPending}
        onChange={(event) => toggle(event.currentTarget.checked)}
        mr="xs"
      />
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button
            variant="default"
            leftSection={<DownloadIcon size={16} />}
            rightSection={<ChevronDownIcon size={14} />}
            loading={exporting}
          >
            Export
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {EXPORTS.map((item) => (
            <Menu.Item key={item.format} onClick={() => void download(item.format)}>
              {item.label}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      {editable && framework.source !== 'builtin' && (
        <Button
          variant="default"
          onClick={() =>
            navigate({ to: '/records/$type/$id/edit', params: { type: 'framework', id: framework.id } })
          }
        >
          Edit
        </Button>
      )}
      <Button variant="subtle" component={Link} to={`/records/framework/${framework.id}`}>
        Tags, files and history
      </Button>
      <RecordLifecycleActions
        definition={frameworkResource}
        record={framework}
        name={framework.name}
        onChanged={onChanged}
      />
    </>
  );
}

function ControlsTree({
  frameworkId,
  search,
  update,
}: {
  frameworkId: string;
  search: ListSearch;
  update: (changes: ListSearch, keepPage?: boolean, replace?: boolean) => void;
}) {
  const params = controlParams(search);
  const query = useFrameworkControls(frameworkId, params);
  const filtering = FILTER_KEYS.some((key) => search[key]);
  const clear = () => update(Object.fromEntries(FILTER_KEYS.map((key) => [key, undefined])));

  return (
    <Stack gap="md">
      <FilterBar
        noun="controls"
        filters={filters}
        values={search}
        onSearch={(q) => update({ q }, false, true)}
        onFilter={(key, value) => update({ [key]: value })}
        filtering={filtering}
        onClear={clear}
      />
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <>
          <DataTable
            caption="Controls"
            columns={columns}
            rows={query.data?.data}
            rowKey={(control) => control.id}
            loading={query.isPending || query.isPlaceholderData}
            minWidth={720}
            empty={
              filtering ? (
                <EmptyStateBlock
                  title="No controls match"
                  description="Try other words or fewer filters."
                  action={
                    <Button variant="default" onClick={clear}>
                      Clear search and filters
                    </Button>
                  }
                />
              ) : (
                <EmptyStateBlock
                  title="No controls yet"
                  description="This framework has no controls. Custom frameworks get theirs from the Controls list; imported ones from their file."
                />
              )
            }
          />
          {query.data && query.data.total > 0 && (
            <ListPagination
              page={query.data.page}
              pageSize={query.data.pageSize}
              total={query.data.total}
              noun={
                search.kind === 'group'
                  ? 'headings'
                  : params.kind === 'control'
                    ? 'controls'
                    : 'controls and headings'
              }
              onPageChange={(page) => update({ page: page === 1 ? undefined : String(page) }, true)}
            />
          )}
        </>
      )}
    </Stack>
  );
}
