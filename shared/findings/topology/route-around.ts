/**
 * The ways a consumer of a gateway could do without it, computed from the topology the scan saw:
 * each direct backend the gateway sends its models to (and how the consumer would reach it: on its
 * own host, over a network it shares, or through an SSH tunnel), another router the scan found that
 * nothing says is exposed, or the provider called with its own SDK. Shared by the AI components
 * view (present/) and the plan's move steps (checklist/), so both name the same targets. Only what
 * the scan saw is claimed: a path it did not see is marked `unverified`.
 */
import type { ConsumerFinding, EndpointReference, GatewayFinding, HostInventory } from '../../model/index.js';
import { isFindingOfKind } from '../../model/index.js';
import type { Finding } from '../../model/index.js';
import { exposedPlaces } from './exposed-places.js';
import { gatewayLabel } from './gateways.js';
import { isLoopback, normalizeAddress } from './places.js';
import { resolveEndpoint, urlHostPort } from './resolve-endpoint.js';

/** How sure the scan is that a consumer can reach a direct backend. */
export type BackendReach = 'same-host' | 'same-network' | 'gateway-host' | 'ssh-tunnel' | 'unverified';

/** A scanned place a target lands on: a re-scan compares where the consumer's URLs land with it. */
export interface TargetPlace {
  host: string;
  container: string | null;
  /** The port inside that place; null for a router (any of its ports will do). */
  port: number | null;
}

/** An SSH local forward the consumer's host would need to reach a target on another host. */
export interface TunnelPlan {
  /** The host part of the ssh destination: the name the gateway reaches the backend by, or the scanned host's name. */
  destinationHost: string;
  /** The account to log in as, when the scan knows one (the consumer's tunnel today, or the one the scan used). */
  user: string | null;
  /** The port the forward listens on, on the consumer's loopback. */
  localPort: number;
  /** The port on the far host's loopback it forwards to. */
  remotePort: number;
}

/** One way around the gateway for some of a consumer's models. */
export interface RouteAround {
  /** A model server the gateway forwards to, or the provider called with its own SDK. */
  target: 'direct-backend' | 'provider-sdk';
  /** The backend URL, or the provider's name. */
  backend: string;
  /** The gateway's model names that go there; empty when the gateway's config was not read. */
  models: string[];
  /** For a direct backend: how the consumer would reach it. */
  reach?: BackendReach;
  /** For a direct backend: the URL the consumer uses once moved. */
  url?: string;
  /** For a direct backend: the scanned place it is, when the scan resolves it. */
  place?: TargetPlace | null;
  /** For a direct backend on another host the consumer has no path to: the tunnel it would go through. */
  tunnel?: TunnelPlan;
  /** What to do, in one sentence. */
  text: string;
  /** Why the scan thinks so. */
  evidence: string;
}

/** Another router the scan found, not judged exposed, that a consumer could move to. */
export interface OtherRouter {
  /** The router's gateway finding id. */
  findingId: string;
  /** `Olla olla on gw`. */
  name: string;
  kind: string;
  host: string;
  container: string | null;
  /** Where it sends requests (its finding's backends). */
  backends: string[];
  reach: BackendReach;
  /** The URL the consumer uses once moved; null when the scan saw no port it publishes or shares. */
  url: string | null;
  place: TargetPlace;
  tunnel?: TunnelPlan;
  evidence: string;
}

/**
 * The models of a gateway's config files, each with the URL or provider it goes to, once each: a
 * config is often read twice (the file on the host and the copy mounted into the container).
 */
export function gatewayModels(gateway: GatewayFinding, hosts: readonly HostInventory[]): Array<{ name: string; backend: string }> {
  const host = hosts.find((candidate) => candidate.name === gateway.host);
  const configs = (host?.gatewayConfigs ?? []).filter((config) => config.container === gateway.container);
  const routes = configs.flatMap((config) => config.models.map((model) => ({ name: model.name, backend: model.apiBase ?? model.provider })));
  return routes.filter((route, index) => routes.findIndex((other) => other.name === route.name && other.backend === route.backend) === index);
}

