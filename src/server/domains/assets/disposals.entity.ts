import { defineEntity } from '../../platform/entities/registry';
import {
  type DisposalCreateInput,
  type DisposalUpdateInput,
  disposalCreate,
  disposalRecord,
  disposalTitle,
  disposalUpdate,
  toDisposalRecord,
} from './disposals.schemas';
import { applyDisposalToItem, checkDisposal, reviseDisposal } from './disposals.service';
import { DISPOSAL_METHODS, disposals } from './disposals.table';

/**
 * A disposal record: how an asset or a peripheral left the organisation. A fact, so neither
 * archived nor deleted; one per item; recording it sets the item's status (disposals.service.ts),
 * and every later edit needs a reason, kept in its edit history.
 */
export const disposalEntity = defineEntity({
  table: disposals,
  entityType: 'disposal',
  path: 'disposals',
  labels: { singular: 'Disposal', plural: 'Disposals' },
  module: 'core_inventory',
  record: disposalRecord,
  create: disposalCreate,
  update: disposalUpdate,
  toRecord: toDisposalRecord,
  label: disposalTitle,
  list: {
    sortable: {
      disposedOn: disposals.disposedOn,
      method: disposals.method,
      updatedAt: disposals.updatedAt,
    },
    defaultSort: '-disposedOn',
    searchable: [disposals.partner, disposals.wipeMethod, disposals.notes],
    filters: {
      assetId: { type: 'uuid', column: disposals.assetId },
      peripheralId: { type: 'uuid', column: disposals.peripheralId },
      method: { type: 'enum', column: disposals.method, values: DISPOSAL_METHODS },
      disposedOn: { type: 'date', column: disposals.disposedOn },
      partner: { type: 'text', column: disposals.partner },
    },
  },
  search: { title: disposals.partner, subtitle: disposals.method },
  references: { assetId: 'asset', peripheralId: 'peripheral' },
  features: {
    archivable: false,
    customFields: false,
    linkable: true,
    tagged: false,
    attachments: true,
    hardDelete: false,
  },
  uniqueConstraints: { disposals_asset_unique: 'assetId', disposals_peripheral_unique: 'peripheralId' },
  hooks: {
    beforeCreate: (ctx, input) => checkDisposal(ctx, input as DisposalCreateInput),
    beforeUpdate: (ctx, current, input) => reviseDisposal(ctx, current, input as DisposalUpdateInput),
    afterWrite: applyDisposalToItem,
  },
});
