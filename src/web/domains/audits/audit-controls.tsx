import { Alert, Anchor, Group, Select, Stack, Text } from '@mantine/core';
import { isApiError } from '../../api/client';
import { useSession } from '../../api/session';
import { type ColumnDefinition, DataTable, ListPagination } from '../../components/data-table';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { notifyError } from '../../components/notify';
import { AuditItemDrawer } from './audit-item-drawer';
import { FrozenStatusBadge } from './audit-parts';
import { ITEMS_PAGE_SIZE } from './audit-work.api';
import { useAuditItems, useIsAuditor, useUpdateAuditItem } from './audits.api';
import {
  AUDIT_RESULTS,
  type Audit,
  type AuditItem,
  type AuditResult,
  auditAbilities,
  RESULT_LABELS,
} from './audits.model';

/**
 * The frozen controls, in framework order, one page at a time: the status each had when frozen,
 * the auditor's result (chosen right in the row) and how much evidence was frozen with it. A
 * control's title opens the drawer with its text, its evidence, the auditor's comment and the
 * audit's work on it (threads, requests, findings).
 */

/** As the item index counts pages (see `useItemIndex`). */
const PAGE_SIZE = ITEMS_PAGE_SIZE;

const RESULT_OPTIONS = AUDIT_RESULTS.map((result) => ({ value: result, label: RESULT_LABELS[result] }));

/** Why results cannot be recorded now, or null when they can. */
export function readOnlyReason(audit: Audit, can: { recorder: boolean; admin: boolean }): string | null {
  if (audit.locked) return 'The audit is locked: results and comments cannot change until it is unlocked.';
  if (audit.status === 'closed') return 'The audit is closed: its results are final.';
  if (!can.recorder)
    return can.admin
      ? 'Only the audit’s auditors record results and their comments; the team does not grade its own work. To record them yourself, join as an auditor on the People tab.'
      : 'Only the audit’s auditors record results and their comments; the team does not grade its own work. An administrator can add an auditor on the People tab.';
  return null;
}

export function AuditControls({
  audit,
  page,
  onPageChange,
  openId,
  onOpenChange,
}: {
  audit: Audit;
  page: number;
  onPageChange: (page: number) => void;
  /** The control whose drawer is open (kept in the address, so that it can be linked to). */
  openId: string | null;
  onOpenChange: (itemId: string | null) => void;
}) {
  const session = useSession();
  const can = auditAbilities(session, audit, useIsAuditor(audit.id));
  const readOnly = readOnlyReason(audit, can);
  const query = useAuditItems(audit.id, { page, pageSize: PAGE_SIZE });
  const update = useUpdateAuditItem(audit.id);
  const open = query.data?.data.find((item) => item.id === openId) ?? null;

  const setResult = (item: AuditItem, result: AuditResult) =>
    update.mutate(
      { item, result },
      {
        onError: (error) =>
          notifyError(
            error,
            isApiError(error, 409)
              ? `${item.refId}: not saved`
              : `Could not save the result of ${item.refId}`,
          ),
      },
    );

  const columns: ColumnDefinition<AuditItem>[] = [
    {
      key: 'refId',
      header: 'Ref',
      render: (item) => (
        <Text
          size="sm"
          ff="monospace"
          fw={item.kind === 'group' ? 700 : undefined}
          style={{ whiteSpace: 'nowrap' }}
        >
          {item.refId}
        </Text>
      ),
    },
    {
      key: 'title',
      header: 'Title',
      render: (item) => (
        <Group gap={6} wrap="nowrap" pl={`calc(${item.depth} * 1.25rem)`}>
          <Anchor
            component="button"
            type="button"
            size="sm"
            fw={item.kind === 'group' ? 700 : 500}
            c={item.applicable ? undefined : 'dimmed'}
            ta="left"
            onClick={() => onOpenChange(item.id)}
            aria-label={`${item.refId} ${item.title}: open its evidence`}
          >
            {item.title}
          </Anchor>
        </Group>
      ),
    },
    {
      key: 'frozenStatus',
      header: 'Frozen status',
      render: (item) => <FrozenStatusBadge status={item.frozenStatus} reason={item.frozenReason} />,
    },
    {
      key: 'result',
      header: 'Result',
      render: (item) =>
        item.kind === 'group' ? null : (
          <Select
            aria-label={`Result of ${item.refId}`}
            data={RESULT_OPTIONS}
            value={item.result}
            allowDeselect={false}
            disabled={readOnly !== null}
            size="xs"
            w={190}
            onChange={(value) => value && value !== item.result && setResult(item, value as AuditResult)}
          />
        ),
    },
    {
      key: 'evidence',
      header: 'Evidence',
      visibleFrom: 'xs',
      render: (item) => (item.kind === 'group' ? '' : item.evidence.length),
    },
    {
      key: 'comment',
      header: 'Comment',
      visibleFrom: 'md',
      render: (item) =>
        item.auditorComment ? (
          <Text size="sm" lineClamp={2} maw={260} title={item.auditorComment}>
            {item.auditorComment}
          </Text>
        ) : null,
    },
  ];

  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  return (
    <Stack gap="md">
      {readOnly && (
        <Alert color="gray" variant="light" role="note">
          {readOnly}
        </Alert>
      )}
      <DataTable
        caption="Frozen controls"
        columns={columns}
        rows={query.data?.data}
        rowKey={(item) => item.id}
        loading={query.isPending || query.isPlaceholderData}
        minWidth={820}
        empty={
          <EmptyStateBlock
            title="No controls in this audit"
            description="The framework had no applicable controls when the audit was frozen."
          />
        }
      />
      {query.data && query.data.total > 0 && (
        <ListPagination
          page={query.data.page}
          pageSize={query.data.pageSize}
          total={query.data.total}
          noun="controls and headings"
          onPageChange={onPageChange}
        />
      )}
      <AuditItemDrawer
        audit={audit}
        item={open}
        readOnly={readOnly}
        onClose={() => onOpenChange(null)}
        onSave={(item, auditorComment) => update.mutateAsync({ item, auditorComment })}
      />
    </Stack>
  );
}