/** The consumer's routes around its gateway: one per backend its models go to (each model the gateway serves, as the scan cannot see which it asks for). */
export function routesAround(
  consumer: ConsumerFinding,
  gateway: GatewayFinding,
  hosts: readonly HostInventory[],
  models: ReadonlyArray<{ name: string; backend: string }> = gatewayModels(gateway, hosts),
): RouteAround[] {
  const backends = models.length > 0 ? [...new Set(models.map((model) => model.backend))] : gateway.backends;
  return backends.map((backend): RouteAround => {
    const served = models.filter((model) => model.backend === backend).map((model) => model.name);
    const forModels = served.length > 0 ? ` for ${served.join(', ')}` : '';
    if (!isDirectBackend(backend, hosts)) {
      return {
        target: 'provider-sdk',
        backend,
        models: served,
        text: `Use the ${backend} SDK with a new key of ${consumer.consumer}'s own${forModels}.`,
        evidence: `${gatewayName(gateway)} sends ${served.length > 0 ? served.join(', ') : 'requests'} to ${backend}, a provider outside the lab.`,
      };
    }
    const { reach, evidence, address } = reachOf(consumer, gateway, backend, hosts);
    const hostPort = urlHostPort(backend);
    const place = hostPort ? backendTargetPlace(gateway, backend, hostPort, hosts) : null;
    const tunnel = hostPort ? tunnelTo(consumer, backendPlace(backend, hosts), hostPort, reach, hosts) : null;
    const url = hostPort ? consumerUrl(backend, hostPort, reach, address, tunnel, consumer, hosts) : backend;
    return {
      target: 'direct-backend',
      backend,
      models: served,
      reach,
      url,
      place,
      ...(tunnel ? { tunnel } : {}),
      text:
        reach === 'unverified'
          ? `Point ${consumer.consumer} at ${backend} directly${forModels}, once you have checked it can reach it: the scan saw no path from ${consumer.consumerHost}.`
          : reach === 'ssh-tunnel' && hostPort !== null
            ? `Point ${consumer.consumer} at ${backend} directly${forModels}, through an SSH tunnel to ${backendPlace(backend, hosts)} as it reaches ${gateway.host} today: forward 127.0.0.1:${tunnel?.localPort ?? hostPort.port} to port ${hostPort.port} there and use http://127.0.0.1:${tunnel?.localPort ?? hostPort.port}.`
            : `Point ${consumer.consumer} at ${backend} directly${forModels}.`,
      evidence,
    };
  });
}

/** What a report's route-arounds share whichever consumer they are for: read once, then asked per consumer (routeTopology). */
export interface RouteTopology {
  /** The gateway findings whose place nothing says is exposed, in report order: the routers a consumer could move to. */
  readonly cleanRouters: readonly GatewayFinding[];
  /** A gateway's models (gatewayModels), read once per gateway. */
  modelsOf(gateway: GatewayFinding): ReadonlyArray<{ name: string; backend: string }>;
}

/**
 * Reads what every consumer's route-around shares in one report. A plan or ledger of thousands of
 * consumers asks once and passes it on, instead of reading every finding once per consumer.
 */
export function routeTopology(report: { hosts: readonly HostInventory[]; findings: readonly Finding[]; exposures?: Parameters<typeof exposedPlaces>[1] }): RouteTopology {
  const exposed = exposedPlaces(report.findings, report.exposures ?? []);
  const cleanRouters = report.findings.filter(
    (finding): finding is GatewayFinding => isFindingOfKind(finding, 'gateway') && exposed.place(finding.host, finding.container) === null,
  );
  const models = new Map<GatewayFinding, Array<{ name: string; backend: string }>>();
  return {
    cleanRouters,
    modelsOf: (gateway) => {
      let known = models.get(gateway);
      if (!known) models.set(gateway, (known = gatewayModels(gateway, report.hosts)));
      return known;
    },
  };
}

/**
 * The other routers a consumer could move to: every other gateway finding whose place nothing says
 * is exposed (a clean LiteLLM, Olla, any-llm), with the URL the consumer would use and how it gets
 * there. `topology` is the report's routeTopology, when the caller asks for many consumers.
 */
