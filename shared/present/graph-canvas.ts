/**
 * The blast-radius graph while it is being drawn: the nodes and edges so far, and the primitives
 * each finding kind's graph part draws with (shared/kinds/). The canvas knows hosts, containers,
 * Python environments and how a finding raises the nodes that hold it; what a kind draws beyond
 * that (a package node, a key and its provider, a consumer's path to its gateway) is the kind's.
 */
import { normalizePackageName } from '../domain/advisories/pep503.js';
import { hostWasRead } from '../domain/host-status.js';
import type { CompromisedPackageFinding, Container, Finding, GatewayFinding, HostInventory, HostStatus, PythonEnvironment, PythonPackage } from '../model/index.js';
import { compareSeverity, isFindingOfKind, reachesSeverity } from '../model/index.js';
import {
  BLAST_MARKS,
  containerNodeId,
  hostNodeId,
  packageNodeId,
  providerNodeId,
  type BlastEdge,
  type BlastEdgeKind,
  type BlastMark,
  type BlastNode,
  type ContainerNode,
  type EnvironmentCount,
  type HostNode,
  type ProviderNode,
} from './graph-model.js';

/**
 * When each kind's findings are drawn: packages first (they make the environment and package
 * nodes the others attach to), then findings attached to those nodes, then keys, gateway routes,
 * consumers and lateral paths, which link nodes the earlier stages made.
 */
export const GRAPH_STAGES = ['packages', 'attached', 'keys', 'routes', 'consumers', 'lateral'] as const;
/** One stage of drawing the graph. */
export type GraphStage = (typeof GRAPH_STAGES)[number];

const STATUS_TEXT: Record<HostStatus, string> = {
  ok: 'fully scanned',
  partial: 'partly scanned; what is shown may be incomplete',
  unreachable: 'not scanned: unreachable',
  'auth-failed': 'not scanned: authentication failed',
  'host-key-mismatch': 'not scanned: host key does not match known_hosts',
  'host-key-unknown': 'not scanned: host key not trusted yet',
  error: 'not scanned: the scan failed',
};

// Providers that are not a service a key authenticates to.
const NO_PROVIDER_NODE = new Set(['ssh', 'unknown', '']);

/** The graph being drawn for one report. */
export class GraphCanvas {
  readonly nodes = new Map<string, BlastNode>();
  readonly edges = new Map<string, BlastEdge>();
  readonly hostsByName = new Map<string, HostInventory>();
  private readonly parentOf = new Map<string, string>();
  /** The flagged packages of each environment, read once from packageFindings (every host and container node counts them). */
  readonly flaggedPackages: FlaggedPackages;

  /**
   * @param findings every finding drawn (kinds the app knows), in report order
   * @param packageFindings the compromised-package findings: they decide which environments are nodes
   */
  constructor(
    readonly findings: readonly Finding[],
    readonly packageFindings: readonly CompromisedPackageFinding[],
  ) {
    this.flaggedPackages = flaggedPackageIndex(packageFindings);
  }

  private gateways: GatewayFinding[] | undefined;

  /** The gateway findings among `findings`, read once (every consumer drawn looks its gateway up among them). */
  get gatewayFindings(): readonly GatewayFinding[] {
    return (this.gateways ??= this.findings.filter((finding): finding is GatewayFinding => isFindingOfKind(finding, 'gateway')));
  }

  /** Draws every host of the report and each of its containers. */
  drawHosts(hosts: readonly HostInventory[]): void {
    for (const host of hosts) {
      if (this.hostsByName.has(host.name)) continue;
      this.hostsByName.set(host.name, host);
      this.nodes.set(hostNodeId(host.name), hostNode(host, this.flaggedPackages));
      for (const container of host.containers) {
        const id = containerNodeId(host.name, container.name);
        if (this.nodes.has(id)) continue;
        this.nodes.set(id, containerNode(host, container, container.name, this.flaggedPackages));
        this.link(hostNodeId(host.name), id);
      }
    }
  }

  /** A `contains` edge: `target` is held by `source` (the tree that ancestors and layout follow). */
  link(source: string, target: string): void {
    this.edges.set(`${source}->${target}`, { id: `${source}->${target}`, source, target, kind: 'contains' });
    this.parentOf.set(target, source);
  }

  /** The node that holds `id`, if any. */
  parent(id: string): string | undefined {
    return this.parentOf.get(id);
  }

  /** The host's inventory; a host only findings name (a hand-merged report) is drawn too. */
  ensureHost(name: string): HostInventory {
    let host = this.hostsByName.get(name);
    if (!host) {
      host = { name, address: 'unknown', status: 'ok', facts: null, containers: [], pythonEnvironments: [] };
      this.hostsByName.set(host.name, host);
      const node = hostNode(host, this.flaggedPackages);
      node.evidence = [`Not in the report's host list; known only from its findings`];
      this.nodes.set(node.id, node);
    }
    return host;
  }

