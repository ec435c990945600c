/**
 * Reads one connected host. First, side by side on the connection (each phase in its own channel,
 * at most HOST_WORK_CHANNELS at once): facts, the container list, Python environments on the
 * host and the IOC search on the host. Then, once the containers are known, the containers
 * themselves (from the host in one script, else one exec each) beside the host's key search (files
 * and environments that hold keys and name gateways and their consumers, handed to the secret and
 * topology readers, then dropped), and last the gateways' virtual keys and logs. Each collector's
 * failure becomes a note and the others still run; notes and results keep the phases' order
 * whichever finished first. The host is `partial` when any note leaves part of it uninspected.
 */
import type { CollectorNote, Container, GatewayTraffic, HostFacts, HostInventory, IocHit, PythonEnvironment, SecretSighting } from '../../shared/model/index.js';
import type { CommandRunner, RunOptions } from '../exec/command-runner.js';
import { KNOWN_WINDOWS } from '../../shared/domain/exposure/compromise-windows.js';
import { bundledIocRules, type IocRule } from '../../shared/domain/iocs/rules.js';
import { findSecrets, type KeyValueSink } from '../readers/secrets/find-secrets.js';
import { fingerprintSecret } from '../readers/secrets/fingerprint.js';
import { readTopology } from '../readers/topology/read-topology.js';
import { hardeningFolders, readHardening } from '../readers/hardening/read-hardening.js';
import { collectHostArtifacts, environmentsOf } from '../collectors/artifact-collector.js';
import type { HostArtifacts } from '../readers/artifacts.js';
import { containerScanParts, scanContainer, unscannedContainer, type ContainerScan } from '../collectors/container-scan.js';
import type { ContainerVia } from '../collectors/container-read.js';
import { guestReadTarget, hostReadTargets, readContainersOnHost, type HostReadResult } from '../collectors/host-side-read.js';
import { collectGuests, guestContainer } from '../collectors/lxc-collector.js';
import type { InspectedContainer } from '../collectors/docker-parser.js';
import { collectHostIocs as searchHostIocs } from '../collectors/ioc-collector.js';
import { collectContainers, toReportContainer, type ContainerCollection, type EngineAccess } from '../collectors/docker-collector.js';
import { collectGatewayTraffic, gatewayLogContainers, type LogWindow } from '../collectors/gateway-log-collector.js';
import { collectJournalTraffic, journalLoggedServices } from '../collectors/journal-log-collector.js';
import { collectHostFacts } from '../collectors/host-facts.js';
import { collectVirtualKeys, type VirtualKeyCollection } from '../collectors/litellm-keys.js';
import { collectKubernetes } from '../collectors/kubernetes-collector.js';
import type { KubernetesReading } from '../collectors/kubernetes-places.js';
import { blindSpot, remark, toReportNotes, type CollectorIssue } from '../collectors/notes.js';
import { collectHostPython } from '../collectors/python-collector.js';
import { recordTargets, verifyRecords, type RecordSelector } from '../collectors/record-collector.js';
import { verifyContainerRecordsOnHost } from '../collectors/container-records.js';
import { searchPackageSignatures } from '../collectors/package-signature-collector.js';
import { HOST_WORK_CHANNELS, limitRunner, phaseRunner } from './channel-limit.js';

/** Which collector is running, for progress reports. */
export type CollectPhase = NonNullable<RunOptions['phase']>;

/** How long a gateway's logs are read back when the scan names no window: from the LiteLLM compromise's start (KNOWN_WINDOWS). */
const DEFAULT_GATEWAY_LOG_START = KNOWN_WINDOWS.find((window) => window.package === 'litellm')!.start;

