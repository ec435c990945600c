/**
 * The blast-radius graph of a scan: hosts, their containers, the Python environments in either,
 * and the flagged packages in those environments. A package with a finding is `compromised`;
 * everything that holds it (its environment, its container, its host) is `reached` and carries
 * the finding ids and the worst severity, so the UI can paint the path from a host to the bad
 * code. Hosts whose scan never got in are `failed`: unknown, which is not the same as clean.
 *
 * Collapsing: every host and every container is a node, but an environment is a node only when
 * it holds a flagged package. A homelab host easily has a dozen site-packages folders with
 * hundreds of clean distributions; drawing them buries the one that matters. What is left out
 * is still counted: host and container nodes carry `environments` ({ total, shown, packages })
 * and say it in their sublabel ("3 Python environments (1 flagged) · 212 packages"). The
 * Inventory view lists every environment and package.
 *
 * Every other finding kind attaches to the node it is about (a container's deployment findings to
 * the container, an IOC or a .pth file to its host, container or environment) and lists its id
 * there and on every holder, so clicking a node shows all its findings. Only high and critical
 * ones raise a node to `reached`: a medium "mutable tag" on every container would paint the whole
 * graph and hide the path to the bad code. Marks (`updater`, `socket`, `ioc`) say what a node is
 * whatever its status, and `updates` edges run from an auto-updater to each container it watches.
 *
 * Keys and AI traffic: each secret (by fingerprint, never a value) is one `key` node with a
 * `holds` edge from every host or container it was seen in, and an `authenticates` edge to its
 * `provider` node. A gateway has `routes` edges to its backends (a scanned host or container, an
 * `endpoint` node for any other URL, a provider node for a provider name); each consumer has a
 * `consumes` edge to the gateway, through a `tunnel` or `route` node when it goes through an SSH
 * forward or a reverse proxy. `lateral` edges run from a host holding a private SSH key to a host
 * whose authorized_keys accepts it.
 */
import { normalizePackageName } from '../domain/advisories/pep503.js';
import { watchSetOf } from '../domain/containers/auto-updaters.js';
import { hostWasRead } from '../domain/host-status.js';
import { FINDING_KINDS, isFindingOfKind } from '../model/index.js';
import type {
  CompromisedPackageFinding,
  ConsumerFinding,
  Container,
  Finding,
  GatewayFinding,
  HostInventory,
  HostStatus,
  ProxyRoute,
  PythonEnvironment,
  PythonPackage,
  ScanReport,
  SecretFinding,
  SecretLocation,
  Severity,
  SshLateralFinding,
  SshTunnel,
} from '../model/index.js';
import { compareSeverity, reachesSeverity } from '../model/index.js';

/** The kinds of node in the blast-radius graph. */
export type BlastNodeKind = 'host' | 'container' | 'environment' | 'package' | 'key' | 'provider' | 'endpoint' | 'tunnel' | 'route';

/** How a node stands: holds flagged code, holds something that does, nothing found, or not scanned. */
export type BlastNodeStatus = 'compromised' | 'reached' | 'clean' | 'failed';

/**
 * What a node is, beside its status: an auto-updater, a holder of the container engine's socket
 * (or the host root), or a place where an indicator of compromise matched.
 */
export type BlastMark = 'updater' | 'socket' | 'ioc';

/** Marks in the order they are drawn, so the badges never reshuffle between scans. */
export const BLAST_MARKS: readonly BlastMark[] = ['updater', 'socket', 'ioc'];

/** Fields every node kind has; `data` is the record the node was drawn from. */
interface BlastNodeBase<K extends BlastNodeKind, D> {
  /** Stable across re-scans: derived from host, container, path and package, never from order. */
  id: string;
  kind: K;
  label: string;
  sublabel: string;
  status: BlastNodeStatus;
  /** The worst severity among the findings that raised the node (flagged code, or high and critical findings); absent when none did. */
  severity?: Severity;
  /** The findings on this node or anything below it, of every kind. */
  findingIds: string[];
  /** What the node is beside its status, in BLAST_MARKS order; empty for most nodes. */
  marks: BlastMark[];
  /** Human-readable lines for the evidence panel. */
  evidence: string[];
  data: D;
}

/** What a host or container node holds, including environments left out of the graph. */
export interface EnvironmentCount {
  /** Python environments in this host (outside containers) or this container. */
  total: number;
  /** How many of them are nodes: the ones with a flagged package. */
  shown: number;
  /** Installed distributions across all `total` environments. */
  packages: number;
}

/** A scanned (or unscannable) host. */
export interface HostNode extends BlastNodeBase<'host', HostInventory> {
  /** Environments outside any container; container environments are counted on the container. */
  environments: EnvironmentCount;
  /** True when the host was reached but not fully read (`partial`): clean means "nothing seen". */
  incomplete: boolean;
}

/** A container; `data` is null when a finding names a container the container list lacks. */
export interface ContainerNode extends BlastNodeBase<'container', Container | null> {
  environments: EnvironmentCount;
}

