import { Button } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { UploadIcon } from '../../components/icons';
import { useImportables } from './imports.api';

/** "Import CSV" on the list of a type I may import: opens the import wizard for it. */
export function ImportCsvButton({ entity }: { entity: string }) {
  const importables = useImportables();
  const navigate = useNavigate();
  if (!importables.data?.some((candidate) => candidate.entity === entity)) return null;
  return (
    <Button
      variant="default"
      leftSection={<UploadIcon size={16} />}
      onClick={() => navigate({ to: '/imports', search: { entity } })}
    >
      Import CSV
    </Button>
  );
}
