import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { loadIocRulesFolder } from './load-folder.js';

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'blast-radius-iocs-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const rule = (id: string) => ({
  id,
  title: 'Example file',
  compromise: 'example-2026-04',
  severity: 'high',
  source: { name: 'example write-up', kind: 'secondary' },
  kind: 'file',
  path: `/tmp/.${id}`,
});

it('loads JSON and YAML rules files in name order and reports a bad file without hiding the others', async () => {
  const dir = await folder({
    'a.json': JSON.stringify({ schemaVersion: 1, rules: [rule('extra-a')] }),
    'b.yaml': `schemaVersion: 1\nrules:\n  - ${JSON.stringify(rule('extra-b'))}\n`,
    'c.json': JSON.stringify({ schemaVersion: 1, rules: [{ ...rule('extra-c'), severity: 'apocalyptic' }] }),
    'd.json': JSON.stringify({ schemaVersion: 1, rules: [rule('extra-a')] }),
    'notes.md': '# not rules',
    '.hidden.json': '{',
  });

  const loaded = await loadIocRulesFolder(dir);

  expect(loaded.rules.map((loadedRule) => loadedRule.id)).toEqual(['extra-a', 'extra-b']);
  expect(loaded.errors).toEqual([
    { fileName: 'c.json', message: expect.stringMatching(/^rules\[0\] \(id "extra-c"\)\.severity: /) },
    { fileName: 'd.json', message: 'rule id "extra-a" is already defined in a.json' },
  ]);
});
