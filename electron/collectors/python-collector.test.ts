import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeOutput, newBoundary } from './framing.js';
import { hermeticRunner, SHELLS, tempDir, writeTree } from './fixtures/shell-harness.js';
import { collectHostPython, pythonScanScript } from './python-collector.js';
import { parsePythonScan } from './python-parser.js';

const fixture = (name: string): Promise<string> => readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** A filesystem tree shaped like a homelab host (or a container) under `root`. */
async function buildHost(root: string): Promise<void> {
  const litellm = await fixture('metadata/litellm-1.82.8.METADATA');
  const pkgInfo = await fixture('metadata/PKG-INFO');
  await writeTree(root, 'usr/local/lib/python3.13/site-packages/litellm-1.82.8.dist-info/METADATA', litellm);
  await writeTree(root, 'usr/local/lib/python3.13/site-packages/litellm_init.pth', 'import os; os.system("touch /tmp/never")\n');
  await writeTree(
    root,
    'usr/local/lib/python3.13/site-packages/requests-2.32.3.dist-info/METADATA',
    'Metadata-Version: 2.1\r\nName: requests\r\nVersion: 2.32.3\r\n\r\nName: body\r\n',
  );
  await writeTree(root, 'usr/lib/python3/dist-packages/PyYAML-5.4.1.egg-info/PKG-INFO', pkgInfo);
  await writeTree(root, 'usr/lib/python3/dist-packages/six-1.16.0.egg-info', 'Metadata-Version: 1.0\nName: six\nVersion: 1.16.0\n');
  await mkdir(join(root, 'usr/lib/python3.11/site-packages'), { recursive: true });
  await writeTree(root, 'home/alice/.local/lib/python3.12/site-packages/telnyx-4.87.1.dist-info/METADATA', 'Name: telnyx\nVersion: 4.87.1\n\n');
  await writeTree(root, 'root/.local/lib/python3.11/site-packages/rich-13.7.1.dist-info/METADATA', 'Name: rich\nVersion: 13.7.1\n');
  // A virtualenv whose path has a space, one whose path has a newline, a pipx venv 7 levels below
  // /home, a conda env, and a venv hidden in node_modules (pruned, never read).
  await writeTree(root, 'opt/my gateway/venv/pyvenv.cfg', 'home = /usr/bin\n');
  await writeTree(root, 'opt/my gateway/venv/lib/python3.12/site-packages/litellm-1.82.7.dist-info/METADATA', litellm.replace('Version: 1.82.8', 'Version: 1.82.7'));
  await writeTree(root, 'srv/odd\nname/.venv/pyvenv.cfg', 'home = /usr/bin\n');
  await writeTree(root, 'srv/odd\nname/.venv/lib/python3.12/site-packages/my_package-0.1.dist-info/METADATA', 'Name: My Package\nVersion: 0.1\n');
  await writeTree(root, 'home/bob/.local/share/pipx/venvs/litellm/pyvenv.cfg', 'home = /usr/bin\n');
  await mkdir(join(root, 'home/bob/.local/share/pipx/venvs/litellm/lib/python3.12/site-packages'), { recursive: true });
  await mkdir(join(root, 'opt/conda/conda-meta'), { recursive: true });
  await writeTree(root, 'opt/conda/lib/python3.12/site-packages/guardrails_ai-0.10.1.dist-info/METADATA', 'Name: guardrails-ai\nVersion: 0.10.1\n');
  // A service's venv under /var/lib is read; the Docker store beside it is not (containers are read as containers).
  await writeTree(root, 'var/lib/ai-proxy/venv/pyvenv.cfg', 'home = /usr/bin\n');
  await writeTree(root, 'var/lib/ai-proxy/venv/lib/python3.11/site-packages/litellm-1.82.8.dist-info/METADATA', 'Name: litellm\nVersion: 1.82.8\n');
  await writeTree(root, 'var/lib/docker/overlay2/abc/merged/opt/venv/pyvenv.cfg', '');
  await writeTree(root, 'var/lib/docker/overlay2/abc/merged/opt/venv/lib/python3.11/site-packages/layered-1.0.dist-info/METADATA', 'Name: layered\nVersion: 1.0\n');
  await writeTree(root, 'srv/web/node_modules/x/pyvenv.cfg', '');
  await writeTree(root, 'srv/web/node_modules/x/lib/python3.12/site-packages/hidden-1.0.dist-info/METADATA', 'Name: hidden\nVersion: 1.0\n');
  // Names and contents that would run if anything evaluated them.
  await writeTree(root, 'srv/$(touch pwned)/pyvenv.cfg', '');
  await writeTree(root, 'srv/$(touch pwned)/lib/python3.12/site-packages/evil-1.dist-info/METADATA', 'Name: $(touch pwned-too)\nVersion: `touch pwned-three`\n');
}

