/**
 * Every container of a host read from the host in one script, without entering any of them:
 * a running container through its first process's root (`/proc/PID/root`, which Docker, Podman,
 * containerd and LXC all give), a stopped one through its overlay layers (UpperDir, then each
 * LowerDir), never started. The script runs as root when the login is root, through `sudo -n`
 * when that needs no password, and otherwise reads nothing (`access none`): exec stays the way in.
 * Each container part (Python, IOCs, configs) runs with ROOT set to the folder, so the same
 * parsers read its output as read exec's; a container the script could not read (no readable
 * root, a part cut short) is left to exec by the caller.
 */
import { shellQuote, type CommandRunner, type RunResult } from '../exec/command-runner.js';
import { isSafeLayerPath, layerMask, type LayerMask } from './container-layers.js';
import type { ContainerScanPart, ContainerVia } from './container-read.js';
import type { EngineAccess } from './docker-collector.js';
import type { InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, SHELL_EMIT, splitRecords } from './framing.js';

/** Whiteouts listed per layer at most (each hides a deleted path): beyond it, the layer's list is cut and a note says so. */
export const MAX_WHITEOUTS_PER_LAYER = 4096;
/** Bytes of whiteout paths listed per layer at most. */
const MAX_WHITEOUT_BYTES = 512 * 1024;
/** The host-side script's output, whatever the number of containers. */
export const MAX_HOST_READ_BYTES = 256 * 1024 * 1024;
/** The host-side script's time, whatever the number of containers. */
const MAX_HOST_READ_MS = 30 * 60_000;

/** What the parts are told of an engine when a guest (no engine at all) is read. */
const NO_ENGINE: EngineAccess = { engine: 'docker', access: 'direct' };

/** Any part, whatever its collection. */
type AnyPart = ContainerScanPart<string, { via: ContainerVia | null }>;

/** Where one container is read from on the host: one folder (its process's root, a system container's root folder) or its layers, top first. */
export interface HostReadTarget {
  container: InspectedContainer;
  via: 'proc-root' | 'layers' | 'guest-root';
  roots: string[];
}

/**
 * A system container's root folder (a Proxmox CT's mounted rootfs or storage folder, an LXC or
 * Incus rootfs) as a target; null when the path is not one a script may name.
 */
export function guestReadTarget(container: InspectedContainer, root: string): HostReadTarget | null {
  return isSafeLayerPath(root) ? { container, via: 'guest-root', roots: [root] } : null;
}

/**
 * What can be read from the host, and how: running containers with a pid through
 * `/proc/PID/root`, stopped ones whose engine names readable overlay layers through those.
 * Others (no pid, an unknown graph driver, a hostile layer path) are left out: the caller
 * says why or uses exec.
 */
export function hostReadTargets(containers: readonly InspectedContainer[]): HostReadTarget[] {
  const targets: HostReadTarget[] = [];
  for (const container of containers) {
    if (!/^[0-9a-f]{64}$/.test(container.id)) continue;
    if (container.running) {
      if (typeof container.pid === 'number' && Number.isSafeInteger(container.pid) && container.pid > 1) targets.push({ container, via: 'proc-root', roots: [`/proc/${container.pid}/root`] });
      continue;
    }
    const layers = container.layers;
    if (layers && 'dirs' in layers && layers.dirs.length > 0 && layers.dirs.every(isSafeLayerPath)) targets.push({ container, via: 'layers', roots: [...layers.dirs] });
  }
  return targets;
}

/** Boundaries of one host-side read: the wrapper's, and each part's (in the parts' order). */
export interface HostReadBoundaries {
  outer: string;
  parts: readonly string[];
}

/**
 * The one script: the privilege check (root, else `sudo -n`, else nothing), then for each
 * target and each of its roots a `root` record (`ok` or `missing`), for layers the whiteouts
 * (character devices, NUL-separated, bounded), and each part's output in its own subshell.
 * Every path in it was checked (hostReadTargets) and is single-quoted; the ids are 64 hex digits.
 */
