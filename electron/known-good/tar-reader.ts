/**
 * A minimal reader of gzip-compressed tar archives (sdists are `.tar.gz`): ustar and GNU headers,
 * pax `path` records and GNU long names; regular files only (links, devices and folders left out).
 * Bounded like the zip reader: the gunzipped size, each entry's size and the entry count.
 */
import { gunzipSync } from 'node:zlib';
import { ARCHIVE_LIMITS, ArchiveError, type ArchiveEntry, type ArchiveLimits } from './zip-reader.js';

const BLOCK = 512;

/** Every regular file of a `.tar.gz`, in archive order. */
export function readTarGz(archive: Buffer, limits: ArchiveLimits = ARCHIVE_LIMITS): ArchiveEntry[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: limits.maxTotalBytes });
  } catch {
    throw new ArchiveError(`not a gzip stream, or it unpacks to more than ${limits.maxTotalBytes} bytes`);
  }
  return readTar(tar, limits);
}

/** Every regular file of an uncompressed tar. */
export function readTar(tar: Buffer, limits: ArchiveLimits = ARCHIVE_LIMITS): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  let at = 0;
  let longName: string | null = null;
  let paxPath: string | null = null;
  while (at + BLOCK <= tar.length) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    if (!checksumMatches(header)) throw new ArchiveError('a tar header is damaged (checksum)');
    const size = octal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156]!);
    if (size > limits.maxEntryBytes) throw new ArchiveError(`an entry is larger than ${limits.maxEntryBytes} bytes`);
    const body = tar.subarray(at + BLOCK, at + BLOCK + size);
    if (body.length < size) throw new ArchiveError('an entry runs past the end of the archive');
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = cString(body);
      continue;
    }
    if (type === 'x') {
      paxPath = paxRecord(body, 'path') ?? paxPath;
      continue;
    }
    if (type === 'g') continue;
    const magic = header.subarray(257, 263).toString('latin1');
    const prefix = magic.startsWith('ustar') ? cString(header.subarray(345, 500)) : '';
    const name = paxPath ?? longName ?? (prefix ? `${prefix}/${cString(header.subarray(0, 100))}` : cString(header.subarray(0, 100)));
    longName = null;
    paxPath = null;
    if (type !== '0' && type !== '\0' && type !== '7') continue;
    if (entries.length >= limits.maxEntries) throw new ArchiveError(`more than ${limits.maxEntries} entries`);
    entries.push({ path: name.replace(/^\.\//, ''), bytes: Buffer.from(body) });
  }
  return entries;
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
}

function octal(bytes: Buffer): number {
  // GNU base-256 sizes (high bit set) are for files over 8 GiB: far past any limit here.
  if (bytes[0]! & 0x80) throw new ArchiveError('an entry is too large');
  const text = cString(bytes).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new ArchiveError('a tar header is damaged (size)');
  return parseInt(text, 8);
}

function checksumMatches(header: Buffer): boolean {
  let sum = 0;
  for (let index = 0; index < BLOCK; index++) sum += index >= 148 && index < 156 ? 32 : header[index]!;
  return octal(header.subarray(148, 156)) === sum;
}

/** A pax extended header's value for `key` (records are `<length> <key>=<value>\n`). */
function paxRecord(body: Buffer, key: string): string | null {
  let at = 0;
  let found: string | null = null;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number(body.subarray(at, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = body.subarray(space + 1, at + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0 && record.slice(0, equals) === key) found = record.slice(equals + 1);
    at += length;
  }
  return found;
}
