/** The case: the last report and the checklist progress the backend keeps. */
import type { StateCreator } from 'zustand';
import type { CaseState, StepProgress } from '../../shared/contract.js';
import type { ScanReport } from '../../shared/model.js';
import type { AppState } from './app-state.js';

/** State and events of the case. */
export interface CaseSlice {
  report: ScanReport | null;
  progress: Record<string, StepProgress>;
  /** Step ids whose change is on its way to the backend. */
  savingSteps: string[];
  /** `getCase()` answered. */
  caseLoaded(state: CaseState): void;
  /** The user ticked, unticked or annotated a step; the change is being saved. */
  stepToggled(stepId: string): void;
  /** The backend saved a step and answered with the whole progress. */
  stepSaved(stepId: string, progress: Record<string, StepProgress>): void;
  /** Saving a step failed; the stored progress is unchanged. */
  stepSaveFailed(stepId: string): void;
}

/** Creates the case slice. */
export const createCaseSlice: StateCreator<AppState, [], [], CaseSlice> = (set) => ({
  report: null,
  progress: {},
  savingSteps: [],
  caseLoaded: ({ report, progress }) => set({ report, progress }),
  stepToggled: (stepId) =>
    set((state) => ({ savingSteps: state.savingSteps.includes(stepId) ? state.savingSteps : [...state.savingSteps, stepId] })),
  stepSaved: (stepId, progress) =>
    set((state) => ({ progress, savingSteps: state.savingSteps.filter((id) => id !== stepId) })),
  stepSaveFailed: (stepId) => set((state) => ({ savingSteps: state.savingSteps.filter((id) => id !== stepId) })),
});
