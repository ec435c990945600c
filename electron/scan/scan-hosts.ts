/**
 * Scans many hosts with bounded concurrency. A host that fails (unreachable, refused key, a
 * collector crash) gets its status and error; it never stops the others.
 */
import { setMaxListeners } from 'node:events';
import type { HostInventory, HostStatus } from '../../shared/model/index.js';
import type { ScanPhase } from '../../shared/ipc/contract.js';
import type { CommandRunner } from '../exec/command-runner.js';
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
  | 'gatewayTraffic'
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
}

/** Options for a multi-host scan. */
export interface ScanHostsOptions {
  collect: CollectHost;
  /** Hosts scanned at once; each holds one SSH connection. */
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (progress: HostProgress) => void;
}

/** Abort listeners one host's scan may hold at once: its connection, its channels, container scans. */
const LISTENERS_PER_HOST = 32;

/** Scans every target; resolves with one inventory per target, in the targets' order. */
export async function scanHosts(targets: readonly ScanTarget[], options: ScanHostsOptions): Promise<HostInventory[]> {
  const signal = options.signal ?? new AbortController().signal;
  // Every connection, channel and prompt of every host listens on this one signal at once; Node's
  // default of 10 would warn of a leak that is not one. Still bounded, so a real leak warns.
  setMaxListeners(Math.max(10, options.concurrency * LISTENERS_PER_HOST), signal);
  const results: HostInventory[] = new Array(targets.length);
  for (const target of targets) options.onProgress?.({ host: target.name, phase: 'queued', message: 'waiting' });

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const index = next++;
      const target = targets[index]!;
      // Progress and the host's error and notes can quote what the host said (an SSH error, stderr): redacted here, last.
      results[index] = redactHostMessages(
        await scanOneHost(target, options.collect, signal, (phase, message) => options.onProgress?.({ host: target.name, phase, message: redactText(message) })),
      );
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, targets.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

async function scanOneHost(
  target: ScanTarget,
  collect: CollectHost,
  signal: AbortSignal,
  report: (phase: ScanPhase, message: string) => void,
): Promise<HostInventory> {
  const empty = { name: target.name, address: target.address, facts: null, containers: [], pythonEnvironments: [] };
  if (signal.aborted) {
    report('cancelled', 'scan cancelled before this host started');
    return { ...empty, status: 'error', error: 'scan cancelled before this host was scanned' };
  }

  report('connecting', `connecting to ${target.address}`);
  let connection: HostConnection;
  try {
    connection = await target.connect(signal);
  } catch (error) {
    const status = statusOf(error);
    const message = messageOf(error);
    report('failed', message);
    return { ...empty, status, error: message };
  }

  try {
    const collected = await collect(connection, { signal, onPhase: (phase, message) => report(phase, message) });
    const inventory: HostInventory = { ...empty, ...collected };
    if (signal.aborted) {
      report('cancelled', 'scan cancelled; the host was only partly read');
      return { ...inventory, status: 'partial', error: 'scan cancelled before this host was fully read' };
    }
    report('done', summarise(inventory));
    return inventory;
  } catch (error) {
    const message = messageOf(error);
    report(signal.aborted ? 'cancelled' : 'failed', message);
    return { ...empty, status: 'error', error: message };
  } finally {
    await connection.close().catch(() => undefined);
  }
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
