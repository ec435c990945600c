/**
 * One round trip per running container: the Python scan and the IOC search go through a single
 * `docker exec -i ID sh -s`, each in its own subshell and framed with its own boundary, so the
 * two parsers read exactly what they read when each had its own exec. On a 2-core host scanning
 * twenty containers, the exec itself (SSH channel, engine client, the container's shell) cost as
 * much as the IOC search it carried. Whatever exec could not read, for either part, is then read
 * from the container's MergedDir on the host, part by part, as before.
 */
import type { IocRule } from '../../shared/iocs/rules.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
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
} from './python-collector.js';

/** A container's Python collection and IOC search. */
export interface ContainerScan {
  python: ContainerPythonCollection;
  iocs: IocCollection & { via: IocReadPath };
}

/** Boundaries of one combined scan: the wrapper's, the Python scan's and the IOC search's. */
export interface ContainerScanBoundaries {
  outer: string;
  python: string;
  iocs: string;
}

/**
 * The combined script run on the host: `exec` is followed by the Python scan's records, `iocs` by
 * the IOC search's, `rc` by docker exec's exit status. Subshells keep one part's `exit` or
 * variables from reaching the other.
 */
export function containerScanScript(
  boundaries: ContainerScanBoundaries,
  engine: EngineAccess,
  container: Pick<InspectedContainer, 'id' | 'workingDir'>,
  rules: readonly IocRule[],
): string {
  if (!/^[0-9a-f]{64}$/.test(container.id)) throw new Error('container id must be 64 hex characters');
  const python = pythonScanScript({ boundary: boundaries.python, root: '', container: true, workdir: container.workingDir });
  const iocs = iocScanScript({ boundary: boundaries.iocs, root: '', rules });
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
${delimiter}
emit rc "$?"
`;
}

/**
 * Scans one running container for Python environments and IOCs in one exec, falling back to its
 * MergedDir for the part exec could not read. Never throws for a container that cannot be read
 * (only when cancelled): it notes it.
 */
export async function scanContainer(
  runner: CommandRunner,
  engine: EngineAccess,
  container: InspectedContainer,
  rules: readonly IocRule[],
  signal?: AbortSignal,
): Promise<ContainerScan> {
  const boundaries = { outer: newBoundary(), python: newBoundary(), iocs: newBoundary() };
  let pythonProblem: string;
  let iocProblem: string;
  let python: ContainerPythonCollection | null = null;
  let iocs: (IocCollection & { via: IocReadPath }) | null = null;
  try {
    const result = await runner.runScript(containerScanScript(boundaries, engine, container, rules), {
      timeoutMs: PYTHON_SCAN_LIMITS.timeoutMs + IOC_SCAN_LIMITS.timeoutMs,
      maxOutputBytes: PYTHON_SCAN_LIMITS.maxOutputBytes + IOC_SCAN_LIMITS.maxOutputBytes,
      signal,
    });
    const records = splitRecords(decodeOutput(result.stdout), boundaries.outer);
    const body = (tag: string): string | null => records.find((record) => record.tag === tag)?.body ?? null;
    const rc = body('rc')?.trim() ?? null;
    const exec = { result, rc };
    const judgedPython = judgeContainerPythonExec(body('exec') ?? '', boundaries.python, exec, engine, container);
    if ('collection' in judgedPython) python = judgedPython.collection;
    else pythonProblem = judgedPython.problem;
    const judgedIocs = judgeContainerIocsExec(body('iocs') ?? '', boundaries.iocs, exec, engine, container);
    if ('collection' in judgedIocs) iocs = judgedIocs.collection;
    else iocProblem = judgedIocs.problem;
  } catch (error) {
    if (signal?.aborted) throw error;
    pythonProblem = iocProblem = `${engine.engine} exec failed (${(error as Error).message})`;
  }
  python ??= await readContainerPythonFromHost(runner, container, pythonProblem!, signal);
  iocs ??= await searchContainerFromHost(runner, container, rules, iocProblem!, signal);
  return { python, iocs };
}
