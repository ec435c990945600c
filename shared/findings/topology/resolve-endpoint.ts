/**
 * Where a `host:port` seen from one place (a URL in a container's environment, a proxy's upstream,
 * a gateway's `api_base`) actually lands among the scanned places: a container on a network the
 * asker shares, a container publishing that port on a scanned host, a host service, or, through an
 * SSH local forward, whatever the far end of the tunnel resolves to. Pure and conservative: a name
 * is matched exactly or not at all, because a guessed path would put a place in a blast radius it
 * is not in.
 */
import type { Container, HostInventory, SshTunnel } from '../../model/index.js';
import { containerPorts } from '../../domain/containers/gateway-images.js';
import { type Place, hostNamed, isLoopback, normalizeAddress } from './places.js';

/** How an endpoint was resolved. `same-place` is the asker itself (its own port on its own loopback). */
export type ResolvedVia = 'shared-network' | 'host-port' | 'host-service' | 'ssh-tunnel' | 'same-place';

/** The scanned place an endpoint reaches, and why the resolver believes so. */
export interface ResolvedEndpoint extends Place {
  /** The port it listens on inside that place (a container port for containers). */
  port: number;
  /** The first rule that matched; a tunnel keeps `ssh-tunnel` whatever its far end resolved by. */
  via: ResolvedVia;
  /** One line per hop, in order, naming the network, the published port or the tunnel. */
  path: string[];
  /** The tunnel followed, with the host it runs on, when `via` is `ssh-tunnel`. */
  tunnel?: { host: string; tunnel: SshTunnel };
}

/** Names a container reaches its own host by (Docker Desktop, Podman, and `--add-host host-gateway` conventions). */
const HOST_GATEWAY_NAMES: ReadonlySet<string> = new Set(['host.docker.internal', 'host.containers.internal', 'gateway.docker.internal']);

/** SSH tunnels followed one after another at most; more is a loop or a setup no one runs. */
const MAX_TUNNEL_HOPS = 4;

/**
 * The scanned place that `targetHost:targetPort`, asked from `fromContainer` (null for the host
 * itself) on `fromHost`, reaches; null when it leaves the scanned hosts or nothing listens there as
 * far as the inventory tells.
 */
export function resolveEndpoint(
  fromHost: string,
  fromContainer: string | null,
  targetHost: string,
  targetPort: number,
  hosts: readonly HostInventory[],
): ResolvedEndpoint | null {
  return resolve(fromHost, fromContainer, targetHost, targetPort, hosts, 0);
}

function resolve(
  fromHost: string,
  fromContainer: string | null,
  targetHost: string,
  targetPort: number,
  hosts: readonly HostInventory[],
  hops: number,
): ResolvedEndpoint | null {
  const origin = hosts.find((host) => host.name === fromHost);
  if (!origin) return null;
  const target = normalizeAddress(targetHost);
  const asker = fromContainer === null ? null : (origin.containers.find((container) => container.name === fromContainer) ?? null);

  const service = kubernetesServiceTarget(origin, asker, target, targetPort);
  if (service) return service;

  if (asker) {
    const onNetwork = sharedNetworkTarget(origin, asker, target, targetPort);
    if (onNetwork) return onNetwork;
    // A container's loopback is its own network namespace, not the host's.
    if (isLoopback(target)) {
      return { host: origin.name, container: asker.name, port: targetPort, via: 'same-place', path: [`${targetHost}:${targetPort} is container ${asker.name} itself`] };
    }
  }

  const named = hostNamed(target, hosts);
  const fromItself =
    (fromContainer === null && isLoopback(target) && (named === null || named.name === origin.name)) || (asker !== null && HOST_GATEWAY_NAMES.has(target));
  const host = fromItself ? origin : named;
  if (!host) return null;
  const loopbackAsk = fromItself && fromContainer === null;

  const published = publishedTarget(host, target, targetPort, loopbackAsk);
  if (published) return published;

  const tunnel = (host.tunnels ?? []).find((candidate) => candidate.localPort === targetPort && listensFor(candidate.localAddress, target, loopbackAsk));
  if (tunnel) return followTunnel(host, tunnel, hosts, hops);

  if (fromItself && fromContainer === null) {
    return { host: host.name, container: null, port: targetPort, via: 'same-place', path: [`${targetHost}:${targetPort} is a service of host ${host.name} itself`] };
  }
  return { host: host.name, container: null, port: targetPort, via: 'host-service', path: [`${targetHost}:${targetPort} is a service of host ${host.name}`] };
}

/** Rule (a): a container name or alias on a network the asker is attached to, at a port the container listens on. */
function sharedNetworkTarget(host: HostInventory, asker: Container, target: string, port: number): ResolvedEndpoint | null {
  const askerNetworks = new Set((asker.networks ?? []).map((network) => network.name));
  for (const candidate of host.containers) {
    for (const network of candidate.networks ?? []) {
      if (!askerNetworks.has(network.name)) continue;
      const names = [candidate.name, ...network.aliases].map((name) => name.toLowerCase());
      if (!names.includes(target) || !containerPorts(candidate).includes(port)) continue;
      const self = candidate.name === asker.name;
      return {
        host: host.name,
        container: candidate.name,
        port,
        via: self ? 'same-place' : 'shared-network',
        path: [
          self
            ? `${target}:${port} is container ${candidate.name} itself`
            : `${target}:${port} is container ${candidate.name} on network ${network.name}, which ${asker.name} shares (host ${host.name})`,
        ],
      };
    }
  }
  return null;
}

