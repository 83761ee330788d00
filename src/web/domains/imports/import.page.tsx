import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  FileInput,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { GENERIC_ROUTE } from '../../api/entity-meta';
import { ErrorState } from '../../components/error-pages';
import { notifyError } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import {
  type DateFormat,
  type Delimiter,
  type ImportColumns,
  type ImportOptions,
  type ImportReport,
  type Preview,
  previewFile,
  runImport,
  useImportables,
  useImportColumns,
} from './imports.api';

/**
 * The CSV import wizard: choose what to import and the file, map the file's columns to fields
 * (prefilled from the headers and from the mapping used last time), check the file (a dry run that
 * lists every problem), then import it, all rows or none.
 */

const DELIMITERS: Array<{ value: Delimiter; label: string }> = [
  { value: 'auto', label: 'Detect from the header line' },
  { value: ',', label: 'Comma ( , )' },
  { value: ';', label: 'Semicolon ( ; )' },
  { value: 'tab', label: 'Tab' },
];
const DATE_FORMATS: Array<{ value: DateFormat; label: string }> = [
  { value: 'iso', label: 'ISO: 2024-01-31' },
  { value: 'dmy', label: 'Day first: 31/01/2024' },
  { value: 'mdy', label: 'Month first: 01/31/2024' },
];
const LEAVE_OUT = '';

export function ImportPage({
  entity,
  onEntityChange,
}: {
  entity: string | undefined;
  onEntityChange: (entity: string) => void;
}) {
  const importables = useImportables();
  if (importables.isError)
    return <ErrorState error={importables.error} onRetry={() => importables.refetch()} />;
  if (!importables.data) return <Skeleton height={320} />;
  const chosen = importables.data.find((candidate) => candidate.entity === entity);
  return (
    <>
      <PageHeader
        title="Import from CSV"
        description="Check a file first: nothing is written until every row is right, and then all rows are imported at once."
      />
      {importables.data.length === 0 ? (
        <Alert color="gray">You may not import anything: imports need write access to a module.</Alert>
      ) : (
        <Stack gap="lg" maw={1100}>
          <Select
            label="Import into"
            placeholder="Choose what the file holds"
            data={importables.data.map((candidate) => ({
              value: candidate.entity,
              label: candidate.labels.plural,
            }))}
            value={chosen?.entity ?? null}
            onChange={(value) => value && onEntityChange(value)}
            allowDeselect={false}
            maw={360}
          />
          {chosen && <ImportWizard key={chosen.entity} entity={chosen.entity} />}
        </Stack>
      )}
    </>
  );
}

/** What a check was made of, so that the import is allowed only for exactly what was checked. */
function signatureOf(file: File | null, mapping: string[], options: ImportOptions): string {
  return JSON.stringify([file?.name, file?.size, file?.lastModified, mapping, options]);
}

