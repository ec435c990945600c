/**
 * Parsers for what `docker ps -aq --no-trunc`, `docker inspect` and `docker image inspect` print
 * (Docker 28's JSON; Podman's look-alike is read by the same code). Pure: every value is data,
 * validated here before anything else may use it (ids before they reach a script, MergedDir
 * before it becomes a ROOT).
 */
import { isUpdaterSetting, sanitizeUpdaterArgs, updaterOf } from '../../shared/domain/containers/auto-updaters.js';
import { digestOf, isPinnedReference, repoDigestFor } from '../../shared/domain/containers/image-reference.js';
import type { Container, ContainerMount, ContainerNetwork, ContainerPort } from '../../shared/model/index.js';
import { describeParseError } from '../readers/secrets/redact-text.js';
import { readLayers, type ContainerLayers, type LayersRefusal } from './container-layers.js';

/** A container as inspected, with the facts later collectors need but the report does not carry yet. */
export interface InspectedContainer extends Container {
  /** The image's id, `sha256:…` (Podman's bare hex is given the prefix). */
  imageId: string | null;
  /** Podman's container-level manifest digest (`ImageDigest`); Docker has none. */
  engineImageDigest: string | null;
  /** The container's root filesystem as the host sees it (overlay `GraphDriver.Data.MergedDir`). */
  mergedDir: string | null;
  /** Its overlay layers, top first, for reading it from the host while stopped; or why they cannot be (absent when not inspected here). */
  layers?: ContainerLayers | LayersRefusal;
  /** State.Status as the engine spells it (`running`, `exited`, `created`…). */
  status: string | null;
  /** Host pid of the container's first process; 0 or null when it is not running. */
  pid: number | null;
  created: string | null;
  labels: Record<string, string>;
  /** Config.WorkingDir, the image's WORKDIR unless the container overrides it: where the process starts (a relative `--config`, an app's `.env`) and where an app's virtualenv often sits. */
  workingDir: string | null;
  /** The path after `--config` in the command the container runs (Path + Args): LiteLLM's proxy config. */
  configArg: string | null;
  /**
   * Config.Env as `[name, value]` pairs, values included, for the secret reader only. Set by
   * parseContainerInspect as a non-enumerable property, so JSON.stringify, spreads,
   * structuredClone and IPC never carry it; read it with environmentOf.
   */
  readonly envValues?: readonly (readonly [string, string])[];
}

/** What `image inspect` says about one image. */
export interface ImageDetails {
  repoDigests: string[];
  created: string | null;
}

/** The container ids `ps -aq --no-trunc` printed, and how many lines were not ids. */
export interface ParsedContainerIds {
  ids: string[];
  rejected: number;
}

/** Result of parsing an inspect array: the containers read and what could not be. */
export interface ParsedInspect {
  containers: InspectedContainer[];
  problems: string[];
}

const CONTAINER_ID = /^[0-9a-f]{64}$/;
const IMAGE_ID = /^(?:sha256:)?([0-9a-f]{64})$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** True for a full container id (64 lowercase hex), the only form ever passed to a script. */
export function isContainerId(value: string): boolean {
  return CONTAINER_ID.test(value);
}

/** Normalises an image id to `sha256:<hex>`, or null when it is not one. */
export function normaliseImageId(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = IMAGE_ID.exec(value);
  return match ? `sha256:${match[1]}` : null;
}

/** Reads `ps -aq --no-trunc` output: one full id per line; anything else is counted, never used. */
export function parseContainerIds(text: string): ParsedContainerIds {
  const ids: string[] = [];
  let rejected = 0;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (isContainerId(line)) {
      if (!ids.includes(line)) ids.push(line);
    } else rejected++;
  }
  return { ids, rejected };
}

/** Parses `docker inspect` / `podman inspect` output (a JSON array) into containers. */
export function parseContainerInspect(json: string): ParsedInspect {
  const problems: string[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    // V8's message quotes the characters around the fault, which may be part of a key in Config.Env.
    return { containers: [], problems: [`inspect output is not JSON (${describeParseError(error)})`] };
  }
  if (!Array.isArray(parsed)) return { containers: [], problems: ['inspect output is not a JSON array'] };

  const containers: InspectedContainer[] = [];
  for (const [index, entry] of parsed.entries()) {
    const container = readContainer(entry);
    if (container) containers.push(container);
    else problems.push(`inspect entry ${index} has no valid container id`);
  }
  return { containers, problems };
}

