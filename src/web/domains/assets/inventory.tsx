import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Menu,
  Pagination,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { api, isApiError } from '../../api/client';
import { canWrite, useSession } from '../../api/session';
import type { Page } from '../../api/types';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorState } from '../../components/error-pages';
import { formatDateTime } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import type { DetailContext, DetailExtension } from '../../generic/extensions';

type Result = 'pending' | 'verified' | 'missing' | 'damaged' | 'found_unexpected';
const RESULT_LABEL: Record<Result, string> = {
  pending: 'Not checked',
  verified: 'Verified',
  missing: 'Missing',
  damaged: 'Damaged',
  found_unexpected: 'Found unexpectedly',
};
const RESULT_COLOR: Record<Result, string> = {
  pending: 'gray',
  verified: 'green',
  missing: 'red',
  damaged: 'orange',
  found_unexpected: 'grape',
};

interface Item {
  id: string;
  assetId: string;
  assetTag: string;
  assetName: string;
  expected: boolean;
  result: Result;
  checkedAt: string | null;
  checkedByName: string | null;
  notes: string | null;
}
interface Progress {
  expected: number;
  pending: number;
  verified: number;
  missing: number;
  damaged: number;
  foundUnexpected: number;
}
interface Summary {
  expected: number;
  verified: number;
  missing: number;
  damaged: number;
  foundUnexpected: number;
  unchecked: number;
}

const base = (id: string) => `/api/v1/asset-inventories/${id}`;
const inventoryKey = (id: string) => ['asset-inventories', 'detail', id] as const;
const isOpen = (context: DetailContext) => context.record.status === 'open';

function Counter({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Paper withBorder p="xs">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" c={color}>
        {value}
      </Text>
    </Paper>
  );
}

/** Live counts while the campaign is open; the frozen discrepancy summary once it is closed. */
function ProgressPanel({ context }: { context: DetailContext }) {
  const summary = context.record.summary as Summary | null;
  const query = useQuery({
    queryKey: [...inventoryKey(context.record.id), 'progress'],
    queryFn: ({ signal }) => api.get<Progress>(`${base(context.record.id)}/progress`, undefined, { signal }),
    enabled: !summary,
  });
  if (summary) {
    return (
      <Stack gap="xs">
        <Text size="sm">
          Closed {formatDateTime(context.record.closedAt as string)}. Discrepancies: {summary.missing} missing
          ({summary.unchecked} never checked), {summary.damaged} damaged, {summary.foundUnexpected} found
          unexpectedly.
        </Text>
        <SimpleGrid cols={{ base: 2, sm: 5 }}>
          <Counter label="Expected" value={summary.expected} />
          <Counter label="Verified" value={summary.verified} color="green" />
          <Counter label="Missing" value={summary.missing} color="red" />
          <Counter label="Damaged" value={summary.damaged} color="orange" />
          <Counter label="Found unexpectedly" value={summary.foundUnexpected} color="grape" />
        </SimpleGrid>
      </Stack>
    );
  }
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!query.data) return <Skeleton height={64} />;
  const p = query.data;
  return (
    <SimpleGrid cols={{ base: 2, sm: 6 }} aria-label="Progress">
      <Counter label="Expected" value={p.expected} />
      <Counter label="Not checked" value={p.pending} />
      <Counter label="Verified" value={p.verified} color="green" />
      <Counter label="Missing" value={p.missing} color="red" />
      <Counter label="Damaged" value={p.damaged} color="orange" />
      <Counter label="Found unexpectedly" value={p.foundUnexpected} color="grape" />
    </SimpleGrid>
  );
}

interface ScanLine {
  key: number;
  tag: string;
  message: string;
  ok: boolean;
}

/**
 * The scanner screen: a barcode scanner types the tag and presses Enter; the field clears and
 * keeps the focus for the next one, and the last results stay listed beneath.
 */
