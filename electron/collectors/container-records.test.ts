import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledIocRules } from '../../shared/domain/iocs/rules.js';
import { layerMask, readLayers } from './container-layers.js';
import { containerRecordsScript, mergeLayerReadings, verifyContainerRecordsOnHost } from './container-records.js';
import { containerScanParts, type ContainerScan } from './container-scan.js';
import type { InspectedContainer } from './docker-parser.js';
import { inspectedContainer } from './fixtures/inspected-container.js';
import { hermeticRunner, SHELLS, tempDir, writeExecutable, writeTree } from './fixtures/shell-harness.js';
import { guestReadTarget, hostReadTargets, readContainersOnHost } from './host-side-read.js';
import { decodeOutput, newBoundary } from './framing.js';
import { parseRecordScansByPlace, type RecordReading } from './record-parser.js';

const SITE = '/usr/local/lib/python3.11/site-packages';
const DIST_INFO = `${SITE}/litellm-1.82.8.dist-info`;
const ENGINE = { engine: 'docker', access: 'direct' } as const;
const isRoot = process.getuid?.() === 0;
const sha256 = (content: string): string => createHash('sha256').update(content).digest('hex');
const recordHash = (content: string): string => createHash('sha256').update(content).digest('base64url');

const CLEAN = {
  'litellm/__init__.py': '# placeholder\n',
  'litellm/proxy/proxy_server.py': '# clean\n',
  'litellm/retired.py': '# removed by the reinstall\n',
  'litellm-1.82.8.dist-info/METADATA': 'Metadata-Version: 2.1\nName: litellm\nVersion: 1.82.8\n',
};
const VARIANT = '# the variant, vouched for by the new RECORD\n';
const STAGER = 'import os; os.system("true")  # stand-in\n';

/** A RECORD for `files`, as pip writes it. */
const record = (files: Record<string, string>): string =>
  `${[...Object.entries(files).map(([path, content]) => `${path},sha256=${recordHash(content)},${Buffer.byteLength(content)}`), 'litellm-1.82.8.dist-info/RECORD,,'].join('\n')}\n`;

/**
 * A stopped container's two layers: the image's clean litellm 1.82.8, and its own upper layer where
 * a start-up reinstall wrote a proxy_server.py variant, a stager .pth and a RECORD vouching for
 * both, and (as root, which mknod needs) deleted a module with a whiteout. Paths hold shell syntax.
 */
async function buildLayers(dir: string): Promise<{ upper: string; lower: string }> {
  const base = join(dir, "overlay2/it's $(touch pwned)");
  const lower = join(base, 'lower/diff');
  const upper = join(base, 'upper/diff');
  for (const [path, content] of Object.entries(CLEAN)) await writeTree(lower, `${SITE}/${path}`, content);
  await writeTree(lower, `${DIST_INFO}/RECORD`, record(CLEAN));
  const reinstalled: Record<string, string> = { ...CLEAN, 'litellm/proxy/proxy_server.py': VARIANT, 'litellm_init.pth': STAGER };
  if (isRoot) delete reinstalled['litellm/retired.py'];
  await writeTree(upper, `${SITE}/litellm/proxy/proxy_server.py`, VARIANT);
  await writeTree(upper, `${SITE}/litellm_init.pth`, STAGER);
  await writeTree(upper, `${DIST_INFO}/RECORD`, record(reinstalled));
  if (isRoot) execFileSync('mknod', [join(upper, SITE, 'litellm/retired.py'), 'c', '0', '0']);
  return { upper, lower };
}

const TAMPERED = '# proxy_server.py edited after install\n';
const LOADER = 'import os  # the code a stager .pth imports, in no RECORD\n';
const OUTSIDE = 'a host file outside the guest\n';