/** A Python environment (site-packages) that holds at least one flagged package. */
export type EnvironmentNode = BlastNodeBase<'environment', PythonEnvironment>;

/** A flagged distribution; `data` is its inventory record, or the name and version its finding gives. */
export type PackageNode = BlastNodeBase<'package', PythonPackage>;

/** A secret by fingerprint, with every place it was seen; there is no field for a value. */
export interface KeyData {
  fingerprint: string;
  provider: string;
  locations: SecretLocation[];
}

/** One secret (SecretFinding), whatever the number of places it was seen in. */
export type KeyNode = BlastNodeBase<'key', KeyData>;

/** A provider keys authenticate to and gateways route to (`openai`, `anthropic`…). */
export type ProviderNode = BlastNodeBase<'provider', { provider: string }>;

/** A gateway backend URL that names no scanned host or container. */
export type EndpointNode = BlastNodeBase<'endpoint', { url: string }>;

/** An SSH local forward a consumer reaches its gateway through; `host` is where it listens. */
export type TunnelNode = BlastNodeBase<'tunnel', SshTunnel & { host: string }>;

/** A reverse-proxy route a consumer reaches its gateway through; `host` is where it is declared. */
export type RouteNode = BlastNodeBase<'route', ProxyRoute & { host: string }>;

/** Any node of the graph; switch on `kind`. */
export type BlastNode = HostNode | ContainerNode | EnvironmentNode | PackageNode | KeyNode | ProviderNode | EndpointNode | TunnelNode | RouteNode;

/**
 * `contains`: from the holder to what it holds; `updates`: from an auto-updater to a container it
 * watches; `holds`: from a place to a key seen there; `authenticates`: from a key to its provider;
 * `routes`: from a gateway to a backend; `consumes`: from a consumer towards its gateway (through
 * a tunnel or route); `lateral`: from a host with a private SSH key to a host that accepts it.
 */
export type BlastEdgeKind = 'contains' | 'updates' | 'holds' | 'authenticates' | 'routes' | 'consumes' | 'lateral';

/** An edge of the graph; only `contains` edges make the tree that ancestors and layout follow. */
export interface BlastEdge {
  id: string;
  source: string;
  target: string;
  kind: BlastEdgeKind;
  /**
   * `updates` edges: `updates` when the updater replaces the container, `notifies` when it only
   * watches it; `consumes`: how the consumer reaches the gateway; `lateral`: the accounts it logs into.
   */
  label?: string;
}

/** The graph of one scan report, with the findings its nodes refer to. */
export interface BlastGraph {
  nodes: BlastNode[];
  edges: BlastEdge[];
  /** The findings drawn in the graph (kinds this module does not know are left out). */
  findings: Finding[];
}

/** What the evidence panel shows for one node. */
export interface NodeEvidence {
  node: BlastNode;
  evidence: string[];
  /** The findings behind `node.findingIds`, in report order. */
  findings: Finding[];
  /** The nodes that hold this one, host first. */
  ancestors: BlastNode[];
}

const STATUS_TEXT: Record<HostStatus, string> = {
  ok: 'fully scanned',
  partial: 'partly scanned; what is shown may be incomplete',
  unreachable: 'not scanned: unreachable',
  'auth-failed': 'not scanned: authentication failed',
  'host-key-mismatch': 'not scanned: host key does not match known_hosts',
  'host-key-unknown': 'not scanned: host key not trusted yet',
  error: 'not scanned: the scan failed',
};

// Components are URI-encoded so a `/` in a path or a name can never make two ids collide.
const part = encodeURIComponent;

/** The node id of a host. */
export function hostNodeId(host: string): string {
  return `host:${part(host)}`;
}

/** The node id of a container on a host. */
export function containerNodeId(host: string, container: string): string {
  return `container:${part(host)}/${part(container)}`;
}

/** The node id of a Python environment; container null is the host itself (an empty segment). */
export function environmentNodeId(host: string, container: string | null, path: string): string {
  return `environment:${part(host)}/${container === null ? '' : part(container)}/${part(path)}`;
}

/** The node id of a package in an environment, by PEP 503 name so spellings of one project meet. */
export function packageNodeId(host: string, container: string | null, path: string, name: string, version: string): string {
  const environment = environmentNodeId(host, container, path).slice('environment:'.length);
  return `package:${environment}/${part(normalizePackageName(name))}@${part(version.trim())}`;
}

/** The node id of a secret, by its fingerprint (never by a value, which the report does not have). */
export function keyNodeId(fingerprint: string): string {
  return `key:${part(fingerprint)}`;
}

/** The node id of a provider (`openai`, `anthropic`…). */
export function providerNodeId(provider: string): string {
  return `provider:${part(provider.toLowerCase())}`;
}

/** The node id of a gateway backend URL that names no scanned host. */
export function endpointNodeId(url: string): string {
  return `endpoint:${part(url)}`;
}

