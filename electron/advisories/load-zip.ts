/**
 * Reads an osv.dev per-ecosystem `all.zip` (https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip:
 * one OSV JSON record per entry) into records. The archive is hostile: its size is bounded before
 * it is read, each entry through zip-entries.ts's limits, and entry names are only shown (control
 * characters replaced) and matched by suffix. A bad entry is reported and skipped.
 */
import { readFile, stat } from 'node:fs/promises';
import { AdvisoryParseError, parseAdvisoryFile } from '../../shared/domain/advisories/osv.js';
import type { AdvisoryFolder } from './load-folder.js';
import { readZipEntries, type ZipLimits } from '../archives/zip-entries.js';

/** Largest archive read: osv.dev's largest ecosystem zips are a few hundred MB. */
export const MAX_ZIP_BYTES = 1024 * 1024 * 1024;

/** Options of loadAdvisoryZip, for tests. */
export interface LoadAdvisoryZipOptions {
  maxZipBytes?: number;
  limits?: Partial<ZipLimits>;
}

/** The records of every `.json`, `.yaml` and `.yml` entry of the archive, in archive order; rejects when the archive itself cannot be read. */
export async function loadAdvisoryZip(file: string, options: LoadAdvisoryZipOptions = {}): Promise<AdvisoryFolder> {
  const maxZipBytes = options.maxZipBytes ?? MAX_ZIP_BYTES;
  const { size } = await stat(file);
  if (size > maxZipBytes) throw new Error(`${size} bytes, more than the ${maxZipBytes} read`);
  const zip = await readFile(file);
  const folder: AdvisoryFolder = { records: [], errors: [] };
  readZipEntries(
    zip,
    (entry) => {
      const fileName = shownName(entry.name);
      if ('error' in entry) {
        folder.errors.push({ fileName, message: entry.error });
        return;
      }
      try {
        folder.records.push(parseAdvisoryFile(fileName, entry.data.toString('utf8')));
      } catch (error) {
        folder.errors.push({ fileName, message: error instanceof AdvisoryParseError ? error.reason : (error as Error).message });
      }
    },
    { wanted: (name) => /\.(json|ya?ml)$/i.test(name), ...(options.limits ? { limits: options.limits } : {}) },
  );
  return folder;
}

/** An entry name as it may be printed: control characters replaced, at most 200 characters. */
function shownName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const visible = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return visible.length > 200 ? `${visible.slice(0, 199)}…` : visible;
}
