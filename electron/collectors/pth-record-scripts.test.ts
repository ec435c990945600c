import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PythonEnvironment } from '../../shared/model/index.js';
import { decodeOutput, newBoundary } from './framing.js';
import { hermeticRunner, SHELLS, tempDir, writeTree } from './fixtures/shell-harness.js';
import { collectHostPython, pythonScanScript } from './python-collector.js';
import { parsePythonScan } from './python-parser.js';
import { recordScanScript, verifyRecords } from './record-collector.js';
import { parseRecordScan } from './record-parser.js';

const SITE = 'usr/local/lib/python3.11/site-packages';
const DISTUTILS_PRECEDENCE =
  "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'; enabled and __import__('_distutils_hack').add_shim(); \n";

const sha256 = (content: string): string => createHash('sha256').update(content).digest('hex');
const recordHash = (content: string): string => createHash('sha256').update(content).digest('base64url');
const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** Writes a dist-info the way pip leaves it: files, METADATA, and a RECORD of their hashes (csv-module quoting). */
async function installDist(root: string, site: string, name: string, version: string, files: Record<string, string>): Promise<void> {
  const folder = `${name}-${version}.dist-info`;
  const all = { ...files, [`${folder}/METADATA`]: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n` };
  for (const [relative, content] of Object.entries(all)) await writeTree(root, `${site}/${relative}`, content);
  const rows = Object.entries(all).map(([relative, content]) => `${csvField(relative)},sha256=${recordHash(content)},${Buffer.byteLength(content)}`);
  await writeTree(root, `${site}/${folder}/RECORD`, `${[...rows, `${folder}/RECORD,,`].join('\r\n')}\r\n`);
}

/**
 * A container-like tree: litellm 1.82.8 with its .pth, a tampered, a deleted and an unlisted file,
 * a console script whose #! pip rewrote, odd file names; setuptools' benign .pth; a payload .pth
 * no RECORD lists; and file names that would run if anything evaluated them.
 */
async function buildSite(root: string): Promise<void> {
  await installDist(root, SITE, 'litellm', '1.82.8', {
    'litellm/__init__.py': '# placeholder\n',
    'litellm/proxy/proxy_server.py': '# clean\n',
    'litellm/gone.py': '# deleted after install\n',
    'litellm/odd, "name".py': '# csv-quoted\n',
    'litellm/back\\slash.py': '# GNU sha256sum escapes this name\n',
    'litellm/$(touch pwned).py': '# a name, not a command\n',
    '-rf.py': '# starts with a dash\n',
    'litellm_init.pth': 'import os; os.system("touch /tmp/never")  # stand-in\n',
    '../../../bin/litellm': '#!python\nfrom litellm import main\n',
  });
  await writeTree(root, `${SITE}/litellm/proxy/proxy_server.py`, '# tampered after install\n');
  await writeTree(root, `${SITE}/litellm/gone.py`, '');
  const { rm } = await import('node:fs/promises');
  await rm(join(root, SITE, 'litellm/gone.py'));
  await writeTree(root, `${SITE}/litellm/extra.py`, '# nobody listed me\n');
  await writeTree(root, `${SITE}/litellm/__pycache__/__init__.cpython-311.pyc`, 'bytecode');
  await writeTree(root, 'usr/local/bin/litellm', '#!/usr/local/bin/python3.11\nfrom litellm import main\n');
  await installDist(root, SITE, 'setuptools', '69.0.0', { 'setuptools/__init__.py': '# placeholder\n', 'distutils-precedence.pth': DISTUTILS_PRECEDENCE });
  await writeTree(root, `${SITE}/zz_payload.pth`, '# looks harmless\n/opt/extra\r\nimport\tbase64; exec(base64.b64decode("dG91Y2ggL3RtcC9uZXZlcg=="))\r\nimportlib\n');
  await writeTree(root, `${SITE}/$(touch pwned-pth).pth`, 'import os\n');
}

function findEnvironment(environments: PythonEnvironment[]): PythonEnvironment {
  const environment = environments.find((candidate) => candidate.path === `/${SITE}`);
  if (!environment) throw new Error('site not found');
  return environment;
}

describe.each(SHELLS)('.pth audit and RECORD verification under $name', (shell) => {
  it('lists every .pth with its hash, owner and classified lines, without starting python', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const marker = join(dir, 'interpreter-started');
    await buildSite(root);
    const runner = await hermeticRunner(shell, dir, { marker });

    const { environments, issues } = await collectHostPython(runner, undefined, root);

    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, 'pwned')) || existsSync(join(dir, 'pwned-pth'))).toBe(false);
    expect(issues).toEqual([]);
    const files = findEnvironment(environments).pthFiles ?? [];
    expect(files.map((file) => [file.path.slice(SITE.length + 2), file.owner])).toEqual([
      ['$(touch pwned-pth).pth', null],
      ['distutils-precedence.pth', 'setuptools'],
      ['litellm_init.pth', 'litellm'],
      ['zz_payload.pth', null],
    ]);
    const payload = files.find((file) => file.path.endsWith('zz_payload.pth'))!;
    expect(payload.sha256).toBe(sha256('# looks harmless\n/opt/extra\r\nimport\tbase64; exec(base64.b64decode("dG91Y2ggL3RtcC9uZXZlcg=="))\r\nimportlib\n'));
    expect(payload.lines).toEqual([
      { text: '/opt/extra', executable: false },
      { text: 'import\tbase64; exec(base64.b64decode("dG91Y2ggL3RtcC9uZXZlcg=="))', executable: true },
      { text: 'importlib', executable: false },
    ]);
    expect(files.find((file) => file.path.endsWith('distutils-precedence.pth'))?.sha256).toBe(sha256(DISTUTILS_PRECEDENCE));
  });

  it('reads only the first 64 KiB / 200 lines of a .pth and marks it truncated', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const content = Array.from({ length: 300 }, (_, index) => `/opt/path-${index}`).join('\n');
    await writeTree(root, `${SITE}/many.pth`, `${content}\n`);
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });

    const [file] = findEnvironment((await collectHostPython(runner, undefined, root)).environments).pthFiles ?? [];

    expect(file?.lines).toHaveLength(200);
    expect(file?.truncated).toBe(true);
    expect(file?.sha256).toBe(sha256(`${content}\n`));
  });

  it('hashes every RECORD file in one round trip and reports the tampered, deleted and unlisted ones', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const marker = join(dir, 'interpreter-started');
    await buildSite(root);
    const runner = await hermeticRunner(shell, dir, { marker });
    const { environments } = await collectHostPython(runner, undefined, root);
    let runs = 0;
    const counting = { runScript: (script: string, options?: object) => (runs++, runner.runScript(script, options)) };

    const issues = await verifyRecords(counting, environments, { kind: 'host', root }, (pkg) => pkg.name === 'litellm');

    expect(issues).toEqual([]);
    expect(runs).toBe(1);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    const packages = findEnvironment(environments).packages;
    expect(packages.find((pkg) => pkg.name === 'litellm')?.record).toEqual({
      checked: 9,
      problems: [
        { path: 'litellm/extra.py', problem: 'unlisted' },
        { path: 'litellm/gone.py', problem: 'missing' },
        { path: 'litellm/proxy/proxy_server.py', problem: 'modified' },
      ],
      shebangRewrites: ['../../../bin/litellm'],
    });
    expect(packages.find((pkg) => pkg.name === 'setuptools')?.record).toBeUndefined();
  });

  it('keeps the sha256 of every file it read, the unlisted ones too, in the same round trip', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await buildSite(root);
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'interpreter-started') });
    const { environments } = await collectHostPython(runner, undefined, root);

    await verifyRecords(runner, environments, { kind: 'host', root }, (pkg) => pkg.name === 'litellm');

    const files = findEnvironment(environments).packages.find((pkg) => pkg.name === 'litellm')?.files;
    expect(files?.sha256['litellm/proxy/proxy_server.py']).toBe(sha256('# tampered after install\n'));
    expect(files?.sha256['litellm/extra.py']).toBe(sha256('# nobody listed me\n'));
    expect(files?.sha256['litellm_init.pth']).toBe(sha256('import os; os.system("touch /tmp/never")  # stand-in\n'));
    expect(files?.sha256['litellm/back\\slash.py']).toBe(sha256('# GNU sha256sum escapes this name\n'));
    expect(files?.sha256).not.toHaveProperty('litellm/gone.py');
    expect(Object.keys(files?.sha256 ?? {}).some((path) => path.includes('__pycache__'))).toBe(false);
    expect(files?.incomplete).toBeUndefined();
    expect(existsSync(join(dir, 'interpreter-started'))).toBe(false);
  });

  it('makes no round trip when no distribution is selected', async () => {
    const dir = await tempDir();
    let runs = 0;
    const environments: PythonEnvironment[] = [{ path: '/s', container: null, packages: [{ name: 'x', version: '1', metadataPath: '/s/x-1.dist-info' }] }];

    await verifyRecords({ runScript: async () => (runs++, { stdout: Buffer.from(''), stderr: '', exitCode: 0, truncated: false }) }, environments, { kind: 'host', root: dir }, () => false);

    expect(runs).toBe(0);
  });

  it('does not hash through a symlink that leaves a container filesystem read from the host', async () => {
    const dir = await tempDir();
    const root = join(dir, 'merged');
    await installDist(root, SITE, 'litellm', '1.82.8', { 'litellm/__init__.py': '# placeholder\n', 'litellm/secret.py': '# replaced by a link\n' });
    const { rm } = await import('node:fs/promises');
    await rm(join(root, SITE, 'litellm/secret.py'));
    await writeTree(dir, 'host-secret', 'host data');
    await symlink(join(dir, 'host-secret'), join(root, SITE, 'litellm/secret.py'));
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });
    const boundary = newBoundary();

    const result = await runner.runScript(
      recordScanScript({ boundary, root, targets: [{ site: `/${SITE}`, distInfo: `/${SITE}/litellm-1.82.8.dist-info` }] }),
    );
    const [reading] = parseRecordScan(decodeOutput(result.stdout), boundary).readings;

    expect(reading?.hashes.has('litellm/secret.py')).toBe(false);
    expect(reading?.hashes.has('litellm/__init__.py')).toBe(true);
    expect(reading?.incomplete).toBe(true);
  });
});

it('falls back to openssl dgst -sha256 -r when sha256sum is absent', async () => {
  const dir = await tempDir();
  const root = join(dir, 'root');
  await buildSite(root);
  const marker = join(dir, 'marker');
  // Only the listed tools on PATH (after the trap folder hermeticRunner makes): no sha256sum, but openssl.
  const tools = join(dir, 'no-sha256sum-bin');
  await mkdir(tools);
  for (const tool of ['sh', 'find', 'head', 'sed', 'readlink', 'cat', 'awk', 'wc', 'openssl', 'printf']) {
    for (const folder of ['/usr/bin', '/bin']) {
      if (existsSync(join(folder, tool)) && !existsSync(join(tools, tool))) await symlink(join(folder, tool), join(tools, tool));
    }
  }
  const runner = await hermeticRunner(SHELLS[0]!, dir, { marker, env: { PATH: `${join(dir, 'trap-bin')}:${tools}` } });

  const { environments, issues } = await collectHostPython(runner, undefined, root);
  const recordIssues = await verifyRecords(runner, environments, { kind: 'host', root }, (pkg) => pkg.name === 'litellm');

  expect([...issues, ...recordIssues]).toEqual([]);
  const environment = findEnvironment(environments);
  expect(environment.pthFiles?.find((file) => file.path.endsWith('distutils-precedence.pth'))?.sha256).toBe(sha256(DISTUTILS_PRECEDENCE));
  expect(environment.packages.find((pkg) => pkg.name === 'litellm')?.record?.problems).toContainEqual({ path: 'litellm/proxy/proxy_server.py', problem: 'modified' });
  expect(existsSync(marker)).toBe(false);
});

it('notes a host with no hash tool instead of failing, and still classifies .pth lines', async () => {
  const dir = await tempDir();
  const root = join(dir, 'root');
  await writeTree(root, `${SITE}/x.pth`, 'import os\n');
  const marker = join(dir, 'marker');
  const tools = join(dir, 'bare-bin');
  await mkdir(tools);
  for (const tool of ['sh', 'find', 'head', 'sed', 'readlink', 'cat', 'awk', 'wc']) await symlink(join('/usr/bin', tool), join(tools, tool)).catch(() => symlink(join('/bin', tool), join(tools, tool)));
  const runner = await hermeticRunner(SHELLS[0]!, dir, { marker, env: { PATH: `${join(dir, 'trap-bin')}:${tools}` } });
  const boundary = newBoundary();

  const result = await runner.runScript(pythonScanScript({ boundary, root, container: false }));
  const scan = parsePythonScan(decodeOutput(result.stdout), boundary, { container: null, maxPackages: 10 });

  expect(scan.lackingTools).toEqual(['sha256sum']);
  expect(scan.environments[0]?.pthFiles).toEqual([{ path: `/${SITE}/x.pth`, sha256: null, owner: null, lines: [{ text: 'import os', executable: true }] }]);
});
