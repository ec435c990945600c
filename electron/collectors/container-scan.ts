/**
 * One round trip per running container: the Python scan, the IOC search and the artifact read
 * (LiteLLM configs, `.env` files) go through a single `docker exec -i ID sh -s`, each in its own
 * subshell and framed with its own boundary, so each parser reads exactly what it read when each
 * had its own exec. On a 2-core host scanning twenty containers, the exec itself (SSH channel,
 * engine client, the container's shell) cost as much as the IOC search it carried. Whatever exec
 * could not read, for any part, is then read from the container's MergedDir on the host, part by
 * part, as before.
 */
import type { IocRule } from '../../shared/domain/iocs/rules.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
import {
  CONTAINER_ARTIFACT_LIMITS,
  containerArtifactScriptFor,
  judgeContainerArtifactsExec,
  readContainerArtifactsFromHost,
  type ContainerArtifactCollection,
} from './artifact-collector.js';
import { engineCommand, type EngineAccess } from './docker-collector.js';
import type { InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, SHELL_EMIT, splitRecords } from './framing.js';
import { IOC_SCAN_LIMITS, iocScanScript, judgeContainerIocsExec, searchContainerFromHost, type IocCollection, type IocReadPath } from './ioc-collector.js';
import {
  judgeContainerPythonExec,
  PYTHON_SCAN_LIMITS,
  pythonScanScript,
  readContainerPythonFromHost,
  type ContainerPythonCollection,
  type ExecOutcome,
} from './python-collector.js';

/** A container's Python collection, IOC search and artifact files. */
export interface ContainerScan {
  python: ContainerPythonCollection;
  iocs: IocCollection & { via: IocReadPath };
  artifacts: ContainerArtifactCollection;
}

/** Boundaries of one combined scan: the wrapper's, and each part's. */
export interface ContainerScanBoundaries {
  outer: string;
  python: string;
  iocs: string;
  artifacts: string;
}

/**
 * The combined script run on the host: `exec` is followed by the Python scan's records, `iocs` by
 * the IOC search's, `artifacts` by the artifact script's, `rc` by docker exec's exit status.
 * Subshells keep one part's `exit` or variables from reaching the next.
 */
export function containerScanScript(
  boundaries: ContainerScanBoundaries,
  engine: EngineAccess,
  container: Pick<InspectedContainer, 'id' | 'workingDir' | 'configArg'>,
  rules: readonly IocRule[],
): string {
  if (!/^[0-9a-f]{64}$/.test(container.id)) throw new Error('container id must be 64 hex characters');
  const python = pythonScanScript({ boundary: boundaries.python, root: '', container: true, workdir: container.workingDir });
  const iocs = iocScanScript({ boundary: boundaries.iocs, root: '', rules });
  const artifacts = containerArtifactScriptFor(container, boundaries.artifacts, '');
  const delimiter = `BLAST_RADIUS_${boundaries.outer}_EOF`;
  return `B=${shellQuote(boundaries.outer)}
${SHELL_EMIT}
emit_open exec
${engineCommand(engine)} exec -i ${shellQuote(container.id)} sh -s <<'${delimiter}'
(
${python}
)
printf '\\n%s %s\\n' ${shellQuote(boundaries.outer)} iocs
(
${iocs}
)
printf '\\n%s %s\\n' ${shellQuote(boundaries.outer)} artifacts
(
${artifacts}
)
${delimiter}
emit rc "$?"
`;
}

/** One part of the combined exec: how its output is judged, and how the host reads it instead. */
interface Part<C> {
  judge: (output: string, exec: ExecOutcome) => { collection: C } | { problem: string };
  fromHost: (problem: string) => Promise<C>;
}

/** What the combined exec gave each part: its output, or why it gave nothing. */
type ExecGave = { body: (tag: string) => string; exec: ExecOutcome } | { problem: string };

/** A part's collection from its exec output when that read everything, else from the host. */
async function settle<C>(part: Part<C>, tag: string, gave: ExecGave): Promise<C> {
  if ('problem' in gave) return part.fromHost(gave.problem);
  const judged = part.judge(gave.body(tag), gave.exec);
  return 'collection' in judged ? judged.collection : part.fromHost(judged.problem);
}

/**
 * Scans one running container for Python environments, IOCs and its configs and `.env` files in
 * one exec, falling back to its MergedDir for each part exec could not read. Never throws for a
 * container that cannot be read (only when cancelled): it notes it.
 */
export async function scanContainer(
  runner: CommandRunner,
  engine: EngineAccess,
  container: InspectedContainer,
  rules: readonly IocRule[],
  signal?: AbortSignal,
): Promise<ContainerScan> {
  const boundaries = { outer: newBoundary(), python: newBoundary(), iocs: newBoundary(), artifacts: newBoundary() };
  let gave: ExecGave;
  try {
    const result = await runner.runScript(containerScanScript(boundaries, engine, container, rules), {
      timeoutMs: PYTHON_SCAN_LIMITS.timeoutMs + IOC_SCAN_LIMITS.timeoutMs + CONTAINER_ARTIFACT_LIMITS.timeoutMs,
      maxOutputBytes: PYTHON_SCAN_LIMITS.maxOutputBytes + IOC_SCAN_LIMITS.maxOutputBytes + CONTAINER_ARTIFACT_LIMITS.maxOutputBytes,
      signal,
    });
    const records = splitRecords(decodeOutput(result.stdout), boundaries.outer);
    const body = (tag: string): string | null => records.find((record) => record.tag === tag)?.body ?? null;
    gave = { body: (tag) => body(tag) ?? '', exec: { result, rc: body('rc')?.trim() ?? null } };
  } catch (error) {
    if (signal?.aborted) throw error;
    gave = { problem: `${engine.engine} exec failed (${(error as Error).message})` };
  }
  // Fallbacks run one after another, in the parts' order, as the notes are.
  const python = await settle(
    {
      judge: (output, exec) => judgeContainerPythonExec(output, boundaries.python, exec, engine, container),
      fromHost: (problem) => readContainerPythonFromHost(runner, container, problem, signal),
    },
    'exec',
    gave,
  );
  const iocs = await settle(
    {
      judge: (output, exec) => judgeContainerIocsExec(output, boundaries.iocs, exec, engine, container),
      fromHost: (problem) => searchContainerFromHost(runner, container, rules, problem, signal),
    },
    'iocs',
    gave,
  );
  const artifacts = await settle(
    {
      judge: (output, exec) => judgeContainerArtifactsExec(output, boundaries.artifacts, exec, engine, container),
      fromHost: (problem) => readContainerArtifactsFromHost(runner, container, problem, signal),
    },
    'artifacts',
    gave,
  );
  return { python, iocs, artifacts };
}
