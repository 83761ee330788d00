import { Alert, Badge, Button, Group, Radio, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ACCESS_LEVELS, type AccessLevel, MODULES } from '../../../shared/modules';
import { ErrorState } from '../../components/error-pages';
import { notifyError, notifySuccess } from '../../components/notify';
import { type AccessMatrix, useAccessGrants, useSaveAccessGrants } from './people.api';

const LEVEL_LABELS: Record<AccessLevel, string> = { none: 'None', read: 'Read', write: 'Write' };
const LEVEL_COLORS: Record<AccessLevel, string> = { none: 'gray', read: 'blue', write: 'green' };

/**
 * Module grants of a user or group: one row per module with none / read / write. Administrators
 * edit and save; others see the grants read-only. For users the effective access (including
 * their groups and role) is shown beside the direct grants.
 */
export function PermissionMatrix({
  principalType,
  id,
  editable,
  note,
}: {
  principalType: 'user' | 'group';
  id: string;
  editable: boolean;
  note?: string;
}) {
  const query = useAccessGrants(principalType, id);
  const save = useSaveAccessGrants(principalType, id);
  const [draft, setDraft] = useState<AccessMatrix>({});
  useEffect(() => {
    if (query.data) setDraft(query.data.grants);
  }, [query.data]);

  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!query.data) return <Skeleton height={240} />;
  const saved = query.data.grants;
  const effective = query.data.effective;
  const levelOf = (matrix: AccessMatrix, key: keyof AccessMatrix): AccessLevel => matrix[key] ?? 'none';
  const changed = MODULES.filter((module) => levelOf(draft, module.key) !== levelOf(saved, module.key));

  return (
    <Stack gap="sm">
      {note && (
        <Alert color="blue" variant="light">
          {note}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={480} type="native">
        <Table verticalSpacing="xs" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Module</Table.Th>
              <Table.Th>{principalType === 'user' ? 'Direct grant' : 'Grant'}</Table.Th>
              {effective && <Table.Th>Effective access</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {MODULES.map((module) => (
              <Table.Tr key={module.key}>
                <Table.Td>
                  <Text size="sm" aria-hidden={editable}>
                    {module.label}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {editable ? (
                    <Radio.Group
                      value={levelOf(draft, module.key)}
                      onChange={(value) =>
                        setDraft((current) => ({ ...current, [module.key]: value as AccessLevel }))
                      }
                      label={module.label}
                      labelProps={{ className: 'visually-hidden' }}
                    >
                      <Group gap="md" wrap="nowrap">
                        {ACCESS_LEVELS.map((level) => (
                          <Radio key={level} value={level} label={LEVEL_LABELS[level]} size="xs" />
                        ))}
                      </Group>
                    </Radio.Group>
                  ) : (
                    <Badge variant="light" color={LEVEL_COLORS[levelOf(saved, module.key)]}>
                      {LEVEL_LABELS[levelOf(saved, module.key)]}
                    </Badge>
                  )}
                </Table.Td>
                {effective && (
                  <Table.Td>
                    <Badge variant="outline" color={LEVEL_COLORS[levelOf(effective, module.key)]}>
                      {LEVEL_LABELS[levelOf(effective, module.key)]}
                    </Badge>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editable && (
        <Group justify="flex-end" gap="sm">
          {changed.length > 0 && (
            <Text size="sm" c="dimmed" aria-live="polite">
              {changed.length} unsaved {changed.length === 1 ? 'change' : 'changes'}
            </Text>
          )}
          <Button variant="default" disabled={changed.length === 0} onClick={() => setDraft(saved)}>
            Reset
          </Button>
          <Button
            disabled={changed.length === 0}
            loading={save.isPending}
            onClick={() =>
              save.mutate(
                Object.fromEntries(changed.map((module) => [module.key, levelOf(draft, module.key)])),
                {
                  onSuccess: () => notifySuccess('Permissions saved.'),
                  onError: (error) => notifyError(error, 'Could not save the permissions'),
                },
              )
            }
          >
            Save permissions
          </Button>
        </Group>
      )}
    </Stack>
  );
}
