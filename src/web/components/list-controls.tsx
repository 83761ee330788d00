import { Button, Group, MultiSelect, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { SearchIcon } from './icons';

export interface FilterDefinition {
  /** Query parameter name, e.g. `department` or `cf.costCenter`. */
  key: string;
  label: string;
  /** `multi` sends comma-separated values; `text` is an exact match. */
  type: 'select' | 'multi' | 'text';
  options?: { value: string; label: string }[];
}

/** Search as you type, sent to the URL (and the server) after a short pause. */
export function SearchBox({
  value,
  onChange,
  noun,
}: {
  value: string;
  onChange: (q: string) => void;
  noun: string;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = useDebouncedCallback((next: string) => onChange(next.trim()), 350);
  return (
    <TextInput
      label="Search"
      placeholder={`Search ${noun}`}
      leftSection={<SearchIcon size={16} />}
      type="search"
      value={text}
      maxLength={200}
      w={{ base: '100%', xs: 260 }}
      onChange={(event) => {
        setText(event.currentTarget.value);
        commit(event.currentTarget.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') onChange(text.trim());
      }}
    />
  );
}

export function FilterControl({
  filter,
  value,
  onChange,
}: {
  filter: FilterDefinition;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const commit = useDebouncedCallback((next: string) => onChange(next.trim() || undefined), 450);
  const width = { base: '100%', xs: 200 };
  if (filter.type === 'multi') {
    return (
      <MultiSelect
        label={filter.label}
        placeholder="Any"
        data={filter.options ?? []}
        value={value ? value.split(',') : []}
        onChange={(values) => onChange(values.length > 0 ? values.join(',') : undefined)}
        clearable
        w={width}
      />
    );
  }
  if (filter.type === 'select') {
    return (
      <Select
        label={filter.label}
        placeholder="Any"
        data={filter.options ?? []}
        value={value ?? null}
        onChange={(next) => onChange(next ?? undefined)}
        clearable
        w={width}
      />
    );
  }
  return (
    <TextInput
      label={filter.label}
      placeholder="Any"
      value={text}
      maxLength={200}
      w={width}
      onChange={(event) => {
        setText(event.currentTarget.value);
        commit(event.currentTarget.value);
      }}
    />
  );
}

/**
 * A list's filter bar: the search box (with `onSearch`), a control per filter, and "Clear filters"
 * while `filtering`. Values are read from and written to the caller's URL search parameters.
 */
export function FilterBar({
  noun,
  filters,
  values,
  onSearch,
  onFilter,
  filtering,
  onClear,
}: {
  /** What the search box searches, as in "Search audits". */
  noun?: string;
  filters: FilterDefinition[];
  values: Record<string, string | undefined>;
  onSearch?: (q: string | undefined) => void;
  onFilter: (key: string, value: string | undefined) => void;
  filtering: boolean;
  onClear: () => void;
}) {
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      {onSearch && (
        <SearchBox
          value={values.q ?? ''}
          onChange={(q) => onSearch(q || undefined)}
          noun={noun ?? 'records'}
        />
      )}
      {filters.map((filter) => (
        <FilterControl
          key={filter.key}
          filter={filter}
          value={values[filter.key]}
          onChange={(value) => onFilter(filter.key, value)}
        />
      ))}
      {filtering && (
        <Button variant="subtle" onClick={onClear}>
          Clear filters
        </Button>
      )}
    </Group>
  );
}
