/**
 * Crash-safe file writes for case files: a half-written case must never replace a good one, and a
 * save that has been acknowledged survives a power cut. The data goes to a temporary file beside
 * the target, which is synced, renamed over the target, and then the folder is synced so the
 * rename itself is on disk. A save killed midway leaves only its temporary file, which
 * `removeInterruptedWrites` clears when the case folder is next opened.
 */
import * as fs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Dirent } from 'node:fs';

/** The file-system calls a save makes, so a test can watch them happen (they still do their real work). */
export interface AtomicWriteFs {
  open: typeof fs.open;
  rename: typeof fs.rename;
  mkdir: typeof fs.mkdir;
  unlink: typeof fs.unlink;
}

const nodeFs: AtomicWriteFs = { open: fs.open, rename: fs.rename, mkdir: fs.mkdir, unlink: fs.unlink };

/** `<target>.<12 hex digits>.tmp`: the only names this module ever creates besides its targets. */
const TEMPORARY_NAME = /^(.+)\.[0-9a-f]{12}\.tmp$/;

/** Writes `data` to `path` through a synced temporary file, a rename and a synced folder, with owner-only permissions. */
export async function writeFileAtomic(path: string, data: string, io: AtomicWriteFs = nodeFs): Promise<void> {
  const folder = dirname(path);
  await io.mkdir(folder, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await io.open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await io.rename(temporary, path);
  } catch (error) {
    // A failed save (disk full, no permission) must not leave its half-written file behind.
    await io.unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder, io);
}

/** Syncs a folder's entries (a rename lives in the folder, not the file). Windows cannot open a folder to sync it. */
async function syncFolder(folder: string, io: AtomicWriteFs): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await io.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Deletes the temporary files that saves killed midway left in `folder`, and nothing else: only
 * files named `<name>.<12 hex>.tmp` whose `<name>` is one of `targets`. Answers the names removed.
 */
export async function removeInterruptedWrites(folder: string, targets: readonly string[]): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const target = TEMPORARY_NAME.exec(entry.name)?.[1];
    if (!entry.isFile() || target === undefined || !targets.includes(target)) continue;
    try {
      await fs.unlink(join(folder, entry.name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    removed.push(entry.name);
  }
  return removed;
}
