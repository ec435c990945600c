/** Reads a host's own IP addresses from /proc/net/fib_trie (IPv4) and /proc/net/if_inet6 (IPv6). */
import { ipv6FromHex } from './ip-address.js';

/**
 * The IPv4 addresses of the `/32 host LOCAL` leaves of a fib_trie: each is an address configured
 * on one of the host's interfaces (loopback ones included: lab hosts live on 127.x aliases).
 * The file lists the Main and Local tables, so addresses repeat; each is returned once.
 */
export function parseFibTrie(text: string): string[] {
  const addresses = new Set<string>();
  let leaf: string | null = null;
  for (const line of text.split('\n')) {
    const leafMatch = /^\s*\|--\s+(\d{1,3}(?:\.\d{1,3}){3})\s*$/.exec(line);
    if (leafMatch) {
      leaf = leafMatch[1] ?? null;
      continue;
    }
    // A leaf's route lines follow it: "/32 host LOCAL" marks an address of this host.
    if (leaf && /^\s*\/32\s+host\s+LOCAL\b/.test(line)) addresses.add(leaf);
    else if (/^\s*\+--/.test(line) || /^\S/.test(line)) leaf = null;
  }
  return [...addresses];
}

/** The IPv6 addresses of /proc/net/if_inet6 (`<32 hex> <ifindex> <prefix> <scope> <flags> <device>` per line), compressed. */
export function parseIfInet6(text: string): string[] {
  const addresses = new Set<string>();
  for (const line of text.split('\n')) {
    const hex = line.trim().split(/\s+/)[0] ?? '';
    const address = ipv6FromHex(hex);
    if (address) addresses.add(address);
  }
  return [...addresses];
}
