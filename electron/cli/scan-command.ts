/**
 * `blast-radius scan`, the command itself: scan, plan, reports, the summary table and, with
 * --check-revoked, the revocation check of each key the scan read. Separate from main.ts (which
 * only parses, handles signals and exits) so tests run it in-process with injected options the
 * command line does not offer (the revocation check's fake provider).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { buildAdvisoryIndex, bundledAdvisoryRecords, type AdvisoryIndex } from '../../shared/domain/advisories/index.js';
import { LOCAL_HOST_NAME } from '../../shared/ipc/contract.js';
import { reachesSeverity, type RevocationCheck, type ScanReport } from '../../shared/model/index.js';
import { decisionsByPlace } from '../../shared/case/decisions.js';
import { activeSuppression, applySuppressions, parseSuppressionFile, type SuppressionEntry } from '../../shared/case/suppressions.js';
import { reportPlan } from '../../shared/checklist/report-plan.js';
import { renderSummaryTable } from '../../shared/present/report-markdown.js';
import { renderReport } from '../../shared/report-formats/registry.js';
import { isPrintedFormat, type ExportFormat } from '../../shared/report-formats/formats.js';
import { PRINTED_FROM, type PdfPrinter } from '../../shared/report-formats/pdf.js';
import { chromiumPdfPrinter } from '../pdf/chromium-printer.js';
import { CHROMIUM_MISSING, findChromium } from '../pdf/find-chromium.js';
import { loadAdvisories } from '../advisories/load-advisories.js';
import { loadIocRulesFolder } from '../iocs/load-folder.js';
import { bundledIocRules, mergeIocRules, type IocRule } from '../../shared/domain/iocs/rules.js';
import { collectHost } from '../scan/collect-host.js';
import { SshHostDirectory } from '../hosts/host-directory.js';
import { runScan } from '../scan/run-scan.js';
import type { ScanTarget } from '../scan/scan-hosts.js';
import { toolInfo } from '../scan/tool-info.js';
import { loadSshConfig, SYSTEM_SSH_CONFIG } from '../ssh/ssh-config.js';
import { sharedKnownHostsFile } from '../ssh/known-hosts-store.js';
import { checkAllRevoked, type CheckRevokedOptions } from '../revocation/check-revoked.js';
import { KeyVault } from '../revocation/key-vault.js';
import { EXIT, UsageError, type ReportOutput, type ScanArgs } from './args.js';
import { terminalPrompts } from './tty-prompts.js';
import { importKnownGood } from '../known-good/import-artifact.js';
import { describeReference, type KnownGoodReference } from '../../shared/domain/python/known-good.js';

export { EXIT } from './args.js';

/** Where the command writes; the process's streams unless a test captures them. */
export interface CommandIo {
  /** Text, or a printed report's bytes (`--format pdf`). */
  stdout(data: string | Uint8Array): void;
  stderr(line: string): void;
}

/** Options of the command that the command line does not set. */
export interface ScanCommandOptions {
  signal: AbortSignal;
  io?: CommandIo;
  /** Tests only: the revocation check's options (a fake provider on loopback). */
  revocationCheck?: CheckRevokedOptions;
  /** `import`: the hosts come from collection files (import-command.ts), not from SSH. */
  offline?: OfflineSource;
}

/** Hosts read from collection files instead of over SSH, and what to do with their report. */
export interface OfflineSource {
  targets: ScanTarget[];
  collect: typeof collectHost;
  /** The collections' time, the report's "scanned at" and the end of the gateway logs' window. */
  collectedAt: Date;
  /** Merges the report into a case and answers the case's report (`--case`). */
  intoCase?: (report: ScanReport, index: AdvisoryIndex) => Promise<ScanReport>;
}

const processIo: CommandIo = { stdout: (text) => process.stdout.write(text), stderr: (line) => console.error(line) };

/** The package's version, for --version and -V. */
export function version(): string {
  return toolInfo().version;
}

