/**
 * One round trip per running container: every collector that can read inside a container (the
 * Python scan, the IOC search, the artifact read of LiteLLM configs and `.env` files) exports a
 * ContainerScanPart, and the parts go through a single `docker exec -i ID sh -s`, each in its own
 * subshell and framed with its own boundary, so each parser reads exactly what it read when each
 * had its own exec. On a 2-core host scanning twenty containers, the exec itself (SSH channel,
 * engine client, the container's shell) cost as much as the IOC search it carried. Whatever exec
 * could not read, for any part, is then read from the container's MergedDir on the host, part by
 * part, as before.
 */
import type { IocRule } from '../../shared/domain/iocs/rules.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
import { artifactContainerPart } from './artifact-collector.js';
import type { ContainerScanPart, ExecOutcome } from './container-read.js';
import { engineCommand, type EngineAccess } from './docker-collector.js';
import type { InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, SHELL_EMIT, splitRecords } from './framing.js';
import { iocContainerPart } from './ioc-collector.js';
import { pythonContainerPart } from './python-collector.js';

/** The parts of a container's scan, in the order they run and their fallbacks (and notes) follow. */
export function containerScanParts(rules: readonly IocRule[]) {
  return [pythonContainerPart, iocContainerPart(rules), artifactContainerPart] as const;
}

/** Any part, whatever its collection. */
type AnyPart = ContainerScanPart<string, unknown>;

type Parts = ReturnType<typeof containerScanParts>;

/** A container's collection from every part, by part name (`python`, `iocs`, `artifacts`). */
export type ContainerScan = { [P in Parts[number] as P['name']]: P extends ContainerScanPart<string, infer C> ? C : never };

/** Boundaries of one combined scan: the wrapper's, and each part's (in the parts' order). */
export interface ContainerScanBoundaries {
  outer: string;
  parts: readonly string[];
}

/**
 * The combined script run on the host: each part's records follow a record tagged with its name
 * (the first one opened on the host, before exec, so an exec that fails outright leaves it
 * empty), and `rc` carries docker exec's exit status. Subshells keep one part's `exit` or
 * variables from reaching the next.
 */
export function containerScanScript(
  parts: readonly AnyPart[],
  boundaries: ContainerScanBoundaries,
  engine: EngineAccess,
  container: InspectedContainer,
): string {
  if (!/^[0-9a-f]{64}$/.test(container.id)) throw new Error('container id must be 64 hex characters');
  const delimiter = `BLAST_RADIUS_${boundaries.outer}_EOF`;
  const sections = parts.map((part, index) => {
    const opener = index === 0 ? '' : `printf '\\n%s %s\\n' ${shellQuote(boundaries.outer)} ${part.name}\n`;
    return `${opener}(\n${part.script(container, boundaries.parts[index]!, '')}\n)`;
  });
  return `B=${shellQuote(boundaries.outer)}
${SHELL_EMIT}
emit_open ${parts[0]!.name}
${engineCommand(engine)} exec -i ${shellQuote(container.id)} sh -s <<'${delimiter}'
${sections.join('\n')}
${delimiter}
emit rc "$?"
`;
}

/** What the combined exec gave each part: its output, or why it gave nothing. */
type ExecGave = { body: (tag: string) => string; exec: ExecOutcome } | { problem: string };

/** A part's collection from its exec output when that read everything, else from the host. */
async function settle(
  part: AnyPart,
  boundary: string,
  gave: ExecGave,
  runner: CommandRunner,
  engine: EngineAccess,
  container: InspectedContainer,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  if ('problem' in gave) return part.fromHost(runner, container, gave.problem, signal);
  const judged = part.judge(gave.body(part.name), boundary, gave.exec, engine, container);
  return 'collection' in judged ? judged.collection : part.fromHost(runner, container, judged.problem, signal);
}

/**
 * Scans one running container with every part (Python environments, IOCs, its configs and `.env`
 * files) in one exec, falling back to its MergedDir for each part exec could not read. Never
 * throws for a container that cannot be read (only when cancelled): it notes it.
 */
export async function scanContainer(
  runner: CommandRunner,
  engine: EngineAccess,
  container: InspectedContainer,
  rules: readonly IocRule[],
  signal?: AbortSignal,
): Promise<ContainerScan> {
  const parts: readonly AnyPart[] = containerScanParts(rules);
  const boundaries = { outer: newBoundary(), parts: parts.map(() => newBoundary()) };
  let gave: ExecGave;
  try {
    const result = await runner.runScript(containerScanScript(parts, boundaries, engine, container), {
      timeoutMs: parts.reduce((sum, part) => sum + part.limits.timeoutMs, 0),
      maxOutputBytes: parts.reduce((sum, part) => sum + part.limits.maxOutputBytes, 0),
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
  const scan: Record<string, unknown> = {};
  for (const [index, part] of parts.entries()) {
    scan[part.name] = await settle(part, boundaries.parts[index]!, gave, runner, engine, container, signal);
  }
  return scan as ContainerScan;
}

/** The scan of a container that could not be scanned at all: one blind spot per part, naming `label` and `message`. */
export function unscannedContainer(label: string, message: string): ContainerScan {
  // A failure reads the same whatever rules the IOC part would have searched for.
  const parts: readonly AnyPart[] = containerScanParts([]);
  return Object.fromEntries(parts.map((part) => [part.name, part.unscanned(label, message)])) as ContainerScan;
}
