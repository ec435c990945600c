/**
 * Reads one connected host: facts, containers, then Python environments on the host and inside
 * each running container. Each collector's failure becomes a note and the others still run; the
 * host is `partial` when any note leaves part of it uninspected.
 */
import type { CollectorNote, Container, HostFacts, PythonEnvironment } from '../../shared/model.js';
import type { CommandRunner } from '../exec/command-runner.js';
import { collectContainers, type ContainerCollection } from './docker-collector.js';
import { collectHostFacts } from './host-facts.js';
import { blindSpot, toReportNotes, type CollectorIssue } from './notes.js';
import { collectContainerPython, collectHostPython } from './python-collector.js';

/** Which collector is running, for progress reports. */
export type CollectPhase = 'facts' | 'containers' | 'python';

/** Options of one host's collection. */
export interface CollectHostOptions {
  signal: AbortSignal;
  onPhase: (phase: CollectPhase, message: string) => void;
  /** Reads the host's Python files under this prefix instead of `/` (tests; a mounted disk image). */
  hostRoot?: string;
}

/** One host's inventory as the collectors read it. */
export interface HostCollection {
  status: 'ok' | 'partial';
  /** Set when `partial`: what could not be inspected (the report wants a message on every non-ok status). */
  error?: string;
  facts: HostFacts | null;
  containers: Container[];
  pythonEnvironments: PythonEnvironment[];
  notes: CollectorNote[];
}

/** Running containers scanned at once: each holds one exec session (one SSH channel) open. */
export const CONTAINER_SCAN_CONCURRENCY = 4;

/** Collects one host's inventory; rejects only when cancelled before anything was read. */
export async function collectHost(runner: CommandRunner, options: CollectHostOptions): Promise<HostCollection> {
  const { signal, onPhase } = options;
  const issues: CollectorIssue[] = [];

  onPhase('facts', 'reading hostname, OS and kernel');
  let facts: HostFacts | null = null;
  try {
    facts = await collectHostFacts(runner, signal);
  } catch (error) {
    if (signal.aborted) return finish(facts, [], [], issues, signal);
    issues.push(blindSpot('facts', messageOf(error)));
  }

  onPhase('containers', 'listing containers');
  let containers: ContainerCollection = { engine: null, containers: [], issues: [] };
  try {
    containers = await collectContainers(runner, signal);
  } catch (error) {
    if (signal.aborted) return finish(facts, [], [], issues, signal);
    issues.push(blindSpot('docker', messageOf(error)));
  }
  issues.push(...containers.issues);

  onPhase('python', 'reading site-packages and virtualenvs on the host');
  const environments: PythonEnvironment[] = [];
  try {
    const host = await collectHostPython(runner, signal, options.hostRoot ?? '');
    environments.push(...host.environments);
    issues.push(...host.issues);
  } catch (error) {
    if (signal.aborted) return finish(facts, containers.containers, environments, issues, signal);
    issues.push(blindSpot('python', `the host: ${messageOf(error)}`));
  }

  const engine = containers.engine;
  const running = containers.containers.filter((container) => container.running);
  const stopped = containers.containers.filter((container) => !container.running);
  if (engine && running.length > 0) {
    onPhase('python', `reading Python environments in ${running.length} running containers`);
    const results = await mapLimited(running, CONTAINER_SCAN_CONCURRENCY, async (container) => {
      if (signal.aborted) return null;
      onPhase('python', `reading container ${container.name}`);
      try {
        return await collectContainerPython(runner, engine, container, signal);
      } catch (error) {
        if (signal.aborted) return null;
        return { environments: [], issues: [blindSpot('python', `container ${container.name}: not read: ${messageOf(error)}`)], via: null };
      }
    });
    for (const result of results) {
      if (!result) continue;
      environments.push(...result.environments);
      issues.push(...result.issues);
    }
  }
  if (stopped.length > 0) {
    // A stopped container's overlay is not mounted, so its files cannot be read in place; it can
    // still be started again, so it stays a blind spot rather than a clean bill.
    const names = stopped.map((container) => container.name).join(', ');
    issues.push(
      blindSpot(
        'python',
        `${stopped.length} stopped ${stopped.length === 1 ? 'container was' : 'containers were'} not read (a stopped container's filesystem is not mounted): ${names}`,
      ),
    );
  }

  return finish(facts, containers.containers, environments, issues, signal);
}

function finish(
  facts: HostFacts | null,
  containers: readonly Container[],
  environments: PythonEnvironment[],
  issues: readonly CollectorIssue[],
  signal: AbortSignal,
): HostCollection {
  const blindSpots = issues.filter((issue) => issue.incomplete);
  const partial = blindSpots.length > 0 || signal.aborted;
  const collection: HostCollection = {
    status: partial ? 'partial' : 'ok',
    facts,
    // Only the report's fields: the inspected extras (MergedDir, labels…) stay internal for now.
    containers: containers.map(({ id, name, image, imageDigest, running }) => ({ id, name, image, imageDigest, running })),
    pythonEnvironments: environments,
    notes: toReportNotes(issues),
  };
  if (partial) {
    const first = blindSpots[0];
    const more = blindSpots.length > 1 ? ` (and ${blindSpots.length - 1} more)` : '';
    collection.error = first ? `${first.collector}: ${first.message}${more}` : 'scan cancelled before this host was fully read';
  }
  return collection;
}

/** Maps with at most `limit` calls in flight, keeping input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
