/**
 * Scans many hosts with bounded concurrency. A host that fails (unreachable, refused key, a
 * collector crash) gets its status and error; it never stops the others.
 */
import { setMaxListeners } from 'node:events';
import type { HostInventory, HostStatus } from '../../shared/model/index.js';
import type { ScanPhase } from '../../shared/ipc/contract.js';
import type { CommandRunner } from '../exec/command-runner.js';
import { DEFAULT_HOST_DEADLINE_MS, HostBudget, type HostStop } from './host-budget.js';
import { HostGiveUps } from './host-give-ups.js';
import { redactHostMessages, redactText } from '../readers/secrets/redact-text.js';

/** A connected host: run scripts, then close. */
export interface HostConnection extends CommandRunner {
  close(): Promise<void>;
}

/** A host to scan and how to reach it. */
export interface ScanTarget {
  name: string;
  /** `user@host:port`, or `local`. */
  address: string;
  /** Connects; rejects with an error carrying `status` (e.g. SshConnectError) when it cannot. */
  connect(signal: AbortSignal): Promise<HostConnection>;
}

/** What the collectors read off one connected host. */
export type CollectedHost = Pick<
  HostInventory,
  | 'status' | 'error' | 'facts' | 'containers' | 'pythonEnvironments' | 'notes' | 'iocHits' | 'cachedArtifacts'
  | 'secrets' | 'authorizedKeys' | 'addresses' | 'endpointReferences' | 'tunnels' | 'proxyRoutes' | 'connections' | 'gatewayConfigs'
  | 'gatewayServices' | 'gatewayTraffic' | 'hardening' | 'kubernetes'
>;

/** Reads one connected host's inventory, reporting each collector as it starts. */
export type CollectHost = (
  runner: CommandRunner,
  options: { signal: AbortSignal; onPhase: (phase: 'facts' | 'containers' | 'python' | 'iocs' | 'keys', message: string) => void },
) => Promise<CollectedHost>;

/** A per-host progress event. */
export interface HostProgress {
  host: string;
  phase: ScanPhase;
  message: string;
  /** Set on "still waiting" reports: how long the host has not answered the phase. */
  waitingSeconds?: number;
  /** Set on "still waiting" reports: seconds left before the host is given up on. */
  remainingSeconds?: number;
}

/** Options for a multi-host scan. */
export interface ScanHostsOptions {
  collect: CollectHost;
  /** Hosts scanned at once; each holds one SSH connection. */
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (progress: HostProgress) => void;
  /** Each host's deadline, connection included; DEFAULT_HOST_DEADLINE_MS unless given. */
  hostDeadlineMs?: number;
  /** Lets the user give up on single hosts while the scan runs. */
  giveUps?: HostGiveUps;
  /** How often a host that has not answered for this long is reported as waiting; WAIT_REPORT_MS unless given. */
  waitReportMs?: number;
  /** The liveness check's timeout after a command timed out (tests shorten it). */
  probeTimeoutMs?: number;
  /** How long a given-up host's collector has to hand back what it read; STOP_GRACE_MS unless given (tests shorten it). */
  stopGraceMs?: number;
}

/** A phase that has not answered for this long is reported, and again every time this much more has passed. */
export const WAIT_REPORT_MS = 10_000;
/** How long a given-up host's collector has to hand back what it read before the host is reported without it. */
export const STOP_GRACE_MS = 5_000;

/** Abort listeners one host's scan may hold at once on the scan's signal. */
const LISTENERS_PER_HOST = 32;

