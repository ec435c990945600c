/**
 * known_hosts files (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): read the user's and the system's to
 * verify host keys, and append accepted keys to the app's own file. The user's
 * ~/.ssh/known_hosts is never written: the tool is read-only towards the user's setup.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { matchPatternList } from './wildcard.js';

/** One key line of a known_hosts file. */
export interface KnownHostEntry {
  /** `@revoked` lines reject the key for every host they name; `@cert-authority` lines are ignored. */
  marker: 'revoked' | 'cert-authority' | null;
  /** Host patterns of a plain entry (comma list, may hold wildcards and negations); null when hashed. */
  patterns: string[] | null;
  /** Salt and HMAC-SHA1 of a hashed (`|1|salt|hash`) entry; null when plain. */
  hashed: { salt: Buffer; hash: Buffer } | null;
  keyType: string;
  keyBlob: Buffer;
  /** Where the line came from, for messages. */
  source: string;
}

/** Outcome of a host key check. */
export interface HostKeyCheck {
  /** `match`: a known key; `mismatch`: keys are known for the host and this is not one (or it is revoked); `unknown`: none known. */
  result: 'match' | 'mismatch' | 'unknown';
  /** SHA256 fingerprints of the keys known for the host (any type), for messages. */
  expectedFingerprints: string[];
  /** True when the offered key is listed as `@revoked`. */
  revoked: boolean;
}

/** Parses known_hosts text; malformed lines and comments are skipped. */
export function parseKnownHosts(text: string, source = 'known_hosts'): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0]?.startsWith('@')) {
      const name = fields.shift()!.toLowerCase();
      if (name === '@revoked') marker = 'revoked';
      else if (name === '@cert-authority') marker = 'cert-authority';
      else return; // unknown markers: OpenSSH skips the line
    }
    const [hosts, keyType, keyBase64] = fields;
    if (!hosts || !keyType || !keyBase64) return;
    const keyBlob = Buffer.from(keyBase64, 'base64');
    // A key blob starts with its own type name: checking it rejects truncated or garbled lines.
    if (keyBlob.length === 0 || keyTypeOfBlob(keyBlob) !== keyType) return;

    let patterns: string[] | null = null;
    let hashed: KnownHostEntry['hashed'] = null;
    if (hosts.startsWith('|1|')) {
      const [, , salt, hash] = hosts.split('|');
      if (!salt || !hash) return;
      hashed = { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
    } else {
      patterns = hosts.split(',').filter(Boolean);
    }
    entries.push({ marker, patterns, hashed, keyType, keyBlob, source: `${source}:${index + 1}` });
  });
  return entries;
}

/** The name known_hosts uses for a host: `host` on port 22, `[host]:port` otherwise (lower case). */
export function knownHostName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** True when an entry names `hostName` (as produced by knownHostName). */
export function entryMatchesHost(entry: KnownHostEntry, hostName: string): boolean {
  if (entry.hashed) {
    const digest = createHmac('sha1', entry.hashed.salt).update(hostName).digest();
    return digest.length === entry.hashed.hash.length && timingSafeEqual(digest, entry.hashed.hash);
  }
  return matchPatternList(hostName, entry.patterns ?? []);
}

/** Checks an offered key against parsed entries (pure; see checkHostKey for files). */
export function checkHostKeyInEntries(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  keyType: string,
  keyBlob: Buffer,
): HostKeyCheck {
  const name = knownHostName(host, port);
  const expected: string[] = [];
  let matched = false;
  let sameTypeKnown = false;
  for (const entry of entries) {
    if (entry.marker === 'revoked') {
      if (entry.keyBlob.equals(keyBlob)) return { result: 'mismatch', expectedFingerprints: [], revoked: true };
      continue;
    }
    if (entry.marker === 'cert-authority' || !entryMatchesHost(entry, name)) continue;
    const fingerprint = fingerprintSha256(entry.keyBlob);
    if (!expected.includes(fingerprint)) expected.push(fingerprint);
    if (entry.keyType === keyType) sameTypeKnown = true;
    if (entry.keyType === keyType && entry.keyBlob.equals(keyBlob)) matched = true;
  }
  // Like OpenSSH, a known key of the same type that differs is a changed key; only keys of other
  // types known (the server offered a type we have no record of) counts as unknown.
  const result = matched ? 'match' : sameTypeKnown ? 'mismatch' : 'unknown';
  return { result, expectedFingerprints: expected, revoked: false };
}

/** Checks an offered host key against known_hosts files; missing or unreadable files count as empty. */
export async function checkHostKey(
  files: readonly string[],
  host: string,
  port: number,
  keyType: string,
  keyBlob: Buffer,
): Promise<HostKeyCheck> {
  return checkHostKeyInEntries(await readKnownHostsFiles(files), host, port, keyType, keyBlob);
}

/** Reads and parses several known_hosts files, skipping those that do not exist or cannot be read. */
export async function readKnownHostsFiles(files: readonly string[]): Promise<KnownHostEntry[]> {
  const entries: KnownHostEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue; // OpenSSH treats an unreadable known_hosts as empty as well
    }
    entries.push(...parseKnownHosts(text, file));
  }
  return entries;
}

/** Key types known for a host across entries, so the handshake can prefer them as OpenSSH does. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostName(host, port);
  const types: string[] = [];
  for (const entry of entries) {
    if (entry.marker === null && entryMatchesHost(entry, name) && !types.includes(entry.keyType)) types.push(entry.keyType);
  }
  return types;
}

/**
 * The host field OpenSSH writes under `HashKnownHosts yes`: `|1|<base64 salt>|<base64 HMAC-SHA1 of
 * the name keyed by the salt>` (hostfile.c), so the file does not list the hosts one reaches.
 */
export function hashedHostName(name: string, salt: Buffer = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

/** Appends an accepted key to a known_hosts file (the app's own), creating it with mode 0600; `hash` writes the host hashed. */
export async function appendKnownHost(file: string, host: string, port: number, keyType: string, keyBlob: Buffer, hash = false): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const existing = await readFile(file);
    if (existing.length > 0 && existing[existing.length - 1] !== 0x0a) prefix = '\n';
  } catch {
    // a new file
  }
  const name = knownHostName(host, port);
  const line = `${hash ? hashedHostName(name) : name} ${keyType} ${keyBlob.toString('base64')}\n`;
  await appendFile(file, prefix + line, { mode: 0o600 });
}

/** The OpenSSH SHA256 fingerprint of a public key blob: `SHA256:` + unpadded base64. */
export function fingerprintSha256(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Reads the key type name every SSH public key blob starts with; '' when the blob is malformed. */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return '';
  const length = keyBlob.readUInt32BE(0);
  if (length > 64 || 4 + length > keyBlob.length) return '';
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}
