/** FNV-1a, 64 bits, over UTF-16 code units: a deterministic identity for text (ids, rule-set fingerprints), not a security hash; no crypto needed in shared/. */

/** The hash of `text` as 16 lower-case hex digits. */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let index = 0; index < text.length; index++) {
    hash ^= BigInt(text.charCodeAt(index));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