/** Scans every target; resolves with one inventory per target, in the targets' order, once every host finished or was given up on. */
export async function scanHosts(targets: readonly ScanTarget[], options: ScanHostsOptions): Promise<HostInventory[]> {
  const signal = options.signal ?? new AbortController().signal;
  // Every connection, channel and prompt of every host listens on this one signal at once; Node's
  // default of 10 would warn of a leak that is not one. Still bounded, so a real leak warns.
  setMaxListeners(Math.max(10, options.concurrency * LISTENERS_PER_HOST), signal);
  const giveUps = options.giveUps ?? new HostGiveUps();
  giveUps.expect(targets.map((target) => target.name));
  const results: HostInventory[] = new Array(targets.length);
  for (const target of targets) options.onProgress?.({ host: target.name, phase: 'queued', message: 'waiting' });

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const index = next++;
      const target = targets[index]!;
      try {
        // Progress and the host's error and notes can quote what the host said (an SSH error, stderr): redacted here, last.
        results[index] = redactHostMessages(
          await scanOneHost(target, options, signal, giveUps, (progress) =>
            options.onProgress?.({ host: target.name, ...progress, message: redactText(progress.message) }),
          ),
        );
      } finally {
        giveUps.finished(target.name);
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, targets.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

async function scanOneHost(
  target: ScanTarget,
  options: ScanHostsOptions,
  signal: AbortSignal,
  giveUps: HostGiveUps,
  report: (progress: Omit<HostProgress, 'host'>) => void,
): Promise<HostInventory> {
  const empty = { name: target.name, address: target.address, facts: null, containers: [], pythonEnvironments: [] };
  if (signal.aborted) {
    report({ phase: 'cancelled', message: 'scan cancelled before this host started' });
    return { ...empty, status: 'error', error: 'scan cancelled before this host was scanned' };
  }
  const budget = new HostBudget(options.hostDeadlineMs ?? DEFAULT_HOST_DEADLINE_MS, {
    signal,
    ...(options.probeTimeoutMs !== undefined ? { probeTimeoutMs: options.probeTimeoutMs } : {}),
  });
  if (giveUps.started(target.name, () => budget.stop('abandoned'))) {
    budget.dispose();
    const message = 'given up on by the user before it was scanned';
    report({ phase: 'failed', message });
    return { ...empty, status: 'error', error: message, notes: [{ collector: STOP_NOTE_COLLECTOR, message }] };
  }
  const waitReports = reportWaits(budget, options.waitReportMs ?? WAIT_REPORT_MS, report);
  // Once given up on, the host's collector gets a short grace to hand back what it read; past it, nothing is waited for.
  const graceOver = budget.whenStopped().then(() => new Promise<null>((resolve) => setTimeout(() => resolve(null), options.stopGraceMs ?? STOP_GRACE_MS).unref()));
  try {
    return await scanConnected(target, options.collect, budget, graceOver, report, empty);
  } finally {
    clearInterval(waitReports);
    budget.dispose();
  }
}

async function scanConnected(
  target: ScanTarget,
  collect: CollectHost,
  budget: HostBudget,
  graceOver: Promise<null>,
  report: (progress: Omit<HostProgress, 'host'>) => void,
  empty: Pick<HostInventory, 'name' | 'address' | 'facts' | 'containers' | 'pythonEnvironments'>,
): Promise<HostInventory> {
  const signal = budget.signal;
  report({ phase: 'connecting', message: `connecting to ${target.address}` });
  let connection: HostConnection | null;
  const connecting = budget.track('connecting', target.connect(signal));
  try {
    connection = await Promise.race([connecting, graceOver]);
  } catch (error) {
    if (budget.stopped) return givenUp(budget.stopped, null, report, empty);
    const status = statusOf(error);
    const message = messageOf(error);
    report({ phase: 'failed', message });
    return { ...empty, status, error: message };
  }
  if (!connection) {
    // A connection that still opens after the host was given up on is closed as soon as it does.
    connecting.then((late) => late.close(), () => undefined).catch(() => undefined);
    return givenUp(budget.stopped!, null, report, empty);
  }
  const opened = connection;
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= opened.close().catch(() => undefined));
  // A host given up on loses its connection at once: its channels are cut and nothing more is sent to it.
  budget.onStop(() => void close());

  try {
    const collected = await Promise.race([
      collect(budget.runner(opened), {
        signal,
        onPhase: (phase, message) => {
          budget.enterPhase(phase);
          report({ phase, message });
        },
      }),
      graceOver,
    ]);
    if (budget.stopped) return givenUp(budget.stopped, collected, report, empty);
    const inventory: HostInventory = { ...empty, ...collected! };
    if (signal.aborted) {
      report({ phase: 'cancelled', message: 'scan cancelled; the host was only partly read' });
      return { ...inventory, status: 'partial', error: 'scan cancelled before this host was fully read' };
    }
    report({ phase: 'done', message: summarise(inventory) });
    return inventory;
  } catch (error) {
    if (budget.stopped) return givenUp(budget.stopped, null, report, empty);
    const message = messageOf(error);
    report({ phase: signal.aborted ? 'cancelled' : 'failed', message });
    return { ...empty, status: 'error', error: message };
  } finally {
    await close();
  }
}

/** Notes about the host's deadline and give-ups are filed under this collector name. */
export const STOP_NOTE_COLLECTOR = 'deadline';

/**
 * A given-up host's entry: what its collector handed back (if anything) with a note on which phase
 * stopped answering and after how long. `partial` when anything was read, `error` when nothing was.
 */
function givenUp(
  stop: HostStop,
  collected: CollectedHost | null,
  report: (progress: Omit<HostProgress, 'host'>) => void,
  empty: Pick<HostInventory, 'name' | 'address' | 'facts' | 'containers' | 'pythonEnvironments'>,
): HostInventory {
  const inventory: HostInventory = { ...empty, ...(collected ?? {}), status: 'error' };
  const kept = readAnything(inventory);
  const message = `${stopMessage(stop)}; ${kept ? 'what was read before is kept' : 'nothing was read from it'}`;
  report({ phase: kept ? 'done' : 'failed', message });
  return {
    ...inventory,
    status: kept ? 'partial' : 'error',
    error: message,
    notes: [...(inventory.notes ?? []), { collector: STOP_NOTE_COLLECTOR, message }],
  };
}

/** Why and where the host was given up on, in the user's terms; numbers and phase names only, no host output. */
export function stopMessage(stop: HostStop): string {
  const phase = stop.phase === 'connecting' ? 'while connecting' : `in the ${stop.phase} phase`;
  const waited = stop.waitedMs > 0 ? `, after waiting ${seconds(stop.waitedMs)} for an answer` : '';
  switch (stop.cause) {
    case 'deadline':
      return `host deadline reached: gave up on the host ${phase}${waited} (${seconds(stop.elapsedMs)} after its scan started)`;
    case 'stalled':
      return `the host stopped answering ${phase}: a command got no answer for ${seconds(stop.waitedMs)} and a check sent after it got none either; gave up on it and closed its connection`;
    case 'abandoned':
      return `given up on by the user ${phase}${waited} (${seconds(stop.elapsedMs)} after its scan started)`;
    default:
      return assertNever(stop.cause);
  }
}

/** True when the collectors handed back anything of the host. */
function readAnything(inventory: HostInventory): boolean {
  return (
    inventory.facts !== null ||
    inventory.containers.length > 0 ||
    inventory.pythonEnvironments.length > 0 ||
    (inventory.iocHits?.length ?? 0) > 0 ||
    inventory.secrets !== undefined ||
    (inventory.notes?.length ?? 0) > 0
  );
}

/**
 * Reports a phase that has waited `intervalMs` for the host's answer, and again each time another
 * `intervalMs` passes, until the host answers or is given up on.
 */
function reportWaits(budget: HostBudget, intervalMs: number, report: (progress: Omit<HostProgress, 'host'>) => void): NodeJS.Timeout {
  let reported = 0;
  const timer = setInterval(() => {
    const wait = budget.waiting();
    const due = wait && !budget.stopped ? Math.floor(wait.waitedMs / intervalMs) : 0;
    // A lower count means an answer came and a new wait began: start counting again.
    if (due <= reported) {
      reported = Math.min(reported, due);
      return;
    }
    reported = due;
    const waitingSeconds = Math.round(wait!.waitedMs / 1000);
    const remainingSeconds = Math.round(budget.remainingMs() / 1000);
    report({
      phase: wait!.phase,
      message: `waiting for an answer in the ${wait!.phase} phase for ${waitingSeconds} s; the host is given up on in ${remainingSeconds} s`,
      waitingSeconds,
      remainingSeconds,
    });
  }, Math.max(10, Math.round(intervalMs / 5)));
  timer.unref();
  return timer;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function assertNever(value: never): never {
  throw new Error(`unexpected ${String(value)}`);
}
const CONNECT_STATUSES: readonly HostStatus[] = ['unreachable', 'auth-failed', 'host-key-mismatch', 'host-key-unknown', 'error'];

function statusOf(error: unknown): HostStatus {
  const status = (error as { status?: unknown } | null)?.status;
  return CONNECT_STATUSES.includes(status as HostStatus) ? (status as HostStatus) : 'error';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function summarise(inventory: HostInventory): string {
  const packages = inventory.pythonEnvironments.reduce((sum, environment) => sum + environment.packages.length, 0);
  return `${inventory.containers.length} containers, ${inventory.pythonEnvironments.length} Python environments, ${packages} packages`;
}
