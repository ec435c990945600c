/**
 * Who a client address in a gateway's access log is: a container on the gateway's host (by its
 * network address), another scanned host (by its addresses), the gateway's own host (Docker's
 * port forwarding and bridge gateway show forwarded clients so), the gateway itself, or nobody
 * scanned. Shared by the gateway finding (unknown clients) and the consumer findings.
 */
import type { GatewayClientTraffic, GatewayTraffic, HostInventory } from '../../model/index.js';
import { type Place, describePlace, hostNamed, isLoopback, normalizeAddress } from './places.js';

/** What a logged client address designates. */
export type LogClient =
  | { kind: 'container'; host: string; container: string; network: string }
  | { kind: 'host'; host: string }
  | { kind: 'gateway-host'; host: string }
  | { kind: 'self' }
  | { kind: 'unknown' };

/** The gateway's logged traffic: its container's entries on its host, or for a host service its unit's journal. */
export function trafficOf(gateway: Place & { service?: string }, hosts: readonly HostInventory[]): GatewayTraffic[] {
  const host = hosts.find((candidate) => candidate.name === gateway.host);
  if (gateway.container === null) {
    if (gateway.service === undefined) return [];
    return (host?.gatewayTraffic ?? []).filter((traffic) => traffic.container === null && traffic.unit === gateway.service);
  }
  return (host?.gatewayTraffic ?? []).filter((traffic) => traffic.container === gateway.container);
}

/** Resolves a client address logged by the gateway at this place (a Place, not a Gateway, so gateways.ts imports this module without a cycle). */
export function logClient(gateway: Place, address: string, hosts: readonly HostInventory[]): LogClient {
  const host = hosts.find((candidate) => candidate.name === gateway.host);
  const peer = normalizeAddress(address);
  for (const container of host?.containers ?? []) {
    const network = (container.networks ?? []).find((candidate) => [candidate.ipAddress, candidate.ipv6Address].some((one) => one !== null && normalizeAddress(one) === peer));
    if (!network) continue;
    return container.name === gateway.container ? { kind: 'self' } : { kind: 'container', host: gateway.host, container: container.name, network: network.name };
  }
  const named = hostNamed(peer, hosts);
  if (named) return named.name === gateway.host ? { kind: 'gateway-host', host: named.name } : { kind: 'host', host: named.name };
  // A container's own loopback is health checks from inside it; a host service's is any process on its host.
  if (isLoopback(peer)) return gateway.container === null ? { kind: 'gateway-host', host: gateway.host } : { kind: 'self' };
  return { kind: 'unknown' };
}

/** True for a client no scan accounts for: an address no scanned place holds, or the gateway's host (whoever came through its published port). */
export function isUnidentifiedLogClient(client: LogClient): boolean {
  return client.kind === 'unknown' || client.kind === 'gateway-host';
}

/** `3 requests between 2026-03-24T10:41:07Z and 2026-03-24T11:05:00Z from 172.20.0.3`. */
export function describeClientTraffic(client: GatewayClientTraffic): string {
  const requests = `${client.requests} ${client.requests === 1 ? 'request' : 'requests'}`;
  const when = client.requests === 1 ? `at ${shortTime(client.first)}` : `between ${shortTime(client.first)} and ${shortTime(client.last)}`;
  return `${requests} ${when} from ${client.address}`;
}

/** `the gateway's log from 2026-03-24T10:39:00Z to 2026-11-22T09:00:00Z` (`the request log in the gateway's database from …` for its spend log). */
export function describeLogWindow(traffic: GatewayTraffic): string {
  return `${traffic.source === 'gateway-db' ? "the request log in the gateway's database" : "the gateway's log"} from ${shortTime(traffic.window.start)} to ${shortTime(traffic.window.end)}${traffic.truncated ? ' (only its newest part read)' : ''}`;
}

/** Who a resolved client is, for evidence. */
export function describeLogClient(client: LogClient): string {
  switch (client.kind) {
    case 'container':
      return `${describePlace(client.host, client.container)} (network ${client.network})`;
    case 'host':
      return `host ${client.host}`;
    case 'gateway-host':
      return `host ${client.host} itself (clients forwarded through a published port show so)`;
    case 'self':
      return 'the gateway itself';
    case 'unknown':
      return 'not a scanned place';
  }
}

function shortTime(iso: string): string {
  return iso.replace(/\.000Z$/, 'Z');
}
