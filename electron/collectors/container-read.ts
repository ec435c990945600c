/**
 * The two ways into a running container's files, tried in order: `docker exec -i ID sh -s` with the
 * script on stdin (ROOT=''), and when that cannot run (no sh in a distroless image, a missing
 * utility) the container's MergedDir read from the host, as this user or through `sudo -n`.
 * Generic over the script and its parser, so every per-container collector reads the same way.
 */
import type { CommandRunner, RunOptions, RunResult } from '../exec/command-runner.js';
import type { EngineAccess } from './docker-collector.js';
import type { InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, recordValue } from './framing.js';
import { blindSpot, stderrSuffix, type CollectorIssue } from './notes.js';
import { containerExecScript, mergedDirScript, type ExecOutcome } from './python-collector.js';

/** What a container read needs to know of a parsed scan. */
export interface ContainerScanStatus {
  completed: boolean;
  rootMissing: boolean;
  missingTools: readonly string[];
}

/** How a container's files were reached. */
export type ContainerVia = 'exec' | 'merged-dir' | 'merged-dir-sudo';

/** A scan that ran, and how; or the blind spot left when neither way worked. */
export type ContainerRead<S> = { scan: S; result: RunResult; via: ContainerVia } | { scan: null; issue: CollectorIssue };

/** What to run in a container and how to read its output. */
export interface ContainerReadOptions<S extends ContainerScanStatus> {
  /** The collector named in notes. */
  collector: string;
  /** What the note says was not done (`not read`, `not searched`). */
  failure: string;
  /** The script for one root: '' inside the container, its MergedDir from the host. */
  script: (boundary: string, root: string) => string;
  parse: (output: string, boundary: string) => S;
  limits: Omit<RunOptions, 'signal'>;
  signal?: AbortSignal;
}

/**
 * Judges the output of a scan run through exec (`output` holds its records framed with
 * `boundary`): the read, or why its MergedDir must be read instead.
 */
export function judgeContainerExec<S extends ContainerScanStatus>(
  output: string,
  boundary: string,
  exec: ExecOutcome,
  engine: EngineAccess,
  parse: (output: string, boundary: string) => S,
): { read: ContainerRead<S> } | { problem: string } {
  const { result, rc } = exec;
  const scan = parse(output, boundary);
  if (scan.completed && scan.missingTools.length === 0) return { read: { scan, result, via: 'exec' } };
  return {
    problem: scan.completed
      ? `the image lacks ${scan.missingTools.join(', ')}`
      : result.truncated
        ? 'the scan output passed its size limit'
        : `${engine.engine} exec failed (exit ${rc ?? result.exitCode ?? 'signal'}${stderrSuffix(result.stderr)})`,
  };
}

/** Runs a scan in `container` through exec, else through its MergedDir; never throws for an unreadable container (only for cancellation). */
export async function readContainer<S extends ContainerScanStatus>(
  runner: CommandRunner,
  engine: EngineAccess,
  container: InspectedContainer,
  options: ContainerReadOptions<S>,
): Promise<ContainerRead<S>> {
  const { signal } = options;
  const execBoundary = newBoundary();
  let problem: string;
  try {
    const result = await runner.runScript(containerExecScript(execBoundary, engine, container.id, options.script(execBoundary, '')), { ...options.limits, signal });
    const output = decodeOutput(result.stdout);
    const judged = judgeContainerExec(output, execBoundary, { result, rc: recordValue(output, execBoundary, 'rc') }, engine, options.parse);
    if ('read' in judged) return judged.read;
    problem = judged.problem;
  } catch (error) {
    if (signal?.aborted) throw error;
    problem = `${engine.engine} exec failed (${(error as Error).message})`;
  }
  return readContainerFromHost(runner, container, options, problem);
}

/** The fallback when exec could not read a container: its MergedDir read from the host, directly or through `sudo -n`. */
export async function readContainerFromHost<S extends ContainerScanStatus>(
  runner: CommandRunner,
  container: InspectedContainer,
  options: ContainerReadOptions<S>,
  execProblem: string,
): Promise<ContainerRead<S>> {
  const { signal } = options;
  const label = `container ${container.name || container.id.slice(0, 12)}`;
  const failed = (why: string): ContainerRead<S> => ({ scan: null, issue: blindSpot(options.collector, `${label}: ${options.failure}: ${execProblem}${why}`) });
  if (!container.mergedDir) return failed(', and the engine reports no MergedDir to read from the host');
  const boundary = newBoundary();
  const result = await runner.runScript(mergedDirScript(boundary, container.mergedDir, options.script(boundary, container.mergedDir)), { ...options.limits, signal });
  const output = decodeOutput(result.stdout);
  const scan = options.parse(output, boundary);
  const via = recordValue(output, boundary, 'via') === 'direct' ? 'merged-dir' : 'merged-dir-sudo';
  if (!scan.completed) {
    const how = via === 'merged-dir' ? 'reading' : 'sudo -n reading';
    return failed(`; ${how} its filesystem from the host failed${stderrSuffix(result.stderr, ' (', ')')}`);
  }
  if (scan.rootMissing) return failed('; its MergedDir is not mounted or not readable on the host');
  return { scan, result, via };
}
