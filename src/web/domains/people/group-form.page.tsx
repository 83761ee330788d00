import { Skeleton, Stack, Textarea, TextInput } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useSchemaRules } from '../../api/entity-meta';
import { useCreateRecord, useResourceRecord, useUpdateRecord } from '../../api/resources';
import { canWrite, useSession } from '../../api/session';
import type { RecordDetail } from '../../api/types';
import { ErrorState, ForbiddenPage } from '../../components/error-pages';
import { notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { RecordForm } from '../../components/record-form';
import { type FieldRule, useRecordForm } from '../../components/use-record-form';
import { type Group, groupResource } from './people.resources';

interface GroupFormValues extends Record<string, unknown> {
  name: string;
  description: string;
}

/** The page's names for the fields; their limits come from the server's contract (useSchemaRules). */
const GROUP_RULES: Record<string, FieldRule> = {
  name: { label: 'Name', required: true },
  description: { label: 'Description' },
};

const toFormValues = (group?: Group): GroupFormValues => ({
  name: group?.name ?? '',
  description: group?.description ?? '',
});

const toPayload = (values: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value === '' ? null : value]));

export function GroupCreatePage() {
  const session = useSession();
  if (!canWrite(session, groupResource.module))
    return <ForbiddenPage detail="You can view groups but not add them." />;
  return <GroupForm />;
}

export function GroupEditPage() {
  const { groupId } = useParams({ from: '/app/admin/groups/$groupId/edit' });
  const record = useResourceRecord<Group>(groupResource, groupId);
  if (record.isError)
    return <ErrorState error={record.error} what="group" onRetry={() => record.refetch()} />;
  if (!record.data) return <Skeleton height={240} />;
  if (!record.data.abilities.update)
    return <ForbiddenPage detail="You can view this group but not change it." />;
  return <GroupForm key={record.data.id} group={record.data} />;
}

function GroupForm({ group }: { group?: RecordDetail<Group> }) {
  const navigate = useNavigate();
  const rules = useSchemaRules('group', group ? 'edit' : 'create', GROUP_RULES);
  const form = useRecordForm<GroupFormValues>({
    initialValues: toFormValues(group),
    rules,
    version: group?.version,
    fromRecord: (record) => toFormValues(record as Group),
  });
  const create = useCreateRecord<Group>(groupResource);
  const update = useUpdateRecord<Group>(groupResource, group?.id ?? '');
  const leave = (id?: string) =>
    id
      ? navigate({ to: '/admin/groups/$groupId', params: { groupId: id } })
      : navigate({ to: '/admin/groups' });
  return (
    <>
      <PageHeader
        title={group ? `Edit ${group.name}` : 'New group'}
        crumbs={[
          { label: 'Groups', to: '/admin/groups' },
          ...(group ? [{ label: group.name, to: `/admin/groups/${group.id}` }] : []),
          { label: group ? 'Edit' : 'New' },
        ]}
      />
      <RecordForm
        form={form}
        onSubmit={({ values, changes, version }) =>
          group
            ? update.mutateAsync({ changes: toPayload(changes), version: version ?? group.version })
            : create.mutateAsync(toPayload(values))
        }
        onSaved={(saved) => {
          notifySuccess(group ? 'Changes saved.' : `${saved.name} was created.`);
          void leave(saved.id);
        }}
        onCancel={() => void leave(group?.id)}
      >
        <Stack gap="md" maw={640}>
          <TextInput label="Name" {...form.text('name')} />
          <Textarea label="Description" autosize minRows={3} {...form.text('description')} />
        </Stack>
      </RecordForm>
    </>
  );
}
