/**
 * The vocabulary of the blast-radius graph: its node and edge kinds, the shapes of nodes and
 * edges, and the stable node ids every stage that draws into the graph derives from hosts,
 * containers, paths and fingerprints (never from order). Types and pure id functions only.
 */
import { normalizePackageName } from '../domain/advisories/pep503.js';
import type { Container, Finding, HostInventory, ProxyRoute, PythonEnvironment, PythonPackage, SecretLocation, SshTunnel, Severity } from '../model/index.js';

/** The kinds of node in the blast-radius graph. */
export type BlastNodeKind = 'host' | 'container' | 'environment' | 'package' | 'key' | 'provider' | 'endpoint' | 'tunnel' | 'route' | 'fold';

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

/**
 * Clean containers of one host folded into a count (graph-fold.ts), so the overview stays legible;
 * only views draw it (buildBlastGraph never does), and it expands on demand.
 */
export type FoldNode = BlastNodeBase<'fold', { host: string; nodeIds: string[]; labels: string[] }>;

/** Any node of the graph; switch on `kind`. */
export type BlastNode = HostNode | ContainerNode | EnvironmentNode | PackageNode | KeyNode | ProviderNode | EndpointNode | TunnelNode | RouteNode | FoldNode;

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