function ScanPanel({ context }: { context: DetailContext }) {
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [tag, setTag] = useState('');
  const [result, setResult] = useState<'verified' | 'damaged'>('verified');
  const [lines, setLines] = useState<ScanLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const scan = useMutation({
    mutationFn: (assetTag: string) =>
      api.post<{ item: Item; progress: Progress }>(`${base(context.record.id)}/scan`, { assetTag, result }),
    onSuccess: (response, assetTag) => {
      const message = response.item.expected
        ? RESULT_LABEL[response.item.result]
        : 'Not expected here: recorded as found unexpectedly';
      setLines((old) =>
        [{ key: Date.now(), tag: assetTag, message, ok: response.item.expected }, ...old].slice(0, 20),
      );
      queryClient.setQueryData([...inventoryKey(context.record.id), 'progress'], response.progress);
      void queryClient.invalidateQueries({ queryKey: [...inventoryKey(context.record.id), 'items'] });
      setTag('');
      setError(null);
    },
    onError: (failure, assetTag) => {
      const field = isApiError(failure) ? failure.fieldErrors.find((e) => e.path === 'assetTag') : undefined;
      setError(field?.message ?? (failure instanceof Error ? failure.message : String(failure)));
      setLines((old) =>
        [
          { key: Date.now(), tag: assetTag, message: field?.message ?? 'Not recorded', ok: false },
          ...old,
        ].slice(0, 20),
      );
      setTag('');
    },
    onSettled: () => input.current?.focus(),
  });
  return (
    <Stack gap="sm">
      <ProgressPanel context={context} />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (tag.trim()) scan.mutate(tag.trim());
        }}
      >
        <Group align="flex-end">
          <TextInput
            ref={input}
            label="Asset tag"
            description="Scan or type a tag, then Enter"
            value={tag}
            error={error}
            maxLength={64}
            autoFocus
            autoComplete="off"
            onChange={(e) => setTag(e.currentTarget.value)}
            style={{ flex: 1 }}
          />
          <SegmentedControl
            aria-label="Condition"
            value={result}
            onChange={(value) => setResult(value as 'verified' | 'damaged')}
            data={[
              { value: 'verified', label: 'Good' },
              { value: 'damaged', label: 'Damaged' },
            ]}
          />
          <Button type="submit" loading={scan.isPending}>
            Record
          </Button>
        </Group>
      </form>
      {lines.length > 0 && (
        <Table aria-label="Last scans">
          <Table.Tbody>
            {lines.map((line) => (
              <Table.Tr key={line.key}>
                <Table.Td>{line.tag}</Table.Td>
                <Table.Td c={line.ok ? undefined : 'red'}>{line.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

const PAGE_SIZE = 50;

function ItemsPanel({ context }: { context: DetailContext }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [result, setResult] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [page, setPage] = useState(1);
  const params = { page, pageSize: PAGE_SIZE, result: result ?? undefined, q: q || undefined };
  const query = useQuery({
    queryKey: [...inventoryKey(context.record.id), 'items', params],
    queryFn: ({ signal }) => api.get<Page<Item>>(`${base(context.record.id)}/items`, params, { signal }),
    placeholderData: keepPreviousData,
  });
  const mark = useMutation({
    mutationFn: ({ item, to }: { item: Item; to: Result }) =>
      api.post<{ progress: Progress }>(`${base(context.record.id)}/items/${item.id}/mark`, { result: to }),
    onSuccess: async (response, { item, to }) => {
      notifySuccess(`${item.assetTag}: ${RESULT_LABEL[to]}.`);
      queryClient.setQueryData([...inventoryKey(context.record.id), 'progress'], response.progress);
      await queryClient.invalidateQueries({ queryKey: [...inventoryKey(context.record.id), 'items'] });
    },
    onError: (error) => notifyError(error, 'Could not record the result'),
  });
  const editable = isOpen(context) && canWrite(session, 'core_inventory');
  return (
    <Stack gap="sm">
      <Group>
        <Select
          label="Result"
          placeholder="Any"
          clearable
          value={result}
          onChange={(value) => {
            setResult(value);
            setPage(1);
          }}
          data={Object.entries(RESULT_LABEL).map(([value, label]) => ({ value, label }))}
        />
        <TextInput
          label="Search"
          placeholder="Tag or name"
          value={search}
          maxLength={100}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
        />
      </Group>
      {query.isError && <ErrorState error={query.error} onRetry={() => query.refetch()} />}
      {!query.data && !query.isError && <Skeleton height={160} />}
      {query.data && query.data.total === 0 && <Text c="dimmed">No items match.</Text>}
      {query.data && query.data.total > 0 && (
        <>
          <Table.ScrollContainer minWidth={720} type="native">
            <Table striped>
              <Table.Caption>
                {query.data.total} {query.data.total === 1 ? 'item' : 'items'}, by asset tag
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Asset tag</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Result</Table.Th>
                  <Table.Th>Checked</Table.Th>
                  <Table.Th>Notes</Table.Th>
                  {editable && <Table.Th>Mark</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.data.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Td>{item.assetTag}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/records/asset/${item.assetId}`}>
                        {item.assetName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={RESULT_COLOR[item.result]} variant="light">
                        {RESULT_LABEL[item.result]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {item.checkedAt
                        ? `${formatDateTime(item.checkedAt)} · ${item.checkedByName ?? '—'}`
                        : '—'}
                    </Table.Td>
                    <Table.Td>{item.notes ?? '—'}</Table.Td>
                    {editable && (
                      <Table.Td>
                        {item.expected && (
                          <Menu>
                            <Menu.Target>
                              <Button size="xs" variant="default" aria-label={`Mark ${item.assetTag}`}>
                                Mark…
                              </Button>
                            </Menu.Target>
                            <Menu.Dropdown>
                              {(['verified', 'missing', 'damaged', 'pending'] as const)
                                .filter((to) => to !== item.result)
                                .map((to) => (
                                  <Menu.Item key={to} onClick={() => mark.mutate({ item, to })}>
                                    {RESULT_LABEL[to]}
                                  </Menu.Item>
                                ))}
                            </Menu.Dropdown>
                          </Menu>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {query.data.total > PAGE_SIZE && (
            <Pagination
              value={page}
              onChange={setPage}
              total={Math.ceil(query.data.total / PAGE_SIZE)}
              getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            />
          )}
        </>
      )}
    </Stack>
  );
}

function CloseAction({ context }: { context: DetailContext }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [flagMissing, setFlagMissing] = useState(true);
  const close = useMutation({
    mutationFn: () =>
      api.post(`${base(context.record.id)}/close`, { flagMissing, version: context.record.version }),
    onSuccess: async () => {
      notifySuccess('Inventory closed; its result is frozen.');
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: inventoryKey(context.record.id) });
      context.refresh();
    },
    onError: (error) => notifyError(error, 'Could not close the inventory'),
  });
  if (!isOpen(context) || !canWrite(session, 'core_inventory')) return null;
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)}>
        Close inventory
      </Button>
      <ConfirmDialog
        opened={open}
        title="Close this inventory?"
        confirmLabel="Close inventory"
        destructive={false}
        loading={close.isPending}
        onConfirm={() => close.mutate()}
        onCancel={() => setOpen(false)}
      >
        <Stack gap="sm">
          <Text size="sm">
            Its result is frozen: nothing can be scanned or marked afterwards. Items never checked count as
            missing.
          </Text>
          <Checkbox
            label='Tag every missing asset "Missing"'
            checked={flagMissing}
            onChange={(e) => setFlagMissing(e.currentTarget.checked)}
          />
        </Stack>
      </ConfirmDialog>
    </>
  );
}

/** Inventory campaigns: the scanner, the items, and closing with a frozen summary. */
export const inventoryDetailExtension: DetailExtension = {
  actions: (context) => <CloseAction context={context} />,
  tabs: [
    {
      value: 'scan',
      label: 'Scan',
      render: (context) =>
        isOpen(context) ? <ScanPanel context={context} /> : <ProgressPanel context={context} />,
    },
    { value: 'items', label: 'Items', render: (context) => <ItemsPanel context={context} /> },
  ],
};