/** The node id of an SSH forward, by the host and the address and port it listens on. */
export function tunnelNodeId(host: string, tunnel: Pick<SshTunnel, 'localAddress' | 'localPort'>): string {
  return `tunnel:${part(host)}/${part(tunnel.localAddress)}:${tunnel.localPort}`;
}

/** The node id of a reverse-proxy route, by the host, the proxy and what it matches. */
export function routeNodeId(host: string, route: Pick<ProxyRoute, 'proxy' | 'match'>): string {
  return `route:${part(host)}/${part(route.proxy)}/${part(route.match)}`;
}

/**
 * A fingerprint shortened for a label: `3f2a9c1b…Qx7a` for an API key (hash head and the key's
 * last 4), `SHA256:n3VfY0yq…` for an SSH key. Only ever a fingerprint's own characters.
 */
export function shortFingerprint(fingerprint: string): string {
  const parts = fingerprint.split(':');
  if (parts[0] === 'ssh' && parts[1] === 'SHA256') return `SHA256:${(parts[2] ?? '').slice(0, 8)}…`;
  if (parts.length >= 3) return `${(parts[parts.length - 2] ?? '').slice(0, 8)}…${parts[parts.length - 1]}`;
  return fingerprint.length > 14 ? `${fingerprint.slice(0, 12)}…` : fingerprint;
}

/** Builds the blast-radius graph of a report: every host and container, flagged environments and packages, and every finding on its node. */
export function buildBlastGraph(report: Pick<ScanReport, 'hosts' | 'findings'>): BlastGraph {
  // Kinds this module does not know are left out (report-format.md: consumers ignore them).
  const known = report.findings.filter((finding) => (FINDING_KINDS as readonly string[]).includes(finding.kind));
  const findings = known.filter((finding) => isFindingOfKind(finding, 'compromised-package'));
  const nodes = new Map<string, BlastNode>();
  const edges = new Map<string, BlastEdge>();
  const parentOf = new Map<string, string>();
  const link = (source: string, target: string): void => {
    edges.set(`${source}->${target}`, { id: `${source}->${target}`, source, target, kind: 'contains' });
    parentOf.set(target, source);
  };

  const hostsByName = new Map<string, HostInventory>();
  const ensureHost = (name: string): HostInventory => {
    let host = hostsByName.get(name);
    if (!host) {
      // A finding naming a host the report does not list (a hand-merged report) is still drawn.
      host = { name, address: 'unknown', status: 'ok', facts: null, containers: [], pythonEnvironments: [] };
      hostsByName.set(host.name, host);
      const node = hostNode(host, findings);
      node.evidence = [`Not in the report's host list; known only from its findings`];
      nodes.set(node.id, node);
    }
    return host;
  };
  const ensureContainer = (host: HostInventory, name: string): string => {
    const id = containerNodeId(host.name, name);
    if (!nodes.has(id)) {
      nodes.set(id, containerNode(host, null, name, findings));
      link(hostNodeId(host.name), id);
    }
    return id;
  };

  for (const host of report.hosts) {
    if (hostsByName.has(host.name)) continue;
    hostsByName.set(host.name, host);
    nodes.set(hostNodeId(host.name), hostNode(host, findings));
    for (const container of host.containers) {
      const id = containerNodeId(host.name, container.name);
      if (nodes.has(id)) continue;
      nodes.set(id, containerNode(host, container, container.name, findings));
      link(hostNodeId(host.name), id);
    }
  }

  for (const finding of findings) {
    const host = ensureHost(finding.host);
    const holder = finding.container === null ? hostNodeId(host.name) : ensureContainer(host, finding.container);

    const environmentId = environmentNodeId(host.name, finding.container, finding.path);
    const environment = findEnvironment(host, finding) ?? { path: finding.path, container: finding.container, packages: [] };
    if (!nodes.has(environmentId)) {
      nodes.set(environmentId, environmentNode(host.name, environment, environmentId, findings));
      link(holder, environmentId);
    }

    const packageId = packageNodeId(host.name, finding.container, finding.path, finding.package, finding.version);
    const existing = nodes.get(packageId);
    if (existing) {
      addFinding(existing, finding, true);
    } else {
      const pkg = findPackage(environment, finding) ?? { name: finding.package, version: finding.version };
      nodes.set(packageId, packageNode(packageId, pkg, finding));
      link(environmentId, packageId);
    }

    // Everything that holds the package is reached by it.
    for (let id = parentOf.get(packageId); id !== undefined; id = parentOf.get(id)) {
      const node = nodes.get(id);
      if (node) addFinding(node, finding, false);
    }
  }

  // The other kinds go on the nodes the packages made, so they come second.
  for (const finding of known) {
    // A secret is about its key node, not the place it was first seen: drawn below.
    if (isFindingOfKind(finding, 'compromised-package') || isFindingOfKind(finding, 'secret')) continue;
    const host = ensureHost(finding.host);
    const holder = finding.container === null ? hostNodeId(host.name) : ensureContainer(host, finding.container);
    const targetId = attachmentOf(finding, holder, nodes);
    const target = nodes.get(targetId)!;
    addOtherFinding(target, finding, true);
    for (let id = parentOf.get(targetId); id !== undefined; id = parentOf.get(id)) {
      const node = nodes.get(id);
      if (node) addOtherFinding(node, finding, false);
    }
    if (isFindingOfKind(finding, 'ioc')) addMark(target, 'ioc');
    if (isFindingOfKind(finding, 'docker-socket-mount')) addMark(target, 'socket');
    if (isFindingOfKind(finding, 'auto-updater')) {
      addMark(target, 'updater');
      for (const watched of finding.watches) addUpdateEdge(edges, nodes, targetId, containerNodeId(host.name, watched), 'updates');
    }
  }

  // The inventory says what findings may not: an older report, or an updater or socket not judged a risk.
  for (const host of hostsByName.values()) {
    for (const container of host.containers) {
      const id = containerNodeId(host.name, container.name);
      const node = nodes.get(id);
      if (!node) continue;
      if ((container.mounts ?? []).some((mount) => mount.risk === 'engine-socket')) addMark(node, 'socket');
      const set = watchSetOf(container, host.containers);
      if (!set) continue;
      addMark(node, 'updater');
      for (const watched of set.watches) {
        addUpdateEdge(edges, nodes, id, containerNodeId(host.name, watched), set.updates.includes(watched) ? 'updates' : 'notifies');
      }
    }
  }

  drawKeysAndTraffic(known, { nodes, edges, hostsByName, ensureHost, ensureContainer, link });

  for (const node of nodes.values()) finishNode(node, findings);
  return { nodes: [...nodes.values()], edges: [...edges.values()], findings: known };
}

