import { Alert, Button, Stack, Text } from '@mantine/core';
import type { ListSearch } from '../../app/search-params';
import { type ColumnDefinition, DataTable } from '../../components/data-table';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { formatDateTime } from '../../components/format';
import { FilterBar, type FilterDefinition } from '../../components/list-controls';
import { type ItemRef, useOpenItem, useRequests, useWorkBlockedReason } from './audit-work.api';
import { type EvidenceRequest, REQUEST_STATUS_LABELS, REQUEST_STATUSES } from './audit-work.model';
import type { Audit } from './audits.model';
import { RequestActions } from './request-actions';
import { ControlRef, RequestStatusBadge, useAuthorName } from './work-parts';

/**
 * Every request for more evidence on the audit, open ones first, with its control (which opens
 * the control's drawer) and the quick actions: answer (the team), close, reopen.
 */

const STATUS_FILTER: FilterDefinition = {
  key: 'requestStatus',
  label: 'Status',
  type: 'multi',
  options: REQUEST_STATUSES.map((value) => ({ value, label: REQUEST_STATUS_LABELS[value] })),
};

const clamp = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } as const;

export function AuditRequests({
  audit,
  search,
  onSearchChange,
  onOpenItem,
}: {
  audit: Audit;
  search: ListSearch;
  onSearchChange: (changes: ListSearch) => void;
  onOpenItem: (item: ItemRef) => void;
}) {
  const blocked = useWorkBlockedReason(audit);
  const query = useRequests(audit.id);
  const openItem = useOpenItem(audit.id, onOpenItem);
  const authorOf = useAuthorName();
  const statuses = search.requestStatus?.split(',') ?? [];
  const rows = query.data?.filter((request) => statuses.length === 0 || statuses.includes(request.status));

  const columns: ColumnDefinition<EvidenceRequest>[] = [
    { key: 'status', header: 'Status', render: (request) => <RequestStatusBadge status={request.status} /> },
    {
      key: 'control',
      header: 'Control',
      render: (request) => (
        <ControlRef refId={request.itemRefId} onOpen={() => void openItem(request.itemId)} />
      ),
    },
    {
      key: 'body',
      header: 'Request',
      render: (request) => (
        <Stack gap={2} maw={420}>
          <Text size="sm" lineClamp={4} style={clamp}>
            {request.body}
          </Text>
          <Text size="xs" c="dimmed">
            {authorOf(request)} · {formatDateTime(request.createdAt)}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'answer',
      header: 'Answer',
      visibleFrom: 'md',
      render: (request) =>
        request.answer ? (
          <Text size="sm" lineClamp={4} maw={360} style={clamp}>
            {request.answer}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ),
    },
    {
      key: 'actions',
      header: 'Actions',
      hiddenHeader: true,
      render: (request) => (
        <RequestActions audit={audit} request={request} controlRef={request.itemRefId ?? 'this control'} />
      ),
    },
  ];

  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  return (
    <Stack gap="md">
      {blocked && (
        <Alert color="gray" variant="light" role="note">
          {blocked}
        </Alert>
      )}
      <FilterBar
        filters={[STATUS_FILTER]}
        values={search}
        onFilter={(key, value) => onSearchChange({ [key]: value })}
        filtering={statuses.length > 0}
        onClear={() => onSearchChange({ requestStatus: undefined })}
      />
      <DataTable
        caption="Requests for evidence"
        columns={columns}
        rows={rows}
        rowKey={(request) => request.id}
        loading={query.isPending}
        minWidth={760}
        empty={
          statuses.length > 0 ? (
            <EmptyStateBlock
              title="No requests match"
              description="Try another status."
              action={
                <Button variant="default" onClick={() => onSearchChange({ requestStatus: undefined })}>
                  Clear filters
                </Button>
              }
            />
          ) : (
            <EmptyStateBlock
              title="No requests for evidence"
              description="Auditors ask for more evidence from a control’s drawer, on the Controls tab; the team answers here or there."
            />
          )
        }
      />
    </Stack>
  );
}
