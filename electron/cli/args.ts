/**
 * Parses `blast-radius` command lines. Pure: returns either the options or a one-line usage error
 * (the CLI exits 2 with it).
 */
import { parseArgs as parseArgv, type ParseArgsConfig } from 'node:util';
import { COMPONENT_DECISIONS, type ComponentDecisionKind } from '../../shared/case/decisions.js';
import { KNOWN_WINDOWS } from '../../shared/domain/exposure/compromise-windows.js';
import { SEVERITIES, type Severity } from '../../shared/model/index.js';
import { EXPORT_FORMATS, isExportFormat, type ExportFormat } from '../../shared/report-formats/formats.js';
import { DEFAULT_HOST_DEADLINE_MS } from '../scan/host-budget.js';
import { parseOfflineArgs, type ImportArgs } from './offline-args.js';

/** The longest --host-deadline: a day. */
const MAX_HOST_DEADLINE_SECONDS = 86_400;

/** Where one report goes: a format and a file, `-` for stdout. */
export interface ReportOutput {
  format: ExportFormat;
  /** A file path, or `-` for stdout. */
  target: string;
}

/** Options of `blast-radius scan`. */
export interface ScanArgs {
  command: 'scan';
  sshConfig: string | null;
  hosts: string[];
  all: boolean;
  /** Also scan the machine the CLI runs on, without SSH. */
  local: boolean;
  /** Every report to write, in the order given: `-o FMT=FILE`, `--format FMT` (stdout), and the aliases `--json FILE`, `--markdown FILE`. */
  outputs: ReportOutput[];
  /** No progress and no summary table: only warnings, errors and the reports asked for. */
  quiet: boolean;
  concurrency: number;
  acceptNew: boolean;
  failOn: Severity | null;
  advisories: string | null;
  /** Folder of extra IOC rules files (JSON/YAML), added to the bundled ones. */
  iocRules: string | null;
  /** Verify every distribution's RECORD, not only the flagged ones. */
  verifyAllRecords: boolean;
  /** Known-good wheels, sdists or hash manifests to compare installed copies with (`--known-good FILE`, repeatable). */
  knownGood: string[];
  /** Compromise windows narrowed or widened by the user, by window id. */
  windows: Record<string, { start: string; end: string }>;
  /** Seconds one host may take, connection included, before it is given up on (what it gave is kept). */
  hostDeadlineSeconds: number;
  /** The owner's remove-or-patch decisions, by gateway place (`HOST/NAME`); the report's plan follows them. */
  decisions: Array<{ place: string; decision: ComponentDecisionKind }>;
  /** After the scan, ask each key's provider whether it still accepts the key (sends each key to its provider). */
  checkRevoked: boolean;
  /** The Chromium that prints `pdf` outputs; else BLAST_RADIUS_CHROMIUM, else the usual names on PATH. */
  chromium: string | null;
  /** The suppression file (YAML): accepted findings kept out of --fail-on and marked in every report. */
  suppressions: string | null;
}

/** What the command line asked for. */
export type ParsedArgs = ScanArgs | ImportArgs | { command: 'collector' } | { command: 'help' } | { command: 'version' };

/** The exit statuses, as USAGE documents them. */
export const EXIT = { ok: 0, failOnReached: 1, usage: 2, internal: 3, hostsNotFullyRead: 4 } as const;