/** What turns a host's raw artifacts into report fields (the real readers unless a test gives stand-ins). */
export interface ArtifactReaders {
  findSecrets: typeof findSecrets;
  readTopology: typeof readTopology;
  /** The hardening posture's reader; the real one unless given. */
  readHardening?: typeof readHardening;
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
  /** Distributions whose `.py`, `.pth` and `.sh` files are searched for content signatures (one extra round trip per host or container that holds one). */
  searchSignatures?: RecordSelector;
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
  'secrets' | 'authorizedKeys' | 'addresses' | 'endpointReferences' | 'tunnels' | 'proxyRoutes' | 'connections' | 'gatewayConfigs' | 'gatewayServices' | 'hardening'
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
  /** Gateways systemd units start on the host (absent when the topology was not read). */
  gatewayServices?: HostInventory['gatewayServices'];
  /** Requests per client each gateway container (or host service, from the journal) logged over the window (absent when no gateway's logs were read). */
  gatewayTraffic?: HostInventory['gatewayTraffic'];
  /** Each virtualenv's and image's pins, package index and unattended upgrades (absent when the key search did not run). */
  hardening?: HostInventory['hardening'];
  /** The cluster the host's own kubectl reaches (absent when it has none). */
  kubernetes?: HostInventory['kubernetes'];
}

/** Running containers scanned at once: each holds one exec session (one SSH channel) open. */
export const CONTAINER_SCAN_CONCURRENCY = 4;