function ImportWizard({ entity }: { entity: string }) {
  const columns = useImportColumns(entity);
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptions] = useState<ImportOptions>({
    delimiter: 'auto',
    dateFormat: 'iso',
    createMissingReferences: false,
  });
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<string[]>([]);
  const [checked, setChecked] = useState<{ report: ImportReport; signature: string } | null>(null);
  const [imported, setImported] = useState<ImportReport | null>(null);

  const read = useMutation({
    mutationFn: ({ chosen, delimiter }: { chosen: File; delimiter: Delimiter }) =>
      previewFile(entity, chosen, delimiter),
    onError: (error) => notifyError(error, 'Could not read the file'),
  });
  // The headers (and how they map) depend on the file and on its delimiter.
  const { mutate: readFile } = read;
  useEffect(() => {
    setPreview(null);
    setChecked(null);
    if (file) {
      readFile({ chosen: file, delimiter: options.delimiter }, { onSuccess: (result) => setPreview(result) });
    }
  }, [file, options.delimiter, readFile]);
  useEffect(() => {
    if (preview && columns.data) setMapping(initialMapping(preview, columns.data));
  }, [preview, columns.data]);

  const mappingJson = useMemo(
    () => Object.fromEntries((preview?.columns ?? []).map((c, i) => [c.header, mapping[i] || null])),
    [preview, mapping],
  );
  const signature = signatureOf(file, mapping, options);
  const check = useMutation({
    mutationFn: () => runImport(entity, file!, mappingJson, options, true),
    onSuccess: (report) => setChecked({ report, signature }),
    onError: (error) => notifyError(error, 'Could not check the file'),
  });
  const run = useMutation({
    mutationFn: () => runImport(entity, file!, mappingJson, options, false),
    onSuccess: async (report) => {
      if (report.errorCount > 0) {
        // Refused (something changed since the check): its problems replace the check's.
        setChecked({ report, signature });
        return;
      }
      setImported(report);
      await queryClient.invalidateQueries({ queryKey: [entity] });
      await queryClient.invalidateQueries({ queryKey: ['imports', 'columns', entity] });
    },
    onError: (error) => notifyError(error, 'Could not import the file'),
  });

  if (columns.isError) return <ErrorState error={columns.error} onRetry={() => columns.refetch()} />;
  if (!columns.data) return <Skeleton height={240} />;
  const meta = columns.data;
  if (imported) {
    return (
      <ImportDone
        report={imported}
        meta={meta}
        onAnother={() => {
          setImported(null);
          setFile(null);
        }}
      />
    );
  }
  const current = checked?.signature === signature ? checked.report : null;
  const ready = current !== null && current.errorCount === 0 && current.rows > 0;
  const tooLarge = file !== null && file.size > meta.limits.maxBytes;
  return (
    <Stack gap="lg">
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={2} size="h4">
            File and options
          </Title>
          <FileInput
            label="CSV file"
            description={`Up to ${meta.limits.maxRows.toLocaleString()} rows and ${Math.round(meta.limits.maxBytes / 1048576)} MB. The list's own CSV export can be imported as it is.`}
            placeholder="Choose a .csv file"
            accept=".csv,.txt,.tsv,text/csv,text/plain,text/tab-separated-values"
            value={file}
            onChange={(chosen) => {
              setFile(chosen);
              setChecked(null);
            }}
            error={
              tooLarge
                ? `The file is larger than ${Math.round(meta.limits.maxBytes / 1048576)} MB.`
                : undefined
            }
            clearable
            maw={480}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label="Delimiter"
              data={DELIMITERS}
              value={options.delimiter}
              onChange={(value) => value && setOptions({ ...options, delimiter: value as Delimiter })}
              allowDeselect={false}
            />
            <Select
              label="Date format"
              description="ISO dates are read in every format."
              data={DATE_FORMATS}
              value={options.dateFormat}
              onChange={(value) => value && setOptions({ ...options, dateFormat: value as DateFormat })}
              allowDeselect={false}
            />
            <Checkbox
              mt="lg"
              label="Create missing references"
              description="Locations, brands, models or software a row names that do not exist yet."
              checked={options.createMissingReferences}
              onChange={(event) =>
                setOptions({ ...options, createMissingReferences: event.currentTarget.checked })
              }
            />
          </SimpleGrid>
        </Stack>
      </Paper>

      {read.isPending && <Skeleton height={160} />}
      {preview && (
        <ColumnMapping
          preview={preview}
          meta={meta}
          mapping={mapping}
          onChange={(index, value) => setMapping(mapping.map((old, i) => (i === index ? value : old)))}
        />
      )}

      {preview && (
        <Group>
          <Button
            variant="default"
            onClick={() => check.mutate()}
            loading={check.isPending}
            disabled={tooLarge}
          >
            Check file
          </Button>
          <Button onClick={() => run.mutate()} loading={run.isPending} disabled={!ready}>
            Import
          </Button>
          {!ready && (
            <Text size="sm" c="dimmed">
              {current ? 'Fix the problems, then check the file again.' : 'Check the file to import it.'}
            </Text>
          )}
        </Group>
      )}
      {current && <CheckResult report={current} meta={meta} />}
    </Stack>
  );
}

/**
 * Each header's field: the mapping used last time for that header (if its field still exists),
 * else the server's own match for it, else left out.
 */
function initialMapping(preview: Preview, meta: ImportColumns): string[] {
  const known = new Set(meta.columns.map((column) => column.name));
  return preview.columns.map((column) => {
    const remembered = meta.mapping?.[column.header.trim()];
    if (remembered === null) return LEAVE_OUT;
    if (remembered && known.has(remembered)) return remembered;
    return column.status === 'mapped' && column.field ? column.field : LEAVE_OUT;
  });
}

