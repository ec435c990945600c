import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newBoundary } from '../collectors/framing.js';
import { collectedAt, importRefusal, readCollections } from './import-collection.js';

/** A collection holding only the facts step, as the collector frames it. */
function factsOnly(hostname: string, at = '2026-03-25T09:00:00Z'): string {
  const o = newBoundary();
  const b = newBoundary();
  return `blast-radius-collection/1 ${o}\n\n${o} collected-at\n${at}\n${o} step\nfacts -\n${o} boundaries\n${b}\n${o} stdout\n\n${b} hostname\n${hostname}\n${b} end\n\n${o} stderr\n\n${o} rc\n0\n${o} end\n`;
}

async function files(texts: Record<string, string>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'collections-'));
  return Promise.all(Object.entries(texts).map(async ([name, text]) => (await writeFile(join(dir, name), text), join(dir, name))));
}

describe('readCollections', () => {
  it('names each host by the hostname its facts carry', async () => {
    const read = await readCollections(await files({ 'a.brc': factsOnly('web-1'), 'b.brc': factsOnly('nas.lan') }));
    expect(read.map((entry) => entry.name)).toEqual(['web-1', 'nas.lan']);
  });

  it('refuses a hostname that is no plain name unless --host names the host', async () => {
    const [file] = await files({ 'odd.brc': factsOnly('web 1; rm -rf /') });
    await expect(readCollections([file!])).rejects.toThrow(/odd\.brc: the collection names no usable host name; give one with --host/);
    await expect(readCollections([file!], 'web-1')).resolves.toMatchObject([{ name: 'web-1' }]);
  });

  it('refuses two files of one host, and --host for several files', async () => {
    const both = await files({ 'a.brc': factsOnly('web-1'), 'b.brc': factsOnly('web-1') });
    await expect(readCollections(both)).rejects.toThrow(/b\.brc: a second collection of host web-1/);
    await expect(readCollections(both, 'x')).rejects.toThrow(/one file/);
  });

  it('says a missing file, a folder or an unreadable file in plain words, naming the path as given', async () => {
    const [file] = await files({ 'locked.brc': factsOnly('web-1') });
    const dir = dirname(file!);
    await expect(readCollections([join(dir, 'gone.brc')])).rejects.toThrow(new Error(`${join(dir, 'gone.brc')}: no such file`));
    await expect(readCollections([dir])).rejects.toThrow(/: a folder, not a collection file/);
    await chmod(file!, 0o000);
    // root reads a file whatever its mode: only a non-root run can see the refusal.
    if (process.getuid?.() !== 0) await expect(readCollections([file!])).rejects.toThrow(new Error(`${file}: not readable (permission denied)`));
  });

  it('takes the latest collection time as the import\'s', async () => {
    const read = await readCollections(await files({ 'a.brc': factsOnly('a', '2026-03-25T09:00:00Z'), 'b.brc': factsOnly('b', '2026-03-26T10:00:00Z') }));
    expect(collectedAt(read).toISOString()).toBe('2026-03-26T10:00:00.000Z');
  });
});

describe('importRefusal', () => {
  const KEY = 'sk-proj-' + 'Q7w9'.repeat(12);

  it('keeps the paths the user gave as typed, random-looking folder names and regex characters included', () => {
    const path = '/tmp/blast-radius-import-ui-2oLRtC/web (1)+.brc';
    expect(importRefusal(`${path}: no such file`, [path])).toBe(`${path}: no such file`);
  });

  it('still redacts what is not one of the paths', () => {
    const shown = importRefusal(`/srv/a.brc: ${KEY}`, ['/srv/a.brc']);
    expect(shown.startsWith('/srv/a.brc: [redacted')).toBe(true);
    expect(shown).not.toContain(KEY.slice(8, 24));
  });
});