/**
 * A system container's root folder (a Proxmox CT's rootfs) as its own root user could leave it:
 * litellm 1.82.8 whose proxy_server.py was edited after its RECORD was written, an unlisted module
 * in its package folder and an unlisted stager .pth beside it, and two RECORD rows that lead out
 * of the root (a `..` climb and a folder symlinked to the host), each with the outside file's true
 * hash. Returns the root and the outside file's folder.
 */
async function buildGuestRoot(dir: string): Promise<{ root: string; outside: string }> {
  const root = join(dir, "guests/it's $(touch pwned)/rootfs");
  const outside = join(dir, 'outside');
  await writeTree(outside, 'secret.txt', OUTSIDE);
  // From the site folder up to `dir`: its own components, then rootfs, the quoted folder and guests.
  const climb = `${'../'.repeat(SITE.split('/').length - 1 + 3)}outside/secret.txt`;
  const listed: Record<string, string> = { ...CLEAN, [climb]: OUTSIDE, 'litellm/vendor/secret.txt': OUTSIDE };
  for (const [path, content] of Object.entries(CLEAN)) await writeTree(root, `${SITE}/${path}`, content);
  await writeTree(root, `${DIST_INFO}/RECORD`, record(listed));
  await writeTree(root, `${SITE}/litellm/proxy/proxy_server.py`, TAMPERED);
  await writeTree(root, `${SITE}/litellm/_loader.py`, LOADER);
  await writeTree(root, `${SITE}/litellm_init.pth`, STAGER);
  await symlink(outside, join(root, SITE, 'litellm/vendor'));
  return { root, outside };
}

function container(layers: InspectedContainer['layers']): InspectedContainer {
  return inspectedContainer({ layers });
}

function reading(fields: Partial<RecordReading> & { hashes?: Map<string, string> }): RecordReading {
  return { distInfo: DIST_INFO, recordText: 'RECORD', hashes: new Map(), missing: new Set(), firstLines: new Map(), present: [], incomplete: false, hashCapped: false, ...fields };
}

describe('mergeLayerReadings', () => {
  it('takes each file from the topmost layer holding it, drops what a layer above deletes, and calls a listed file no layer holds missing', () => {
    const upper = reading({ hashes: new Map([['a/x.py', '1'.repeat(64)]]), missing: new Set(['a/gone.py', 'a/y.py', 'a/deleted.py']), present: ['a/x.py'] });
    const lower = reading({
      hashes: new Map([
        ['a/x.py', '2'.repeat(64)],
        ['a/y.py', '3'.repeat(64)],
        ['a/deleted.py', '4'.repeat(64)],
      ]),
      missing: new Set(['a/gone.py']),
      present: ['a/x.py', 'a/y.py', 'a/deleted.py', 'a/unlisted.py'],
    });

    const merged = mergeLayerReadings([upper, lower], [layerMask([`${SITE}/a/deleted.py`]), layerMask([])], SITE);

    expect([...merged.hashes]).toEqual([
      ['a/x.py', '1'.repeat(64)],
      ['a/y.py', '3'.repeat(64)],
    ]);
    expect([...merged.missing].sort()).toEqual(['a/deleted.py', 'a/gone.py']);
    expect([...merged.present].sort()).toEqual(['a/unlisted.py', 'a/x.py', 'a/y.py']);
    expect(merged.incomplete).toBe(false);
  });

  it('reads past a layer that lacks the site folder, and keeps any layer\'s incompleteness', () => {
    const merged = mergeLayerReadings([reading({ siteAbsent: true }), reading({ hashes: new Map([['a/x.py', '1'.repeat(64)]]), incomplete: true })], [layerMask([]), layerMask([])], SITE);

    expect([...merged.hashes.keys()]).toEqual(['a/x.py']);
    expect(merged.incomplete).toBe(true);
  });
});