  /** The id of a container's node, drawing it when only a finding names it. */
  ensureContainer(host: HostInventory, name: string): string {
    const id = containerNodeId(host.name, name);
    if (!this.nodes.has(id)) {
      this.nodes.set(id, containerNode(host, null, name, this.flaggedPackages));
      this.link(hostNodeId(host.name), id);
    }
    return id;
  }

  /** The node of a place: the host itself (container null) or one of its containers. */
  place(host: string, container: string | null): string {
    const inventory = this.ensureHost(host);
    return container === null ? hostNodeId(inventory.name) : this.ensureContainer(inventory, container);
  }

  /** The id of a provider's node, drawing it on first use. */
  ensureProvider(provider: string): string {
    const id = providerNodeId(provider);
    if (!this.nodes.has(id)) this.nodes.set(id, providerNode(id, provider.toLowerCase()));
    return id;
  }

  /** True when `provider` is a service keys authenticate to (not `ssh` or `unknown`). */
  isProvider(provider: string): boolean {
    return !NO_PROVIDER_NODE.has(provider.toLowerCase());
  }

  /** Adds an edge other than `contains`; two reasons for one arrow are one edge with both in its label. */
  addEdge(kind: BlastEdgeKind, source: string, target: string, label?: string): void {
    if (source === target) return;
    const id = `${kind}:${source}->${target}`;
    const existing = this.edges.get(id);
    if (existing) {
      if (label && existing.label && !existing.label.split(', ').includes(label)) existing.label = `${existing.label}, ${label}`;
      return;
    }
    this.edges.set(id, { id, source, target, kind, ...(label ? { label } : {}) });
  }

  /** An `updates` edge from an auto-updater to a container it watches, labelled `updates` or `notifies`. */
  addUpdateEdge(source: string, target: string, label: string): void {
    // An updater watching itself is the common default, not a path worth an arrow.
    if (source === target || !this.nodes.has(target)) return;
    const id = `updates:${source}->${target}`;
    const existing = this.edges.get(id);
    // The inventory's watch set knows whether it replaces or only notifies; it wins over the finding's list.
    if (existing && existing.label === 'updates' && label === 'notifies') existing.label = label;
    else if (!existing) this.edges.set(id, { id, source, target, kind: 'updates', label });
  }

  /** Marks a node with what it is (updater, socket holder, IOC place), in BLAST_MARKS order. */
  addMark(nodeId: string, mark: BlastMark): void {
    const node = this.nodes.get(nodeId);
    if (!node || node.marks.includes(mark)) return;
    node.marks.push(mark);
    node.marks.sort((a, b) => BLAST_MARKS.indexOf(a) - BLAST_MARKS.indexOf(b));
  }

  /** The first of `ids` that is a node, or `fallback`. */
  firstDrawn(ids: readonly string[], fallback: string): string {
    return ids.find((id) => this.nodes.has(id)) ?? fallback;
  }

  /**
   * Lists a finding on the node it is about and on every node that holds it. High and critical
   * findings make those nodes reached; `compromises` makes the node itself compromised (bad code
   * that runs there); lower ones are listed without changing a node's colour.
   */
  attach(finding: Finding, nodeId: string, options: { compromises?: boolean } = {}): void {
    const target = this.nodes.get(nodeId);
    if (target) addOtherFinding(target, finding, true, options.compromises === true);
    for (let id = this.parentOf.get(nodeId); id !== undefined; id = this.parentOf.get(id)) {
      const node = this.nodes.get(id);
      if (node) addOtherFinding(node, finding, false, false);
    }
  }

  /** Lists a finding on a node without changing its status or its holders' (a key listed where it was seen). */
  list(finding: Finding, nodeId: string): void {
    const node = this.nodes.get(nodeId);
    if (node && !node.findingIds.includes(finding.id)) node.findingIds.push(finding.id);
  }

  /** Puts flagged code on `nodeId` (compromised) and marks everything that holds it reached. */
  compromise(finding: CompromisedPackageFinding, nodeId: string): void {
    const node = this.nodes.get(nodeId);
    if (node) addPackageFinding(node, finding, true);
    for (let id = this.parentOf.get(nodeId); id !== undefined; id = this.parentOf.get(id)) {
      const holder = this.nodes.get(id);
      if (holder) addPackageFinding(holder, finding, false);
    }
  }
}

