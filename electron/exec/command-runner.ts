/**
 * How collectors run POSIX sh on a host, without knowing whether the host is reached over SSH or
 * is the machine the app runs on. Every script goes to `sh -s` on standard input, so the user's
 * login shell (fish, zsh, busybox ash…) only ever parses `sh -s`, and no remote value is ever
 * spliced into a command line.
 */

/** Limits for one script run. */
export interface RunOptions {
  /** Kill the run and reject with CommandTimeoutError after this long. */
  timeoutMs?: number;
  /** Keep at most this many bytes of stdout (the rest is dropped and `truncated` set). */
  maxOutputBytes?: number;
  /** Aborts the run (scan cancelled). */
  signal?: AbortSignal;
  /**
   * The collection phase the script belongs to; the host's deadline and stall reports name it
   * (phases run side by side, so the host's latest phase is not necessarily this script's).
   */
  phase?: 'facts' | 'containers' | 'python' | 'iocs' | 'keys';
}

/** What a script printed and how it ended. */
export interface RunResult {
  stdout: Buffer;
  stderr: string;
  /** Exit status; null when the remote end did not report one (killed by a signal). */
  exitCode: number | null;
  /** True when stdout was cut at maxOutputBytes. */
  truncated: boolean;
}

/** Runs POSIX sh scripts on one host. */
export interface CommandRunner {
  /** Runs `script` with `sh -s` on the host. Rejects only when the script could not run at all. */
  runScript(script: string, options?: RunOptions): Promise<RunResult>;
}

/** Defaults that keep one misbehaving host from hanging a scan or exhausting memory. */
export const DEFAULT_RUN_OPTIONS = { timeoutMs: 120_000, maxOutputBytes: 64 * 1024 * 1024 } as const;

/** A script ran longer than its timeout. */
export class CommandTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`command timed out after ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'CommandTimeoutError';
  }
}

/** Quotes a value for POSIX sh as a single-quoted word. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
