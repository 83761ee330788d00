import { historyTable } from '../../platform/history/history';

/** How a person's place in the organisation evolved: department, title, manager, status, location. */
export const userHistory = historyTable('user_history');