/** The bundled records and, with --advisories, those of a folder tree or an osv.dev all.zip. */
async function advisoryIndex(path: string | null, io: CommandIo, progress: (line: string) => void): Promise<AdvisoryIndex> {
  const records = [...bundledAdvisoryRecords()];
  if (path) {
    const loaded = await loadAdvisories(path).catch((error: Error) => {
      throw new UsageError(`cannot read advisories from ${path}: ${error.message}`);
    });
    // A whole database can have many bad files: name the first few, count the rest.
    for (const problem of loaded.errors.slice(0, MAX_ADVISORY_WARNINGS)) io.stderr(`warning: skipped advisory ${problem.fileName}: ${problem.message}`);
    if (loaded.errors.length > MAX_ADVISORY_WARNINGS) io.stderr(`warning: skipped ${loaded.errors.length - MAX_ADVISORY_WARNINGS} more advisory files`);
    const { source } = loaded;
    progress(`advisories: ${source.records} record${source.records === 1 ? '' : 's'} from ${source.kind} ${source.path}${source.newestModified ? ` (modified ${source.oldestModified} to ${source.newestModified})` : ''}`);
    records.push(...loaded.records);
  }
  return buildAdvisoryIndex(records);
}

/** Skipped advisory files named one by one; the rest are counted. */
const MAX_ADVISORY_WARNINGS = 20;

/** The entries of --suppressions FILE, or none; an unreadable or invalid file is a usage error (exit 2), every problem named. */
async function suppressionEntries(file: string | null): Promise<SuppressionEntry[]> {
  if (!file) return [];
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new UsageError(`cannot read suppressions from ${file}: ${error.message}`);
  });
  try {
    return parseSuppressionFile(text);
  } catch (error) {
    throw new UsageError(`suppressions ${file}: ${(error as Error).message}`);
  }
}

