import {
  Alert,
  Button,
  Group,
  MultiSelect,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { api } from '../../api/client';
import { isAdmin, useSession } from '../../api/session';
import { AUDIT_ACTIONS, type AuditEntry, type Page } from '../../api/types';
import type { ListSearch } from '../../app/search-params';
import { ACTION_LABELS, type FieldVocabulary } from '../../components/audit-changes';
import { AuditEntryCard } from '../../components/audit-entry-card';
import { ListPagination } from '../../components/data-table';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { humanizeField } from '../../components/format';
import { notifyError } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { RecordPicker } from '../../components/record-picker';
import {
  GROUP_MEMBER_VOCABULARY,
  USER_VOCABULARY,
  type User,
  userResource,
} from '../people/people.resources';

/** Readable field names and values per record type; other types fall back to field names. */
const VOCABULARIES: Record<string, FieldVocabulary> = {
  user: USER_VOCABULARY,
  group_member: GROUP_MEMBER_VOCABULARY,
};

const PAGE_SIZE = 25;

interface VerifyResult {
  intact: boolean;
  checked: number;
  unsealed: number;
  firstBroken: { position: number; auditId: string | null; reason: string } | null;
}

export function AuditLogPage() {
  const session = useSession();
  const search = useSearch({ from: '/app/admin/audit-log' });
  const navigate = useNavigate({ from: '/admin/audit-log' });
  const update = (changes: ListSearch) => navigate({ search: { ...search, page: undefined, ...changes } });
  const page = Number(search.page) > 0 ? Number(search.page) : 1;
  const params = {
    page,
    pageSize: PAGE_SIZE,
    entityType: search.entityType,
    entityId: search.entityId,
    actorId: search.actorId,
    action: search.action,
    from: search.from,
    to: search.to,
  };
  const query = useQuery({
    queryKey: ['audit-log', params],
    queryFn: ({ signal }) => api.get<Page<AuditEntry>>('/api/v1/audit-log', params, { signal }),
    placeholderData: keepPreviousData,
  });
  const filtering = Object.entries(search).some(([key, value]) => key !== 'page' && value);
  // The types the log actually holds, so the filter never offers a type with no entries.
  const entityTypes = useQuery({
    queryKey: ['audit-log', 'entity-types'],
    queryFn: ({ signal }) =>
      api.get<{ data: string[] }>('/api/v1/audit-log/entity-types', undefined, { signal }),
    select: (response) => response.data,
    staleTime: 60_000,
  });
  const typeOptions = [
    ...new Set([...(entityTypes.data ?? []), ...(search.entityType ? [search.entityType] : [])]),
  ];

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change in OpsDeck, who made it and when. Entries are sealed into a tamper-evident chain."
      />
      <Stack gap="md">
        {isAdmin(session) && <ChainVerification />}
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label="Record type"
            placeholder="Any"
            data={typeOptions.map((type) => ({ value: type, label: humanizeField(type) }))}
            value={search.entityType ?? null}
            onChange={(value) => update({ entityType: value ?? undefined })}
            clearable
            searchable
            w={{ base: '100%', xs: 200 }}
          />
          <MultiSelect
            label="Action"
            placeholder="Any"
            data={AUDIT_ACTIONS.map((action) => ({ value: action, label: ACTION_LABELS[action] }))}
            value={search.action ? search.action.split(',') : []}
            onChange={(values) => update({ action: values.length > 0 ? values.join(',') : undefined })}
            clearable
            w={{ base: '100%', xs: 220 }}
          />
          <div style={{ width: 240, maxWidth: '100%' }}>
            <RecordPicker<User>
              definition={userResource}
              label="Actor"
              placeholder="Anyone"
              value={search.actorId ?? null}
              onChange={(id) => update({ actorId: id ?? undefined })}
              optionLabel={(user) => `${user.name} (${user.email})`}
            />
          </div>
          <TextInput
            label="From"
            type="date"
            value={search.from ?? ''}
            onChange={(event) => update({ from: event.currentTarget.value || undefined })}
            w={{ base: '100%', xs: 160 }}
          />
          <TextInput
            label="To"
            type="date"
            value={search.to ?? ''}
            onChange={(event) => update({ to: event.currentTarget.value || undefined })}
            w={{ base: '100%', xs: 160 }}
          />
          {filtering && (
            <Button variant="subtle" onClick={() => navigate({ search: {} })}>
              Clear filters
            </Button>
          )}
        </Group>
        {search.entityId && (
          <Text size="sm" c="dimmed">
            Showing one record only ({search.entityId}).
          </Text>
        )}
        {query.isError ? (
          <ErrorState error={query.error} onRetry={() => query.refetch()} />
        ) : !query.data ? (
          <Stack aria-busy="true">
            <Skeleton height={56} />
            <Skeleton height={56} />
            <Skeleton height={56} />
          </Stack>
        ) : query.data.total === 0 ? (
          <EmptyStateBlock
            title="No entries match"
            description={
              filtering ? 'Try a wider time range or fewer filters.' : 'Nothing has been recorded yet.'
            }
          />
        ) : (
          <>
            <Stack
              gap="xs"
              component="ol"
              style={{ listStyle: 'none', padding: 0, margin: 0 }}
              aria-busy={query.isPlaceholderData}
            >
              {query.data.data.map((entry) => (
                <li key={entry.id}>
                  <AuditEntryCard
                    entry={entry}
                    vocabulary={VOCABULARIES[entry.entityType]}
                    showRecord
                    collapsible
                  />
                </li>
              ))}
            </Stack>
            <ListPagination
              page={page}
              pageSize={PAGE_SIZE}
              total={query.data.total}
              noun="entries"
              onPageChange={(next) =>
                navigate({ search: { ...search, page: next === 1 ? undefined : String(next) } })
              }
            />
          </>
        )}
      </Stack>
    </>
  );
}

/** Administrators re-check the hash chain on demand. */
function ChainVerification() {
  const verify = useMutation({
    mutationFn: () => api.get<VerifyResult>('/api/v1/audit-log/verify'),
    onError: (error) => notifyError(error, 'Could not verify the audit chain'),
  });
  const result = verify.data;
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <div aria-live="polite">
          {!result ? (
            <Text size="sm">Check that no audit entry was altered or removed since it was written.</Text>
          ) : result.intact ? (
            <Alert color="green" variant="light" p="xs" title="Chain intact">
              {result.checked} entries checked
              {result.unsealed > 0 && `; ${result.unsealed} newest entries are not sealed yet`}.
            </Alert>
          ) : (
            <Alert color="red" variant="light" p="xs" title="Chain broken" role="alert">
              At position {result.firstBroken?.position}: {result.firstBroken?.reason}
              {result.firstBroken?.auditId && ` (entry ${result.firstBroken.auditId})`}.
            </Alert>
          )}
        </div>
        <Button variant="default" onClick={() => verify.mutate()} loading={verify.isPending}>
          Verify chain
        </Button>
      </Group>
    </Paper>
  );
}
