import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeOutput, newBoundary } from './framing.js';
import { hermeticRunner, SHELLS, tempDir, writeTree } from './fixtures/shell-harness.js';
import { collectHost } from '../scan/collect-host.js';
import { collectHostPython, pythonScanScript } from './python-collector.js';
import { artifactNameVersion, parsePythonScan } from './python-parser.js';

const PIP_WHEEL = 'home/alice/.cache/pip/wheels/07/3a/0a/e685646460b5cf80f5532edb5698ddecfd5ffcdde0943f99ec/litellm-1.82.8-py3-none-any.whl';

/** pip and uv caches under `root`: the two compromised litellm releases, clean artifacts and decoys. */
async function buildCaches(root: string): Promise<void> {
  await writeTree(root, PIP_WHEEL, 'PK');
  await writeTree(root, 'root/.cache/uv/archive-v0/Xk3v9QmB2/litellm-1.82.7.dist-info/METADATA', 'Name: litellm\nVersion: 1.82.7\n');
  await writeTree(root, 'root/.cache/uv/archive-v0/Xk3v9QmB2/litellm/__init__.py', '');
  // Inside an unpacked archive: pruned, never listed.
  await writeTree(root, 'root/.cache/uv/archive-v0/Xk3v9QmB2/litellm/data/inner-1.0-py3-none-any.whl', '');
  await writeTree(root, 'home/bob/.cache/pip/wheels/aa/bb/requests-2.32.3-py3-none-any.whl', '');
  await writeTree(root, 'home/bob/.cache/uv/wheels-v5/pypi/guardrails-ai/guardrails_ai-0.10.1-1-py3-none-any.whl', '');
  await writeTree(root, 'home/bob/.cache/uv/sdists-v9/pypi/zope-interface/7.0/h1/zope.interface-7.0.tar.gz', '');
  await writeTree(root, 'home/bob/.cache/pip/wheels/odd\ndir/six-1.16.0-py2.py3-none-any.whl', '');
  await writeTree(root, 'home/bob/.cache/pip/wheels/$(touch pwned)-1.0-py3-none-any.whl', '');
  // Not a cache this scan reads.
  await writeTree(root, 'home/bob/Downloads/litellm-1.82.8-py3-none-any.whl', '');
}

describe('artifactNameVersion', () => {
  it('reads a wheel name with and without a build tag', () => {
    expect(artifactNameVersion('/c/litellm-1.82.8-py3-none-any.whl')).toEqual({ package: 'litellm', version: '1.82.8' });
    expect(artifactNameVersion('/c/guardrails_ai-0.10.1-1-py3-none-any.whl')).toEqual({ package: 'guardrails_ai', version: '0.10.1' });
    expect(artifactNameVersion('/c/six-1.16.0-py2.py3-none-any.whl')).toEqual({ package: 'six', version: '1.16.0' });
  });

  it('reads sdists and uv dist-info folders at the last dash followed by a digit', () => {
    expect(artifactNameVersion('/c/zope.interface-7.0.tar.gz')).toEqual({ package: 'zope.interface', version: '7.0' });
    expect(artifactNameVersion('/c/my-pkg-2.0rc1.zip')).toEqual({ package: 'my-pkg', version: '2.0rc1' });
    expect(artifactNameVersion('/c/archive-v0/ab/litellm-1.82.7.dist-info')).toEqual({ package: 'litellm', version: '1.82.7' });
    expect(artifactNameVersion('/c/my_package-0.1.dist-info')).toEqual({ package: 'my_package', version: '0.1' });
  });

  it('rejects names that carry no version', () => {
    expect(artifactNameVersion('/c/notes.zip')).toBeNull();
    expect(artifactNameVersion('/c/litellm-py3-none-any.whl')).toBeNull();
    expect(artifactNameVersion('/c/a-1-x-py3-none-any.whl')).toBeNull();
    expect(artifactNameVersion('/c/README.txt')).toBeNull();
  });
});

