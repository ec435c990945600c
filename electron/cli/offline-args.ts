/**
 * Command lines of offline collection: `blast-radius collector` (no options) and `blast-radius
 * import FILE… [--host NAME] [--data-dir DIR --case ID] [report options]`, whose report options
 * are `scan`'s (parsed by args.ts) less those that only mean something over SSH. Pure.
 */
import type { ScanArgs } from './args.js';

/** Options of `blast-radius import`. */
export interface ImportArgs extends Omit<ScanArgs, 'command'> {
  command: 'import';
  /** Collection files, one host each. */
  files: string[];
  /** With --data-dir: the case the hosts are added to (its id under `cases/`). */
  caseId: string | null;
  /** The app's (or `serve`'s) data folder holding the case library. */
  dataDir: string | null;
}

/** `scan` options that mean nothing without SSH, refused by `import` by name. */
const SSH_ONLY = ['--ssh-config', '--all', '--local', '--accept-new', '--concurrency', '--host-deadline', '--check-revoked', '--ioc-rules'];

/**
 * Parses `collector` and `import` command lines; `parseScan` reads the report options (`scan`'s
 * parser, with no host required) and `usage` makes the usage error the CLI exits 2 with.
 */
export function parseOfflineArgs(
  argv: readonly string[],
  parseScan: (argv: readonly string[]) => ScanArgs,
  usage: (message: string) => Error,
): ImportArgs | { command: 'collector' } {
  if (argv[0] === 'collector') {
    if (argv.length > 1) throw usage(`collector takes no arguments (it prints the collection script: blast-radius collector > collect.sh)`);
    return { command: 'collector' };
  }
  const files: string[] = [];
  const rest: string[] = [];
  let caseId: string | null = null;
  let dataDir: string | null = null;
  for (let index = 1; index < argv.length; index++) {
    const arg = argv[index]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, null];
    if (SSH_ONLY.includes(flag)) throw usage(`${flag} is for scans over SSH; import reads collection files`);
    if (flag === '--case' || flag === '--data-dir') {
      const value = inline ?? argv[++index];
      if (!value || value.startsWith('--')) throw usage(`${flag} needs a value`);
      if (flag === '--case') caseId = value;
      else dataDir = value;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      files.push(arg);
      continue;
    }
    rest.push(arg);
    // The value of a report option that takes one (-o FILE, --fail-on high…) is not a file.
    if (inline === null && VALUE_OPTIONS.has(arg) && index + 1 < argv.length) rest.push(argv[++index]!);
  }
  if (files.length === 0) throw usage('nothing to import: give the collection files (blast-radius import host1.brc host2.brc)');
  if ((caseId === null) !== (dataDir === null)) throw usage('--case and --data-dir go together: the case to add the hosts to, and the data folder (the app\'s or serve\'s) that holds it');
  const scan = parseScan(['scan', ...rest]);
  if (scan.hosts.length > 1) throw usage('--host names the host of one file, once');
  const { command: _scan, ...options } = scan;
  return { ...options, command: 'import', files, caseId, dataDir };
}

/** Report options of `scan` that take a value as the next argument. */
const VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '--host', '-o', '--output', '--format', '--json', '--markdown', '--advisories', '--known-good', '--window', '--decide', '--chromium', '--suppressions', '--fail-on',
]);
