/** Turns the kernel's hexadecimal address forms into the text people and URLs use. */

/** An IPv4 address from the 8 hex digits /proc/net/tcp prints: the 4 bytes in host (little-endian) order. */
export function ipv4FromLittleEndianHex(hex: string): string | null {
  if (!/^[0-9a-fA-F]{8}$/.test(hex)) return null;
  const bytes = [6, 4, 2, 0].map((at) => parseInt(hex.slice(at, at + 2), 16));
  return bytes.join('.');
}

/**
 * An IPv6 address from the 32 hex digits /proc/net/tcp6 prints: four 32-bit words, each in host
 * (little-endian) order. IPv4-mapped addresses (`::ffff:a.b.c.d`) come back as plain IPv4, the
 * way a dual-stack socket's peer is usually named.
 */
export function ipv6FromLittleEndianWords(hex: string): string | null {
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return null;
  let network = '';
  for (let word = 0; word < 4; word += 1) {
    const chunk = hex.slice(word * 8, word * 8 + 8);
    network += chunk.slice(6, 8) + chunk.slice(4, 6) + chunk.slice(2, 4) + chunk.slice(0, 2);
  }
  return ipv6FromHex(network);
}

/** An IPv6 address from 32 hex digits in network order (as /proc/net/if_inet6 prints it), compressed per RFC 5952. */
export function ipv6FromHex(hex: string): string | null {
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return null;
  const lower = hex.toLowerCase();
  if (lower.startsWith('00000000000000000000ffff')) {
    return ipv4FromNetworkHex(lower.slice(24));
  }
  const groups: number[] = [];
  for (let at = 0; at < 32; at += 4) groups.push(parseInt(lower.slice(at, at + 4), 16));
  return compressIpv6(groups);
}

function ipv4FromNetworkHex(hex: string): string {
  return [0, 2, 4, 6].map((at) => parseInt(hex.slice(at, at + 2), 16)).join('.');
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run (2+) of zero groups as `::`. */
function compressIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < groups.length; ) {
    if (groups[start] !== 0) {
      start += 1;
      continue;
    }
    let end = start;
    while (end < groups.length && groups[end] === 0) end += 1;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const text = groups.map((group) => group.toString(16));
  if (bestLength < 2) return text.join(':');
  const head = text.slice(0, bestStart).join(':');
  const tail = text.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}
