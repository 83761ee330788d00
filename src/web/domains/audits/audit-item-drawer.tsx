import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { formatBytes, formatDate, formatDateTime, humanizeField } from '../../components/format';
import { FileIcon } from '../../components/icons';
import { notifySuccess } from '../../components/notify';
import { FrozenStatusBadge } from './audit-parts';
import { evidenceFileUrl } from './audits.api';
import {
  type Audit,
  type AuditItem,
  EVIDENCE_SOURCE_LABELS,
  type FrozenEvidence,
  RESULT_LABELS,
} from './audits.model';

/**
 * One frozen control: its text and applicability as they were, the evidence frozen with it (each
 * record's fields as they stood, files with their SHA-256), and the auditor's comment.
 */
export function AuditItemDrawer({
  audit,
  item,
  readOnly,
  onClose,
  onSave,
}: {
  audit: Audit;
  item: AuditItem | null;
  /** Why the comment cannot change now, or null. */
  readOnly: string | null;
  onClose: () => void;
  onSave: (item: AuditItem, auditorComment: string | null) => Promise<unknown>;
}) {
  return (
    <Drawer
      opened={item !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={item ? `${item.refId} ${item.title}` : ''}
    >
      {item && (
        <Stack gap="lg">
          <ControlText item={item} />
          {item.kind === 'group' ? (
            <Text size="sm" c="dimmed">
              A heading: its controls carry the evidence and the results.
            </Text>
          ) : (
            <>
              <Stack gap="xs">
                <Title order={3} size="h5">
                  Frozen evidence ({item.evidence.length})
                </Title>
                {item.evidence.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    No evidence was frozen with this control.
                  </Text>
                ) : (
                  item.evidence.map((evidence) => (
                    <EvidenceCard key={evidence.id} auditId={audit.id} evidence={evidence} />
                  ))
                )}
              </Stack>
              <AuditorComment key={item.id} item={item} readOnly={readOnly} onSave={onSave} />
              {/*
                The audit's comments, evidence requests and findings on this control go here, once
                the server has them: one section each, below the auditor's own comment.
              */}
            </>
          )}
        </Stack>
      )}
    </Drawer>
  );
}

function ControlText({ item }: { item: AuditItem }) {
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <FrozenStatusBadge status={item.frozenStatus} reason={null} />
        {item.kind === 'control' && (
          <Badge variant="outline" color="gray">
            Result: {RESULT_LABELS[item.result]}
          </Badge>
        )}
      </Group>
      {item.frozenReason && (
        <Text size="sm" c="dimmed">
          {item.frozenReason}
        </Text>
      )}
      {item.description && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {item.description}
        </Text>
      )}
      {item.guidance && (
        <Stack gap={2}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            Guidance
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {item.guidance}
          </Text>
        </Stack>
      )}
      {item.kind === 'control' &&
        (item.applicable ? (
          <Text size="sm">Applicable when frozen.</Text>
        ) : (
          <Alert color="gray" title="Not applicable when frozen">
            {item.soaJustification ?? 'No justification recorded.'}
          </Alert>
        ))}
    </Stack>
  );
}

function EvidenceCard({ auditId, evidence }: { auditId: string; evidence: FrozenEvidence }) {
  const fields =
    evidence.recordJson && typeof evidence.recordJson === 'object' && !Array.isArray(evidence.recordJson)
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

function AuditorComment({
  item,
  readOnly,
  onSave,
}: {
  item: AuditItem;
  readOnly: string | null;
  onSave: (item: AuditItem, auditorComment: string | null) => Promise<unknown>;
}) {
  const [text, setText] = useState(item.auditorComment ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A newer comment from the server (another auditor, a reload) replaces an unedited one.
  useEffect(() => setText(item.auditorComment ?? ''), [item.auditorComment]);
  const dirty = text.trim() !== (item.auditorComment ?? '');
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      await onSave(item, text.trim() || null);
      notifySuccess(`Comment on ${item.refId} saved.`);
    } catch (caught) {
      setError(isApiError(caught) ? caught.summary : String(caught));
    } finally {
      setSaving(false);
    }
  };
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <Stack gap="xs">
        <Textarea
          label="Auditor comment"
          description={readOnly ?? 'What the auditor saw, asked or concluded for this control.'}
          autosize
          minRows={3}
          maxLength={10_000}
          value={text}
          disabled={readOnly !== null}
          onChange={(event) => setText(event.currentTarget.value)}
          error={error}
        />
        {readOnly === null && (
          <Group justify="flex-end">
            <Button type="submit" size="xs" loading={saving} disabled={!dirty}>
              Save comment
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
