/**
 * `npm run bench`: measures the product side by side with its peers, in the same run, on two labs:
 *
 *   - the stand-in lab (default 8 hosts × 20 running containers × 500 distributions per site
 *     folder; the last 2 hosts clean) and
 *   - the real-engine lab (e2e/lab/engines.ts: its own dockerd and Podman, hosts gw, ollama, podgw).
 *
 * On each: a full scan (runScan with the production collectors) against a serial loop of
 * `ssh -F <lab ssh_config> HOST true` over the same hosts (system OpenSSH); the time each host
 * spent per phase, taken from the scan's own progress events; round trips (exec channels) per
 * host, counted by wrapping each target's connection; the CLI's peak memory, running the built
 * CLI as a child process. On the stand-in lab's clean hosts only: a full scan of them against
 * Ansible's `setup` over them (it starts the target's Python, so it is refused on any host the
 * scan found a compromised package on). On a separate, never-chrooted host: the product's Python
 * collector on one site folder against `pip list` on the same folder (pip-host.ts).
 *
 * Ratios are ours ÷ peer: below 1 the product is faster. Ends with each goal of issue 14 and
 * whether it holds. A benchmark, not a test: it asserts only that the scans read the whole lab and
 * that no trap was tripped. Options: --runs N, --hosts N, --clean N, --containers N, --dists N,
 * --concurrency 4,8, --no-pip, --no-ansible, --no-engines, --no-cli, --no-build. Needs root.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import type { ScanReport } from '../../shared/model/index.js';
import { collectHost } from '../../electron/scan/collect-host.js';
import { collectHostPython } from '../../electron/collectors/python-collector.js';
import { SshHostDirectory } from '../../electron/hosts/host-directory.js';
import { runScan } from '../../electron/scan/run-scan.js';
import type { ScanTarget } from '../../electron/scan/scan-hosts.js';
import { loadSshConfig } from '../../electron/ssh/ssh-config.js';
import { openSshSession, type SshSession } from '../../electron/ssh/ssh-session.js';
import { startLab, type Lab } from '../lab/lab.js';
import { startEngineLab, type EngineLab } from '../lab/engines.js';
import { BENCH_LAB_DEFAULTS, benchDistributions, generateBenchLab, writeBenchSites, type BenchLab } from './bench-lab.js';
import {
  median,
  parsePeakRss,
  parseVmHwm,
  phaseSpans,
  type ScriptSpan,
  ratioOf,
  refuseUnlessClean,
  renderGoals,
  renderPhases,
  renderRoundTripKinds,
  renderRoundTrips,
  scriptKind,
  renderTable,
  type BenchRow,
  type Goal,
  type StampedProgress,
} from './bench-report.js';
import { installCleanPython } from './clean-python.js';
import { PIP_HOST, startPipHost, type PipHost } from './pip-host.js';

interface BenchOptions {
  runs: number;
  hosts: number;
  cleanHosts: number;
  containersPerHost: number;
  distributionsPerSite: number;
  concurrency: number[];
  pip: boolean;
  ansible: boolean;
  engines: boolean;
  cli: boolean;
  build: boolean;
}

/** What one lab's section measured, for the goals at the end. */
interface LabFigures {
  rows: BenchRow[];
  /** The full scan's ratio to the ssh loop at each concurrency. */
  loopRatios: Map<number, number | null>;
  cliPeakBytes: number | null;
  cliNote?: string;
}

const SSH_TIMEOUT_MS = 120_000;
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(REPO, 'dist', 'electron', 'cli', 'main.js');
const GNU_TIME = '/usr/bin/time';

function readOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '3' },
      hosts: { type: 'string', default: String(BENCH_LAB_DEFAULTS.hosts) },
      clean: { type: 'string', default: String(BENCH_LAB_DEFAULTS.cleanHosts) },
      containers: { type: 'string', default: String(BENCH_LAB_DEFAULTS.containersPerHost) },
      dists: { type: 'string', default: String(BENCH_LAB_DEFAULTS.distributionsPerSite) },
      concurrency: { type: 'string', default: '4,8' },
      'no-pip': { type: 'boolean', default: false },
      'no-ansible': { type: 'boolean', default: false },
      'no-engines': { type: 'boolean', default: false },
      'no-cli': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
    },
  });
  const whole = (name: string, text: string, min: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} wants a whole number ≥ ${min}, not ${text}`);
    return value;
  };
  const hosts = whole('hosts', values.hosts, 1);
  const cleanHosts = whole('clean', values.clean, 0);
  if (cleanHosts > hosts) throw new Error(`--clean ${cleanHosts} is more than --hosts ${hosts}`);
  return {
    runs: whole('runs', values.runs, 1),
    hosts,
    cleanHosts,
    containersPerHost: whole('containers', values.containers, 0),
    distributionsPerSite: whole('dists', values.dists, 1),
    concurrency: values.concurrency.split(',').map((part) => whole('concurrency', part.trim(), 1)),
    pip: !values['no-pip'],
    ansible: !values['no-ansible'],
    engines: !values['no-engines'],
    cli: !values['no-cli'],
    build: !values['no-build'],
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** Runs a program; rejects with the last line of its stderr when it fails, so a broken peer is never timed as fast. */
function runProgram(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: SSH_TIMEOUT_MS * 5, maxBuffer: 256 * 1024 * 1024, ...(env ? { env } : {}) }, (error, stdout, stderr) => {
      const last = `${stderr}`.trim().split('\n').pop() || `${stdout}`.trim().split('\n').pop();
      if (error) reject(new Error(`${path.basename(file)} failed: ${last || error.message}`));
      else resolve(stdout);
    });
  });
}

/** The system OpenSSH client. */
function ssh(args: string[]): Promise<string> {
  return runProgram('ssh', args);
}

async function serialSshLoop(sshConfigPath: string, hosts: readonly string[]): Promise<void> {
  for (const host of hosts) await ssh(['-F', sshConfigPath, host, 'true']);
}

/** What an instrumented scan saw besides its report: progress events, stamped, and script channels per host. */
interface ScanProbe {
  events: StampedProgress[];
  roundTrips: Map<string, number>;
  /** Round trips by kind of script (scriptKind), over all hosts. */
  kinds: Map<string, number>;
  /** Each script's span, labelled with the phase the scan gave it (phases of a host run side by side). */
  spans: ScriptSpan[];
}

/**
 * Wraps each target's connection so every script it runs is counted for its host: each
 * `runScript` opens one exec channel, i.e. one round trip. Production code is untouched.
 */
function countingTargets(targets: readonly ScanTarget[], probe: ScanProbe): ScanTarget[] {
  return targets.map((target) => ({
    name: target.name,
    address: target.address,
    connect: async (signal) => {
      const connection = await target.connect(signal);
      probe.roundTrips.set(target.name, probe.roundTrips.get(target.name) ?? 0);
      return {
        runScript: (script, options) => {
          probe.roundTrips.set(target.name, (probe.roundTrips.get(target.name) ?? 0) + 1);
          const kind = scriptKind(script);
          probe.kinds.set(kind, (probe.kinds.get(kind) ?? 0) + 1);
          const start = performance.now();
          const span = () => probe.spans.push({ host: target.name, phase: options?.phase ?? 'unlabelled', start, end: performance.now() });
          return connection.runScript(script, options).finally(span);
        },
        close: () => connection.close(),
      };
    },
  }));
}

async function fullScan(sshConfigPath: string, hosts: readonly string[], concurrency: number, knownHostsFile: string, probe?: ScanProbe): Promise<ScanReport> {
  const directory = new SshHostDirectory({
    sshConfigPath,
    sshConfigOptional: false,
    store: null,
    appKnownHostsFile: knownHostsFile,
    hostKeyPolicy: 'strict',
    includeLocal: false,
  });
  const signal = new AbortController().signal;
  const targets = await directory.targets(hosts, null, signal);
  return runScan(probe ? countingTargets(targets, probe) : targets, {
    index: bundledAdvisoryIndex(),
    collect: collectHost,
    concurrency,
    signal,
    ...(probe ? { onProgress: (progress) => probe.events.push({ ...progress, at: performance.now() }) } : {}),
  });
}

/** Throws unless every host was read completely: a scan that skipped work must not count as fast. */
function checkBenchScan(report: ScanReport, bench: BenchLab, options: BenchOptions, hosts: readonly string[]): void {
  const problems: string[] = [];
  for (const host of report.hosts) {
    const packages = host.pythonEnvironments.reduce((sum, environment) => sum + environment.packages.length, 0);
    const expected = options.distributionsPerSite * (1 + options.containersPerHost);
    if (host.status !== 'ok') problems.push(`${host.name}: ${host.status} (${host.error ?? 'no message'})`);
    else if (host.containers.length !== options.containersPerHost || packages !== expected) {
      problems.push(`${host.name}: ${host.containers.length} containers, ${packages} packages (expected ${options.containersPerHost}, ${expected})`);
    }
  }
  if (report.hosts.length !== hosts.length) problems.push(`${report.hosts.length} hosts in the report, ${hosts.length} scanned`);
  const flaggedHosts = new Set(report.findings.filter((finding) => finding.kind === 'compromised-package').map((finding) => finding.host));
  for (const name of hosts) {
    const shouldBeFlagged = bench.compromisedHosts.includes(name) && options.containersPerHost > 0;
    if (shouldBeFlagged !== flaggedHosts.has(name)) problems.push(`${name}: ${flaggedHosts.has(name) ? 'a' : 'no'} compromised-package finding, expected ${shouldBeFlagged ? 'one' : 'none'}`);
  }
  if (problems.length) throw new Error(`the scan did not read the whole lab:\n  ${problems.join('\n  ')}`);
}

/** Throws unless each real-engine host was read and gw's engine answered with its containers. */
function checkEngineScan(report: ScanReport, lab: EngineLab): void {
  const problems: string[] = [];
  for (const name of Object.keys(lab.hosts)) {
    const host = report.hosts.find((candidate) => candidate.name === name);
    if (!host || (host.status !== 'ok' && host.status !== 'partial')) problems.push(`${name}: ${host?.status ?? 'missing'} (${host?.error ?? ''})`);
    const expected = Object.values(lab.containers).filter((container) => container.host === name).length;
    if (host && host.containers.length !== expected) problems.push(`${name}: ${host.containers.length} containers, expected ${expected}`);
  }
  if (!report.findings.some((finding) => finding.kind === 'compromised-package' && finding.host === 'gw')) problems.push('gw: the compromised litellm was not found');
  if (problems.length) throw new Error(`the scan did not read the real-engine lab:\n  ${problems.join('\n  ')}`);
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
    return [{ what: `inventory vs pip list, ${label}, open connection`, ours: NaN, peer: null, note }];
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
    { what: `inventory vs pip list, ${label}, open connection`, ours: median(samples.oursOpen), peer: median(samples.pipOpen) },
    { what: `inventory vs pip list, ${label}, new connection`, ours: median(samples.oursFresh), peer: median(samples.pipFresh) },
  ];
}

/** Whether the `ansible` command is on PATH (Debian's `ansible` package); its version line when it is. */
async function ansibleVersion(): Promise<string | null> {
  return runProgram('ansible', ['--version']).then(
    (out) => out.split('\n')[0]?.trim() ?? 'ansible',
    () => null,
  );
}

/**
 * Ansible's `setup` (fact gathering) over the clean hosts, forks = hosts, pipelining on (its fastest
 * setting) and a fresh ControlPath folder each run, so it pays for its connections as the scan does.
 * The interpreter is the clean hosts' own, named by path.
 */
async function ansibleSetupOnce(work: string, sshConfigPath: string, hosts: readonly string[], interpreter: string, run: number): Promise<void> {
  const dir = path.join(work, `ansible-${run}`);
  await mkdir(dir, { recursive: true });
  const inventory = path.join(dir, 'inventory.ini');
  await writeFile(
    inventory,
    `[clean]\n${hosts.join('\n')}\n\n[clean:vars]\nansible_python_interpreter=${interpreter}\nansible_ssh_common_args='-F ${sshConfigPath}'\n`,
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    ANSIBLE_CONFIG: path.join(dir, 'none.cfg'),
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_SSH_CONTROL_PATH_DIR: path.join(dir, 'cp'),
    ANSIBLE_LOCAL_TEMP: path.join(dir, 'tmp'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
  };
  const out = await runProgram('ansible', ['clean', '-i', inventory, '-m', 'setup', '--forks', String(hosts.length), '-o'], env);
  // SUCCESS and the host's own name among the facts (each lab sshd has its own UTS namespace): facts were really gathered there.
  const succeeded = hosts.filter((host) => new RegExp(`^${host} \\| SUCCESS => .*"ansible_hostname": "${host}"`, 'm').test(out));
  if (succeeded.length !== hosts.length) throw new Error(`ansible setup did not succeed on every clean host:\n${out.slice(0, 2000)}`);
  // The masters Ansible leaves behind (ControlPersist): stopped, so the next run connects anew.
  for (const host of hosts) await ssh(['-F', sshConfigPath, '-o', `ControlPath=${path.join(dir, 'cp')}/%C`, '-O', 'exit', host]).catch(() => undefined);
}

/**
 * Runs the built CLI over every host of a lab as a child process and returns its peak RSS in bytes:
 * from GNU time's `-v` when /usr/bin/time exists, else by polling VmHWM in /proc/PID/status.
 */
async function cliPeakMemory(sshConfigPath: string, work: string, label: string, concurrency: number): Promise<{ bytes: number | null; ms: number; note?: string }> {
  if (!existsSync(CLI)) return { bytes: null, ms: NaN, note: `${CLI} missing (run without --no-build)` };
  const state = path.join(work, `cli-${label}`);
  await mkdir(state, { recursive: true });
  const cliArgs = [CLI, 'scan', '--ssh-config', sshConfigPath, '--all', '--concurrency', String(concurrency), '--json', path.join(state, 'report.json')];
  const useTime = existsSync(GNU_TIME);
  const [file, args] = useTime ? [GNU_TIME, ['-v', process.execPath, ...cliArgs]] : [process.execPath, cliArgs];
  const env = { ...process.env, XDG_STATE_HOME: state, SSH_AUTH_SOCK: '' };
  const started = performance.now();
  const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-64 * 1024);
  });
  let polled: number | null = null;
  const poll = useTime
    ? null
    : setInterval(() => {
        void readFile(`/proc/${child.pid}/status`, 'utf8').then(
          (status) => {
            const value = parseVmHwm(status);
            if (value !== null) polled = Math.max(polled ?? 0, value);
          },
          () => undefined,
        );
      }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (poll) clearInterval(poll);
  const ms = performance.now() - started;
  // Exit 0 (scan ran) or 1 (--fail-on reached: not given here, but harmless); anything else is a broken run.
  if (code !== 0 && code !== 1) return { bytes: null, ms, note: `the CLI exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}` };
  const bytes = useTime ? parsePeakRss(stderr) : polled;
  return bytes === null ? { bytes, ms, note: 'no peak RSS reported' } : { bytes, ms, note: useTime ? 'GNU time -v' : 'VmHWM polled every 50 ms' };
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
    `node ${process.version}, ${openssh}, ssh2 crypto ${nativeCrypto ? 'native' : 'pure JS'}, ${(await ansibleVersion()) ?? 'no ansible'}`,
    // Other work on the machine skews both columns; the load average says whether there was any.
    `load average (1 min): ${loadAtStart.toFixed(2)} when measuring began, ${os.loadavg()[0]!.toFixed(2)} at the end`,
  ];
}

/**
 * Interleaved runs of the ssh loop and the full scan at each concurrency over `hosts`; the last
 * scan at the highest concurrency is instrumented (phases, round trips). Returns the rows, the
 * ratios, the probe and the last report.
 */
async function measureScanVsLoop(
  title: string,
  sshConfigPath: string,
  hosts: readonly string[],
  options: BenchOptions,
  knownHostsFile: string,
  check: (report: ScanReport) => void,
): Promise<{ rows: BenchRow[]; ratios: Map<number, number | null>; probe: ScanProbe; report: ScanReport }> {
  const loop: number[] = [];
  const scans = new Map(options.concurrency.map((c) => [c, [] as number[]]));
  const top = Math.max(...options.concurrency);
  let probe: ScanProbe = { events: [], roundTrips: new Map(), kinds: new Map(), spans: [] };
  let last: ScanReport | null = null;
  for (let run = 0; run < options.runs; run++) {
    // Interleaved, so drift (page cache, thermal, other load) hits both sides alike.
    loop.push((await timed(() => serialSshLoop(sshConfigPath, hosts))).ms);
    for (const concurrency of options.concurrency) {
      const thisProbe: ScanProbe = { events: [], roundTrips: new Map(), kinds: new Map(), spans: [] };
      const { ms, value } = await timed(() => fullScan(sshConfigPath, hosts, concurrency, knownHostsFile, concurrency === top ? thisProbe : undefined));
      check(value);
      if (concurrency === top) [probe, last] = [thisProbe, value];
      scans.get(concurrency)!.push(ms);
      console.error(`${title} run ${run + 1}/${options.runs}: scan at concurrency ${concurrency} ${(ms / 1000).toFixed(1)} s, ssh loop ${loop.at(-1)!.toFixed(0)} ms`);
    }
  }
  const rows = options.concurrency.map((concurrency) => ({
    what: `${title}: full scan of ${hosts.length} hosts, concurrency ${concurrency} vs serial \`ssh HOST true\` loop`,
    ours: median(scans.get(concurrency)!),
    peer: median(loop),
  }));
  return { rows, ratios: new Map(rows.map((row, index) => [options.concurrency[index]!, ratioOf(row)])), probe, report: last! };
}

