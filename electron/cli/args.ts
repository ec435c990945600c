/**
 * Parses `blast-radius` command lines. Pure: returns either the options or a one-line usage error
 * (the CLI exits 2 with it).
 */
import { COMPONENT_DECISIONS, type ComponentDecisionKind } from '../../shared/case/decisions.js';
import { KNOWN_WINDOWS } from '../../shared/domain/exposure/compromise-windows.js';
import { SEVERITIES, type Severity } from '../../shared/model/index.js';
import { DEFAULT_HOST_DEADLINE_MS } from '../scan/host-budget.js';

/** The longest --host-deadline: a day. */
const MAX_HOST_DEADLINE_SECONDS = 86_400;

/** Options of `blast-radius scan`. */
export interface ScanArgs {
  command: 'scan';
  sshConfig: string | null;
  hosts: string[];
  all: boolean;
  /** Also scan the machine the CLI runs on, without SSH. */
  local: boolean;
  json: string | null;
  markdown: string | null;
  concurrency: number;
  acceptNew: boolean;
  failOn: Severity | null;
  advisories: string | null;
  /** Folder of extra IOC rules files (JSON/YAML), added to the bundled ones. */
  iocRules: string | null;
  /** Verify every distribution's RECORD, not only the flagged ones. */
  verifyAllRecords: boolean;
  /** Compromise windows narrowed or widened by the user, by window id. */
  windows: Record<string, { start: string; end: string }>;
  /** Seconds one host may take, connection included, before it is given up on (what it gave is kept). */
  hostDeadlineSeconds: number;
  /** The owner's remove-or-patch decisions, by gateway place (`HOST/NAME`); the report's plan follows them. */
  decisions: Array<{ place: string; decision: ComponentDecisionKind }>;
  /** After the scan, ask each key's provider whether it still accepts the key (sends each key to its provider). */
  checkRevoked: boolean;
}

/** What the command line asked for. */
export type ParsedArgs = ScanArgs | { command: 'help' } | { command: 'version' };

/** The usage text printed by --help. */
export const USAGE = `Usage: blast-radius scan [options]

Scan hosts over SSH (read-only: nothing on the host is executed but POSIX utilities) for
compromised Python packages such as litellm 1.82.7/1.82.8, and report the blast radius.

Options:
  --ssh-config FILE     ssh_config to read hosts from (default ~/.ssh/config)
  --host NAME           a Host of the config to scan (repeatable)
  --all                 every concrete (non-wildcard) Host of the config
  --local               also scan this machine, without SSH
  --json FILE           write the JSON report (docs/report-format.md)
  --markdown FILE       write a Markdown report
  --concurrency N       hosts scanned at once (default 4)
  --host-deadline SECONDS  give up on a host after this long, connecting included
                        (default ${DEFAULT_HOST_DEADLINE_MS / 1000}); a host that stops answering is given up
                        on sooner; either way what it gave is kept and noted
  --accept-new          trust and record host keys not yet in known_hosts
  --fail-on SEVERITY    exit 1 when a finding reaches SEVERITY (${SEVERITIES.join('|')})
  --advisories DIR      also load OSV advisories (JSON/YAML) from DIR
  --ioc-rules DIR       also load IOC rules files (JSON/YAML) from DIR
  --verify-all-records  hash every installed file against its RECORD (slower;
                        by default only flagged distributions are verified)
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
  --version             print the version

Exit status: 0 the scan ran (even if some hosts failed), 1 --fail-on reached,
2 bad usage or an unreadable config, 3 an unexpected error (a bug: please report it).`;

/** A command line that cannot be run; its message is one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const VALUE_OPTIONS = new Set(['--ssh-config', '--host', '--json', '--markdown', '--concurrency', '--fail-on', '--advisories', '--ioc-rules', '--window', '--host-deadline', '--decide']);

/** Parses argv (without node and script); throws UsageError. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.includes('-h') || argv.includes('--help') || argv.length === 0) return { command: 'help' };
  if (argv.includes('--version')) return { command: 'version' };
  const [command, ...rest] = argv;
  if (command !== 'scan') throw new UsageError(`unknown command ${JSON.stringify(command)} (try: blast-radius scan --help)`);

  const args: ScanArgs = {
    command: 'scan',
    sshConfig: null,
    hosts: [],
    all: false,
    local: false,
    json: null,
    markdown: null,
    concurrency: 4,
    acceptNew: false,
    failOn: null,
    advisories: null,
    iocRules: null,
    verifyAllRecords: false,
    windows: {},
    hostDeadlineSeconds: DEFAULT_HOST_DEADLINE_MS / 1000,
    decisions: [],
    checkRevoked: false,
  };
  for (let index = 0; index < rest.length; index++) {
    const [flag, inlineValue] = splitInline(rest[index]!);
    let value: string | undefined = inlineValue;
    if (VALUE_OPTIONS.has(flag) && value === undefined) {
      value = rest[++index];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    } else if (!VALUE_OPTIONS.has(flag) && inlineValue !== undefined) {
      throw new UsageError(`${flag} takes no value`);
    }
    switch (flag) {
      case '--ssh-config': args.sshConfig = value!; break;
      case '--host': args.hosts.push(value!); break;
      case '--json': args.json = value!; break;
      case '--markdown': args.markdown = value!; break;
      case '--advisories': args.advisories = value!; break;
      case '--ioc-rules': args.iocRules = value!; break;
      case '--verify-all-records': args.verifyAllRecords = true; break;
      case '--window': {
        const [id, window] = parseWindow(value!);
        args.windows[id] = window;
        break;
      }
      case '--decide': args.decisions.push(parseDecision(value!)); break;
      case '--all': args.all = true; break;
      case '--local': args.local = true; break;
      case '--accept-new': args.acceptNew = true; break;
      case '--check-revoked': args.checkRevoked = true; break;
      case '--concurrency': args.concurrency = parseConcurrency(value!); break;
      case '--host-deadline': args.hostDeadlineSeconds = parseHostDeadline(value!); break;
      case '--fail-on': args.failOn = parseSeverity(value!); break;
      default: throw new UsageError(`unknown option ${JSON.stringify(flag)}`);
    }
  }
  if (!args.all && !args.local && args.hosts.length === 0) {
    throw new UsageError('nothing to scan: give --host NAME, --all or --local');
  }
  return args;
}

function splitInline(argument: string): [string, string | undefined] {
  const equals = argument.indexOf('=');
  return argument.startsWith('--') && equals > 0 ? [argument.slice(0, equals), argument.slice(equals + 1)] : [argument, undefined];
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
