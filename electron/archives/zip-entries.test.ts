import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipArchive } from '../../e2e/zip-archive.js';
import { readZipEntries, ZipFormatError, type ZipEntry } from './zip-entries.js';

function entriesOf(zip: Buffer, options: Parameters<typeof readZipEntries>[2] = {}): ZipEntry[] {
  const entries: ZipEntry[] = [];
  readZipEntries(zip, (entry) => entries.push(entry), options);
  return entries;
}
const texts = (entries: ZipEntry[]) => entries.map((entry) => ('data' in entry ? `${entry.name}=${entry.data.toString('utf8')}` : `${entry.name}!${entry.error}`));

describe('readZipEntries', () => {
  it('reads stored and deflated entries in archive order', () => {
    const zip = zipArchive([
      { name: 'MAL-1.json', data: '{"id":"MAL-1"}' },
      { name: 'nested/GHSA-x.json', data: '{"id":"GHSA-x"}', method: 'store' },
    ]);

    expect(texts(entriesOf(zip))).toEqual(['MAL-1.json={"id":"MAL-1"}', 'nested/GHSA-x.json={"id":"GHSA-x"}']);
  });

  it('reads the ZIP64 end records an archive of more than 65,535 entries has', () => {
    const zip = zipArchive([{ name: 'a.json', data: 'a' }, { name: 'b.json', data: 'b' }], { zip64: true });

    expect(texts(entriesOf(zip))).toEqual(['a.json=a', 'b.json=b']);
  });

  it('skips entries the caller does not want without inflating them', () => {
    const zip = zipArchive([{ name: 'README.md', data: 'x', declaredCrc: 1 }, { name: 'r.json', data: 'r' }]);

    expect(texts(entriesOf(zip, { wanted: (name) => name.endsWith('.json') }))).toEqual(['r.json=r']);
  });

  it('stops a zip bomb at the entry limit: a declared size over it, or a lying small size, inflates no further', () => {
    const bomb = Buffer.alloc(5 * 1024 * 1024, 0x41);
    const zip = zipArchive([
      { name: 'big.json', data: bomb },
      { name: 'liar.json', data: bomb, declaredSize: 10 },
      { name: 'fine.json', data: 'ok' },
    ]);

    const entries = entriesOf(zip, { limits: { maxEntryBytes: 1024 * 1024 } });

    expect(texts(entries)[0]).toBe('big.json!5242880 bytes uncompressed, more than the 1048576 allowed');
    expect(texts(entries)[1]).toBe('liar.json!does not inflate to its declared size (more than 10 bytes)');
    expect(texts(entries)[2]).toBe('fine.json=ok');
  });

  it('refuses an archive that would inflate to more than the total limit', () => {
    const zip = zipArchive([{ name: 'a.json', data: 'x'.repeat(600) }, { name: 'b.json', data: 'y'.repeat(600) }]);

    expect(() => entriesOf(zip, { limits: { maxTotalBytes: 1000 } })).toThrow('more than 1000 bytes uncompressed in all');
  });

  it('reports an entry whose CRC-32 does not match, and keeps reading', () => {
    const zip = zipArchive([{ name: 'bad.json', data: 'x', declaredCrc: 12345 }, { name: 'good.json', data: 'y' }]);

    expect(texts(entriesOf(zip))).toEqual(['bad.json!CRC-32 does not match', 'good.json=y']);
  });

  it('refuses what is not an archive, and a directory that points outside the buffer', () => {
    const zip = zipArchive([{ name: 'a.json', data: 'a' }]);
    const truncated = Buffer.concat([Buffer.alloc(10), zip.subarray(zip.length - 22)]);

    expect(() => entriesOf(Buffer.from('not a zip at all, just some text'))).toThrow(ZipFormatError);
    expect(() => entriesOf(Buffer.alloc(3))).toThrow('not a ZIP archive');
    expect(() => entriesOf(truncated)).toThrow(/outside the archive/);
  });

  it('never treats an entry name as a path: a name with ../ is only reported', () => {
    const zip = zipArchive([{ name: '../../etc/evil.json', data: 'e' }]);

    expect(texts(entriesOf(zip))).toEqual(['../../etc/evil.json=e']);
  });

  // Needs Info-ZIP's zip, which .ci/run installs; on a machine without it there is no real archiver's output to read.
  it.skipIf(!existsSync('/usr/bin/zip'))('reads what Info-ZIP zip writes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zip-entries-'));
    await writeFile(join(dir, 'one.json'), '{"id":"ONE"}'.repeat(50));
    await writeFile(join(dir, 'two.json'), 'two');
    execFileSync('/usr/bin/zip', ['-q', '-X', join(dir, 'all.zip'), 'one.json', 'two.json'], { cwd: dir });

    const entries = entriesOf(await readFile(join(dir, 'all.zip')));

    expect(texts(entries)).toEqual([`one.json=${'{"id":"ONE"}'.repeat(50)}`, 'two.json=two']);
  });
});
