/** Reads of the checklist: steps merged with their progress, by phase for display, how steps name each other, and totals. */
import {
  PLAN_PHASES,
  PLAN_PHASE_TITLES,
  checklistSummary,
  generateChecklist,
  mergeProgress,
  phaseLabels,
  type PlanPhase,
  type ChecklistStepWithProgress,
  type ChecklistSummary,
  type MergedChecklist,
  type OrphanedProgress,
} from '../../shared/checklist/index.js';
import type { AppState } from './app-state.js';
import { selectorCreator } from './create-selector.js';
import { selectReport } from './report-selectors.js';

const createSelector = selectorCreator<AppState>();

/** Headings of the plan's phases. */
export const PHASE_TITLES: Readonly<Record<PlanPhase, string>> = PLAN_PHASE_TITLES;

/** The checklist progress the backend keeps. */
export const selectProgress = (state: AppState) => state.progress;

const EMPTY_CHECKLIST: MergedChecklist = { steps: [], orphanedProgress: [] };

/** What every scan of the case has seen (keys, authorized keys, consumers), or null. */
export const selectLedger = (state: AppState) => state.ledger;

/** The owner's remove-or-patch decisions by component id. */
export const selectDecisions = (state: AppState) => state.decisions;

/** Every revocation check the case keeps, by fingerprint. */
export const selectRevocationChecks = (state: AppState) => state.revocationChecks;

/**
 * Steps generated from the report, the case ledger and the owner's decisions, merged with their recorded progress, and
 * progress whose step is gone.
 */
export const selectMergedChecklist = createSelector(
  [selectReport, selectProgress, selectLedger, selectDecisions, selectRevocationChecks],
  (report, progress, ledger, decisions, revocationChecks): MergedChecklist => {
    if (!report) return Object.keys(progress).length === 0 ? EMPTY_CHECKLIST : mergeProgress([], progress);
    return mergeProgress(generateChecklist(report, ledger, decisions), progress, { scannedAt: report.scannedAt, hosts: report.hosts, findings: report.findings, revocationChecks });
  },
);

/** The merged steps, in the order they are worked. */
export const selectChecklistSteps = createSelector([selectMergedChecklist], (merged) => merged.steps);

/** One phase of the plan as displayed. */
export interface ChecklistPhaseView {
  phase: PlanPhase;
  title: string;
  steps: ChecklistStepWithProgress[];
}

/** The steps by phase for display, in working order, empty phases left out. */
export const selectChecklistPhases = createSelector([selectChecklistSteps], (steps): ChecklistPhaseView[] =>
  PLAN_PHASES.map((phase) => ({ phase, title: PHASE_TITLES[phase], steps: steps.filter((step) => step.phase === phase) })).filter(
    (entry) => entry.steps.length > 0,
  ),
);

/** How a step is named where another waits for it: `Contain step 1 (Isolate gw …)`, numbered as the view numbers it. */
export const selectStepLabels = createSelector([selectChecklistSteps], (steps): ReadonlyMap<string, string> => phaseLabels(steps));

/** Totals of the checklist: all steps, done steps, and both per group. */
export const selectChecklistSummary = createSelector([selectChecklistSteps, selectProgress], (steps, progress): ChecklistSummary =>
  checklistSummary(steps, progress),
);

/** One bar of the progress chart: one phase. */
export interface ChecklistChartRow {
  phase: string;
  done: number;
  open: number;
}

/** The progress chart's rows (done vs open per phase with steps), from the checklist summary. */
export const selectChecklistChartData = createSelector([selectChecklistSummary], (summary): ChecklistChartRow[] =>
  summary.byPhase.filter((entry) => entry.total > 0).map((entry) => ({ phase: PHASE_TITLES[entry.phase], done: entry.done, open: entry.remaining })),
);

/** Progress kept from an earlier scan whose steps the current report no longer generates. */
export const selectOrphanedProgress = createSelector([selectMergedChecklist], (merged): OrphanedProgress[] => merged.orphanedProgress);

/** Whether a step's change is on its way to the backend. */
export const selectIsStepSaving = (stepId: string) => (state: AppState) => state.savingSteps.includes(stepId);
/** True while a key's revocation check is under way. */
export const selectIsKeyChecking = (fingerprint: string) => (state: AppState) => state.checkingKeys.includes(fingerprint);