/** Collects one host's inventory; never rejects: cancelled or given up on, it returns what it had as partial. */
export async function collectHost(runner: CommandRunner, options: CollectHostOptions): Promise<HostCollection> {
  const { signal, onPhase } = options;
  const limited = limitRunner(runner, HOST_WORK_CHANNELS);
  const on = (phase: CollectPhase) => phaseRunner(limited, phase);
  const rules = options.iocRules ?? bundledIocRules();

  // None of these needs another's result: they share the connection, each in its own channel. Each
  // keeps its own notes, joined below in the phases' order, so the report reads the same whichever ends first.
  onPhase('facts', 'reading hostname, OS and kernel');
  const factsRead = readFacts(on('facts'), signal);
  onPhase('containers', 'listing containers');
  const containersRead = listContainers(on('containers'), signal);
  // Guests' configs and roots are named by absolute paths on the live host: a scan under another root (hostRoot) has none.
  const guestsRead = options.hostRoot ? Promise.resolve<GuestList>({ containers: [], roots: new Map(), issues: [] }) : listGuests(on('containers'), signal);
  onPhase('python', 'reading site-packages and virtualenvs on the host');
  const pythonRead = readHostPython(on('python'), options);
  const iocsRead = collectHostIocs(on('iocs'), options, rules);
  // Beside the engine's containers: the cluster a kubectl on the host reaches (pods are containers too).
  const clusterRead = readCluster(on('containers'), options, rules);
  const [factsPart, containers, python, guests] = await Promise.all([factsRead, containersRead, pythonRead, guestsRead]);
  const facts = factsPart.facts;
  const issues: CollectorIssue[] = [...factsPart.issues, ...containers.issues, ...guests.issues, ...python.issues];
  const environments = python.environments;
  const cachedArtifacts = python.cachedArtifacts;
  if (signal.aborted) {
    await Promise.all([iocsRead, clusterRead]);
    return finish(facts, [...containers.containers, ...guests.containers], environments, issues, signal);
  }

  const engine = containers.engine;
  // The key search needs only the container list (compose files, network namespaces): it reads
  // the host while the containers are read.
  const hostArtifactsRead = readHostArtifacts(on('keys'), options, containers, hardeningFolders(environments));
  const containerRead = readContainers(on('python'), options, engine, containers.containers, rules);
  const guestRead = readGuests(on('python'), options, guests, rules);
  const [hostIocs, engineReads, guestReads] = await Promise.all([iocsRead, containerRead, guestRead]);
  // Engine containers' reads, then the guests', as one list in that order.
  const fromContainers: ContainerReads = {
    environments: [...engineReads.environments, ...guestReads.environments],
    cachedArtifacts: [...engineReads.cachedArtifacts, ...guestReads.cachedArtifacts],
    issues: [...engineReads.issues, ...guestReads.issues],
    iocs: [...engineReads.iocs, ...guestReads.iocs],
    artifacts: [...engineReads.artifacts, ...guestReads.artifacts],
  };
  environments.push(...fromContainers.environments);
  issues.push(...fromContainers.issues);
  if (cachedArtifacts && fromContainers.cachedArtifacts) cachedArtifacts.push(...fromContainers.cachedArtifacts);
  // Guests are places like containers from here on (keys, topology, the report), but no engine's:
  // the virtual keys and gateway logs, read through an engine, are given the engine's containers only.
  const allContainers = [...containers.containers, ...guests.containers];

  // Cut off before every container was searched: no list, since a short one would read as "searched, nothing found".
  const iocHits = hostIocs && !signal.aborted ? [...hostIocs.hits] : undefined;
  if (hostIocs) issues.push(...hostIocs.issues);
  if (iocHits) {
    for (const result of fromContainers.iocs) {
      iocHits.push(...result.hits);
      issues.push(...result.issues);
    }
  }
  const cluster = await clusterRead;
  issues.push(...cluster.issues);
  if (iocHits && cluster.reading) iocHits.push(...cluster.reading.iocHits);
  const keys = collectKeys(options, allContainers, await hostArtifactsRead, fromContainers.artifacts, issues, environments, cluster.reading);
  // Both start from the gateways the files configure: the virtual keys (from each gateway's
  // database) name only gateways already found, so the logs need not wait for them.
  const logIssues: CollectorIssue[] = [];
  const [virtual, logTraffic] = await Promise.all([
    readVirtualKeys(on('keys'), options, engine, containers.containers, keys),
    collectGatewayLogs(on('keys'), options, engine, containers.containers, [...(keys.gatewayConfigs ?? [])], logIssues, keys.gatewayServices ?? []),
  ]);
  // The virtual keys' notes before the logs', as when one ran after the other.
  issues.push(...virtual.issues, ...logIssues);
  keys.gatewayConfigs?.push(...virtual.configs);
  keys.secrets?.push(...virtual.secrets);
  // The database's request log beside the access log: both are the gateway's traffic, by source.
  const gatewayTraffic = logTraffic || virtual.traffic.length > 0 ? [...(logTraffic ?? []), ...virtual.traffic] : undefined;
  const collection = finish(facts, allContainers, environments, issues, signal, iocHits);
  if (cachedArtifacts) collection.cachedArtifacts = cachedArtifacts;
  if (cluster.reading) {
    collection.containers.push(...cluster.reading.containers);
    collection.kubernetes = cluster.reading.cluster;
  }
  return { ...collection, ...keys, ...(gatewayTraffic ? { gatewayTraffic } : {}) };
}

/** The host's facts, or a note saying why they were not read. */
async function readFacts(runner: CommandRunner, signal: AbortSignal): Promise<{ facts: HostFacts | null; issues: CollectorIssue[] }> {
  try {
    return { facts: await collectHostFacts(runner, signal), issues: [] };
  } catch (error) {
    return { facts: null, issues: signal.aborted ? [] : [blindSpot('facts', messageOf(error))] };
  }
}

/** The host's containers with the engine that lists them; a failure becomes a note. */
async function listContainers(runner: CommandRunner, signal: AbortSignal): Promise<ContainerCollection> {
  try {
    return await collectContainers(runner, signal);
  } catch (error) {
    return { engine: null, containers: [], issues: signal.aborted ? [] : [blindSpot('docker', messageOf(error))] };
  }
}

