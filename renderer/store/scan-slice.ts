/** The running (or last) scan and its per-host progress. */
import type { StateCreator } from 'zustand';
import type { Pushes, ScanPhase } from '../../shared/ipc/index.js';
import type { AppState } from './app-state.js';

/** What one host's scan is doing, as the last progress push said. */
export interface HostProgress {
  phase: ScanPhase;
  message: string;
}

/** State and events of scanning. */
export interface ScanSlice {
  scan: {
    /** Id from `startScan`; null until it answers. */
    scanId: string | null;
    running: boolean;
    /** Host names of this scan, in the order they were asked for. */
    hosts: string[];
    progress: Record<string, HostProgress>;
    /** What the scan reads: hosts over SSH, or offline collection files replayed (`importCollections`). */
    source: 'ssh' | 'import';
    /** How the last scan ended, for a one-line summary. */
    outcome: 'finished' | 'cancelled' | 'failed' | null;
    /** Scan ids whose finish has been seen, so a late `startScan` answer does not restart them. */
    finishedIds: string[];
  };
  /** The user asked to scan these hosts; every one is queued until the backend says more. */
  scanRequested(hosts: string[]): void;
  /** The user asked to import collection files; their hosts are named by the files, so they arrive with the progress pushes. */
  importRequested(): void;
  /** `startScan` (or `importCollections`) answered with the scan's id. */
  scanStarted(scanId: string): void;
  /** `startScan` was refused; nothing is running. */
  scanRejected(message: string): void;
  /** A progress push for one host. */
  scanProgressed(event: Pushes['scan:progress']): void;
  /** The scan ended (completely or cancelled) and its report is the case's report now. */
  scanFinished(event: Pushes['scan:finished']): void;
}

/** Creates the scan slice. */
export const createScanSlice: StateCreator<AppState, [], [], ScanSlice> = (set) => ({
  scan: { scanId: null, running: false, hosts: [], progress: {}, source: 'ssh', outcome: null, finishedIds: [] },
  scanRequested: (hosts) =>
    set((state) => ({
      scan: {
        ...state.scan,
        scanId: null,
        running: true,
        hosts: [...hosts],
        progress: Object.fromEntries(hosts.map((host) => [host, { phase: 'queued' as const, message: 'Waiting to start' }])),
        source: 'ssh',
        outcome: null,
      },
    })),
  importRequested: () =>
    set((state) => ({
      scan: { ...state.scan, scanId: null, running: true, hosts: [], progress: {}, source: 'import', outcome: null },
    })),
  scanStarted: (scanId) =>
    set((state) => ({
      scan: { ...state.scan, scanId, running: state.scan.running && !state.scan.finishedIds.includes(scanId) },
    })),
  scanRejected: (message) =>
    set((state) => ({
      scan: {
        ...state.scan,
        running: false,
        outcome: 'failed',
        progress: Object.fromEntries(state.scan.hosts.map((host) => [host, { phase: 'failed' as const, message }])),
      },
    })),
  scanProgressed: (event) =>
    set((state) => {
      // Pushes may beat the `startScan` answer, so only a known, different id is foreign.
      if (state.scan.scanId !== null && event.scanId !== state.scan.scanId) return state;
      const hosts = state.scan.hosts.includes(event.host) ? state.scan.hosts : [...state.scan.hosts, event.host];
      const failed = event.phase === 'failed' && hosts.every((host) => host === event.host || isSettled(state.scan.progress[host]?.phase));
      return {
        scan: {
          ...state.scan,
          hosts,
          progress: { ...state.scan.progress, [event.host]: { phase: event.phase, message: event.message } },
          // A scan that failed as a whole sends only `failed` pushes and never finishes.
          running: failed ? false : state.scan.running,
          outcome: failed ? 'failed' : state.scan.outcome,
        },
      };
    }),
  scanFinished: (event) =>
    set((state) => {
      const ours = state.scan.scanId === null || event.scanId === state.scan.scanId;
      // The ledger comes with the report it was updated from; a backend without one keeps what the store has.
      const ledger = event.ledger ?? state.ledger;
      if (!ours) return { report: event.report, ledger };
      return {
        report: event.report,
        ledger,
        scan: {
          ...state.scan,
          scanId: event.scanId,
          running: false,
          outcome: event.cancelled ? 'cancelled' : 'finished',
          finishedIds: [...state.scan.finishedIds, event.scanId].slice(-20),
        },
      };
    }),
});

function isSettled(phase: ScanPhase | undefined): boolean {
  return phase === 'done' || phase === 'failed' || phase === 'cancelled';
}
