import { ActionIcon, Button, Checkbox, Group, Popover, Stack, Text } from '@mantine/core';
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
  const move = (index: number, by: -1 | 1) => {
    const next = [...columns];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved!);
    onChange(next);
  };
  const shown = columns.filter((column) => column.visible).length;
  return (
    <Popover position="bottom-start" shadow="md" width={280} trapFocus withinPortal>
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
                  onClick={() => move(index, -1)}
                >
                  <UpIcon />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="sm"
                  aria-label={`Move ${column.header} down`}
                  disabled={index === columns.length - 1}
                  onClick={() => move(index, 1)}
                >
                  <ChevronDownIcon size={14} />
                </ActionIcon>
              </Group>
            </Group>
          ))}
          <Button variant="subtle" size="xs" onClick={onReset}>
            Reset to default
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