/** The host's cluster through its own kubectl (read-only `get`); a failure becomes a note, cancellation gives nothing. */
async function readCluster(runner: CommandRunner, options: CollectHostOptions, rules: readonly IocRule[]): Promise<{ reading: KubernetesReading | null; issues: CollectorIssue[] }> {
  const { signal } = options;
  try {
    const read = await collectKubernetes(runner, rules, signal);
    if (read.reading) options.onPhase('containers', `read ${read.reading.containers.length} Kubernetes pod containers`);
    return read;
  } catch (error) {
    return { reading: null, issues: signal.aborted ? [] : [blindSpot('kubernetes', `the cluster was not read (${messageOf(error)})`)] };
  }
}

/** The host's system containers (Proxmox CTs, LXC, Incus, LXD) as containers, with the folders to read them from. */
interface GuestList {
  containers: InspectedContainer[];
  roots: Map<InspectedContainer, string>;
  issues: CollectorIssue[];
}

/**
 * Lists the host's system containers from their configs; a guest whose files cannot be read
 * without mounting (a block volume, an image) is a blind spot naming it. A failure becomes a note.
 */
async function listGuests(runner: CommandRunner, signal: AbortSignal): Promise<GuestList> {
  const list: GuestList = { containers: [], roots: new Map(), issues: [] };
  try {
    const { guests, hints } = await collectGuests(runner, signal);
    for (const found of guests) {
      const container = guestContainer(found, hints.get(found) ?? null);
      list.containers.push(container);
      if ('path' in found.root) list.roots.set(container, found.root.path);
      else list.issues.push(blindSpot('guests', `${container.name}: not read: ${found.root.note}`));
    }
  } catch (error) {
    if (!signal.aborted) list.issues.push(blindSpot('guests', `system containers (Proxmox, LXC, Incus) not listed (${errorClass(error)})`));
  }
  return list;
}

/**
 * Reads every guest with a root folder from the host, in one script with every container part
 * (Python, IOCs, configs), as files: a guest is never entered. The flagged distributions of the
 * guests it read are then verified against their RECORDs from the host, in one more script. One
 * the read could not reach is a blind spot; cancellation gives what was read before it.
 */
async function readGuests(runner: CommandRunner, options: CollectHostOptions, guests: GuestList, rules: readonly IocRule[]): Promise<ContainerReads> {
  const reads: ContainerReads = { environments: [], cachedArtifacts: [], issues: [], iocs: [], artifacts: [] };
  const targets = guests.containers.flatMap((container) => {
    const root = guests.roots.get(container);
    const target = root === undefined ? null : guestReadTarget(container, root);
    return target ? [target] : [];
  });
  if (targets.length === 0 || options.signal.aborted) return reads;
  options.onPhase('python', `reading ${targets.length} system ${targets.length === 1 ? 'container' : 'containers'} from the host`);
  let results: HostReadResult[];
  try {
    results = (await readContainersOnHost(runner, null, targets, containerScanParts(rules), options.signal)).results;
  } catch (error) {
    if (options.signal.aborted) return reads;
    results = targets.map((target) => ({ target, problem: `the host-side read failed (${errorClass(error)})` }));
  }
  if (options.verifyRecords) {
    try {
      await verifyOnHost(runner, results, options.verifyRecords, options);
    } catch {
      // Only cancellation is thrown: as when the read itself is cancelled, none of it is given.
      return reads;
    }
  }
  for (const result of results) {
    const container = result.target.container;
    if ('problem' in result) {
      reads.issues.push(blindSpot('guests', `${container.name}: not read: ${result.problem}`));
      continue;
    }
    const scan = result.read.scan as ContainerScan;
    reads.environments.push(...scan.python.environments);
    reads.issues.push(...scan.python.issues);
    if (scan.python.cachedArtifacts) reads.cachedArtifacts.push(...scan.python.cachedArtifacts);
    reads.iocs.push(scan.iocs);
    reads.artifacts.push(scan.artifacts);
    container.readVia = 'guest-root';
  }
  return reads;
}

