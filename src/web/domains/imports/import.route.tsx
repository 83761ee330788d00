import { useNavigate, useSearch } from '@tanstack/react-router';
import { ImportPage } from './import.page';

/** /imports?entity=<path>: the wizard, with the entity chosen kept in the address. */
export function ImportRoute() {
  const { entity } = useSearch({ from: '/app/imports' });
  const navigate = useNavigate({ from: '/imports' });
  return (
    <ImportPage
      entity={entity}
      onEntityChange={(next) => navigate({ search: { entity: next }, replace: true })}
    />
  );
}
