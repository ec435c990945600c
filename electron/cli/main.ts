#!/usr/bin/env node
/**
 * `blast-radius scan`: the same core as the app, for terminals, cron and CI. Progress on stderr,
 * a summary table on stdout, reports to files. Exit 0 when the scan ran, 1 when --fail-on is
 * reached, 2 for bad usage or an unreadable config.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { buildAdvisoryIndex, bundledAdvisoryRecords, type AdvisoryIndex } from '../../shared/domain/advisories/index.js';
import { LOCAL_HOST_NAME } from '../../shared/ipc/contract.js';
import { reachesSeverity, type ScanReport } from '../../shared/model/index.js';
import { decisionsByPlace } from '../../shared/case/decisions.js';
import { reportPlan } from '../../shared/checklist/report-plan.js';
import { renderMarkdownReport, renderSummaryTable } from '../../shared/present/report-markdown.js';
import { loadAdvisoryFolder } from '../advisories/load-folder.js';
import { loadIocRulesFolder } from '../iocs/load-folder.js';
import { bundledIocRules, mergeIocRules, type IocRule } from '../../shared/domain/iocs/rules.js';
import { collectHost } from '../scan/collect-host.js';
import { SshHostDirectory } from '../hosts/host-directory.js';
import { runScan } from '../scan/run-scan.js';
import { loadSshConfig } from '../ssh/ssh-config.js';
import { parseArgs, USAGE, UsageError, type ScanArgs } from './args.js';
import { terminalPrompts } from './tty-prompts.js';

/** Exit statuses, as documented in --help. */
const EXIT = { ok: 0, failOnReached: 1, usage: 2, internal: 3 } as const;

/** Where the CLI records host keys accepted with --accept-new: $XDG_STATE_HOME/blast-radius/known_hosts. */
function cliKnownHostsFile(): string {
  return join(process.env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'blast-radius', 'known_hosts');
}

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

async function advisoryIndex(folder: string | null): Promise<AdvisoryIndex> {
  const records = [...bundledAdvisoryRecords()];
  if (folder) {
    const loaded = await loadAdvisoryFolder(folder).catch((error: Error) => {
      throw new UsageError(`cannot read advisories from ${folder}: ${error.message}`);
    });
    for (const problem of loaded.errors) console.error(`warning: skipped advisory ${problem.fileName}: ${problem.message}`);
    records.push(...loaded.records);
  }
  return buildAdvisoryIndex(records);
}

/** The host names the command line asks for, validated against the config. */
function pickHosts(args: ScanArgs, sshConfigPath: string): string[] {
  let config;
  try {
    config = loadSshConfig(sshConfigPath, { optional: args.sshConfig === null });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const concrete = config.concreteHosts();
  const unknown = args.hosts.filter((name) => !concrete.includes(name));
  if (unknown.length > 0) throw new UsageError(`not a Host in ${sshConfigPath}: ${unknown.join(', ')}`);
  const names = [...(args.local ? [LOCAL_HOST_NAME] : []), ...(args.all ? concrete : []), ...args.hosts];
  if (names.length === 0) throw new UsageError(`no concrete Host entries in ${sshConfigPath}`);
  return [...new Set(names)];
}

async function iocRules(folder: string | null): Promise<IocRule[]> {
  const bundled = [...bundledIocRules()];
  if (!folder) return bundled;
  const loaded = await loadIocRulesFolder(folder).catch((error: Error) => {
    throw new UsageError(`cannot read IOC rules from ${folder}: ${error.message}`);
  });
  for (const problem of loaded.errors) console.error(`warning: skipped IOC rules ${problem.fileName}: ${problem.message}`);
  return mergeIocRules(bundled, loaded.rules);
}

async function scan(args: ScanArgs): Promise<number> {
  const sshConfigPath = args.sshConfig ?? join(homedir(), '.ssh', 'config');
  const names = pickHosts(args, sshConfigPath);
  const index = await advisoryIndex(args.advisories);
  const rules = await iocRules(args.iocRules);
  const directory = new SshHostDirectory({
    sshConfigPath,
    sshConfigOptional: args.sshConfig === null,
    store: null,
    appKnownHostsFile: cliKnownHostsFile(),
    hostKeyPolicy: args.acceptNew ? 'accept-new' : 'strict',
    includeLocal: args.local,
  });

  const controller = new AbortController();
  process.once('SIGINT', () => {
    console.error('cancelling: hosts already read are kept in the report (Ctrl-C again to quit at once)');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });

  const targets = await directory.targets(names, terminalPrompts(), controller.signal);
  console.error(`scanning ${targets.length} host${targets.length === 1 ? '' : 's'}, ${args.concurrency} at a time, each given at most ${args.hostDeadlineSeconds} s`);
  const scanned: ScanReport = await runScan(targets, {
    index,
    collect: collectHost,
    concurrency: args.concurrency,
    iocRules: rules,
    verifyAllRecords: args.verifyAllRecords,
    windowOverrides: args.windows,
    signal: controller.signal,
    hostDeadlineMs: args.hostDeadlineSeconds * 1000,
    onProgress: ({ host, phase, message, waitingSeconds, remainingSeconds }) => {
      if (waitingSeconds !== undefined) console.error(`waiting on ${host}: ${phase} phase, ${waitingSeconds} s (given up on in ${remainingSeconds ?? 0} s)`);
      else if (phase !== 'queued') console.error(`[${host}] ${phase}: ${message}`);
    },
  });

  // The plan is part of every report: the steps the app shows, in phases with what each waits for
  // (no ticks: the CLI keeps none), following the decisions given with --decide.
  const { decisions, unmatched } = decisionsByPlace(scanned.findings, args.decisions, scanned.scannedAt, 'given on the command line (--decide)');
  for (const place of unmatched) console.error(`--decide ${place}: no gateway of that name on that host in this scan; the plan ignores it`);
  const report: ScanReport = { ...scanned, plan: reportPlan(scanned, decisions) };
  if (args.json) await writeFile(args.json, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
  if (args.markdown) await writeFile(args.markdown, renderMarkdownReport(report), { mode: 0o600 });
  process.stdout.write(renderSummaryTable(report));

  const failOn = args.failOn;
  if (failOn && report.findings.some((finding) => reachesSeverity(finding.severity, failOn))) {
    console.error(`a finding reaches --fail-on ${failOn}`);
    return EXIT.failOnReached;
  }
  return EXIT.ok;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.command === 'help') {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (args.command === 'version') {
    console.log(version());
    return EXIT.ok;
  }
  return scan(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`blast-radius: ${error.message}`);
      process.exit(EXIT.usage);
    }
    console.error(`blast-radius: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(EXIT.internal);
  },
);