/** The host's own Python environments and caches (RECORDs verified when asked); a failure becomes a note. */
async function readHostPython(
  runner: CommandRunner,
  options: CollectHostOptions,
): Promise<{ environments: PythonEnvironment[]; cachedArtifacts?: HostCollection['cachedArtifacts']; issues: CollectorIssue[] }> {
  const { signal, onPhase } = options;
  try {
    const host = await collectHostPython(runner, signal, options.hostRoot ?? '');
    const issues = [...host.issues];
    if (options.verifyRecords) {
      onPhase('python', 'verifying RECORDs of flagged distributions on the host');
      issues.push(...(await verifyRecords(runner, host.environments, { kind: 'host', root: options.hostRoot ?? '' }, options.verifyRecords, signal)));
    }
    if (options.searchSignatures) {
      onPhase('python', 'searching the files of flagged distributions on the host for content signatures');
      issues.push(...(await searchPackageSignatures(runner, host.environments, { kind: 'host', root: options.hostRoot ?? '' }, options.searchSignatures, signal)));
    }
    return { environments: [...host.environments], issues, ...(host.cachedArtifacts ? { cachedArtifacts: host.cachedArtifacts } : {}) };
  } catch (error) {
    return { environments: [], issues: signal.aborted ? [] : [blindSpot('python', `the host: ${messageOf(error)}`)] };
  }
}

/** What the containers held, in the containers' order: the running ones', then the stopped ones'. */
interface ContainerReads {
  environments: PythonEnvironment[];
  cachedArtifacts: NonNullable<HostCollection['cachedArtifacts']>;
  issues: CollectorIssue[];
  iocs: ContainerScan['iocs'][];
  artifacts: ContainerScan['artifacts'][];
}

/**
 * Reads every container: from the host in one script where the login may (running ones through
 * /proc/PID/root, stopped ones through their layers), through exec for the other running ones,
 * CONTAINER_SCAN_CONCURRENCY at a time. Results keep the containers' order whatever ends first.
 */
async function readContainers(
  runner: CommandRunner,
  options: CollectHostOptions,
  engine: EngineAccess | null,
  containers: readonly InspectedContainer[],
  rules: readonly IocRule[],
): Promise<ContainerReads> {
  const { signal, onPhase } = options;
  const reads: ContainerReads = { environments: [], cachedArtifacts: [], issues: [], iocs: [], artifacts: [] };
  const running = containers.filter((container) => container.running);
  const stopped = containers.filter((container) => !container.running);
  const take = (container: InspectedContainer, result: ContainerScan) => {
    reads.environments.push(...result.python.environments);
    reads.issues.push(...result.python.issues);
    if (result.python.cachedArtifacts) reads.cachedArtifacts.push(...result.python.cachedArtifacts);
    reads.iocs.push(result.iocs);
    reads.artifacts.push(result.artifacts);
    const via = readViaOf(result.python.via);
    if (via) container.readVia = via;
  };
  let fromHost = new Map<string, HostReadResult>();
  try {
    if (engine && !signal.aborted) fromHost = await readOnHost(runner, engine, containers, rules, options);
  } catch {
    // Only cancellation is thrown: what was read before it stands, the rest is not started.
    return reads;
  }
  // Beside the exec reads of the containers the host could not read; false only when cancelled.
  const verified =
    options.verifyRecords && fromHost.size > 0
      ? verifyOnHost(runner, fromHost.values(), options.verifyRecords, options).then(
          () => true,
          () => false,
        )
      : Promise.resolve(true);
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
        // Containers read from the host were verified from it above, in one script for all of them.
        if (options.verifyRecords && result.python.via && !(hostRead && 'read' in hostRead)) {
          const place = { kind: 'container', via: result.python.via, engine, container } as const;
          result.python.issues.push(...(await verifyRecords(runner, result.python.environments, place, options.verifyRecords, signal)));
        }
        if (options.searchSignatures && result.python.via) {
          const place = { kind: 'container', via: result.python.via, engine, container } as const;
          result.python.issues.push(...(await searchPackageSignatures(runner, result.python.environments, place, options.searchSignatures, signal)));
        }
        return result;
      } catch (error) {
        if (signal.aborted) return null;
        return unscannedContainer(`container ${container.name}`, messageOf(error));
      }
    });
    if (!(await verified)) return reads;
    for (const [index, result] of results.entries()) if (result) take(running[index]!, result);
  }
  if (!(await verified)) return reads;
  const unread: string[] = [];
  for (const container of stopped) {
    const hostRead = fromHost.get(container.id);
    if (hostRead && 'read' in hostRead) {
      take(container, hostRead.read.scan as ContainerScan);
      if (hostRead.read.whiteoutsCut) reads.issues.push(remark('python', `container ${container.name}: read from its layers; a layer deletes more files than were listed, so some deleted files may still be reported`));
    } else unread.push(`${container.name} (${hostRead ? hostRead.problem : stoppedWhyNot(container)})`);
  }
  if (unread.length > 0) {
    // Never started to be read: its overlay is not mounted, and its layers could not be read from the
    // host; it can still be started again, so it stays a blind spot rather than a clean bill.
    reads.issues.push(
      blindSpot(
        'python',
        `${unread.length} stopped ${unread.length === 1 ? 'container was' : 'containers were'} not read (a stopped container's filesystem is not mounted, and its layers were not read from the host): ${unread.join(', ')}`,
      ),
    );
  }
  return reads;
}