describe('containerRecordsScript', () => {
  it('quotes every layer, refuses a /proc root that is not one, and skips a /proc root that is the host\'s own', () => {
    const script = containerRecordsScript('B'.repeat(32), [
      { via: 'proc-root', roots: ['/proc/4242/root'], targets: [{ site: SITE, distInfo: DIST_INFO }] },
      { via: 'layers', roots: ["/var/lib/docker/overlay2/it's/diff"], targets: [{ site: SITE, distInfo: DIST_INFO }] },
    ]);

    expect(script).toContain("! [ '/proc/4242/root/' -ef / ]");
    expect(script).toContain(`for L in '/var/lib/docker/overlay2/it'\\''s/diff'; do`);
    expect(() => containerRecordsScript('B'.repeat(32), [{ via: 'proc-root', roots: ['/'], targets: [{ site: SITE, distInfo: DIST_INFO }] }])).toThrow(/unsafe root/);
  });

  it('reads a guest root as one guarded folder, and refuses one that is not a plain absolute path', () => {
    const script = containerRecordsScript('B'.repeat(32), [{ via: 'guest-root', roots: ["/rpool/data/subvol-101-it's"], targets: [{ site: SITE, distInfo: DIST_INFO }] }]);

    expect(script).toContain(`! [ '/rpool/data/subvol-101-it'\\''s/' -ef / ]`);
    expect(script).toContain('GUARD=1');
    expect(script).not.toContain('toprecord() {');
    for (const root of ['/', '/var/lib/lxc/101/../../..', 'relative/rootfs', '/var/lib/vz:x']) {
      expect(() => containerRecordsScript('B'.repeat(32), [{ via: 'guest-root', roots: [root], targets: [{ site: SITE, distInfo: DIST_INFO }] }])).toThrow(/unsafe root/);
    }
  });
});

/**
 * A hermetic runner for `shell` in a fresh folder, whose `id -u` answers root (dash's PATH has no
 * external id), so the script reads without sudo; `marker` appears if an interpreter is started.
 */
async function rootRunner(shell: (typeof SHELLS)[number]): Promise<{ dir: string; marker: string; runner: Awaited<ReturnType<typeof hermeticRunner>> }> {
  const dir = await tempDir();
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  await writeExecutable(join(bin, 'id'), '#!/bin/sh\necho 0\n');
  const marker = join(dir, 'interpreter-started');
  return { dir, marker, runner: await hermeticRunner(shell, dir, { marker, extraBin: bin }) };
}

