import * as fs from 'node:fs/promises';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeInterruptedWrites, writeFileAtomic, type AtomicWriteFs } from './atomic-write.js';

/** The real file-system calls, each recorded as it happens (the temporary file's random part shown as <tmp>). */
function recordingFs(events: string[]): AtomicWriteFs {
  const name = (path: string): string => basename(path.toString()).replace(/\.[0-9a-f]{12}\.tmp$/, '.<tmp>');
  return {
    mkdir: fs.mkdir,
    unlink: fs.unlink,
    open: (async (path: string, flags: string, mode?: number) => {
      const handle = await fs.open(path, flags, mode);
      events.push(`open ${name(path)}`);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        await sync();
        events.push(`sync ${name(path)}`);
      };
      return handle;
    }) as AtomicWriteFs['open'],
    rename: async (from, to) => {
      await fs.rename(from, to);
      events.push(`rename ${name(from.toString())} -> ${name(to.toString())}`);
    },
  };
}

describe('writeFileAtomic', () => {
  it('syncs the temporary file before the rename and the folder after it, all before the save resolves', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'atomic-write-'));
    const events: string[] = [];

    await writeFileAtomic(join(folder, 'report.json'), '{"ok":true}', recordingFs(events));
    events.push('resolved');

    expect(events).toEqual([
      'open report.json.<tmp>',
      'sync report.json.<tmp>',
      'rename report.json.<tmp> -> report.json',
      `open ${basename(folder)}`,
      `sync ${basename(folder)}`,
      'resolved',
    ]);
    expect(await readFile(join(folder, 'report.json'), 'utf8')).toBe('{"ok":true}');
    expect(await readdir(folder)).toEqual(['report.json']);
  });

  it('removes its temporary file and keeps the previous file when the rename fails', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'atomic-write-'));
    await writeFile(join(folder, 'report.json'), 'previous');
    const failingRename: AtomicWriteFs = {
      ...recordingFs([]),
      rename: async () => {
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    };

    await expect(writeFileAtomic(join(folder, 'report.json'), 'next', failingRename)).rejects.toThrow('no space left');

    expect(await readdir(folder)).toEqual(['report.json']);
    expect(await readFile(join(folder, 'report.json'), 'utf8')).toBe('previous');
  });
});

describe('removeInterruptedWrites', () => {
  it('deletes only the temporary files of the named targets and leaves every other file alone', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'atomic-write-'));
    const ours = ['report.json.0123456789ab.tmp', 'ledger.json.abcdef012345.tmp'];
    const others = [
      'report.json',
      'report.json.tmp',
      'report.json.0123456789AB.tmp',
      'report.json.0123456789a.tmp',
      'notes.json.0123456789ab.tmp',
      'report.json.0123456789ab.tmp.bak',
      'known_hosts',
    ];
    for (const name of [...ours, ...others]) await writeFile(join(folder, name), 'x');
    await mkdir(join(folder, 'hosts.json.0123456789ab.tmp'));

    const removed = await removeInterruptedWrites(folder, ['report.json', 'ledger.json', 'hosts.json']);

    expect(removed.sort()).toEqual([...ours].sort());
    expect((await readdir(folder)).sort()).toEqual([...others, 'hosts.json.0123456789ab.tmp'].sort());
  });

  it('answers nothing for a folder that does not exist yet', async () => {
    const folder = join(await mkdtemp(join(tmpdir(), 'atomic-write-')), 'not-yet');

    expect(await removeInterruptedWrites(folder, ['report.json'])).toEqual([]);
  });
});
