/**
 * Container collector: lists every container (running or not) with `docker ps -aq --no-trunc`,
 * reads them with `docker inspect`, then in one more script their images (`docker image inspect`:
 * RepoDigests, build time), each image's `docker history` (build-time installs) and the compose
 * files their labels name (`head -c`).
 * Falls back to `sudo -n docker` when the socket refuses this user, and to Podman when there is
 * no docker. Anything it cannot read becomes a note; it never fails the host.
 */
import type { Container } from '../../shared/model/index.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
import { composeLabels, composeService, isSafePath, MAX_COMPOSE_BYTES } from '../readers/compose-parser.js';
import {
  engineSocketsOf,
  markEngineSocketMounts,
  normaliseImageId,
  parseContainerIds,
  parseContainerInspect,
  parseImageDetails,
  pickImageDigest,
  type EngineSettings,
  type ImageDetails,
  type InspectedContainer,
} from './docker-parser.js';
import { buildInstallSteps, parseImageHistory } from './history-parser.js';
import { decodeOutput, newBoundary, SHELL_EMIT, splitRecords, type FramedRecord } from './framing.js';
import { blindSpot, firstLine, remark, type CollectorIssue } from './notes.js';

/** The container engine found on the host. */
export type Engine = 'docker' | 'podman';

/** An engine and how it is reached: directly, or through `sudo -n` when its socket refuses this user. */
export interface EngineAccess {
  engine: Engine;
  access: 'direct' | 'sudo';
}

/** Most containers inspected per host; beyond this a note says how many were left out. */
export const MAX_CONTAINERS = 300;

/** What the container collector learned. */
export interface ContainerCollection {
  /** The engine that answered, or null when none is installed or none could be used. */
  engine: EngineAccess | null;
  containers: InspectedContainer[];
  issues: CollectorIssue[];
  /**
   * The compose files read whole as regular files, by path, for the key search to use instead of
   * reading them again. May hold secrets: main process only; empty it once used.
   */
  composeTexts?: ComposeTexts;
}

/** A compose file's text as the container collector read it (at most MAX_COMPOSE_BYTES). */
export interface ComposeText {
  text: string;
  /** True when the file was longer than what was read. */
  truncated: boolean;
}

/** Compose files read by the container collector, by the path their labels name. */
export type ComposeTexts = Map<string, ComposeText>;

/** The command words for an engine: a fixed string from this allowlist, never a remote value. */
export function engineCommand(engine: EngineAccess): string {
  const base = engine.engine === 'podman' ? 'podman' : 'docker';
  return engine.access === 'sudo' ? `sudo -n ${base}` : base;
}

/**
 * Lists container ids. Without `engine` it first finds one: docker, else podman
 * (`command -v`, which runs neither).
 */
export function containerListScript(boundary: string, engine: EngineAccess | null): string {
  const choose = engine
    ? `E=${engine.engine}\nemit engine "$E"`
    : `if command -v docker >/dev/null 2>&1; then E=docker
elif command -v podman >/dev/null 2>&1; then E=podman
else
  emit engine none
  emit end ""
  exit 0
fi
emit engine "$E"`;
  const prefix = engine?.access === 'sudo' ? 'sudo -n ' : '';
  return `B=${shellQuote(boundary)}
${SHELL_EMIT}
${choose}
emit_open ps
${prefix}"$E" ps -aq --no-trunc
emit rc "$?"
${ENGINE_SETTINGS_SCRIPT}
emit end ""
`;
}

/**
 * Where the engine listens, so that a bind mount of its socket is recognised at any path: the
 * session's DOCKER_HOST / CONTAINER_HOST, docker's contexts (their meta.json files, read with head:
 * no engine command), and the command lines of running dockerd and podman processes (read from /proc with the \`read\` builtin: no process per pid).
 */
const ENGINE_SETTINGS_SCRIPT = `emit client-host "\${DOCKER_HOST:-\${CONTAINER_HOST:-}}"
emit_open context
for m in "\${DOCKER_CONFIG:-$HOME/.docker}"/contexts/meta/*/meta.json; do [ -f "$m" ] && head -c 4096 "$m" && echo; done 2>/dev/null | head -c 65536
emit_open daemons
for f in /proc/[0-9]*/comm; do
  read -r c < "$f" 2>/dev/null || continue
  case $c in dockerd|podman) tr '\\000' ' ' < "\${f%/comm}/cmdline" 2>/dev/null | head -c 4096; echo ;; esac
done`;