export function hostReadScript(parts: readonly AnyPart[], targets: readonly HostReadTarget[], boundaries: HostReadBoundaries): string {
  const delimiter = `BLAST_RADIUS_${boundaries.outer}_EOF`;
  const sections: string[] = [];
  for (const [index, target] of targets.entries()) {
    for (const [layer, root] of target.roots.entries()) {
      if (!(target.via === 'proc-root' ? /^\/proc\/[0-9]+\/root$/.test(root) : isSafeLayerPath(root))) throw new Error('unsafe root for a host-side read');
      const tag = `c${index}.l${layer}`;
      // /proc/PID/root of a pid reused by a host process is the host's own root: refused. A pid
      // the engine counts in another pid namespace (the login in a container of its own) could be
      // another container's: when the process's cgroup names a container id, it must be this one's.
      const cgroup = target.via === 'proc-root' ? target.roots[0]!.replace(/\/root$/, '/cgroup') : '';
      // A guest's root folder that is the host's own root (a symlink, a bind) would read the host as the guest: refused.
      const guard =
        target.via === 'proc-root'
          ? ` && ! [ "$R/" -ef / ] && { grep -q ${shellQuote(target.container.id)} ${cgroup} 2>/dev/null || ! grep -Eq '[0-9a-f]{64}' ${cgroup} 2>/dev/null; }`
          : target.via === 'guest-root'
            ? ` && ! [ "$R/" -ef / ]`
            : '';
      const whiteouts =
        target.via === 'layers'
          ? `emit_open ${tag}.whiteouts\nfind "$R" -xdev -type c -print0 2>/dev/null | head -c ${MAX_WHITEOUT_BYTES}\n`
          : '';
      const runs = parts.map((part, partIndex) => `emit_open ${tag}.${part.name}\n(\n${part.script(target.container, boundaries.parts[partIndex]!, root)}\n)`).join('\n');
      sections.push(`R=${shellQuote(root)}
if [ -d "$R/" ] && [ -r "$R/" ] && [ -x "$R/" ]${guard}; then
emit ${tag}.root ok
${whiteouts}${runs}
else
emit ${tag}.root missing
fi`);
    }
  }
  return `B=${shellQuote(boundaries.outer)}
${SHELL_EMIT}
if [ "$(id -u 2>/dev/null)" = 0 ]; then
  emit access root
  RUN=
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  emit access sudo
  RUN='sudo -n'
else
  emit access none
  exit 0
fi
$RUN sh -s <<'${delimiter}'
B=${shellQuote(boundaries.outer)}
${SHELL_EMIT}
${sections.join('\n')}
emit done ok
${delimiter}
emit rc "$?"
`;
}

/** One root's share of the output: whether it could be read, its whiteouts, each part's body. */
export interface HostReadSection {
  root: 'ok' | 'missing';
  whiteouts: string[];
  /** The whiteout list passed its bound (the layer's deletions are only partly known). */
  whiteoutsCut: boolean;
  bodies: Record<string, string>;
}

/** The parsed output: how the script ran (`none`: no root and no `sudo -n`), and each target's sections by root. */
export interface HostReadOutput {
  access: 'root' | 'sudo' | 'none' | null;
  /** The script reached its end (a cut-off output or a killed shell leaves this false). */
  completed: boolean;
  sections: (HostReadSection | null)[][];
}

/** Splits the script's output by target and root; pure, for fixtures. `rootsOf` gives each target's root count and folders. */
export function parseHostRead(output: string, boundary: string, targets: readonly Pick<HostReadTarget, 'roots'>[], partNames: readonly string[]): HostReadOutput {
  const records = splitRecords(output, boundary);
  const access = records.find((record) => record.tag === 'access')?.body.trim();
  const parsed: HostReadOutput = {
    access: access === 'root' || access === 'sudo' || access === 'none' ? access : null,
    completed: records.some((record) => record.tag === 'done'),
    sections: targets.map((target) => target.roots.map(() => null)),
  };
  const byTag = new Map<string, string>();
  for (const record of records) if (!byTag.has(record.tag)) byTag.set(record.tag, record.body);
  for (const [index, target] of targets.entries()) {
    for (const [layer, root] of target.roots.entries()) {
      const tag = `c${index}.l${layer}`;
      const status = byTag.get(`${tag}.root`)?.trim();
      if (status !== 'ok' && status !== 'missing') continue;
      const listed = byTag.get(`${tag}.whiteouts`) ?? '';
      const pieces = listed.split('\0');
      // The last piece is unterminated: a path cut by the byte bound (or the empty tail).
      const whole = pieces.slice(0, -1);
      const whiteoutsCut = pieces[pieces.length - 1] !== '' || whole.length > MAX_WHITEOUTS_PER_LAYER;
      const whiteouts = whole
        .slice(0, MAX_WHITEOUTS_PER_LAYER)
        .filter((path) => path.startsWith(`${root}/`))
        .map((path) => path.slice(root.length));
      const bodies: Record<string, string> = {};
      for (const name of partNames) {
        const body = byTag.get(`${tag}.${name}`);
        if (body !== undefined) bodies[name] = body;
      }
      parsed.sections[index]![layer] = { root: status, whiteouts, whiteoutsCut, bodies };
    }
  }
  return parsed;
}

