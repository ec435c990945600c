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
 */
import { normalizePackageName } from './advisories/pep503.js';
import { watchSetOf } from './auto-updaters.js';
import { FINDING_KINDS, isFindingOfKind } from './model.js';
import type {
  CompromisedPackageFinding,
  Container,
  Finding,
  HostInventory,
  HostStatus,
  PythonEnvironment,
  PythonPackage,
  ScanReport,
  Severity,
} from './model.js';
import { compareSeverity, reachesSeverity } from './model.js';

/** The kinds of node in the blast-radius graph. */
export type BlastNodeKind = 'host' | 'container' | 'environment' | 'package';

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

/** Any node of the graph; switch on `kind`. */
export type BlastNode = HostNode | ContainerNode | EnvironmentNode | PackageNode;

/** `contains`: from the holder to what it holds; `updates`: from an auto-updater to a container it watches. */
export type BlastEdgeKind = 'contains' | 'updates';

/** An edge of the graph; only `contains` edges make the tree that ancestors and layout follow. */
export interface BlastEdge {
  id: string;
  source: string;
  target: string;
  kind: BlastEdgeKind;
  /** For `updates` edges: `updates` when the updater replaces the container, `notifies` when it only watches it. */
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

/** Host statuses that mean the scan never read the host. */
const NOT_SCANNED: ReadonlySet<HostStatus> = new Set<HostStatus>([
  'unreachable',
  'auth-failed',
  'host-key-mismatch',
  'host-key-unknown',
  // `error` is a collector crash or a cancel before the host was read: the inventory is empty.
  'error',
]);

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
    if (isFindingOfKind(finding, 'compromised-package')) continue;
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

  for (const node of nodes.values()) finishNode(node, findings);
  return { nodes: [...nodes.values()], edges: [...edges.values()], findings: known };
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
  const failed = NOT_SCANNED.has(host.status);
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
