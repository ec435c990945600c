/**
 * Reads one connected host: facts, containers, Python environments on the host, then each running
 * container's Python environments and IOCs (one exec each), then the IOC rules on the host, then
 * the files and environments that hold keys and name gateways and their consumers (handed to the
 * secret and topology readers, then dropped). Each collector's failure becomes a note and the
 * others still run; the host is `partial` when any note leaves part of it uninspected.
 */
import type { CollectorNote, Container, HostFacts, HostInventory, IocHit, PythonEnvironment, SecretSighting } from '../../shared/model/index.js';
import type { CommandRunner } from '../exec/command-runner.js';
import { KNOWN_WINDOWS } from '../../shared/domain/exposure/compromise-windows.js';
import { bundledIocRules, type IocRule } from '../../shared/domain/iocs/rules.js';
import { findSecrets, type KeyValueSink } from '../readers/secrets/find-secrets.js';
import { fingerprintSecret } from '../readers/secrets/fingerprint.js';
import { readTopology } from '../readers/topology/read-topology.js';
import { collectHostArtifacts, environmentsOf } from '../collectors/artifact-collector.js';
import type { HostArtifacts } from '../readers/artifacts.js';
import { containerScanParts, scanContainer, unscannedContainer, type ContainerScan } from '../collectors/container-scan.js';
import type { ContainerVia } from '../collectors/container-read.js';
import { hostReadTargets, readContainersOnHost, type HostReadResult } from '../collectors/host-side-read.js';
import type { InspectedContainer } from '../collectors/docker-parser.js';
import { collectHostIocs as searchHostIocs } from '../collectors/ioc-collector.js';
import { collectContainers, toReportContainer, type ContainerCollection, type EngineAccess } from '../collectors/docker-collector.js';
import { collectGatewayTraffic, gatewayLogContainers, type LogWindow } from '../collectors/gateway-log-collector.js';
import { collectHostFacts } from '../collectors/host-facts.js';
import { collectVirtualKeys } from '../collectors/litellm-keys.js';
import { blindSpot, remark, toReportNotes, type CollectorIssue } from '../collectors/notes.js';
import { collectHostPython } from '../collectors/python-collector.js';
import { verifyRecords, type RecordSelector } from '../collectors/record-collector.js';

/** Which collector is running, for progress reports. */
export type CollectPhase = 'facts' | 'containers' | 'python' | 'iocs' | 'keys';

/** How long a gateway's logs are read back when the scan names no window: from the LiteLLM compromise's start (KNOWN_WINDOWS). */
const DEFAULT_GATEWAY_LOG_START = KNOWN_WINDOWS.find((window) => window.package === 'litellm')!.start;

/** What turns a host's raw artifacts into report fields (the real readers unless a test gives stand-ins). */
export interface ArtifactReaders {
  findSecrets: typeof findSecrets;
  readTopology: typeof readTopology;
}

/** Options of one host's collection. */
export interface CollectHostOptions {
  signal: AbortSignal;
  onPhase: (phase: CollectPhase, message: string) => void;
  /** Reads the host's Python files under this prefix instead of `/` (tests; a mounted disk image). */
  hostRoot?: string;
  /** IOC rules to search for (one round trip on the host; in containers, the same exec as the Python scan); the bundled rules unless given. */
  iocRules?: readonly IocRule[];
  /** Distributions whose files are hashed and compared with their RECORD (one extra round trip per host or container that holds one). */
  verifyRecords?: RecordSelector;
  /** The secret and topology readers; the real ones unless given. */
  readers?: ArtifactReaders;
  /** The interval gateways' logs are read over; from the LiteLLM compromise window's start to now unless given. */
  gatewayLogWindow?: LogWindow;
  /** Keeps the values of the keys read, in memory, for the opt-in revocation check; none are kept unless given. */
  keyVault?: KeyValueSink;
}

