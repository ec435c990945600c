/**
 * The built CLI (`npm run build:node`) scanning a Proxmox-style lab host (GUEST_HOSTS): each CT
 * is found from /etc/pve and read as files from the host, never entered. CT 101 runs LiteLLM
 * 1.82.8 from a pip venv under systemd (as the community script installed it): the compromised
 * package is named in the CT, its `.pth`, and its config's key by fingerprint; the stopped CT 102
 * is read from its zfspool subvolume; CT 103 on LVM gets a note, not a mount; the plain LXC
 * container is read too. Every distribution in every CT read is verified against its RECORD from
 * the host (`--verify-all-records`): CT 101's litellm shows the proxy_server.py edited after
 * install, the clean CTs verify clean. No trap trips, and the key's value is nowhere in what the
 * CLI wrote.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompromisedPackageFinding, HostInventory, RecordMismatchFinding, ScanReport, SecretFinding } from '../shared/model/index.js';
import { GUEST_HOSTS } from './lab/lab-hosts.js';
import { startLab, type Lab } from './lab/lab.js';
import { expectedFingerprint, GUEST_SECRETS, leakNeedles } from './lab/planted-secrets.js';
import { labCliEnv, requireBuiltCli, runCliScan } from './cli-run.js';

let lab: Lab;
let outputDir: string;
let report: ScanReport;
let run: { stdout: string; stderr: string };

const pve = (): HostInventory => report.hosts.find((host) => host.name === 'pve')!;

beforeAll(async () => {
  requireBuiltCli();
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-lxc-'));
  lab = await startLab({ hosts: GUEST_HOSTS });
  const scan = await runCliScan(
    ['scan', '--ssh-config', lab.sshConfigPath, '--host', 'pve', '--verify-all-records'],
    { json: join(outputDir, 'report.json'), markdown: join(outputDir, 'report.md') },
    { env: labCliEnv(outputDir), timeoutMs: 180_000 },
  );
  // Exit 4: a host not fully read (CT 103's note makes pve partial); anything else failed.
  if (scan.code !== 0 && scan.code !== 4) throw new Error(`scan failed (exit ${scan.code}): ${scan.stderr}`);
  run = scan;
  report = scan.report;
}, 240_000);

afterAll(async () => {
  await lab?.stop();
  if (outputDir) await rm(outputDir, { recursive: true, force: true });
});

describe('a Proxmox host with LXC containers', () => {
  it('lists every CT and the plain LXC container as containers with no image, each from its config', () => {
    const guests = pve().containers.map((container) => [container.name, container.image, container.running, container.guest?.platform, container.guest?.rootPath, container.readVia ?? null]);
    expect(guests).toEqual([
      ['CT 101 (litellm)', '', true, 'proxmox', '/var/lib/lxc/101/rootfs', 'guest-root'],
      ['CT 102 (tools)', '', false, 'proxmox', '/rpool/data/subvol-102-disk-0', 'guest-root'],
      ['CT 103 (vault)', '', false, 'proxmox', null, null],
      ['CT 104 (bot)', '', false, 'proxmox', '/var/lib/vz/images/104/subvol-104-disk-0.subvol', 'guest-root'],
      ['LXC web', '', false, 'lxc', '/var/lib/lxc/web/rootfs', 'guest-root'],
    ]);
    expect(pve().containers[1]!.guest).toMatchObject({ unprivileged: true, mountPoints: [{ key: 'mp0', volume: '/srv/shared', path: '/shared' }] });
    expect(pve().containers[2]!.guest?.lxcKeys).toEqual(['lxc.apparmor.profile']);
    expect(pve().containers[0]!.guest?.gatewayUnits).toEqual(['litellm.service']);
  });

  it('names litellm 1.82.8 in CT 101 compromised, in the venv the community script made, with its .pth', () => {
    const found = report.findings.filter((finding): finding is CompromisedPackageFinding => finding.kind === 'compromised-package' && finding.package === 'litellm');
    expect(found.map((finding) => [finding.host, finding.container, finding.version, finding.path])).toEqual([
      ['pve', 'CT 101 (litellm)', '1.82.8', '/opt/litellm/.venv/lib/python3.11/site-packages'],
    ]);
    const env = pve().pythonEnvironments.find((candidate) => candidate.container === 'CT 101 (litellm)');
    expect(env?.pthFiles?.map((pth) => pth.path)).toContainEqual(expect.stringMatching(/litellm_init\.pth$/));
    // Nothing of the CTs is taken for the host's own: the host holds no environment of its own here.
    expect(pve().pythonEnvironments.filter((candidate) => candidate.container === null)).toEqual([]);
  });

  it("reads the stopped CTs from their zfspool and dir storage subvolumes and the plain LXC container, all clean", () => {
    const envs = (container: string) => pve().pythonEnvironments.filter((env) => env.container === container).map((env) => [env.path, env.packages.map((pkg) => `${pkg.name} ${pkg.version}`)]);
    expect(envs('CT 102 (tools)')).toEqual([['/opt/tools/venv/lib/python3.11/site-packages', ['requests 2.32.3']]]);
    expect(envs('LXC web')).toEqual([['/srv/app/venv/lib/python3.11/site-packages', ['flask 3.0.3']]]);
    expect(envs('CT 104 (bot)')).toEqual([['/opt/venv/lib/python3.11/site-packages', ['httpx 0.27.0']]]);
    expect(report.findings.filter((finding) => finding.container === 'CT 102 (tools)' || finding.container === 'LXC web').map((finding) => finding.kind)).not.toContain('compromised-package');
  });

  it("verifies CT 101's litellm 1.82.8 against its RECORD from the host: the proxy_server.py edited after install is a critical record-mismatch", () => {
    const mismatches = report.findings.filter((finding): finding is RecordMismatchFinding => finding.kind === 'record-mismatch');
    expect(mismatches.map((finding) => [finding.host, finding.container, finding.package, finding.version, finding.severity, finding.path, finding.files])).toEqual([
      ['pve', 'CT 101 (litellm)', 'litellm', '1.82.8', 'critical', '/opt/litellm/.venv/lib/python3.11/site-packages', [{ path: 'litellm/proxy/proxy_server.py', problem: 'modified' }]],
    ]);
    const litellm = pve()
      .pythonEnvironments.filter((env) => env.container === 'CT 101 (litellm)')
      .flatMap((env) => env.packages)
      .find((pkg) => pkg.name === 'litellm')!;
    expect(litellm.record?.checked).toBeGreaterThan(0);
    expect(litellm.record?.incomplete).toBeUndefined();
    // Hashed where it lies, the stager .pth its RECORD lists among them (for the comparisons by content).
    expect(Object.keys(litellm.files?.sha256 ?? {})).toEqual(expect.arrayContaining(['litellm_init.pth', 'litellm/proxy/proxy_server.py']));
    expect((pve().notes ?? []).map((note) => note.message)).not.toContainEqual(expect.stringMatching(/RECORD|not verified/));
  });

  it('verifies every distribution of the clean CTs and the plain LXC container clean', () => {
    const verified = pve()
      .pythonEnvironments.filter((env) => env.container !== 'CT 101 (litellm)')
      .flatMap((env) => env.packages.map((pkg) => [env.container, `${pkg.name} ${pkg.version}`, (pkg.record?.checked ?? 0) > 0, pkg.record?.problems, pkg.record?.incomplete ?? false]));
    expect(verified.sort()).toEqual([
      ['CT 102 (tools)', 'requests 2.32.3', true, [], false],
      ['CT 104 (bot)', 'httpx 0.27.0', true, [], false],
      ['LXC web', 'flask 3.0.3', true, [], false],
    ]);
  });

  it('says CT 103 on LVM was not read rather than mounting it, and leaves the host partial', () => {
    expect(pve().status).toBe('partial');
    expect(pve().notes).toContainEqual({ collector: 'guests', message: 'CT 103 (vault): not read: its rootfs local-lvm:vm-103-disk-0 is a block volume or image (lvmthin storage), which a read-only scan never mounts' });
  });

  it("finds the key in CT 101's LiteLLM config by fingerprint, and the CT's gateway", () => {
    const secret = GUEST_SECRETS['ct-anthropic'];
    const found = report.findings.filter((finding): finding is SecretFinding => finding.kind === 'secret' && finding.fingerprint === expectedFingerprint(secret));
    expect(found).toHaveLength(1);
    expect(found[0]!.locations).toContainEqual(expect.objectContaining({ host: 'pve', container: 'CT 101 (litellm)', path: '/opt/litellm/litellm.yaml' }));
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: 'gateway', host: 'pve', container: 'CT 101 (litellm)', gateway: 'litellm' }));
  });

  it('starts nothing in any root and writes the key nowhere', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
    const written = [run.stdout, run.stderr];
    for (const name of await readdir(outputDir, { recursive: true })) {
      const file = join(outputDir, name);
      if (existsSync(file) && /\.(json|md|log|jsonl)$/.test(name)) written.push(await readFile(file, 'utf8'));
    }
    for (const needle of leakNeedles(GUEST_SECRETS['ct-anthropic'].value)) for (const text of written) expect(text).not.toContain(needle);
  });
});
