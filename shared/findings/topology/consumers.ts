/**
 * Who sends requests to each gateway: containers, systemd units, tunnels and hosts whose configured
 * URLs resolve to it (over a shared network, a published port, an SSH tunnel or a reverse-proxy
 * route), and peers of live connections to it. A consumer of an exposed gateway sent it prompts
 * and credentials while it ran compromised code, and its gateway key must be rotated.
 */
import type { ConsumerFinding, EndpointReference, HostInventory, ProxyRoute, SecretSighting, TcpConnection } from '../../model/index.js';
import { compareSeverity } from '../../model/index.js';
import type { ExposedPlaces } from './exposed-places.js';
import { type Gateway, describeVirtualKey, gatewayAt, gatewayFindingId, gatewayLabel, virtualKeysOf } from './gateways.js';
import { describeClientTraffic, describeLogClient, describeLogWindow, logClient, trafficOf } from './log-clients.js';
import { describePlace, hostNamed, isLoopback, normalizeAddress } from './places.js';
import { type ResolvedEndpoint, resolveEndpoint } from './resolve-endpoint.js';

/** How a consumer reaches its gateway. */
export type ConsumerVia = ConsumerFinding['via'];

/** The ways in, most direct first: a finding names the first of them that its evidence shows. */
const VIA_ORDER: readonly ConsumerVia[] = ['shared-network', 'host-port', 'ssh-tunnel', 'proxy-route', 'live-connection', 'gateway-log', 'gateway-db'];

/** Words of a route's `match` that are syntax, not hostnames. */
const ROUTE_KEYWORDS: ReadonlySet<string> = new Set(['server_name', 'location', 'listen', 'host', 'hostsni', 'pathprefix', 'path', 'and', 'or', '_']);

/** One consumer of one gateway, as it is being gathered. */
interface Gathered {
  consumerHost: string;
  consumer: string;
  /** The consumer's container, or null for a unit, tunnel or host. */
  container: string | null;
  /** `container`, `unit` or `host`, for the id. */
  consumerKind: 'container' | 'unit' | 'host';
  gateway: Gateway;
  vias: Set<ConsumerVia>;
  evidence: string[];
  /** Files its evidence came from (a unit's or host's env file), to find the keys it presents. */
  paths: Set<string>;
}

