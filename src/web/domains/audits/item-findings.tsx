import { Anchor, Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useId, useState } from 'react';
import { ErrorState } from '../../components/error-pages';
import { formatDate } from '../../components/format';
import { PlusIcon } from '../../components/icons';
import { useFindings, useWorkAbilities } from './audit-work.api';
import { type Finding, isOverdue } from './audit-work.model';
import type { Audit, AuditItem } from './audits.model';
import { FindingDialog } from './finding-dialog';
import { FindingStatusBadge, SeverityBadge } from './work-parts';

/** In the control's drawer: the findings on it, and recording one (prefilled with this control). */
export function ItemFindings({ audit, item }: { audit: Audit; item: AuditItem }) {
  const can = useWorkAbilities(audit);
  const findings = useFindings(audit.id);
  const headingId = useId();
  const [editing, setEditing] = useState<Finding | null>(null);
  const [recording, setRecording] = useState(false);
  const mine = findings.data?.filter((finding) => finding.itemId === item.id);
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Group justify="space-between" gap="xs">
        <Title order={3} size="h5" id={headingId}>
          Findings{mine ? ` (${mine.length})` : ''}
        </Title>
        {can.raiseFindings && (
          <Button
            size="xs"
            variant="default"
            leftSection={<PlusIcon size={14} />}
            onClick={() => setRecording(true)}
          >
            Record a finding
          </Button>
        )}
      </Group>
      {findings.isError ? (
        <ErrorState error={findings.error} onRetry={() => findings.refetch()} />
      ) : !mine ? (
        <Skeleton height={40} />
      ) : mine.length === 0 ? (
        <Text size="sm" c="dimmed">
          No findings on this control.
        </Text>
      ) : (
        <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {mine.map((finding) => (
            <Paper key={finding.id} component="li" withBorder p="xs">
              <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                <Stack gap={4} style={{ minWidth: 0 }}>
                  {can.editFindings ? (
                    <Anchor
                      component="button"
                      type="button"
                      size="sm"
                      fw={500}
                      ta="left"
                      onClick={() => setEditing(finding)}
                    >
                      {finding.title}
                    </Anchor>
                  ) : (
                    <Text size="sm" fw={500}>
                      {finding.title}
                    </Text>
                  )}
                  <Text size="xs" c={isOverdue(finding) ? 'red' : 'dimmed'}>
                    {finding.dueDate
                      ? `Due ${formatDate(finding.dueDate)}${isOverdue(finding) ? ' — overdue' : ''}`
                      : 'No due date'}
                  </Text>
                </Stack>
                <Group gap={4} wrap="nowrap">
                  <SeverityBadge severity={finding.severity} />
                  <FindingStatusBadge status={finding.status} />
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      <FindingDialog
        audit={audit}
        opened={recording}
        finding={null}
        fixedItem={item}
        onClose={() => setRecording(false)}
      />
      <FindingDialog
        audit={audit}
        opened={editing !== null}
        finding={editing}
        onClose={() => setEditing(null)}
      />
    </Stack>
  );
}
