import { ActionIcon, Button, Checkbox, Group, Popover, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { ChevronDownIcon } from './icons';

/** A list's columns as arranged: every hideable column's key in display order, and which are hidden. */
export interface ColumnLayout {
  order: string[];
  hidden: string[];
}

export interface ArrangedColumn {
  key: string;
  header: string;
  visible: boolean;
}

/**
 * Applies a layout to the columns a page declares: known keys in the layout's order first, then
 * columns the layout does not know yet (added since it was saved) in their default place, shown.
 */
export function arrangeColumns(
  columns: ReadonlyArray<{ key: string; header: string }>,
  layout: ColumnLayout | undefined,
): ArrangedColumn[] {
  const byKey = new Map(columns.map((column) => [column.key, column]));
  const ordered = [
    ...(layout?.order ?? []).filter((key) => byKey.has(key)),
    ...columns.map((column) => column.key).filter((key) => !layout?.order.includes(key)),
  ];
  const hidden = new Set(layout?.hidden ?? []);
  return ordered.map((key) => ({ key, header: byKey.get(key)!.header, visible: !hidden.has(key) }));
}

/** The layout a `columns=a,b` URL parameter (visible columns, in order) describes. */
export function layoutFromParam(param: string, columns: ReadonlyArray<{ key: string }>): ColumnLayout {
  const visible = param.split(',').filter(Boolean);
  return {
    order: visible,
    hidden: columns.map((column) => column.key).filter((key) => !visible.includes(key)),
  };
}

export function layoutOf(arranged: ArrangedColumn[]): ColumnLayout {
  return {
    order: arranged.map((column) => column.key),
    hidden: arranged.filter((column) => !column.visible).map((column) => column.key),
  };
}

type Direction = 'up' | 'down';

const UpIcon = () => <ChevronDownIcon size={14} style={{ transform: 'rotate(180deg)' }} />;

/** "Columns": show, hide and reorder the list's columns; every change is remembered for the person. */
export function ColumnChooser({
  columns,
  onChange,
  onReset,
  keepOne = false,
}: {
  columns: ArrangedColumn[];
  onChange: (next: ArrangedColumn[]) => void;
  onReset: () => void;
  /** Without a fixed title column, the last shown column cannot be hidden (the list would go blank). */
  keepOne?: boolean;
}) {
  // The move buttons of each column, so that focus can follow a column to its new place.
  const moveButtons = useRef(new Map<string, Record<Direction, HTMLButtonElement | null>>());
  const focusAfterMove = useRef<{ key: string; index: number; direction: Direction } | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const setMoveButton = (key: string, direction: Direction, node: HTMLButtonElement | null) => {
    const buttons = moveButtons.current.get(key) ?? { up: null, down: null };
    buttons[direction] = node;
    if (buttons.up || buttons.down) moveButtons.current.set(key, buttons);
    else moveButtons.current.delete(key);
  };

  // Once the moved column is in its new place, give focus back to the button that moved it (React
  // moves rows' DOM nodes, which drops focus), or to its sibling at the top or bottom.
  useEffect(() => {
    const pending = focusAfterMove.current;
    if (!pending) return;
    const index = columns.findIndex((column) => column.key === pending.key);
    if (index !== pending.index) return;
    focusAfterMove.current = null;
    const buttons = moveButtons.current.get(pending.key);
    const atEdge = pending.direction === 'up' ? index === 0 : index === columns.length - 1;
    const target = atEdge
      ? buttons?.[pending.direction === 'up' ? 'down' : 'up']
      : buttons?.[pending.direction];
    target?.focus();
  }, [columns]);

  const move = (index: number, direction: Direction) => {
    const to = direction === 'up' ? index - 1 : index + 1;
    const next = [...columns];
    const [moved] = next.splice(index, 1);
    next.splice(to, 0, moved!);
    focusAfterMove.current = { key: moved!.key, index: to, direction };
    setAnnouncement(`${moved!.header} moved to position ${to + 1} of ${next.length}`);
    onChange(next);
  };
  const shown = columns.filter((column) => column.visible).length;
  return (
    <Popover
      position="bottom-start"
      shadow="md"
      width={280}
      trapFocus
      withinPortal
      onClose={() => setAnnouncement('')}
    >
      <Popover.Target>
        <Button variant="default" rightSection={<ChevronDownIcon size={14} />}>
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" role="group" aria-label="Columns">
          <Text size="xs" c="dimmed">
            Shown columns and their order are remembered for you.
          </Text>
          {columns.map((column, index) => (
            <Group key={column.key} justify="space-between" wrap="nowrap" gap="xs">
              <Checkbox
                label={column.header}
                checked={column.visible}
                disabled={keepOne && column.visible && shown === 1}
                onChange={(event) =>
                  onChange(
                    columns.map((c) =>
                      c.key === column.key ? { ...c, visible: event.currentTarget.checked } : c,
                    ),
                  )
                }
              />
              <Group gap={2} wrap="nowrap">
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="sm"
                  aria-label={`Move ${column.header} up`}
                  disabled={index === 0}
                  ref={(node) => setMoveButton(column.key, 'up', node)}
                  onClick={() => move(index, 'up')}
                >
                  <UpIcon />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="sm"
                  aria-label={`Move ${column.header} down`}
                  disabled={index === columns.length - 1}
                  ref={(node) => setMoveButton(column.key, 'down', node)}
                  onClick={() => move(index, 'down')}
                >
                  <ChevronDownIcon size={14} />
                </ActionIcon>
              </Group>
            </Group>
          ))}
          <Button variant="subtle" size="xs" onClick={onReset}>
            Reset to default
          </Button>
          <VisuallyHidden role="status" aria-live="polite" aria-atomic="true">
            {announcement}
          </VisuallyHidden>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