export function otherRouters(
  consumer: ConsumerFinding,
  gateway: GatewayFinding,
  report: { hosts: readonly HostInventory[]; findings: readonly Finding[]; exposures?: Parameters<typeof exposedPlaces>[1] },
  topology: RouteTopology = routeTopology(report),
): OtherRouter[] {
  return topology.cleanRouters
    .filter((router) => router.id !== gateway.id)
    .map((router): OtherRouter => {
      const name = `${gatewayLabel(router.gateway)} ${gatewayName(router)} on ${router.host}`;
      const place: TargetPlace = { host: router.host, container: router.container, port: null };
      const endpoints = router.endpoints.flatMap((endpoint) => {
        const match = /^(.*):(\d+)$/.exec(endpoint);
        return match ? [{ address: match[1]!.replace(/^\[|\]$/g, ''), port: Number.parseInt(match[2]!, 10) }] : [];
      });
      const published = endpoints.find((endpoint) => /^(?:0\.0\.0\.0|::|\*|)$/.test(endpoint.address) || /^\d+\.\d+\.\d+\.\d+$/.test(endpoint.address) || isLoopback(endpoint.address));
      const base = { findingId: router.id, name, kind: router.gateway, host: router.host, container: router.container, backends: [...router.backends], place };
      if (router.host === consumer.consumerHost) {
        const consumerHost = report.hosts.find((host) => host.name === consumer.consumerHost);
        const mine = consumerHost?.containers.find((container) => container.name === consumer.consumer);
        const theirs = consumerHost?.containers.find((container) => container.name === router.container);
        const shared = (mine?.networks ?? []).filter((network) => (theirs?.networks ?? []).some((other) => other.name === network.name)).map((network) => network.name);
        const onNetwork = endpoints.find((endpoint) => endpoint.address === router.container);
        if (mine && shared.length > 0 && onNetwork) {
          return { ...base, reach: 'same-network', url: `http://${router.container}:${onNetwork.port}`, evidence: `${consumer.consumer} shares network ${shared.join(', ')} with ${gatewayName(router)}.` };
        }
        if (!mine && published) {
          return { ...base, reach: 'same-host', url: `http://127.0.0.1:${published.port}`, evidence: `${gatewayName(router)} publishes port ${published.port} on ${router.host}, where ${consumer.consumer} runs.` };
        }
        return { ...base, reach: 'unverified', url: published ? `http://127.0.0.1:${published.port}` : null, evidence: `The scan saw no network ${consumer.consumer} shares with ${gatewayName(router)}.` };
      }
      if (!published || isLoopback(published.address)) {
        const tunnel = published ? tunnelTo(consumer, router.host, { host: router.host, port: published.port }, 'unverified', report.hosts) : null;
        return tunnel
          ? { ...base, reach: 'ssh-tunnel', url: `http://127.0.0.1:${tunnel.localPort}`, tunnel, evidence: `${gatewayName(router)} listens on ${router.host}'s loopback only: an SSH tunnel reaches it.` }
          : { ...base, reach: 'unverified', url: null, evidence: `The scan saw no port ${gatewayName(router)} publishes on ${router.host}.` };
      }
      const routerHost = report.hosts.find((host) => host.name === router.host);
      const consumerHost = report.hosts.find((host) => host.name === consumer.consumerHost);
      const address = routerHost && consumerHost ? sharedSubnetAddress(consumerHost, routerHost) : null;
      if (address !== null) {
        return { ...base, reach: 'same-network', url: `http://${address}:${published.port}`, evidence: `${consumer.consumerHost} and ${router.host} have addresses on the same /24.` };
      }
      const tunnel = tunnelTo(consumer, router.host, { host: router.host, port: published.port }, 'unverified', report.hosts);
      return tunnel
        ? { ...base, reach: 'ssh-tunnel', url: `http://127.0.0.1:${tunnel.localPort}`, tunnel, evidence: `No shared network between ${consumer.consumerHost} and ${router.host} in the scan: an SSH tunnel reaches it.` }
        : { ...base, reach: 'unverified', url: `http://${router.host}:${published.port}`, evidence: `No container network, tunnel or shared subnet between ${consumer.consumerHost} and ${router.host} in the scan.` };
    });
}

/**
 * The URLs a consumer is configured with: a container's own, a unit's, or every host-level one when
 * the consumer is the host itself (as the consumer finding named it).
 */