/** A container read from the host: each part's collection by name, how, and any remark to add. */
export interface HostRead {
  scan: Record<string, unknown>;
  via: HostReadTarget['via'];
  /** Set when a layer's whiteout list was cut: deleted files may still be reported. */
  whiteoutsCut: boolean;
  /** What each root deletes of the roots below it (one empty mask for `/proc/PID/root`), for reads that follow. */
  masks: LayerMask[];
}

/** What the host-side read gave each target: its scan, or why it must be read some other way. */
export type HostReadResult = { target: HostReadTarget; read: HostRead } | { target: HostReadTarget; problem: string };

/**
 * Runs the one script for `targets` and judges each: a container whose every root was readable
 * and every part complete is read; any other is a problem the caller answers with exec (running)
 * or a note (stopped). Throws only for cancellation or a failed channel.
 */
export async function readContainersOnHost(
  runner: CommandRunner,
  engine: EngineAccess | null,
  targets: readonly HostReadTarget[],
  parts: readonly AnyPart[],
  signal?: AbortSignal,
): Promise<{ access: HostReadOutput['access']; results: HostReadResult[] }> {
  if (targets.length === 0) return { access: null, results: [] };
  const boundaries = { outer: newBoundary(), parts: parts.map(() => newBoundary()) };
  const roots = targets.reduce((sum, target) => sum + target.roots.length, 0);
  const perRootBytes = parts.reduce((sum, part) => sum + part.limits.maxOutputBytes, 0);
  const perRootMs = parts.reduce((sum, part) => sum + part.limits.timeoutMs, 0);
  const result = await runner.runScript(hostReadScript(parts, targets, boundaries), {
    timeoutMs: Math.min(MAX_HOST_READ_MS, perRootMs + 30_000 * roots),
    maxOutputBytes: Math.min(MAX_HOST_READ_BYTES, perRootBytes * roots),
    signal,
  });
  const parsed = parseHostRead(decodeOutput(result.stdout), boundaries.outer, targets, parts.map((part) => part.name));
  if (parsed.access !== 'root' && parsed.access !== 'sudo') {
    const why = parsed.access === 'none' ? 'the login is not root and `sudo -n` is not allowed' : 'the host-side read did not start';
    return { access: parsed.access, results: targets.map((target) => ({ target, problem: why })) };
  }
  return { access: parsed.access, results: targets.map((target, index) => judgeTarget(target, parsed.sections[index]!, parts, boundaries, result, engine)) };
}

function judgeTarget(
  target: HostReadTarget,
  sections: readonly (HostReadSection | null)[],
  parts: readonly AnyPart[],
  boundaries: HostReadBoundaries,
  result: RunResult,
  engine: EngineAccess | null,
): HostReadResult {
  const what = target.via === 'layers' ? 'its layers' : target.roots[0]!;
  if (sections.some((section) => section === null)) return { target, problem: `reading ${what} from the host ended early${result.truncated ? ' (output passed its size limit)' : ''}` };
  const missing = sections.findIndex((section) => section!.root === 'missing');
  if (missing !== -1) return { target, problem: target.via === 'layers' ? `its layer ${target.roots[missing]} is not readable on the host` : `${what} is not readable on the host` };
  const perPart: unknown[][] = parts.map(() => []);
  for (const section of sections) {
    for (const [index, part] of parts.entries()) {
      const body = section!.bodies[part.name];
      // The part ran on the host: its exit status is the script's own, and its problems are this read's.
      // A part words an engine only for an exec that failed, which a host-side read never has: guests have no engine.
      const judged = body === undefined ? null : part.judge(body, boundaries.parts[index]!, { result, rc: '0' }, engine ?? NO_ENGINE, target.container);
      if (!judged || !('collection' in judged)) return { target, problem: `reading ${what} from the host: the ${part.name} part did not complete` };
      judged.collection.via = target.via;
      perPart[index]!.push(judged.collection);
    }
  }
  const masks: LayerMask[] = sections.map((section) => layerMask(section!.whiteouts));
  const scan: Record<string, unknown> = {};
  for (const [index, part] of parts.entries()) {
    const collections = perPart[index] as { via: ContainerVia | null }[];
    scan[part.name] = target.via === 'layers' ? part.mergeLayers(collections, masks) : collections[0];
  }
  return { target, read: { scan, via: target.via, whiteoutsCut: sections.some((section) => section!.whiteoutsCut), masks } };
}
