import { jsonb, pgTable, text, varchar } from 'drizzle-orm/pg-core';
import { entityColumns } from '../../db/columns';

/** A frozen copy of the org chart, kept as evidence (e.g. for an audit). */
export const orgChartSnapshots = pgTable('org_chart_snapshots', {
  ...entityColumns(),
  name: varchar('name', { length: 200 }).notNull(),
  notes: text('notes'),
  chartData: jsonb('chart_data').$type<unknown>().notNull(),
});
