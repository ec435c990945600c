/**
 * Wheels are zips: every file entry of one, read through the one bounded zip reader
 * (electron/archives/zip-entries.ts: entry count, each entry's and the whole archive's inflated
 * size, CRC-32, stored or deflated only). Here any entry that cannot be read fails the whole
 * archive, since a known-good reference with a file missing would call that file "missing"
 * everywhere. The types and the error are shared with the sdist reader (tar-reader.ts).
 */
import { readZipEntries, ZipFormatError } from '../archives/zip-entries.js';

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

/** Every file entry of a zip (folders left out), in central-directory order; any unreadable entry fails the archive. */
export function readZip(zip: Buffer, limits: ArchiveLimits = ARCHIVE_LIMITS): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  try {
    readZipEntries(
      zip,
      (entry) => {
        // The entry's name is the archive's text: not repeated in the message.
        if ('error' in entry) throw new ArchiveError(`an entry cannot be read: ${entry.error}`);
        entries.push({ path: entry.name, bytes: entry.data });
      },
      { limits },
    );
  } catch (error) {
    if (error instanceof ZipFormatError) throw new ArchiveError(error.message);
    throw error;
  }
  return entries;
}
