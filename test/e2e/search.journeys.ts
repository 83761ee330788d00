import type { Journey } from './harness';

/** Global search: the command palette finds records the user may read. */
export const journeys: Journey[] = [];
