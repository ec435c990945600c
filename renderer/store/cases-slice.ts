/** The case library as the renderer sees it: every case, which one is open, and a switch under way. */
import type { StateCreator } from 'zustand';
import type { CaseLibraryState, CaseSummary } from '../../shared/ipc/index.js';
import type { AppState } from './app-state.js';
import { NO_CASE_LOADED } from './case-slice.js';
import { NO_FINDING_FILTERS } from './ui-slice.js';

/** State and events of the case library. */
export interface CasesSlice {
  cases: CaseSummary[];
  /** The open case's id; null when none is open (or before the library has loaded). */
  openCaseId: string | null;
  /** True while the backend is opening, closing or archiving the open case. */
  switchingCase: boolean;
  /** The library arrived, or changed without the open case changing (created, renamed, unarchived). */
  casesLoaded(library: CaseLibraryState): void;
  /** The user asked to open, close or archive the open case; the backend is on it. */
  caseSwitchRequested(): void;
  /**
   * Another case is open, or none is: everything shown of the previous case is dropped (its report,
   * plan, windows, decisions, scan progress, picked hosts and what was unfolded) until the new case loads.
   */
  caseSwitched(library: CaseLibraryState): void;
  /** The switch was refused (a scan runs, the case is archived…); the open case is unchanged. */
  caseSwitchFailed(): void;
}

/** Creates the cases slice. */
export const createCasesSlice: StateCreator<AppState, [], [], CasesSlice> = (set) => ({
  cases: [],
  openCaseId: null,
  switchingCase: false,
  casesLoaded: ({ cases, openCaseId }) => set({ cases, openCaseId }),
  caseSwitchRequested: () => set({ switchingCase: true }),
  caseSwitched: ({ cases, openCaseId }) =>
    set((state) => ({
      cases,
      openCaseId,
      switchingCase: false,
      // Everything shown of the previous case goes, the known-good artifacts, suppressions and loaded advisories included.
      ...NO_CASE_LOADED,
      // Finished ids stay: a late push of a scan already seen must not start it again.
      scan: { scanId: null, running: false, hosts: [], progress: {}, source: 'ssh', outcome: null, finishedIds: state.scan.finishedIds },
      selectedHosts: [],
      selectedNodeId: null,
      expandedEnvironments: [],
      expandedContainers: [],
      expandedFindings: [],
      findingFilters: NO_FINDING_FILTERS,
    })),
  caseSwitchFailed: () => set({ switchingCase: false }),
});