/** The host names the command line asks for, validated against the config. */
function pickHosts(args: ScanArgs, sshConfigPath: string): string[] {
  let config;
  try {
    config = loadSshConfig(sshConfigPath, { optional: args.sshConfig === null, systemConfigPath: args.sshConfig === null ? SYSTEM_SSH_CONFIG : null });
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

async function iocRules(folder: string | null, io: CommandIo): Promise<IocRule[]> {
  const bundled = [...bundledIocRules()];
  if (!folder) return bundled;
  const loaded = await loadIocRulesFolder(folder).catch((error: Error) => {
    throw new UsageError(`cannot read IOC rules from ${folder}: ${error.message}`);
  });
  for (const problem of loaded.errors) io.stderr(`warning: skipped IOC rules ${problem.fileName}: ${problem.message}`);
  return mergeIocRules(bundled, loaded.rules);
}

/** Reads each --known-good file into a reference; a file that is no known-good artifact is a usage error naming it. */
async function knownGoodReferences(files: readonly string[], io: CommandIo): Promise<KnownGoodReference[]> {
  const references: KnownGoodReference[] = [];
  for (const file of files) {
    let reference: KnownGoodReference;
    try {
      reference = importKnownGood(await readFile(file), file);
    } catch (error) {
      throw new UsageError(`--known-good ${file}: ${(error as Error).message}`);
    }
    io.stderr(`known-good: ${reference.name} ${reference.version} from ${describeReference(reference)}, ${Object.keys(reference.files).length} files`);
    references.push(reference);
  }
  return references;
}

/** Runs `blast-radius scan`; answers the exit status. */
export async function scanCommand(args: ScanArgs, options: ScanCommandOptions): Promise<number> {
  const streams = options.io ?? processIo;
  // With --quiet, progress and the summary go nowhere; warnings and errors still reach stderr.
  const progress = args.quiet ? () => undefined : streams.stderr;
  // A report on stdout keeps stdout to itself: the summary table goes to stderr.
  const reportOnStdout = args.outputs.some((output) => output.target === '-');
  const summary = args.quiet ? () => undefined : reportOnStdout ? (text: string) => streams.stderr(text.trimEnd()) : streams.stdout;
  const io: CommandIo = streams;
  // Checked before the scan, so a missing Chromium costs a usage error rather than a scan's worth of waiting.
  const printPdf = args.outputs.some((output) => isPrintedFormat(output.format)) ? pdfPrinter(args.chromium) : null;
  const sshConfigPath = args.sshConfig ?? join(homedir(), '.ssh', 'config');
  const { offline } = options;
  const names = offline ? [] : pickHosts(args, sshConfigPath);
  const index = await advisoryIndex(args.advisories, io, progress);
  const rules = await iocRules(args.iocRules, io);
  const knownGood = await knownGoodReferences(args.knownGood, io);
  const suppressions = await suppressionEntries(args.suppressions);
  const directory = new SshHostDirectory({
    sshConfigPath,
    sshConfigOptional: args.sshConfig === null,
    store: null,
    // Keys accepted with --accept-new go to the store the app and `serve` share.
    appKnownHostsFile: sharedKnownHostsFile(),
    hostKeyPolicy: args.acceptNew ? 'accept-new' : 'strict',
    includeLocal: args.local,
  });

  const { signal } = options;
  const targets = offline ? offline.targets : await directory.targets(names, terminalPrompts(), signal);
  progress(`${offline ? 'importing' : 'scanning'} ${targets.length} host${targets.length === 1 ? '' : 's'}, ${args.concurrency} at a time, each given at most ${args.hostDeadlineSeconds} s`);
  // The values of the keys read, in memory for this run only, and only when --check-revoked asks for the check.
  const keyVault = args.checkRevoked ? new KeyVault() : null;
  const scanned: ScanReport = await runScan(targets, {
    index,
    collect: offline?.collect ?? collectHost,
    ...(offline ? { now: () => offline.collectedAt } : {}),
    concurrency: args.concurrency,
    iocRules: rules,
    verifyAllRecords: args.verifyAllRecords,
    knownGood,
    windowOverrides: args.windows,
    signal,
    ...(keyVault ? { keyVault } : {}),
    hostDeadlineMs: args.hostDeadlineSeconds * 1000,
    onProgress: ({ host, phase, message, waitingSeconds, remainingSeconds }) => {
      if (waitingSeconds !== undefined) progress(`waiting on ${host}: ${phase} phase, ${waitingSeconds} s (given up on in ${remainingSeconds ?? 0} s)`);
      else if (phase !== 'queued') progress(`[${host}] ${phase}: ${message}`);
    },
  });

  let revocationChecks: RevocationCheck[] | null = null;
  if (keyVault) {
    try {
      progress(`checking ${keyVault.fingerprints().length} key${keyVault.fingerprints().length === 1 ? '' : 's'} with their providers (--check-revoked)`);
      revocationChecks = await checkAllRevoked(keyVault, options.revocationCheck);
    } finally {
      keyVault.clear();
    }
  }
  // The plan is part of every report: the steps the app shows, in phases with what each waits for
  // (no ticks: the CLI keeps none), following the decisions given with --decide.
  const { decisions, unmatched } = decisionsByPlace(scanned.findings, args.decisions, scanned.scannedAt, 'given on the command line (--decide)');
  for (const place of unmatched) io.stderr(`--decide ${place}: no gateway of that name on that host in this scan; the plan ignores it`);
  const applied = args.suppressions
    ? applySuppressions(scanned.findings, suppressions, { now: new Date().toISOString(), advisoryIds: index.groups.map((group) => group.ids) })
    : null;
  const report: ScanReport = {
    ...scanned,
    plan: reportPlan(scanned, decisions),
    ...(revocationChecks ? { revocationChecks } : {}),
    ...(applied ? { suppressions: applied } : {}),
  };
  if (applied) progress(suppressionSummary(report));
  if (offline?.intoCase) {
    const merged = await offline.intoCase(report, index);
    progress(`added to the case: it now holds ${merged.hosts.length} host${merged.hosts.length === 1 ? '' : 's'} and ${merged.findings.length} finding${merged.findings.length === 1 ? '' : 's'}`);
  }
  await writeOutputs(report, args.outputs, streams, printPdf);
  summary(renderSummaryTable(report));
  if (revocationChecks) summary(renderRevocationChecks(revocationChecks));
  return exitStatus(report, args.failOn, io);
}

/** One line: how many findings the suppression file keeps out of --fail-on, and how many entries matched but expired. */
export function suppressionSummary(report: Pick<ScanReport, 'findings' | 'suppressions'>): string {
  const suppressed = report.findings.filter((finding) => activeSuppression(report.suppressions, finding.id)).length;
  const expired = new Set((report.suppressions ?? []).filter((applied) => applied.expired).map((applied) => applied.findingId));
  const back = report.findings.filter((finding) => expired.has(finding.id) && !activeSuppression(report.suppressions, finding.id)).length;
  return `suppressions: ${suppressed} finding${suppressed === 1 ? '' : 's'} suppressed${back > 0 ? `, ${back} back because their suppression expired` : ''}`;
}

/**
 * The exit status once the reports are written: 1 when a finding not suppressed reaches
 * --fail-on (it wins: the finding is certain whatever another host hides), else 4 when a host
 * asked for was not fully read (its contents are unknown, so the scan cannot say clean), else 0.
 */
export function exitStatus(report: Pick<ScanReport, 'hosts' | 'findings' | 'suppressions'>, failOn: ScanArgs['failOn'], io: Pick<CommandIo, 'stderr'>): number {
  const counted = report.findings.filter((finding) => !activeSuppression(report.suppressions, finding.id));
  if (failOn && counted.some((finding) => reachesSeverity(finding.severity, failOn))) {
    io.stderr(`a finding reaches --fail-on ${failOn}`);
    return EXIT.failOnReached;
  }
  const notRead = report.hosts.filter((host) => host.status !== 'ok');
  if (notRead.length > 0) {
    io.stderr(`not fully read: ${notRead.map((host) => `${host.name} (${host.status})`).join(', ')}; exit ${EXIT.hostsNotFullyRead}`);
    return EXIT.hostsNotFullyRead;
  }
  return EXIT.ok;
}

/** The printer of `pdf` outputs, over the Chromium the command line, the environment or PATH names; a usage error naming what to install when there is none. */
function pdfPrinter(explicit: string | null): PdfPrinter {
  let executable: string | null;
  try {
    executable = findChromium({ explicit });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!executable) throw new UsageError(CHROMIUM_MISSING);
  return chromiumPdfPrinter({ executable });
}

/** One report in one format: text, or for a printed format its source format's rendering printed. */
async function renderOutput(format: ExportFormat, report: ScanReport, printPdf: PdfPrinter | null): Promise<string | Uint8Array> {
  if (!isPrintedFormat(format)) return renderReport(format, report);
  if (!printPdf) throw new Error(`no printer for ${format}`);
  return printPdf(renderReport(PRINTED_FROM[format], report));
}

/** Writes each report asked for: files (owner-only, as they name every place a key lives) first, then the one for stdout. */
async function writeOutputs(report: ScanReport, outputs: readonly ReportOutput[], io: CommandIo, printPdf: PdfPrinter | null): Promise<void> {
  // Printed ones last among the files: a Chromium that fails must not cost the text reports.
  const files = outputs.filter((candidate) => candidate.target !== '-');
  for (const output of [...files.filter((file) => !isPrintedFormat(file.format)), ...files.filter((file) => isPrintedFormat(file.format))]) {
    await writeFile(output.target, await renderOutput(output.format, report, printPdf), { mode: 0o600 });
  }
  for (const output of outputs.filter((candidate) => candidate.target === '-')) io.stdout(await renderOutput(output.format, report, printPdf));
}

/** The revocation checks as lines: fingerprint, outcome, status or reason class, and the reason the app wrote. */
export function renderRevocationChecks(checks: readonly RevocationCheck[]): string {
  if (checks.length === 0) return '\nRevocation check: no key with a read-only check was read.\n';
  const lines = checks.map((check) => {
    const detail = check.httpStatus !== undefined ? `HTTP ${check.httpStatus}` : (check.errorClass ?? '');
    return `  ${check.fingerprint.padEnd(40)} ${check.outcome.padEnd(13)} ${detail.padEnd(14)} ${check.reason}`;
  });
  return `\nRevocation check (one GET per key to its provider):\n${lines.join('\n')}\n`;
}
