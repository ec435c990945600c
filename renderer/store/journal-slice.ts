/** The open case's journal as the backend last answered it: what was done when, in order. */
import type { StateCreator } from 'zustand';
import type { CaseJournalView, JournalEntry } from '../../shared/case/index.js';
import type { AppState } from './app-state.js';

/** State and events of the journal. */
export interface JournalSlice {
  journal: JournalEntry[];
  /** Damaged records the backend skipped somewhere before the journal's end (never expected; shown when not 0). */
  journalDamaged: number;
  /** `getJournal()` answered. */
  journalLoaded(view: CaseJournalView): void;
}

/** Creates the journal slice. */
export const createJournalSlice: StateCreator<AppState, [], [], JournalSlice> = (set) => ({
  journal: [],
  journalDamaged: 0,
  journalLoaded: ({ entries, damaged }) => set({ journal: entries, journalDamaged: damaged }),
});
