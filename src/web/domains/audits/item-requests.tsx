import { Button, Group, Paper, Skeleton, Stack, Text, Textarea, Title } from '@mantine/core';
import { type FormEvent, useId, useState } from 'react';
import { ErrorState } from '../../components/error-pages';
import { formatDateTime } from '../../components/format';
import { notifySuccess } from '../../components/notify';
import { useAskForEvidence, useRequests, useWorkAbilities } from './audit-work.api';
import type { EvidenceRequest } from './audit-work.model';
import { type Audit, type AuditItem, fieldErrors } from './audits.model';
import { RequestActions } from './request-actions';
import { RequestStatusBadge, useAuthorName } from './work-parts';

/** In the control's drawer: its requests for more evidence, and asking for more. */
export function ItemRequests({ audit, item }: { audit: Audit; item: AuditItem }) {
  const can = useWorkAbilities(audit);
  const requests = useRequests(audit.id);
  const headingId = useId();
  const mine = requests.data?.filter((request) => request.itemId === item.id);
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={3} size="h5" id={headingId}>
        Requests for evidence{mine ? ` (${mine.length})` : ''}
      </Title>
      {requests.isError ? (
        <ErrorState error={requests.error} onRetry={() => requests.refetch()} />
      ) : !mine ? (
        <Skeleton height={48} />
      ) : mine.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nobody has asked for more evidence on this control.
        </Text>
      ) : (
        <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {mine.map((request) => (
            <RequestCard key={request.id} audit={audit} item={item} request={request} />
          ))}
        </Stack>
      )}
      {can.participate && <AskForEvidence audit={audit} item={item} />}
    </Stack>
  );
}

function RequestCard({ audit, item, request }: { audit: Audit; item: AuditItem; request: EvidenceRequest }) {
  const authorOf = useAuthorName();
  return (
    <Paper component="li" withBorder p="xs" aria-label={`Request: ${request.body.slice(0, 80)}`}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <RequestStatusBadge status={request.status} />
          <Text size="xs" c="dimmed">
            Asked by {authorOf(request)} · {formatDateTime(request.createdAt)}
          </Text>
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {request.body}
        </Text>
        {request.answer && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            <Text span fw={600} size="sm">
              Answer:{' '}
            </Text>
            {request.answer}
          </Text>
        )}
        <RequestActions audit={audit} request={request} controlRef={item.refId} />
      </Stack>
    </Paper>
  );
}

function AskForEvidence({ audit, item }: { audit: Audit; item: AuditItem }) {
  const ask = useAskForEvidence(audit.id);
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) {
      setError('Say what evidence is needed');
      return;
    }
    setError(null);
    ask.mutate(
      { itemId: item.id, body: body.trim() },
      {
        onSuccess: () => {
          setBody('');
          notifySuccess(`Evidence requested on ${item.refId}.`);
        },
        onError: (caught) => {
          const byField = fieldErrors(caught).body;
          setError(
            byField ? `Request ${byField}` : caught instanceof Error ? caught.message : String(caught),
          );
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap={6}>
        <Textarea
          label="Ask for evidence"
          description="What is missing, and for which period. The team answers it, often by adding evidence."
          autosize
          minRows={2}
          maxLength={10_000}
          value={body}
          onChange={(event) => {
            setBody(event.currentTarget.value);
            setError(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
          error={error}
        />
        <Group justify="flex-end">
          <Button type="submit" size="xs" variant="default" loading={ask.isPending}>
            Ask for evidence
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