describe.each(SHELLS)('Python scan script under $name', (shell) => {
  it('lists every site folder and distribution of a host tree without starting python or pip', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const marker = join(dir, 'interpreter-started');
    await buildHost(root);
    const runner = await hermeticRunner(shell, dir, { marker });

    const { environments, issues } = await collectHostPython(runner, undefined, root);

    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, 'pwned')) || existsSync(join(dir, 'pwned-too')) || existsSync(join(dir, 'pwned-three'))).toBe(false);
    expect(issues).toEqual([]);
    const byPath = Object.fromEntries(
      environments.map((environment) => [environment.path, environment.packages.map((pkg) => `${pkg.name}==${pkg.version}`).sort()]),
    );
    expect(byPath).toEqual({
      '/usr/lib/python3.11/site-packages': [],
      '/usr/lib/python3/dist-packages': ['PyYAML==5.4.1', 'six==1.16.0'],
      '/usr/local/lib/python3.13/site-packages': ['litellm==1.82.8', 'requests==2.32.3'],
      '/home/alice/.local/lib/python3.12/site-packages': ['telnyx==4.87.1'],
      '/root/.local/lib/python3.11/site-packages': ['rich==13.7.1'],
      '/opt/my gateway/venv/lib/python3.12/site-packages': ['litellm==1.82.7'],
      '/opt/conda/lib/python3.12/site-packages': ['guardrails-ai==0.10.1'],
      '/srv/odd\nname/.venv/lib/python3.12/site-packages': ['My Package==0.1'],
      '/srv/$(touch pwned)/lib/python3.12/site-packages': ['$(touch pwned-too)==`touch pwned-three`'],
      '/home/bob/.local/share/pipx/venvs/litellm/lib/python3.12/site-packages': [],
      '/var/lib/ai-proxy/venv/lib/python3.11/site-packages': ['litellm==1.82.8'],
    });
    const litellm = environments
      .find((environment) => environment.path === '/usr/local/lib/python3.13/site-packages')!
      .packages.find((pkg) => pkg.name === 'litellm');
    // The fixture is litellm's own METADATA: its publisher fields come along (Author, Project-URL).
    expect(litellm).toEqual({
      name: 'litellm',
      version: '1.82.8',
      metadataPath: '/usr/local/lib/python3.13/site-packages/litellm-1.82.8.dist-info',
      publisher: {
        author: 'BerriAI',
        projectUrls: ['Documentation, https://docs.litellm.ai', 'Homepage, https://litellm.ai', 'Repository, https://github.com/BerriAI/litellm'],
      },
    });
    expect(environments.every((environment) => environment.container === null)).toBe(true);
  });

  it("reads each distribution's INSTALLER and what made its environment (uv, venv, conda) from their marker files", async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const marker = join(dir, 'interpreter-started');
    await writeTree(root, 'usr/local/lib/python3.12/site-packages/httpx-0.28.1.dist-info/METADATA', 'Name: httpx\nVersion: 0.28.1\nMaintainer-email: Tom Christie <tom@example.org>\n\n');
    await writeTree(root, 'usr/local/lib/python3.12/site-packages/httpx-0.28.1.dist-info/INSTALLER', 'pip\n');
    await writeTree(root, 'opt/agent/.venv/pyvenv.cfg', 'home = /usr/bin\nimplementation = CPython\nuv = 0.6.14\nversion_info = 3.12.9\n');
    await writeTree(root, 'opt/agent/.venv/lib/python3.12/site-packages/openai-1.70.0.dist-info/METADATA', 'Name: openai\nVersion: 1.70.0\nAuthor-email: OpenAI <support@openai.com>\n');
    await writeTree(root, 'opt/agent/.venv/lib/python3.12/site-packages/openai-1.70.0.dist-info/INSTALLER', 'uv');
    await writeTree(root, 'opt/plain/venv/pyvenv.cfg', 'home = /usr/bin\n');
    await writeTree(root, 'opt/plain/venv/lib/python3.12/site-packages/six-1.17.0.dist-info/METADATA', 'Name: six\nVersion: 1.17.0\n');
    await mkdir(join(root, 'opt/conda/conda-meta'), { recursive: true });
    await writeTree(root, 'opt/conda/lib/python3.12/site-packages/vllm-0.8.0.dist-info/METADATA', 'Name: vllm\nVersion: 0.8.0\nAuthor: UNKNOWN\nHome-page: https://github.com/vllm-project/vllm\n');
    await writeTree(root, 'opt/conda/lib/python3.12/site-packages/vllm-0.8.0.dist-info/INSTALLER', 'conda\n');
    const runner = await hermeticRunner(shell, dir, { marker });

    const { environments } = await collectHostPython(runner, undefined, root);

    expect(existsSync(marker)).toBe(false);
    const at = (path: string) => environments.find((environment) => environment.path === path)!;
    const system = at('/usr/local/lib/python3.12/site-packages');
    expect(system.origin).toBeUndefined();
    expect(system.packages[0]).toMatchObject({ name: 'httpx', installer: 'pip', publisher: { maintainer: 'Tom Christie <tom@example.org>' } });
    const uv = at('/opt/agent/.venv/lib/python3.12/site-packages');
    expect(uv.origin).toEqual({ root: '/opt/agent/.venv', kind: 'uv', uvVersion: '0.6.14' });
    expect(uv.packages[0]).toMatchObject({ name: 'openai', installer: 'uv', publisher: { author: 'OpenAI <support@openai.com>' } });
    expect(at('/opt/plain/venv/lib/python3.12/site-packages').origin).toEqual({ root: '/opt/plain/venv', kind: 'venv' });
    expect(at('/opt/plain/venv/lib/python3.12/site-packages').packages[0]!.installer).toBeUndefined();
    const conda = at('/opt/conda/lib/python3.12/site-packages');
    expect(conda.origin).toEqual({ root: '/opt/conda', kind: 'conda' });
    // `UNKNOWN` is what old setuptools wrote for an empty field: not an author.
    expect(conda.packages[0]).toMatchObject({ installer: 'conda', publisher: { homePage: 'https://github.com/vllm-project/vllm' } });
    expect(conda.packages[0]!.publisher!.author).toBeUndefined();
  });

  it('stops at the distribution cap and says so', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await buildHost(root);
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });
    const boundary = newBoundary();

    const result = await runner.runScript(pythonScanScript({ boundary, root, container: false, maxPackages: 2 }));
    const scan = parsePythonScan(decodeOutput(result.stdout), boundary, { container: null, maxPackages: 2 });

    expect(scan.truncated).toBe(true);
    expect(scan.completed).toBe(true);
    expect(scan.packageCount).toBe(2);
  });

  it('does not follow an absolute symlink out of a container filesystem read from the host', async () => {
    const dir = await tempDir();
    const root = join(dir, 'merged');
    const outside = join(dir, 'host-site-packages');
    await writeTree(outside, 'hostonly-1.0.dist-info/METADATA', 'Name: hostonly\nVersion: 1.0\n');
    await mkdir(join(root, 'usr/local/lib/python3.12'), { recursive: true });
    await symlink(outside, join(root, 'usr/local/lib/python3.12/site-packages'));
    await writeTree(dir, 'host-home/alice/venv/pyvenv.cfg', '');
    await writeTree(dir, 'host-home/alice/venv/lib/python3.12/site-packages/hostvenv-1.dist-info/METADATA', 'Name: hostvenv\n');
    await symlink(join(dir, 'host-home'), join(root, 'home'));
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });
    const boundary = newBoundary();

    const result = await runner.runScript(pythonScanScript({ boundary, root, container: true }));
    const scan = parsePythonScan(decodeOutput(result.stdout), boundary, { container: 'c', maxPackages: 100 });

    expect(scan.environments).toEqual([]);
    expect(scan.skippedLinks).toEqual(['/usr/local/lib/python3.12/site-packages', '/home']);
  });

  it('searches /app and /venv only when reading a container', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await writeTree(root, 'app/.venv/pyvenv.cfg', '');
    await writeTree(root, 'app/.venv/lib/python3.12/site-packages/litellm-1.82.8.dist-info/METADATA', 'Name: litellm\nVersion: 1.82.8\n');
    await writeTree(root, 'venv/pyvenv.cfg', '');
    await mkdir(join(root, 'venv/lib/python3.12/site-packages'), { recursive: true });
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });

    const scanAs = async (container: boolean): Promise<string[]> => {
      const boundary = newBoundary();
      const result = await runner.runScript(pythonScanScript({ boundary, root, container }));
      return parsePythonScan(decodeOutput(result.stdout), boundary, { container: null, maxPackages: 100 })
        .environments.map((environment) => environment.path)
        .sort();
    };

    expect(await scanAs(false)).toEqual([]);
    expect(await scanAs(true)).toEqual(['/app/.venv/lib/python3.12/site-packages', '/venv/lib/python3.12/site-packages']);
  });

  it('reports a ROOT that does not exist instead of reading the live filesystem', async () => {
    const dir = await tempDir();
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });
    const boundary = newBoundary();

    const result = await runner.runScript(pythonScanScript({ boundary, root: join(dir, 'not-mounted'), container: true }));
    const scan = parsePythonScan(decodeOutput(result.stdout), boundary, { container: 'c', maxPackages: 100 });

    expect(scan).toMatchObject({ rootMissing: true, completed: true, environments: [] });
  });
});

it('passes a ROOT with quotes and spaces to the script as data', async () => {
  const dir = await tempDir();
  const root = join(dir, `it's a "root" $(touch pwned)`);
  await writeTree(root, 'usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA', 'Name: six\nVersion: 1.16.0\n');
  const runner = await hermeticRunner(SHELLS[0]!, dir, { marker: join(dir, 'marker') });

  const { environments } = await collectHostPython(runner, undefined, root);

  expect(environments.map((environment) => environment.path)).toEqual(['/usr/lib/python3/dist-packages']);
  expect(existsSync(join(dir, 'pwned'))).toBe(false);
});

it.each(SHELLS)('has a booby trap that fires when something starts python3 under $name (so the inertness checks can fail)', async (shell) => {
  const dir = await tempDir();
  const marker = join(dir, 'interpreter-started');
  const runner = await hermeticRunner(shell, dir, { marker });

  await runner.runScript('python3 -c "import site"\n');

  expect(existsSync(marker)).toBe(true);
});