describe.each(SHELLS)('pip and uv cache listing under $name', (shell) => {
  it('names cached wheels, sdists and unpacked uv wheels in every home without starting python, pip or uv', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const marker = join(dir, 'interpreter-started');
    await buildCaches(root);
    const runner = await hermeticRunner(shell, dir, { marker });

    const { cachedArtifacts, issues } = await collectHostPython(runner, undefined, root);

    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(issues).toEqual([]);
    expect([...(cachedArtifacts ?? [])].sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
      { path: '/home/alice/.cache/pip/wheels/07/3a/0a/e685646460b5cf80f5532edb5698ddecfd5ffcdde0943f99ec/litellm-1.82.8-py3-none-any.whl', package: 'litellm', version: '1.82.8' },
      { path: '/home/bob/.cache/pip/wheels/$(touch pwned)-1.0-py3-none-any.whl', package: '$(touch pwned)', version: '1.0' },
      { path: '/home/bob/.cache/pip/wheels/aa/bb/requests-2.32.3-py3-none-any.whl', package: 'requests', version: '2.32.3' },
      { path: '/home/bob/.cache/pip/wheels/odd\ndir/six-1.16.0-py2.py3-none-any.whl', package: 'six', version: '1.16.0' },
      { path: '/home/bob/.cache/uv/sdists-v9/pypi/zope-interface/7.0/h1/zope.interface-7.0.tar.gz', package: 'zope.interface', version: '7.0' },
      { path: '/home/bob/.cache/uv/wheels-v5/pypi/guardrails-ai/guardrails_ai-0.10.1-1-py3-none-any.whl', package: 'guardrails_ai', version: '0.10.1' },
      { path: '/root/.cache/uv/archive-v0/Xk3v9QmB2/litellm-1.82.7.dist-info', package: 'litellm', version: '1.82.7' },
    ]);
  });

  it('stops at the cached-artifact cap and says so', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await buildCaches(root);
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });
    const boundary = newBoundary();

    const result = await runner.runScript(pythonScanScript({ boundary, root, container: false, maxCachedArtifacts: 2 }));
    const scan = parsePythonScan(decodeOutput(result.stdout), boundary, { container: null, maxPackages: 100 });

    expect(scan).toMatchObject({ completed: true, cachedTruncated: true });
    expect(scan.cachedArtifacts).toHaveLength(2);
  });

  it("lists a container's caches under its name, and an empty list for a host without caches", async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await buildCaches(root);
    const bare = join(dir, 'bare');
    await mkdir(join(bare, 'home/carol'), { recursive: true });
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });
    const boundary = newBoundary();

    const result = await runner.runScript(pythonScanScript({ boundary, root, container: true }));
    const scan = parsePythonScan(decodeOutput(result.stdout), boundary, { container: 'c', maxPackages: 100 });

    expect(scan.cachedArtifacts.length).toBeGreaterThan(0);
    expect(scan.cachedArtifacts).toContainEqual({ path: '/root/.cache/uv/archive-v0/Xk3v9QmB2/litellm-1.82.7.dist-info', package: 'litellm', version: '1.82.7', container: 'c' });
    expect(scan.cachedArtifacts.every((artifact) => artifact.container === 'c')).toBe(true);
    expect((await collectHostPython(runner, undefined, bare)).cachedArtifacts).toEqual([]);
  });
});

it('hands the host caches on to the host collection the report is built from', async () => {
  const dir = await tempDir();
  const root = join(dir, 'root');
  await writeTree(root, PIP_WHEEL, 'PK');
  const runner = await hermeticRunner(SHELLS[0]!, dir, { marker: join(dir, 'marker') });

  const host = await collectHost(runner, { signal: new AbortController().signal, onPhase: () => undefined, hostRoot: root, iocRules: [] });

  expect(host.cachedArtifacts).toEqual([{ path: `/${PIP_WHEEL}`, package: 'litellm', version: '1.82.8' }]);
});