/** The full scan of the clean hosts against Ansible's `setup` over them, interleaved; each scan re-checks they are clean before Ansible runs. */
async function measureAnsible(lab: Lab, bench: BenchLab, options: BenchOptions, work: string, knownHosts: string, version: string): Promise<BenchRow> {
  const clean = bench.cleanHosts;
  const interpreters = await Promise.all(clean.map((host) => installCleanPython(lab.rootOf(host))));
  const ours: number[] = [];
  const peer: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const { ms, value } = await timed(() => fullScan(lab.sshConfigPath, clean, clean.length, knownHosts));
    checkBenchScan(value, bench, options, clean);
    refuseUnlessClean(clean, bench.cleanHosts, value);
    ours.push(ms);
    peer.push((await timed(() => ansibleSetupOnce(work, lab.sshConfigPath, clean, interpreters[0]!, run))).ms);
    console.error(`stand-in run ${run + 1}/${options.runs}: clean hosts scanned in ${(ms / 1000).toFixed(1)} s, ansible setup ${(peer.at(-1)! / 1000).toFixed(1)} s`);
  }
  return { what: `stand-in: ${clean.length} clean hosts (${clean.join(', ')}), full scan vs ansible setup (${version})`, ours: median(ours), peer: median(peer) };
}

/** The stand-in lab's section: scan vs ssh loop, phases, round trips, Ansible on the clean hosts, CLI memory. */
async function standInSection(lab: Lab, bench: BenchLab, options: BenchOptions, work: string, out: string[]): Promise<LabFigures> {
  const hosts = bench.hosts.map((host) => host.name);
  const knownHosts = path.join(work, 'known_hosts');
  const measured = await measureScanVsLoop('stand-in', lab.sshConfigPath, hosts, options, knownHosts, (report) => checkBenchScan(report, bench, options, hosts));
  const rows = [...measured.rows];

  const clean = bench.cleanHosts;
  const version = options.ansible ? await ansibleVersion() : null;
  if (!options.ansible) rows.push({ what: 'stand-in: clean hosts, full scan vs ansible setup', ours: NaN, peer: null, note: 'ansible skipped: --no-ansible' });
  else if (!version) rows.push({ what: 'stand-in: clean hosts, full scan vs ansible setup', ours: NaN, peer: null, note: 'ansible not installed: skipped (apt-get install ansible)' });
  else {
    const refusal = (() => {
      try {
        refuseUnlessClean(clean, bench.cleanHosts, measured.report);
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    })();
    if (refusal) rows.push({ what: 'stand-in: clean hosts, full scan vs ansible setup', ours: NaN, peer: null, note: refusal });
    else rows.push(await measureAnsible(lab, bench, options, work, knownHosts, version));
  }

  const cli = options.cli ? await cliPeakMemory(lab.sshConfigPath, work, 'stand-in', Math.max(...options.concurrency)) : { bytes: null, ms: NaN, note: '--no-cli' };
  out.push(
    `stand-in lab: ${bench.hosts.length} hosts (clean: ${clean.join(', ') || 'none'}), ${bench.containers} running containers, ${bench.distributions} distributions (${options.distributionsPerSite} per site folder)`,
    `time per phase, scan at concurrency ${Math.max(...options.concurrency)} (connect from the scan's progress events; the others while one of their scripts ran, phases overlapping):`,
    renderPhases(phaseSpans(measured.probe.spans, measured.probe.events)),
    renderRoundTrips(measured.probe.roundTrips),
    renderRoundTripKinds(measured.probe.kinds),
    `CLI peak memory (scan --all, child process): ${cli.bytes === null ? '–' : `${(cli.bytes / 2 ** 20).toFixed(0)} MB`} in ${(cli.ms / 1000).toFixed(1)} s (${cli.note ?? ''})`,
    '',
  );
  return { rows, loopRatios: measured.ratios, cliPeakBytes: cli.bytes, ...(cli.note ? { cliNote: cli.note } : {}) };
}

/** The real-engine lab's section: scan vs ssh loop, phases, round trips, CLI memory. */
async function engineSection(lab: EngineLab, options: BenchOptions, work: string, out: string[]): Promise<LabFigures> {
  const hosts = Object.keys(lab.hosts).sort();
  const knownHosts = path.join(work, 'known_hosts-engines');
  const measured = await measureScanVsLoop('real engines', lab.sshConfigPath, hosts, options, knownHosts, (report) => checkEngineScan(report, lab));
  const cli = options.cli ? await cliPeakMemory(lab.sshConfigPath, work, 'engines', Math.max(...options.concurrency)) : { bytes: null, ms: NaN, note: '--no-cli' };
  const engines = Object.entries(lab.engines).map(([host, engine]) => `${host}: ${engine.engine}`).join(', ');
  out.push(
    `real-engine lab: hosts ${hosts.join(', ')} (${engines}), ${Object.keys(lab.containers).length} containers`,
    `time per phase, scan at concurrency ${Math.max(...options.concurrency)} (connect from the scan's progress events; the others while one of their scripts ran, phases overlapping):`,
    renderPhases(phaseSpans(measured.probe.spans, measured.probe.events)),
    renderRoundTrips(measured.probe.roundTrips),
    renderRoundTripKinds(measured.probe.kinds),
    `CLI peak memory (scan --all, child process): ${cli.bytes === null ? '–' : `${(cli.bytes / 2 ** 20).toFixed(0)} MB`} in ${(cli.ms / 1000).toFixed(1)} s (${cli.note ?? ''})`,
    '',
  );
  return { rows: measured.rows, loopRatios: measured.ratios, cliPeakBytes: cli.bytes, ...(cli.note ? { cliNote: cli.note } : {}) };
}

/** The goals of issue 14, judged on this run's figures (the best concurrency for the scan ratios). */
function goalsOf(standIn: LabFigures | null, engines: LabFigures | null, rows: readonly BenchRow[], options: BenchOptions): Goal[] {
  const best = (figures: LabFigures | null) => {
    const values = figures ? [...figures.loopRatios.values()].filter((value): value is number => value !== null) : [];
    return values.length ? Math.min(...values) : null;
  };
  const ansible = rows.find((row) => row.what.includes('ansible setup'));
  const pip = rows.find((row) => row.what.includes('pip list') && row.what.endsWith('open connection'));
  return [
    { what: 'stand-in lab: full scan ÷ serial ssh loop', measured: best(standIn), limit: 0.5, unit: 'ratio', skipped: 'not run' },
    { what: 'real engines: full scan ÷ serial ssh loop', measured: best(engines), limit: 0.5, unit: 'ratio', skipped: options.engines ? 'not run' : '--no-engines' },
    { what: 'clean hosts: full scan ÷ ansible setup', measured: ansible ? ratioOf(ansible) : null, limit: 0.25, unit: 'ratio', skipped: ansible?.note ?? 'not run' },
    { what: 'package inventory ÷ pip list (open connection)', measured: pip ? ratioOf(pip) : null, limit: 0.1, unit: 'ratio', skipped: pip?.note ?? (options.pip ? 'not run' : '--no-pip') },
    {
      what: 'CLI peak memory, stand-in bench lab',
      measured: standIn?.cliPeakBytes ?? null,
      limit: 300 * 2 ** 20,
      unit: 'bytes',
      skipped: standIn?.cliNote ?? 'not run',
    },
  ];
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  // Only the lab's key may be offered: a developer's agent would add keys, round trips and prompts to both sides.
  delete process.env.SSH_AUTH_SOCK;
  if (options.build && options.cli) {
    console.error('building the CLI (npm run build:node)…');
    await runProgram('npm', ['run', '--silent', 'build:node']);
  }

  const work = await mkdtemp(path.join(os.tmpdir(), 'blast-radius-bench-'));
  // The pip host's unprivileged user reads the site folder in here (mkdtemp makes it 0700).
  await chmod(work, 0o755);
  const interrupt = new AbortController();
  // Kept as promises, so an interruption while a lab is still being built waits for it and stops it.
  let building: Promise<Lab> | null = null;
  let buildingEngines: Promise<EngineLab> | null = null;
  let pipHost: PipHost | null = null;
  let cleaning: Promise<void> | null = null;
  const stopStandIn = async () => {
    const lab = await building?.catch(() => null);
    building = null;
    if (lab) console.error('removing the stand-in lab (about a minute per 50,000 distributions: half a million files)');
    await pipHost?.sshd.stop().catch(() => undefined);
    pipHost = null;
    // Also stops a pip host still starting: its state folder is inside the lab's run folder.
    await lab?.stop().catch((error: Error) => console.error(`stopping the lab: ${error.message}`));
  };
  const stopEngines = async () => {
    const lab = await buildingEngines?.catch(() => null);
    buildingEngines = null;
    await lab?.stop().catch((error: Error) => console.error(`stopping the real-engine lab: ${error.message}`));
  };
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      interrupt.abort();
      await stopStandIn();
      await stopEngines();
      await rm(work, { recursive: true, force: true });
    })());
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.once(name, () => {
      console.error(`\n${name}: stopping the labs`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    const loadAtStart = os.loadavg()[0]!;
    const out: string[] = [];
    const rows: BenchRow[] = [];

    const size = { hosts: options.hosts, containersPerHost: options.containersPerHost, distributionsPerSite: options.distributionsPerSite, cleanHosts: options.cleanHosts };
    const bench = await generateBenchLab(path.join(work, 'fixtures'), size);
    console.error(`building the stand-in lab: ${bench.hosts.length} hosts, ${bench.containers} containers, ${bench.distributions} distributions…`);
    const built = await timed(async () => {
      building = startLab({ hosts: bench.emptyHosts, dockerFixtures: bench.dockerFixtures }).then(async (started) => {
        await writeBenchSites(started, bench.hosts, interrupt.signal);
        return started;
      });
      return building;
    });
    const lab = built.value;
    console.error(`stand-in lab up in ${(built.ms / 1000).toFixed(1)} s (${lab.runDir})`);
    const standIn = await standInSection(lab, bench, options, work, out);
    rows.push(...standIn.rows);
    if (options.pip) {
      pipHost = await startPipHost(lab, path.join(work, 'pip-root'), work, benchDistributions(options.distributionsPerSite, 0));
      rows.push(...(await measureInventory(pipHost, options, path.join(work, 'cm'))));
    } else {
      rows.push({ what: 'inventory vs pip list, open connection', ours: NaN, peer: null, note: 'pip peer skipped: --no-pip' });
    }
    const traps = await lab.trippedTraps();
    if (traps.length) throw new Error(`booby traps tripped during the benchmark: ${traps.map((hit) => `${hit.host} ${hit.line}`).join('; ')}`);
    await stopStandIn();

    let engines: LabFigures | null = null;
    if (options.engines) {
      console.error('starting the real-engine lab (its own dockerd and Podman)…');
      buildingEngines = startEngineLab({ podman: true });
      const engineLab = await buildingEngines;
      console.error(`real-engine lab up in ${((engineLab.timings.total ?? 0) / 1000).toFixed(1)} s (${engineLab.runDir})`);
      engines = await engineSection(engineLab, options, work, out);
      rows.push(...engines.rows);
      const engineTraps = await engineLab.trippedTraps();
      if (engineTraps.length) throw new Error(`booby traps tripped on the real engines: ${engineTraps.map((hit) => `${hit.host} ${hit.container ?? ''} ${hit.line}`).join('; ')}`);
      await stopEngines();
    }

    console.log(
      [
        `Blast Radius benchmark: medians of ${options.runs} runs; ratio = ours ÷ peer (below 1: ours is faster)`,
        ...(await machineFacts(loadAtStart)),
        '',
        ...out,
        renderTable(rows),
        '',
        renderGoals(goalsOf(standIn, engines, rows, options)),
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