/** Runs `inspect` on validated container ids. */
export function containerInspectScript(boundary: string, engine: EngineAccess, ids: readonly string[]): string {
  for (const id of ids) if (!/^[0-9a-f]{64}$/.test(id)) throw new Error('container ids must be 64 hex characters');
  return `B=${shellQuote(boundary)}
${SHELL_EMIT}
emit_open inspect
${engineCommand(engine)} inspect ${ids.map(shellQuote).join(' ')}
emit rc "$?"
emit end ""
`;
}

/** Runs `image inspect` on validated image ids (`sha256:<hex>` for docker, bare hex for podman, as each prints them). */
export function imageInspectScript(boundary: string, engine: EngineAccess, imageIds: readonly string[]): string {
  for (const id of imageIds) if (!/^(?:sha256:)?[0-9a-f]{64}$/.test(id)) throw new Error('image ids must be sha256 hex');
  return `B=${shellQuote(boundary)}
${SHELL_EMIT}
emit_open image-inspect
${engineCommand(engine)} image inspect ${imageIds.map(shellQuote).join(' ')}
emit rc "$?"
emit end ""
`;
}

/** Most compose files read per host. */
export const MAX_COMPOSE_FILES = 50;

/**
 * One script for what the containers' images and compose labels point at: `image inspect` of every
 * image, `history` of each (Docker: one JSON object a line; Podman: a JSON array), and the first
 * MAX_COMPOSE_BYTES of each compose file. Image ids and paths are validated before they are quoted in.
 */
export function imageDetailsScript(boundary: string, engine: EngineAccess, imageIds: readonly string[], composeFiles: readonly string[] = []): string {
  for (const id of imageIds) if (!/^(?:sha256:)?[0-9a-f]{64}$/.test(id)) throw new Error('image ids must be sha256 hex');
  for (const file of composeFiles) if (!isSafePath(file)) throw new Error('compose files must be absolute paths without control characters');
  const command = engineCommand(engine);
  // Podman's --format json prints raw values; Docker's needs --no-trunc or CreatedBy is cut at 45 characters.
  const history = engine.engine === 'podman' ? `${command} history --format json` : `${command} history --no-trunc --format '{{json .}}'`;
  const lines = [`B=${shellQuote(boundary)}`, SHELL_EMIT];
  if (imageIds.length > 0) {
    lines.push('emit_open image-inspect', `${command} image inspect ${imageIds.map(shellQuote).join(' ')}`, 'emit rc "$?"');
  }
  imageIds.forEach((id, index) => lines.push(`emit_open history-${index}`, `${history} ${shellQuote(id)}`, `emit history-rc-${index} "$?"`));
  composeFiles.forEach((file, index) => {
    const quoted = shellQuote(file);
    lines.push(`emit_open compose-${index}`, `head -c ${MAX_COMPOSE_BYTES} ${quoted}`, `emit compose-rc-${index} "$?"`);
    // Its size up to one byte past the cap, for a regular file only: what the key search needs to take this read as its own.
    lines.push(`[ -f ${quoted} ] && emit compose-size-${index} "$(head -c ${MAX_COMPOSE_BYTES + 1} < ${quoted} 2>/dev/null | wc -c)"`);
  });
  lines.push('emit end ""', '');
  return lines.join('\n');
}

/** The report's view of an inspected container: the collector-only facts (MergedDir, pid…) left out. */
export function toReportContainer(container: Container): Container {
  const { id, name, image, imageDigest, running } = container;
  const report: Container = { id, name, image, imageDigest, running };
  const optional = [
    'pinnedByDigest', 'repoDigests', 'imageCreated', 'created', 'startedAt', 'restartPolicy', 'mounts', 'networks',
    'ports', 'labels', 'envNames', 'compose', 'autoUpdater', 'buildInstalls', 'readVia', 'guest',
  ] as const;
  for (const key of optional) if (container[key] !== undefined) (report as unknown as Record<string, unknown>)[key] = container[key];
  return report;
}

