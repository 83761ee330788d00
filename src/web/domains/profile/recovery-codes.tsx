import { Alert, Button, Code, CopyButton, Group, SimpleGrid, Stack, Text } from '@mantine/core';

/** Shown exactly once after enrolment or regeneration: the server keeps only hashes. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <Alert color="yellow" title="Save your recovery codes now" role="alert">
      <Stack gap="sm">
        <Text size="sm">
          Each code signs you in once if you lose your authenticator. They will not be shown again: store them
          in your password manager or print them.
        </Text>
        <SimpleGrid cols={2} spacing={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {codes.map((code) => (
            <li key={code}>
              <Code fz="sm">{code}</Code>
            </li>
          ))}
        </SimpleGrid>
        <Group gap="sm">
          <CopyButton value={codes.join('\n')}>
            {({ copied, copy }) => (
              <Button variant="default" size="xs" onClick={copy}>
                {copied ? 'Copied' : 'Copy codes'}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" onClick={onDone}>
            I have saved these codes
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
