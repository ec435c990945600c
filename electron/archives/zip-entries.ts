/**
 * Reads the entries of a ZIP archive held in memory — osv.dev's per-ecosystem `all.zip` (one OSV
 * JSON record per entry), a known-good wheel — through its central directory, with Node's zlib and
 * nothing else. The archive is hostile input: every offset and size is checked against the buffer, an
 * entry inflates to at most `maxEntryBytes` (zlib stops there, so a zip bomb costs nothing), the
 * whole archive to at most `maxTotalBytes`, at most `maxEntries` are read, only stored and deflated
 * entries are read (encrypted ones are refused), each entry's CRC-32 is checked, and entry names
 * are only ever reported and matched by suffix: nothing is written, so no name becomes a path.
 * ZIP64 archives (more than 65,535 entries, as the npm ecosystem's) are read too.
 */
import { crc32, inflateRawSync } from 'node:zlib';

/** Limits on what an archive may make the reader do. */
export interface ZipLimits {
  /** Most entries read (the rest are reported as one problem). */
  maxEntries: number;
  /** Largest uncompressed entry. */
  maxEntryBytes: number;
  /** Most bytes inflated over the whole archive. */
  maxTotalBytes: number;
}

/** Defaults sized for OSV: records are kilobytes, osv.dev's largest ecosystem zips hold a few hundred thousand. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 1_000_000, maxEntryBytes: 8 * 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024 * 1024 };

/** One entry: its name as the archive gives it (never used as a path) and its bytes, or why it could not be read. */
export type ZipEntry = { name: string; data: Buffer } | { name: string; error: string };

/** An archive that cannot be read at all (no central directory, sizes out of bounds). */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_COMMENT = 0xffff;

/**
 * Every entry whose name `wanted` accepts (all by default), in central-directory order; `onEntry`
 * sees each so the caller can parse and drop it before the next is inflated.
 */
export function readZipEntries(zip: Buffer, onEntry: (entry: ZipEntry) => void, options: { wanted?: (name: string) => boolean; limits?: Partial<ZipLimits> } = {}): void {
  const limits = { ...DEFAULT_ZIP_LIMITS, ...options.limits };
  const directory = centralDirectory(zip);
  if (directory.count > limits.maxEntries) throw new ZipFormatError(`${directory.count} entries, more than the ${limits.maxEntries} allowed`);
  let offset = directory.offset;
  let inflated = 0;
  for (let index = 0; index < directory.count; index += 1) {
    need(zip, offset, 46, 'central directory entry');
    if (zip.readUInt32LE(offset) !== CENTRAL_SIGNATURE) throw new ZipFormatError(`central directory entry ${index + 1} has no signature`);
    const flags = zip.readUInt16LE(offset + 8);
    const method = zip.readUInt16LE(offset + 10);
    const crc = zip.readUInt32LE(offset + 16);
    let compressedSize = zip.readUInt32LE(offset + 20);
    let size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    let localOffset = zip.readUInt32LE(offset + 42);
    need(zip, offset + 46, nameLength + extraLength + commentLength, 'central directory entry');
    // Names are bytes in CP437 or UTF-8; only ever shown and matched by suffix, so a lossy decode is fine.
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    const zip64 = zip64Extra(zip.subarray(offset + 46 + nameLength, offset + 46 + nameLength + extraLength), { size, compressedSize, localOffset });
    ({ size, compressedSize, localOffset } = zip64);
    offset += 46 + nameLength + extraLength + commentLength;

    if (name.endsWith('/') || !(options.wanted?.(name) ?? true)) continue;
    const fail = (error: string) => onEntry({ name, error });
    if (flags & 0x1) { fail('encrypted'); continue; }
    if (method !== 0 && method !== 8) { fail(`compression method ${method} is not supported (only stored and deflate)`); continue; }
    if (size > limits.maxEntryBytes) { fail(`${size} bytes uncompressed, more than the ${limits.maxEntryBytes} allowed`); continue; }
    if (inflated + size > limits.maxTotalBytes) throw new ZipFormatError(`more than ${limits.maxTotalBytes} bytes uncompressed in all`);
    try {
      need(zip, localOffset, 30, 'local header');
      if (zip.readUInt32LE(localOffset) !== LOCAL_SIGNATURE) throw new ZipFormatError('no local header signature');
      const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
      need(zip, dataStart, compressedSize, 'entry data');
      const raw = zip.subarray(dataStart, dataStart + compressedSize);
      // maxOutputLength makes zlib stop (and throw) at the declared size plus one: a lying size cannot inflate further.
      const data = method === 0 ? Buffer.from(raw) : inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      if (data.length !== size) throw new ZipFormatError(`does not inflate to its declared size (${data.length} bytes, not ${size})`);
      if (crc32(data) !== crc) throw new ZipFormatError('CRC-32 does not match');
      inflated += size;
      onEntry({ name, data });
    } catch (error) {
      if (error instanceof ZipFormatError) fail(error.message);
      // zlib stopped at maxOutputLength: the entry holds more than its declared size (a bomb that lies about it).
      else if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') fail(`does not inflate to its declared size (more than ${size} bytes)`);
      else fail(`cannot inflate: ${(error as Error).message.split('\n')[0]}`);
    }
  }
}

/** Where the central directory starts and how many entries it holds (ZIP64 when the classic record says so). */
function centralDirectory(zip: Buffer): { offset: number; count: number } {
  const earliest = Math.max(0, zip.length - 22 - MAX_COMMENT);
  let eocd = -1;
  for (let at = zip.length - 22; at >= earliest; at -= 1) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('not a ZIP archive (no end of central directory record)');
  let count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  if ((count === 0xffff || offset === 0xffffffff) && eocd >= 20 && zip.readUInt32LE(eocd - 20) === ZIP64_LOCATOR_SIGNATURE) {
    const record = safeNumber(zip.readBigUInt64LE(eocd - 20 + 8), 'ZIP64 record offset');
    need(zip, record, 56, 'ZIP64 end of central directory record');
    if (zip.readUInt32LE(record) !== ZIP64_EOCD_SIGNATURE) throw new ZipFormatError('ZIP64 end of central directory record has no signature');
    count = safeNumber(zip.readBigUInt64LE(record + 32), 'entry count');
    offset = safeNumber(zip.readBigUInt64LE(record + 48), 'central directory offset');
  }
  need(zip, offset, 0, 'central directory');
  return { offset, count };
}

/** The ZIP64 extended information extra field (id 1) replaces each 0xFFFFFFFF size or offset, in this order. */
function zip64Extra(extra: Buffer, sizes: { size: number; compressedSize: number; localOffset: number }): { size: number; compressedSize: number; localOffset: number } {
  const result = { ...sizes };
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const end = Math.min(at + 4 + length, extra.length);
      const next = (name: string): number => {
        if (field + 8 > end) throw new ZipFormatError(`ZIP64 extra field too short for the ${name}`);
        const value = safeNumber(extra.readBigUInt64LE(field), name);
        field += 8;
        return value;
      };
      if (sizes.size === 0xffffffff) result.size = next('size');
      if (sizes.compressedSize === 0xffffffff) result.compressedSize = next('compressed size');
      if (sizes.localOffset === 0xffffffff) result.localOffset = next('local header offset');
    }
    at += 4 + length;
  }
  return result;
}

function safeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError(`${what} out of range`);
  return Number(value);
}

/** Throws unless `length` bytes from `offset` lie inside the archive. */
function need(zip: Buffer, offset: number, length: number, what: string): void {
  if (offset < 0 || length < 0 || offset + length > zip.length) throw new ZipFormatError(`${what} lies outside the archive`);
}