/** One finding per (consumer, gateway), evidence merged; high when the gateway is exposed, else info. */
export function findConsumers(hosts: readonly HostInventory[], gateways: readonly Gateway[], exposed: ExposedPlaces): ConsumerFinding[] {
  const gathered = new Map<string, Gathered>();
  const record = (
    consumerHost: string,
    consumer: { name: string; container: string | null; kind: Gathered['consumerKind'] },
    gateway: Gateway,
    via: ConsumerVia,
    line: string,
    path?: string,
  ): void => {
    // The gateway's own configuration pointing at itself is not a client.
    if (consumerHost === gateway.host && consumer.container === gateway.container && (consumer.container !== null || consumer.name === gateway.name || consumer.kind === 'host')) return;
    const key = `${consumerIdPart(consumerHost, consumer)}->${gatewayFindingId(gateway)}`;
    const entry = gathered.get(key) ?? {
      consumerHost,
      consumer: consumer.name,
      container: consumer.container,
      consumerKind: consumer.kind,
      gateway,
      vias: new Set<ConsumerVia>(),
      evidence: [],
      paths: new Set<string>(),
    };
    entry.vias.add(via);
    if (path !== undefined) entry.paths.add(path);
    if (!entry.evidence.includes(line)) entry.evidence.push(line);
    gathered.set(key, entry);
  };

  const routes = gatewayRoutes(hosts, gateways);
  for (const host of hosts) {
    for (const reference of host.endpointReferences ?? []) {
      const resolved = resolveEndpoint(host.name, reference.container, reference.targetHost, reference.targetPort, hosts);
      const gateway = resolved ? gatewayAt(gateways, resolved) : null;
      if (resolved && gateway) {
        const consumer = referenceConsumer(host.name, reference, resolved);
        record(host.name, consumer, gateway, consumerVia(resolved), `${referenceLabel(reference)} = ${reference.url}: ${resolved.path.join('; ')}`, reference.path);
        continue;
      }
      for (const route of routes.filter((candidate) => candidate.hostnames.includes(reference.targetHost.toLowerCase()))) {
        record(
          host.name,
          referenceConsumer(host.name, reference, null),
          route.gateway,
          'proxy-route',
          `${referenceLabel(reference)} = ${reference.url}: ${route.proxy.proxy} route ${route.proxy.match} on ${route.host}${route.proxy.path ? ` (${route.proxy.path})` : ''} forwards to ${route.proxy.upstreamHost}:${route.proxy.upstreamPort}; ${route.resolved.path.join('; ')}`,
          reference.path,
        );
      }
    }
    for (const tunnel of host.tunnels ?? []) {
      // Whoever uses the forward reaches the gateway, even when no configured URL names it.
      const resolved = resolveEndpoint(host.name, null, '127.0.0.1', tunnel.localPort, hosts);
      const gateway = resolved?.via === 'ssh-tunnel' && resolved.tunnel?.tunnel === tunnel ? gatewayAt(gateways, resolved) : null;
      if (!resolved || !gateway) continue;
      const consumer = tunnel.unit !== undefined ? { name: tunnel.unit, container: null, kind: 'unit' as const } : { name: host.name, container: null, kind: 'host' as const };
      record(host.name, consumer, gateway, 'ssh-tunnel', `Tunnel ${tunnel.command} (${tunnel.source} ${tunnel.path}): ${resolved.path.join('; ')}`);
    }
  }
  // Another host's address is what every sender there shows (its units, its containers behind
  // NAT): a connection or log line from it backs the consumers already found there that could have
  // sent it (`sentBy`), or names the host when none was.
  const recordFromHost = (consumerHost: string, gateway: Gateway, via: ConsumerVia, line: string, sentBy: (entry: Gathered) => boolean): void => {
    const there = [...gathered.values()].filter(
      (entry) => entry.gateway === gateway && entry.consumerHost === consumerHost && entry.container === null && sentBy(entry),
    );
    if (there.length === 0) record(consumerHost, { name: consumerHost, container: null, kind: 'host' }, gateway, via, line);
    for (const entry of there) {
      entry.vias.add(via);
      if (!entry.evidence.includes(line)) entry.evidence.push(line);
    }
  };
  for (const gateway of gateways) {
    const host = hosts.find((candidate) => candidate.name === gateway.host)!;
    for (const connection of host.connections ?? []) {
      const peer = connectionPeer(host, gateway, connection, hosts);
      if (!peer) continue;
      // A connection straight to the gateway's port comes from a consumer that goes to that port, not through a proxy or tunnel.
      if (peer.consumer.kind === 'host') recordFromHost(peer.host, gateway, 'live-connection', peer.line, (entry) => entry.vias.has('host-port'));
      else record(peer.host, peer.consumer, gateway, 'live-connection', peer.line);
    }
  }
  for (const gateway of gateways) {
    for (const traffic of trafficOf(gateway, hosts)) {
      const via = traffic.source === 'gateway-db' ? 'gateway-db' : 'gateway-log';
      for (const client of traffic.clients) {
        const place = logClient(gateway, client.address, hosts);
        if (place.kind !== 'container' && place.kind !== 'host') continue;
        const line = `${describeClientTraffic(client)} in ${describeLogWindow(traffic)}: ${describeLogClient(place)}`;
        if (place.kind === 'container') {
          record(place.host, { name: place.container, container: place.container, kind: 'container' }, gateway, via, line);
          continue;
        }
        recordFromHost(place.host, gateway, via, line, () => true);
      }
    }
  }

  for (const entry of gathered.values()) {
    const host = hosts.find((candidate) => candidate.name === entry.consumerHost);
    for (const line of presentedKeys(entry, host?.secrets ?? [])) if (!entry.evidence.includes(line)) entry.evidence.push(line);
  }

  return [...gathered.values()]
    .map((entry) => consumerFinding(entry, exposed))
    .sort((a, b) => compareSeverity(a.severity, b.severity) || compareText(a.gatewayHost, b.gatewayHost) || compareText(a.id, b.id));
}

