import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledIocRules } from '../../shared/domain/iocs/rules.js';
import { shellQuote, type CommandRunner, type RunOptions } from '../exec/command-runner.js';
import { readLayers } from './container-layers.js';
import { containerScanParts, type ContainerScan } from './container-scan.js';
import type { InspectedContainer } from './docker-parser.js';
import { inspectedContainer } from './fixtures/inspected-container.js';
import { fakeSudo, hermeticRunner, SHELLS, tempDir, writeExecutable, writeTree } from './fixtures/shell-harness.js';
import { newBoundary } from './framing.js';
import { guestReadTarget, hostReadScript, hostReadTargets, MAX_HOST_READ_BYTES, MAX_WHITEOUTS_PER_LAYER, parseHostRead, readContainersOnHost, type HostReadTarget } from './host-side-read.js';

const ID = 'c'.repeat(64);
const ENGINE = { engine: 'docker', access: 'direct' } as const;
const RULES = bundledIocRules();
const isRoot = process.getuid?.() === 0;

function container(overrides: Partial<InspectedContainer> = {}): InspectedContainer {
  return inspectedContainer({ id: ID, name: 'old-gateway', image: 'ghcr.io/berriai/litellm:v1.82.6-stable', ...overrides });
}

const dist = (name: string, version: string) => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`;

/**
 * Two overlay layers as an engine leaves them for a stopped container: the image's (litellm and
 * openai, an `.env` with an old key, the payload's state file) and the container's own on top (a
 * new `.env`, and as root a whiteout deleting openai's metadata). Names hold shell syntax: they
 * are data.
 */
async function buildLayers(dir: string): Promise<{ upper: string; lower: string }> {
  const base = join(dir, "overlay2/it's $(touch pwned)");
  const lower = join(base, 'lower/diff');
  const upper = join(base, 'upper/diff');
  const site = '/usr/local/lib/python3.11/site-packages';
  await writeTree(lower, `${site}/litellm-1.82.8.dist-info/METADATA`, dist('litellm', '1.82.8'));
  await writeTree(lower, `${site}/openai-1.61.0.dist-info/METADATA`, dist('openai', '1.61.0'));
  await writeTree(lower, '/app/.env', 'OPENAI_API_KEY=old-value\n');
  await writeTree(lower, '/tmp/.pg_state', 'state\n');
  await writeTree(upper, '/app/.env', 'OPENAI_API_KEY=new-value\n');
  if (isRoot) {
    await mkdir(join(upper, site), { recursive: true });
    execFileSync('mknod', [join(upper, site, 'openai-1.61.0.dist-info'), 'c', '0', '0']);
  }
  return { upper, lower };
}

/** The login's uid as `id -u` answers it, and `true` for `sudo -n true` (dash's PATH has no external one). */
async function idShim(bin: string, uid: number): Promise<void> {
  await writeExecutable(join(bin, 'id'), `#!/bin/sh\necho ${uid}\n`);
  await writeExecutable(join(bin, 'true'), '#!/bin/sh\nexit 0\n');
}

describe('hostReadTargets', () => {
  it('reads running containers through /proc/PID/root and stopped ones through their layers; leaves out what cannot be', () => {
    const targets = hostReadTargets([
      container({ id: 'a'.repeat(64), running: true, pid: 4242 }),
      container({ id: 'b'.repeat(64), running: true, pid: 0 }),
      container({ id: 'd'.repeat(64), layers: { driver: 'overlay2', dirs: ['/var/lib/docker/overlay2/u/diff', '/var/lib/docker/overlay2/l/diff'] } }),
      container({ id: 'e'.repeat(64), layers: { refused: 'graph driver btrfs is not one whose layers can be read' } }),
      // Layers built by hand, past the parser: a hostile path is still left out.
      container({ id: 'f'.repeat(64), layers: { driver: 'overlay2', dirs: ['/var/lib/docker/../../etc'] } }),
      container({ id: 'not-hex', running: true, pid: 7 }),
    ]);

    expect(targets.map((target) => `${target.container.id.slice(0, 1)} ${target.via} ${target.roots.join(',')}`)).toEqual([
      'a proc-root /proc/4242/root',
      'd layers /var/lib/docker/overlay2/u/diff,/var/lib/docker/overlay2/l/diff',
    ]);
  });
});

