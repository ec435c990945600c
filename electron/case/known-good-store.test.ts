import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KnownGoodReference } from '../../shared/domain/python/known-good.js';
import { CaseFileError, CaseStore } from './case-store.js';

const reference = (id: string, importedAt: string): KnownGoodReference => ({
  id,
  name: 'litellm',
  version: '1.82.8',
  source: 'wheel',
  artifact: 'litellm-1.82.8-py3-none-any.whl',
  artifactSha256: 'ab'.repeat(32),
  importedAt,
  files: { 'litellm/__init__.py': 'cd'.repeat(32) },
});

describe('known-good artifacts in the case', () => {
  it('keeps imported references across a reopen, replaces one by id and removes one', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'case-known-good-'));
    const store = await CaseStore.open(folder);

    await store.updateKnownGood({ add: reference('a', '2026-12-07T16:00:00.000Z') });
    await store.updateKnownGood({ add: reference('b', '2026-12-07T16:01:00.000Z') });
    await store.updateKnownGood({ add: reference('a', '2026-12-07T16:02:00.000Z') });
    const reopened = await CaseStore.open(folder);

    expect((await reopened.loadKnownGood()).map((kept) => [kept.id, kept.importedAt])).toEqual([
      ['b', '2026-12-07T16:01:00.000Z'],
      ['a', '2026-12-07T16:02:00.000Z'],
    ]);
    expect(await reopened.updateKnownGood({ removeId: 'b' })).toHaveLength(1);
    expect(JSON.parse(await readFile(join(folder, 'known-good.json'), 'utf8')).version).toBe(1);
  });

  it('refuses a damaged file instead of silently starting over', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'case-known-good-'));
    await writeFile(join(folder, 'known-good.json'), JSON.stringify({ version: 1, references: [{ id: 'x' }] }));

    await expect((await CaseStore.open(folder)).loadKnownGood()).rejects.toBeInstanceOf(CaseFileError);
  });
});
