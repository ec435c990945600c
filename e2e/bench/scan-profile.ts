/**
 * `npx tsx e2e/bench/scan-profile.ts [--hosts N --containers N --dists N --concurrency N]`: where
 * a full scan of a generated bench lab spends its time. Wraps every host's CommandRunner and
 * prints, per kind of script (facts, container list, python, iocs, record…), how many round trips
 * ran and their summed and longest wall time, plus the scan's total. A developer's tool, not a test
 * and not the benchmark: the figures to quote come from `npm run bench`. Needs root, like the lab.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import { collectHost } from '../../electron/scan/collect-host.js';
import type { CommandRunner } from '../../electron/exec/command-runner.js';
import { SshHostDirectory } from '../../electron/hosts/host-directory.js';
import { runScan } from '../../electron/scan/run-scan.js';
import { startLab } from '../lab/lab.js';
import { generateBenchLab, writeBenchSites } from './bench-lab.js';
import { scriptKind } from './bench-report.js';

interface Tally {
  count: number;
  totalMs: number;
  maxMs: number;
}

/** The lab's sshd listeners: every remote script, shell and docker stand-in is their descendant. */
async function labSshdPids(runDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('sshd') && cmdline.includes(runDir)) pids.push(Number(entry));
  }
  return pids;
}

/** CPU time (ms) of the reaped descendants of `pids` (cutime + cstime): the remote side's work once its sessions closed. */
async function reapedCpuMs(pids: readonly number[]): Promise<number> {
  const ticks = 100; // USER_HZ on Linux
  let sum = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: fields[13] = cutime, fields[14] = cstime (stat fields 16 and 17).
    sum += (Number(fields[13] ?? 0) + Number(fields[14] ?? 0)) * (1000 / ticks);
  }
  return sum;
}

/** Busy (non-idle) CPU time of all cores since boot, in ms. */
function machineCpuMs(): number {
  return os.cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hosts: { type: 'string', default: '2' },
      containers: { type: 'string', default: '20' },
      dists: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '4' },
    },
  });
  delete process.env.SSH_AUTH_SOCK;
  const size = { hosts: Number(values.hosts), containersPerHost: Number(values.containers), distributionsPerSite: Number(values.dists) };
  const work = await mkdtemp(path.join(os.tmpdir(), 'blast-radius-profile-'));
  const bench = await generateBenchLab(path.join(work, 'fixtures'), size);
  const lab = await startLab({ hosts: bench.emptyHosts, dockerFixtures: bench.dockerFixtures });
  try {
    await writeBenchSites(lab, bench.hosts);
    const tallies = new Map<string, Tally>();
    const wrap = (runner: CommandRunner): CommandRunner => ({
      async runScript(script, options) {
        const started = performance.now();
        try {
          return await runner.runScript(script, options);
        } finally {
          const ms = performance.now() - started;
          const kind = scriptKind(script);
          const tally = tallies.get(kind) ?? { count: 0, totalMs: 0, maxMs: 0 };
          tally.count++;
          tally.totalMs += ms;
          tally.maxMs = Math.max(tally.maxMs, ms);
          tallies.set(kind, tally);
        }
      },
    });
    const directory = new SshHostDirectory({
      sshConfigPath: lab.sshConfigPath,
      sshConfigOptional: false,
      store: null,
      appKnownHostsFile: path.join(work, 'known_hosts'),
      hostKeyPolicy: 'strict',
      includeLocal: false,
    });
    const signal = new AbortController().signal;
    const targets = await directory.targets(bench.hosts.map((host) => host.name), null, signal);
    const sshds = await labSshdPids(lab.runDir);
    const remoteBefore = await reapedCpuMs(sshds);
    const cpuBefore = machineCpuMs();
    const ownBefore = process.cpuUsage();
    const started = performance.now();
    const report = await runScan(targets, {
      index: bundledAdvisoryIndex(),
      collect: (runner, options) => collectHost(wrap(runner), options),
      concurrency: Number(values.concurrency),
      signal,
    });
    const total = performance.now() - started;
    const own = process.cpuUsage(ownBefore);
    const machine = machineCpuMs() - cpuBefore;
    console.log(`scan of ${bench.hosts.length} hosts × ${size.containersPerHost} containers × ${size.distributionsPerSite} distributions: ${total.toFixed(0)} ms`);
    // Both cores' busy time: the remote scripts, sshd, the docker stand-in and this process alike (and any other load).
    console.log(`CPU busy on the machine: ${machine.toFixed(0)} ms; of it this process (ssh2, parsing, report): ${((own.user + own.system) / 1000).toFixed(0)} ms`);
    // Sessions end when the scan closes its connections; give sshd a moment to reap them.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    console.log(`CPU of the remote side (sshd sessions, shells, scripts, docker stand-in): ${((await reapedCpuMs(sshds)) - remoteBefore).toFixed(0)} ms`);
    console.log(`hosts: ${report.hosts.map((host) => `${host.name} ${host.status}`).join(', ')}`);
    for (const [kind, tally] of [...tallies].sort((a, b) => b[1].totalMs - a[1].totalMs)) {
      console.log(`${kind.padEnd(28)} ${String(tally.count).padStart(4)} runs  ${tally.totalMs.toFixed(0).padStart(7)} ms summed  ${(tally.totalMs / tally.count).toFixed(0).padStart(5)} ms mean  ${tally.maxMs.toFixed(0).padStart(5)} ms max`);
    }
  } finally {
    await lab.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