/** The usage text printed by --help. */
export const USAGE = `Usage: blast-radius scan [options]

Scan hosts over SSH (read-only: nothing on the host is executed but POSIX utilities) for
compromised Python packages such as litellm 1.82.7/1.82.8, and report the blast radius.

Options:
  --ssh-config FILE     ssh_config to read hosts from (default ~/.ssh/config)
  --host NAME           a Host of the config to scan (repeatable)
  --all                 every concrete (non-wildcard) Host of the config
  --local               also scan this machine, without SSH
  -o, --output FORMAT=FILE  write the report in FORMAT to FILE, - for stdout
                        (repeatable; formats: ${EXPORT_FORMATS.join(', ')};
                        pdf is the html report printed by headless Chromium)
  --format FORMAT       write the report in FORMAT to stdout (same as -o FORMAT=-)
  --json FILE           same as -o json=FILE (docs/report-format.md)
  --markdown FILE       same as -o markdown=FILE
  --chromium PATH       the Chromium or Chrome that prints pdf (default:
                        $BLAST_RADIUS_CHROMIUM, else chromium or google-chrome on PATH)
  -q, --quiet           no progress and no summary table; warnings and errors only
  --concurrency N       hosts scanned at once (default 4)
  --host-deadline SECONDS  give up on a host after this long, connecting included
                        (default ${DEFAULT_HOST_DEADLINE_MS / 1000}); a host that stops answering is given up
                        on sooner; either way what it gave is kept and noted
  --accept-new          trust and record host keys not yet in known_hosts
  --fail-on SEVERITY    exit 1 when a finding reaches SEVERITY (${SEVERITIES.join('|')})
  --advisories PATH     also load OSV advisories: a folder tree of JSON/YAML records
                        (a checkout of an OSV or PyPA advisory database) or an
                        osv.dev all.zip
  --suppressions FILE   accepted findings (YAML, docs/report-format.md): by advisory
                        id or alias, key fingerprint or finding id, each with a
                        reason and an optional expiry date. Suppressed findings stay
                        in the reports, marked, and do not count for --fail-on;
                        expired entries no longer suppress
  --ioc-rules DIR       also load IOC rules files (JSON/YAML) from DIR
  --verify-all-records  hash every installed file against its RECORD (slower;
                        by default only flagged distributions are verified)
  --known-good FILE     a known-good wheel, sdist (.tar.gz) or hash manifest (JSON,
                        see README) of a distribution version, downloaded elsewhere
                        (repeatable): every installed copy of that version is hashed
                        and compared with it file by file
  --window ID=START..END  narrow or widen a compromise window (ISO 8601 UTC), e.g.
                        litellm-2026-03-24=2026-03-24T10:39:00Z..2026-03-24T11:19:00Z
                        (ids: ${KNOWN_WINDOWS.map((window) => window.id).join(', ')})
  --decide HOST/NAME=remove|patch  the owner's decision for a gateway (container or
                        service NAME on HOST), repeatable: the plan then tears it down
                        and moves its consumers (remove, the default) or upgrades and
                        re-deploys it pinned by digest (patch)
  --check-revoked       after the scan, ask each key's provider (one read-only GET
                        per key, sent from this machine) whether it still accepts
                        the key: live, revoked or indeterminate; printed and put
                        in the JSON report. Off by default: without it the scan
                        contacts no provider
  -h, --help            show this help
  -V, --version         print the version

When a report goes to stdout, the summary table goes to stderr instead.

Offline collection (hosts not reachable over SSH; docs/offline/collect.yml for Ansible):
  blast-radius collector > collect.sh
                        print the POSIX sh collection script; run it on the host
                        (sh collect.sh > host.brc). Its output HOLDS SECRETS in clear:
                        keep it like a password file and delete it once imported
  blast-radius import FILE... [--host NAME] [--data-dir DIR --case ID] [report options]
                        read collection files (one host each, named by its hostname
                        or --host) into a report as if scanned; with --data-dir and
                        --case, merge them into that case of the app's data folder.
                        Report options and exit statuses are scan's

Exit status (the first that applies):
  ${EXIT.usage}  bad usage or an unreadable config
  ${EXIT.internal}  an unexpected error (a bug: please report it)
  ${EXIT.failOnReached}  --fail-on: a finding not suppressed reaches SEVERITY (even if a host
     was not fully read)
  ${EXIT.hostsNotFullyRead}  a host asked for was not fully read (unreachable, refused, partial…):
     what it holds is unknown, so the scan cannot say clean
  ${EXIT.ok}  every host was fully read and, with --fail-on, no finding reaches SEVERITY`;

