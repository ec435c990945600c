/**
 * The two ways into a running container's files, tried in order: `docker exec -i ID sh -s` with the
 * script on stdin (ROOT=''), and when that cannot run (no sh in a distroless image, a missing
 * utility) the container's MergedDir read from the host, as this user or through `sudo -n`.
 * Generic over the script and its parser, so every per-container collector reads the same way.
 * Also the shape (ContainerScanPart) such a collector exports so that container-scan.ts can run
 * it, with the others, in a container's one exec.
 */
import { shellQuote, type CommandRunner, type RunOptions, type RunResult } from '../exec/command-runner.js';
import type { LayerMask } from './container-layers.js';
import { engineCommand, type EngineAccess } from './docker-collector.js';
import type { InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, recordValue, SHELL_EMIT } from './framing.js';
import { blindSpot, stderrSuffix, type CollectorIssue } from './notes.js';

/** How one `docker exec` ran, for judging the scan output it carried. */
export interface ExecOutcome {
  result: RunResult;
  /** The exit status the wrapper recorded for `docker exec`, or null when it printed none. */
  rc: string | null;
}

/** Wraps `inner` (a complete script) so it runs through `docker exec -i ID sh -s` on the host. */
export function containerExecScript(boundary: string, engine: EngineAccess, containerId: string, inner: string): string {
  if (!/^[0-9a-f]{64}$/.test(containerId)) throw new Error('container id must be 64 hex characters');
  return `B=${shellQuote(boundary)}
${SHELL_EMIT}
emit_open exec
${engineCommand(engine)} exec -i ${shellQuote(containerId)} sh -s <<'${heredocDelimiter(boundary)}'
${inner}
${heredocDelimiter(boundary)}
emit rc "$?"
`;
}

/**
 * Wraps `inner` (a scan whose ROOT is `mergedDir`) so it runs as this user when the folder is
 * readable, else through `sudo -n sh -s` (container filesystems belong to root).
 */
export function mergedDirScript(boundary: string, mergedDir: string, inner: string): string {
  return `B=${shellQuote(boundary)}
M=${shellQuote(mergedDir)}
${SHELL_EMIT}
if [ -d "$M" ] && [ -r "$M" ] && [ -x "$M" ]; then
  RUN=
  emit via direct
else
  RUN='sudo -n'
  emit via sudo
fi
$RUN sh -s <<'${heredocDelimiter(boundary)}'
${inner}
${heredocDelimiter(boundary)}
emit rc "$?"
`;
}

function heredocDelimiter(boundary: string): string {
  return `BLAST_RADIUS_${boundary}_EOF`;
}

/** How notes name a container: its name, else its short id. */
export function containerLabel(container: InspectedContainer): string {
  return `container ${container.name || container.id.slice(0, 12)}`;
}

/**
 * A collector that can read inside a running container, as one part of the container's single
 * `docker exec` (container-scan.ts runs every part through it, then falls back to the MergedDir
 * part by part). `C` is the part's collection for one container.
 */
export interface ContainerScanPart<Name extends string, C> {
  /** Names the part's output in the combined exec and its collection in the container's scan. */
  readonly name: Name;
  /** The part's share of the combined exec's time and output. */
  readonly limits: { readonly timeoutMs: number; readonly maxOutputBytes: number };
  /** The part's script under `root` ('' inside the container through exec; a folder on the host: `/proc/PID/root`, a layer), its records framed with `boundary`. */
  script(container: InspectedContainer, boundary: string, root: string): string;
  /** The collection from the part's exec output, or why its MergedDir must be read instead. */
  judge(output: string, boundary: string, exec: ExecOutcome, engine: EngineAccess, container: InspectedContainer): { collection: C } | { problem: string };
  /** The fallback: the part read from the container's MergedDir on the host, after exec could not (`problem`). */
  fromHost(runner: CommandRunner, container: InspectedContainer, problem: string, signal?: AbortSignal): Promise<C>;
  /** One collection from each layer's (top first, each read with `via: 'layers'`): what a higher layer replaced or deleted (`masks`, per layer) left out. */
  mergeLayers(perLayer: readonly C[], masks: readonly LayerMask[]): C;
  /** The collection of a container whose scan failed outright (`label` names it, `message` says why): one blind spot. */
  unscanned(label: string, message: string): C;
}

/** What a container read needs to know of a parsed scan. */
export interface ContainerScanStatus {
  completed: boolean;
  rootMissing: boolean;
  missingTools: readonly string[];
}

/**
 * How a container's files were reached: `docker exec`, its MergedDir from the host (as this user or
 * through `sudo -n`), its running process's root (`/proc/PID/root`) or, stopped, its overlay layers.
 */
export type ContainerVia = 'exec' | 'merged-dir' | 'merged-dir-sudo' | 'proc-root' | 'layers' | 'guest-root';

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
        : execFailure(engine, rc, result),
  };
}

/**
 * Why an exec that ran no scan failed: its exit status and stderr's first line. Exit 126 or 127 is
 * the engine saying the command (`sh`) cannot be run or found in the image, a distroless image
 * most often; real Docker prints its "executable file not found" on the exec's stdout, not its
 * stderr, so the note says so itself.
 */
export function execFailure(engine: EngineAccess, rc: string | null, result: RunResult): string {
  const status = rc ?? (result.exitCode === null ? null : String(result.exitCode));
  const noShell = status === '126' || status === '127' ? '; the image has no sh to run the scan in' : '';
  return `${engine.engine} exec failed (exit ${status ?? 'signal'}${stderrSuffix(result.stderr)}${noShell})`;
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
  const label = containerLabel(container);
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
