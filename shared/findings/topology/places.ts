/**
 * Places (a host, or a container on a host) and the names that reach them: the vocabulary every
 * topology finding shares. Pure: reads inventories, never hosts.
 */
import type { HostInventory } from '../../model/index.js';

/** A scanned host, or one of its containers. */
export interface Place {
  host: string;
  /** Container name, or null for the host itself. */
  container: string | null;
}

/** A map key for a place; a container named like a host stays apart from that host. */
export function placeKey(host: string, container: string | null): string {
  return container === null ? `${host}\u0000host` : `${host}\u0000container=${container}`;
}

/** `container litellm on gw`, or `host gw`, for titles and evidence. */
export function describePlace(host: string, container: string | null): string {
  return container === null ? `host ${host}` : `container ${container} on ${host}`;
}

/** True for names and addresses that mean "this machine" (or this container's own namespace). */
export function isLoopback(name: string): boolean {
  const bare = unbracket(name).toLowerCase();
  return bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^127\.\d+\.\d+\.\d+$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/** An address as /proc and URLs may spell it, in one comparable form (`[::ffff:10.0.0.5]` → `10.0.0.5`). */
export function normalizeAddress(address: string): string {
  const bare = unbracket(address.trim()).toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  return mapped ? mapped[1]! : bare;
}

/** The host part of an inventory's `address` (`user@host:port`, `[v6]:port`), or null for `local`. */
export function addressHost(address: string): string | null {
  if (address === 'local' || address === '') return null;
  const rest = address.includes('@') ? address.slice(address.lastIndexOf('@') + 1) : address;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(rest);
  if (bracketed) return bracketed[1]!;
  // A bare IPv6 address has several colons and no port suffix to strip.
  if ((rest.match(/:/g) ?? []).length > 1) return rest;
  return rest.replace(/:\d+$/, '');
}

/** Every name and address that designates `host` from elsewhere: its alias, hostname, `address` host part and own IPs. */
export function hostNames(host: HostInventory): string[] {
  const names = [host.name, host.facts?.hostname ?? '', addressHost(host.address) ?? '', ...(host.addresses ?? [])];
  return [...new Set(names.filter((name) => name !== '').map(normalizeAddress))];
}

/**
 * The scanned host a name or address designates. Loopback means the asker itself, except a
 * loopback address that exactly one scanned host lists among its own (a 127.x.y.z bound to one
 * machine, as in a loopback lab): that host owns it. `localhost`, 127.0.0.1 and ::1 never name another host.
 */
export function hostNamed(name: string, hosts: readonly HostInventory[]): HostInventory | null {
  const wanted = normalizeAddress(name);
  if (wanted === '') return null;
  if (isLoopback(wanted)) {
    if (UNIVERSAL_LOOPBACK.has(wanted)) return null;
    const owners = hosts.filter((host) => (host.addresses ?? []).map(normalizeAddress).includes(wanted));
    return owners.length === 1 ? owners[0]! : null;
  }
  // Exact names only: guessing that `gw` is `gw.other.example` would invent paths between hosts.
  return hosts.find((host) => hostNames(host).includes(wanted)) ?? null;
}

/** Loopback names every host has, so they can only ever mean the asker itself. */
const UNIVERSAL_LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']);

function unbracket(name: string): string {
  return name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
}