function readContainer(entry: unknown): InspectedContainer | null {
  if (!isObject(entry)) return null;
  const id = entry['Id'];
  if (typeof id !== 'string' || !isContainerId(id)) return null;

  const state = isObject(entry['State']) ? entry['State'] : {};
  const config = isObject(entry['Config']) ? entry['Config'] : {};
  const graphDriver = isObject(entry['GraphDriver']) ? entry['GraphDriver'] : {};
  const graphData = isObject(graphDriver['Data']) ? graphDriver['Data'] : {};
  const hostConfig = isObject(entry['HostConfig']) ? entry['HostConfig'] : {};
  const restartPolicy = isObject(hostConfig['RestartPolicy']) ? hostConfig['RestartPolicy'] : {};
  const rawName = typeof entry['Name'] === 'string' ? entry['Name'] : '';
  // Config.Image is the reference as deployed; Podman also has ImageName at the top level.
  const image = stringOr(config['Image']) ?? stringOr(entry['ImageName']) ?? '';
  const engineDigest = stringOr(entry['ImageDigest']);

  const container: InspectedContainer = {
    id,
    name: rawName.startsWith('/') ? rawName.slice(1) : rawName,
    image,
    imageDigest: null,
    running: state['Running'] === true,
    imageId: normaliseImageId(entry['Image']),
    engineImageDigest: engineDigest && DIGEST.test(engineDigest) ? engineDigest : null,
    mergedDir: safeHostPath(graphData['MergedDir']),
    layers: readLayers(graphDriver),
    status: stringOr(state['Status']),
    pid: typeof state['Pid'] === 'number' && Number.isInteger(state['Pid']) ? state['Pid'] : null,
    created: stringOr(entry['Created']),
    labels: readLabels(config['Labels']),
    workingDir: safeContainerPath(config['WorkingDir']),
    configArg: configArgOf(entry, config),
    pinnedByDigest: isPinnedReference(image),
    startedAt: neverIsNull(stringOr(state['StartedAt'])),
    restartPolicy: stringOr(restartPolicy['Name']),
    mounts: readMounts(entry['Mounts']),
    networks: readNetworks(entry['NetworkSettings']),
    ports: readPorts(entry['NetworkSettings']),
    // Values are dropped here, at the first place they are seen: only names go further.
    envNames: envNamesOf(config['Env']),
    ...updaterFields(image, config['Env'], entry['Args']),
  };
  Object.defineProperty(container, 'envValues', { value: envPairsOf(config['Env']), enumerable: false, writable: false, configurable: false });
  return container;
}

/** A container's environment with values (`docker inspect` Config.Env); empty when it was not inspected here. */
export function environmentOf(container: InspectedContainer): [string, string][] {
  return (container.envValues ?? []).map(([name, value]) => [name, value]);
}

/** `NAME=value` entries as pairs; an entry without `=` (unset) is left out. */
function envPairsOf(value: unknown): (readonly [string, string])[] {
  if (!Array.isArray(value)) return [];
  const pairs: (readonly [string, string])[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string') continue;
    const eq = entry.indexOf('=');
    if (eq > 0) pairs.push(Object.freeze([entry.slice(0, eq), entry.slice(eq + 1)] as const));
  }
  return Object.freeze(pairs) as (readonly [string, string])[];
}

/**
 * The value of `--config PATH` or `--config=PATH` in the command the container runs: the top-level
 * Path and Args (what the engine started), else Config.Entrypoint and Cmd.
 */
function configArgOf(entry: Record<string, unknown>, config: Record<string, unknown>): string | null {
  const ran = [...stringList([entry['Path']]), ...stringList(entry['Args'])];
  const words = ran.length > 0 ? ran : [...stringList(config['Entrypoint']), ...stringList(config['Cmd'])];
  for (const [index, word] of words.entries()) {
    if (word === '--config') return safeContainerPath(words[index + 1]);
    if (word.startsWith('--config=')) return safeContainerPath(word.slice('--config='.length));
  }
  return null;
}

/** A path inside a container fit to be quoted into a script: bounded, no control characters (relative allowed). */
function safeContainerPath(value: unknown): string | null {
  if (typeof value !== 'string' || value === '' || value.length > 4096) return null;
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(value) ? null : value;
}

