import { useEntityMetas } from '../../api/entity-meta';
import type { ResourceDefinition } from '../../api/resources';

export const tagResource: ResourceDefinition = {
  path: 'tags',
  entityType: 'tag',
  module: 'settings',
  labels: { singular: 'Tag', plural: 'Tags' },
  route: '/settings/tags',
  features: { archivable: true, linkable: false, tagged: false, attachments: false, hardDelete: false },
};

export const customFieldResource: ResourceDefinition = {
  path: 'custom-fields',
  entityType: 'custom_field',
  module: 'administration',
  labels: { singular: 'Custom field', plural: 'Custom fields' },
  route: '/admin/custom-fields',
  features: { archivable: true, linkable: false, tagged: false, attachments: false, hardDelete: false },
};

/** Record types that can carry custom fields, as the registry declares them. */
export function useCustomFieldEntityTypes(): Array<{ value: string; label: string }> {
  const metas = useEntityMetas();
  return (metas.data ?? [])
    .filter((meta) => meta.features.customFields)
    .map((meta) => ({ value: meta.type, label: meta.labels.singular }));
}
