/**
 * The CLI, built (`npm run build`), scanning hosts that stop answering beside a healthy one (issue
 * 10, "a deadline per host"): `wedged` (sshd's ForceCommand `sleep 100000`: the login succeeds,
 * no command ever returns) and `stalls` (answers the first phases, then hangs in the key search,
 * and every session after it hangs too), with `alpine` as the healthy host. Its own lab
 * (WEDGED_LAB_HOSTS), so the default lab's hosts are untouched.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostInventory, ScanReport } from '../shared/model/index.js';
import { WEDGED_LAB_HOSTS, type LabSshHostSpec } from './lab/lab-hosts.js';
import { startLab, type Lab } from './lab/lab.js';
import { labCliEnv, readReport, requireBuiltCli, runCli, type CliRun as CliOutput } from './cli-run.js';

/** The deadline the first scan gives each host. */
const DEADLINE_SECONDS = 20;
/** What the CLI may take beyond the deadline: its start, connecting, closing the given-up connections, writing the report. */
const MARGIN_SECONDS = 10;

interface CliRun extends CliOutput {
  seconds: number;
  report: ScanReport;
}

let lab: Lab;
let outputDir: string;

async function scan(name: string, hosts: string[], extra: string[]): Promise<CliRun> {
  const json = join(outputDir, `${name}.json`);
  const args = ['scan', '--ssh-config', lab.sshConfigPath, ...hosts.flatMap((host) => ['--host', host]), '--json', json, ...extra];
  const started = performance.now();
  // The kill is a backstop far beyond any deadline here, so a regression fails instead of hanging the run.
  const run = await runCli(args, { env: labCliEnv(outputDir), timeoutMs: 400_000, killSignal: 'SIGKILL' });
  const seconds = (performance.now() - started) / 1000;
  return { ...run, seconds, report: await readReport(json) };
}

function host(run: CliRun, name: string): HostInventory {
  const found = run.report.hosts.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no host ${name} in the report`);
  return found;
}

const packagesOf = (inventory: HostInventory) =>
  inventory.pythonEnvironments.flatMap((environment) => environment.packages.map((pkg) => `${pkg.name} ${pkg.version}`)).sort();

const specPackages = (name: string) =>
  (WEDGED_LAB_HOSTS.find((spec) => spec.name === name) as LabSshHostSpec).sitePackages.flatMap((site) => site.distributions.map((dist) => `${dist.name} ${dist.version}`)).sort();

beforeAll(async () => {
  requireBuiltCli('npm run build');
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-deadline-'));
  lab = await startLab({ hosts: WEDGED_LAB_HOSTS });
});

afterAll(async () => {
  await lab?.stop();
});

describe(`blast-radius scan --host-deadline ${DEADLINE_SECONDS} with a wedged host, a host that stalls mid-scan and a healthy one`, () => {
  let run: CliRun;
  beforeAll(async () => {
    run = await scan('short-deadline', ['wedged', 'stalls', 'alpine'], ['--host-deadline', String(DEADLINE_SECONDS)]);
    console.info(`CLI scan of wedged + stalls + alpine at --host-deadline ${DEADLINE_SECONDS}: ${run.seconds.toFixed(1)} s`);
  }, (DEADLINE_SECONDS + MARGIN_SECONDS + 60) * 1000);

  it('exits 4 (hosts not fully read) within the deadline and a small margin, with the report written', () => {
    expect(run.code).toBe(4);
    expect(run.seconds).toBeLessThan(DEADLINE_SECONDS + MARGIN_SECONDS);
    expect(run.report.hosts.map((inventory) => inventory.name)).toEqual(['wedged', 'stalls', 'alpine']);
  });

  it('reports the healthy host complete, as if it had been scanned alone', () => {
    const alpine = host(run, 'alpine');

    expect(alpine.status).toBe('ok');
    expect(alpine.error).toBeUndefined();
    expect(alpine.facts?.hostname).toBe('alpine');
    expect(packagesOf(alpine)).toEqual(specPackages('alpine'));
    expect(alpine.secrets).toBeDefined();
  });

  it('reports the wedged host as an error with a note naming the phase it never answered and how long it waited', () => {
    const wedged = host(run, 'wedged');

    expect(wedged.status).toBe('error');
    expect(wedged.facts).toBeNull();
    expect(wedged.error).toMatch(/^host deadline reached: gave up on the host in the facts phase, after waiting (1\d|20) s for an answer \(\d+ s after its scan started\); nothing was read from it$/);
    expect(wedged.notes).toContainEqual({ collector: 'deadline', message: wedged.error });
  });

  it('keeps what the stalling host gave before its key search hung: facts and packages, and the finding they make', () => {
    const stalls = host(run, 'stalls');

    expect(stalls.status).toBe('partial');
    expect(stalls.facts?.hostname).toBe('stalls');
    expect(packagesOf(stalls)).toEqual(specPackages('stalls'));
    expect(stalls.secrets).toBeUndefined();
    expect(stalls.error).toMatch(/^host deadline reached: gave up on the host in the keys phase, after waiting \d+ s for an answer .*; what was read before is kept$/);
    expect(stalls.notes).toContainEqual({ collector: 'deadline', message: stalls.error });
    expect(run.report.findings).toContainEqual(expect.objectContaining({ kind: 'compromised-package', host: 'stalls', package: 'litellm', version: '1.82.8' }));
  });

  it('says on stderr which phase is waiting on which host while it waits', () => {
    expect(run.stderr).toMatch(/^waiting on wedged: facts phase, 1\d s \(given up on in \d+ s\)$/m);
    expect(run.stderr).toMatch(/^waiting on stalls: keys phase, \d+ s \(given up on in \d+ s\)$/m);
  });

  it('starts no interpreter on any host', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
  });
});

describe('blast-radius scan at the default host deadline with the wedged host beside the healthy one', () => {
  let run: CliRun;
  beforeAll(async () => {
    run = await scan('default-deadline', ['wedged', 'alpine'], []);
    console.info(`CLI scan of wedged + alpine at the default host deadline: ${run.seconds.toFixed(1)} s`);
  }, 120_000);

  it('gives up on the wedged host after its first silent timeout and the unanswered check, long before the 300 s deadline', () => {
    const wedged = host(run, 'wedged');

    // 4: the wedged host was not fully read.
    expect(run.code).toBe(4);
    expect(run.seconds).toBeLessThan(30 + 5 + MARGIN_SECONDS);
    expect(wedged.status).toBe('error');
    expect(wedged.error).toBe(
      'the host stopped answering in the facts phase: a command got no answer for 30 s and a check sent after it got none either; gave up on it and closed its connection; nothing was read from it',
    );
    expect(host(run, 'alpine').status).toBe('ok');
  });
});
