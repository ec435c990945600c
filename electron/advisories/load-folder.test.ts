import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUNDLED_ADVISORY_FILES } from '../../shared/domain/advisories/bundled-data.js';
import { loadAdvisoryFolder } from './load-folder.js';

function bundled(fileName: string): string {
  const file = BUNDLED_ADVISORY_FILES.find((candidate) => candidate.fileName === fileName);
  if (!file) throw new Error(`${fileName} is not bundled`);
  return file.text;
}

async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'advisory-folder-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text, 'utf8');
  }
  return dir;
}

describe('loadAdvisoryFolder', () => {
  it('loads the good files of a folder when one file is broken, and reports the broken one', async () => {
    const dir = await folderWith({
      'MAL-2026-2144.json': bundled('MAL-2026-2144.json'),
      'PYSEC-2026-2.yaml': bundled('PYSEC-2026-2.yaml'),
      // The later copy of MAL-2026-2254 in the upstream index lacks this comma.
      'MAL-2026-2254.json': bundled('MAL-2026-2254.json').replace('"4.87.1",', '"4.87.1"'),
    });

    const folder = await loadAdvisoryFolder(dir);

    expect(folder.records.map((record) => record.id)).toEqual(['MAL-2026-2144', 'PYSEC-2026-2']);
    expect(folder.errors).toEqual([{ fileName: 'MAL-2026-2254.json', message: expect.stringMatching(/^not valid JSON/) }]);
  });

  it('reports a placeholder record with an empty id as an error', async () => {
    const dir = await folderWith({ 'MAL-0000-litellm.json': JSON.stringify({ id: '', summary: 'per-source import' }) });

    const folder = await loadAdvisoryFolder(dir);

    expect(folder.records).toEqual([]);
    expect(folder.errors).toEqual([{ fileName: 'MAL-0000-litellm.json', message: expect.stringMatching(/empty id/) }]);
  });

  it('reads .yml files and ignores files that are not advisories', async () => {
    const dir = await folderWith({
      'PYSEC-2024-154.yml': bundled('PYSEC-2024-154.yaml'),
      'SOURCES.md': '# Provenance',
      'notes.txt': 'not an advisory',
    });

    const folder = await loadAdvisoryFolder(dir);

    expect(folder).toEqual({ records: [expect.objectContaining({ id: 'PYSEC-2024-154' })], errors: [] });
  });

  it('reads subfolders only when asked to', async () => {
    const dir = await folderWith({
      'top.json': bundled('MAL-2026-3607.json'),
      'vulns/litellm/PYSEC-2026-2.yaml': bundled('PYSEC-2026-2.yaml'),
    });

    const flat = await loadAdvisoryFolder(dir);
    const deep = await loadAdvisoryFolder(dir, { recursive: true });

    expect(flat.records.map((record) => record.id)).toEqual(['MAL-2026-3607']);
    expect(deep.records.map((record) => record.id)).toEqual(['MAL-2026-3607', 'PYSEC-2026-2']);
  });

  it('rejects when the folder itself does not exist', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'advisory-folder-')), 'missing');

    await expect(loadAdvisoryFolder(dir)).rejects.toThrow(/ENOENT/);
  });
});

// The source folder sits beside the repository in the incident workspace; where it is not
// checked out (a fresh clone), there is nothing to compare against.
const SOURCE_FOLDER = fileURLToPath(new URL('../../../shared/advisories/', import.meta.url));

describe('bundled advisory data', () => {
  it.skipIf(!existsSync(SOURCE_FOLDER))('holds every source advisory file byte for byte', async () => {
    const names = (await readdir(SOURCE_FOLDER)).filter((name) => /\.(json|ya?ml)$/.test(name)).sort();

    const expected = await Promise.all(names.map(async (fileName) => ({ fileName, text: await readFile(join(SOURCE_FOLDER, fileName), 'utf8') })));

    expect(BUNDLED_ADVISORY_FILES).toEqual(expected);
  });
});
