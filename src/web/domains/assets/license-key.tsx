import { Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client';
import { canWrite, useSession } from '../../api/session';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { notifyError } from '../../components/notify';
import type { DetailContext } from '../../generic/extensions';

/**
 * "Reveal key": asked first (the reveal is audited under the person's name), then shown in a
 * dialog with a copy button. The key is fetched outside React Query and kept in this component's
 * state only, so closing the dialog forgets it: no cache holds it afterwards.
 */
export function RevealLicenseKey({ context }: { context: DetailContext }) {
  const session = useSession();
  const [confirming, setConfirming] = useState(false);
  const [loading, setLoading] = useState(false);
  const [key, setKey] = useState<string | null>(null);
  if (!context.record.hasKey || !canWrite(session, 'core_inventory')) return null;

  const reveal = async () => {
    setLoading(true);
    try {
      const answer = await api.post<{ data: { key: string } }>(
        `/api/v1/licenses/${context.record.id}/reveal-key`,
        {},
      );
      setKey(answer.data.key);
      setConfirming(false);
    } catch (error) {
      notifyError(error, 'Could not reveal the key');
    } finally {
      setLoading(false);
    }
  };

  return (
    <>
      <Button variant="default" onClick={() => setConfirming(true)}>
        Reveal key
      </Button>
      <ConfirmDialog
        opened={confirming}
        title="Reveal the licence key?"
        confirmLabel="Reveal key"
        destructive={false}
        loading={loading}
        onConfirm={() => void reveal()}
        onCancel={() => setConfirming(false)}
      >
        The key will be shown on your screen, and the audit log records that you revealed it.
      </ConfirmDialog>
      <Modal opened={key !== null} onClose={() => setKey(null)} title="Licence key" centered>
        <Stack>
          <Code block aria-label="Licence key" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
            {key}
          </Code>
          <Text size="xs" c="dimmed">
            Hidden again when this dialog closes.
          </Text>
          <Group justify="flex-end">
            <CopyButton value={key ?? ''}>
              {({ copied, copy }) => (
                <Button variant="default" onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
            <Button onClick={() => setKey(null)} data-autofocus>
              Hide key
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
