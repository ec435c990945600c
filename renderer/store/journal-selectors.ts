/** Reads of the case's journal: its timeline rows and each plan phase's burndown, thin memoised wrappers over shared/present. */
import { journalBurndown, journalRows, type JournalBurndown, type JournalRow } from '../../shared/present/index.js';
import type { AppState } from './app-state.js';
import { selectChecklistSteps } from './checklist-selectors.js';
import { selectorCreator } from './create-selector.js';
import { selectReport } from './report-selectors.js';

const createSelector = selectorCreator<AppState>();

/** The journal's entries, in the order they were written. */
export const selectJournal = (state: AppState) => state.journal;

/** Damaged records the backend skipped. */
export const selectJournalDamaged = (state: AppState) => state.journalDamaged;

/** Step titles by id in the current plan, for entries that do not carry one. */
const selectStepTitles = createSelector([selectChecklistSteps], (steps): ReadonlyMap<string, string> => new Map(steps.map((step) => [step.id, step.title])));

/** The timeline's rows, oldest first. */
export const selectJournalRows = createSelector([selectJournal, selectStepTitles], (entries, titles): JournalRow[] => journalRows(entries, titles));

/** Each phase's open steps over the journal's time span; with no entry yet, one point at the last scan. */
export const selectJournalBurndown = createSelector([selectChecklistSteps, selectJournal, selectReport], (steps, entries, report): JournalBurndown =>
  journalBurndown(steps, entries, report ? Date.parse(report.scannedAt) : 0),
);
