/**
 * Every read of the store, in one place. Plain selectors return a slice of state; derived ones
 * are memoised with createSelector so components re-render only when their inputs change.
 */
import type { HostInventory, ScanReport } from '../../shared/model.js';
import { buildBlastGraph, selectNodeEvidence, type BlastGraph, type NodeEvidence } from '../../shared/graph.js';
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
} from '../../shared/checklist.js';
import type { AppState } from './app-state.js';
import { selectorCreator } from './create-selector.js';
import type { HostProgress } from './scan-slice.js';

const createSelector = selectorCreator<AppState>();

// ---- hosts and scan ----

/** Every host the user can pick. */
export const selectHosts = (state: AppState) => state.hosts;
/** Names of the ticked hosts. */
export const selectSelectedHosts = (state: AppState) => state.selectedHosts;
/** Whether one host is ticked. */
export const selectIsHostSelected = (name: string) => (state: AppState) => state.selectedHosts.includes(name);
/** True while a scan runs. */
export const selectScanRunning = (state: AppState) => state.scan.running;
/** The running scan's id, once `startScan` has answered. */
export const selectScanId = (state: AppState) => state.scan.scanId;
/** How the last scan ended, or null while none has. */
export const selectScanOutcome = (state: AppState) => state.scan.outcome;
/** True when the Scan button can start a scan. */
export const selectCanStartScan = (state: AppState) => !state.scan.running && state.selectedHosts.length > 0;
/** One host's progress in the current or last scan, or null when it was not part of it. */
export const selectHostProgress =
  (name: string) =>
  (state: AppState): HostProgress | null =>
    state.scan.progress[name] ?? null;

/** How many hosts of the current scan have settled (done, failed or cancelled) out of how many. */
export const selectScanCounts = createSelector(
  [(state: AppState) => state.scan.hosts, (state: AppState) => state.scan.progress],
  (hosts, progress) => ({
    total: hosts.length,
    settled: hosts.filter((host) => {
      const phase = progress[host]?.phase;
      return phase === 'done' || phase === 'failed' || phase === 'cancelled';
    }).length,
  }),
);

// ---- report and inventory ----

/** The case's report, or null before the first scan. */
export const selectReport = (state: AppState) => state.report;

/** The key under which a package in one environment is flagged. */
export function packageKey(host: string, container: string | null, path: string, name: string, version: string): string {
  return JSON.stringify([host, container, path, name.toLowerCase(), version]);
}

/** The key of one Python environment, unique in a report (used for expand state and test ids). */
export function environmentKey(host: string, container: string | null, path: string): string {
  return `${host}:${container ?? 'host'}:${path}`;
}

/** One package row of the inventory. */
export interface PackageRow {
  name: string;
  version: string;
  metadataPath: string | undefined;
  /** Ids of the findings about this package here; empty when it is not flagged. */
  findingIds: string[];
}

/** One Python environment of the inventory. */
export interface EnvironmentRow {
  key: string;
  path: string;
  container: string | null;
  packageCount: number;
  flaggedCount: number;
  /** Flagged packages first, then by name. */
  packages: PackageRow[];
}

/** One host of the inventory with its containers and environments. */
export interface InventoryHost {
  name: string;
  address: string;
  status: HostInventory['status'];
  error: string | undefined;
  facts: HostInventory['facts'];
  notes: NonNullable<HostInventory['notes']>;
  containers: HostInventory['containers'];
  environments: EnvironmentRow[];
  findingCount: number;
}

/** The inventory of the report, with each package marked when a finding names it. */
export const selectInventory = createSelector([selectReport], (report): InventoryHost[] => {
  if (!report) return [];
  const findingsByPackage = new Map<string, string[]>();
  for (const finding of report.findings) {
    if (finding.kind !== 'compromised-package') continue;
    const key = packageKey(finding.host, finding.container, finding.path, finding.package, finding.version);
    findingsByPackage.set(key, [...(findingsByPackage.get(key) ?? []), finding.id]);
  }
  return report.hosts.map((host) => ({
    name: host.name,
    address: host.address,
    status: host.status,
    error: host.error,
    facts: host.facts,
    notes: host.notes ?? [],
    containers: host.containers,
    findingCount: report.findings.filter((finding) => finding.host === host.name).length,
    environments: host.pythonEnvironments.map((environment) => {
      const packages = environment.packages
        .map((pkg) => ({
          name: pkg.name,
          version: pkg.version,
          metadataPath: pkg.metadataPath,
          findingIds: findingsByPackage.get(packageKey(host.name, environment.container, environment.path, pkg.name, pkg.version)) ?? [],
        }))
        .sort((a, b) => Number(b.findingIds.length > 0) - Number(a.findingIds.length > 0) || a.name.localeCompare(b.name));
      return {
        key: environmentKey(host.name, environment.container, environment.path),
        path: environment.path,
        container: environment.container,
        packageCount: packages.length,
        flaggedCount: packages.filter((pkg) => pkg.findingIds.length > 0).length,
        packages,
      };
    }),
  }));
});

/** Whether one environment of the inventory is expanded. */
export const selectIsEnvironmentExpanded = (key: string) => (state: AppState) => state.expandedEnvironments.includes(key);

// ---- blast radius graph ----

const EMPTY_GRAPH: BlastGraph = { nodes: [], edges: [], findings: [] };

/** The blast-radius graph of the report (empty before the first scan). */
export const selectBlastGraph = createSelector([selectReport], (report: ScanReport | null): BlastGraph =>
  report ? buildBlastGraph(report) : EMPTY_GRAPH,
);

/** Id of the graph node whose evidence panel is open. */
export const selectSelectedNodeId = (state: AppState) => state.selectedNodeId;

/** The selected node's evidence panel content, or null when nothing (or a node gone since a re-scan) is selected. */
export const selectSelectedNodeDetails = createSelector(
  [selectBlastGraph, selectSelectedNodeId],
  (graph, nodeId): NodeEvidence | null => (nodeId === null ? null : selectNodeEvidence(graph, nodeId)),
);

// ---- checklist ----

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

/** Steps generated from the report merged with their recorded progress, and progress whose step is gone. */
export const selectMergedChecklist = createSelector([selectReport, selectProgress], (report, progress): MergedChecklist => {
  if (!report) return Object.keys(progress).length === 0 ? EMPTY_CHECKLIST : mergeProgress([], progress);
  return mergeProgress(generateChecklist(report), progress, { scannedAt: report.scannedAt });
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

// ---- ui ----

/** The current view. */
export const selectView = (state: AppState) => state.view;
/** The prompt to show now (the oldest), or null. */
export const selectCurrentPrompt = (state: AppState) => state.prompts[0] ?? null;
/** Errors shown in the banner, oldest first. */
export const selectErrors = (state: AppState) => state.errors;
/** True once startup has loaded (or failed to load) the case and hosts. */
export const selectReady = (state: AppState) => state.ready;
