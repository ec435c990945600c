/**
 * Every read of the store, in one place. Plain selectors return a slice of state; derived ones
 * are memoised with createSelector so components re-render only when their inputs change.
 */
import {
  FINDING_KINDS,
  SEVERITIES,
  compareSeverity,
  type Container,
  type Finding,
  type FindingKind,
  type HostInventory,
  type PthFile,
  type ScanReport,
  type Severity,
  type Verdict,
} from '../../shared/model/index.js';
import { KNOWN_WINDOWS, relativeToWindow } from '../../shared/domain/exposure/index.js';
import { gatewayFindingId, logClient, recogniseGateways } from '../../shared/findings/index.js';
import { buildBlastGraph, describeLocation, selectNodeEvidence, type BlastGraph, type NodeEvidence } from '../../shared/present/index.js';
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
import type { HostProgress } from './scan-slice.js';
import type { FindingFilters } from './ui-slice.js';

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
  /** The `.pth` files at the top of the folder (empty when none were read). */
  pthFiles: PthFile[];
  /** How many of those have a line Python executes at every start. */
  executablePthCount: number;
}

/** One container of the inventory, with what the report says about it elsewhere. */
export interface InventoryContainer extends Container {
  /** `host/name`: unique in a report, used for expand state. */
  key: string;
  /** Auto-updaters (container names) on the same host whose findings say they watch this container. */
  watchedBy: string[];
  /** Mounts with a risk (engine socket, host root, home). */
  riskyMountCount: number;
}

/** One host of the inventory with its containers and environments. */
export interface InventoryHost {
  name: string;
  address: string;
  status: HostInventory['status'];
  error: string | undefined;
  facts: HostInventory['facts'];
  notes: NonNullable<HostInventory['notes']>;
  containers: InventoryContainer[];
  environments: EnvironmentRow[];
  findingCount: number;
  /** Where IOC rules matched; null when the IOC search did not run on this host. */
  iocHits: NonNullable<HostInventory['iocHits']> | null;
}

/** The key of one container, unique in a report (used for expand state). */
export function containerKey(host: string, name: string): string {
  return `${host}/${name}`;
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
  const watchers = new Map<string, string[]>();
  for (const finding of report.findings) {
    if (finding.kind !== 'auto-updater') continue;
    for (const watched of finding.watches) {
      const key = containerKey(finding.host, watched);
      watchers.set(key, [...(watchers.get(key) ?? []), finding.container ?? finding.updater]);
    }
  }
  return report.hosts.map((host) => ({
    name: host.name,
    address: host.address,
    status: host.status,
    error: host.error,
    facts: host.facts,
    notes: host.notes ?? [],
    containers: host.containers.map((container) => ({
      ...container,
      key: containerKey(host.name, container.name),
      watchedBy: watchers.get(containerKey(host.name, container.name)) ?? [],
      riskyMountCount: (container.mounts ?? []).filter((mount) => mount.risk !== undefined).length,
    })),
    iocHits: host.iocHits ?? null,
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
        pthFiles: environment.pthFiles ?? [],
        executablePthCount: (environment.pthFiles ?? []).filter((file) => file.lines.some((line) => line.executable)).length,
      };
    }),
  }));
});

/** Whether one environment of the inventory is expanded. */
export const selectIsEnvironmentExpanded = (key: string) => (state: AppState) => state.expandedEnvironments.includes(key);
/** Whether one container's detail row is open. */
export const selectIsContainerExpanded = (key: string) => (state: AppState) => state.expandedContainers.includes(key);

// ---- findings list ----

/** How the findings list is narrowed. */
export const selectFindingFilters = (state: AppState) => state.findingFilters;
/** Whether one finding's evidence is open. */
export const selectIsFindingExpanded = (id: string) => (state: AppState) => state.expandedFindings.includes(id);

const EMPTY_FINDINGS: Finding[] = [];