/** The report fields the secret and topology readers fill; each is absent when its reader did not run or failed. */
type KeyFields = Pick<
  HostInventory,
  'secrets' | 'authorizedKeys' | 'addresses' | 'endpointReferences' | 'tunnels' | 'proxyRoutes' | 'connections' | 'gatewayConfigs'
>;

/** One host's inventory as the collectors read it. */
export interface HostCollection {
  status: 'ok' | 'partial';
  /** Set when `partial`: what could not be inspected (the report wants a message on every non-ok status). */
  error?: string;
  facts: HostFacts | null;
  containers: Container[];
  pythonEnvironments: PythonEnvironment[];
  notes: CollectorNote[];
  /** Where IOC rules matched; absent when the scan was cancelled before the IOC search. */
  iocHits?: IocHit[];
  /** What the pip and uv caches of /root and /home/* hold; absent when the host's Python scan did not finish. */
  cachedArtifacts?: HostInventory['cachedArtifacts'];
  /** Secrets by fingerprint, and the keys allowed to log in (absent when the secret search did not run or failed). */
  secrets?: HostInventory['secrets'];
  authorizedKeys?: HostInventory['authorizedKeys'];
  /** The host's addresses, where its services send requests, its tunnels, proxy routes, sockets and gateway configs (absent when the topology was not read). */
  addresses?: HostInventory['addresses'];
  endpointReferences?: HostInventory['endpointReferences'];
  tunnels?: HostInventory['tunnels'];
  proxyRoutes?: HostInventory['proxyRoutes'];
  connections?: HostInventory['connections'];
  gatewayConfigs?: HostInventory['gatewayConfigs'];
  /** Requests per client each gateway container logged over the window (absent when no gateway's logs were read). */
  gatewayTraffic?: HostInventory['gatewayTraffic'];
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
  let cachedArtifacts: HostCollection['cachedArtifacts'];
  try {
    const host = await collectHostPython(runner, signal, options.hostRoot ?? '');
    environments.push(...host.environments);
    cachedArtifacts = host.cachedArtifacts;
    issues.push(...host.issues);
    if (options.verifyRecords) {
      onPhase('python', 'verifying RECORDs of flagged distributions on the host');
      issues.push(...(await verifyRecords(runner, host.environments, { kind: 'host', root: options.hostRoot ?? '' }, options.verifyRecords, signal)));
    }
  } catch (error) {
    if (signal.aborted) return finish(facts, containers.containers, environments, issues, signal);
    issues.push(blindSpot('python', `the host: ${messageOf(error)}`));
  }

