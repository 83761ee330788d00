import { Skeleton, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { type ResourceDefinition, recordUrl, resourceKeys } from '../api/resources';
import type { AuditEntry, Page } from '../api/types';
import type { FieldVocabulary } from './audit-changes';
import { AuditEntryCard } from './audit-entry-card';
import { ListPagination } from './data-table';
import { ErrorState } from './error-pages';

const PAGE_SIZE = 20;

/** Who changed what and when, newest first, field by field. */
export function HistoryTab({
  definition,
  id,
  vocabulary,
}: {
  definition: ResourceDefinition;
  id: string;
  /** Readable field names and values; others are derived from the field name. */
  vocabulary?: FieldVocabulary;
}) {
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: resourceKeys.part(definition, id, 'history', { page }),
    queryFn: ({ signal }) =>
      api.get<Page<AuditEntry>>(
        // The audit trail of every type (some types serve a timeline of their own at /history).
        `${recordUrl(definition, id)}/audit-trail`,
        { page, pageSize: PAGE_SIZE },
        { signal },
      ),
  });
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!query.data) {
    return (
      <Stack aria-busy="true">
        <Skeleton height={60} />
        <Skeleton height={60} />
      </Stack>
    );
  }
  if (query.data.total === 0) return <Text c="dimmed">No changes have been recorded yet.</Text>;
  return (
    <Stack gap="sm">
      <ol style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 12 }}>
        {query.data.data.map((entry) => (
          <li key={entry.id}>
            <AuditEntryCard entry={entry} vocabulary={vocabulary} />
          </li>
        ))}
      </ol>
      <ListPagination
        page={page}
        pageSize={PAGE_SIZE}
        total={query.data.total}
        noun="changes"
        onPageChange={setPage}
      />
    </Stack>
  );
}