/** What the key and traffic drawing needs from buildBlastGraph's state. */
interface GraphState {
  nodes: Map<string, BlastNode>;
  edges: Map<string, BlastEdge>;
  hostsByName: ReadonlyMap<string, HostInventory>;
  ensureHost(name: string): HostInventory;
  ensureContainer(host: HostInventory, name: string): string;
  link(source: string, target: string): void;
}

// Providers that are not a service a key authenticates to.
const NO_PROVIDER_NODE = new Set(['ssh', 'unknown', '']);

/** Key, provider, gateway, consumer, tunnel, route and lateral-movement nodes and edges. */
function drawKeysAndTraffic(known: readonly Finding[], state: GraphState): void {
  const { nodes, edges } = state;
  const addEdge = (kind: BlastEdgeKind, source: string, target: string, label?: string): void => {
    if (source === target) return;
    const id = `${kind}:${source}->${target}`;
    const existing = edges.get(id);
    if (existing) {
      // Two reasons for one arrow (two accounts, two ways in) are one edge with both in its label.
      if (label && existing.label && !existing.label.split(', ').includes(label)) existing.label = `${existing.label}, ${label}`;
      return;
    }
    edges.set(id, { id, source, target, kind, ...(label ? { label } : {}) });
  };
  const place = (host: string, container: string | null): string => {
    const inventory = state.ensureHost(host);
    return container === null ? hostNodeId(inventory.name) : state.ensureContainer(inventory, container);
  };
  const ensureProvider = (provider: string): string => {
    const id = providerNodeId(provider);
    if (!nodes.has(id)) nodes.set(id, providerNode(id, provider.toLowerCase()));
    return id;
  };

  for (const finding of known) {
    if (!isFindingOfKind(finding, 'secret')) continue;
    const id = keyNodeId(finding.fingerprint);
    const key = nodes.get(id) ?? keyNode(id, finding);
    nodes.set(id, key);
    addOtherFinding(key, finding, true);
    const locations = finding.locations.length > 0 ? finding.locations : [{ host: finding.host, container: finding.container, source: 'app-config' as const }];
    for (const location of locations) {
      const holder = place(location.host, location.container);
      addEdge('holds', holder, id);
      // Listed where it was seen, so clicking a container shows its keys; a key does not make its holder reached.
      const node = nodes.get(holder);
      if (node && !node.findingIds.includes(finding.id)) node.findingIds.push(finding.id);
    }
    if (!NO_PROVIDER_NODE.has(finding.provider.toLowerCase())) addEdge('authenticates', id, ensureProvider(finding.provider));
  }

  const gateways = known.filter((finding): finding is GatewayFinding => isFindingOfKind(finding, 'gateway'));
  for (const gateway of gateways) {
    const source = place(gateway.host, gateway.container);
    const host = state.hostsByName.get(gateway.host);
    for (const backend of gateway.backends) {
      const target = backendNodeId(backend, host, state, ensureProvider);
      addEdge('routes', source, target);
    }
  }

  for (const finding of known) {
    if (!isFindingOfKind(finding, 'consumer')) continue;
    const consumerHost = state.ensureHost(finding.consumerHost);
    const consumer = consumerHost.containers.some((container) => container.name === finding.consumer)
      ? state.ensureContainer(consumerHost, finding.consumer)
      : hostNodeId(consumerHost.name);
    const gateway = gatewayNodeId(finding, gateways, state);
    // A host service (a systemd unit) is drawn as its host; the edge says which unit it is.
    const label = consumer === hostNodeId(consumerHost.name) && finding.consumer !== consumerHost.name ? `${finding.via} · ${finding.consumer}` : finding.via;
    const hops = viaNodes(finding, consumerHost, gateways, state);
    if (hops.length === 0) {
      addEdge('consumes', consumer, gateway, label);
      continue;
    }
    for (const hop of hops) {
      addEdge('consumes', consumer, hop, label);
      addEdge('consumes', hop, gateway, finding.via === 'ssh-tunnel' ? 'forwards' : 'proxies');
    }
  }

  for (const finding of known) {
    if (!isFindingOfKind(finding, 'ssh-lateral')) continue;
    addEdge('lateral', place(finding.fromHost, null), place(finding.toHost, null), `ssh as ${finding.toUser}`);
  }
}