/** Engine API sockets a container could drive the engine (and so the host) through. */
export const ENGINE_SOCKETS = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/run/podman/podman.sock',
  '/var/run/podman/podman.sock',
  '/run/containerd/containerd.sock',
];

/** Why a mount of `source` matters: the engine socket (or a folder holding it), the host root, or a home folder. */
export function mountRisk(source: string): ContainerMount['risk'] {
  const path = source.replace(/\/+$/, '') || '/';
  if (path === '/') return 'host-root';
  if (ENGINE_SOCKETS.includes(path) || /^\/run\/user\/\d+\/(?:docker|podman\/podman)\.sock$/.test(path)) return 'engine-socket';
  // A parent folder of a socket hands the socket over too.
  if (['/var/run', '/run', '/var', '/run/podman', '/var/run/podman'].includes(path) || /^\/run\/user\/\d+(?:\/podman)?$/.test(path)) return 'engine-socket';
  if (path === '/home' || path === '/root' || /^\/home\/[^/]+$/.test(path)) return 'home';
  return undefined;
}

/** What the host says about where its engine listens: the client's settings and the daemons' own command lines. */
export interface EngineSettings {
  /** `$DOCKER_HOST` (or `$CONTAINER_HOST`) of the session, as printed. */
  clientHost: string;
  /** The docker contexts' `meta.json` files (`{"Name":…,"Endpoints":{"docker":{"Host":"unix://…"}}}`), one a line. */
  context: string;
  /** Command lines of running dockerd / podman processes, one a line, arguments separated by spaces. */
  daemons: string;
}

/** Most socket paths taken from a host's engine settings (a hostile host could print thousands). */
const MAX_ENGINE_SOCKETS = 20;

/**
 * The unix sockets the engine listens on, from its settings: every `unix://PATH` in the client's
 * DOCKER_HOST and context, and each daemon's `-H`/`--host` values (dockerd) or `unix://` service
 * argument (podman system service). TCP endpoints are not sockets a bind mount can hand over.
 */
export function engineSocketsOf(settings: EngineSettings): string[] {
  const found: string[] = [];
  const add = (value: string | undefined) => {
    const socket = /^unix:\/\/(\/[^\s]*[^\s/])\/*$/.exec(value ?? '')?.[1];
    if (socket && safeHostPath(socket) && !found.includes(socket) && found.length < MAX_ENGINE_SOCKETS) found.push(socket);
  };
  add(settings.clientHost.trim());
  // Each context's docker endpoint, as JSON writes it (Go escapes nothing in a plain path).
  for (const match of settings.context.matchAll(/"Host"\s*:\s*"(unix:\/\/[^"\\]*)"/g)) add(match[1]);
  for (const line of settings.daemons.split('\n')) {
    const words = line.trim().split(/\s+/);
    words.forEach((word, index) => {
      if (word === '-H' || word === '--host') add(words[index + 1]);
      else if (word.startsWith('--host=') || word.startsWith('-H=')) add(word.slice(word.indexOf('=') + 1));
      else if (word.startsWith('unix://')) add(word);
    });
  }
  return found;
}

/** Marks each bind mount of one of the engine's own sockets (or a folder holding one) as `engine-socket`. */
export function markEngineSocketMounts(containers: readonly InspectedContainer[], engineSockets: readonly string[]): void {
  if (engineSockets.length === 0) return;
  for (const container of containers) {
    for (const mount of container.mounts ?? []) {
      if (mount.type !== 'bind' || mount.risk) continue;
      const path = mount.source.replace(/\/+$/, '') || '/';
      // The socket itself, or a folder that holds it (which hands the socket over too).
      if (engineSockets.some((socket) => socket === path || socket.startsWith(`${path}/`))) mount.risk = 'engine-socket';
    }
  }
}

function readMounts(value: unknown): ContainerMount[] {
  if (!Array.isArray(value)) return [];
  const mounts: ContainerMount[] = [];
  for (const entry of value) {
    if (!isObject(entry)) continue;
    const source = stringOr(entry['Source']) ?? stringOr(entry['Name']) ?? '';
    const destination = stringOr(entry['Destination']) ?? '';
    const type = stringOr(entry['Type']) ?? 'bind';
    const mount: ContainerMount = { type, source, destination, readOnly: entry['RW'] === false };
    const risk = type === 'bind' ? mountRisk(source) : undefined;
    if (risk) mount.risk = risk;
    mounts.push(mount);
  }
  return mounts;
}

function readNetworks(settings: unknown): ContainerNetwork[] {
  if (!isObject(settings) || !isObject(settings['Networks'])) return [];
  return Object.entries(settings['Networks']).map(([name, network]) => {
    const data = isObject(network) ? network : {};
    const aliases = [...stringList(data['Aliases']), ...stringList(data['DNSNames'])];
    return {
      name,
      ipAddress: stringOr(data['IPAddress']),
      ipv6Address: stringOr(data['GlobalIPv6Address']),
      aliases: [...new Set(aliases)],
    };
  });
}

function readPorts(settings: unknown): ContainerPort[] {
  if (!isObject(settings) || !isObject(settings['Ports'])) return [];
  const ports: ContainerPort[] = [];
  for (const [containerPort, bindings] of Object.entries(settings['Ports'])) {
    // An exposed but unpublished port maps to null.
    if (!Array.isArray(bindings)) continue;
    for (const binding of bindings) {
      if (!isObject(binding)) continue;
      ports.push({ containerPort, hostIp: stringOr(binding['HostIp']) ?? '', hostPort: stringOr(binding['HostPort']) ?? '' });
    }
  }
  return ports;
}

/** The names of `NAME=value` entries; the values never leave this function. */
export function envNamesOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string') continue;
    const eq = entry.indexOf('=');
    const name = eq === -1 ? entry : entry.slice(0, eq);
    if (name !== '' && !names.includes(name)) names.push(name);
  }
  return names;
}