export function consumerReferences(consumer: { consumer: string; consumerHost: string; container: string | null }, host: HostInventory | undefined): EndpointReference[] {
  const isContainer = consumer.container !== null || (host?.containers.some((container) => container.name === consumer.consumer) ?? false);
  return (host?.endpointReferences ?? []).filter((reference) =>
    isContainer ? reference.container === consumer.consumer : reference.container === null && (reference.unit === consumer.consumer || consumer.consumer === consumer.consumerHost),
  );
}

/** True for a backend URL the lab serves itself (a model server), false for a provider name or a provider's public URL. */
export function isDirectBackend(backend: string, hosts: readonly HostInventory[]): boolean {
  const target = urlHost(backend);
  if (target === null) return false;
  if (backendPlace(backend, hosts) !== null) return true;
  // A single-label name, a private or loopback address, or a local suffix is inside the owner's network.
  return !target.includes('.') || isLoopback(target) || /^(?:10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|fd|fe80)/.test(target) || /\.(?:local|lan|home|internal|arpa)$/.test(target);
}

/** The scanned host a backend URL names (by name, hostname, SSH address or one of its addresses), or null. */
export function backendPlace(backend: string, hosts: readonly HostInventory[]): string | null {
  const target = urlHost(backend);
  if (target === null) return null;
  return hosts.find((host) => answersTo(host, target))?.name ?? null;
}

/** The lower-cased host of a URL, or null when the text is not one. */
function urlHost(text: string): string | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^/:?#]+)/i.exec(text.trim());
  return match ? match[1]!.replace(/^\[|\]$/g, '').toLowerCase() : null;
}