function ColumnMapping({
  preview,
  meta,
  mapping,
  onChange,
}: {
  preview: Preview;
  meta: ImportColumns;
  mapping: string[];
  onChange: (index: number, value: string) => void;
}) {
  const options = [
    { value: LEAVE_OUT, label: 'Leave out' },
    ...meta.columns.map((column) => ({ value: column.name, label: `${column.label} (${column.name})` })),
  ];
  const required = meta.columns.filter((column) => column.required).map((column) => column.label);
  const keys = meta.keys.map((key) =>
    key.map((name) => meta.columns.find((c) => c.name === name)?.label ?? name).join(' + '),
  );
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Columns
        </Title>
        <Text size="sm" c="dimmed">
          {preview.rows.toLocaleString()} {preview.rows === 1 ? 'row' : 'rows'}. A row updates the{' '}
          {meta.labels.singular.toLowerCase()} with the same {keys.join(', else the same ')} (or the same ID),
          and creates one otherwise
          {required.length > 0 ? `; a new one needs ${required.join(', ')}` : ''}.
        </Text>
        <Table.ScrollContainer minWidth={560} type="native">
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Column in the file</Table.Th>
                <Table.Th>First value</Table.Th>
                <Table.Th>Imports into</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.columns.map((column, index) => (
                // Headers may repeat or be blank: their position is what identifies them.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above.
                <Table.Tr key={index}>
                  <Table.Td>{column.header.trim() || <Text c="dimmed">(no header)</Text>}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={1} maw={260}>
                      {preview.sample[0]?.[index] ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`Import "${column.header.trim() || `column ${index + 1}`}" into`}
                      data={options}
                      value={mapping[index] ?? LEAVE_OUT}
                      onChange={(value) => onChange(index, value ?? LEAVE_OUT)}
                      allowDeselect={false}
                      searchable
                      comboboxProps={{ withinPortal: true }}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Paper>
  );
}

const plural = (count: number, one: string, many: string) =>
  `${count.toLocaleString()} ${count === 1 ? one : many}`;

function CheckResult({ report, meta }: { report: ImportReport; meta: ImportColumns }) {
  const singular = meta.labels.singular.toLowerCase();
  const counts = `${plural(report.created, `new ${singular}`, `new ${meta.labels.plural.toLowerCase()}`)}, ${plural(report.updated, 'update', 'updates')}, ${report.unchanged.toLocaleString()} unchanged`;
  const created = report.createdReferences.map((r) => r.name);
  if (report.errorCount === 0) {
    return (
      <Alert color="green" title="The file is ready to import">
        {plural(report.rows, 'row', 'rows')}: {counts}.
        {created.length > 0 && ` Also created: ${created.join(', ')}.`}
      </Alert>
    );
  }
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4" c="red">
          {plural(report.errorCount, 'problem', 'problems')} to fix
        </Title>
        <Text size="sm">
          Nothing is imported while a row has a problem. The other rows would give {counts}.
          {report.errorCount > report.errors.length &&
            ` The first ${report.errors.length} problems are listed.`}
        </Text>
        <Table.ScrollContainer minWidth={480} type="native">
          <Table striped aria-label="Problems">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Row</Table.Th>
                <Table.Th>Column</Table.Th>
                <Table.Th>Problem</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.errors.map((problem, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a row can have several problems in one column.
                <Table.Tr key={index}>
                  <Table.Td>{problem.row}</Table.Td>
                  <Table.Td>{problem.column ?? '—'}</Table.Td>
                  <Table.Td>{problem.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Paper>
  );
}

function ImportDone({
  report,
  meta,
  onAnother,
}: {
  report: ImportReport;
  meta: ImportColumns;
  onAnother: () => void;
}) {
  return (
    <Alert color="green" title="Imported">
      <Stack gap="xs">
        <Text size="sm">
          {plural(report.rows, 'row', 'rows')}: {report.created.toLocaleString()} created,{' '}
          {report.updated.toLocaleString()} updated, {report.unchanged.toLocaleString()} unchanged.
          {report.createdReferences.length > 0 &&
            ` Also created: ${report.createdReferences.map((r) => r.name).join(', ')}.`}
        </Text>
        <Group>
          <Anchor component={Link} to={`${GENERIC_ROUTE}/${meta.entityType}`}>
            Open the {meta.labels.plural.toLowerCase()} list
          </Anchor>
          <Button variant="subtle" size="compact-sm" onClick={onAnother}>
            Import another file
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
