import type { Journey } from './harness';

/** The generic list: columns, saved views, bulk actions and CSV export. */
export const journeys: Journey[] = [];