/** True when `target` is this host: its name, hostname, SSH address or one of its own addresses. */
function answersTo(host: HostInventory, target: string): boolean {
  const sshHost = host.address.replace(/^[^@]*@/, '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return [host.name, host.facts?.hostname ?? '', sshHost, ...(host.addresses ?? [])].some((name) => name.toLowerCase() === target);
}

function gatewayName(gateway: GatewayFinding): string {
  return gateway.container ?? gateway.service ?? gateway.gateway;
}

/**
 * The scanned place a direct backend is: where the gateway's URL lands as the gateway reaches it.
 * A URL that lands on the gateway's own container (its loopback) would make the gateway its own way
 * around; when the URL names a scanned host (say a 127.x address one host owns, as a loopback lab
 * binds them), the place is what the URL reaches from that host instead.
 */
function backendTargetPlace(gateway: GatewayFinding, backend: string, hostPort: { host: string; port: number }, hosts: readonly HostInventory[]): TargetPlace | null {
  const fromGateway = resolveEndpoint(gateway.host, gateway.container, hostPort.host, hostPort.port, hosts);
  const isGatewayItself = fromGateway !== null && gateway.container !== null && fromGateway.host === gateway.host && fromGateway.container === gateway.container;
  if (!isGatewayItself) return placeOf(fromGateway);
  const named = backendPlace(backend, hosts);
  return named === null || named === gateway.host ? null : placeOf(resolveEndpoint(named, null, hostPort.host, hostPort.port, hosts));
}

function placeOf(resolved: ReturnType<typeof resolveEndpoint>): TargetPlace | null {
  return resolved ? { host: resolved.host, container: resolved.container, port: resolved.port } : null;
}

/** How a consumer would reach a direct backend, from what the scan saw; `address` is the backend host's address on a subnet both share. */
function reachOf(consumer: ConsumerFinding, gateway: GatewayFinding, backend: string, hosts: readonly HostInventory[]): { reach: BackendReach; evidence: string; address?: string } {
  const target = urlHost(backend) ?? backend;
  const backendHost = backendPlace(backend, hosts);
  const gatewayHost = hosts.find((host) => host.name === gateway.host);
  const consumerHost = hosts.find((host) => host.name === consumer.consumerHost);
  if (backendHost !== null && backendHost === consumer.consumerHost) {
    return { reach: 'same-host', evidence: `${backend} is ${backendHost} itself, where ${consumer.consumer} runs.` };
  }
  if (consumer.consumerHost === gateway.host) {
    const consumerContainer = gatewayHost?.containers.find((container) => container.name === consumer.consumer);
    const gatewayContainer = gatewayHost?.containers.find((container) => container.name === gateway.container);
    const shared = (consumerContainer?.networks ?? []).map((network) => network.name).filter((name) => (gatewayContainer?.networks ?? []).some((network) => network.name === name));
    if (consumerContainer && shared.length > 0) {
      return { reach: 'same-network', evidence: `${consumer.consumer} shares network ${shared.join(', ')} with ${gatewayName(gateway)}, which reaches ${target} from there.` };
    }
    if (!consumerContainer) {
      return { reach: 'gateway-host', evidence: `${consumer.consumer} runs on ${gateway.host}, whose ${gatewayName(gateway)} reaches ${target}.` };
    }
  }
  if (consumer.via === 'ssh-tunnel' && backendHost !== null) {
    return { reach: 'ssh-tunnel', evidence: `${consumer.consumer} already reaches ${gateway.host} through an SSH tunnel; one to ${backendHost} takes it to the backend.` };
  }
  const backendInventory = backendHost === null ? undefined : hosts.find((host) => host.name === backendHost);
  const address = consumerHost && backendInventory ? sharedSubnetAddress(consumerHost, backendInventory) : null;
  if (address !== null) return { reach: 'same-network', evidence: `${consumer.consumerHost} and ${backendHost} have addresses on the same /24.`, address };
  return { reach: 'unverified', evidence: `No container network, tunnel or shared subnet between ${consumer.consumerHost} and ${target} in the scan.` };
}

/** The URL a consumer uses for a direct backend, by how it reaches it. */
function consumerUrl(
  backend: string,
  hostPort: { host: string; port: number },
  reach: BackendReach,
  address: string | undefined,
  tunnel: TunnelPlan | null,
  consumer: ConsumerFinding,
  hosts: readonly HostInventory[],
): string {
  const consumerHost = hosts.find((host) => host.name === consumer.consumerHost);
  const inContainer = consumerHost?.containers.some((container) => container.name === consumer.consumer) ?? false;
  if (tunnel) return `http://127.0.0.1:${tunnel.localPort}`;
  if (reach === 'same-host' && !inContainer) return `http://127.0.0.1:${hostPort.port}`;
  if (address !== undefined) return `http://${address}:${hostPort.port}`;
  return backend;
}

/**
 * The SSH tunnel a host-level consumer needs to a target on another scanned host it has no other
 * path to (a tunnel today, or no path the scan saw); null for a container (its loopback is its own),
 * a target on the consumer's own host, or a host the scan did not read.
 */
function tunnelTo(consumer: ConsumerFinding, targetHost: string | null, hostPort: { host: string; port: number }, reach: BackendReach, hosts: readonly HostInventory[]): TunnelPlan | null {
  if (reach !== 'ssh-tunnel' && reach !== 'unverified') return null;
  if (targetHost === null || targetHost === consumer.consumerHost) return null;
  const consumerHost = hosts.find((host) => host.name === consumer.consumerHost);
  if (!consumerHost || consumerHost.containers.some((container) => container.name === consumer.consumer)) return null;
  const target = hosts.find((host) => host.name === targetHost);
  // The name the gateway reaches the backend by, unless that is a loopback address only meaningful there.
  const destinationHost = isLoopback(hostPort.host) ? targetHost : hostPort.host;
  // The account: the one the consumer's tunnel to the gateway logs in as, else the one the scan used.
  const today = (consumerHost.tunnels ?? [])[0]?.sshDestination ?? '';
  const user = /^([^@]+)@/.exec(today)?.[1] ?? /^([^@]+)@/.exec(target?.address ?? '')?.[1] ?? null;
  const taken = new Set((consumerHost.tunnels ?? []).map((tunnel) => tunnel.localPort));
  let localPort = hostPort.port;
  while (taken.has(localPort) && localPort < 65535) localPort += 1;
  return { destinationHost, user, localPort, remotePort: hostPort.port };
}

/** An address of `b` on a /24 that `a` also has an address on (not loopback), or null. */
function sharedSubnetAddress(a: HostInventory, b: HostInventory): string | null {
  const v4 = (host: HostInventory): string[] => (host.addresses ?? []).map(normalizeAddress).filter((address) => /^\d+\.\d+\.\d+\.\d+$/.test(address) && !isLoopback(address));
  const prefixes = new Set(v4(a).map((address) => address.replace(/\.\d+$/, '')));
  return v4(b).find((address) => prefixes.has(address.replace(/\.\d+$/, ''))) ?? null;
}
