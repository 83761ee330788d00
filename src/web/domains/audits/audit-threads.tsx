import { Button, Group, Kbd, Paper, Skeleton, Stack, Text, Textarea, Title } from '@mantine/core';
import { type KeyboardEvent, useId, useState } from 'react';
import { isApiError } from '../../api/client';
import { useSession } from '../../api/session';
import { ErrorState } from '../../components/error-pages';
import { formatDateTime, fromNow } from '../../components/format';
import { useComments, usePostComment, useWorkAbilities } from './audit-work.api';
import { type AuditComment, type CommentAudience, THREAD_LABELS } from './audit-work.model';
import type { Audit, AuditItem } from './audits.model';
import { usePeopleNames } from './work-parts';

/**
 * The threads on a frozen control: for the team, the one with the auditors and an internal one the
 * auditors never see; for an external auditor, the first only. Oldest message first.
 */
export function AuditThreads({ audit, item }: { audit: Audit; item: AuditItem }) {
  const can = useWorkAbilities(audit);
  const comments = useComments(audit.id, item.id);
  if (comments.isError) return <ErrorState error={comments.error} onRetry={() => comments.refetch()} />;
  const threads: CommentAudience[] = can.seeInternal ? ['auditor', 'internal'] : ['auditor'];
  return (
    <Stack gap="lg">
      {threads.map((audience) => (
        <Thread
          key={audience}
          audit={audit}
          item={item}
          audience={audience}
          title={can.external ? 'Thread with the audited team' : THREAD_LABELS[audience]}
          comments={comments.data?.filter((comment) => comment.audience === audience)}
          canPost={audience === 'internal' ? can.commentInternal : can.participate}
        />
      ))}
    </Stack>
  );
}

function Thread({
  audit,
  item,
  audience,
  title,
  comments,
  canPost,
}: {
  audit: Audit;
  item: AuditItem;
  audience: CommentAudience;
  title: string;
  comments: AuditComment[] | undefined;
  canPost: boolean;
}) {
  const headingId = useId();
  const nameOf = usePeopleNames(audit.id);
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={3} size="h5" id={headingId}>
        {title}
      </Title>
      {!comments ? (
        <Skeleton height={48} />
      ) : comments.length === 0 ? (
        <Text size="sm" c="dimmed">
          No messages yet.
        </Text>
      ) : (
        <Stack
          gap={6}
          component="ol"
          aria-label={`Messages: ${title}`}
          style={{ listStyle: 'none', padding: 0, margin: 0 }}
        >
          {comments.map((comment) => (
            <Paper
              key={comment.id}
              component="li"
              withBorder
              p="xs"
              bg={audience === 'internal' ? 'var(--mantine-color-yellow-light)' : undefined}
            >
              <Text size="xs" c="dimmed">
                <Text span fw={600} c="var(--mantine-color-text)" size="xs">
                  {nameOf(comment.createdBy) ?? 'someone'}
                </Text>{' '}
                ·{' '}
                <time dateTime={comment.createdAt} title={formatDateTime(comment.createdAt)}>
                  {fromNow(comment.createdAt)}
                </time>
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {comment.body}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
      {canPost && <Composer audit={audit} item={item} audience={audience} />}
    </Stack>
  );
}

/** A message box: Ctrl+Enter (⌘+Enter on a Mac) sends, as the button does. */
function Composer({ audit, item, audience }: { audit: Audit; item: AuditItem; audience: CommentAudience }) {
  const external = useSession().user.role === 'external_auditor';
  const post = usePostComment(audit.id, item.id);
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const send = () => {
    if (!body.trim() || post.isPending) return;
    setError(null);
    post.mutate(
      { audience, body: body.trim() },
      {
        onSuccess: () => setBody(''),
        onError: (caught) => setError(isApiError(caught) ? caught.summary : String(caught)),
      },
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    }
  };
  const label =
    audience === 'internal'
      ? 'Internal message'
      : external
        ? 'Message to the audited team'
        : 'Message to the auditors';
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <Stack gap={6}>
        <Textarea
          label={label}
          description={
            <>
              <Kbd size="xs">Ctrl</Kbd> + <Kbd size="xs">Enter</Kbd> sends.
              {audience === 'internal'
                ? ' Only the team reads it.'
                : external
                  ? ' The team reads it.'
                  : ' The auditors read it.'}
            </>
          }
          autosize
          minRows={2}
          maxRows={8}
          maxLength={10_000}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          onKeyDown={onKeyDown}
          error={error}
        />
        <Group justify="flex-end">
          <Button type="submit" size="xs" variant="default" loading={post.isPending} disabled={!body.trim()}>
            {audience === 'internal' ? 'Send internally' : 'Send'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
