/** The case's report, the input of every derived view of it. */
import type { AppState } from './app-state.js';

/** The case's report, or null before the first scan. */
export const selectReport = (state: AppState) => state.report;
