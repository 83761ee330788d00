/**
 * The shape of GET /api/v1/meta/entities: how the server describes a registered record type to
 * the web app (see src/server/platform/meta). Shared, so the two sides cannot drift.
 */

export const FIELD_KINDS = [
  'text',
  'email',
  'url',
  'integer',
  'number',
  'boolean',
  'date',
  'datetime',
  'enum',
  'uuid',
  'list',
  'object',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface FieldDescriptor {
  name: string;
  label: string;
  kind: FieldKind;
  /** Must be given when creating. */
  required: boolean;
  nullable: boolean;
  /** Accepted on create / update (absent from both: read-only, e.g. ids and timestamps). */
  creatable: boolean;
  updatable: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  values?: string[];
  /** The entity type whose record this field points at (kind `uuid`). */
  reference?: string;
  /**
   * Sent but never answered (a licence key, a disposal edit's reason): forms ask for it without a
   * current value, and details do not list it. Declared with `.meta({ writeOnly: true })`.
   */
  writeOnly?: boolean;
  /** A secret (`format: 'password'`): a masked input, and empty keeps what is stored. */
  secret?: boolean;
}
