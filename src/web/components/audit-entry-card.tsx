import { Badge, Button, Collapse, Group, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { AuditEntry } from '../api/types';
import { ACTION_COLORS, ACTION_LABELS, AuditChanges, type FieldVocabulary } from './audit-changes';
import { formatDateTime, fromNow, humanizeField } from './format';

/** One audit entry: what happened, by whom, when, and the field-by-field changes. */
export function AuditEntryCard({
  entry,
  vocabulary,
  showRecord = false,
  collapsible = false,
}: {
  entry: AuditEntry;
  vocabulary?: FieldVocabulary;
  /** Name the record (type and label): needed in the global log, redundant on a record's history. */
  showRecord?: boolean;
  collapsible?: boolean;
}) {
  const [open, setOpen] = useState(!collapsible);
  const detailsId = `audit-${entry.id}`;
  return (
    <Paper withBorder p="sm">
      <Stack gap="xs">
        <Group gap="xs" wrap="wrap" justify="space-between">
          <Group gap="xs" wrap="wrap">
            <Badge color={ACTION_COLORS[entry.action]} variant="light">
              {ACTION_LABELS[entry.action]}
            </Badge>
            {showRecord && (
              <Text size="sm">
                <Text span c="dimmed" size="sm">
                  {humanizeField(entry.entityType)}
                </Text>{' '}
                <Text span fw={500} size="sm">
                  {entry.entityLabel ?? entry.entityId}
                </Text>
              </Text>
            )}
            <Text size="sm">
              by <strong>{entry.actorLabel ?? 'System'}</strong>
              {entry.authMethod === 'api_token' && ' (API token)'}
            </Text>
            <Text size="sm" c="dimmed" title={formatDateTime(entry.occurredAt)}>
              <time dateTime={entry.occurredAt}>{fromNow(entry.occurredAt)}</time> ·{' '}
              {formatDateTime(entry.occurredAt)}
            </Text>
          </Group>
          {collapsible && (
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => setOpen((value) => !value)}
              aria-expanded={open}
              aria-controls={detailsId}
            >
              {open ? 'Hide changes' : 'Show changes'}
            </Button>
          )}
        </Group>
        <Collapse expanded={open} id={detailsId}>
          <Stack gap={4}>
            <AuditChanges entry={entry} vocabulary={vocabulary} />
            {collapsible && (entry.ip || entry.requestId) && (
              <Text size="xs" c="dimmed">
                {entry.ip && `From ${entry.ip}`}
                {entry.requestId && ` · request ${entry.requestId}`}
              </Text>
            )}
          </Stack>
        </Collapse>
      </Stack>
    </Paper>
  );
}
