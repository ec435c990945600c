import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipArchive } from '../../e2e/zip-archive.js';
import { BUNDLED_ADVISORY_FILES } from '../../shared/domain/advisories/bundled-data.js';
import { loadAdvisories } from './load-advisories.js';

function bundled(fileName: string): string {
  const file = BUNDLED_ADVISORY_FILES.find((candidate) => candidate.fileName === fileName);
  if (!file) throw new Error(`${fileName} is not bundled`);
  return file.text;
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'load-advisories-'));
}

describe('loadAdvisories', () => {
  it('reads a database checkout at any depth (vulns/<name>/PYSEC-….yaml, advisories/…/GHSA-….json) and says where from', async () => {
    const dir = await tempDir();
    const files: Record<string, string> = {
      'vulns/litellm/PYSEC-2026-2.yaml': bundled('PYSEC-2026-2.yaml'),
      'advisories/github-reviewed/2026/03/GHSA-5mg7-485q-xm76/GHSA-5mg7-485q-xm76.json': bundled('GHSA-5mg7-485q-xm76.json'),
      'MAL-2026-2144.json': bundled('MAL-2026-2144.json'),
      '.git/objects/x.json': '{}',
    };
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), text);
    }

    const loaded = await loadAdvisories(dir);

    expect(loaded.records.map((record) => record.id).sort()).toEqual(['GHSA-5mg7-485q-xm76', 'MAL-2026-2144', 'PYSEC-2026-2']);
    expect(loaded.errors).toEqual([]);
    expect(loaded.source).toMatchObject({ path: dir, kind: 'folder', records: 3, skipped: 0 });
    const dates = loaded.records.map((record) => record.modified!).sort();
    expect(loaded.source.oldestModified).toBe(dates[0]);
    expect(loaded.source.newestModified).toBe(dates.at(-1));
  });

  it('reads an osv.dev all.zip, reporting a broken entry by its name with control characters replaced', async () => {
    const dir = await tempDir();
    const zip = zipArchive([
      { name: 'MAL-2026-2144.json', data: bundled('MAL-2026-2144.json') },
      { name: 'GHSA-69fq-xp46-6x23.json', data: bundled('GHSA-69fq-xp46-6x23.json') },
      { name: 'broken\u001b[2J.json', data: '{"id": ' },
    ]);
    await writeFile(join(dir, 'all.zip'), zip);

    const loaded = await loadAdvisories(join(dir, 'all.zip'));

    expect(loaded.records.map((record) => record.id)).toEqual(['MAL-2026-2144', 'GHSA-69fq-xp46-6x23']);
    expect(loaded.errors).toEqual([{ fileName: 'broken?[2J.json', message: expect.stringMatching(/^not valid JSON/) }]);
    expect(loaded.source).toMatchObject({ kind: 'zip', records: 2, skipped: 1 });
  });

  it('rejects a file that is not a zip, and a path that does not exist', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'notes.txt'), 'hello');

    await expect(loadAdvisories(join(dir, 'notes.txt'))).rejects.toThrow(/not a ZIP archive/);
    await expect(loadAdvisories(join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});
