import {
  Alert,
  Anchor,
  Button,
  FileInput,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { type FieldError, isApiError, type Problem } from '../../api/client';
import { notifyError } from '../../components/notify';
import {
  type ImportFormat,
  type ImportReport,
  useImportFramework,
  useInstalledFrameworks,
} from './frameworks.api';
import { installSummary } from './library-dialog';

/**
 * Imports a framework document: an OSCAL catalog, an OSCAL profile applied to an installed
 * catalog, a simple JSON list or a CSV file. A dry run first shows what the import would write (or
 * where the document is wrong); the import itself is offered once a dry run of the same file and
 * options came back clean.
 */

/** What the user picks: the server's `format`, with OSCAL catalogs and profiles told apart. */
type DocumentKind = 'oscal-catalog' | 'oscal-profile' | 'json' | 'csv';

const KINDS: Array<{ value: DocumentKind; label: string }> = [
  { value: 'oscal-catalog', label: 'OSCAL catalog (JSON)' },
  { value: 'oscal-profile', label: 'OSCAL profile (JSON)' },
  { value: 'json', label: 'Simple JSON list' },
  { value: 'csv', label: 'CSV' },
];
const KIND_LABEL = Object.fromEntries(KINDS.map((kind) => [kind.value, kind.label])) as Record<
  DocumentKind,
  string
>;
const SERVER_FORMAT: Record<DocumentKind, ImportFormat> = {
  'oscal-catalog': 'oscal',
  'oscal-profile': 'oscal',
  json: 'json',
  csv: 'csv',
};

/** Larger JSON files are told apart by their first key only, not parsed whole in the browser. */
const PARSE_LIMIT = 8 * 1024 * 1024;

/** The document's kind from its name and content; null when neither says. */
async function guessKind(file: File): Promise<DocumentKind | null> {
  const lower = file.name.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  const head = (await file.slice(0, 4096).text()).replace(/^\uFEFF/, '').trimStart();
  if (!head.startsWith('{')) return lower.endsWith('.json') ? null : 'csv';
  if (/^\{\s*"catalog"\s*:/.test(head)) return 'oscal-catalog';
  if (/^\{\s*"profile"\s*:/.test(head)) return 'oscal-profile';
  if (file.size > PARSE_LIMIT) return 'json';
  try {
    const document: unknown = JSON.parse((await file.text()).replace(/^\uFEFF/, ''));
    if (typeof document !== 'object' || document === null) return null;
    if ('catalog' in document) return 'oscal-catalog';
    if ('profile' in document) return 'oscal-profile';
    if ('controls' in document) return 'json';
  } catch {
    // Not JSON after all: let the user choose, and the dry run say what is wrong.
  }
  return null;
}

/** Problems the server locates on a field of this dialog rather than in the document. */
const FIELD_PATHS = ['name', 'catalogId', 'file', 'format'] as const;
type DialogField = (typeof FIELD_PATHS)[number];
type FieldErrors = Partial<Record<DialogField, string>>;
const FIELD_LABELS: Record<DialogField, string> = {
  name: 'The name',
  catalogId: 'The catalog',
  file: 'The file',
  format: 'The format',
};

type Outcome =
  | { signature: string; report: ImportReport }
  | { signature: string; problem: Problem; problems: FieldError[] };

export function ImportDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Import a framework" size="xl">
      {opened && <ImportForm onClose={onClose} />}
    </Modal>
  );
}

function ImportForm({ onClose }: { onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [fileVersion, setFileVersion] = useState(0);
  const [kind, setKind] = useState<DocumentKind | null>(null);
  const [detected, setDetected] = useState<DocumentKind | null>(null);
  const [name, setName] = useState('');
  const [catalogId, setCatalogId] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [imported, setImported] = useState<ImportReport | null>(null);
  const catalogs = useInstalledFrameworks(kind === 'oscal-profile');
  const importer = useImportFramework();

  const isProfile = kind === 'oscal-profile';
  const signature = JSON.stringify([fileVersion, kind, name.trim(), isProfile ? catalogId : null]);
  const current = outcome?.signature === signature ? outcome : null;
  const ready = current !== null && 'report' in current;

  const chooseFile = async (chosen: File | null) => {
    setFile(chosen);
    setFileVersion((version) => version + 1);
    setErrors({});
    setDetected(null);
    if (!chosen) return;
    const guess = await guessKind(chosen);
    setDetected(guess);
    if (guess) setKind(guess);
  };

  /** The dialog's own checks, before anything is sent. */
  const check = (): FieldErrors => {
    const found: FieldErrors = {};
    if (!file) found.file = 'Choose a file to import';
    if (!kind) found.format = 'Choose the format of the file';
    if (kind === 'csv' && !name.trim())
      found.name = 'A CSV file holds controls only: give the framework a name';
    if (isProfile && !catalogId) found.catalogId = 'Choose the installed catalog the profile selects from';
    return found;
  };

  const send = (dryRun: boolean) => {
    const found = check();
    setErrors(found);
    if (!file || !kind || Object.keys(found).length > 0) return;
    importer.mutate(
      {
        file,
        format: SERVER_FORMAT[kind],
        name: name.trim() || undefined,
        catalogId: isProfile ? (catalogId ?? undefined) : undefined,
        dryRun,
      },
      {
        onSuccess: (report) => {
          if (report.dryRun) setOutcome({ signature, report });
          else setImported(report);
        },
        onError: (error) => {
          if (!isApiError(error) || error.status === 0 || error.status >= 500) {
            notifyError(error, dryRun ? 'The dry run failed' : 'The import failed');
            return;
          }
          const onFields: FieldErrors = {};
          const inDocument: FieldError[] = [];
          for (const problem of error.fieldErrors) {
            const field = FIELD_PATHS.find((path) => path === problem.path);
            if (field) onFields[field] = `${FIELD_LABELS[field]} ${problem.message}`;
            else inDocument.push(problem);
          }
          setErrors(onFields);
          setOutcome({ signature, problem: error.problem, problems: inDocument });
        },
      },
    );
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    send(!ready);
  };

  if (imported) {
    return (
      <Alert color="green" title={`Imported ${imported.name}`} role="status">
        <Stack gap="xs">
          <Text size="sm">{installSummary(imported)}</Text>
          <Group>
            <Anchor component={Link} to={`/compliance/frameworks/${imported.id}`} onClick={onClose}>
              Open {imported.name}
            </Anchor>
            <Button
              variant="subtle"
              size="compact-sm"
              onClick={() => {
                setImported(null);
                setOutcome(null);
                void chooseFile(null);
              }}
            >
              Import another file
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FileInput
          label="Framework file"
          description="An OSCAL catalog or profile (JSON), a simple JSON list of controls, or a CSV file with refId, title and parentRefId columns."
          placeholder="Choose a .json or .csv file"
          accept=".json,.csv,application/json,text/csv"
          value={file}
          onChange={(chosen) => void chooseFile(chosen)}
          error={errors.file}
          required
          clearable
          data-autofocus
        />
        <Select
          label="Format"
          description={
            detected
              ? `Detected from the file: ${KIND_LABEL[detected]}.`
              : 'Guessed from the file when you choose one.'
          }
          placeholder="Choose a format"
          data={KINDS}
          value={kind}
          onChange={(value) => {
            setKind(value as DocumentKind | null);
            setErrors((current) => ({ ...current, format: undefined }));
          }}
          error={errors.format}
          allowDeselect={false}
          required
        />
        <TextInput
          label="Name"
          description={
            kind === 'csv'
              ? 'A CSV file carries no framework name: give one. Importing again under the same name updates it.'
              : "Optional: replaces the document's own name."
          }
          placeholder={kind === 'csv' ? 'e.g. Internal security baseline' : "The document's name"}
          value={name}
          maxLength={200}
          required={kind === 'csv'}
          onChange={(event) => {
            setName(event.currentTarget.value);
            setErrors((current) => ({ ...current, name: undefined }));
          }}
          error={errors.name}
        />
        {isProfile && (
          <Select
            label="Catalog"
            description="The installed catalog the profile selects its controls from (for a NIST baseline: NIST SP 800-53)."
            placeholder={catalogs.isPending ? 'Loading…' : 'Choose a framework'}
            data={(catalogs.data ?? []).map((framework) => ({
              value: framework.id,
              label: framework.edition ? `${framework.name} (${framework.edition})` : framework.name,
            }))}
            value={catalogId}
            onChange={(value) => {
              setCatalogId(value);
              setErrors((current) => ({ ...current, catalogId: undefined }));
            }}
            error={errors.catalogId}
            nothingFoundMessage="No framework is installed yet: install the catalog first."
            searchable
            required
          />
        )}
        <Group>
          <Button
            type={ready ? 'button' : 'submit'}
            variant={ready ? 'default' : 'filled'}
            onClick={ready ? () => send(true) : undefined}
            loading={importer.isPending && importer.variables?.dryRun === true}
            disabled={importer.isPending}
          >
            Dry run
          </Button>
          <Button
            type={ready ? 'submit' : 'button'}
            disabled={!ready || importer.isPending}
            loading={importer.isPending && importer.variables?.dryRun === false}
          >
            Import
          </Button>
          {!ready && (
            <Text size="sm" c="dimmed">
              {current
                ? 'Fix the problems, then run the dry run again.'
                : 'Run a dry run to import: nothing is written.'}
            </Text>
          )}
        </Group>
        {current && 'report' in current && <DryRunReport report={current.report} />}
        {current && 'problem' in current && (
          <Problems problem={current.problem} problems={current.problems} />
        )}
      </Stack>
    </form>
  );
}

function DryRunReport({ report }: { report: ImportReport }) {
  const exists = report.updated > 0 || report.unchanged > 0;
  return (
    <Stack gap="sm">
      <Alert color="green" title="Dry run: ready to import" role="status">
        <Text size="sm">
          {report.name}: {installSummary(report)}
          {exists && ' A framework from this document exists already: importing updates it.'}
        </Text>
      </Alert>
      {report.warnings.length > 0 && (
        <ProblemTable
          caption="Warnings"
          title={`${report.warnings.length} ${report.warnings.length === 1 ? 'warning' : 'warnings'}: imported anyway`}
          rows={report.warnings.map((warning) => ({
            where: warning.row
              ? `row ${warning.row}${warning.field ? ` ${warning.field}` : ''}`
              : warning.path,
            message: warning.message,
          }))}
        />
      )}
    </Stack>
  );
}

function Problems({ problem, problems }: { problem: Problem; problems: FieldError[] }) {
  return (
    <Stack gap="sm">
      <Alert color="red" title="The file cannot be imported" role="alert">
        <Text size="sm">
          {problems.length > 0
            ? 'Nothing was written. Fix these problems in the file:'
            : (problem.detail ?? problem.title)}
        </Text>
      </Alert>
      {problems.length > 0 && (
        <ProblemTable
          caption="Problems"
          rows={problems.map((item) => ({ where: item.path, message: item.message }))}
        />
      )}
    </Stack>
  );
}

function ProblemTable({
  caption,
  title,
  rows,
}: {
  caption: string;
  title?: string;
  rows: Array<{ where: string; message: string }>;
}) {
  return (
    <Stack gap={4}>
      {title && (
        <Text size="sm" fw={500}>
          {title}
        </Text>
      )}
      <Table.ScrollContainer minWidth={480} type="native" mah={320}>
        <Table striped aria-label={caption}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Where</Table.Th>
              <Table.Th>{caption === 'Warnings' ? 'Warning' : 'Problem'}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: one place can have several problems.
              <Table.Tr key={index}>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {row.where}
                  </Text>
                </Table.Td>
                <Table.Td>{row.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
