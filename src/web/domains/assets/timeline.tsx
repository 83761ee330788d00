import { Badge, Group, Skeleton, Stack, Text, Timeline } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api } from '../../api/client';
import type { FieldDescriptor } from '../../api/entity-meta';
import type { Page } from '../../api/types';
import { ListPagination } from '../../components/data-table';
import { ErrorState } from '../../components/error-pages';
import { formatDate, formatDateTime, humanizeField } from '../../components/format';
import { FieldValue } from '../../generic/entity-fields';
import type { DetailContext, DetailExtension } from '../../generic/extensions';

/** One event of `GET /api/v1/{assets|peripherals}/:id/history`. */
interface TimelineEvent {
  kind: 'created' | 'changed' | 'check_out' | 'check_in' | 'maintenance' | 'disposal';
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  changes?: Array<{ field: string; oldValue: unknown; newValue: unknown }>;
  userId?: string | null;
  locationId?: string | null;
  assetId?: string | null;
  notes?: string | null;
  expectedReturnDate?: string | null;
  type?: string;
  eventDate?: string;
  status?: string;
  description?: string | null;
  disposedOn?: string;
  method?: string;
  partner?: string | null;
  proceeds?: string | null;
  currency?: string | null;
}

const PAGE_SIZE = 20;

const reference = (name: string, label: string, type: string): FieldDescriptor => ({
  name,
  label,
  kind: 'uuid',
  reference: type,
  required: false,
  nullable: true,
  creatable: false,
  updatable: false,
});
const PERSON = reference('userId', 'Person', 'user');
const PLACE = reference('locationId', 'Location', 'location');
const ASSET = reference('assetId', 'Asset', 'asset');

/** A field the type no longer describes (or a grouped one, such as custom fields): shown as is. */
function unknownField(name: string): FieldDescriptor {
  const kind = name === 'customFields' ? 'object' : 'text';
  return { ...PLACE, name, label: humanizeField(name), kind, reference: undefined };
}

/** Who or what held the item: a person (with the asset a peripheral went out on), or a location. */
function Holder({ event }: { event: TimelineEvent }) {
  const parts: ReactNode[] = [];
  if (event.userId) parts.push(<FieldValue key="user" field={PERSON} value={event.userId} />);
  if (event.assetId)
    parts.push(
      <span key="asset">
        {parts.length > 0 ? ' on ' : ''}
        <FieldValue field={ASSET} value={event.assetId} />
      </span>,
    );
  if (event.locationId) parts.push(<FieldValue key="place" field={PLACE} value={event.locationId} />);
  return <>{parts.length > 0 ? parts : '—'}</>;
}

/** Field changes, "field: old → new", named as the detail page names them (references as links). */
function Changes({ event, fields }: { event: TimelineEvent; fields: Map<string, FieldDescriptor> }) {
  const created = event.kind === 'created';
  return (
    <Stack gap={2}>
      {(event.changes ?? []).map((change) => {
        const field = fields.get(change.field) ?? unknownField(change.field);
        return (
          <Text key={change.field} size="sm">
            <Text span fw={500}>
              {field.label}
            </Text>
            {': '}
            {!created && (
              <>
                <FieldValue field={field} value={change.oldValue} />
                {' → '}
              </>
            )}
            <FieldValue field={field} value={change.newValue} />
          </Text>
        );
      })}
    </Stack>
  );
}

function title(event: TimelineEvent): ReactNode {
  switch (event.kind) {
    case 'created':
      return 'Registered';
    case 'changed':
      return event.changes?.length === 1 ? 'Changed' : `Changed ${event.changes?.length ?? 0} fields`;
    case 'check_out':
      return (
        <>
          Checked out to <Holder event={event} />
        </>
      );
    case 'check_in':
      return (
        <>
          Checked in from <Holder event={event} />
        </>
      );
    case 'maintenance':
      return `Maintenance: ${humanizeField(event.type ?? '')}`;
    case 'disposal':
      return `Disposed of: ${humanizeField(event.method ?? '')}`;
  }
}

function Details({ event, fields }: { event: TimelineEvent; fields: Map<string, FieldDescriptor> }) {
  switch (event.kind) {
    case 'created':
    case 'changed':
      return <Changes event={event} fields={fields} />;
    case 'check_out':
      return (
        <>
          {event.expectedReturnDate && (
            <Text size="sm">Expected back {formatDate(event.expectedReturnDate)}</Text>
          )}
          {event.notes && <Text size="sm">Notes: {event.notes}</Text>}
        </>
      );
    case 'check_in':
      return event.notes ? <Text size="sm">Condition: {event.notes}</Text> : null;
    case 'maintenance':
      return (
        <>
          <Group gap="xs">
            <Text size="sm">On {formatDate(event.eventDate)}</Text>
            {event.status && (
              <Badge variant="light" size="sm">
                {humanizeField(event.status)}
              </Badge>
            )}
          </Group>
          {event.description && <Text size="sm">{event.description}</Text>}
        </>
      );
    case 'disposal':
      return (
        <Text size="sm">
          On {formatDate(event.disposedOn)}
          {event.partner ? ` with ${event.partner}` : ''}
          {event.proceeds ? `, for ${event.proceeds} ${event.currency ?? ''}` : ''}
        </Text>
      );
  }
}

/**
 * An item's timeline: its field changes beside its custody, maintenance and disposal, newest
 * first, a page at a time (the audit trail, with every detail, stays on the History tab).
 */
function ItemTimeline({ context, path }: { context: DetailContext; path: 'assets' | 'peripherals' }) {
  const [page, setPage] = useState(1);
  const id = context.record.id;
  const query = useQuery({
    // The record's version is in the key: a check-out or an edit shows here at once.
    queryKey: [path, 'detail', id, 'timeline', { page, version: context.record.version }],
    queryFn: ({ signal }) =>
      api.get<Page<TimelineEvent>>(
        `/api/v1/${path}/${id}/history`,
        { page, pageSize: PAGE_SIZE },
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!query.data) {
    return (
      <Stack aria-busy="true">
        <Skeleton height={60} />
        <Skeleton height={60} />
      </Stack>
    );
  }
  if (query.data.total === 0) return <Text c="dimmed">Nothing has happened to it yet.</Text>;
  const fields = new Map(context.meta.fields.map((field) => [field.name, field]));
  return (
    <Stack gap="sm">
      <Timeline bulletSize={14} lineWidth={2} aria-label="Timeline, newest first">
        {query.data.data.map((event) => (
          <Timeline.Item key={`${event.kind}:${event.id}`} title={title(event)}>
            <Text size="xs" c="dimmed">
              {formatDateTime(event.at)} · {event.actorName ?? 'System'}
            </Text>
            <Details event={event} fields={fields} />
          </Timeline.Item>
        ))}
      </Timeline>
      <ListPagination
        page={page}
        pageSize={PAGE_SIZE}
        total={query.data.total}
        noun="events"
        onPageChange={setPage}
      />
    </Stack>
  );
}

/** The "Timeline" tab of an asset's detail page. */
export const assetTimelineExtension: DetailExtension = {
  tabs: [
    {
      value: 'timeline',
      label: 'Timeline',
      render: (context) => <ItemTimeline context={context} path="assets" />,
    },
  ],
};

/** The same for a peripheral. */
export const peripheralTimelineExtension: DetailExtension = {
  tabs: [
    {
      value: 'timeline',
      label: 'Timeline',
      render: (context) => <ItemTimeline context={context} path="peripherals" />,
    },
  ],
};