/** Every finding of the report, most severe first, then by host, kind and title. */
export const selectSortedFindings = createSelector([selectReport], (report): Finding[] =>
  report
    ? [...report.findings].sort(
        (a, b) =>
          compareSeverity(a.severity, b.severity) ||
          a.host.localeCompare(b.host) ||
          FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) ||
          a.title.localeCompare(b.title),
      )
    : EMPTY_FINDINGS,
);

/** The findings that pass every filter that is set (a null field lets every value through). */
export function filterFindings(findings: readonly Finding[], filters: FindingFilters): Finding[] {
  return findings.filter(
    (finding) =>
      (filters.host === null || finding.host === filters.host) &&
      (filters.severity === null || finding.severity === filters.severity) &&
      (filters.kind === null || finding.kind === filters.kind),
  );
}

/** The findings list as filtered. */
export const selectFilteredFindings = createSelector([selectSortedFindings, selectFindingFilters], filterFindings);

/** The values each findings filter offers. */
export interface FindingFilterOptions {
  hosts: string[];
  severities: Severity[];
  kinds: FindingKind[];
}

/**
 * The values the filters offer: hosts and kinds that have findings, every severity, in report
 * order; a value picked earlier stays offered after a re-scan drops it, so the select can show it.
 */
export function findingFilterOptions(findings: readonly Finding[], filters: FindingFilters): FindingFilterOptions {
  const hosts = [...new Set(findings.map((finding) => finding.host))].sort((a, b) => a.localeCompare(b));
  if (filters.host !== null && !hosts.includes(filters.host)) hosts.push(filters.host);
  const present = new Set<FindingKind>(findings.map((finding) => finding.kind));
  if (filters.kind !== null) present.add(filters.kind);
  return { hosts, severities: [...SEVERITIES], kinds: FINDING_KINDS.filter((kind) => present.has(kind)) };
}

/** The values the findings filters offer now. */
export const selectFindingFilterOptions = createSelector([selectSortedFindings, selectFindingFilters], findingFilterOptions);

/** Findings per severity, before filtering, for the view's summary line. */
export const selectFindingCounts = createSelector([selectSortedFindings], (findings): Record<Severity, number> => {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
});

/** The facts a finding's kind adds to the common fields, from the kind's own module. */
export { findingFacts, type FindingFact } from '../../shared/kinds/index.js';

// ---- timeline ----

/** The events of a container the timeline plots. */
export const TIMELINE_EVENTS = ['image-built', 'created', 'started'] as const;
/** One kind of timeline event. */
export type TimelineEvent = (typeof TIMELINE_EVENTS)[number];

/** One container row of a window's timeline. */
export interface TimelineRow {
  /** Position on the y axis, top row 0. */
  index: number;
  host: string;
  container: string;
  label: string;
  /** The exposure verdict of its affected package, or null when it is plotted only because an updater watches it. */
  verdict: Verdict | null;
  /** Updaters that watch it. */
  watchedBy: string[];
}

/** One dot of the timeline. */
export interface TimelinePoint {
  /** Milliseconds since the epoch (x). */
  time: number;
  /** Row index (y). */
  row: number;
  label: string;
  event: TimelineEvent;
  iso: string;
  relation: 'before' | 'during' | 'after';
}

/** One series of dots: every event of one kind. */
export interface TimelineSeries {
  event: TimelineEvent;
  name: string;
  points: TimelinePoint[];
}

/** One compromise window and the containers plotted against it. */
export interface TimelineWindow {
  id: string;
  title: string;
  source: string;
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  rows: TimelineRow[];
  series: TimelineSeries[];
  /** The x axis range: every dot and the window, with a margin. */
  domain: [number, number];
  /** Evenly spaced x axis ticks across the domain, plus the window's start. */
  ticks: number[];
  /** Containers that have no usable time at all. */
  undated: string[];
}

const EVENT_NAMES: Record<TimelineEvent, string> = { 'image-built': 'Image built', created: 'Container created', started: 'Container started' };

function eventTimes(container: Container | undefined): Record<TimelineEvent, string | null | undefined> {
  return { 'image-built': container?.imageCreated, created: container?.created, started: container?.startedAt };
}

