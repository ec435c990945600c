/** Reads of the checklist: steps merged with their progress, grouped for display, and totals. */
import {
  CHECKLIST_GROUPS,
  checklistSummary,
  generateChecklist,
  mergeProgress,
  type ChecklistGroup,
  type ChecklistStepWithProgress,
  type ChecklistSummary,
  type MergedChecklist,
  type OrphanedProgress,
} from '../../shared/checklist/index.js';
import type { AppState } from './app-state.js';
import { selectorCreator } from './create-selector.js';
import { selectReport } from './report-selectors.js';

const createSelector = selectorCreator<AppState>();

/** Headings of the checklist groups. */
export const GROUP_TITLES: Record<ChecklistGroup, string> = {
  contain: 'Contain',
  rotate: 'Rotate credentials',
  teardown: 'Tear down',
  'clean-up': 'Clean up',
};

/** The checklist progress the backend keeps. */
export const selectProgress = (state: AppState) => state.progress;

const EMPTY_CHECKLIST: MergedChecklist = { steps: [], orphanedProgress: [] };

/** What every scan of the case has seen (keys, authorized keys, consumers), or null. */
export const selectLedger = (state: AppState) => state.ledger;

/**
 * Steps generated from the report and the case ledger, merged with their recorded progress, and
 * progress whose step is gone.
 */
export const selectMergedChecklist = createSelector([selectReport, selectProgress, selectLedger], (report, progress, ledger): MergedChecklist => {
  if (!report) return Object.keys(progress).length === 0 ? EMPTY_CHECKLIST : mergeProgress([], progress);
  return mergeProgress(generateChecklist(report, ledger), progress, { scannedAt: report.scannedAt, hosts: report.hosts, findings: report.findings });
});

/** The merged steps, in the order they are worked. */
export const selectChecklistSteps = createSelector([selectMergedChecklist], (merged) => merged.steps);

/** One group of the checklist as displayed. */
export interface ChecklistGroupView {
  group: ChecklistGroup;
  title: string;
  steps: ChecklistStepWithProgress[];
}

/** The steps grouped for display, in working order, empty groups left out. */
export const selectChecklistGroups = createSelector([selectChecklistSteps], (steps): ChecklistGroupView[] =>
  CHECKLIST_GROUPS.map((group) => ({ group, title: GROUP_TITLES[group], steps: steps.filter((step) => step.group === group) })).filter(
    (entry) => entry.steps.length > 0,
  ),
);

/** Totals of the checklist: all steps, done steps, and both per group. */
export const selectChecklistSummary = createSelector([selectChecklistSteps, selectProgress], (steps, progress): ChecklistSummary =>
  checklistSummary(steps, progress),
);

/** One bar of the progress chart. */
export interface ChecklistChartRow {
  group: string;
  done: number;
  open: number;
}

/** The progress chart's rows (done vs open per group with steps), from the checklist summary. */
export const selectChecklistChartData = createSelector([selectChecklistSummary], (summary): ChecklistChartRow[] =>
  summary.byGroup.filter((entry) => entry.total > 0).map((entry) => ({ group: GROUP_TITLES[entry.group], done: entry.done, open: entry.remaining })),
);

/** Progress kept from an earlier scan whose steps the current report no longer generates. */
export const selectOrphanedProgress = createSelector([selectMergedChecklist], (merged): OrphanedProgress[] => merged.orphanedProgress);

/** Whether a step's change is on its way to the backend. */
export const selectIsStepSaving = (stepId: string) => (state: AppState) => state.savingSteps.includes(stepId);
