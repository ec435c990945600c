/** The case: the last report, the checklist progress, the compromise windows the user set and the remove-or-patch decisions, as the backend keeps them. */
import type { StateCreator } from 'zustand';
import type { CaseDecisions, CaseLedger, CaseSuppressions, RegisterAnnotations } from '../../shared/case/index.js';
import type { AdvisorySourceEntry, CaseState, KnownGoodEntry, Pushes, StepProgress, WindowRange } from '../../shared/ipc/index.js';
import type { RevocationCheck, ScanReport } from '../../shared/model/index.js';
import type { AppState } from './app-state.js';

/** State and events of the case. */
export interface CaseSlice {
  report: ScanReport | null;
  /** What every scan of the case has seen that has steps verified by absence; null from a backend without one. */
  ledger: CaseLedger | null;
  progress: Record<string, StepProgress>;
  /** Step ids whose change is on its way to the backend. */
  savingSteps: string[];
  /** The compromise windows the user set, by window id. */
  windowOverrides: Record<string, WindowRange>;
  /** Window ids whose change is on its way to the backend. */
  savingWindows: string[];
  /** The owner's remove-or-patch decisions by component id. */
  decisions: CaseDecisions;
  /** Component ids whose decision is on its way to the backend. */
  savingDecisions: string[];
  /** The owner's trust level and notes per supply-chain register row. */
  registerAnnotations: RegisterAnnotations;
  /** Register row ids whose annotation is on its way to the backend. */
  savingAnnotations: string[];
  /** The owner set a register row's trust or notes; it is being stored. */
  annotationRequested(rowId: string): void;
  /** The backend stored it and answered with every annotation. */
  annotationSaved(rowId: string, annotations: RegisterAnnotations): void;
  /** Storing it failed; nothing changed. */
  annotationFailed(rowId: string): void;
  /** The latest revocation check per key fingerprint (outcomes only). */
  revocationChecks: Record<string, RevocationCheck>;
  /** Fingerprints whose revocation check is under way. */
  checkingKeys: string[];
  /** The known-good artifacts imported into the case (what they are, not their files). */
  knownGood: KnownGoodEntry[];
  /** A known-good import or removal is on its way to the backend. */
  knownGoodBusy: boolean;
  /** What the last known-good import said (how many copies a new scan must hash), or null. */
  knownGoodNotice: string | null;
  /** The owner picked a known-good artifact (or removed one); the main process is reading it. */
  knownGoodRequested(): void;
  /** The backend kept (or forgot) the artifact and answered with every one the case keeps. */
  knownGoodChanged(knownGood: KnownGoodEntry[], notice: string | null): void;
  /** The artifact was refused or the request failed; nothing changed. */
  knownGoodFailed(): void;
  /** Where the advisories loaded into the case came from. */
  advisorySources: AdvisorySourceEntry[];
  /** A load or removal of advisories is on its way to the backend. */
  advisoriesBusy: boolean;
  /** The owner asked to load (or forget) advisories; the main process is reading them. */
  advisoriesRequested(): void;
  /** The backend kept (or forgot) them and answered with every load the case keeps. */
  advisoriesChanged(sources: AdvisorySourceEntry[]): void;
  /** The path was refused or the request failed; nothing changed. */
  advisoriesFailed(): void;
  /** The suppression file loaded into the case, or null. */
  suppressions: CaseSuppressions | null;
  /** The backend kept a suppression file's entries (or dropped them: null). */
  suppressionsSaved(suppressions: CaseSuppressions | null): void;
  /** The owner confirmed a revocation check of a key; the main process is asking its provider. */
  revocationCheckRequested(fingerprint: string): void;
  /** The check answered; the case keeps every check. */
  revocationChecked(fingerprint: string, checks: Record<string, RevocationCheck>): void;
  /** The check could not be made (the request failed); nothing changed. */
  revocationCheckFailed(fingerprint: string): void;
  /** `getCase()` answered (a backend older than window overrides, the ledger or decisions sends none). */
  caseLoaded(state: Omit<CaseState, 'windowOverrides'> & Partial<Pick<CaseState, 'windowOverrides'>>): void;
  /** The owner chose remove or patch for a component; the decision is being stored. */
  decisionRequested(componentId: string): void;
  /** The backend stored the decision and answered with every decision. */
  decisionSaved(componentId: string, decisions: CaseDecisions): void;
  /** Storing the decision failed; nothing changed. */
  decisionFailed(componentId: string): void;
  /** The user saved or reset a window; the change is being stored and the report judged again. */
  windowChangeRequested(windowId: string): void;
  /** The backend stored the window and answered with every override. */
  windowChangeSaved(windowId: string, windowOverrides: Record<string, WindowRange>): void;
  /** Storing the window failed; nothing changed. */
  windowChangeFailed(windowId: string): void;
  /** The backend judged the stored report again (a window changed) and pushed it. */
  reportRejudged(update: Pushes['case:report-updated']): void;
  /** The user ticked, unticked or annotated a step; the change is being saved. */
  stepToggled(stepId: string): void;
  /** The backend saved a step and answered with the whole progress. */
  stepSaved(stepId: string, progress: Record<string, StepProgress>): void;
  /** Saving a step failed; the stored progress is unchanged. */
  stepSaveFailed(stepId: string): void;
}

