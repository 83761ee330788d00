import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useResourceList } from '../../api/resources';
import { canWrite, useSession } from '../../api/session';
import type { ListSearch } from '../../app/search-params';
import { type ColumnDefinition, DataTable, ListPagination } from '../../components/data-table';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { formatDate } from '../../components/format';
import { PlusIcon } from '../../components/icons';
import { FilterBar, type FilterDefinition } from '../../components/list-controls';
import { PageHeader } from '../../components/page-header';
import { AuditCreateDialog } from './audit-create-dialog';
import { AuditStatusBadge, LockedMark, ProgressBar } from './audit-parts';
import { auditResource } from './audits.api';
import { AUDIT_STATUS_LABELS, AUDIT_STATUSES, type Audit, useAuditsBase } from './audits.model';

/**
 * The audits: for the team at /compliance/audits, for an external auditor at /audits (the API lists
 * them only the audits they are invited to). Paged, searched and filtered on the server.
 */

const DEFAULT_PAGE_SIZE = 25;

const filters: FilterDefinition[] = [
  {
    key: 'status',
    label: 'Status',
    type: 'multi',
    options: AUDIT_STATUSES.map((status) => ({ value: status, label: AUDIT_STATUS_LABELS[status] })),
  },
  {
    key: 'locked',
    label: 'Locked',
    type: 'select',
    options: [
      { value: 'true', label: 'Locked' },
      { value: 'false', label: 'Not locked' },
    ],
  },
];
const FILTER_KEYS = ['q', ...filters.map((filter) => filter.key)];

export function AuditsPage() {
  const base = useAuditsBase();
  const session = useSession();
  const search: ListSearch = useSearch({ strict: false });
  const navigate = useNavigate();
  const writable = canWrite(session, 'compliance');
  const external = session.user.role === 'external_auditor';
  const [creating, setCreating] = useState(false);

  const params = {
    page: Number(search.page) > 0 ? Number(search.page) : 1,
    pageSize: Number(search.pageSize) > 0 ? Number(search.pageSize) : DEFAULT_PAGE_SIZE,
    sort: search.sort ?? '-periodStart',
    q: search.q,
    status: search.status,
    locked: search.locked,
  };
  const query = useResourceList<Audit>(auditResource, params);
  const filtering = FILTER_KEYS.some((key) => search[key]);
  // A change of search or filters starts again from page 1.
  const update = (changes: ListSearch, keepPage = false, replace = false) =>
    navigate({
      to: base,
      search: { ...search, ...(keepPage ? {} : { page: undefined }), ...changes },
      replace,
    });
  const clear = () => update(Object.fromEntries(FILTER_KEYS.map((key) => [key, undefined])));

  const columns: ColumnDefinition<Audit>[] = [
    {
      key: 'name',
      header: 'Name',
      sortField: 'name',
      render: (audit) => (
        <Group gap={6} wrap="nowrap">
          <Anchor component={Link} to={`${base}/${audit.id}`} fw={500} size="sm">
            {audit.name}
          </Anchor>
          <LockedMark audit={audit} />
        </Group>
      ),
    },
    { key: 'framework', header: 'Framework', visibleFrom: 'sm', render: (audit) => audit.frameworkName },
    {
      key: 'period',
      header: 'Period',
      sortField: 'periodStart',
      render: (audit) => (
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {formatDate(audit.periodStart)} – {formatDate(audit.periodEnd)}
        </Text>
      ),
    },
    { key: 'status', header: 'Status', render: (audit) => <AuditStatusBadge audit={audit} /> },
    {
      key: 'progress',
      header: 'Progress',
      visibleFrom: 'md',
      render: (audit) => <ProgressBar audit={audit} />,
    },
  ];

  const newButton = writable ? (
    <Button leftSection={<PlusIcon size={16} />} onClick={() => setCreating(true)}>
      New audit
    </Button>
  ) : undefined;

  return (
    <>
      <PageHeader
        title={external ? 'My audits' : 'Audits'}
        description={
          external
            ? 'The audits you are invited to: their controls and evidence as they were frozen, and your results.'
            : 'Each audit freezes a framework’s controls and their evidence for a period; the auditor records a result per control.'
        }
        actions={newButton}
      />
      <Stack gap="md">
        <FilterBar
          noun="audits"
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
              caption="Audits"
              columns={columns}
              rows={query.data?.data}
              rowKey={(audit) => audit.id}
              loading={query.isPending || query.isPlaceholderData}
              sort={params.sort}
              onSortChange={(sort) => update({ sort: sort === '-periodStart' ? undefined : sort }, true)}
              minWidth={720}
              empty={
                filtering ? (
                  <EmptyStateBlock
                    title="No audits match"
                    description="Try other words or fewer filters."
                    action={
                      <Button variant="default" onClick={clear}>
                        Clear search and filters
                      </Button>
                    }
                  />
                ) : (
                  <EmptyStateBlock
                    title={external ? 'No audits for you yet' : 'No audits yet'}
                    description={
                      external
                        ? 'When an administrator invites you to an audit, it appears here.'
                        : writable
                          ? 'Start one: choose a framework and a period, and its controls and evidence are frozen as they stand.'
                          : 'Nobody has started an audit yet.'
                    }
                    action={newButton}
                  />
                )
              }
            />
            {query.data && query.data.total > 0 && (
              <ListPagination
                page={query.data.page}
                pageSize={query.data.pageSize}
                total={query.data.total}
                noun="audits"
                onPageChange={(page) => update({ page: page === 1 ? undefined : String(page) }, true)}
                onPageSizeChange={(pageSize) =>
                  update({ pageSize: pageSize === DEFAULT_PAGE_SIZE ? undefined : String(pageSize) })
                }
              />
            )}
          </>
        )}
      </Stack>
      {writable && <AuditCreateDialog opened={creating} onClose={() => setCreating(false)} />}
    </>
  );
}
