/**
 * `npm run bench`: starts a generated lab (default 8 hosts × 20 running containers × 500
 * distributions per site folder), then measures side by side, in the same run, N times (median):
 *
 *   a. a full scan (runScan with the production collectors, concurrency 4 and 8) against a serial
 *      loop of `ssh -F <lab ssh_config> HOST true` over the same hosts (system OpenSSH);
 *   b. the product's Python collector on one site folder of D distributions against
 *      `ssh HOST pip list --path SITE --format json`, on a non-chrooted host where this machine's
 *      real python3 and pip run (never on a lab host: those are booby-trapped).
 *
 * Ratios are ours ÷ peer: below 1 the product is faster. A benchmark, not a test: it asserts only
 * that the scan read the whole lab (a fast scan that skipped hosts would measure nothing) and that
 * no trap was tripped. Options: --runs N, --hosts N, --containers N, --dists N, --concurrency 4,8,
 * --no-pip. Needs root, like the lab.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import type { ScanReport } from '../../shared/model/index.js';
import { collectHost } from '../../electron/scan/collect-host.js';
import { collectHostPython } from '../../electron/collectors/python-collector.js';
import { SshHostDirectory } from '../../electron/hosts/host-directory.js';
import { runScan } from '../../electron/scan/run-scan.js';
import { loadSshConfig } from '../../electron/ssh/ssh-config.js';
import { openSshSession, type SshSession } from '../../electron/ssh/ssh-session.js';
import { startLab, type Lab } from '../lab/lab.js';
import { BENCH_LAB_DEFAULTS, benchDistributions, generateBenchLab, writeBenchSites, type BenchLab } from './bench-lab.js';
import { PIP_HOST, startPipHost, type PipHost } from './pip-host.js';

/** One measured pair: the product's time and its peer's, in milliseconds (medians over the runs). */
interface BenchRow {
  what: string;
  ours: number;
  peer: number | null;
  /** Why the peer has no figure (e.g. no pip on this machine). */
  note?: string;
}

interface BenchOptions {
  runs: number;
  hosts: number;
  containersPerHost: number;
  distributionsPerSite: number;
  concurrency: number[];
  pip: boolean;
}

const SSH_TIMEOUT_MS = 120_000;

function readOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '3' },
      hosts: { type: 'string', default: String(BENCH_LAB_DEFAULTS.hosts) },
      containers: { type: 'string', default: String(BENCH_LAB_DEFAULTS.containersPerHost) },
      dists: { type: 'string', default: String(BENCH_LAB_DEFAULTS.distributionsPerSite) },
      concurrency: { type: 'string', default: '4,8' },
      'no-pip': { type: 'boolean', default: false },
    },
  });
  const whole = (name: string, text: string, min: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} wants a whole number ≥ ${min}, not ${text}`);
    return value;
  };
  return {
    runs: whole('runs', values.runs, 1),
    hosts: whole('hosts', values.hosts, 1),
    containersPerHost: whole('containers', values.containers, 0),
    distributionsPerSite: whole('dists', values.dists, 1),
    concurrency: values.concurrency.split(',').map((part) => whole('concurrency', part.trim(), 1)),
    pip: !values['no-pip'],
  };
}

/** Middle value (mean of the two middle ones for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** The system OpenSSH client; rejects with its stderr when it fails, so a broken peer is never timed as fast. */
function ssh(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ssh', args, { timeout: SSH_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`ssh ${args.join(' ')} failed: ${stderr.trim().split('\n').pop() || error.message}`));
      else resolve(stdout);
    });
  });
}

async function serialSshLoop(lab: Lab, hosts: readonly string[]): Promise<void> {
  for (const host of hosts) await ssh(['-F', lab.sshConfigPath, host, 'true']);
}

async function fullScan(lab: Lab, hosts: readonly string[], concurrency: number, knownHostsFile: string): Promise<ScanReport> {
  const directory = new SshHostDirectory({
    sshConfigPath: lab.sshConfigPath,
    sshConfigOptional: false,
    store: null,
    appKnownHostsFile: knownHostsFile,
    hostKeyPolicy: 'strict',
    includeLocal: false,
  });
  const signal = new AbortController().signal;
  const targets = await directory.targets(hosts, null, signal);
  return runScan(targets, { index: bundledAdvisoryIndex(), collect: collectHost, concurrency, signal });
}

/** Throws unless every host was read completely: a scan that skipped work must not count as fast. */
function checkScan(report: ScanReport, bench: BenchLab, options: BenchOptions): void {
  const problems: string[] = [];
  for (const host of report.hosts) {
    const packages = host.pythonEnvironments.reduce((sum, environment) => sum + environment.packages.length, 0);
    const expected = options.distributionsPerSite * (1 + options.containersPerHost);
    if (host.status !== 'ok') problems.push(`${host.name}: ${host.status} (${host.error ?? 'no message'})`);
    else if (host.containers.length !== options.containersPerHost || packages !== expected) {
      problems.push(`${host.name}: ${host.containers.length} containers, ${packages} packages (expected ${options.containersPerHost}, ${expected})`);
    }
  }
  if (report.hosts.length !== bench.hosts.length) problems.push(`${report.hosts.length} hosts in the report, ${bench.hosts.length} in the lab`);
  const flagged = report.findings.filter((finding) => finding.kind === 'compromised-package').length;
  if (options.containersPerHost > 0 && flagged < bench.hosts.length) problems.push(`${flagged} compromised-package findings, expected one per host`);
  if (problems.length) throw new Error(`the scan did not read the whole lab:\n  ${problems.join('\n  ')}`);
}

async function connectPipHost(pipHost: PipHost): Promise<SshSession> {
  const host = loadSshConfig(pipHost.sshConfigPath).resolve(PIP_HOST);
  return openSshSession({ host, hostKeyPolicy: 'strict', agentSocket: null });
}

async function collectOnce(session: SshSession, pipHost: PipHost, expected: number): Promise<void> {
  const collection = await collectHostPython(session, undefined, pipHost.root);
  const found = collection.environments.reduce((sum, environment) => sum + environment.packages.length, 0);
  if (found !== expected) throw new Error(`the collector read ${found} distributions on ${PIP_HOST}, expected ${expected}`);
}

async function pipListOnce(args: string[], pipHost: PipHost, expected: number): Promise<void> {
  const listed = JSON.parse(await ssh([...args, PIP_HOST, 'pip', 'list', '--path', pipHost.sitePath, '--format', 'json'])) as unknown[];
  if (listed.length !== expected) throw new Error(`pip listed ${listed.length} distributions on ${PIP_HOST}, expected ${expected}`);
}

/** Measures the inventory pair on the pip host: over open connections, then each with its own connection. */
async function measureInventory(pipHost: PipHost, options: BenchOptions, controlPath: string): Promise<BenchRow[]> {
  const base = ['-F', pipHost.sshConfigPath];
  const check = await ssh([...base, PIP_HOST, 'python3 -m pip --version; command -v pip']).catch((error: Error) => error);
  const label = `one site folder of ${options.distributionsPerSite} distributions`;
  if (check instanceof Error) {
    const note = `pip peer skipped: \`python3 -m pip --version\` failed on ${PIP_HOST} (${check.message})`;
    return [{ what: `inventory, ${label}`, ours: NaN, peer: null, note }];
  }
  console.error(`pip host: ${check.trim().replace(/\n/g, '; ')}`);

  const expected = options.distributionsPerSite;
  const multiplexed = [...base, '-o', `ControlPath=${controlPath}`];
  // The peer's open connection: an OpenSSH master that later `ssh` calls reuse, as ours reuses its ssh2 session.
  await ssh([...multiplexed, '-o', 'ControlMaster=yes', '-o', 'ControlPersist=yes', '-f', '-N', PIP_HOST]);
  const session = await connectPipHost(pipHost);
  const samples = { oursOpen: [] as number[], pipOpen: [] as number[], oursFresh: [] as number[], pipFresh: [] as number[] };
  try {
    // A warm-up of each, untimed: the first pip start pays for reading its own modules from disk.
    await collectOnce(session, pipHost, expected);
    await pipListOnce(multiplexed, pipHost, expected);
    for (let run = 0; run < options.runs; run++) {
      samples.oursOpen.push((await timed(() => collectOnce(session, pipHost, expected))).ms);
      samples.pipOpen.push((await timed(() => pipListOnce(multiplexed, pipHost, expected))).ms);
      samples.oursFresh.push(
        (
          await timed(async () => {
            const fresh = await connectPipHost(pipHost);
            try {
              await collectOnce(fresh, pipHost, expected);
            } finally {
              await fresh.close();
            }
          })
        ).ms,
      );
      samples.pipFresh.push((await timed(() => pipListOnce(base, pipHost, expected))).ms);
    }
  } finally {
    await session.close();
    await ssh([...multiplexed, '-O', 'exit', PIP_HOST]).catch(() => undefined);
  }
  return [
    { what: `inventory, ${label}, open connection`, ours: median(samples.oursOpen), peer: median(samples.pipOpen) },
    { what: `inventory, ${label}, new connection`, ours: median(samples.oursFresh), peer: median(samples.pipFresh) },
  ];
}

