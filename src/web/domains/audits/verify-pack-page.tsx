import { Alert, Anchor, Button, Code, FileInput, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { formatDateTime } from '../../components/format';
import { UploadIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { useVerifyPack } from './audits.api';
import type { PackVerification } from './audits.model';

/**
 * Checks an evidence pack someone hands back: every file against the manifest's SHA-256, nothing
 * added, and whether this server issued that manifest (and for which audit).
 */
export function VerifyPackPage() {
  const verify = useVerifyPack();
  const [file, setFile] = useState<File | null>(null);
  const [touched, setTouched] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (file) verify.mutate(file);
  };
  return (
    <>
      <PageHeader
        title="Verify an evidence pack"
        crumbs={[{ label: 'Audits', to: '/compliance/audits' }, { label: 'Verify a pack' }]}
        description={
          <>
            Upload an audit’s evidence pack (the ZIP) to check that nothing in it changed since it was
            exported. The same check runs offline, without this server, with{' '}
            <Code>npm run opsdeck -- verify-pack &lt;file.zip&gt;</Code>.
          </>
        }
      />
      <Stack gap="lg" maw={880}>
        <form onSubmit={submit} noValidate>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <FileInput
              label="Evidence pack"
              placeholder="Choose a .zip file"
              accept=".zip,application/zip"
              required
              clearable
              value={file}
              onChange={(chosen) => {
                setFile(chosen);
                verify.reset();
              }}
              error={touched && !file ? 'Choose the pack to check' : undefined}
              leftSection={<UploadIcon size={16} />}
              w={{ base: '100%', xs: 380 }}
            />
            <Button type="submit" loading={verify.isPending}>
              Verify
            </Button>
          </Group>
        </form>
        {verify.isError && (
          <Alert color="red" title="Could not check this file" role="alert">
            {isApiError(verify.error) ? verify.error.summary : String(verify.error)}
          </Alert>
        )}
        {verify.data && <VerificationResult result={verify.data} />}
      </Stack>
    </>
  );
}

function VerificationResult({ result }: { result: PackVerification }) {
  const issued = !result.manifestSha256 ? null : result.issued ? (
    <Text size="sm">
      Issued by this server on {formatDateTime(result.issued.at)}
      {result.issued.by ? ` (exported by ${result.issued.by})` : ''} for{' '}
      <Anchor component={Link} to={`/compliance/audits/${result.issued.auditId}`} size="sm">
        this audit
      </Anchor>
      .
    </Text>
  ) : (
    <Text size="sm">
      This server has no record of exporting this manifest: the pack comes from another installation, or was
      put together by hand.
    </Text>
  );
  const manifest = result.manifestSha256 && (
    <Text size="sm">
      Manifest SHA-256 <Code style={{ overflowWrap: 'anywhere' }}>{result.manifestSha256}</Code>
    </Text>
  );
  if (result.ok) {
    return (
      <Alert color={result.issued ? 'green' : 'yellow'} title="OK: the pack is intact" role="status">
        <Stack gap={4}>
          <Text size="sm">
            {result.files.toLocaleString()} {result.files === 1 ? 'file' : 'files'} checked against the
            manifest; nothing missing, changed or added.
          </Text>
          {manifest}
          {issued}
        </Stack>
      </Alert>
    );
  }
  return (
    <Stack gap="sm">
      <Alert color="red" title="The pack does not match its manifest" role="alert">
        <Stack gap={4}>
          <Text size="sm">
            {result.problems.length} {result.problems.length === 1 ? 'problem' : 'problems'} found (
            {result.files.toLocaleString()} {result.files === 1 ? 'file' : 'files'} checked). Do not rely on
            this copy.
          </Text>
          {manifest}
          {issued}
        </Stack>
      </Alert>
      <Table.ScrollContainer minWidth={520} type="native">
        <Table striped withTableBorder aria-label="Problems">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Path</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.problems.map((problem) => (
              <Table.Tr key={`${problem.path}\u0000${problem.problem}`}>
                <Table.Td>
                  <Code style={{ overflowWrap: 'anywhere' }}>{problem.path}</Code>
                </Table.Td>
                <Table.Td>{problem.problem}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
