/**
 * RECORD files of installed distributions (PEP 376 / the wheel spec): parsing the CSV, converting
 * its urlsafe-base64 sha256 digests to and from hex, and comparing it with what is on disk. Pure.
 */
import type { RecordCheck, RecordFileProblem } from '../../model/index.js';

/** One row of a RECORD file. */
export interface RecordEntry {
  /** Path relative to the site folder, as written (may start with `../` for scripts under bin/). */
  path: string;
  /** The sha256 digest as hex; null when the row has no hash (RECORD itself, .pyc files) or another algorithm. */
  sha256: string | null;
  size: number | null;
}

/** A parsed RECORD: its rows and how many lines could not be read as rows. */
export interface ParsedRecord {
  entries: RecordEntry[];
  malformed: number;
}

/**
 * Parses RECORD as Python's csv module writes it: comma-separated, fields with `,`, `"` or line
 * breaks quoted with `"` and inner quotes doubled; rows end with `\n` or `\r\n`.
 */
export function parseRecord(text: string): ParsedRecord {
  const entries: RecordEntry[] = [];
  let malformed = 0;
  for (const row of parseCsv(text)) {
    if (row.length === 1 && row[0] === '') continue;
    const [path = '', hash = '', size = ''] = row;
    if (path === '' || row.length > 3) {
      malformed++;
      continue;
    }
    const match = /^sha256=([A-Za-z0-9_-]+)$/.exec(hash);
    const digest = match ? recordDigestToHex(match[1]!) : null;
    if (hash !== '' && !digest) malformed++;
    entries.push({ path, sha256: digest, size: /^\d+$/.test(size) ? Number(size) : null });
  }
  return { entries, malformed };
}

/** Splits CSV text into rows of fields (RFC 4180 quoting; a quote inside an unquoted field is kept). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += char;
      i++;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (char === '\r' && text[i + 1] === '\n') i++;
    } else field += char;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** RECORD's digest form (urlsafe base64, no padding) of a sha256 given as hex. */
export function hexToRecordDigest(hex: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('not a sha256 hex digest');
  const bytes = hex.match(/../g)!.map((pair) => parseInt(pair, 16));
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = bytes.slice(i, i + 3);
    const n = (a << 16) | (b << 8) | c;
    const chars = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63].map((index) => BASE64URL[index]!);
    // 32 bytes end with a 2-byte group: 3 characters, padding dropped.
    out += chars.slice(0, bytes.length - i >= 3 ? 4 : bytes.length - i + 1).join('');
  }
  return out;
}

/** The hex form of a RECORD digest; null when it is not a 32-byte urlsafe-base64 value. */
export function recordDigestToHex(digest: string): string | null {
  const clean = digest.replace(/=+$/, '');
  if (clean.length !== 43 || !/^[A-Za-z0-9_-]+$/.test(clean)) return null;
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    // Only the low bits are ever read back, so the accumulator is kept to 16 bits.
    buffer = ((buffer << 6) | BASE64URL.indexOf(char)) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  // 43 characters carry 258 bits: the 2 spare bits must be zero in a canonical encoding.
  if ((buffer & ((1 << bits) - 1)) !== 0 || bytes.length !== 32) return null;
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** What the verification script saw on disk for one distribution, paths as written in RECORD. */
export interface RecordObservation {
  /** sha256 (hex) of each listed file that could be read. */
  hashes: ReadonlyMap<string, string>;
  /** Listed files that do not exist. */
  missing: ReadonlySet<string>;
  /** First line of listed files under `../` (scripts), to recognise pip's shebang rewrite. */
  firstLines: ReadonlyMap<string, string>;
  /** Every file found inside the distribution's own package folders (for unlisted files). */
  present: readonly string[];
  /** True when the observation is known to be partial (output cut, RECORD cut). */
  incomplete: boolean;
}

/**
 * True for a RECORD path that is a console script pip installed under the environment's bin/
 * (`../../../bin/x` from site-packages): pip rewrites its `#!` line after hashing, so RECORD's hash
 * of such a script legitimately differs (INCIDENT.md, "Conventions").
 */
export function isBinScriptPath(path: string): boolean {
  return /^(?:\.\.\/)+(?:bin|Scripts)\/[^/]+$/.test(path);
}

/** True for byte-code caches, which pip does not list (or lists without a hash) and Python rewrites freely. */
export function isBytecodeCache(path: string): boolean {
  return /(?:^|\/)__pycache__\/[^/]+\.pyc$/.test(path);
}

/**
 * The top-level folders a distribution owns outright: first components of its RECORD paths that
 * hold an `__init__.py` it lists. Namespace folders (no `__init__.py`, shared with other
 * distributions such as `google/`) are left out, so another distribution's files are never "unlisted".
 */
export function ownedPackageFolders(entries: readonly RecordEntry[]): string[] {
  const listed = new Set(entries.map((entry) => entry.path));
  const folders = new Set<string>();
  for (const { path } of entries) {
    const slash = path.indexOf('/');
    if (slash <= 0) continue;
    const top = path.slice(0, slash);
    if (top === '..' || top === '.' || top.endsWith('.dist-info') || top.endsWith('.data') || top === '__pycache__') continue;
    if (listed.has(`${top}/__init__.py`)) folders.add(top);
  }
  return [...folders].sort();
}

/** Compares a RECORD with what is on disk. */
export function compareRecord(record: ParsedRecord, seen: RecordObservation): RecordCheck {
  const problems: RecordFileProblem[] = [];
  const shebangRewrites: string[] = [];
  let checked = 0;
  let unverified = 0;
  const listed = new Set<string>();
  for (const entry of record.entries) {
    listed.add(entry.path);
    if (entry.sha256 === null || entry.path.startsWith('/')) continue;
    if (seen.missing.has(entry.path)) {
      problems.push({ path: entry.path, problem: 'missing' });
      continue;
    }
    const actual = seen.hashes.get(entry.path);
    if (actual === undefined) {
      unverified++;
      continue;
    }
    checked++;
    if (actual.toLowerCase() === entry.sha256) continue;
    if (isBinScriptPath(entry.path) && (seen.firstLines.get(entry.path) ?? '').startsWith('#!')) shebangRewrites.push(entry.path);
    else problems.push({ path: entry.path, problem: 'modified' });
  }
  // The script searches the same folders; filtering again keeps the rule in one place that tests see.
  const owned = new Set(ownedPackageFolders(record.entries));
  for (const path of seen.present) {
    if (!owned.has(path.slice(0, path.indexOf('/'))) || listed.has(path) || isBytecodeCache(path)) continue;
    problems.push({ path, problem: 'unlisted' });
  }
  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const check: RecordCheck = { checked, problems };
  if (shebangRewrites.length > 0) check.shebangRewrites = shebangRewrites.sort();
  if (unverified > 0 || record.malformed > 0 || seen.incomplete) check.incomplete = true;
  return check;
}