/** A command line that cannot be run; its message is one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The options of `scan`, as node:util parseArgs reads them. */
const SCAN_OPTIONS = {
  'ssh-config': { type: 'string' },
  host: { type: 'string', multiple: true },
  all: { type: 'boolean' },
  local: { type: 'boolean' },
  output: { type: 'string', short: 'o', multiple: true },
  format: { type: 'string' },
  json: { type: 'string' },
  markdown: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  concurrency: { type: 'string' },
  'host-deadline': { type: 'string' },
  'accept-new': { type: 'boolean' },
  'fail-on': { type: 'string' },
  advisories: { type: 'string' },
  'ioc-rules': { type: 'string' },
  'verify-all-records': { type: 'boolean' },
  'known-good': { type: 'string', multiple: true },
  window: { type: 'string', multiple: true },
  decide: { type: 'string', multiple: true },
  'check-revoked': { type: 'boolean' },
  chromium: { type: 'string' },
  suppressions: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const satisfies ParseArgsConfig['options'];

/** Parses argv (without node and script); throws UsageError. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0) return { command: 'help' };
  const { tokens } = parseArgv({ args: [...argv], options: SCAN_OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const flags = tokens.filter((token) => token.kind === 'option');
  if (flags.some((token) => token.name === 'help')) return { command: 'help' };
  if (flags.some((token) => token.name === 'version')) return { command: 'version' };
  if (argv[0] === 'collector' || argv[0] === 'import') return parseOfflineArgs(argv, (scanArgv) => parseScanArgs(scanArgv, false), (message) => new UsageError(message));
  return parseScanArgs(argv, true);
}

/** The options of `scan` (and, without a host to scan, of `import`); throws UsageError. */
function parseScanArgs(argv: readonly string[], needsTarget: boolean): ScanArgs {
  const { tokens } = parseArgv({ args: [...argv], options: SCAN_OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const flags = tokens.filter((token) => token.kind === 'option');
  if (argv[0] !== 'scan') throw new UsageError(`unknown command ${JSON.stringify(argv[0])} (try: blast-radius scan --help)`);
  const extra = tokens.filter((token) => token.kind === 'positional').slice(1);
  if (extra[0]?.kind === 'positional') throw new UsageError(`unexpected argument ${JSON.stringify(extra[0].value)}`);

  const args: ScanArgs = {
    command: 'scan',
    sshConfig: null,
    hosts: [],
    all: false,
    local: false,
    outputs: [],
    quiet: false,
    concurrency: 4,
    acceptNew: false,
    failOn: null,
    advisories: null,
    iocRules: null,
    verifyAllRecords: false,
    knownGood: [],
    windows: {},
    hostDeadlineSeconds: DEFAULT_HOST_DEADLINE_MS / 1000,
    decisions: [],
    checkRevoked: false,
    chromium: null,
    suppressions: null,
  };
  // Tokens in order, so outputs keep the order given and every problem names the flag as typed.
  for (const token of flags) {
    const flag = token.rawName;
    if (!Object.hasOwn(SCAN_OPTIONS, token.name)) throw new UsageError(`unknown option ${JSON.stringify(flag)}`);
    const name = token.name as keyof typeof SCAN_OPTIONS;
    const takesValue = SCAN_OPTIONS[name].type === 'string';
    if (!takesValue && token.inlineValue) throw new UsageError(`${flag} takes no value`);
    const value = takesValue ? optionValue(flag, token.value, token.inlineValue === true) : '';
    switch (name) {
      case 'ssh-config': args.sshConfig = value; break;
      case 'host': args.hosts.push(value); break;
      case 'all': args.all = true; break;
      case 'local': args.local = true; break;
      case 'output': args.outputs.push(parseOutput(flag, value)); break;
      case 'format': args.outputs.push({ format: parseFormat(flag, value), target: '-' }); break;
      case 'json': args.outputs.push({ format: 'json', target: value }); break;
      case 'markdown': args.outputs.push({ format: 'markdown', target: value }); break;
      case 'quiet': args.quiet = true; break;
      case 'advisories': args.advisories = value; break;
      case 'ioc-rules': args.iocRules = value; break;
      case 'verify-all-records': args.verifyAllRecords = true; break;
      case 'known-good': args.knownGood.push(value); break;
      case 'window': {
        const [id, window] = parseWindow(value);
        args.windows[id] = window;
        break;
      }
      case 'decide': args.decisions.push(parseDecision(value)); break;
      case 'accept-new': args.acceptNew = true; break;
      case 'check-revoked': args.checkRevoked = true; break;
      case 'chromium': args.chromium = value; break;
      case 'suppressions': args.suppressions = value; break;
      case 'concurrency': args.concurrency = parseConcurrency(value); break;
      case 'host-deadline': args.hostDeadlineSeconds = parseHostDeadline(value); break;
      case 'fail-on': args.failOn = parseSeverity(value); break;
      case 'help':
      case 'version':
        break;
      default: {
        const unhandled: never = name;
        throw new UsageError(`unknown option ${JSON.stringify(unhandled)}`);
      }
    }
  }
  const toStdout = args.outputs.filter((output) => output.target === '-');
  if (toStdout.length > 1) throw new UsageError(`only one report can go to stdout, not ${toStdout.map((output) => output.format).join(' and ')}`);
  if (needsTarget && !args.all && !args.local && args.hosts.length === 0) {
    throw new UsageError('nothing to scan: give --host NAME, --all or --local');
  }
  return args;
}

/**
 * A value-taking option's value: refused when missing, empty (`--json=` would write nowhere) or
 * taken from the next argument when that is another option (`--json --all` forgot the file).
 */
function optionValue(flag: string, value: string | undefined, inline: boolean): string {
  if (value === undefined || (!inline && looksLikeOption(value))) throw new UsageError(`${flag} needs a value`);
  if (value.length === 0) throw new UsageError(`${flag} needs a value, not an empty one`);
  return value;
}

/** `--anything` or one of our short flags: what a forgotten value leaves in its place (`-5` and `-` are values). */
function looksLikeOption(value: string): boolean {
  return value.startsWith('--') || Object.values(SCAN_OPTIONS).some((option) => 'short' in option && value === `-${option.short}`);
}

/** `FORMAT=FILE` of -o, FILE `-` for stdout. */
function parseOutput(flag: string, value: string): ReportOutput {
  const equals = value.indexOf('=');
  const target = value.slice(equals + 1);
  if (equals <= 0 || target.length === 0) throw new UsageError(`${flag} wants FORMAT=FILE (FILE - for stdout), not ${JSON.stringify(value)}`);
  return { format: parseFormat(flag, value.slice(0, equals)), target };
}

function parseFormat(flag: string, value: string): ExportFormat {
  const format = value.toLowerCase();
  if (!isExportFormat(format)) throw new UsageError(`${flag}: unknown format ${JSON.stringify(value)} (formats: ${EXPORT_FORMATS.join(', ')})`);
  return format;
}

/** `ID=START..END` with a known window id and two ISO 8601 times, START before END. */
function parseWindow(value: string): [string, { start: string; end: string }] {
  const equals = value.indexOf('=');
  const range = equals > 0 ? value.slice(equals + 1).split('..') : [];
  if (range.length !== 2) throw new UsageError(`--window wants ID=START..END, not ${JSON.stringify(value)}`);
  const id = value.slice(0, equals);
  const [start, end] = range as [string, string];
  if (!KNOWN_WINDOWS.some((window) => window.id === id)) {
    throw new UsageError(`--window: unknown window ${JSON.stringify(id)} (known: ${KNOWN_WINDOWS.map((window) => window.id).join(', ')})`);
  }
  const startTime = Date.parse(start);
  const endTime = Date.parse(end);
  if (Number.isNaN(startTime) || Number.isNaN(endTime)) throw new UsageError(`--window: ${JSON.stringify(start)} and ${JSON.stringify(end)} must be ISO 8601 times`);
  if (startTime >= endTime) throw new UsageError('--window: the start must come before the end');
  return [id, { start: new Date(startTime).toISOString(), end: new Date(endTime).toISOString() }];
}

/** `HOST/NAME=remove|patch`: a gateway's place and the decision for it. */
function parseDecision(value: string): { place: string; decision: ComponentDecisionKind } {
  const equals = value.lastIndexOf('=');
  const place = value.slice(0, Math.max(equals, 0));
  const decision = value.slice(equals + 1);
  const slash = place.indexOf('/');
  if (equals <= 0 || slash <= 0 || slash === place.length - 1 || !(COMPONENT_DECISIONS as readonly string[]).includes(decision)) {
    throw new UsageError(`--decide wants HOST/NAME=${COMPONENT_DECISIONS.join('|')}, not ${JSON.stringify(value)}`);
  }
  return { place, decision: decision as ComponentDecisionKind };
}

function parseConcurrency(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64, not ${JSON.stringify(value)}`);
  return number;
}

function parseHostDeadline(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > MAX_HOST_DEADLINE_SECONDS) {
    throw new UsageError(`--host-deadline must be a whole number of seconds from 1 to ${MAX_HOST_DEADLINE_SECONDS}, not ${JSON.stringify(value)}`);
  }
  return number;
}

function parseSeverity(value: string): Severity {
  const severity = value.toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(severity)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, not ${JSON.stringify(value)}`);
  return severity as Severity;
}
