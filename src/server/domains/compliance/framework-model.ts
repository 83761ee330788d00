/**
 * A framework as every format reads and writes it: the built-in library, the OSCAL, JSON and CSV
 * importers and exporters all meet here, so the database code knows one shape only.
 */

export type FrameworkSource = 'builtin' | 'imported' | 'custom';

/** Limits every reader enforces, so a hostile file is refused with a message, not a crash. */
export const FRAMEWORK_LIMITS = {
  maxControls: 5_000,
  maxDepth: 8,
  refIdLength: 100,
  titleLength: 500,
  textLength: 20_000,
  nameLength: 200,
} as const;

export interface ControlDefinition {
  /** The reference as the framework writes it (`A.5.1`, `CC6.1`, `ac-2.1` → shown `AC-2(1)`). */
  refId: string;
  title: string;
  /** The requirement's text (OSCAL `statement` parts, parameters resolved to readable text). */
  description?: string;
  /** Guidance, discussion or points of focus. */
  guidance?: string;
  /** `refId` of the parent (family, clause, control of an enhancement); absent at the top. */
  parentRefId?: string;
  /** Position among siblings; readers number in document order when the source has none. */
  sortOrder: number;
  /** A heading groups controls (an OSCAL group, an ISO clause); evidence goes on controls. */
  kind: 'group' | 'control';
  /** OSCAL `status: withdrawn`: kept for references, not applicable by default. */
  withdrawn?: boolean;
  /** The identifier in the source document when it differs from `refId` (OSCAL `ac-2.1`). */
  sourceId?: string;
}

export interface FrameworkDefinition {
  /** A stable key: built-in keys (`iso27001-2022`), or the imported document's id / uuid. */
  key: string;
  name: string;
  version?: string;
  publisher?: string;
  description?: string;
  controls: ControlDefinition[];
}

export type MappingRelationship = 'equal' | 'subset' | 'superset' | 'intersects';

export interface ControlMappingDefinition {
  fromFramework: string;
  fromRefId: string;
  toFramework: string;
  toRefId: string;
  relationship: MappingRelationship;
}

/** A problem in an imported document, located so the user can find it. */
export interface FrameworkFormatProblem {
  /** JSON path (`catalog.groups[2].controls[5].id`) or CSV `row N`. */
  path: string;
  /** CSV row number, when the document is a CSV file. */
  row?: number;
  /** The field or column the problem is about. */
  field?: string;
  message: string;
}

export type FrameworkParseResult =
  | { ok: true; framework: FrameworkDefinition; warnings: FrameworkFormatProblem[] }
  | { ok: false; problems: FrameworkFormatProblem[] };
