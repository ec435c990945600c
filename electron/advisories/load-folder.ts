/**
 * Reads a folder of OSV advisory files (e.g. a user's newer copy of the records) so they can be
 * indexed next to or instead of the bundled ones. One unreadable or malformed file is reported
 * and skipped; it never hides the others.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { OsvRecord } from '../../shared/domain/advisories/osv.js';
import { advisoryFormatOf, AdvisoryParseError, parseAdvisoryFile } from '../../shared/domain/advisories/osv.js';

/** Why one file of the folder was not loaded. */
export interface AdvisoryFileError {
  /** Path relative to the folder, e.g. `MAL-2026-2254.json` or `pypi/litellm/MAL-2026-2144.json`. */
  fileName: string;
  message: string;
}

/** The records a folder yielded, in file-name order, and the files that failed. */
export interface AdvisoryFolder {
  records: OsvRecord[];
  errors: AdvisoryFileError[];
}

/** Options for loadAdvisoryFolder. */
export interface LoadAdvisoryFolderOptions {
  /** Also read subfolders, as in a checkout of pypa/advisory-database (`vulns/<name>/*.yaml`). */
  recursive?: boolean;
}

/** Files read at once. */
const READ_BATCH = 64;

/** Loads every *.json, *.yaml and *.yml file of `dir`; rejects only when the folder itself cannot be read. */
export async function loadAdvisoryFolder(dir: string, options: LoadAdvisoryFolderOptions = {}): Promise<AdvisoryFolder> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: options.recursive ?? false });
  const fileNames = entries
    .filter((entry) => entry.isFile() && advisoryFormatOf(entry.name) !== null)
    // `parentPath` is the entry's own folder (it differs from `dir` when recursing); Node 20.12+.
    .map((entry) => relative(dir, join(entry.parentPath ?? dir, entry.name)))
    .filter((fileName) => !fileName.split(/[\\/]/).some((part) => part.startsWith('.')))
    .sort();

  // A database checkout holds tens of thousands of files: read them a batch at a time, not all open at once.
  const results: Array<Awaited<ReturnType<typeof loadFile>>> = [];
  for (let start = 0; start < fileNames.length; start += READ_BATCH) {
    results.push(...(await Promise.all(fileNames.slice(start, start + READ_BATCH).map((fileName) => loadFile(dir, fileName)))));
  }
  const folder: AdvisoryFolder = { records: [], errors: [] };
  for (const result of results) {
    if ('record' in result) folder.records.push(result.record);
    else folder.errors.push(result.error);
  }
  return folder;
}

async function loadFile(dir: string, fileName: string): Promise<{ record: OsvRecord } | { error: AdvisoryFileError }> {
  try {
    const text = await readFile(join(dir, fileName), 'utf8');
    return { record: parseAdvisoryFile(fileName, text) };
  } catch (error) {
    // AdvisoryParseError already names the file; an fs error (permissions, a vanished file) does not.
    const message = error instanceof AdvisoryParseError ? error.reason : error instanceof Error ? error.message : String(error);
    return { error: { fileName, message } };
  }
}
