import { Alert, Badge, Button, Drawer, Group, Stack, Text, Textarea } from '@mantine/core';
import { useWindowEvent } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { isApiError } from '../../api/client';
import { notifySuccess } from '../../components/notify';
import { FrozenStatusBadge } from './audit-parts';
import { AuditThreads } from './audit-threads';
import { useWorkBlockedReason } from './audit-work.api';
import { type Audit, type AuditItem, RESULT_LABELS } from './audits.model';
import { ItemEvidence } from './item-evidence';
import { ItemFindings } from './item-findings';
import { ItemRequests } from './item-requests';

/**
 * One frozen control: its text and applicability as they were, the evidence frozen with it (each
 * record's fields as they stood, files with their SHA-256) or added since, the auditor's comment,
 * and the audit's work on it: threads, requests for evidence and findings.
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
  const body = useRef<HTMLDivElement>(null);
  // Escape closes the drawer, but not while a dialog opened over it is there (answering a request,
  // recording a finding): that one closes alone and the control stays open.
  useWindowEvent('keydown', (event) => {
    if (event.key !== 'Escape' || item === null || event.isComposing || !body.current) return;
    const own = body.current;
    const over = [...document.querySelectorAll('[role="dialog"]')].some(
      (dialog) => !dialog.contains(own) && dialog.getClientRects().length > 0,
    );
    if (!over) onClose();
  });
  return (
    <Drawer
      opened={item !== null}
      onClose={onClose}
      closeOnEscape={false}
      position="right"
      size="xl"
      title={item ? `${item.refId} ${item.title}` : ''}
    >
      {item && (
        <Stack gap="lg" ref={body}>
          <ControlText item={item} />
          {item.kind === 'group' ? (
            <Text size="sm" c="dimmed">
              A heading: its controls carry the evidence and the results.
            </Text>
          ) : (
            <>
              <ItemEvidence key={`evidence-${item.id}`} audit={audit} item={item} />
              <AuditorComment key={item.id} item={item} readOnly={readOnly} onSave={onSave} />
              <ItemWork key={`work-${item.id}`} audit={audit} item={item} />
            </>
          )}
        </Stack>
      )}
    </Drawer>
  );
}

/** The threads, the requests for evidence and the findings on the control. */
function ItemWork({ audit, item }: { audit: Audit; item: AuditItem }) {
  const blocked = useWorkBlockedReason(audit);
  return (
    <>
      {blocked && (
        <Alert color="gray" variant="light" role="note">
          {blocked}
        </Alert>
      )}
      <AuditThreads audit={audit} item={item} />
      <ItemRequests audit={audit} item={item} />
      <ItemFindings audit={audit} item={item} />
    </>
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