/**
 * Per compromise window the report's exposures used, the window and the image-built, created and
 * started times of each container that holds an affected package (an exposure) or that an
 * auto-updater watches. Times Docker writes for "never" are left out.
 */
export function buildTimeline(report: ScanReport | null): TimelineWindow[] {
  if (!report) return [];
  const windows = new Map<string, { id: string; start: string; end: string }>();
  for (const exposure of report.exposures ?? []) if (exposure.window && !windows.has(exposure.window.id)) windows.set(exposure.window.id, exposure.window);
  const containers = new Map(report.hosts.flatMap((host) => host.containers.map((container) => [containerKey(host.name, container.name), container] as const)));
  const watched = new Map<string, string[]>();
  for (const finding of report.findings) {
    if (finding.kind !== 'auto-updater') continue;
    for (const name of finding.watches) {
      const key = containerKey(finding.host, name);
      watched.set(key, [...(watched.get(key) ?? []), finding.container ?? finding.updater]);
    }
  }
  const verdictRank: Verdict[] = ['exposed', 'likely-exposed', 'unknown', 'not-exposed'];

  return [...windows.values()].map((window) => {
    const known = KNOWN_WINDOWS.find((candidate) => candidate.id === window.id);
    const rowsByKey = new Map<string, Omit<TimelineRow, 'index'>>();
    for (const exposure of report.exposures ?? []) {
      if (exposure.container === null || exposure.window?.id !== window.id) continue;
      const key = containerKey(exposure.host, exposure.container);
      const earlier = rowsByKey.get(key);
      // Several packages in one container: the worst verdict speaks for it.
      const verdict = earlier?.verdict && verdictRank.indexOf(earlier.verdict) < verdictRank.indexOf(exposure.verdict) ? earlier.verdict : exposure.verdict;
      rowsByKey.set(key, { host: exposure.host, container: exposure.container, label: `${exposure.container} · ${exposure.host}`, verdict, watchedBy: watched.get(key) ?? [] });
    }
    for (const [key, updaters] of watched) {
      if (rowsByKey.has(key) || !containers.has(key)) continue;
      const [host, ...rest] = key.split('/');
      const container = rest.join('/');
      rowsByKey.set(key, { host: host!, container, label: `${container} · ${host}`, verdict: null, watchedBy: updaters });
    }
    const rows = [...rowsByKey.values()]
      .sort((a, b) => a.host.localeCompare(b.host) || a.container.localeCompare(b.container))
      .map((row, index) => ({ ...row, index }));
    const series: TimelineSeries[] = TIMELINE_EVENTS.map((event) => ({ event, name: EVENT_NAMES[event], points: [] }));
    const undated: string[] = [];
    for (const row of rows) {
      const times = eventTimes(containers.get(containerKey(row.host, row.container)));
      let dated = false;
      for (const entry of series) {
        const iso = times[entry.event];
        if (!iso) continue;
        const relation = relativeToWindow(iso, window);
        if (relation === 'unknown') continue;
        dated = true;
        entry.points.push({ time: Date.parse(iso), row: row.index, label: row.label, event: entry.event, iso, relation });
      }
      if (!dated) undated.push(row.label);
    }
    const startMs = Date.parse(window.start);
    const endMs = Date.parse(window.end);
    const times = [startMs, endMs, ...series.flatMap((entry) => entry.points.map((point) => point.time))];
    const min = Math.min(...times);
    const max = Math.max(...times);
    const margin = Math.max((max - min) * 0.05, 60 * 60 * 1000);
    const domain: [number, number] = [min - margin, max + margin];
    const step = (domain[1] - domain[0]) / 6;
    // Even ticks, dropping any that would crowd the window's own tick.
    const ticks = [...Array.from({ length: 7 }, (_, index) => Math.round(domain[0] + index * step)).filter((tick) => Math.abs(tick - startMs) > step / 3), startMs].sort(
      (a, b) => a - b,
    );
    return {
      id: window.id,
      title: known?.title ?? window.id,
      // A window the user narrowed or widened keeps the known source, and says it was changed.
      source:
        known && (known.start !== window.start || known.end !== window.end)
          ? `${known.source} Changed by the user to ${window.start} – ${window.end}.`
          : (known?.source ?? 'Window recorded in the report; its source is not known to this version.'),
      start: window.start,
      end: window.end,
      startMs,
      endMs,
      rows,
      series,
      domain,
      ticks,
      undated,
    };
  });
}

