import { z } from 'zod';
import { isoDate, nullableOptional as optional, plainString, shortText } from '../../platform/http/schemas';
import { FRAMEWORK_LIMITS } from './framework-model';
import {
  CONTROL_KINDS,
  CONTROL_STATUSES,
  type ComplianceEvidence,
  FRAMEWORK_SOURCES,
  type Framework,
  type FrameworkControl,
  IMPLEMENTATION_STATUSES,
} from './frameworks.table';

const longText = (max: number) => plainString().trim().max(max);

/** Controls by status, applicable ones only; `coverage` is (compliant + manual) / applicable, in %. */
export const frameworkStats = z
  .object({
    controls: z.number().int(),
    applicable: z.number().int(),
    compliant: z.number().int(),
    manual: z.number().int(),
    warning: z.number().int(),
    nonCompliant: z.number().int(),
    uncovered: z.number().int(),
    notApplicable: z.number().int(),
    coverage: z.number(),
  })
  .meta({ id: 'FrameworkStats' });
export type FrameworkStats = z.infer<typeof frameworkStats>;

export const frameworkRecord = z
  .object({
    id: z.uuid(),
    isArchived: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    name: z.string(),
    key: z.string(),
    edition: z.string().nullable(),
    publisher: z.string().nullable(),
    description: z.string().nullable(),
    source: z.enum(FRAMEWORK_SOURCES),
    isActive: z.boolean(),
    stats: frameworkStats,
  })
  .meta({ id: 'Framework' });

type StatsRow = Partial<Record<'controls' | (typeof CONTROL_STATUSES)[number], number | string>>;

export function toFrameworkStats(raw: StatsRow | null | undefined): FrameworkStats {
  const n = (key: keyof StatsRow) => Number(raw?.[key] ?? 0);
  const notApplicable = n('not_applicable');
  const controls = n('controls');
  const applicable = controls - notApplicable;
  const compliant = n('compliant');
  const manual = n('manual');
  return {
    controls,
    applicable,
    compliant,
    manual,
    warning: n('warning'),
    nonCompliant: n('non_compliant'),
    uncovered: applicable - compliant - manual - n('warning') - n('non_compliant'),
    notApplicable,
    coverage: applicable === 0 ? 0 : Math.round((1000 * (compliant + manual)) / applicable) / 10,
  };
}

export function toFrameworkRecord(row: Framework & { stats?: unknown }): z.input<typeof frameworkRecord> {
  return {
    id: row.id,
    isArchived: row.isArchived,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    name: row.name,
    key: row.key,
    edition: row.edition,
    publisher: row.publisher,
    description: row.description,
    source: row.source,
    isActive: row.isActive,
    stats: toFrameworkStats(row.stats as StatsRow | null),
  };
}

/** Only custom frameworks are written here; the library and imports make the others. */
export const frameworkCreate = z
  .strictObject({
    name: shortText(FRAMEWORK_LIMITS.nameLength),
    edition: optional(shortText(50)),
    publisher: optional(shortText(200)),
    description: optional(longText(FRAMEWORK_LIMITS.textLength)),
    isActive: z.boolean().optional(),
  })
  .meta({ id: 'FrameworkCreate' });

export const frameworkUpdate = frameworkCreate.partial().meta({ id: 'FrameworkUpdate' });

