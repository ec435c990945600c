import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledIocRules } from '../../shared/domain/iocs/rules.js';
import { containerScanParts, containerScanScript, scanContainer, unscannedContainer } from './container-scan.js';
import type { InspectedContainer } from './docker-parser.js';
import { inspectedContainer } from './fixtures/inspected-container.js';
import { fakeEngine, hermeticRunner, SHELLS, tempDir, writeTree } from './fixtures/shell-harness.js';
import { newBoundary } from './framing.js';
import { blindSpot } from './notes.js';

const fixturePath = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const ID = '3f9c2b7e4a1d8c6f5e0b9a8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e';
const DIST_COUNT = 150;

function container(overrides: Partial<InspectedContainer> = {}): InspectedContainer {
  return inspectedContainer({
    id: ID,
    name: 'gateway',
    image: 'ghcr.io/berriai/litellm:main-latest',
    running: true,
    workingDir: '/workspace',
    status: 'running',
    pid: 4242,
    ...overrides,
  });
}

/** A container filesystem: a site folder of DIST_COUNT distributions, a virtualenv in its WORKDIR, a cached bad wheel and the LiteLLM state file. */
async function buildContainerRoot(root: string): Promise<void> {
  for (let index = 0; index < DIST_COUNT; index++) {
    const name = `pkg${String(index).padStart(3, '0')}`;
    await writeTree(root, `usr/local/lib/python3.11/site-packages/${name}-1.0.dist-info/METADATA`, `Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n`);
  }
  await writeTree(root, 'workspace/.venv/pyvenv.cfg', 'home = /usr/local/bin\n');
  await writeTree(root, 'workspace/.venv/lib/python3.11/site-packages/litellm-1.82.8.dist-info/METADATA', 'Name: litellm\nVersion: 1.82.8\n');
  await writeTree(root, 'root/.cache/pip/wheels/ab/cd/litellm-1.82.8-py3-none-any.whl', 'PK');
  await writeTree(root, 'tmp/.pg_state', '');
  await writeTree(root, 'app/config.yaml', 'model_list:\n  - model_name: gpt\n');
  await writeTree(root, 'workspace/.env', 'OPENAI_API_KEY=sk-proj-fixtureNotARealKey000000000000000000\n');
}

async function setUp(shell: (typeof SHELLS)[number], place: 'exec' | 'merged-dir') {
  const dir = await tempDir();
  const bin = join(dir, 'fake-bin');
  const log = join(dir, 'commands.log');
  await writeFile(join(dir, 'ps.txt'), `${ID}\n`);
  await buildContainerRoot(join(dir, place === 'exec' ? `exec-roots/${ID}` : 'merged'));
  await fakeEngine(bin, 'docker', {
    log,
    ps: join(dir, 'ps.txt'),
    inspect: fixturePath('docker-inspect.json'),
    image: fixturePath('docker-image-inspect.json'),
    execRoots: join(dir, 'exec-roots'),
  });
  const marker = join(dir, 'interpreter-started');
  const runner = await hermeticRunner(shell, dir, { marker, extraBin: bin });
  return { dir, log, marker, runner };
}

