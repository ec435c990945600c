/** Reads of the case library: the open case, and the cases in use and archived, each newest first. */
import type { CaseSummary } from '../../shared/ipc/index.js';
import type { AppState } from './app-state.js';
import { selectorCreator } from './create-selector.js';

const createSelector = selectorCreator<AppState>();

/** The open case, or null when none is. */
export const selectOpenCase = (state: AppState): CaseSummary | null => state.cases.find((summary) => summary.id === state.openCaseId) ?? null;

/** Newest first: the case last opened (or made) leads. */
const byRecency = (a: CaseSummary, b: CaseSummary) => (b.openedAt ?? b.createdAt).localeCompare(a.openedAt ?? a.createdAt);

/** The cases not archived, the open one first, then by when they were last opened or made. */
export const selectActiveCases = createSelector(
  [(state) => state.cases, (state) => state.openCaseId],
  (cases, openCaseId) =>
    cases
      .filter((summary) => summary.archivedAt === null)
      .sort((a, b) => Number(b.id === openCaseId) - Number(a.id === openCaseId) || byRecency(a, b)),
);

/** The archived cases, the last archived first. */
export const selectArchivedCases = createSelector(
  [(state) => state.cases],
  (cases) => cases.filter((summary) => summary.archivedAt !== null).sort((a, b) => (b.archivedAt ?? '').localeCompare(a.archivedAt ?? '')),
);