export const controlRecord = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    // The reference first: the generic screens title a record by its first text field.
    refId: z.string(),
    title: z.string(),
    frameworkId: z.uuid(),
    parentId: z.uuid().nullable(),
    description: z.string().nullable(),
    guidance: z.string().nullable(),
    kind: z.enum(CONTROL_KINDS),
    sortOrder: z.number().int(),
    depth: z.number().int(),
    withdrawn: z.boolean(),
    applicable: z.boolean(),
    soaJustification: z.string().nullable(),
    implementationStatus: z.enum(IMPLEMENTATION_STATUSES),
    ownerUserId: z.uuid().nullable(),
    ownerGroupId: z.uuid().nullable(),
    /** The live status as last computed (headings have none). */
    status: z.enum(CONTROL_STATUSES).nullable(),
    statusReason: z.string().nullable(),
    evidenceCount: z.number().int(),
    /** Each enabled rule's verdict at the last computation. */
    ruleResults: z.array(
      z.object({
        ruleId: z.uuid(),
        name: z.string(),
        status: z.enum(['compliant', 'warning', 'non_compliant']),
        reason: z.string(),
        evidenceDate: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'Control' });

/** The stored status of a control, as the control's `computed` value reads it (see frameworks.entity.ts). */
interface ComputedStatus {
  status: (typeof CONTROL_STATUSES)[number];
  reason: string;
  evidenceCount: number;
  ruleResults: z.input<typeof controlRecord>['ruleResults'];
}

export function toControlRecord(
  row: FrameworkControl & { computed?: unknown },
): z.input<typeof controlRecord> {
  const computed = row.computed as ComputedStatus | null | undefined;
  const heading = row.kind === 'group';
  return {
    id: row.id,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    refId: row.refId,
    title: row.title,
    frameworkId: row.frameworkId,
    parentId: row.parentId,
    description: row.description,
    guidance: row.guidance,
    kind: row.kind,
    sortOrder: row.sortOrder,
    depth: row.depth,
    withdrawn: row.withdrawn,
    applicable: row.applicable,
    soaJustification: row.soaJustification,
    implementationStatus: row.implementationStatus,
    ownerUserId: row.ownerUserId,
    ownerGroupId: row.ownerGroupId,
    status: heading ? null : (computed?.status ?? 'uncovered'),
    statusReason: heading ? null : (computed?.reason ?? 'not computed yet'),
    evidenceCount: computed?.evidenceCount ?? 0,
    ruleResults: computed?.ruleResults ?? [],
  };
}

/** What every framework's controls accept: the Statement of Applicability and ownership. */
const soaFields = {
  applicable: z.boolean().optional(),
  soaJustification: optional(longText(5000)),
  implementationStatus: z.enum(IMPLEMENTATION_STATUSES).optional(),
  ownerUserId: optional(z.uuid()),
  ownerGroupId: optional(z.uuid()),
};

/** Text fields: written only in custom frameworks (the others come from their source). */
const textFields = {
  refId: shortText(FRAMEWORK_LIMITS.refIdLength),
  title: shortText(FRAMEWORK_LIMITS.titleLength),
  description: optional(longText(FRAMEWORK_LIMITS.textLength)),
  guidance: optional(longText(FRAMEWORK_LIMITS.textLength)),
};

export const controlCreate = z
  .strictObject({
    frameworkId: z.uuid(),
    parentId: optional(z.uuid()),
    kind: z.enum(CONTROL_KINDS).optional(),
    sortOrder: z.number().int().min(0).max(100_000).optional(),
    ...textFields,
    ...soaFields,
  })
  .meta({ id: 'ControlCreate' });

export const controlUpdate = z
  .strictObject({
    ...textFields,
    sortOrder: z.number().int().min(0).max(100_000),
    ...soaFields,
  })
  .partial()
  .meta({ id: 'ControlUpdate' });

export const evidenceRecord = z
  .object({
    id: z.uuid(),
    isArchived: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    title: z.string(),
    controlId: z.uuid(),
    note: z.string().nullable(),
    evidenceDate: z.string(),
    validUntil: z.string().nullable(),
  })
  .meta({ id: 'ComplianceEvidence' });

export function toEvidenceRecord(row: ComplianceEvidence): z.input<typeof evidenceRecord> {
  return {
    id: row.id,
    isArchived: row.isArchived,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    title: row.title,
    controlId: row.controlId,
    note: row.note,
    evidenceDate: row.evidenceDate,
    validUntil: row.validUntil,
  };
}

export const evidenceCreate = z
  .strictObject({
    controlId: z.uuid(),
    title: shortText(200),
    note: optional(longText(20_000)),
    evidenceDate: isoDate,
    /** The last day it counts; none means it does not expire. */
    validUntil: optional(isoDate),
  })
  .meta({ id: 'ComplianceEvidenceCreate' });

export const evidenceUpdate = evidenceCreate
  .omit({ controlId: true })
  .partial()
  .meta({ id: 'ComplianceEvidenceUpdate' });