/** Reads the logs of the host's gateway containers (running or stopped: the engine keeps both) and its gateway services' journal over the window. */
async function collectGatewayLogs(
  runner: CommandRunner,
  options: CollectHostOptions,
  engine: EngineAccess | null,
  containers: readonly InspectedContainer[],
  configs: NonNullable<HostInventory['gatewayConfigs']>,
  issues: CollectorIssue[],
  services: NonNullable<HostInventory['gatewayServices']> = [],
): Promise<HostInventory['gatewayTraffic']> {
  const { signal, onPhase } = options;
  const gateways = engine ? gatewayLogContainers(containers, configs) : [];
  const journaled = journalLoggedServices(services);
  if ((gateways.length === 0 && journaled.length === 0) || signal.aborted) return undefined;
  const window = options.gatewayLogWindow ?? { start: DEFAULT_GATEWAY_LOG_START, end: new Date().toISOString() };
  const all: GatewayTraffic[] = [];
  let read = false;
  if (engine && gateways.length > 0) {
    onPhase('keys', `reading the logs of ${gateways.length} gateway ${gateways.length === 1 ? 'container' : 'containers'} since ${window.start}`);
    try {
      const { traffic, issues: logIssues } = await collectGatewayTraffic(runner, engine, gateways, window, signal);
      issues.push(...logIssues);
      all.push(...traffic);
      read = true;
    } catch (error) {
      if (signal.aborted) return undefined;
      issues.push(blindSpot('gateway-logs', `gateway logs not read (${errorClass(error)})`));
    }
  }
  if (journaled.length > 0 && !signal.aborted) {
    onPhase('keys', `reading the journal of ${journaled.length} gateway ${journaled.length === 1 ? 'service' : 'services'} since ${window.start}`);
    try {
      const { traffic, issues: logIssues } = await collectJournalTraffic(runner, journaled, window, signal, options.hostRoot ?? '');
      issues.push(...logIssues);
      all.push(...traffic);
      read = true;
    } catch (error) {
      if (signal.aborted) return undefined;
      issues.push(blindSpot('gateway-logs', `gateway services' journal not read (${errorClass(error)})`));
    }
  }
  return read ? all : undefined;
}

/** The host's own artifacts (files, compose files, socket tables), or the note saying why not; undefined when cancelled. */
type HostArtifactRead = { files: HostArtifacts['files']; issues: CollectorIssue[] } | undefined;