/** Reads every container on the host; never throws for engine trouble (only for cancellation). */
export async function collectContainers(runner: CommandRunner, signal?: AbortSignal): Promise<ContainerCollection> {
  const issues: CollectorIssue[] = [];
  const listed = await listContainers(runner, null, signal);
  if (listed.engine === null) {
    return {
      engine: null,
      containers: [],
      issues: [remark('docker', 'neither docker nor podman is installed; no containers to inspect')],
    };
  }

  let engine: EngineAccess = { engine: listed.engine, access: 'direct' };
  let list = listed;
  if (list.rc !== 0 && engine.engine === 'docker' && /permission denied/i.test(list.stderr)) {
    const socket = /unix:\/\/(\/[^\s:"]+)/.exec(list.stderr)?.[1] ?? 'the docker socket';
    const viaSudo = await listContainers(runner, { engine: 'docker', access: 'sudo' }, signal);
    if (viaSudo.rc !== 0) {
      const why = firstLine(viaSudo.stderr);
      issues.push(blindSpot('docker', `permission denied on ${socket}; sudo -n not allowed${why ? ` (${why})` : ''}`));
      return { engine: null, containers: [], issues };
    }
    engine = { engine: 'docker', access: 'sudo' };
    list = viaSudo;
    issues.push(remark('docker', `permission denied on ${socket}; read through sudo -n docker`));
  } else if (list.rc !== 0) {
    issues.push(blindSpot(engine.engine, `${engine.engine} ps failed (exit ${list.rc ?? 'unknown'}): ${firstLine(list.stderr) || 'no message'}`));
    return { engine: null, containers: [], issues };
  }

  const { ids, rejected } = parseContainerIds(list.ps);
  if (rejected > 0) issues.push(remark(engine.engine, `${rejected} lines of ${engine.engine} ps output were not container ids and were ignored`));
  if (ids.length > MAX_CONTAINERS) {
    issues.push(blindSpot(engine.engine, `${ids.length} containers; only the first ${MAX_CONTAINERS} were inspected`));
  }
  const chosen = ids.slice(0, MAX_CONTAINERS);
  if (chosen.length === 0) return { engine, containers: [], issues };

  const containers = await inspectContainers(runner, engine, chosen, issues, signal);
  // The engine's own socket at whatever path its settings name (rootless, Podman, a custom --host).
  markEngineSocketMounts(containers, engineSocketsOf(list.settings));
  const composeTexts = await addImageDetails(runner, engine, containers, issues, signal);
  return { engine, containers, issues, composeTexts };
}

interface ListOutcome {
  engine: Engine | null;
  ps: string;
  settings: EngineSettings;
  rc: number | null;
  stderr: string;
}

async function listContainers(runner: CommandRunner, engine: EngineAccess | null, signal?: AbortSignal): Promise<ListOutcome> {
  const boundary = newBoundary();
  const result = await runner.runScript(containerListScript(boundary, engine), {
    timeoutMs: 60_000,
    maxOutputBytes: 1024 * 1024,
    signal,
  });
  const records = splitRecords(decodeOutput(result.stdout), boundary);
  const found = valueOf(records, 'engine')?.trim();
  const rcText = valueOf(records, 'rc')?.trim();
  return {
    engine: found === 'docker' || found === 'podman' ? found : null,
    ps: valueOf(records, 'ps') ?? '',
    settings: { clientHost: valueOf(records, 'client-host') ?? '', context: valueOf(records, 'context') ?? '', daemons: valueOf(records, 'daemons') ?? '' },
    rc: rcText !== undefined && /^\d+$/.test(rcText) ? Number(rcText) : (result.exitCode ?? null),
    stderr: result.stderr,
  };
}

async function inspectContainers(
  runner: CommandRunner,
  engine: EngineAccess,
  ids: readonly string[],
  issues: CollectorIssue[],
  signal?: AbortSignal,
): Promise<InspectedContainer[]> {
  const boundary = newBoundary();
  const result = await runner.runScript(containerInspectScript(boundary, engine, ids), {
    timeoutMs: 120_000,
    maxOutputBytes: 32 * 1024 * 1024,
    signal,
  });
  const records = splitRecords(decodeOutput(result.stdout), boundary);
  if (result.truncated) {
    issues.push(blindSpot(engine.engine, `${engine.engine} inspect output passed its size limit; containers were not read`));
    return [];
  }
  const parsed = parseContainerInspect(valueOf(records, 'inspect') ?? '');
  for (const problem of parsed.problems) issues.push(blindSpot(engine.engine, `${engine.engine} inspect: ${problem}`));
  const missing = ids.length - parsed.containers.length;
  // A container removed between ps and inspect makes inspect exit 1 after printing the others.
  if (missing > 0 && parsed.problems.length === 0) {
    issues.push(remark(engine.engine, `${missing} containers disappeared between ps and inspect${stderrNote(result.stderr)}`));
  }
  return parsed.containers;
}

async function addImageDetails(
  runner: CommandRunner,
  engine: EngineAccess,
  containers: InspectedContainer[],
  issues: CollectorIssue[],
  signal?: AbortSignal,
): Promise<ComposeTexts> {
  const shared: ComposeTexts = new Map();
  const imageIds = [...new Set(containers.map((container) => container.imageId).filter((id): id is string => id !== null))];
  const composeOf = new Map(containers.map((container) => [container, composeLabels(container.labels)]));
  const allFiles = [...new Set([...composeOf.values()].flatMap((labels) => labels?.configFiles ?? []))];
  const composeFiles = allFiles.slice(0, MAX_COMPOSE_FILES);
  if (allFiles.length > composeFiles.length) issues.push(remark('compose', `${allFiles.length} compose files; only the first ${MAX_COMPOSE_FILES} were read`));
  let details = new Map<string, ImageDetails>();
  const histories = new Map<string, ReturnType<typeof buildInstallSteps>>();
  const files = new Map<string, string | null>();
  if (imageIds.length > 0 || composeFiles.length > 0) {
    // Each engine is given ids in the form its own inspect printed: docker `sha256:<hex>`, podman bare hex.
    const asPrinted = engine.engine === 'podman' ? imageIds.map((id) => id.slice('sha256:'.length)) : imageIds;
    const boundary = newBoundary();
    const result = await runner.runScript(imageDetailsScript(boundary, engine, asPrinted, composeFiles), {
      timeoutMs: 120_000,
      maxOutputBytes: 32 * 1024 * 1024,
      signal,
    });
    const records = splitRecords(decodeOutput(result.stdout), boundary);
    details = parseImageDetails(valueOf(records, 'image-inspect') ?? '');
    if (details.size < imageIds.length) {
      issues.push(
        remark(
          engine.engine,
          `${imageIds.length - details.size} images could not be inspected; their containers report the image id as digest${stderrNote(result.stderr)}`,
        ),
      );
    }
    let unread = 0;
    imageIds.forEach((id, index) => {
      const rc = valueOf(records, `history-rc-${index}`)?.trim();
      if (rc !== '0') {
        unread++;
        return;
      }
      histories.set(id, buildInstallSteps(parseImageHistory(valueOf(records, `history-${index}`) ?? '')));
    });
    // Without its history an image's build-time path is unknown, not clean: say so.
    if (unread > 0) issues.push(remark(engine.engine, `${engine.engine} history failed for ${unread} of ${imageIds.length} images; their build steps are unknown${stderrNote(result.stderr)}`));
    composeFiles.forEach((file, index) => {
      const rc = valueOf(records, `compose-rc-${index}`)?.trim();
      const text = rc === '0' ? (valueOf(records, `compose-${index}`) ?? '') : null;
      files.set(file, text);
      // busybox pads wc's count with spaces.
      const size = Number(valueOf(records, `compose-size-${index}`)?.trim() ?? 'NaN');
      // Only a whole read of a regular file is shared; output cut short may have cut this one too.
      if (text !== null && !result.truncated && Number.isInteger(size)) shared.set(file, { text, truncated: size > MAX_COMPOSE_BYTES });
    });
    if (result.truncated) issues.push(remark(engine.engine, 'image details passed their size limit; some histories or compose files were not read'));
  }
  for (const container of containers) {
    const image = container.imageId ? details.get(normaliseImageId(container.imageId) ?? '') : undefined;
    container.imageDigest = pickImageDigest(container, image?.repoDigests);
    if (image) {
      container.repoDigests = image.repoDigests;
      container.imageCreated = image.created;
    }
    const steps = container.imageId ? histories.get(container.imageId) : undefined;
    if (steps) container.buildInstalls = steps;
    const compose = composeOf.get(container);
    if (compose) container.compose = composeService(compose, files);
  }
  return shared;
}

function valueOf(records: readonly FramedRecord[], tag: string): string | undefined {
  return records.find((record) => record.tag === tag)?.body;
}

function stderrNote(stderr: string): string {
  const line = firstLine(stderr);
  return line ? ` (${line})` : '';
}
