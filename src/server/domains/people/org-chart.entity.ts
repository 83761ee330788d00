import { z } from 'zod';
import { defineEntity } from '../../platform/entities/registry';
import { optionalText, shortText } from '../../platform/http/schemas';
import { buildOrgChart } from './org-chart.service';
import { orgChartSnapshots } from './org-chart.table';

export const orgChartSnapshotRecord = z
  .object({
    id: z.uuid(),
    name: z.string(),
    notes: z.string().nullable(),
    chartData: z.unknown(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    createdBy: z.uuid().nullable(),
  })
  .meta({ id: 'OrgChartSnapshot' });

/** A frozen org chart: the chart is captured when the snapshot is created and never changes. */
export const orgChartSnapshotEntity = defineEntity({
  table: orgChartSnapshots,
  entityType: 'org_chart_snapshot',
  path: 'org-chart-snapshots',
  labels: { singular: 'Org chart snapshot', plural: 'Org chart snapshots' },
  module: 'hr_people',
  record: orgChartSnapshotRecord,
  create: z
    .strictObject({ name: shortText(200), notes: optionalText(5000) })
    .meta({ id: 'OrgChartSnapshotCreate' }),
  update: z
    .strictObject({ name: shortText(200).optional(), notes: optionalText(5000) })
    .meta({ id: 'OrgChartSnapshotUpdate' }),
  toRecord: (row) => ({
    id: row.id,
    name: row.name,
    notes: row.notes,
    chartData: row.chartData,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    createdBy: row.createdBy,
  }),
  label: (row) => row.name,
  list: {
    sortable: { createdAt: orgChartSnapshots.createdAt, name: orgChartSnapshots.name },
    defaultSort: '-createdAt',
    searchable: [orgChartSnapshots.name, orgChartSnapshots.notes],
    filters: { createdAt: { type: 'date', column: orgChartSnapshots.createdAt } },
  },
  search: { title: orgChartSnapshots.name, subtitle: orgChartSnapshots.notes },
  features: {
    archivable: false,
    customFields: false,
    linkable: true,
    tagged: false,
    attachments: false,
    hardDelete: false,
  },
  hooks: {
    beforeCreate: async (ctx, input) => ({ ...input, chartData: await buildOrgChart(ctx) }),
  },
});