/** Reads the host's artifacts in one script, for the key search; never throws. */
async function readHostArtifacts(
  runner: CommandRunner,
  options: CollectHostOptions,
  listed: ContainerCollection,
  hardening: { venvs: string[]; projects: string[] },
): Promise<HostArtifactRead> {
  const { signal, onPhase } = options;
  try {
    if (signal.aborted) return undefined;
    onPhase('keys', 'looking for keys, gateways and consumers');
    // The compose files the container collector read are not read again.
    const host = await collectHostArtifacts(runner, signal, options.hostRoot ?? '', listed.containers, listed.composeTexts, hardening);
    return { files: host.artifacts.files, issues: host.issues };
  } catch (error) {
    if (signal.aborted) return undefined;
    return { files: [], issues: [blindSpot('artifacts', `the host: keys, credentials and configs not read (${messageOf(error)})`)] };
  } finally {
    // Their texts may hold keys: nothing keeps them past the key search.
    listed.composeTexts?.clear();
  }
}

/**
 * Hands the host's artifacts (read beside the containers) and the running containers' (read with
 * the rest of each container's scan) to the secret and topology readers, and drops them: only the
 * readers' fingerprint-only output outlives this call. A reader that throws becomes a note naming
 * only the error's class, since its message could quote a file.
 */
function collectKeys(
  options: CollectHostOptions,
  containers: readonly InspectedContainer[],
  host: HostArtifactRead,
  containerArtifacts: readonly ContainerScan['artifacts'][],
  issues: CollectorIssue[],
  pythonEnvironments: readonly PythonEnvironment[],
  cluster: KubernetesReading | null,
): KeyFields {
  const { signal } = options;
  if (signal.aborted || !host) return {};
  const artifacts: HostArtifacts = { files: [...host.files], environments: environmentsOf(containers) };
  host.files.length = 0;
  if (cluster) {
    // Pod env values and Secret keys ride with the host's: the same readers, then dropped the same way.
    artifacts.files.push(...cluster.artifacts.files);
    artifacts.environments.push(...cluster.artifacts.environments);
    cluster.artifacts.files.length = 0;
    cluster.artifacts.environments.length = 0;
  }
  issues.push(...host.issues);
  for (const result of containerArtifacts) {
    artifacts.files.push(...result.files);
    issues.push(...result.issues);
  }
  if (signal.aborted) return {};

  const readers = { findSecrets, readTopology, readHardening, ...options.readers };
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
    const topology = readers.readTopology(artifacts, [...containers.map(toReportContainer), ...(cluster?.containers ?? [])], { fingerprint });
    fields.addresses = topology.addresses;
    fields.endpointReferences = topology.endpointReferences;
    fields.tunnels = topology.tunnels;
    fields.proxyRoutes = [...topology.proxyRoutes, ...(cluster?.proxyRoutes ?? [])];
    fields.connections = topology.connections;
    fields.gatewayConfigs = topology.gatewayConfigs;
    fields.gatewayServices = topology.gatewayServices;
  } catch (error) {
    issues.push(blindSpot('topology', `reading gateways, consumers and tunnels failed (${errorClass(error)}); they are not shown for this host`));
  }
  try {
    const reportContainers = containers.map(toReportContainer);
    fields.hardening = readers.readHardening({
      files: artifacts.files,
      environments: artifacts.environments,
      pythonEnvironments,
      containers: containers.map((container, index) => ({ ...reportContainers[index]!, workingDir: container.workingDir })),
    });
  } catch (error) {
    issues.push(blindSpot('hardening', `reading pins, package indexes and unattended upgrades failed (${errorClass(error)}); the hardening posture is not shown for this host`));
  }
  // Emptied as well as dropped, so a reader that kept a reference keeps no text.
  artifacts.files.length = 0;
  artifacts.environments.length = 0;
  return fields;
}

/**
 * Virtual keys, stored credentials and the request log live in the gateway's database, not its
 * files: read-only, through psql in the database's container; failures become notes.
 */
