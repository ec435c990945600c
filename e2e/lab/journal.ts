/**
 * A real systemd journal inside a lab root: Debian's `journalctl` (with the libraries `ldd` lists)
 * copied in, and a journal file written by Debian's `systemd-journal-remote` from entries in
 * journal export format (the format `journalctl -o export` prints), at
 * `/var/log/journal/<machine id>/system.journal` with `/etc/machine-id` naming the same id, so the
 * host's own `journalctl -u UNIT` reads it as the local system journal. Needs the Debian package
 * `systemd-journal-remote` (CI installs it).
 */
import { existsSync } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LabJournal } from './lab-hosts.js';
import { inRoot, run, writeRootFile } from './rootfs.js';

/** Where Debian keeps systemd-journal-remote. */
const JOURNAL_REMOTE = ['/lib/systemd/systemd-journal-remote', '/usr/lib/systemd/systemd-journal-remote'];
const JOURNALCTL = '/usr/bin/journalctl';

/** Substitutes a lab file's tokens (Planter.render's text). */
export type RenderText = (text: string) => string;

/** Copies journalctl into the root and writes its journal; throws naming the package when a tool is missing. */
export async function writeLabJournal(root: string, journal: LabJournal, render: RenderText): Promise<void> {
  const remote = JOURNAL_REMOTE.find((candidate) => existsSync(candidate));
  if (!existsSync(JOURNALCTL) || remote === undefined) throw new Error('lab journal: needs journalctl and systemd-journal-remote (apt-get install systemd-journal-remote)');
  await copyWithLibraries(root, JOURNALCTL);
  if (!/^[0-9a-f]{32}$/.test(journal.machineId)) throw new Error('lab journal: a machine id is 32 hex digits');
  await writeRootFile(root, '/etc/machine-id', `${journal.machineId}\n`);
  const folder = inRoot(root, `/var/log/journal/${journal.machineId}`);
  await mkdir(folder, { recursive: true });
  const scratch = path.join(os.tmpdir(), `blast-radius-lab-journal-${process.pid}-${Date.now()}.export`);
  try {
    await writeFile(scratch, exportFormat(journal, render));
    await run(remote, [`--output=${path.join(folder, 'system.journal')}`, scratch]);
  } finally {
    await rm(scratch, { force: true });
  }
}

/** The entries in journal export format: `FIELD=value` lines, an empty line after each entry, times as microseconds. */
function exportFormat(journal: LabJournal, render: RenderText): string {
  return journal.entries
    .map((entry, index) => {
      const micros = BigInt(Date.parse(entry.at)) * 1000n;
      const fields: Record<string, string> = {
        __REALTIME_TIMESTAMP: String(micros),
        __MONOTONIC_TIMESTAMP: String(1_000_000 + index),
        _BOOT_ID: journal.bootId,
        _MACHINE_ID: journal.machineId,
        _HOSTNAME: journal.hostname,
        PRIORITY: '6',
        ...entry.fields,
        MESSAGE: render(entry.message),
      };
      for (const value of Object.values(fields)) if (value.includes('\n')) throw new Error('lab journal: one-line values only');
      return `${Object.entries(fields).map(([key, value]) => `${key}=${value}`).join('\n')}\n\n`;
    })
    .join('');
}

/** Copies a binary and every library it needs into the root, leaving files the root already has (hard-linked base files) alone. */
async function copyWithLibraries(root: string, binary: string): Promise<void> {
  const files = [binary];
  for (const line of (await run('ldd', [binary])).split('\n')) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (match?.[1]) files.push(match[1]);
  }
  for (const file of files) {
    const target = inRoot(root, file);
    if (existsSync(target)) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(await realpath(file), target);
    if (file === binary) await chmod(target, (await lstat(file)).mode & 0o7777);
  }
}
