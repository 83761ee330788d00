import { useListColumnsPreference, useResetListColumns, useSaveListColumns } from '../api/resources';
import { type ArrangedColumn, arrangeColumns, layoutFromParam, layoutOf } from './column-chooser';
import type { ColumnDefinition } from './data-table';
import { notifyError } from './notify';

/**
 * Which columns a list shows, in what order. The URL's `columns` parameter (a shared link or an
 * applied view) wins, else the person's own arrangement (kept on the server, so it follows them
 * from browser to browser), else the page's default. A fixed title column always comes first.
 */
export function useListColumns<T>({
  listKey,
  columns,
  titleColumn,
  columnsParam,
  clearColumnsParam,
}: {
  listKey: string;
  /** The columns that may be hidden and moved. */
  columns: ColumnDefinition<T>[];
  titleColumn: ColumnDefinition<T> | undefined;
  columnsParam: string | undefined;
  /** Drops `columns` from the URL, so that the person's arrangement applies again. */
  clearColumnsParam: () => void;
}) {
  const preference = useListColumnsPreference(listKey);
  const save = useSaveListColumns(listKey);
  const reset = useResetListColumns(listKey);
  const layout = columnsParam
    ? layoutFromParam(columnsParam, columns)
    : preference.data?.updatedAt
      ? preference.data
      : undefined;
  const arranged = arrangeColumns(columns, layout);
  const byKey = new Map(columns.map((column) => [column.key, column]));
  const visible = arranged.filter((column) => column.visible).map((column) => byKey.get(column.key)!);
  return {
    arranged,
    /** The hideable columns shown, in order (what a saved view keeps). */
    visibleKeys: visible.map((column) => column.key),
    shown: titleColumn ? [titleColumn, ...visible] : visible,
    pending: preference.isPending,
    change(next: ArrangedColumn[]) {
      save.mutate(layoutOf(next), {
        onError: (error) => notifyError(error, 'Could not remember the columns'),
      });
      if (columnsParam) clearColumnsParam();
    },
    reset() {
      reset.mutate(undefined, { onError: (error) => notifyError(error, 'Could not reset the columns') });
      if (columnsParam) clearColumnsParam();
    },
  };
}
