import { Anchor, Badge, Button, Code, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { formatBytes, formatDate, formatDateTime, humanizeField } from '../../components/format';
import { FileIcon, PlusIcon } from '../../components/icons';
import { AddEvidenceDialog } from './add-evidence-dialog';
import { useWorkAbilities } from './audit-work.api';
import { evidenceFileUrl } from './audits.api';
import { type Audit, type AuditItem, EVIDENCE_SOURCE_LABELS, type FrozenEvidence } from './audits.model';

/** The evidence frozen with the control and added since; the team adds more while the audit is open. */
export function ItemEvidence({ audit, item }: { audit: Audit; item: AuditItem }) {
  const can = useWorkAbilities(audit);
  const [adding, setAdding] = useState(false);
  return (
    <Stack gap="xs">
      <Group justify="space-between" gap="xs">
        <Title order={3} size="h5">
          Evidence ({item.evidence.length})
        </Title>
        {can.addEvidence && (
          <Button
            size="xs"
            variant="default"
            leftSection={<PlusIcon size={14} />}
            onClick={() => setAdding(true)}
          >
            Add evidence
          </Button>
        )}
      </Group>
      {item.evidence.length === 0 ? (
        <Text size="sm" c="dimmed">
          No evidence was frozen with this control.
        </Text>
      ) : (
        item.evidence.map((evidence) => (
          <EvidenceCard key={evidence.id} auditId={audit.id} evidence={evidence} />
        ))
      )}
      {can.addEvidence && (
        <AddEvidenceDialog audit={audit} item={item} opened={adding} onClose={() => setAdding(false)} />
      )}
    </Stack>
  );
}

function EvidenceCard({ auditId, evidence }: { auditId: string; evidence: FrozenEvidence }) {
  // A note added during the audit is its justification: its fields would only repeat it.
  const note = evidence.source === 'added' && evidence.recordType === null;
  const fields =
    !note &&
    evidence.recordJson &&
    typeof evidence.recordJson === 'object' &&
    !Array.isArray(evidence.recordJson)
      ? Object.entries(evidence.recordJson as Record<string, unknown>)
      : [];
  return (
    <Paper withBorder p="sm" component="section" aria-label={evidence.displayName}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
            {evidence.displayName}
          </Text>
          <Badge variant="light">{EVIDENCE_SOURCE_LABELS[evidence.source] ?? evidence.source}</Badge>
        </Group>
        <Text size="xs" c="dimmed">
          {evidence.recordType ? `${humanizeField(evidence.recordType)} · ` : ''}
          {evidence.evidenceDate ? `dated ${formatDate(evidence.evidenceDate)} · ` : ''}
          frozen {formatDateTime(evidence.frozenAt)}
        </Text>
        {evidence.justification && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {evidence.justification}
          </Text>
        )}
        {evidence.sha256 && (
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <FileIcon size={16} />
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Anchor
                href={evidenceFileUrl(auditId, evidence.id)}
                download={evidence.fileName ?? 'evidence'}
                size="sm"
                aria-label={`Download ${evidence.fileName ?? 'the frozen file'}`}
              >
                {evidence.fileName ?? 'Frozen file'}
              </Anchor>
              <Text size="xs" c="dimmed">
                {evidence.sizeBytes !== null ? `${formatBytes(evidence.sizeBytes)} · ` : ''}
                {evidence.contentType ?? 'file'}
              </Text>
              <Text size="xs">
                SHA-256 <Code style={{ overflowWrap: 'anywhere' }}>{evidence.sha256}</Code>
              </Text>
            </Stack>
          </Group>
        )}
        {fields.length > 0 && (
          <Table withTableBorder fz="xs" verticalSpacing={4} aria-label={`Fields of ${evidence.displayName}`}>
            <Table.Tbody>
              {fields.map(([key, value]) => (
                <Table.Tr key={key}>
                  <Table.Th w="35%" fw={500}>
                    {humanizeField(key)}
                  </Table.Th>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{showValue(value)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

function showValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'object') return JSON.stringify(value);
  // Timestamps as people read them; the exact value stays in the evidence pack.
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return formatDateTime(value);
  return String(value);
}
