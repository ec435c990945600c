/** Reads of the incident summary: the band above every view and each host's verdict in the hosts table. */
import { buildIncidentSummary, type HostVerdictEntry, type IncidentSummary } from '../../shared/present/index.js';
import type { AppState } from './app-state.js';
import { selectorCreator } from './create-selector.js';
import { selectReport } from './report-selectors.js';

const createSelector = selectorCreator<AppState>();

/** The incident summary of the case's report, or null before the first scan; the same object while the report is unchanged. */
export const selectIncidentSummary = createSelector([selectReport], (report): IncidentSummary | null => (report ? buildIncidentSummary(report) : null));

/** One host's verdict in the case, or null when the case holds no result for it; the summary's own object, so the reference is stable. */
export const selectHostVerdict =
  (name: string) =>
  (state: AppState): HostVerdictEntry | null =>
    selectIncidentSummary(state)?.hosts.find((entry) => entry.host === name) ?? null;
