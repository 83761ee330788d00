import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { ListSearch } from '../../app/search-params';
import { type ColumnDefinition, DataTable } from '../../components/data-table';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { formatDate } from '../../components/format';
import { PlusIcon } from '../../components/icons';
import { FilterBar, type FilterDefinition } from '../../components/list-controls';
import {
  type ItemRef,
  useFindings,
  useItemIndex,
  useOpenItem,
  useWorkAbilities,
  useWorkBlockedReason,
} from './audit-work.api';
import {
  FINDING_SEVERITIES,
  FINDING_STATUS_LABELS,
  FINDING_STATUSES,
  type Finding,
  isOverdue,
  SEVERITY_LABELS,
} from './audit-work.model';
import type { Audit } from './audits.model';
import { CloseFindingDialog } from './close-finding-dialog';
import { FindingDialog } from './finding-dialog';
import { ControlRef, FindingStatusBadge, OwnerName, SeverityBadge, useAuthorName } from './work-parts';

/**
 * The audit's findings, most severe first: filtered by status and severity (all of them come in
 * one answer, so the filters apply here), recorded and edited in a dialog, closed with a note.
 */

const FILTERS: FilterDefinition[] = [
  {
    key: 'findingStatus',
    label: 'Status',
    type: 'multi',
    options: FINDING_STATUSES.map((value) => ({ value, label: FINDING_STATUS_LABELS[value] })),
  },
  {
    key: 'severity',
    label: 'Severity',
    type: 'multi',
    options: FINDING_SEVERITIES.map((value) => ({ value, label: SEVERITY_LABELS[value] })),
  },
];

export function AuditFindings({
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
  const can = useWorkAbilities(audit);
  const blocked = useWorkBlockedReason(audit, 'findings');
  const query = useFindings(audit.id);
  // The controls to choose from, for those who record findings; a finding names its own control.
  const index = useItemIndex(audit.id, can.raiseFindings);
  const openItem = useOpenItem(audit.id, onOpenItem);
  const authorOf = useAuthorName();
  const [recording, setRecording] = useState(false);
  const [editing, setEditing] = useState<Finding | null>(null);
  const [closing, setClosing] = useState<Finding | null>(null);
  const statuses = search.findingStatus?.split(',') ?? [];
  const severities = search.severity?.split(',') ?? [];
  const filtering = statuses.length > 0 || severities.length > 0;
  const rows = query.data?.filter(
    (finding) =>
      (statuses.length === 0 || statuses.includes(finding.status)) &&
      (severities.length === 0 || severities.includes(finding.severity)),
  );
  const clear = () => onSearchChange({ findingStatus: undefined, severity: undefined });

  const columns: ColumnDefinition<Finding>[] = [
    {
      key: 'severity',
      header: 'Severity',
      render: (finding) => <SeverityBadge severity={finding.severity} />,
    },
    {
      key: 'title',
      header: 'Title',
      render: (finding) => (
        <Stack gap={2}>
          {can.editFindings ? (
            <Anchor
              component="button"
              type="button"
              size="sm"
              fw={500}
              ta="left"
              onClick={() => setEditing(finding)}
              aria-label={`${finding.title}: edit`}
            >
              {finding.title}
            </Anchor>
          ) : (
            <Text size="sm" fw={500}>
              {finding.title}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            Raised by {authorOf(finding)}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'control',
      header: 'Control',
      render: (finding) => {
        const itemId = finding.itemId;
        return (
          <ControlRef refId={finding.itemRefId} onOpen={itemId ? () => void openItem(itemId) : undefined} />
        );
      },
    },
    {
      key: 'owner',
      header: 'Owner',
      visibleFrom: 'sm',
      render: (finding) => <OwnerName auditId={audit.id} userId={finding.ownerUserId} />,
    },
    {
      key: 'due',
      header: 'Due',
      render: (finding) =>
        isOverdue(finding) ? (
          <Text size="sm" c="red" fw={600} style={{ whiteSpace: 'nowrap' }}>
            {formatDate(finding.dueDate)} · overdue
          </Text>
        ) : (
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {formatDate(finding.dueDate)}
          </Text>
        ),
    },
    { key: 'status', header: 'Status', render: (finding) => <FindingStatusBadge status={finding.status} /> },
    {
      key: 'actions',
      header: 'Actions',
      hiddenHeader: true,
      render: (finding) =>
        can.closeFinding(finding) && finding.status !== 'closed' ? (
          <Button
            size="compact-sm"
            variant="default"
            onClick={() => setClosing(finding)}
            aria-label={`Close the finding ${finding.title}`}
          >
            Close…
          </Button>
        ) : null,
    },
  ];

  const recordButton = can.raiseFindings ? (
    <Button leftSection={<PlusIcon size={16} />} onClick={() => setRecording(true)}>
      Record a finding
    </Button>
  ) : undefined;

  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  return (
    <Stack gap="md">
      {blocked && (
        <Alert color="gray" variant="light" role="note">
          {blocked}
        </Alert>
      )}
      {!blocked && !can.auditor && (
        <Alert color="gray" variant="light" role="note">
          The audit’s auditors raise findings and say what they are. The team gives each an owner, a due date
          and its progress; its owner (or an auditor) closes it with a note on how it was fixed.
        </Alert>
      )}
      {!blocked && !can.participate && audit.status === 'closed' && (
        <Alert color="gray" variant="light" role="note">
          The audit is closed: no new findings, but the open ones are tracked here until they are closed.
        </Alert>
      )}
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <FilterBar
          filters={FILTERS}
          values={search}
          onFilter={(key, value) => onSearchChange({ [key]: value })}
          filtering={filtering}
          onClear={clear}
        />
        {recordButton}
      </Group>
      <DataTable
        caption="Findings"
        columns={columns}
        rows={rows}
        rowKey={(finding) => finding.id}
        loading={query.isPending}
        minWidth={760}
        empty={
          filtering ? (
            <EmptyStateBlock
              title="No findings match"
              description="Try fewer filters."
              action={
                <Button variant="default" onClick={clear}>
                  Clear filters
                </Button>
              }
            />
          ) : (
            <EmptyStateBlock
              title="No findings"
              description="A finding is a gap the audit found: give it a severity, an owner and a due date, and close it with a note once fixed."
              action={recordButton}
            />
          )
        }
      />
      {rows && query.data && rows.length > 0 && (
        <Text size="sm" c="dimmed">
          {rows.length === query.data.length
            ? `${rows.length} ${rows.length === 1 ? 'finding' : 'findings'}`
            : `${rows.length} of ${query.data.length} findings`}
          , {query.data.filter((finding) => finding.status !== 'closed').length} not closed
        </Text>
      )}
      <FindingDialog
        audit={audit}
        opened={recording}
        finding={null}
        items={index.data ? [...index.data.values()].filter((item) => item.kind === 'control') : []}
        onClose={() => setRecording(false)}
      />
      <FindingDialog
        audit={audit}
        opened={editing !== null}
        finding={editing}
        onClose={() => setEditing(null)}
      />
      <CloseFindingDialog audit={audit} finding={closing} onClose={() => setClosing(null)} />
    </Stack>
  );
}