/**
 * Rule (a) in a cluster: a Kubernetes Service name, as the cluster's DNS answers it, at a Service
 * port, lands on the pod container that port forwards to. A pod asks by `<service>` in its own
 * namespace, or `<service>.<namespace>[.svc[.cluster.local]]` anywhere; any other place on the
 * host (an ingress controller, the node) only by the full `.svc` names.
 */
function kubernetesServiceTarget(host: HostInventory, asker: Container | null, target: string, port: number): ResolvedEndpoint | null {
  if (!host.kubernetes) return null;
  const parts = target.replace(/\.$/, '').split('.');
  const [service, namespace = asker?.kubernetes?.namespace, svc, ...domain] = parts;
  if (!service || !namespace) return null;
  if (parts.length === 1 && !asker?.kubernetes) return null;
  if (parts.length === 2 && !asker?.kubernetes) return null;
  if (svc !== undefined && svc !== 'svc') return null;
  if (domain.length > 0 && domain.join('.') !== 'cluster.local') return null;
  for (const candidate of host.containers) {
    const place = candidate.kubernetes;
    if (!place || place.namespace !== namespace) continue;
    const forward = place.services.find((entry) => entry.name === service && entry.port === port);
    if (!forward) continue;
    return {
      host: host.name,
      container: candidate.name,
      port: forward.targetPort,
      via: candidate.name === asker?.name ? 'same-place' : 'shared-network',
      path: [
        `${target}:${port} is Service ${namespace}/${service} of the cluster on host ${host.name}, which forwards port ${port} to pod container ${candidate.name} port ${forward.targetPort}`,
      ],
    };
  }
  return null;
}

/** Rule (b): a container publishing `port` on the host, bound to an address the asker can reach. */
function publishedTarget(host: HostInventory, target: string, port: number, loopbackAsk: boolean): ResolvedEndpoint | null {
  for (const container of host.containers) {
    for (const published of container.ports ?? []) {
      if (Number.parseInt(published.hostPort, 10) !== port || /\/(?:udp|sctp)$/i.test(published.containerPort)) continue;
      if (!listensFor(published.hostIp, target, loopbackAsk)) continue;
      const containerPort = Number.parseInt(published.containerPort, 10);
      return {
        host: host.name,
        container: container.name,
        port: containerPort,
        via: 'host-port',
        path: [`${target}:${port} is host ${host.name}, which publishes ${published.hostIp || '0.0.0.0'}:${published.hostPort} to container ${container.name} port ${published.containerPort}`],
      };
    }
  }
  return null;
}

/** Whether a socket bound to `bound` answers a connection to `target` (a wildcard answers every address). */
function listensFor(bound: string, target: string, loopbackAsk: boolean): boolean {
  const address = normalizeAddress(bound);
  if (address === '' || address === '0.0.0.0' || address === '::' || address === '*') return true;
  if (isLoopback(address)) return loopbackAsk;
  return address === target;
}

/** Rule (c): through the tunnel's ssh destination to its remote host and port, resolved again from there. */
function followTunnel(host: HostInventory, tunnel: SshTunnel, hosts: readonly HostInventory[], hops: number): ResolvedEndpoint | null {
  if (hops >= MAX_TUNNEL_HOPS) return null;
  const destination = hostNamed(sshDestinationHost(tunnel.sshDestination), hosts);
  if (!destination) return null;
  const far = resolve(destination.name, null, tunnel.remoteHost, tunnel.remotePort, hosts, hops + 1);
  if (!far) return null;
  const by = tunnel.unit ? `unit ${tunnel.unit}` : `${tunnel.source} ${tunnel.path}`;
  return {
    ...far,
    via: 'ssh-tunnel',
    path: [
      `${tunnel.localAddress}:${tunnel.localPort} on ${host.name} is an ssh -L forward to ${tunnel.remoteHost}:${tunnel.remotePort} via ${tunnel.sshDestination} (host ${destination.name}), from ${by}`,
      ...far.path,
    ],
    // The tunnel the asker enters is the one to name; later hops stay in `path`.
    tunnel: { host: host.name, tunnel },
  };
}

/** The host part of an ssh destination: `user@host`, `ssh://user@host:2222`, or an ssh_config alias. */
export function sshDestinationHost(destination: string): string {
  let rest = destination.trim().replace(/^ssh:\/\//i, '');
  rest = rest.slice(rest.lastIndexOf('@') + 1);
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(rest);
  if (bracketed) return bracketed[1]!;
  return (rest.match(/:/g) ?? []).length === 1 ? rest.replace(/:\d*$/, '') : rest;
}

/** Host and port of a URL (`http://user:pw@litellm:4000/v1` → `litellm`, 4000), the scheme's port when none is written; null when it is not one. */
export function urlHostPort(url: string): { host: string; port: number } | null {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?/i.exec(url.trim());
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  const host = match[2]!.replace(/^\[|\]$/g, '');
  const port = match[3] !== undefined ? Number.parseInt(match[3], 10) : (SCHEME_PORTS[scheme] ?? null);
  return port === null ? null : { host, port };
}

const SCHEME_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443 };