  const engine = containers.engine;
  const running = containers.containers.filter((container) => container.running);
  const stopped = containers.containers.filter((container) => !container.running);
  const rules = options.iocRules ?? bundledIocRules();
  // Container IOC results and artifact files wait here so hits and notes keep their order: the host's first.
  const containerIocs: ContainerScan['iocs'][] = [];
  const containerArtifacts: ContainerScan['artifacts'][] = [];
  // Running containers through /proc/PID/root and stopped ones through their layers, all in one
  // script on the host, when the login may read them; exec is the way in for the rest.
  const fromHost = engine && !signal.aborted ? await readOnHost(runner, engine, containers.containers, rules, options) : new Map<string, HostReadResult>();
  const take = (container: InspectedContainer, result: ContainerScan) => {
    environments.push(...result.python.environments);
    issues.push(...result.python.issues);
    if (cachedArtifacts && result.python.cachedArtifacts) cachedArtifacts.push(...result.python.cachedArtifacts);
    containerIocs.push(result.iocs);
    containerArtifacts.push(result.artifacts);
    const via = readViaOf(result.python.via);
    if (via) container.readVia = via;
  };
  if (engine && running.length > 0) {
    onPhase('python', `reading Python environments, looking for IOCs and reading gateway configs and .env files in ${running.length} running containers`);
    const results = await mapLimited(running, CONTAINER_SCAN_CONCURRENCY, async (container) => {
      if (signal.aborted) return null;
      const hostRead = fromHost.get(container.id);
      try {
        let result: ContainerScan;
        if (hostRead && 'read' in hostRead) result = hostRead.read.scan as ContainerScan;
        else {
          onPhase('python', `reading container ${container.name}`);
          // Every container part (Python, IOCs, artifacts) in one exec: a round trip per container, not one per part.
          result = await scanContainer(runner, engine, container, rules, signal);
        }
        if (options.verifyRecords && result.python.via) {
          const place = { kind: 'container', via: result.python.via, engine, container } as const;
          result.python.issues.push(...(await verifyRecords(runner, result.python.environments, place, options.verifyRecords, signal)));
        }
        return result;
      } catch (error) {
        if (signal.aborted) return null;
        return unscannedContainer(`container ${container.name}`, messageOf(error));
      }
    });
    for (const [index, result] of results.entries()) if (result) take(running[index]!, result);
  }
  const unread: string[] = [];
  for (const container of stopped) {
    const hostRead = fromHost.get(container.id);
    if (hostRead && 'read' in hostRead) {
      take(container, hostRead.read.scan as ContainerScan);
      if (hostRead.read.whiteoutsCut) issues.push(remark('python', `container ${container.name}: read from its layers; a layer deletes more files than were listed, so some deleted files may still be reported`));
    } else unread.push(`${container.name} (${hostRead ? hostRead.problem : stoppedWhyNot(container)})`);
  }
  if (unread.length > 0) {
    // Never started to be read: its overlay is not mounted, and its layers could not be read from the
    // host; it can still be started again, so it stays a blind spot rather than a clean bill.
    issues.push(
      blindSpot(
        'python',
        `${unread.length} stopped ${unread.length === 1 ? 'container was' : 'containers were'} not read (a stopped container's filesystem is not mounted, and its layers were not read from the host): ${unread.join(', ')}`,
      ),
    );
  }

  const iocHits = await collectHostIocs(runner, options, rules, issues);
  if (iocHits) {
    for (const result of containerIocs) {
      iocHits.push(...result.hits);
      issues.push(...result.issues);
    }
  }
  const keys = await collectKeys(runner, options, engine, containers.containers, containerArtifacts, issues);
  const gatewayTraffic = await collectGatewayLogs(runner, options, engine, containers.containers, keys.gatewayConfigs ?? [], issues);
  const collection = finish(facts, containers.containers, environments, issues, signal, iocHits);
  if (cachedArtifacts) collection.cachedArtifacts = cachedArtifacts;
  return { ...collection, ...keys, ...(gatewayTraffic ? { gatewayTraffic } : {}) };
}

/** Reads the logs of the host's gateway containers (running or stopped: the engine keeps both) over the window. */
async function collectGatewayLogs(
  runner: CommandRunner,
  options: CollectHostOptions,
  engine: EngineAccess | null,
  containers: readonly InspectedContainer[],
  configs: NonNullable<HostInventory['gatewayConfigs']>,
  issues: CollectorIssue[],
): Promise<HostInventory['gatewayTraffic']> {
  const { signal, onPhase } = options;
  const gateways = engine ? gatewayLogContainers(containers, configs) : [];
  if (!engine || gateways.length === 0 || signal.aborted) return undefined;
  const window = options.gatewayLogWindow ?? { start: DEFAULT_GATEWAY_LOG_START, end: new Date().toISOString() };
  onPhase('keys', `reading the logs of ${gateways.length} gateway ${gateways.length === 1 ? 'container' : 'containers'} since ${window.start}`);
  try {
    const { traffic, issues: logIssues } = await collectGatewayTraffic(runner, engine, gateways, window, signal);
    issues.push(...logIssues);
    return traffic;
  } catch (error) {
    if (signal.aborted) return undefined;
    issues.push(blindSpot('gateway-logs', `gateway logs not read (${errorClass(error)})`));
    return undefined;
  }
}