function consumerFinding(entry: Gathered, exposed: ExposedPlaces): ConsumerFinding {
  const { gateway } = entry;
  const exposure = exposed.place(gateway.host, gateway.container);
  const via = VIA_ORDER.find((candidate) => entry.vias.has(candidate))!;
  const who = entry.consumerKind === 'container' ? `Container ${entry.consumer} on ${entry.consumerHost}` : entry.consumerKind === 'unit' ? `Unit ${entry.consumer} on ${entry.consumerHost}` : `Host ${entry.consumerHost}`;
  const target = `${gatewayLabel(gateway.kind)} gateway ${gateway.name} on ${gateway.host}`;
  return {
    id: `consumer:${consumerIdPart(entry.consumerHost, { name: entry.consumer, kind: entry.consumerKind })}->${gatewayFindingId(gateway).slice('gateway:'.length)}`,
    kind: 'consumer',
    severity: exposure ? 'high' : 'info',
    title: `${who} sends requests to ${exposure ? 'the exposed ' : ''}${target} (${via})`,
    host: entry.consumerHost,
    container: entry.container,
    consumer: entry.consumer,
    consumerHost: entry.consumerHost,
    gateway: gateway.name,
    gatewayHost: gateway.host,
    via,
    evidence: [
      ...entry.evidence,
      ...(exposure
        ? [`The gateway is judged exposed (${exposure}): prompts, responses and the key this consumer presents passed through compromised code`]
        : []),
    ],
  };
}

/**
 * The gateway's virtual keys this consumer holds: a sighting in its container (or, for a unit or
 * host, in a file its evidence came from) with a virtual key's fingerprint. Compared without the
 * provider prefix, since a virtual key kept under OPENAI_API_KEY may be named by its variable.
 */
function presentedKeys(entry: Gathered, secrets: readonly SecretSighting[]): string[] {
  const keys = virtualKeysOf(entry.gateway.configs);
  if (keys.length === 0) return [];
  const digest = (fingerprint: string): string => fingerprint.slice(fingerprint.indexOf(':') + 1);
  const lines: string[] = [];
  for (const sighting of secrets) {
    if (sighting.container !== entry.container) continue;
    if (entry.container === null && (sighting.path === undefined || !entry.paths.has(sighting.path))) continue;
    const match = keys.find(({ key }) => digest(key.fingerprint) === digest(sighting.fingerprint));
    if (!match) continue;
    const where = sighting.variable !== undefined ? `${sighting.variable}${sighting.path !== undefined ? ` in ${sighting.path}` : ''}` : (sighting.path ?? sighting.source);
    lines.push(`Presents virtual key ${describeVirtualKey(match.key)}: ${sighting.fingerprint} in ${where} (${sighting.source})`);
  }
  return lines;
}

function consumerIdPart(host: string, consumer: { name: string; kind: Gathered['consumerKind'] }): string {
  return consumer.kind === 'host' ? `${host}:host` : `${host}:${consumer.kind}=${consumer.name}`;
}

/** The sender of a configured URL: its container, else its unit (or the tunnel's), else the host. */
function referenceConsumer(host: string, reference: EndpointReference, resolved: ResolvedEndpoint | null): { name: string; container: string | null; kind: Gathered['consumerKind'] } {
  if (reference.container !== null) return { name: reference.container, container: reference.container, kind: 'container' };
  const unit = reference.unit ?? resolved?.tunnel?.tunnel.unit;
  return unit !== undefined ? { name: unit, container: null, kind: 'unit' } : { name: host, container: null, kind: 'host' };
}

function consumerVia(resolved: ResolvedEndpoint): ConsumerVia {
  switch (resolved.via) {
    case 'shared-network':
    case 'ssh-tunnel':
      return resolved.via;
    // A published port, a host service, or the host's own loopback: all go through the host's ports.
    case 'host-port':
    case 'host-service':
    case 'same-place':
      return 'host-port';
    default:
      return unknownVia(resolved.via);
  }
}

/** Fails to compile when the resolver gains a way in that is not named above. */
function unknownVia(via: never): never {
  throw new Error(`unknown way to reach an endpoint: ${String(via)}`);
}

/** `OPENAI_BASE_URL in /srv/app/.env (env-file)`, `OPENAI_API_BASE (container-env)`, with the unit when there is one. */
function referenceLabel(reference: EndpointReference): string {
  const name = reference.variable ?? 'URL';
  const file = reference.path !== undefined ? ` in ${reference.path}` : '';
  const unit = reference.unit !== undefined ? `, unit ${reference.unit}` : '';
  return `${name}${file} (${reference.source}${unit})`;
}