describe.each(SHELLS)('scanContainer under $name', (shell) => {
  it('reads Python environments, caches, IOCs and configs of a running container through one docker exec', async () => {
    const { log, marker, runner } = await setUp(shell, 'exec');

    const scan = await scanContainer(runner, { engine: 'docker', access: 'direct' }, container(), bundledIocRules());

    expect(scan.python.via).toBe('exec');
    expect(scan.iocs.via).toBe('exec');
    const site = scan.python.environments.find((environment) => environment.path === '/usr/local/lib/python3.11/site-packages');
    // More than one batch of paths per awk: every distribution is still read, in order.
    expect(site?.packages.map((pkg) => pkg.name)).toEqual(Array.from({ length: DIST_COUNT }, (_, index) => `pkg${String(index).padStart(3, '0')}`));
    expect(scan.python.environments.map((environment) => environment.path)).toContain('/workspace/.venv/lib/python3.11/site-packages');
    expect(scan.python.cachedArtifacts).toEqual([
      { path: '/root/.cache/pip/wheels/ab/cd/litellm-1.82.8-py3-none-any.whl', package: 'litellm', version: '1.82.8', container: 'gateway' },
    ]);
    expect(scan.iocs.hits.map((hit) => `${hit.ruleId} ${hit.path} ${hit.container}`)).toEqual(['litellm-pg-state /tmp/.pg_state gateway']);
    expect(scan.artifacts.via).toBe('exec');
    expect(scan.artifacts.files.map((file) => `${file.container} ${file.kind} ${file.path}`)).toEqual(['gateway litellm-config /app/config.yaml', 'gateway dotenv /workspace/.env']);
    expect([...scan.python.issues, ...scan.iocs.issues, ...scan.artifacts.issues]).toEqual([]);
    const execs = (await readFile(log, 'utf8')).trim().split('\n').filter((line) => line.startsWith('docker exec'));
    expect(execs).toEqual([`docker exec -i ${ID} sh -s`]);
    expect(existsSync(marker)).toBe(false);
  });

  it('reads every part from the MergedDir on the host when the image has no sh', async () => {
    const { dir, marker, runner } = await setUp(shell, 'merged-dir');

    const scan = await scanContainer(runner, { engine: 'docker', access: 'direct' }, container({ mergedDir: join(dir, 'merged') }), bundledIocRules());

    expect(scan.python.via).toBe('merged-dir');
    expect(scan.iocs.via).toBe('merged-dir');
    expect(scan.python.environments.map((environment) => environment.path)).toContain('/workspace/.venv/lib/python3.11/site-packages');
    expect(scan.iocs.hits.map((hit) => hit.path)).toEqual(['/tmp/.pg_state']);
    expect(scan.artifacts.via).toBe('merged-dir');
    expect(scan.artifacts.files.map((file) => `${file.kind} ${file.path}`)).toEqual(['litellm-config /app/config.yaml', 'dotenv /workspace/.env']);
    expect(existsSync(marker)).toBe(false);
  });

  it('notes every part as a blind spot when neither exec nor the MergedDir can be read', async () => {
    const { runner } = await setUp(shell, 'merged-dir');

    const scan = await scanContainer(runner, { engine: 'docker', access: 'direct' }, container(), bundledIocRules());

    expect(scan.python.issues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(/^container gateway: not read: docker exec failed \(exit 126: OCI runtime exec failed.*\), and the engine reports no MergedDir/),
    ]);
    expect(scan.iocs.issues.map((issue) => issue.message)).toEqual([expect.stringMatching(/^container gateway: not searched: docker exec failed \(exit 126/)]);
    expect(scan.artifacts.issues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(/^container gateway: configs and .env files not read: docker exec failed \(exit 126.*\), and the engine reports no MergedDir/),
    ]);
  });
});

describe('unscannedContainer', () => {
  it('notes one blind spot per part, each worded as its collector words a container it could not read', () => {
    const scan = unscannedContainer('container gateway', 'channel closed');

    expect(scan.python).toEqual({ environments: [], issues: [blindSpot('python', 'container gateway: not read: channel closed')], via: null });
    expect(scan.iocs).toEqual({ hits: [], issues: [blindSpot('iocs', 'container gateway: not searched: channel closed')], via: null });
    expect(scan.artifacts).toEqual({ files: [], issues: [blindSpot('artifacts', 'container gateway: configs and .env files not read (channel closed)')], via: null });
  });
});

describe('containerScanScript', () => {
  it('runs every part in one exec, each in a subshell after a record named for it', () => {
    const parts = containerScanParts(bundledIocRules());
    const boundaries = { outer: newBoundary(), parts: parts.map(() => newBoundary()) };

    const script = containerScanScript(parts, boundaries, { engine: 'docker', access: 'direct' }, container());

    expect(script.match(/ exec -i /g)).toHaveLength(1);
    expect(script).toContain(`emit_open python\ndocker exec -i '${ID}' sh -s`);
    expect(script).toContain(`printf '\\n%s %s\\n' '${boundaries.outer}' iocs\n(\n`);
    expect(script).toContain(`printf '\\n%s %s\\n' '${boundaries.outer}' artifacts\n(\n`);
    for (const boundary of boundaries.parts) expect(script).toContain(boundary);
  });
});