/** The case slice's state with no case loaded: its start, and what switching cases resets it to. */
export const NO_CASE_LOADED = {
  report: null,
  ledger: null,
  progress: {},
  savingSteps: [],
  windowOverrides: {},
  savingWindows: [],
  decisions: {},
  savingDecisions: [],
  revocationChecks: {},
  checkingKeys: [],
  knownGood: [],
  knownGoodBusy: false,
  knownGoodNotice: null,
  advisorySources: [],
  advisoriesBusy: false,
  suppressions: null,
  registerAnnotations: {},
  savingAnnotations: [],
} satisfies Partial<CaseSlice>;

/** Creates the case slice. */
export const createCaseSlice: StateCreator<AppState, [], [], CaseSlice> = (set) => ({
  ...NO_CASE_LOADED,
  caseLoaded: ({ report, progress, windowOverrides, ledger, decisions, revocationChecks, knownGood, suppressions, advisorySources, registerAnnotations }) =>
    set({
      report,
      progress,
      windowOverrides: windowOverrides ?? {},
      ledger: ledger ?? null,
      decisions: decisions ?? {},
      revocationChecks: revocationChecks ?? {},
      knownGood: knownGood ?? [],
      advisorySources: advisorySources ?? [],
      suppressions: suppressions ?? null,
      registerAnnotations: registerAnnotations ?? {},
    }),
  annotationRequested: (rowId) => set((state) => ({ savingAnnotations: state.savingAnnotations.includes(rowId) ? state.savingAnnotations : [...state.savingAnnotations, rowId] })),
  annotationSaved: (rowId, registerAnnotations) => set((state) => ({ registerAnnotations, savingAnnotations: state.savingAnnotations.filter((id) => id !== rowId) })),
  annotationFailed: (rowId) => set((state) => ({ savingAnnotations: state.savingAnnotations.filter((id) => id !== rowId) })),
  knownGoodRequested: () => set({ knownGoodBusy: true, knownGoodNotice: null }),
  knownGoodChanged: (knownGood, notice) => set({ knownGood, knownGoodBusy: false, knownGoodNotice: notice }),
  knownGoodFailed: () => set({ knownGoodBusy: false }),
  advisoriesRequested: () => set({ advisoriesBusy: true }),
  advisoriesChanged: (advisorySources) => set({ advisorySources, advisoriesBusy: false }),
  advisoriesFailed: () => set({ advisoriesBusy: false }),
  suppressionsSaved: (suppressions) => set({ suppressions }),
  revocationCheckRequested: (fingerprint) =>
    set((state) => ({ checkingKeys: state.checkingKeys.includes(fingerprint) ? state.checkingKeys : [...state.checkingKeys, fingerprint] })),
  revocationChecked: (fingerprint, revocationChecks) => set((state) => ({ revocationChecks, checkingKeys: state.checkingKeys.filter((key) => key !== fingerprint) })),
  revocationCheckFailed: (fingerprint) => set((state) => ({ checkingKeys: state.checkingKeys.filter((key) => key !== fingerprint) })),
  decisionRequested: (componentId) =>
    set((state) => ({ savingDecisions: state.savingDecisions.includes(componentId) ? state.savingDecisions : [...state.savingDecisions, componentId] })),
  decisionSaved: (componentId, decisions) => set((state) => ({ decisions, savingDecisions: state.savingDecisions.filter((id) => id !== componentId) })),
  decisionFailed: (componentId) => set((state) => ({ savingDecisions: state.savingDecisions.filter((id) => id !== componentId) })),
  windowChangeRequested: (windowId) =>
    set((state) => ({ savingWindows: state.savingWindows.includes(windowId) ? state.savingWindows : [...state.savingWindows, windowId] })),
  windowChangeSaved: (windowId, windowOverrides) =>
    set((state) => ({ windowOverrides, savingWindows: state.savingWindows.filter((id) => id !== windowId) })),
  windowChangeFailed: (windowId) => set((state) => ({ savingWindows: state.savingWindows.filter((id) => id !== windowId) })),
  reportRejudged: ({ report, windowOverrides }) => set({ report, windowOverrides }),
  stepToggled: (stepId) =>
    set((state) => ({ savingSteps: state.savingSteps.includes(stepId) ? state.savingSteps : [...state.savingSteps, stepId] })),
  stepSaved: (stepId, progress) =>
    set((state) => ({ progress, savingSteps: state.savingSteps.filter((id) => id !== stepId) })),
  stepSaveFailed: (stepId) => set((state) => ({ savingSteps: state.savingSteps.filter((id) => id !== stepId) })),
});
