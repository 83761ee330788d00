import { checkReference } from '../../platform/entities/check-reference';
import { defineEntity } from '../../platform/entities/registry';
import type { ServiceContext } from '../../platform/http/context';
import { type FieldError, validationFailed } from '../../platform/http/problem';
import { users } from '../people/users.table';
import { assets } from './assets.table';
import {
  MAINTENANCE_TYPES,
  type MaintenanceLogInput,
  maintenanceLogCreate,
  maintenanceLogRecord,
  maintenanceLogUpdate,
  toMaintenanceLogRecord,
} from './maintenance.schemas';
import {
  MAINTENANCE_STATUSES,
  type MaintenanceLog,
  type MaintenanceStatus,
  maintenanceLogs,
} from './maintenance.table';
import { peripherals } from './peripherals.table';

/**
 * Where a log may go from each status. A quick fix may be logged as completed straight from open
 * (nobody marks a five-minute cleaning "in progress" first); completed and cancelled are final,
 * and a log never goes back to open.
 */
export const MAINTENANCE_TRANSITIONS: Record<MaintenanceStatus, readonly MaintenanceStatus[]> = {
  open: ['in_progress', 'completed', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};
/** A log may be written after the fact (completed), but not born cancelled. */
const CREATABLE_STATUSES: readonly MaintenanceStatus[] = ['open', 'in_progress', 'completed'];
const LABEL: Record<MaintenanceStatus, string> = {
  open: 'open',
  in_progress: 'in progress',
  completed: 'completed',
  cancelled: 'cancelled',
};

const LABEL_OF_TYPE: Record<string, string> = {
  repair: 'Repair',
  upgrade: 'Upgrade',
  inspection: 'Inspection',
  cleaning: 'Cleaning',
  other: 'Maintenance',
};

function statusError(from: MaintenanceStatus | undefined, to: MaintenanceStatus): string | undefined {
  if (from === to) return undefined;
  if (from === undefined) {
    return CREATABLE_STATUSES.includes(to)
      ? undefined
      : `a new log starts ${CREATABLE_STATUSES.map((s) => LABEL[s]).join(', ')}`;
  }
  if (MAINTENANCE_TRANSITIONS[from].includes(to)) return undefined;
  if (MAINTENANCE_TRANSITIONS[from].length === 0) return `a ${LABEL[from]} log keeps its status`;
  return `a log ${LABEL[from]} can become ${MAINTENANCE_TRANSITIONS[from].map((s) => LABEL[s]).join(', ')}`;
}

/**
 * The item a record concerns (maintenance logs and disposals): exactly one asset or one
 * peripheral, existing and not archived. `current` is the record being edited, if any.
 */
export async function checkItem(
  ctx: ServiceContext,
  input: { assetId?: string | null | undefined; peripheralId?: string | null | undefined },
  current: { assetId: string | null; peripheralId: string | null } | undefined,
  errors: FieldError[],
): Promise<void> {
  const assetId = input.assetId !== undefined ? input.assetId : (current?.assetId ?? null);
  const peripheralId =
    input.peripheralId !== undefined ? input.peripheralId : (current?.peripheralId ?? null);
  if (assetId && peripheralId) {
    errors.push({ path: 'peripheralId', message: 'give an asset or a peripheral, not both' });
    return;
  }
  if (!assetId && !peripheralId) {
    errors.push({ path: 'assetId', message: 'give the asset (assetId) or the peripheral (peripheralId)' });
    return;
  }
  await checkReference(ctx, assets, 'assetId', input.assetId, current?.assetId, errors);
  await checkReference(ctx, peripherals, 'peripheralId', input.peripheralId, current?.peripheralId, errors);
}

async function validateLog(
  ctx: ServiceContext,
  input: MaintenanceLogInput,
  current: MaintenanceLog | undefined,
) {
  const errors: FieldError[] = [];
  await checkItem(ctx, input, current, errors);
  if (input.status !== undefined) {
    const problem = statusError(current?.status, input.status);
    if (problem) errors.push({ path: 'status', message: problem });
  }
  await checkReference(ctx, users, 'assigneeId', input.assigneeId, current?.assigneeId, errors);
  const cost = input.cost !== undefined ? input.cost : (current?.cost ?? null);
  const currency = input.currency !== undefined ? input.currency : (current?.currency ?? null);
  if (cost !== null && currency === null)
    errors.push({ path: 'currency', message: 'is required with a cost' });
  if (errors.length > 0) throw validationFailed(errors);
  return input;
}

export const maintenanceLogEntity = defineEntity({
  table: maintenanceLogs,
  entityType: 'maintenance_log',
  path: 'maintenance-logs',
  labels: { singular: 'Maintenance log', plural: 'Maintenance logs' },
  module: 'core_inventory',
  record: maintenanceLogRecord,
  create: maintenanceLogCreate,
  update: maintenanceLogUpdate,
  toRecord: toMaintenanceLogRecord,
  label: (row) => `${LABEL_OF_TYPE[row.type] ?? row.type} on ${row.eventDate}`,
  list: {
    sortable: {
      eventDate: maintenanceLogs.eventDate,
      status: maintenanceLogs.status,
      type: maintenanceLogs.type,
      updatedAt: maintenanceLogs.updatedAt,
    },
    defaultSort: '-eventDate',
    searchable: [maintenanceLogs.description],
    filters: {
      assetId: { type: 'uuid', column: maintenanceLogs.assetId },
      peripheralId: { type: 'uuid', column: maintenanceLogs.peripheralId },
      status: { type: 'enum', column: maintenanceLogs.status, values: MAINTENANCE_STATUSES },
      type: { type: 'enum', column: maintenanceLogs.type, values: MAINTENANCE_TYPES },
      assigneeId: { type: 'uuid', column: maintenanceLogs.assigneeId },
      eventDate: { type: 'date', column: maintenanceLogs.eventDate },
    },
  },
  search: { title: maintenanceLogs.description, subtitle: maintenanceLogs.type },
  references: { assetId: 'asset', peripheralId: 'peripheral', assigneeId: 'user' },
  features: {
    archivable: true,
    customFields: false,
    linkable: true,
    tagged: true,
    attachments: true,
    hardDelete: false,
  },
  hooks: {
    beforeCreate: (ctx, input) => validateLog(ctx, input as MaintenanceLogInput, undefined),
    beforeUpdate: (ctx, current, input) => validateLog(ctx, input as MaintenanceLogInput, current),
  },
});