/** Where a gateway backend is drawn: a provider name is a provider; a URL is the scanned container or host it names, or an endpoint. */
function backendNodeId(
  backend: string,
  gatewayHost: HostInventory | undefined,
  state: GraphState,
  ensureProvider: (provider: string) => string,
): string {
  const target = urlHost(backend);
  if (target === null) return ensureProvider(backend);
  // A name on the gateway's own networks is a container beside it before it is a host anywhere.
  const container = gatewayHost?.containers.find(
    (candidate) => candidate.name === target || (candidate.networks ?? []).some((network) => network.aliases.includes(target)),
  );
  if (gatewayHost && container) return state.ensureContainer(gatewayHost, container.name);
  const host = [...state.hostsByName.values()].find((candidate) => hostAnswersTo(candidate, target));
  if (host) return hostNodeId(host.name);
  const id = endpointNodeId(backend);
  if (!state.nodes.has(id)) state.nodes.set(id, endpointNode(id, backend));
  return id;
}

/** The node a consumer's gateway is: the gateway finding's container or host, or the container of that name. */
function gatewayNodeId(finding: ConsumerFinding, gateways: readonly GatewayFinding[], state: GraphState): string {
  const gateway = gateways.find(
    (candidate) => candidate.host === finding.gatewayHost && (candidate.container === finding.gateway || candidate.service === finding.gateway),
  );
  const host = state.ensureHost(finding.gatewayHost);
  if (gateway) return gateway.container === null ? hostNodeId(host.name) : state.ensureContainer(host, gateway.container);
  return host.containers.some((container) => container.name === finding.gateway) ? state.ensureContainer(host, finding.gateway) : hostNodeId(host.name);
}

/**
 * The tunnel or route nodes a consumer goes through: SSH forwards on its host to one of the
 * gateway's ports (on the gateway's host when the destination says so), or proxy routes on its
 * host or the gateway's whose upstream is the gateway. Empty for the other ways in.
 */
function viaNodes(finding: ConsumerFinding, consumerHost: HostInventory, gateways: readonly GatewayFinding[], state: GraphState): string[] {
  const gateway = gateways.find((candidate) => candidate.host === finding.gatewayHost && (candidate.container === finding.gateway || candidate.service === finding.gateway));
  const gatewayHost = state.hostsByName.get(finding.gatewayHost);
  const ports = new Set<number>();
  for (const endpoint of gateway?.endpoints ?? []) {
    const port = Number(/:(\d+)$/.exec(endpoint)?.[1]);
    if (Number.isInteger(port) && port > 0) ports.add(port);
  }
  const container = gatewayHost?.containers.find((candidate) => candidate.name === finding.gateway);
  for (const published of container?.ports ?? []) {
    ports.add(Number(published.hostPort));
    ports.add(Number(published.containerPort.split('/')[0]));
  }

  if (finding.via === 'ssh-tunnel') {
    const toGatewayHost = (tunnel: SshTunnel): boolean => {
      const destination = tunnel.sshDestination.replace(/^[^@]*@/, '').replace(/:\d+$/, '');
      return gatewayHost !== undefined && hostAnswersTo(gatewayHost, destination);
    };
    const onPort = (consumerHost.tunnels ?? []).filter((tunnel) => ports.size === 0 || ports.has(tunnel.remotePort));
    const chosen = onPort.some(toGatewayHost) ? onPort.filter(toGatewayHost) : onPort;
    return chosen.map((tunnel) => {
      const id = tunnelNodeId(consumerHost.name, tunnel);
      if (!state.nodes.has(id)) {
        state.nodes.set(id, tunnelNode(id, consumerHost.name, tunnel));
        state.link(hostNodeId(consumerHost.name), id);
      }
      return id;
    });
  }
  if (finding.via === 'proxy-route') {
    const hosts = [consumerHost, ...(gatewayHost && gatewayHost !== consumerHost ? [gatewayHost] : [])];
    const ids: string[] = [];
    for (const host of hosts) {
      for (const route of host.proxyRoutes ?? []) {
        const upstream = route.upstreamHost === finding.gateway || (ports.has(route.upstreamPort) && (gatewayHost === undefined || hostAnswersTo(gatewayHost, route.upstreamHost) || route.upstreamHost === finding.gateway));
        if (!upstream && !(route.container === finding.gateway && host === gatewayHost)) continue;
        const id = routeNodeId(host.name, route);
        if (!state.nodes.has(id)) {
          state.nodes.set(id, routeNode(id, host.name, route));
          const holder = route.container !== null && host.containers.some((candidate) => candidate.name === route.container)
            ? state.ensureContainer(host, route.container)
            : hostNodeId(host.name);
          state.link(holder, id);
        }
        ids.push(id);
      }
    }
    return ids;
  }
  return [];
}

