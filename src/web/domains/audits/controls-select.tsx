import { MultiSelect } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { recordUrl } from '../../api/resources';
import type { Page } from '../../api/types';
import { type Control, frameworkResource } from '../compliance/frameworks.api';

/** The framework's controls, searched on the server; the chosen ones stay listed as pills. */
export function ControlsSelect({
  frameworkId,
  value,
  onChange,
  error,
}: {
  frameworkId: string;
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string;
}) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const params = { kind: 'control', sort: 'position', q: debounced || undefined, pageSize: 50 };
  const query = useQuery({
    queryKey: ['controls', frameworkId, 'audit-scope', params],
    queryFn: ({ signal }) =>
      api.get<Page<Control>>(`${recordUrl(frameworkResource, frameworkId)}/controls`, params, { signal }),
    placeholderData: keepPreviousData,
  });
  const label = (control: Control) =>
    `${control.refId} ${control.title}${control.applicable ? '' : ' (not applicable)'}`;
  const found = (query.data?.data ?? []).map((control) => ({ value: control.id, label: label(control) }));
  const options = [
    ...value.map((id) => ({ value: id, label: chosen[id] ?? id })),
    ...found.filter((option) => !value.includes(option.value)),
  ];
  return (
    <MultiSelect
      label="Controls"
      description={`${value.length} chosen. Type to search by reference or title.`}
      placeholder="Search controls"
      searchable
      clearable
      required
      data={options}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={query.isFetching ? 'Searching…' : 'No controls match'}
      maxDropdownHeight={280}
      onChange={(ids) => {
        const labels = Object.fromEntries(found.map((option) => [option.value, option.label]));
        setChosen((current) => ({ ...labels, ...current }));
        onChange(ids);
      }}
      error={error}
    />
  );
}
