import {
  ActionIcon,
  Anchor,
  Box,
  Button,
  FileButton,
  Group,
  Paper,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type DragEvent, useState } from 'react';
import { api } from '../api/client';
import { type ResourceDefinition, recordUrl, resourceKeys } from '../api/resources';
import type { Attachment } from '../api/types';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorState } from './error-pages';
import { formatBytes, formatDateTime } from './format';
import { FileIcon, TrashIcon, UploadIcon } from './icons';
import { notifyError, notifySuccess } from './notify';

/** Files attached to a record: drag and drop (or choose) to upload, download, delete. */
export function AttachmentsPanel({
  definition,
  id,
  canEdit,
}: {
  definition: ResourceDefinition;
  id: string;
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const base = `${recordUrl(definition, id)}/attachments`;
  const query = useQuery({
    queryKey: resourceKeys.part(definition, id, 'attachments'),
    queryFn: ({ signal }) => api.get<{ data: Attachment[] }>(base, undefined, { signal }),
  });
  const [dragging, setDragging] = useState(false);
  const [deleting, setDeleting] = useState<Attachment | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: resourceKeys.detail(definition, id) });

  const upload = useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append('file', file, file.name);
      return api.post<Attachment>(base, body);
    },
    onSuccess: (attachment) => {
      notifySuccess(`${attachment.filename} uploaded.`);
      return refresh();
    },
    onError: (error) => notifyError(error, 'Upload failed'),
  });
  const remove = useMutation({
    mutationFn: (attachment: Attachment) => api.delete(`${base}/${attachment.id}`),
    onSuccess: () => {
      notifySuccess('Attachment deleted.');
      setDeleting(null);
      return refresh();
    },
    onError: (error) => notifyError(error, 'Could not delete the attachment'),
  });

  const uploadAll = async (files: File[]) => {
    for (const file of files) await upload.mutateAsync(file).catch(() => undefined);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (canEdit) void uploadAll([...event.dataTransfer.files]);
  };

  return (
    <Stack gap="md">
      {canEdit && (
        <Box
          className="dropzone"
          data-active={dragging}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <Stack gap="xs" align="center">
            <UploadIcon size={28} />
            <Text size="sm">Drag files here to attach them, or</Text>
            <FileButton onChange={(files) => void uploadAll(files)} multiple>
              {(props) => (
                <Button {...props} variant="default" size="xs" loading={upload.isPending}>
                  Choose files
                </Button>
              )}
            </FileButton>
          </Stack>
        </Box>
      )}
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : query.data?.data.length === 0 ? (
        <Text c="dimmed">No attachments.</Text>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {query.data?.data.map((attachment) => (
            <Paper key={attachment.id} withBorder p="xs" component="li">
              <Group justify="space-between" wrap="nowrap">
                <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                  <FileIcon />
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Anchor
                      href={`${base}/${attachment.id}/download`}
                      download={attachment.filename}
                      aria-label={`Download ${attachment.filename}`}
                      size="sm"
                      truncate
                    >
                      {attachment.filename}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {formatBytes(attachment.sizeBytes)} · {formatDateTime(attachment.createdAt)}
                    </Text>
                  </Stack>
                </Group>
                <Group gap={4} wrap="nowrap">
                  {canEdit && (
                    <Tooltip label="Delete">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Delete ${attachment.filename}`}
                        onClick={() => setDeleting(attachment)}
                      >
                        <TrashIcon size={16} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      <ConfirmDialog
        opened={deleting !== null}
        title="Delete this attachment?"
        confirmLabel="Delete"
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onCancel={() => setDeleting(null)}
      >
        {deleting?.filename} will be deleted. This cannot be undone.
      </ConfirmDialog>
    </Stack>
  );
}
