import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { collectionUrl, type ResourceDefinition, recordUrl, resourceKeys } from '../api/resources';
import type { BaseRecord, Page } from '../api/types';

export interface RecordPickerProps<T extends BaseRecord> {
  definition: ResourceDefinition;
  label: string;
  value: string | null;
  /** The label of the current value, when it is known from the record being edited. */
  valueLabel?: string | null;
  onChange: (id: string | null, record: T | undefined) => void;
  optionLabel: (record: T) => string;
  /** Ids that may not be picked (the record itself, existing members). */
  exclude?: string[];
  description?: string;
  placeholder?: string;
  error?: string;
  required?: boolean;
  clearable?: boolean;
  onBlur?: () => void;
  /** List filters the choices must match, e.g. `{ status: 'in_stock' }`. */
  filters?: Record<string, string>;
}

/** A searchable select over any record type; the search runs on the server. */
export function RecordPicker<T extends BaseRecord>({
  definition,
  label,
  value,
  valueLabel,
  onChange,
  optionLabel,
  exclude = [],
  description,
  placeholder = 'Type to search',
  error,
  required,
  clearable = true,
  onBlur,
  filters,
}: RecordPickerProps<T>) {
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<Record<string, string>>({});
  const selectedLabel = value ? (picked[value] ?? valueLabel ?? undefined) : undefined;
  // When the box just shows the chosen record, offer everything rather than that one match.
  const [debounced] = useDebouncedValue(search === selectedLabel ? '' : search.trim(), 250);
  const params = { ...filters, q: debounced || undefined, pageSize: 20, page: 1 };
  const query = useQuery({
    queryKey: [...resourceKeys.list(definition, params), 'picker'],
    queryFn: ({ signal }) => api.get<Page<T>>(collectionUrl(definition), params, { signal }),
    placeholderData: keepPreviousData,
  });
  const records = (query.data?.data ?? []).filter((record) => !exclude.includes(record.id));
  const options = records.map((record) => ({ value: record.id, label: optionLabel(record) }));
  const missing = Boolean(value) && !selectedLabel && !options.some((option) => option.value === value);
  // The current value is not among the results: fetch it once to show its name.
  const current = useQuery({
    queryKey: resourceKeys.detail(definition, value ?? ''),
    queryFn: ({ signal }) => api.get<T>(recordUrl(definition, value!), undefined, { signal }),
    enabled: missing,
  });
  if (value && !options.some((option) => option.value === value)) {
    const label = selectedLabel ?? (current.data ? optionLabel(current.data) : 'Loading…');
    options.unshift({ value, label });
  }
  return (
    <Select
      label={label}
      description={description}
      placeholder={placeholder}
      searchable
      clearable={clearable}
      required={required}
      data={options}
      value={value}
      error={error}
      onBlur={onBlur}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={query.isFetching ? 'Searching…' : 'Nothing found'}
      onChange={(id, option) => {
        if (id && option) setPicked((current) => ({ ...current, [id]: option.label }));
        onChange(
          id,
          records.find((record) => record.id === id),
        );
      }}
    />
  );
}