/**
 * Reads the host's artifacts, hands them and the running containers' (read with the rest of each
 * container's scan) to the secret and topology readers, and drops them: only the readers'
 * fingerprint-only output outlives this call. A reader
 * that throws becomes a note naming only the error's class, since its message could quote a file.
 */
async function collectKeys(
  runner: CommandRunner,
  options: CollectHostOptions,
  engine: EngineAccess | null,
  containers: readonly InspectedContainer[],
  containerArtifacts: readonly ContainerScan['artifacts'][],
  issues: CollectorIssue[],
): Promise<KeyFields> {
  const { signal, onPhase } = options;
  if (signal.aborted) return {};
  onPhase('keys', 'looking for keys, gateways and consumers');
  const artifacts: HostArtifacts = { files: [], environments: environmentsOf(containers) };
  try {
    const host = await collectHostArtifacts(runner, signal, options.hostRoot ?? '', containers);
    artifacts.files.push(...host.artifacts.files);
    issues.push(...host.issues);
  } catch (error) {
    if (signal.aborted) return {};
    issues.push(blindSpot('artifacts', `the host: keys, credentials and configs not read (${messageOf(error)})`));
  }
  for (const result of containerArtifacts) {
    artifacts.files.push(...result.files);
    issues.push(...result.issues);
  }
  if (signal.aborted) return {};

  const readers = options.readers ?? { findSecrets, readTopology };
  const fields: KeyFields = {};
  try {
    const found = readers.findSecrets(artifacts, options.keyVault);
    fields.secrets = found.secrets;
    fields.authorizedKeys = found.authorizedKeys;
  } catch (error) {
    issues.push(blindSpot('secrets', `the secret search failed (${errorClass(error)}); secrets on this host are not listed`));
  }
  try {
    const fingerprint = sameFingerprintAs(fields.secrets ?? []);
    const topology = readers.readTopology(artifacts, containers.map(toReportContainer), { fingerprint });
    fields.addresses = topology.addresses;
    fields.endpointReferences = topology.endpointReferences;
    fields.tunnels = topology.tunnels;
    fields.proxyRoutes = topology.proxyRoutes;
    fields.connections = topology.connections;
    fields.gatewayConfigs = topology.gatewayConfigs;
  } catch (error) {
    issues.push(blindSpot('topology', `reading gateways, consumers and tunnels failed (${errorClass(error)}); they are not shown for this host`));
  }
  if (engine && fields.gatewayConfigs && !signal.aborted) {
    // Virtual keys live in the gateway's database, not its files: read-only, through psql in the database's container.
    try {
      const virtual = await collectVirtualKeys(runner, engine, containers, fields.gatewayConfigs, signal);
      if (virtual.configs.length > 0) onPhase('keys', `read ${virtual.configs.reduce((sum, config) => sum + (config.virtualKeys?.length ?? 0), 0)} LiteLLM virtual keys`);
      fields.gatewayConfigs.push(...virtual.configs);
      issues.push(...virtual.issues);
    } catch (error) {
      if (!signal.aborted) issues.push(blindSpot('litellm-keys', `reading LiteLLM virtual keys failed (${errorClass(error)})`));
    }
  }
  // Emptied as well as dropped, so a reader that kept a reference keeps no text.
  artifacts.files.length = 0;
  artifacts.environments.length = 0;
  return fields;
}

/**
 * Fingerprints a gateway route's key the way the secret search did, so a route and the sighting of
 * the same value share one fingerprint even when the route's provider (say `openai` for an
 * OpenAI-compatible backend) differs from the provider the key's own format names.
 */
function sameFingerprintAs(secrets: readonly SecretSighting[]): (provider: string, value: string) => string {
  const byDigest = new Map(secrets.map((secret) => [secret.fingerprint.slice(secret.fingerprint.indexOf(':') + 1), secret.fingerprint]));
  return (provider, value) => {
    const own = fingerprintSecret(provider, value);
    return byDigest.get(own.slice(own.indexOf(':') + 1)) ?? own;
  };
}

