/**
 * Test support: running the built CLI (`dist/electron/cli/main.js`) as a child process the way a
 * user would, and reading the reports it writes. One place for what every e2e file needs: the
 * CLI's path, its exit status however the run ended, an environment that keeps its state out of
 * the developer's folders, and the "scan to --json (and --markdown), then read them" pattern.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ScanReport } from '../shared/model/index.js';

/** The built CLI's entry point (`npm run build:node` writes it). */
export const CLI = fileURLToPath(new URL('../dist/electron/cli/main.js', import.meta.url));

/** How long a CLI run may take unless a test says otherwise: a lab scan of a few hosts. */
export const CLI_TIMEOUT_MS = 120_000;

/** What a finished run left: its exit status and its output as text. */
export interface CliRun {
  /** The exit status; -1 when there is none (killed at the timeout, never started, output over `maxBuffer`). */
  code: number;
  stdout: string;
  stderr: string;
}

/** A run whose output is kept as bytes, for tests that must see exactly what the product wrote. */
export interface CliRunBytes {
  /** As {@link CliRun.code}. */
  code: number;
  stdout: Buffer;
  stderr: Buffer;
}

/** How to run a program: as `execFile`'s options, with the CLI tests' timeout as the default. */
export interface RunOptions {
  /** The whole environment of the child (`process.env` when not given); see {@link labCliEnv}. */
  env?: NodeJS.ProcessEnv;
  /** Kill the child after this long; {@link CLI_TIMEOUT_MS} when not given, 0 for never. */
  timeoutMs?: number;
  /** The signal the timeout sends (`execFile`'s SIGTERM when not given). */
  killSignal?: NodeJS.Signals;
  /** The most output either stream may hold (`execFile`'s 1 MiB when not given). */
  maxBuffer?: number;
}

/** A report written by a scan: the JSON as text (to search for what must not be there) and parsed. */
export interface CliScan extends CliRun {
  reportText: string;
  report: ScanReport;
}

/** Throws, naming the build to run, when the CLI has not been built. */
export function requireBuiltCli(build: 'npm run build' | 'npm run build:node' = 'npm run build:node'): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`${build}\` first`);
}

/**
 * The environment a lab run of the product gets: this process's, with the product's state folder
 * (where --accept-new records host keys) in the test's own folder and no SSH agent, so neither the
 * developer's state nor their agent's keys take part; `extra` is applied last.
 */
export function labCliEnv(stateDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, XDG_STATE_HOME: stateDir, SSH_AUTH_SOCK: '', ...extra };
}

/** Runs any program to its end, never rejecting: a failed run is an exit status for the test to judge. */
export function runProgram(file: string, args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(file, args, execOptions(options), (error, stdout, stderr) => resolve({ code: exitCode(error), stdout, stderr }));
  });
}

/** Runs the built CLI with `args` to its end, never rejecting. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return runProgram(process.execPath, [CLI, ...args], options);
}

/** Runs the built CLI with `args`, keeping stdout and stderr as the bytes it wrote. */
export function runCliBytes(args: readonly string[], options: RunOptions = {}): Promise<CliRunBytes> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { ...execOptions(options), encoding: 'buffer' }, (error, stdout, stderr) =>
      resolve({ code: exitCode(error), stdout, stderr }),
    );
  });
}

/**
 * Runs the built CLI with `args` followed by `--json <files.json>` (and `--markdown
 * <files.markdown>` when given), then reads what it wrote. The exit status is the caller's to
 * judge; a run that wrote no JSON report throws with its exit status and stderr.
 */
export function runCliScan(args: readonly string[], files: { json: string }, options?: RunOptions): Promise<CliScan>;
export function runCliScan(args: readonly string[], files: { json: string; markdown: string }, options?: RunOptions): Promise<CliScan & { markdown: string }>;
export async function runCliScan(args: readonly string[], files: { json: string; markdown?: string }, options: RunOptions = {}): Promise<CliScan & { markdown?: string }> {
  const markdownArgs = files.markdown === undefined ? [] : ['--markdown', files.markdown];
  const run = await runCli([...args, '--json', files.json, ...markdownArgs], options);
  if (!existsSync(files.json)) throw new Error(`the scan wrote no report (exit ${run.code}): ${run.stderr}`);
  const reportText = await readFile(files.json, 'utf8');
  const scan: CliScan = { ...run, reportText, report: JSON.parse(reportText) as ScanReport };
  return files.markdown === undefined ? scan : { ...scan, markdown: await readFile(files.markdown, 'utf8') };
}

/** Reads and parses a JSON report a run wrote. */
export async function readReport(file: string): Promise<ScanReport> {
  return JSON.parse(await readFile(file, 'utf8')) as ScanReport;
}

function execOptions(options: RunOptions) {
  return {
    ...(options.env ? { env: options.env } : {}),
    timeout: options.timeoutMs ?? CLI_TIMEOUT_MS,
    ...(options.killSignal ? { killSignal: options.killSignal } : {}),
    ...(options.maxBuffer ? { maxBuffer: options.maxBuffer } : {}),
  };
}

function exitCode(error: ExecFileException | null): number {
  // A number is the program's own status; a string (ENOENT, ERR_CHILD_PROCESS_STDIO_MAXBUFFER) or null (killed) is not.
  return error ? (typeof error.code === 'number' ? error.code : -1) : 0;
}