/** For an auto-updater's container only: its allowlisted settings and sanitized arguments. */
function updaterFields(image: string, env: unknown, args: unknown): Pick<InspectedContainer, 'autoUpdater'> {
  const kind = updaterOf(image);
  if (!kind) return {};
  const settings: Record<string, string> = {};
  for (const entry of Array.isArray(env) ? env : []) {
    if (typeof entry !== 'string') continue;
    const eq = entry.indexOf('=');
    if (eq === -1) continue;
    const name = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    // Setting values are flags, schedules and container names; anything longer is not one of them.
    if (isUpdaterSetting(kind, name) && value.length <= 512) settings[name] = value;
  }
  return { autoUpdater: { updater: kind, settings, args: sanitizeUpdaterArgs(kind, stringList(args)) } };
}

function neverIsNull(value: string | null): string | null {
  // Docker writes Go's zero time for a container that never started.
  return value === null || value.startsWith('0001-01-01') ? null : value;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Parses `image inspect` output into image id → its RepoDigests entries (`repo@sha256:…`). */
export function parseImageInspect(json: string): Map<string, string[]> {
  return new Map([...parseImageDetails(json)].map(([id, details]) => [id, details.repoDigests]));
}

/** Parses `image inspect` output into image id → its RepoDigests and build time. */
export function parseImageDetails(json: string): Map<string, ImageDetails> {
  const images = new Map<string, ImageDetails>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return images;
  }
  if (!Array.isArray(parsed)) return images;
  for (const entry of parsed) {
    if (!isObject(entry)) continue;
    const id = normaliseImageId(entry['Id']);
    if (!id) continue;
    const repoDigests = Array.isArray(entry['RepoDigests'])
      ? entry['RepoDigests'].filter((value): value is string => typeof value === 'string' && digestOf(value) !== null)
      : [];
    images.set(id, { repoDigests, created: stringOr(entry['Created']) });
  }
  return images;
}

/**
 * The digest to report for a container: the RepoDigests entry of the repository it was deployed
 * from (else the first entry), else Podman's container-level digest, else the image id.
 */
export function pickImageDigest(container: InspectedContainer, repoDigests: readonly string[] | undefined): string | null {
  const chosen = repoDigestFor(container.image, repoDigests ?? []);
  return (chosen && digestOf(chosen)) ?? container.engineImageDigest ?? container.imageId;
}

/** A host path fit to become a script's ROOT: absolute, no control characters. */
function safeHostPath(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > 4096) return null;
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(value) ? null : value;
}

function readLabels(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!isObject(value)) return labels;
  for (const [key, label] of Object.entries(value)) if (typeof label === 'string') labels[key] = label;
  return labels;
}

function stringOr(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
