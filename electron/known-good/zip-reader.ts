/**
 * A minimal reader of zip archives (wheels are zips): the central directory, then each entry's
 * bytes, stored or deflated, through node:zlib. Bounded against hostile archives: entry count,
 * each entry's and the whole archive's inflated size (a zip bomb stops at the cap, never in
 * memory). No ZIP64, no encryption: a wheel never needs them.
 */
import { inflateRawSync } from 'node:zlib';

/** Limits of one archive read. */
export interface ArchiveLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

/** Limits generous for any wheel or sdist (the largest on PyPI unpack to a few hundred MiB). */
export const ARCHIVE_LIMITS: ArchiveLimits = { maxEntries: 200_000, maxEntryBytes: 512 * 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024 * 1024 };

/** One file of an archive. */
export interface ArchiveEntry {
  path: string;
  bytes: Buffer;
}

/** An archive that cannot be read as what it claims to be; the message never quotes its content. */
export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Every file entry of a zip (folders left out), in central-directory order. */
export function readZip(zip: Buffer, limits: ArchiveLimits = ARCHIVE_LIMITS): ArchiveEntry[] {
  const eocd = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new ArchiveError('ZIP64 archives are not supported');
  if (count > limits.maxEntries) throw new ArchiveError(`more than ${limits.maxEntries} entries`);
  if (offset + size > zip.length) throw new ArchiveError('the central directory lies outside the file');
  const entries: ArchiveEntry[] = [];
  let total = 0;
  let at = offset;
  for (let index = 0; index < count; index++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw new ArchiveError('a central directory entry is damaged');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const uncompressed = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const path = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;
    if (path.endsWith('/')) continue;
    if (flags & 1) throw new ArchiveError('encrypted entries are not supported');
    if (uncompressed > limits.maxEntryBytes) throw new ArchiveError(`an entry is larger than ${limits.maxEntryBytes} bytes`);
    total += uncompressed;
    if (total > limits.maxTotalBytes) throw new ArchiveError(`the archive unpacks to more than ${limits.maxTotalBytes} bytes`);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) throw new ArchiveError('a local entry header is damaged');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + compressed > zip.length) throw new ArchiveError('an entry runs past the end of the file');
    const raw = zip.subarray(start, start + compressed);
    let bytes: Buffer;
    if (method === 0) bytes = Buffer.from(raw);
    else if (method === 8) {
      try {
        // The declared size bounds the output: a bomb that lies about it fails here instead of filling memory.
        bytes = inflateRawSync(raw, { maxOutputLength: Math.max(1, uncompressed) });
      } catch {
        throw new ArchiveError('an entry does not inflate to its declared size');
      }
    } else throw new ArchiveError(`compression method ${method} is not supported`);
    if (bytes.length !== uncompressed) throw new ArchiveError('an entry does not inflate to its declared size');
    entries.push({ path, bytes });
  }
  return entries;
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  const earliest = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= earliest; at--) {
    if (zip.readUInt32LE(at) === EOCD) return at;
  }
  throw new ArchiveError('not a zip archive (no end of central directory)');
}