async function machineFacts(loadAtStart: number): Promise<string[]> {
  const cpus = os.cpus();
  const openssh = await new Promise<string>((resolve) =>
    execFile('ssh', ['-V'], (_error, stdout, stderr) => resolve(`${stdout}${stderr}`.trim().split(',')[0] ?? 'unknown')),
  );
  // ssh2 falls back to pure-JS crypto when its addon did not build: about 2x slower handshakes.
  const ssh2Dir = path.dirname(createRequire(import.meta.url).resolve('ssh2/package.json'));
  const nativeCrypto = existsSync(path.join(ssh2Dir, 'lib', 'protocol', 'crypto', 'build', 'Release', 'sshcrypto.node'));
  return [
    `cores: ${cpus.length} (${cpus[0]?.model.trim() ?? 'unknown model'}), memory ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
    `node ${process.version}, ${openssh}, ssh2 crypto ${nativeCrypto ? 'native' : 'pure JS'}`,
    // Other work on the machine skews both columns; the load average says whether there was any.
    `load average (1 min): ${loadAtStart.toFixed(2)} when measuring began, ${os.loadavg()[0]!.toFixed(2)} at the end`,
  ];
}

/** Renders the table: what, ours (ms), peer (ms), ratio (ours ÷ peer). */
function renderTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((row) => [
    row.what,
    Number.isNaN(row.ours) ? '–' : row.ours.toFixed(0),
    row.peer === null ? '–' : row.peer.toFixed(0),
    row.peer === null || Number.isNaN(row.ours) ? '–' : `${(row.ours / row.peer).toFixed(2)}`,
  ]);
  const header = ['what', 'ours (ms)', 'peer (ms)', 'ratio'];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column]!.length)));
  const line = (cell: string[]) => cell.map((text, column) => (column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!))).join('  ');
  const notes = rows.filter((row) => row.note).map((row) => `note: ${row.note}`);
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.map(line), ...notes].join('\n');
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  // Only the lab's key may be offered: a developer's agent would add keys, round trips and prompts to both sides.
  delete process.env.SSH_AUTH_SOCK;

  const work = await mkdtemp(path.join(os.tmpdir(), 'blast-radius-bench-'));
  // The pip host's unprivileged user reads the site folder in here (mkdtemp makes it 0700).
  await chmod(work, 0o755);
  const interrupt = new AbortController();
  // Kept as promises, so an interruption while the lab is still being built waits for it and stops it.
  let building: Promise<Lab> | null = null;
  let pipHost: PipHost | null = null;
  let cleaning: Promise<void> | null = null;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      interrupt.abort();
      const lab = await building?.catch(() => null);
      if (lab) console.error('removing the lab (about a minute per 50,000 distributions: half a million files)');
      await pipHost?.sshd.stop().catch(() => undefined);
      // Also stops a pip host still starting: its state folder is inside the lab's run folder.
      await lab?.stop().catch((error: Error) => console.error(`stopping the lab: ${error.message}`));
      await rm(work, { recursive: true, force: true });
    })());
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.once(name, () => {
      console.error(`\n${name}: stopping the lab`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    const size = { hosts: options.hosts, containersPerHost: options.containersPerHost, distributionsPerSite: options.distributionsPerSite };
    const bench = await generateBenchLab(path.join(work, 'fixtures'), size);
    console.error(`building the lab: ${bench.hosts.length} hosts, ${bench.containers} containers, ${bench.distributions} distributions…`);
    const built = await timed(async () => {
      building = startLab({ hosts: bench.emptyHosts, dockerFixtures: bench.dockerFixtures }).then(async (started) => {
        await writeBenchSites(started, bench.hosts, interrupt.signal);
        return started;
      });
      return building;
    });
    const lab = built.value;
    console.error(`lab up in ${(built.ms / 1000).toFixed(1)} s (${lab.runDir})`);
    const loadAtStart = os.loadavg()[0]!;
    const hosts = bench.hosts.map((host) => host.name);

    const samples = { loop: [] as number[], scans: new Map(options.concurrency.map((c) => [c, [] as number[]])) };
    for (let run = 0; run < options.runs; run++) {
      // Interleaved, so drift (page cache, thermal, other load) hits both sides alike.
      samples.loop.push((await timed(() => serialSshLoop(lab, hosts))).ms);
      for (const concurrency of options.concurrency) {
        const { ms, value } = await timed(() => fullScan(lab, hosts, concurrency, path.join(work, 'known_hosts')));
        checkScan(value, bench, options);
        samples.scans.get(concurrency)!.push(ms);
        console.error(`run ${run + 1}/${options.runs}: scan at concurrency ${concurrency} ${(ms / 1000).toFixed(1)} s, ssh loop ${samples.loop.at(-1)!.toFixed(0)} ms`);
      }
    }
    const rows: BenchRow[] = options.concurrency.map((concurrency) => ({
      what: `full scan, concurrency ${concurrency} vs serial \`ssh HOST true\` loop`,
      ours: median(samples.scans.get(concurrency)!),
      peer: median(samples.loop),
    }));

    if (options.pip) {
      pipHost = await startPipHost(lab, path.join(work, 'pip-root'), work, benchDistributions(options.distributionsPerSite, 0));
      rows.push(...(await measureInventory(pipHost, options, path.join(work, 'cm'))));
    } else {
      rows.push({ what: 'inventory vs pip list', ours: NaN, peer: null, note: 'pip peer skipped: --no-pip' });
    }

    const traps = await lab.trippedTraps();
    if (traps.length) throw new Error(`booby traps tripped during the benchmark: ${traps.map((hit) => `${hit.host} ${hit.line}`).join('; ')}`);

    console.log(
      [
        `Blast Radius benchmark: ${bench.hosts.length} hosts, ${bench.containers} running containers, ${bench.distributions} distributions (${options.distributionsPerSite} per site folder)`,
        `medians of ${options.runs} runs; ratio = ours ÷ peer (below 1: ours is faster)`,
        ...(await machineFacts(loadAtStart)),
        '',
        renderTable(rows),
      ].join('\n'),
    );
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
