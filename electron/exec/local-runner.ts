/**
 * The CommandRunner for "This machine": the same `sh -s` contract as the SSH runner, with the
 * script written to standard input of a spawned shell. No shell ever parses a command line built
 * from data, so nothing the collectors pass can be re-interpreted.
 */
import { spawn } from 'node:child_process';
import {
  CommandTimeoutError,
  DEFAULT_RUN_OPTIONS,
  type CommandRunner,
  type RunOptions,
  type RunResult,
} from './command-runner.js';

/** How the local runner starts its shell. */
export interface LocalRunnerOptions {
  /** Program and arguments that read a script on stdin; `['/bin/sh', '-s']` unless given (tests pass busybox). */
  command?: readonly [string, ...string[]];
  /** Environment of the shell; the app's own environment unless given. */
  env?: NodeJS.ProcessEnv;
  /** Working directory of the shell; `/` unless given, so no script depends on where the app started. */
  cwd?: string;
}

/** Most stderr kept per run: it only feeds notes, and a chatty host must not fill memory. */
const MAX_STDERR_CHARS = 64 * 1024;

/** Runs POSIX sh scripts on the machine the app runs on. */
export class LocalRunner implements CommandRunner {
  private readonly command: readonly [string, ...string[]];
  private readonly env: NodeJS.ProcessEnv | undefined;
  private readonly cwd: string;

  constructor(options: LocalRunnerOptions = {}) {
    this.command = options.command ?? ['/bin/sh', '-s'];
    this.env = options.env;
    this.cwd = options.cwd ?? '/';
  }

  /** Runs `script` on stdin of the shell; resolves with its bounded output, rejects on timeout, abort or spawn failure. */
  runScript(script: string, options: RunOptions = {}): Promise<RunResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_RUN_OPTIONS.timeoutMs;
    const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_RUN_OPTIONS.maxOutputBytes;
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortReason(signal));

    return new Promise<RunResult>((resolve, reject) => {
      const [program, ...args] = this.command;
      // detached: the shell leads its own process group, so a timeout or abort can kill the whole
      // group (docker exec, find, sudo…) instead of leaving grandchildren running.
      const child = spawn(program, args, {
        cwd: this.cwd,
        env: this.env ?? process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
        windowsHide: true,
      });

      const chunks: Buffer[] = [];
      let kept = 0;
      let truncated = false;
      let stderr = '';
      let settled = false;

      const killGroup = (): void => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // The group is already gone, or was never formed: fall back to the shell itself.
          child.kill('SIGKILL');
        }
      };
      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const onAbort = (): void => {
        killGroup();
        finish(() => reject(abortReason(signal!)));
      };
      const timer = setTimeout(() => {
        killGroup();
        finish(() => reject(new CommandTimeoutError(timeoutMs)));
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });

      child.stdout.on('data', (chunk: Buffer) => {
        // Past the limit we keep reading and drop the bytes: a writer blocked on a full pipe would
        // otherwise hang until the timeout, and its exit status is still worth having.
        const room = maxOutputBytes - kept;
        if (room <= 0) {
          truncated = true;
          return;
        }
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          kept += room;
          truncated = true;
        } else {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => {
        if (stderr.length < MAX_STDERR_CHARS) stderr += text.slice(0, MAX_STDERR_CHARS - stderr.length);
      });
      // A shell that exits before reading all of the script closes stdin under us: that is an
      // outcome of the script (its exit status tells), not a failure to run it.
      child.stdin.on('error', () => undefined);

      child.on('error', (error) => finish(() => reject(error)));
      child.on('close', (code) => {
        finish(() => resolve({ stdout: Buffer.concat(chunks, kept), stderr, exitCode: code, truncated }));
      });

      child.stdin.end(script);
    });
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