/** The host part of a URL (`http://ollama:11434/v1` → `ollama`), or null when `text` is not a URL. */
function urlHost(text: string): string | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^/:?#]+)/i.exec(text.trim());
  return match ? match[1]!.replace(/^\[|\]$/g, '').toLowerCase() : null;
}

/** True when `target` (a name or an address) is this host: its name, hostname, SSH address or one of its own addresses. */
function hostAnswersTo(host: HostInventory, target: string): boolean {
  const wanted = target.toLowerCase();
  const sshHost = host.address.replace(/^[^@]*@/, '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const names = [host.name, host.facts?.hostname ?? '', sshHost, ...(host.addresses ?? [])];
  return names.some((name) => name.toLowerCase() === wanted);
}

function keyNode(id: string, finding: SecretFinding): KeyNode {
  const hosts = unique(finding.locations.map((location) => location.host));
  return {
    id,
    kind: 'key',
    label: `${finding.provider} ${shortFingerprint(finding.fingerprint)}`,
    sublabel: `${plural(finding.locations.length, 'location')} on ${hosts.join(', ') || finding.host}`,
    status: 'clean',
    findingIds: [],
    marks: [],
    evidence: [
      `Provider: ${finding.provider}`,
      `Fingerprint: ${finding.fingerprint}`,
      ...finding.locations.map((location) => `Seen at ${describeLocation(location)}`),
    ],
    data: { fingerprint: finding.fingerprint, provider: finding.provider, locations: finding.locations },
  };
}

/** `gw · container litellm · container-env OPENAI_API_KEY`: where a key was seen, never what it is. */
export function describeLocation(location: SecretLocation): string {
  return [
    location.host,
    location.container === null ? 'host' : `container ${location.container}`,
    [location.source, location.path, location.variable].filter(Boolean).join(' '),
  ].join(' · ');
}

function providerNode(id: string, provider: string): ProviderNode {
  return { id, kind: 'provider', label: provider, sublabel: 'provider', status: 'clean', findingIds: [], marks: [], evidence: [`Provider ${provider}`], data: { provider } };
}

function endpointNode(id: string, url: string): EndpointNode {
  return {
    id,
    kind: 'endpoint',
    label: urlHost(url) ?? url,
    sublabel: url,
    status: 'clean',
    findingIds: [],
    marks: [],
    evidence: [`Backend URL ${url}, on no scanned host`],
    data: { url },
  };
}

function tunnelNode(id: string, host: string, tunnel: SshTunnel): TunnelNode {
  return {
    id,
    kind: 'tunnel',
    label: `${tunnel.localAddress}:${tunnel.localPort} → ${tunnel.remoteHost}:${tunnel.remotePort}`,
    sublabel: [`ssh ${tunnel.sshDestination}`, tunnel.unit ?? tunnel.path].join(' · '),
    status: 'clean',
    findingIds: [],
    marks: [],
    evidence: [
      `SSH forward on ${host}: ${tunnel.localAddress}:${tunnel.localPort} to ${tunnel.remoteHost}:${tunnel.remotePort} as seen from ${tunnel.sshDestination}`,
      `From ${tunnel.source} ${tunnel.unit ?? ''} ${tunnel.path}`.replace(/\s+/g, ' '),
      `Command: ${tunnel.command}`,
    ],
    data: { ...tunnel, host },
  };
}

function routeNode(id: string, host: string, route: ProxyRoute): RouteNode {
  return {
    id,
    kind: 'route',
    label: route.match,
    sublabel: `${route.proxy} → ${route.upstreamHost}:${route.upstreamPort}`,
    status: 'clean',
    findingIds: [],
    marks: [],
    evidence: [
      `${route.proxy} route on ${host}${route.container === null ? '' : ` (container ${route.container})`}: ${route.match} → ${route.upstreamHost}:${route.upstreamPort}`,
      ...(route.path ? [`Declared in ${route.path}`] : []),
    ],
    data: { ...route, host },
  };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/**
 * The node a finding other than compromised-package is about: the package or environment it
 * names when the graph draws them, otherwise its container or host (`holder`).
 */
function attachmentOf(finding: Finding, holder: string, nodes: ReadonlyMap<string, BlastNode>): string {
  if (isFindingOfKind(finding, 'record-mismatch')) {
    const packageId = packageNodeId(finding.host, finding.container, finding.path, finding.package, finding.version);
    if (nodes.has(packageId)) return packageId;
    const environmentId = environmentNodeId(finding.host, finding.container, finding.path);
    if (nodes.has(environmentId)) return environmentId;
  }
  if (isFindingOfKind(finding, 'executable-pth')) {
    // A .pth file sits at the top of its site folder, so its folder is the environment.
    const environmentId = environmentNodeId(finding.host, finding.container, finding.path.slice(0, Math.max(0, finding.path.lastIndexOf('/'))));
    if (nodes.has(environmentId)) return environmentId;
  }
  return holder;
}

function addUpdateEdge(edges: Map<string, BlastEdge>, nodes: ReadonlyMap<string, BlastNode>, source: string, target: string, label: string): void {
  // An updater watching itself is the common default, not a path worth an arrow.
  if (source === target || !nodes.has(target)) return;
  const id = `updates:${source}->${target}`;
  const existing = edges.get(id);
  // The inventory's watch set knows whether it replaces or only notifies; it wins over the finding's list.
  if (existing && existing.label === 'updates' && label === 'notifies') existing.label = label;
  else if (!existing) edges.set(id, { id, source, target, kind: 'updates', label });
}

function addMark(node: BlastNode, mark: BlastMark): void {
  if (node.marks.includes(mark)) return;
  node.marks.push(mark);
  node.marks.sort((a, b) => BLAST_MARKS.indexOf(a) - BLAST_MARKS.indexOf(b));
}

/** The evidence panel's content for one node, or null when the id is not in the graph (a stale selection). */
export function selectNodeEvidence(graph: BlastGraph, nodeId: string): NodeEvidence | null {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const node = byId.get(nodeId);
  if (!node) return null;
  const parentOf = new Map(graph.edges.filter((edge) => edge.kind === 'contains').map((edge) => [edge.target, edge.source]));
  const ancestors: BlastNode[] = [];
  for (let id = parentOf.get(nodeId); id !== undefined && ancestors.length < graph.nodes.length; id = parentOf.get(id)) {
    const ancestor = byId.get(id);
    if (ancestor) ancestors.unshift(ancestor);
  }
  const wanted = new Set(node.findingIds);
  return { node, evidence: node.evidence, findings: graph.findings.filter((finding) => wanted.has(finding.id)), ancestors };
}

function hostNode(host: HostInventory, findings: readonly CompromisedPackageFinding[]): HostNode {
  const own = host.pythonEnvironments.filter((environment) => environment.container === null);
  const environments = countEnvironments(host.name, own, findings);
  const failed = !hostWasRead(host.status);
  const running = host.containers.filter((container) => container.running).length;
  const evidence = [`Address: ${host.address}`, `Scan status: ${host.status} (${STATUS_TEXT[host.status] ?? host.status})`];
  if (host.error) evidence.push(`Error: ${host.error}`);
  for (const note of host.notes ?? []) evidence.push(`Collector ${note.collector}: ${note.message}`);
  if (host.facts) evidence.push(`Host ${host.facts.hostname}: ${host.facts.os}, kernel ${host.facts.kernel}`);
  if (!failed) {
    evidence.push(
      `${plural(host.containers.length, 'container')} (${running} running)`,
      `Outside containers: ${environmentSummary(environments)}`,
    );
  }
  return {
    id: hostNodeId(host.name),
    kind: 'host',
    label: host.name,
    sublabel: failed
      ? `${host.address} · ${host.status}`
      : [
          host.address,
          ...(host.status === 'partial' ? ['partial scan'] : []),
          plural(host.containers.length, 'container'),
          environmentSummary(environments),
        ].join(' · '),
    status: failed ? 'failed' : 'clean',
    findingIds: [],
    marks: [],
    evidence,
    data: host,
    environments,
    incomplete: host.status === 'partial',
  };
}

function containerNode(host: HostInventory, container: Container | null, name: string, findings: readonly CompromisedPackageFinding[]): ContainerNode {
  const own = host.pythonEnvironments.filter((environment) => environment.container === name);
  const environments = countEnvironments(host.name, own, findings);
  const evidence = container
    ? [
        `Image: ${container.image}`,
        `Image digest: ${container.imageDigest ?? 'unknown'}`,
        `State: ${container.running ? 'running' : 'stopped'}`,
        `Container id: ${container.id}`,
        `On host ${host.name}`,
        environmentSummary(environments),
      ]
    : [`On host ${host.name}`, `Not in the host's container list; known only from its findings`];
  return {
    id: containerNodeId(host.name, name),
    kind: 'container',
    label: name,
    sublabel: container
      ? [container.image, container.running ? 'running' : 'stopped', environmentSummary(environments)].join(' · ')
      : 'not in the container list',
    status: 'clean',
    findingIds: [],
    marks: [],
    evidence,
    data: container,
    environments,
  };
}

function environmentNode(host: string, environment: PythonEnvironment, id: string, findings: readonly CompromisedPackageFinding[]): EnvironmentNode {
  const flagged = flaggedPackageCount(host, environment, findings);
  return {
    id,
    kind: 'environment',
    label: environment.path,
    sublabel: `${plural(environment.packages.length, 'package')}, ${flagged} flagged`,
    status: 'clean',
    findingIds: [],
    marks: [],
    evidence: [
      `Path: ${environment.path}`,
      environment.container === null ? `On host ${host}, outside any container` : `In container ${environment.container} on ${host}`,
      `${plural(environment.packages.length, 'package')} installed, ${flagged} flagged`,
    ],
    data: environment,
  };
}

function packageNode(id: string, pkg: PythonPackage, finding: CompromisedPackageFinding): PackageNode {
  const node: PackageNode = {
    id,
    kind: 'package',
    label: `${pkg.name} ${pkg.version}`,
    sublabel: '',
    status: 'compromised',
    findingIds: [],
    marks: [],
    evidence: [`${pkg.name} ${pkg.version} in ${finding.path}`, ...(pkg.metadataPath ? [`Metadata: ${pkg.metadataPath}`] : [])],
    data: pkg,
  };
  addFinding(node, finding, true);
  return node;
}

function addFinding(node: BlastNode, finding: CompromisedPackageFinding, direct: boolean): void {
  if (node.findingIds.includes(finding.id)) return;
  node.findingIds.push(finding.id);
  if (node.severity === undefined || compareSeverity(finding.severity, node.severity) < 0) node.severity = finding.severity;
  if (direct) {
    node.status = 'compromised';
    node.evidence.push(
      `Finding (${finding.severity}): ${finding.title}`,
      `Advisories: ${finding.advisories.join(', ')}`,
      ...finding.evidence.filter((line) => !node.evidence.includes(line)),
    );
  } else {
    // A failed host with findings cannot happen from one scan, but a reached node says more than "unknown".
    if (node.status !== 'compromised') node.status = 'reached';
    node.evidence.push(`Reached by (${finding.severity}): ${finding.title}`);
  }
}

/**
 * Lists a finding of another kind on `node`. A critical executable .pth runs bad code at every
 * Python start, so the node it is on is compromised like a flagged package's; other high and
 * critical findings make a node reached; lower ones are listed without changing its colour.
 */
function addOtherFinding(node: BlastNode, finding: Finding, direct: boolean): void {
  if (node.findingIds.includes(finding.id)) return;
  node.findingIds.push(finding.id);
  if (!reachesSeverity(finding.severity, 'high')) return;
  if (node.severity === undefined || compareSeverity(finding.severity, node.severity) < 0) node.severity = finding.severity;
  if (direct && isFindingOfKind(finding, 'executable-pth') && finding.severity === 'critical') node.status = 'compromised';
  else if (node.status !== 'compromised') node.status = 'reached';
  if (!direct) node.evidence.push(`Reached by (${finding.severity}): ${finding.title}`);
}

function finishNode(node: BlastNode, findings: readonly CompromisedPackageFinding[]): void {
  if (node.kind !== 'package') return;
  // The primary advisory of each finding; aliases are in the evidence.
  const primaries = findings.filter((finding) => node.findingIds.includes(finding.id)).map((finding) => finding.advisories[0]);
  node.sublabel = [node.severity, ...new Set(primaries)].filter(Boolean).join(' · ');
}

function countEnvironments(host: string, environments: readonly PythonEnvironment[], findings: readonly CompromisedPackageFinding[]): EnvironmentCount {
  return {
    total: environments.length,
    shown: environments.filter((environment) => flaggedPackageCount(host, environment, findings) > 0).length,
    packages: environments.reduce((sum, environment) => sum + environment.packages.length, 0),
  };
}

function flaggedPackageCount(host: string, environment: PythonEnvironment, findings: readonly CompromisedPackageFinding[]): number {
  const ids = new Set(
    findings
      .filter((finding) => finding.host === host && finding.container === environment.container && finding.path === environment.path)
      .map((finding) => packageNodeId(host, finding.container, finding.path, finding.package, finding.version)),
  );
  return ids.size;
}

function environmentSummary(count: EnvironmentCount): string {
  if (count.total === 0) return 'no Python environments';
  return `${plural(count.total, 'Python environment')} (${count.shown} flagged) · ${plural(count.packages, 'package')}`;
}

function findEnvironment(host: HostInventory, finding: CompromisedPackageFinding): PythonEnvironment | undefined {
  return host.pythonEnvironments.find((environment) => environment.container === finding.container && environment.path === finding.path);
}

function findPackage(environment: PythonEnvironment, finding: CompromisedPackageFinding): PythonPackage | undefined {
  const name = normalizePackageName(finding.package);
  return environment.packages.find((pkg) => normalizePackageName(pkg.name) === name && pkg.version.trim() === finding.version.trim());
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
