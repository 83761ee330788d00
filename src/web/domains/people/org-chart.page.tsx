import {
  ActionIcon,
  Anchor,
  Button,
  Grid,
  Group,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useCreateRecord, useResourceList, useResourceRecord } from '../../api/resources';
import { canWrite, useSession } from '../../api/session';
import { EmptyStateBlock } from '../../components/empty-state-block';
import { ErrorState } from '../../components/error-pages';
import { formatDateTime } from '../../components/format';
import { ChevronDownIcon, ChevronRightIcon, PlusIcon } from '../../components/icons';
import { notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { RecordForm } from '../../components/record-form';
import { useRecordForm } from '../../components/use-record-form';
import { type OrgChartNode, useOrgChart } from './people.api';
import { type OrgChartSnapshot, orgChartSnapshotResource } from './people.resources';

function collectIds(nodes: OrgChartNode[], depth: number, into: Set<string>, maxDepth: number): Set<string> {
  for (const node of nodes) {
    if (node.children.length > 0 && depth < maxDepth) {
      into.add(node.id);
      collectIds(node.children, depth + 1, into, maxDepth);
    }
  }
  return into;
}

function countPeople(nodes: OrgChartNode[]): number {
  return nodes.reduce((sum, node) => sum + 1 + countPeople(node.children), 0);
}

/** Managers and their reports as a nested list; each manager expands and collapses. */
export function OrgTree({ nodes, linkPeople }: { nodes: OrgChartNode[]; linkPeople: boolean }) {
  const [expanded, setExpanded] = useState<Set<string>>(() => collectIds(nodes, 0, new Set(), 2));
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const renderNodes = (list: OrgChartNode[]) => (
    <ul className="org-tree">
      {list.map((node) => {
        const open = expanded.has(node.id);
        return (
          <li key={node.id}>
            <Group gap={6} wrap="nowrap" py={4}>
              {node.children.length > 0 ? (
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  onClick={() => toggle(node.id)}
                  aria-expanded={open}
                  aria-label={`${open ? 'Collapse' : 'Expand'} reports of ${node.name}`}
                >
                  {open ? <ChevronDownIcon size={16} /> : <ChevronRightIcon size={16} />}
                </ActionIcon>
              ) : (
                <span style={{ width: 22, display: 'inline-block' }} />
              )}
              <div style={{ minWidth: 0 }}>
                {linkPeople ? (
                  <Anchor component={Link} to={`/people/users/${node.id}`} fw={500} size="sm">
                    {node.name}
                  </Anchor>
                ) : (
                  <Text fw={500} size="sm" span>
                    {node.name}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {[node.jobTitle, node.department].filter(Boolean).join(' · ') || node.email}
                  {node.children.length > 0 &&
                    ` · ${node.children.length} direct ${node.children.length === 1 ? 'report' : 'reports'}`}
                </Text>
              </div>
            </Group>
            {open && node.children.length > 0 && renderNodes(node.children)}
          </li>
        );
      })}
    </ul>
  );

  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Button
          size="xs"
          variant="default"
          onClick={() => setExpanded(collectIds(nodes, 0, new Set(), Infinity))}
        >
          Expand all
        </Button>
        <Button size="xs" variant="default" onClick={() => setExpanded(new Set())}>
          Collapse all
        </Button>
        <Text size="xs" c="dimmed">
          {countPeople(nodes)} people
        </Text>
      </Group>
      <nav aria-label="Org chart">{renderNodes(nodes)}</nav>
    </Stack>
  );
}

export function OrgChartPage() {
  const session = useSession();
  const chart = useOrgChart();
  const [taking, setTaking] = useState(false);
  const writable = canWrite(session, 'hr_people');
  return (
    <>
      <PageHeader
        title="Org chart"
        description="Who reports to whom, from each person's manager. Archived and hidden people are left out."
        actions={
          writable && (
            <Button leftSection={<PlusIcon size={16} />} onClick={() => setTaking(true)}>
              Take snapshot
            </Button>
          )
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder p="md">
            {chart.isError ? (
              <ErrorState error={chart.error} onRetry={() => chart.refetch()} />
            ) : !chart.data ? (
              <Skeleton height={240} />
            ) : chart.data.length === 0 ? (
              <EmptyStateBlock
                title="Nobody on the chart yet"
                description="Add people and set their managers; the chart builds itself from those."
              />
            ) : (
              <OrgTree nodes={chart.data} linkPeople />
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <SnapshotList />
        </Grid.Col>
      </Grid>
      <TakeSnapshotDialog opened={taking} onClose={() => setTaking(false)} />
    </>
  );
}

function SnapshotList() {
  const params = useMemo(() => ({ sort: '-createdAt', pageSize: 50 }), []);
  const snapshots = useResourceList<OrgChartSnapshot>(orgChartSnapshotResource, params);
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        Snapshots
      </Title>
      {snapshots.isError ? (
        <ErrorState error={snapshots.error} />
      ) : !snapshots.data ? (
        <Skeleton height={80} />
      ) : snapshots.data.data.length === 0 ? (
        <Text c="dimmed" size="sm">
          No snapshots yet. Take one to keep a copy of today's chart, for example before a reorganisation.
        </Text>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {snapshots.data.data.map((snapshot) => (
            <li key={snapshot.id}>
              <Anchor component={Link} to={`/people/org-chart/snapshots/${snapshot.id}`} size="sm" fw={500}>
                {snapshot.name}
              </Anchor>
              <Text size="xs" c="dimmed">
                {formatDateTime(snapshot.createdAt)}
              </Text>
            </li>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function TakeSnapshotDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Take a snapshot of the org chart" centered>
      {opened && <TakeSnapshotForm onClose={onClose} />}
    </Modal>
  );
}

function TakeSnapshotForm({ onClose }: { onClose: () => void }) {
  const create = useCreateRecord<OrgChartSnapshot>(orgChartSnapshotResource);
  const form = useRecordForm<{ name: string; notes: string }>({
    initialValues: { name: `Org chart ${new Date().toISOString().slice(0, 10)}`, notes: '' },
    rules: {
      name: { label: 'Name', required: true, maxLength: 200 },
      notes: { label: 'Notes', maxLength: 5000 },
    },
  });
  return (
    <RecordForm
      form={form}
      submitLabel="Take snapshot"
      onCancel={onClose}
      onSubmit={({ values }) =>
        create.mutateAsync({ name: values.name.trim(), notes: values.notes.trim() || null })
      }
      onSaved={(snapshot) => {
        notifySuccess(`Snapshot “${snapshot.name}” saved.`);
        onClose();
      }}
    >
      <TextInput label="Name" {...form.text('name')} data-autofocus />
      <Textarea label="Notes" autosize minRows={3} {...form.text('notes')} />
    </RecordForm>
  );
}

export function OrgChartSnapshotPage() {
  const { snapshotId } = useParams({ from: '/app/people/org-chart/snapshots/$snapshotId' });
  const navigate = useNavigate();
  const snapshot = useResourceRecord<OrgChartSnapshot>(orgChartSnapshotResource, snapshotId);
  if (snapshot.isError) return <ErrorState error={snapshot.error} what="snapshot" />;
  if (!snapshot.data) return <Skeleton height={320} />;
  const nodes = Array.isArray(snapshot.data.chartData) ? (snapshot.data.chartData as OrgChartNode[]) : [];
  return (
    <>
      <PageHeader
        title={snapshot.data.name}
        description={`Taken ${formatDateTime(snapshot.data.createdAt)}. A snapshot never changes.`}
        crumbs={[{ label: 'Org chart', to: '/people/org-chart' }, { label: snapshot.data.name }]}
        actions={
          <Button variant="default" onClick={() => navigate({ to: '/people/org-chart' })}>
            Back to the current chart
          </Button>
        }
      />
      <Stack gap="md">
        {snapshot.data.notes && (
          <Paper withBorder p="md">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {snapshot.data.notes}
            </Text>
          </Paper>
        )}
        <Paper withBorder p="md">
          {nodes.length === 0 ? (
            <Text c="dimmed">This snapshot is empty.</Text>
          ) : (
            <OrgTree nodes={nodes} linkPeople={false} />
          )}
        </Paper>
      </Stack>
    </>
  );
}