/** Lists a compromised-package finding on a node: compromised where the package is, reached above it. */
export function addPackageFinding(node: BlastNode, finding: CompromisedPackageFinding, direct: boolean): void {
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

function addOtherFinding(node: BlastNode, finding: Finding, direct: boolean, compromises: boolean): void {
  if (node.findingIds.includes(finding.id)) return;
  node.findingIds.push(finding.id);
  if (!reachesSeverity(finding.severity, 'high')) return;
  if (node.severity === undefined || compareSeverity(finding.severity, node.severity) < 0) node.severity = finding.severity;
  if (direct && compromises) node.status = 'compromised';
  else if (node.status !== 'compromised') node.status = 'reached';
  if (!direct) node.evidence.push(`Reached by (${finding.severity}): ${finding.title}`);
}

/** The host part of a URL (`http://ollama:11434/v1` → `ollama`), or null when `text` is not a URL. */
export function urlHost(text: string): string | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^/:?#]+)/i.exec(text.trim());
  return match ? match[1]!.replace(/^\[|\]$/g, '').toLowerCase() : null;
}

/** True when `target` (a name or an address) is this host: its name, hostname, SSH address or one of its own addresses. */
export function hostAnswersTo(host: HostInventory, target: string): boolean {
  const wanted = target.toLowerCase();
  const sshHost = host.address.replace(/^[^@]*@/, '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const names = [host.name, host.facts?.hostname ?? '', sshHost, ...(host.addresses ?? [])];
  return names.some((name) => name.toLowerCase() === wanted);
}

/** `3 containers`, `1 container`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The distinct flagged packages (their node ids) of each Python environment, by flaggedPackageIndex's key. */
export type FlaggedPackages = ReadonlyMap<string, ReadonlySet<string>>;

/** Reads the compromised-package findings once into the flagged packages of each environment. */
export function flaggedPackageIndex(findings: readonly CompromisedPackageFinding[]): FlaggedPackages {
  const index = new Map<string, Set<string>>();
  for (const finding of findings) {
    const key = environmentKey(finding.host, finding.container, finding.path);
    let ids = index.get(key);
    if (!ids) index.set(key, (ids = new Set()));
    ids.add(packageNodeId(finding.host, finding.container, finding.path, finding.package, finding.version));
  }
  return index;
}

function environmentKey(host: string, container: string | null, path: string): string {
  return JSON.stringify([host, container, path]);
}

/** The environments of a host or container the graph shows (those with a flagged package) and what they hold. */
export function countEnvironments(host: string, environments: readonly PythonEnvironment[], flagged: FlaggedPackages): EnvironmentCount {
  return {
    total: environments.length,
    shown: environments.filter((environment) => flaggedPackageCount(host, environment, flagged) > 0).length,
    packages: environments.reduce((sum, environment) => sum + environment.packages.length, 0),
  };
}

/** How many distinct flagged packages an environment holds. */
export function flaggedPackageCount(host: string, environment: PythonEnvironment, flagged: FlaggedPackages): number {
  return flagged.get(environmentKey(host, environment.container, environment.path))?.size ?? 0;
}

function environmentSummary(count: EnvironmentCount): string {
  if (count.total === 0) return 'no Python environments';
  return `${plural(count.total, 'Python environment')} (${count.shown} flagged) · ${plural(count.packages, 'package')}`;
}

/** The inventory record of a flagged package, when the environment lists it. */
export function findPackage(environment: PythonEnvironment, finding: CompromisedPackageFinding): PythonPackage | undefined {
  const name = normalizePackageName(finding.package);
  return environment.packages.find((pkg) => normalizePackageName(pkg.name) === name && pkg.version.trim() === finding.version.trim());
}

function hostNode(host: HostInventory, flagged: FlaggedPackages): HostNode {
  const own = host.pythonEnvironments.filter((environment) => environment.container === null);
  const environments = countEnvironments(host.name, own, flagged);
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

function containerNode(host: HostInventory, container: Container | null, name: string, flagged: FlaggedPackages): ContainerNode {
  const own = host.pythonEnvironments.filter((environment) => environment.container === name);
  const environments = countEnvironments(host.name, own, flagged);
  const guest = container?.guest;
  const evidence = container
    ? [
        // A system container has no image: what its config says stands in its place.
        ...(guest
          ? [`System container (${guest.platform} ${guest.id}), no image`, `Root file system: ${guest.rootfs ?? 'not named'}${guest.rootPath ? `, read as files from ${guest.rootPath}` : ', not read'}`]
          : [`Image: ${container.image}`, `Image digest: ${container.imageDigest ?? 'unknown'}`]),
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
      ? [guest ? `${guest.platform} ${guest.id}` : container.image, container.running ? 'running' : 'stopped', environmentSummary(environments)].join(' · ')
      : 'not in the container list',
    status: 'clean',
    findingIds: [],
    marks: [],
    evidence,
    data: container,
    environments,
  };
}

function providerNode(id: string, provider: string): ProviderNode {
  return { id, kind: 'provider', label: provider, sublabel: 'provider', status: 'clean', findingIds: [], marks: [], evidence: [`Provider ${provider}`], data: { provider } };
}
