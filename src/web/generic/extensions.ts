import { createElement, Fragment, type ReactNode } from 'react';
import type { EntityMeta } from '../api/entity-meta';
import type { BaseRecord, RecordDetail } from '../api/types';
import { assetDetailExtension, peripheralDetailExtension } from '../domains/assets/custody';
import { disposalExtension, disposalRecordExtension } from '../domains/assets/disposal';
import { inventoryDetailExtension } from '../domains/assets/inventory';
import { licenseDetailExtension } from '../domains/assets/license-seats';
import { maintenanceExtension } from '../domains/assets/maintenance';
import { assetTimelineExtension, peripheralTimelineExtension } from '../domains/assets/timeline';

export type AnyRecord = BaseRecord & Record<string, unknown>;

export interface DetailContext {
  meta: EntityMeta;
  record: RecordDetail<AnyRecord>;
  /** Reload the record (and what depends on it) after an action changed it. */
  refresh: () => void;
}

/**
 * What a domain adds to the generic detail page of its types: workflow actions beside Edit, and
 * tabs of its own. Everything else a record type shows comes from the registry.
 */
export interface DetailExtension {
  actions?: (context: DetailContext) => ReactNode;
  tabs?: Array<{ value: string; label: string; render: (context: DetailContext) => ReactNode }>;
}

/**
 * Each type's extensions, in order: several domains' features may extend one type (custody,
 * maintenance, disposal all add to an asset), each in its own module.
 */
const DETAIL_EXTENSIONS: Record<string, DetailExtension[]> = {
  asset: [
    assetDetailExtension,
    maintenanceExtension('assetId'),
    disposalExtension('assetId'),
    assetTimelineExtension,
  ],
  asset_inventory: [inventoryDetailExtension],
  peripheral: [
    peripheralDetailExtension,
    maintenanceExtension('peripheralId'),
    disposalExtension('peripheralId'),
    peripheralTimelineExtension,
  ],
  disposal: [disposalRecordExtension],
  license: [licenseDetailExtension],
};

/** The extensions of a type, merged: their actions side by side, their tabs in order. */
export function detailExtensionFor(type: string): Required<DetailExtension> {
  const extensions = DETAIL_EXTENSIONS[type] ?? [];
  return {
    actions: (context) =>
      extensions.map((extension, index) =>
        createElement(Fragment, { key: index }, extension.actions?.(context) ?? null),
      ),
    tabs: extensions.flatMap((extension) => extension.tabs ?? []),
  };
}