describe('hostReadScript', () => {
  const parts = containerScanParts(RULES);
  const boundaries = { outer: newBoundary(), parts: parts.map(() => newBoundary()) };

  it('is one script with no exec: every root single-quoted, run as root or through sudo -n, else nothing', () => {
    const target: HostReadTarget = { container: container(), via: 'layers', roots: ["/var/lib/it's $(touch pwned)/diff"] };

    const script = hostReadScript(parts, [target], boundaries);

    expect(script).not.toMatch(/ exec -i /);
    expect(script).toContain(`R=${shellQuote(target.roots[0]!)}\n`);
    expect(script).toContain("RUN='sudo -n'");
    expect(script).toContain('emit access none\n  exit 0');
  });

  it("reads a running container's /proc/PID/root only when it is not the host's root and its cgroup names no other container", () => {
    const running = container({ running: true, pid: 4242 });

    const script = hostReadScript(parts, hostReadTargets([running]), boundaries);

    expect(script).toContain(`R='/proc/4242/root'\nif [ -d "$R/" ] && [ -r "$R/" ] && [ -x "$R/" ] && ! [ "$R/" -ef / ] && { grep -q '${ID}' /proc/4242/cgroup 2>/dev/null || ! grep -Eq '[0-9a-f]{64}' /proc/4242/cgroup 2>/dev/null; }; then`);
  });

  it('refuses a root that was not checked, whatever built the target', () => {
    expect(() => hostReadScript(parts, [{ container: container(), via: 'layers', roots: ['/x/../etc'] }], boundaries)).toThrow(/unsafe root/);
    expect(() => hostReadScript(parts, [{ container: container(), via: 'proc-root', roots: ['/proc/1;rm/root'] }], boundaries)).toThrow(/unsafe root/);
  });

  it('bounds the output and the time of a read of many containers', async () => {
    const seen: RunOptions[] = [];
    const runner: CommandRunner = {
      runScript: async (_script, options) => {
        seen.push(options ?? {});
        return { stdout: new Uint8Array(), stderr: '', exitCode: 0, truncated: false };
      },
    } as CommandRunner;
    const many = Array.from({ length: 200 }, (_, index) => container({ id: index.toString(16).padStart(64, '0'), running: true, pid: 1000 + index }));

    await readContainersOnHost(runner, ENGINE, hostReadTargets(many), parts);

    expect(seen[0]!.maxOutputBytes).toBe(MAX_HOST_READ_BYTES);
    expect(seen[0]!.timeoutMs).toBeLessThanOrEqual(30 * 60_000);
  });
});

describe('parseHostRead', () => {
  const boundary = newBoundary();
  const record = (tag: string, body: string) => `\n${boundary} ${tag}\n${body}`;

  it('keeps at most MAX_WHITEOUTS_PER_LAYER whiteouts of a layer, drops a path cut by the byte bound, and says the list was cut', () => {
    const root = '/var/lib/docker/overlay2/u/diff';
    const listed = Array.from({ length: MAX_WHITEOUTS_PER_LAYER + 5 }, (_, index) => `${root}/gone/${index}\0`).join('');
    const output = record('access', 'root') + record('c0.l0.root', 'ok') + record('c0.l0.whiteouts', listed) + record('done', 'ok');

    const parsed = parseHostRead(output, boundary, [{ roots: [root] }], []);

    expect(parsed.sections[0]![0]!.whiteouts).toHaveLength(MAX_WHITEOUTS_PER_LAYER);
    expect(parsed.sections[0]![0]!.whiteoutsCut).toBe(true);
    const cut = parseHostRead(record('access', 'root') + record('c0.l0.root', 'ok') + record('c0.l0.whiteouts', `${root}/a\0${root}/partial`), boundary, [{ roots: [root] }], []);
    expect(cut.sections[0]![0]).toMatchObject({ whiteouts: ['/a'], whiteoutsCut: true });
  });

  it('leaves a root the output never reached unread, and a whiteout outside its layer out', () => {
    const output = record('access', 'sudo') + record('c0.l0.root', 'ok') + record('c0.l0.whiteouts', '/elsewhere/x\0');

    const parsed = parseHostRead(output, boundary, [{ roots: ['/u/diff', '/l/diff'] }], []);

    expect(parsed).toMatchObject({ access: 'sudo', completed: false });
    expect(parsed.sections[0]).toEqual([{ root: 'ok', whiteouts: [], whiteoutsCut: false, bodies: {} }, null]);
  });
});

