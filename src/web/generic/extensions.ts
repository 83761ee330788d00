import { createElement, Fragment, type ReactNode } from 'react';
import type { EntityMeta } from '../api/entity-meta';
import { canRead } from '../api/session';
import type { BaseRecord, RecordDetail, SessionInfo } from '../api/types';
import { assetDetailExtension, peripheralDetailExtension } from '../domains/assets/custody';
import { disposalExtension, disposalRecordExtension } from '../domains/assets/disposal';
import { inventoryDetailExtension } from '../domains/assets/inventory';
import { licenseDetailExtension } from '../domains/assets/license-seats';
import { maintenanceExtension } from '../domains/assets/maintenance';
import { assetTimelineExtension, peripheralTimelineExtension } from '../domains/assets/timeline';
import { complianceExtension } from '../domains/compliance/compliance-panel';
import { controlDetailExtension } from '../domains/compliance/control-evidence';
import { controlRulesExtension } from '../domains/compliance/control-rules';
import { isEvidenceType } from '../domains/compliance/evidence.api';

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
  control: [controlDetailExtension, controlRulesExtension],
};

/**
 * Extensions a type gets from what the registry says of it rather than by name: every record
 * that can be evidence has a Compliance tab (for those who may read compliance), so a new entity
 * gets one by declaring itself linkable.
 */
function featureExtensionsFor(meta: EntityMeta, session: SessionInfo): DetailExtension[] {
  return isEvidenceType(meta) && canRead(session, 'compliance') ? [complianceExtension] : [];
}

/** The extensions of a type, merged: their actions side by side, their tabs in order. */
export function detailExtensionFor(meta: EntityMeta, session: SessionInfo): Required<DetailExtension> {
  const extensions = [...(DETAIL_EXTENSIONS[meta.type] ?? []), ...featureExtensionsFor(meta, session)];
  return {
    actions: (context) =>
      extensions.map((extension, index) =>
        createElement(Fragment, { key: index }, extension.actions?.(context) ?? null),
      ),
    tabs: extensions.flatMap((extension) => extension.tabs ?? []),
  };
}