async function readVirtualKeys(
  runner: CommandRunner,
  options: CollectHostOptions,
  engine: EngineAccess | null,
  containers: readonly InspectedContainer[],
  keys: KeyFields,
): Promise<Pick<VirtualKeyCollection, 'configs' | 'secrets' | 'traffic' | 'issues'>> {
  const { signal, onPhase } = options;
  const none = { configs: [], secrets: [], traffic: [], issues: [] };
  const configured = keys.gatewayConfigs;
  if (!engine || !configured || signal.aborted) return none;
  try {
    const window = options.gatewayLogWindow ?? { start: DEFAULT_GATEWAY_LOG_START, end: new Date().toISOString() };
    const fingerprint = sameFingerprintAs(keys.secrets ?? []);
    const read = await collectVirtualKeys(runner, engine, containers, configured, { window, keyVault: options.keyVault, fingerprint }, signal);
    if (read.configs.length > 0) {
      const stored = read.secrets.length;
      onPhase('keys', `read ${read.configs.reduce((sum, config) => sum + (config.virtualKeys?.length ?? 0), 0)} LiteLLM virtual keys${stored > 0 ? ` and ${stored} stored ${stored === 1 ? 'credential' : 'credentials'}` : ''}`);
    }
    return read;
  } catch (error) {
    return { ...none, issues: signal.aborted ? [] : [blindSpot('litellm-keys', `reading LiteLLM's database failed (${errorClass(error)})`)] };
  }
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

/** Searches the host for the IOC rules (containers are searched with their Python scan); a failure becomes a note, cancellation gives nothing. */
async function collectHostIocs(
  runner: CommandRunner,
  options: CollectHostOptions,
  rules: readonly IocRule[],
): Promise<{ hits: IocHit[]; issues: CollectorIssue[] } | undefined> {
  const { signal, onPhase } = options;
  if (signal.aborted) return undefined;
  onPhase('iocs', 'looking for indicators of compromise on the host');
  try {
    const host = await searchHostIocs(runner, rules, signal, options.hostRoot ?? '');
    return { hits: [...host.hits], issues: [...host.issues] };
  } catch (error) {
    // Cut off mid-search (cancelled, or the host given up on): no list, since an empty one would read as "searched, nothing found".
    if (signal.aborted) return undefined;
    return { hits: [], issues: [blindSpot('iocs', `the host: ${messageOf(error)}`)] };
  }
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

/**
 * Hashes the selected distributions of every container the host-side read reached (running and
 * stopped engine containers, system containers' root folders) in one script, storing the outcome
 * on their packages and the notes with each container's. Throws only for cancellation.
 */
async function verifyOnHost(runner: CommandRunner, fromHost: Iterable<HostReadResult>, select: RecordSelector, options: CollectHostOptions): Promise<void> {
  const reads = [...fromHost].flatMap((result) => ('read' in result ? [{ target: result.target, read: result.read, scan: result.read.scan as ContainerScan }] : []));
  const places = reads.map(({ target, read, scan }) => ({ container: target.container, via: target.via, roots: target.roots, masks: read.masks, environments: scan.python.environments }));
  if (places.length === 0) return;
  options.onPhase('python', `verifying RECORDs of flagged distributions in ${places.length} ${places.length === 1 ? 'container' : 'containers'} from the host`);
  try {
    const issues = await verifyContainerRecordsOnHost(runner, places, select, options.signal);
    for (const [index, { scan }] of reads.entries()) scan.python.issues.push(...issues[index]!);
  } catch (error) {
    if (options.signal.aborted) throw error;
    for (const { target, scan } of reads) {
      if (recordTargets(scan.python.environments, select).length > 0) scan.python.issues.push(blindSpot('python', `container ${target.container.name}: RECORD verification from the host failed (${errorClass(error)})`));
    }
  }
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
