/** Reads of the host list and of the running (or last) scan. */
import type { HostEntry } from '../../shared/ipc/index.js';
import type { HostInventory } from '../../shared/model/index.js';
import type { AppState } from './app-state.js';
import { selectorCreator } from './create-selector.js';
import type { HostProgress } from './scan-slice.js';

const createSelector = selectorCreator<AppState>();

/** Every host the user can pick. */
export const selectHosts = (state: AppState) => state.hosts;
/**
 * A row of the hosts table: a host the user can pick, or one only the case or the running scan
 * knows — a host an imported collection named (by its own hostname or the name given), or one
 * since gone from the ssh config. Such a host cannot be scanned, only imported again or removed.
 */
export type HostRowEntry = HostEntry | { name: string; address: string; source: 'case-only' };

/** The hosts table's rows: every host the user can pick, then the case's and the running scan's other hosts, by name. */
export const selectHostRows = createSelector(
  [(state: AppState) => state.hosts, (state: AppState) => state.report, (state: AppState) => state.scan.hosts],
  (hosts, report, scanHosts): HostRowEntry[] => {
    const listed = new Set(hosts.map((host) => host.name));
    const others = new Map<string, string>();
    for (const host of report?.hosts ?? []) if (!listed.has(host.name)) others.set(host.name, host.address);
    for (const name of scanHosts) if (!listed.has(name) && !others.has(name)) others.set(name, '—');
    if (others.size === 0) return hosts;
    const extra = [...others].sort(([a], [b]) => a.localeCompare(b)).map(([name, address]) => ({ name, address, source: 'case-only' as const }));
    return [...hosts, ...extra];
  },
);
/** Names of the ticked hosts. */
export const selectSelectedHosts = (state: AppState) => state.selectedHosts;
/** Whether one host is ticked. */
export const selectIsHostSelected = (name: string) => (state: AppState) => state.selectedHosts.includes(name);
/** True while a scan runs. */
export const selectScanRunning = (state: AppState) => state.scan.running;
/** The running scan's id, once `startScan` has answered. */
export const selectScanId = (state: AppState) => state.scan.scanId;
/** What the current or last scan reads: hosts over SSH, or imported collection files. */
export const selectScanSource = (state: AppState) => state.scan.source;
/** How the last scan ended, or null while none has. */
export const selectScanOutcome = (state: AppState) => state.scan.outcome;
/** True when the Scan button can start a scan. */
export const selectCanStartScan = (state: AppState) => !state.scan.running && state.selectedHosts.length > 0;
/** One host's progress in the current or last scan, or null when it was not part of it. */
export const selectHostProgress =
  (name: string) =>
  (state: AppState): HostProgress | null =>
    state.scan.progress[name] ?? null;

/**
 * One host's entry in the case's report (its status, its own scan time, a failed later attempt),
 * or null when the case holds no result for it. The report's own object, so the reference is stable.
 */
export const selectCaseHost =
  (name: string) =>
  (state: AppState): HostInventory | null =>
    state.report?.hosts.find((host) => host.name === name) ?? null;

/** True when the user can give up on one host of the running scan: it has not finished yet. */
export const selectCanGiveUpHost =
  (name: string) =>
  (state: AppState): boolean => {
    const phase = state.scan.progress[name]?.phase;
    return state.scan.running && state.scan.scanId !== null && phase !== undefined && !isSettled(phase);
  };

/** How many hosts of the current scan have settled (done, failed or cancelled) out of how many. */
export const selectScanCounts = createSelector(
  [(state: AppState) => state.scan.hosts, (state: AppState) => state.scan.progress],
  (hosts, progress) => ({
    total: hosts.length,
    settled: hosts.filter((host) => isSettled(progress[host]?.phase)).length,
  }),
);

function isSettled(phase: HostProgress['phase'] | undefined): boolean {
  return phase === 'done' || phase === 'failed' || phase === 'cancelled';
}