describe.each(SHELLS)('verifyContainerRecordsOnHost under $name', (shell) => {
  it('hashes a stopped container through its layers, so a reinstall in its upper layer shows with the files RECORD vouches for', async () => {
    const { dir, marker, runner } = await rootRunner(shell);
    const layers = await buildLayers(dir);
    const stopped = container(readLayers({ Name: 'overlay2', Data: { UpperDir: layers.upper, LowerDir: layers.lower } }) as InspectedContainer['layers']);
    const { results } = await readContainersOnHost(runner, ENGINE, hostReadTargets([stopped]), containerScanParts(bundledIocRules()));
    const read = results[0]!;
    if (!('read' in read)) throw new Error(`not read: ${read.problem}`);
    const environments = (read.read.scan as ContainerScan).python.environments;

    const issues = await verifyContainerRecordsOnHost(
      runner,
      [{ container: stopped, via: 'layers', roots: read.target.roots, masks: read.read.masks, environments }],
      (pkg) => pkg.name === 'litellm',
    );

    expect(issues).toEqual([[]]);
    const litellm = environments.flatMap((environment) => environment.packages).find((pkg) => pkg.name === 'litellm')!;
    // RECORD verification passes: the top layer's RECORD vouches for the top layer's files.
    expect(litellm.record).toMatchObject({ problems: [] });
    expect(litellm.record?.incomplete).toBeUndefined();
    expect(litellm.files?.sha256).toEqual({
      'litellm/__init__.py': sha256(CLEAN['litellm/__init__.py']),
      'litellm/proxy/proxy_server.py': sha256(VARIANT),
      ...(isRoot ? {} : { 'litellm/retired.py': sha256(CLEAN['litellm/retired.py']) }),
      'litellm_init.pth': sha256(STAGER),
      'litellm-1.82.8.dist-info/METADATA': sha256(CLEAN['litellm-1.82.8.dist-info/METADATA']),
    });
    // The RECORD text crosses the wire once, with the upper layer that holds it.
    const boundary = newBoundary();
    const result = await runner.runScript(containerRecordsScript(boundary, [{ via: 'layers', roots: read.target.roots, targets: [{ site: SITE, distInfo: DIST_INFO }] }]));
    const { places } = parseRecordScansByPlace(decodeOutput(result.stdout), boundary);
    expect(['c0.l0', 'c0.l1'].map((tag) => places.get(tag)?.readings[0]?.recordText === null)).toEqual([false, true]);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it("reads layers guarded: a RECORD row of an image's layer that climbs out of the layer or runs through a symlinked folder is never hashed", async () => {
    const { dir, marker, runner } = await rootRunner(shell);
    const layers = await buildLayers(dir);
    // The image's author controls the upper layer's RECORD: two rows aimed at a host file, each with its true hash.
    const outside = join(dir, 'outside');
    await writeTree(outside, 'secret.txt', OUTSIDE);
    // From the site folder up to `dir`: its own components, then diff, upper, the quoted folder and overlay2.
    const climb = `${'../'.repeat(SITE.split('/').length - 1 + 4)}outside/secret.txt`;
    const reinstalled: Record<string, string> = { ...CLEAN, 'litellm/proxy/proxy_server.py': VARIANT, 'litellm_init.pth': STAGER };
    if (isRoot) delete reinstalled['litellm/retired.py'];
    await writeTree(layers.upper, `${DIST_INFO}/RECORD`, record({ ...reinstalled, [climb]: OUTSIDE, 'litellm/vendor/secret.txt': OUTSIDE }));
    await symlink(outside, join(layers.upper, SITE, 'litellm/vendor'));
    const stopped = container(readLayers({ Name: 'overlay2', Data: { UpperDir: layers.upper, LowerDir: layers.lower } }) as InspectedContainer['layers']);
    const { results } = await readContainersOnHost(runner, ENGINE, hostReadTargets([stopped]), containerScanParts(bundledIocRules()));
    const read = results[0]!;
    if (!('read' in read)) throw new Error(`not read: ${read.problem}`);
    const environments = (read.read.scan as ContainerScan).python.environments;

    await verifyContainerRecordsOnHost(runner, [{ container: stopped, via: 'layers', roots: read.target.roots, masks: read.read.masks, environments }], (pkg) => pkg.name === 'litellm');

    const litellm = environments.flatMap((environment) => environment.packages).find((pkg) => pkg.name === 'litellm')!;
    expect(Object.values(litellm.files?.sha256 ?? {})).not.toContain(sha256(OUTSIDE));
    // Unhashed rows leave the check incomplete rather than passing; the layers' own files are hashed as before.
    expect(litellm.record?.incomplete).toBe(true);
    expect(litellm.files?.sha256?.['litellm/proxy/proxy_server.py']).toBe(sha256(VARIANT));
    expect(litellm.files?.sha256?.['litellm/__init__.py']).toBe(sha256(CLEAN['litellm/__init__.py']));
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it("verifies a system container through its root folder: the edited file is modified, the unlisted module unlisted, and nothing outside the root is read", async () => {
    const { dir, marker, runner } = await rootRunner(shell);
    const { root } = await buildGuestRoot(dir);
    const guest = { ...container(undefined), id: 'g'.repeat(64), name: 'CT 101 (litellm)', running: true, status: 'running' };
    const target = guestReadTarget(guest, root)!;
    const { results } = await readContainersOnHost(runner, null, [target], containerScanParts(bundledIocRules()));
    const read = results[0]!;
    if (!('read' in read)) throw new Error(`not read: ${read.problem}`);
    const environments = (read.read.scan as ContainerScan).python.environments;

    const issues = await verifyContainerRecordsOnHost(
      runner,
      [{ container: guest, via: 'guest-root', roots: read.target.roots, masks: read.read.masks, environments }],
      (pkg) => pkg.name === 'litellm',
    );

    expect(issues).toEqual([[]]);
    const litellm = environments.flatMap((environment) => environment.packages).find((pkg) => pkg.name === 'litellm')!;
    expect(litellm.record?.problems).toEqual([
      { path: 'litellm/_loader.py', problem: 'unlisted' },
      { path: 'litellm/proxy/proxy_server.py', problem: 'modified' },
    ]);
    // The two rows leading out of the root were never hashed: the check says it is incomplete rather than passing them.
    expect(litellm.record?.incomplete).toBe(true);
    expect(litellm.files?.sha256).toEqual({
      'litellm/__init__.py': sha256(CLEAN['litellm/__init__.py']),
      'litellm/_loader.py': sha256(LOADER),
      'litellm/proxy/proxy_server.py': sha256(TAMPERED),
      'litellm/retired.py': sha256(CLEAN['litellm/retired.py']),
      'litellm-1.82.8.dist-info/METADATA': sha256(CLEAN['litellm-1.82.8.dist-info/METADATA']),
    });
    expect(Object.values(litellm.files?.sha256 ?? {})).not.toContain(sha256(OUTSIDE));
    // The stager .pth at the site's top is in no package folder of litellm's: the .pth audit names it, with no owner.
    const site = environments.find((environment) => environment.path === SITE);
    expect(site?.pthFiles?.map((pth) => [pth.path, pth.owner ?? null])).toEqual([[`${SITE}/litellm_init.pth`, null]]);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it("notes a guest root that has become the host's own root (a symlink to /), and reads nothing through it", async () => {
    const { dir, runner } = await rootRunner(shell);
    const root = join(dir, 'subvol-101-disk-0');
    await symlink('/', root);
    const environments = [{ path: SITE, container: 'CT 101 (litellm)', packages: [{ name: 'litellm', version: '1.82.8', metadataPath: DIST_INFO }] }];

    const issues = await verifyContainerRecordsOnHost(
      runner,
      [{ container: { ...container(undefined), name: 'CT 101 (litellm)', running: true }, via: 'guest-root', roots: [root], masks: [layerMask([])], environments }],
      () => true,
    );

    // (The temporary folder's random name may be redacted from a note as key-like text: only its end is compared.)
    expect(issues[0]!.map((issue) => issue.message)).toEqual([expect.stringMatching(/^container CT 101 \(litellm\): \/.*\/subvol-101-disk-0 could no longer be read from the host; 1 distributions not verified$/)]);
    expect(environments[0]!.packages[0]).not.toHaveProperty('files');
  });

  it('gives a running container read through /proc/PID/root its hashes in the same script, and notes a root that has become the host\'s own', async () => {
    const { dir, runner } = await rootRunner(shell);
    const environments = [{ path: SITE, container: 'llm-router', packages: [{ name: 'litellm', version: '1.82.8', metadataPath: DIST_INFO }] }];
    // /proc/1/root is this machine's own root here (or unreadable): never read as a container's.
    const issues = await verifyContainerRecordsOnHost(
      runner,
      [{ container: { ...container(undefined), name: 'llm-router', running: true, pid: 1 }, via: 'proc-root', roots: ['/proc/1/root'], masks: [layerMask([])], environments }],
      () => true,
    );

    expect(issues[0]!.map((issue) => issue.message)).toEqual(['container llm-router: /proc/1/root could no longer be read from the host; 1 distributions not verified']);
    expect(environments[0]!.packages[0]).not.toHaveProperty('files');
  });
});
