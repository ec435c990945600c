/**
 * Offline collection end to end: `blast-radius collector` run across lab hosts by Debian's
 * `ansible-playbook` with the documented playbook (docs/offline/collect.yml: `script` module, no
 * fact gathering), the files `import`ed, and the result held to a live `scan` of the same hosts:
 * the same packages, compromised litellm, keys by fingerprint and IOCs, and no trapped interpreter
 * started anywhere (Ansible must not start Python on the hosts). Needs `npm run build`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostInventory, ScanReport } from '../shared/model/index.js';
import { CaseLibrary } from '../electron/case/case-library.js';
import { startLab, type Lab } from './lab/lab.js';
import { labCliEnv, requireBuiltCli, runCli, runProgram, type CliRun } from './cli-run.js';

const PLAYBOOK = fileURLToPath(new URL('../docs/offline/collect.yml', import.meta.url));
/** The lab hosts that log in (the others are error paths a live scan reports on its own). */
const HOSTS = ['gw', 'nodocker', 'ollama', 'alpine'] as const;

/** How long ansible-playbook and the CLI may take here, and how much output they may give: four hosts' collections. */
const RUN_LIMITS = { timeoutMs: 240_000, maxBuffer: 256 * 1024 * 1024 };

/** Runs a program (ansible-playbook) with the lab's environment, `env` on top. */
const run = (command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> => runProgram(command, args, { env: labCliEnv(workDir, env), ...RUN_LIMITS });

const cli = (args: string[]): Promise<CliRun> => runCli(args, { env: labCliEnv(workDir), ...RUN_LIMITS });

let lab: Lab;
let workDir: string;
let live: ScanReport;
let imported: ScanReport;
let ansible: CliRun;
let importRun: CliRun;
let caseReport: ScanReport;

beforeAll(async () => {
  requireBuiltCli('npm run build');
  workDir = await mkdtemp(join(tmpdir(), 'blast-radius-offline-'));
  lab = await startLab();
  const liveRun = await cli(['scan', '--ssh-config', lab.sshConfigPath, ...HOSTS.flatMap((host) => ['--host', host]), '--json', join(workDir, 'live.json'), '-q']);
  if (!existsSync(join(workDir, 'live.json'))) throw new Error(`live scan wrote no report: ${liveRun.stderr}`);
  live = JSON.parse(await readFile(join(workDir, 'live.json'), 'utf8')) as ScanReport;

  const script = await cli(['collector']);
  expect(script.code).toBe(0);
  await writeFile(join(workDir, 'collect.sh'), script.stdout, { mode: 0o600 });
  // ssh with the lab's config, as an owner would point Ansible at their own ~/.ssh/config.
  const inventory = HOSTS.map((host) => `${host} ansible_connection=ssh ansible_ssh_common_args='-F ${lab.sshConfigPath}'`).join('\n');
  await writeFile(join(workDir, 'inventory'), `[lab]\n${inventory}\n`);
  ansible = await run(
    'ansible-playbook',
    ['-i', join(workDir, 'inventory'), PLAYBOOK, '-e', `collector=${join(workDir, 'collect.sh')}`, '-e', `collection_dir=${join(workDir, 'collected')}`],
    // Ansible's own state (control sockets, temp files) in this run's folder, not the tester's home.
    { ANSIBLE_HOME: join(workDir, 'ansible'), ANSIBLE_LOCAL_TEMP: join(workDir, 'ansible', 'tmp'), ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'True' },
  );
  const files = existsSync(join(workDir, 'collected')) ? (await readdir(join(workDir, 'collected'))).map((name) => join(workDir, 'collected', name)) : [];

  const library = await CaseLibrary.open(join(workDir, 'data'));
  const created = await library.create('Offline hosts');
  importRun = await cli(['import', ...files.sort(), '--json', join(workDir, 'imported.json'), '--data-dir', join(workDir, 'data'), '--case', created.id]);
  imported = JSON.parse(await readFile(join(workDir, 'imported.json'), 'utf8')) as ScanReport;
  caseReport = JSON.parse(await readFile(join(workDir, 'data', 'cases', created.id, 'report.json'), 'utf8')) as ScanReport;
}, 600_000);

afterAll(async () => {
  await lab?.stop();
  // The collection files hold the lab's (fake) keys in clear, as any collection holds keys: not left behind.
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const hostOf = (report: ScanReport, name: string): HostInventory => {
  const found = report.hosts.find((host) => host.name === name);
  if (!found) throw new Error(`no host ${name} in the report`);
  return found;
};

/** Containers the live scan read from the host while stopped (their layers): an offline collection cannot, and says so. */
const stoppedContainers = (report: ScanReport): Set<string> => new Set(report.hosts.flatMap((host) => host.containers.filter((container) => !container.running).map((container) => `${host.name}/${container.name}`)));

/** `host container env package==version` for every installed package outside stopped containers. */
function packages(report: ScanReport, skip: Set<string>): string[] {
  return report.hosts
    .flatMap((host) =>
      host.pythonEnvironments
        .filter((env) => env.container === null || !skip.has(`${host.name}/${env.container}`))
        .flatMap((env) => env.packages.map((pkg) => `${host.name} ${env.container ?? '-'} ${env.path} ${pkg.name}==${pkg.version}`)),
    )
    .sort();
}

describe('offline collection through ansible, imported', () => {
  it('collected every host with the playbook, writing one owner-only file each', async () => {
    expect(ansible.stdout + ansible.stderr).not.toMatch(/FAILED|UNREACHABLE!/);
    expect(ansible.code).toBe(0);
    const files = (await readdir(join(workDir, 'collected'))).sort();
    expect(files).toEqual(HOSTS.map((host) => `${host}.brc`).sort());
    for (const file of files) expect((await stat(join(workDir, 'collected', file))).mode & 0o077).toBe(0);
  });

  it('started no Python (or any trapped interpreter) on any host, Ansible included', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
    expect(await lab.whereExists('/tmp/pwned')).toEqual([]);
  });

  it('imports one host per file, named by its own facts, and says what offline collection does not gather', () => {
    expect(imported.hosts.map((host) => host.name).sort()).toEqual([...HOSTS].sort());
    for (const host of imported.hosts) {
      expect(host.facts?.hostname).toBe(hostOf(live, host.name).facts?.hostname);
      expect((host.notes ?? []).some((note) => note.collector === 'offline' && /RECORD hashes/.test(note.message))).toBe(true);
    }
    expect(importRun.stderr).toMatch(/hold secrets/);
  });

  it('finds the same packages as the live scan (stopped containers aside)', () => {
    const skip = stoppedContainers(live);
    expect(skip.size).toBeGreaterThan(0);
    expect(packages(imported, skip)).toEqual(packages(live, skip));
    expect(packages(imported, skip).length).toBeGreaterThan(10);
  });

  it('flags the same compromised litellm installs', () => {
    const compromised = (report: ScanReport) =>
      report.findings
        .flatMap((finding) => (finding.kind === 'compromised-package' ? [`${finding.host} ${finding.container ?? '-'} ${finding.package}==${finding.version}`] : []))
        .sort();
    expect(compromised(imported)).toEqual(compromised(live));
    expect(compromised(imported)).toEqual(expect.arrayContaining([expect.stringMatching(/^gw litellm litellm==1\.82\.8$/), expect.stringMatching(/^nodocker - litellm==1\.82\.7$/)]));
  });

  // What a gateway keeps in its database is read by a scan through psql, which the collector does not run (OFFLINE_GAPS): left out of the comparison, and absent from the import.
  it('finds the same keys by fingerprint, in the same places, all but those stored in the gateway database', () => {
    const keys = (report: ScanReport) =>
      [
        ...new Set(
          report.hosts.flatMap((host) => (host.secrets ?? []).filter((secret) => secret.source !== 'gateway-db').map((secret) => `${host.name} ${secret.container ?? '-'} ${secret.fingerprint}`)),
        ),
      ].sort();
    expect(keys(imported)).toEqual(keys(live));
    expect(imported.hosts.flatMap((host) => host.secrets ?? []).filter((secret) => secret.source === 'gateway-db')).toEqual([]);
    expect(keys(imported).length).toBeGreaterThan(5);
  });

  it('finds the same IOCs', () => {
    const iocs = (report: ScanReport) => report.hosts.flatMap((host) => (host.iocHits ?? []).map((hit) => `${host.name} ${hit.container ?? '-'} ${hit.ruleId} ${hit.path ?? hit.unit ?? ''}`)).sort();
    expect(iocs(imported)).toEqual(iocs(live));
    expect(iocs(imported).length).toBeGreaterThan(0);
  });

  it("counts the same gateway clients from the same logs (the database's spend log is not collected offline)", () => {
    const traffic = (report: ScanReport) =>
      report.hosts
        .flatMap((host) => (host.gatewayTraffic ?? []).filter((gateway) => gateway.source !== 'gateway-db').flatMap((gateway) => gateway.clients.map((client) => `${host.name} ${gateway.container} ${client.address} ${client.requests}`)))
        .sort();
    expect(traffic(imported)).toEqual(traffic(live));
    expect(imported.hosts.flatMap((host) => host.gatewayTraffic ?? []).filter((gateway) => gateway.source === 'gateway-db')).toEqual([]);
    expect(traffic(imported).length).toBeGreaterThan(0);
  });

  it('adds the hosts to the case given with --case, judged like a scan', () => {
    expect(caseReport.hosts.map((host) => host.name).sort()).toEqual([...HOSTS].sort());
    expect(caseReport.findings.filter((finding) => finding.kind === 'compromised-package').length).toBe(imported.findings.filter((finding) => finding.kind === 'compromised-package').length);
  });
});