/** The timeline of the report's compromise windows. */
export const selectTimeline = createSelector([selectReport], buildTimeline);

/** Whether the user changed a window (so it can be reset). */
export const selectIsWindowOverridden = (windowId: string) => (state: AppState) => Object.hasOwn(state.windowOverrides, windowId);
/** Whether a window's change is on its way to the backend. */
export const selectIsWindowSaving = (windowId: string) => (state: AppState) => state.savingWindows.includes(windowId);

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

/** One stacked series of the gateway traffic chart: a client address, named by what it is when the scan knows. */
export interface GatewayTrafficSeries {
  /** The row field holding its counts (`c0`, `c1`…, or `other`). */
  key: string;
  name: string;
  requests: number;
}

/** The gateway traffic chart of one gateway finding: one row per logged hour, one field per series. */
export interface GatewayTrafficChartData {
  window: { start: string; end: string };
  truncated: boolean;
  series: GatewayTrafficSeries[];
  rows: Array<{ hour: string; label: string } & Record<string, number | string>>;
}

/** Clients drawn as their own series; the quieter rest are stacked as one. */
export const MAX_TRAFFIC_SERIES = 8;

/** The gateway traffic charts of the report, by gateway finding id (containers whose logs were read). */
export const selectGatewayTrafficCharts = createSelector([selectReport], (report): Readonly<Record<string, GatewayTrafficChartData>> => {
  const charts: Record<string, GatewayTrafficChartData> = {};
  if (!report) return charts;
  for (const gateway of recogniseGateways(report.hosts)) {
    const host = report.hosts.find((candidate) => candidate.name === gateway.host);
    const traffic = (host?.gatewayTraffic ?? []).find((entry) => gateway.container !== null && entry.container === gateway.container);
    if (!traffic) continue;
    const named = traffic.clients.map((client) => {
      const place = logClient(gateway, client.address, report.hosts);
      const who = place.kind === 'container' ? place.container : place.kind === 'host' || place.kind === 'gateway-host' ? `host ${place.host}` : place.kind === 'self' ? 'the gateway itself' : null;
      return { client, name: who ? `${who} (${client.address})` : client.address };
    });
    const own = named.slice(0, MAX_TRAFFIC_SERIES);
    const rest = named.slice(MAX_TRAFFIC_SERIES);
    const series: GatewayTrafficSeries[] = own.map(({ client, name }, index) => ({ key: `c${index}`, name, requests: client.requests }));
    if (rest.length > 0) series.push({ key: 'other', name: `${rest.length} other ${rest.length === 1 ? 'client' : 'clients'}`, requests: rest.reduce((sum, { client }) => sum + client.requests, 0) });
    const rows = new Map<string, { hour: string; label: string } & Record<string, number | string>>();
    const add = (hour: string, key: string, requests: number): void => {
      const row = rows.get(hour) ?? { hour, label: `${hour.slice(5, 10)} ${hour.slice(11, 16)}`, ...Object.fromEntries(series.map((one) => [one.key, 0])) };
      row[key] = (row[key] as number) + requests;
      rows.set(hour, row);
    };
    own.forEach(({ client }, index) => client.hours.forEach((hour) => add(hour.hour, `c${index}`, hour.requests)));
    rest.forEach(({ client }) => client.hours.forEach((hour) => add(hour.hour, 'other', hour.requests)));
    charts[gatewayFindingId(gateway)] = {
      window: traffic.window,
      truncated: traffic.truncated === true,
      series,
      rows: [...rows.values()].sort((a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0)),
    };
  }
  return charts;
});

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