/** A reverse-proxy route whose upstream lands on a gateway, with the hostnames it serves. */
interface GatewayRoute {
  host: string;
  proxy: ProxyRoute;
  gateway: Gateway;
  resolved: ResolvedEndpoint;
  hostnames: string[];
}

function gatewayRoutes(hosts: readonly HostInventory[], gateways: readonly Gateway[]): GatewayRoute[] {
  const routes: GatewayRoute[] = [];
  for (const host of hosts) {
    for (const proxy of host.proxyRoutes ?? []) {
      const resolved = resolveEndpoint(host.name, proxy.container, proxy.upstreamHost, proxy.upstreamPort, hosts);
      const gateway = resolved ? gatewayAt(gateways, resolved) : null;
      const hostnames = routeHostnames(proxy.match);
      if (resolved && gateway && hostnames.length > 0) routes.push({ host: host.name, proxy, gateway, resolved, hostnames });
    }
  }
  return routes;
}

/** The hostnames a route serves: Traefik ``Host(`a`, `b`)``, nginx `server_name a b`, a Caddy site address. */
export function routeHostnames(match: string): string[] {
  const hostRules = [...match.matchAll(/Host(?:SNI)?\(([^)]*)\)/gi)];
  const tokens = hostRules.length > 0 ? hostRules.flatMap((rule) => [...rule[1]!.matchAll(/[`"']([^`"']+)[`"']/g)].map((quoted) => quoted[1]!)) : match.split(/[\s,;{}]+/);
  const names = tokens
    .map((token) => token.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/\/.*$/, '').replace(/:\d+$/, ''))
    .filter((token) => /^[a-z0-9][a-z0-9.-]*$/.test(token) && !ROUTE_KEYWORDS.has(token));
  return [...new Set(names)];
}

/** The consumer behind an ESTABLISHED connection to the gateway's port, or null when it is not one or the peer is not a scanned place. */
function connectionPeer(
  host: HostInventory,
  gateway: Gateway,
  connection: TcpConnection,
  hosts: readonly HostInventory[],
): { host: string; consumer: { name: string; container: string | null; kind: Gathered['consumerKind'] }; line: string } | null {
  if (connection.state !== 'ESTABLISHED') return null;
  const ports = connection.container === null ? hostSidePorts(host, gateway) : connection.container === gateway.container ? gateway.ports : [];
  if (!ports.includes(connection.localPort)) return null;
  const peer = normalizeAddress(connection.remoteAddress);
  if (isLoopback(peer) && hostNamed(peer, hosts) === null) return null;
  const namespace = connection.container === null ? `host ${host.name}'s namespace` : `container ${connection.container}'s namespace`;
  const line = `ESTABLISHED ${connection.remoteAddress}:${connection.remotePort} → ${connection.localAddress}:${connection.localPort} in ${namespace}`;
  for (const container of host.containers) {
    const network = (container.networks ?? []).find((candidate) => [candidate.ipAddress, candidate.ipv6Address].some((address) => address !== null && normalizeAddress(address) === peer));
    if (!network) continue;
    if (container.name === gateway.container) return null;
    return { host: host.name, consumer: { name: container.name, container: container.name, kind: 'container' }, line: `${line}: peer is ${describePlace(host.name, container.name)} (network ${network.name})` };
  }
  const peerHost = hostNamed(peer, hosts);
  // The gateway host's own addresses are also what docker-proxy and the bridge gateway show for
  // forwarded clients, so a peer there names no consumer anyone could act on.
  if (!peerHost || peerHost.name === host.name) return null;
  return { host: peerHost.name, consumer: { name: peerHost.name, container: null, kind: 'host' }, line: `${line}: peer is host ${peerHost.name}` };
}

/** Ports of the gateway as the host's namespace sees them: published host ports, or a service's own ports. */
function hostSidePorts(host: HostInventory, gateway: Gateway): number[] {
  if (gateway.container === null) return gateway.ports;
  const container = host.containers.find((candidate) => candidate.name === gateway.container);
  return (container?.ports ?? []).filter((port) => !/\/(?:udp|sctp)$/i.test(port.containerPort)).map((port) => Number.parseInt(port.hostPort, 10));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