describe.each(SHELLS)('readContainersOnHost under $name', (shell) => {
  async function setUp(uid: number, sudo?: 'allow' | 'refuse') {
    const dir = await tempDir();
    const bin = join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    await idShim(bin, uid);
    const log = join(dir, 'commands.log');
    if (sudo) await fakeSudo(bin, log, sudo === 'allow');
    const marker = join(dir, 'interpreter-started');
    const runner = await hermeticRunner(shell, dir, { marker, extraBin: bin });
    const layers = await buildLayers(dir);
    return { dir, runner, marker, log, layers };
  }

  it('reads a stopped container from its layers, top first: a replaced file is the top layer\'s, a whited-out one is gone', async () => {
    const { dir, runner, marker, layers } = await setUp(0);
    const stopped = container({ layers: readLayers({ Name: 'overlay2', Data: { UpperDir: layers.upper, LowerDir: layers.lower } }) as InspectedContainer['layers'] });

    const { access, results } = await readContainersOnHost(runner, ENGINE, hostReadTargets([stopped]), containerScanParts(RULES));

    expect(access).toBe('root');
    const read = results[0]!;
    if (!('read' in read)) throw new Error(`not read: ${read.problem}`);
    const scan = read.read.scan as ContainerScan;
    expect(read.read.via).toBe('layers');
    expect(scan.python.via).toBe('layers');
    const packages = scan.python.environments.flatMap((environment) => environment.packages.map((pkg) => `${environment.path} ${pkg.name} ${pkg.version}`));
    expect(packages).toEqual([
      '/usr/local/lib/python3.11/site-packages litellm 1.82.8',
      ...(isRoot ? [] : ['/usr/local/lib/python3.11/site-packages openai 1.61.0']),
    ]);
    expect(scan.artifacts.files.filter((file) => file.path === '/app/.env').map((file) => file.text)).toEqual(['OPENAI_API_KEY=new-value\n']);
    expect(scan.iocs.hits.map((hit) => `${hit.ruleId} ${hit.path} ${hit.container}`)).toEqual(['litellm-pg-state /tmp/.pg_state old-gateway']);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it("reads a system container's root folder as files, with no engine, and names the guest in what it found", async () => {
    const { dir, runner, marker } = await setUp(0);
    const root = join(dir, 'var/lib/lxc/101/rootfs');
    await writeTree(root, '/opt/litellm/.venv/pyvenv.cfg', 'home = /usr/bin\n');
    await writeTree(root, '/opt/litellm/.venv/lib/python3.11/site-packages/litellm-1.82.8.dist-info/METADATA', dist('litellm', '1.82.8'));
    await writeTree(root, '/tmp/.pg_state', 'state\n');
    const guest = container({ id: 'proxmox:101', name: 'CT 101 (litellm)', image: '', running: true, workingDir: null });

    const { results } = await readContainersOnHost(runner, null, [guestReadTarget(guest, root)!], containerScanParts(RULES));

    const read = results[0]!;
    if (!('read' in read)) throw new Error(`not read: ${read.problem}`);
    const scan = read.read.scan as ContainerScan;
    expect(scan.python.via).toBe('guest-root');
    expect(scan.python.environments.map((environment) => [environment.container, environment.path, environment.packages.map((pkg) => pkg.version)])).toEqual([
      ['CT 101 (litellm)', '/opt/litellm/.venv/lib/python3.11/site-packages', ['1.82.8']],
    ]);
    expect(scan.iocs.hits.map((hit) => `${hit.ruleId} ${hit.path} ${hit.container}`)).toEqual(['litellm-pg-state /tmp/.pg_state CT 101 (litellm)']);
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses a guest root folder that is the host's own root (a symlink to /), and any path not checked", async () => {
    const { dir, runner } = await setUp(0);
    const root = join(dir, 'rootfs');
    await symlink('/', root);
    const guest = container({ id: 'lxc:web', name: 'LXC web', image: '' });

    const { results } = await readContainersOnHost(runner, null, [guestReadTarget(guest, root)!], containerScanParts(RULES));

    expect(results).toEqual([{ target: expect.anything(), problem: `${root} is not readable on the host` }]);
    expect(guestReadTarget(guest, '/var/lib/lxc/../../etc')).toBeNull();
  });

  it("refuses a running container's /proc/PID/root when it is the host's own root (a pid reused by a host process)", async () => {
    const { runner } = await setUp(0);
    const mine = container({ running: true, pid: process.pid });

    const { results } = await readContainersOnHost(runner, ENGINE, hostReadTargets([mine]), containerScanParts(RULES));

    expect(results).toEqual([{ target: expect.anything(), problem: `/proc/${process.pid}/root is not readable on the host` }]);
  });

  // busybox sh runs its own `id` applet before PATH, so only dash can play a login that is not root.
  it.skipIf(shell.name === 'busybox')('reads nothing, leaving every container to exec, when the login is not root and sudo -n wants a password', async () => {
    const { runner, log, layers } = await setUp(1000, 'refuse');
    const stopped = container({ layers: { driver: 'overlay2', dirs: [layers.upper, layers.lower] } });

    const { access, results } = await readContainersOnHost(runner, ENGINE, hostReadTargets([stopped]), containerScanParts(RULES));

    expect(access).toBe('none');
    expect(results).toEqual([{ target: expect.anything(), problem: 'the login is not root and `sudo -n` is not allowed' }]);
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual(['sudo -n true']);
  });

  // As above: only dash lets the stand-in `id` answer a login that is not root.
  it.skipIf(shell.name === 'busybox')('reads through sudo -n when the login is not root but may use it without a password', async () => {
    const { runner, log, layers } = await setUp(1000, 'allow');
    const stopped = container({ layers: { driver: 'overlay2', dirs: [layers.upper, layers.lower] } });

    const { access, results } = await readContainersOnHost(runner, ENGINE, hostReadTargets([stopped]), containerScanParts(RULES));

    expect(access).toBe('sudo');
    expect(results[0]).toHaveProperty('read.via', 'layers');
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual(['sudo -n true', 'sudo -n sh -s']);
  });
});