/** Searches the host for the IOC rules (containers were searched with their Python scan); failures become notes. */
async function collectHostIocs(runner: CommandRunner, options: CollectHostOptions, rules: readonly IocRule[], issues: CollectorIssue[]): Promise<IocHit[] | undefined> {
  const { signal, onPhase } = options;
  if (signal.aborted) return undefined;
  const hits: IocHit[] = [];
  onPhase('iocs', 'looking for indicators of compromise on the host');
  try {
    const host = await searchHostIocs(runner, rules, signal, options.hostRoot ?? '');
    hits.push(...host.hits);
    issues.push(...host.issues);
  } catch (error) {
    // Cut off mid-search (cancelled, or the host given up on): no list, since an empty one would read as "searched, nothing found".
    if (signal.aborted) return undefined;
    issues.push(blindSpot('iocs', `the host: ${messageOf(error)}`));
  }
  return hits;
}

function finish(
  facts: HostFacts | null,
  containers: readonly Container[],
  environments: PythonEnvironment[],
  issues: readonly CollectorIssue[],
  signal: AbortSignal,
  iocHits?: IocHit[],
): HostCollection {
  const blindSpots = issues.filter((issue) => issue.incomplete);
  const partial = blindSpots.length > 0 || signal.aborted;
  const collection: HostCollection = {
    status: partial ? 'partial' : 'ok',
    facts,
    // Only the report's fields: the collector-only extras (MergedDir, pid, image id…) stay internal.
    containers: containers.map(toReportContainer),
    pythonEnvironments: environments,
    notes: toReportNotes(issues),
  };
  if (iocHits) collection.iocHits = iocHits;
  if (partial) {
    const first = blindSpots[0];
    const more = blindSpots.length > 1 ? ` (and ${blindSpots.length - 1} more)` : '';
    collection.error = first ? `${first.collector}: ${first.message}${more}` : 'scan cancelled before this host was fully read';
  }
  return collection;
}

/**
 * Reads every container it can from the host in one script (running ones through /proc/PID/root,
 * stopped ones through their layers), by container id. A script that fails leaves every
 * container to exec (running) or a note (stopped); only cancellation is thrown.
 */
async function readOnHost(
  runner: CommandRunner,
  engine: EngineAccess,
  containers: readonly InspectedContainer[],
  rules: readonly IocRule[],
  options: CollectHostOptions,
): Promise<Map<string, HostReadResult>> {
  const targets = hostReadTargets(containers);
  const byId = new Map<string, HostReadResult>();
  if (targets.length === 0) return byId;
  options.onPhase('python', `reading ${targets.length} ${targets.length === 1 ? 'container' : 'containers'} from the host`);
  try {
    const { results } = await readContainersOnHost(runner, engine, targets, containerScanParts(rules), options.signal);
    for (const result of results) byId.set(result.target.container.id, result);
  } catch (error) {
    if (options.signal.aborted) throw error;
    for (const target of targets) byId.set(target.container.id, { target, problem: `the host-side read failed (${errorClass(error)})` });
  }
  return byId;
}

/** Why a stopped container's layers were not even tried. */
function stoppedWhyNot(container: InspectedContainer): string {
  const layers = container.layers;
  return layers && 'refused' in layers ? layers.refused : 'the engine names no layers to read';
}

/** The report's word for how a container's files were read. */
function readViaOf(via: ContainerVia | null): Container['readVia'] | undefined {
  if (via === null) return undefined;
  return via === 'merged-dir-sudo' ? 'merged-dir' : via;
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

/** The class of a thrown value (`TypeError`, `YAMLParseError`…), never its message. */
function errorClass(error: unknown): string {
  const name = typeof error === 'object' && error !== null ? (error.constructor as { name?: unknown } | undefined)?.name : typeof error;
  return typeof name === 'string' && /^[A-Za-z_$][\w$]{0,63}$/.test(name) ? name : 'unknown error';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
