import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PythonEnvironment } from '../../shared/model/index.js';
import { hermeticRunner, SHELLS, tempDir, writeTree } from './fixtures/shell-harness.js';
import { collectHostPython } from './python-collector.js';

const SITE = 'usr/local/lib/python3.11/site-packages';
const VENV_SITE = 'opt/app/venv/lib/python3.12/site-packages';
// The stager's opening as the SigmaHQ TeamPCP rule quotes it, with a blob holding the rule's second string (never the real payload).
const STAGER = `import base64\nexec(base64.b64decode('aW1wb3J0IG9z${'Q'.repeat(200)}kI2NF9TQ1JJUFQgPSAiYV'))\n`;
const BENIGN = 'import os, sys\nsys.path.insert(0, os.path.expanduser("~/lib"))\n';
// A key of OpenAI's shape, built here so no real-shaped key is committed.
const KEY = `sk-proj-${'Ab3'.repeat(30)}T3BlbkFJ${'Xy9'.repeat(20)}`;

const sha256 = (content: string): string => createHash('sha256').update(content).digest('hex');

function site(environments: PythonEnvironment[], path: string): PythonEnvironment {
  const environment = environments.find((candidate) => candidate.path === `/${path}`);
  if (!environment) throw new Error(`${path} not found`);
  return environment;
}

describe.each(SHELLS)('sitecustomize.py and usercustomize.py audit under $name', (shell) => {
  it('reads every site folder\'s start-up hooks, flags the stager by content and keeps no text, without starting python', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const marker = join(dir, 'interpreter-started');
    await writeTree(root, `${SITE}/sitecustomize.py`, STAGER);
    await writeTree(root, `${SITE}/usercustomize.py`, BENIGN);
    await writeTree(root, `${VENV_SITE}/sitecustomize.py`, `import os\nexec(base64.b64decode(os.environ.get("OPENAI_API_KEY", "${KEY}")))\n`);
    await writeTree(root, 'opt/app/venv/pyvenv.cfg', 'home = /usr/bin\n');
    const runner = await hermeticRunner(shell, dir, { marker });

    const { environments, issues } = await collectHostPython(runner, undefined, root);

    expect(existsSync(marker)).toBe(false);
    expect(issues).toEqual([]);
    const hooks = site(environments, SITE).startupHooks ?? [];
    expect(hooks.map((hook) => [hook.path, hook.kind, hook.sha256])).toEqual([
      [`/${SITE}/sitecustomize.py`, 'sitecustomize', sha256(STAGER)],
      [`/${SITE}/usercustomize.py`, 'usercustomize', sha256(BENIGN)],
    ]);
    expect(hooks[0]!.signatures.map((hit) => hit.signature)).toEqual(expect.arrayContaining(['teampcp-litellm-stager', 'exec-of-decoded-text']));
    expect(hooks[0]!.signatures.find((hit) => hit.signature === 'teampcp-litellm-stager')?.line).toBe(2);
    expect(hooks[1]!.signatures).toEqual([]);
    const venvHook = site(environments, VENV_SITE).startupHooks?.[0];
    expect(venvHook?.signatures.map((hit) => hit.signature)).toEqual(['exec-of-decoded-text']);
    expect(venvHook?.signatures[0]?.excerpt).toMatch(/exec\(base64\.b64decode\(.*\[redacted openai:/);
    // The key on the matched line never reaches the inventory: only its fingerprint does.
    expect(JSON.stringify(environments)).not.toContain(KEY.slice(8, 40));
    expect(JSON.stringify(environments)).not.toContain('sys.path.insert');
  });

  it('names the distribution whose RECORD lists a sitecustomize.py, and marks one longer than 64 KiB as truncated', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const long = `# padding\n${'#'.repeat(70_000)}\nimport subprocess; subprocess.Popen(["sh"])\n`;
    await writeTree(root, `${SITE}/sitecustomize.py`, long);
    await writeTree(root, `${SITE}/hooky-1.0.dist-info/METADATA`, 'Metadata-Version: 2.1\nName: hooky\nVersion: 1.0\n');
    await writeTree(root, `${SITE}/hooky-1.0.dist-info/RECORD`, 'sitecustomize.py,sha256=AAAA,10\nhooky-1.0.dist-info/RECORD,,\n');
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });

    const [hook] = site((await collectHostPython(runner, undefined, root)).environments, SITE).startupHooks ?? [];

    expect(hook?.owner).toBe('hooky');
    expect(hook?.truncated).toBe(true);
    // The process start sits past the 64 KiB read: unread, so not matched (the truncation says so).
    expect(hook?.signatures).toEqual([]);
  });
});
