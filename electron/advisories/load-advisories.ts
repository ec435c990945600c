/**
 * `--advisories PATH` and the app's "Load advisories…": a folder tree of OSV records (a checkout of
 * OSV's or the PyPA's advisory database, `vulns/<name>/PYSEC-….yaml` and GHSA JSON at any depth)
 * or an osv.dev `all.zip`, with a summary of the source to show beside the records.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OsvRecord } from '../../shared/domain/advisories/osv.js';
import type { AdvisorySourceEntry } from '../../shared/ipc/contract.js';
import { loadAdvisoryFolder, type AdvisoryFolder } from './load-folder.js';
import { loadAdvisoryZip } from './load-zip.js';

/** Where loaded records came from, as the app lists it (the contract's entry without the time it was loaded). */
export type AdvisorySource = Omit<AdvisorySourceEntry, 'loadedAt'>;

/** Records, problems and the source summary of one folder tree or zip. */
export interface LoadedAdvisories extends AdvisoryFolder {
  source: AdvisorySource;
}

/** Loads a folder (recursively) or a `.zip`; rejects when the path itself cannot be read. */
export async function loadAdvisories(path: string): Promise<LoadedAdvisories> {
  const absolute = resolve(path);
  const info = await stat(absolute);
  const kind = info.isDirectory() ? 'folder' : 'zip';
  if (kind === 'zip' && !info.isFile()) throw new Error('neither a folder nor a file');
  const loaded = kind === 'folder' ? await loadAdvisoryFolder(absolute, { recursive: true }) : await loadAdvisoryZip(absolute);
  return { ...loaded, source: sourceOf(absolute, kind, loaded) };
}

/** The summary of what a source yielded. */
export function sourceOf(path: string, kind: AdvisorySource['kind'], loaded: AdvisoryFolder): AdvisorySource {
  const modified = loaded.records.map((record: OsvRecord) => record.modified).filter((value): value is string => typeof value === 'string' && value.length > 0).sort();
  return { path, kind, records: loaded.records.length, skipped: loaded.errors.length, oldestModified: modified[0] ?? null, newestModified: modified.at(-1) ?? null };
}
