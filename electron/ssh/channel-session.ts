/**
 * An open connection (the last of its ProxyJump chain) that runs POSIX sh scripts, each as its
 * own `sh -s` channel with the script on standard input: the only thing ever executed, so the
 * session is read-only by construction. Channels are bounded by a semaphore below sshd's
 * MaxSessions; each run has its timeout, output limit and cancellation, and a stopped run is
 * killed on the host, not just abandoned.
 */
import type { Client, ClientChannel } from 'ssh2';
import { CommandTimeoutError, DEFAULT_RUN_OPTIONS, type CommandRunner, type RunOptions, type RunResult } from '../exec/command-runner.js';
import { describe } from './connect-error.js';
import { abortReason, type Semaphore } from './semaphore.js';
import type { ResolvedHostConfig } from './ssh-config.js';

/** stderr is for diagnostics only: keep enough to explain a failure, not a flood. */
const MAX_STDERR_BYTES = 256 * 1024;
/** If a killed channel never confirms its close, give its slot back after this long anyway. */
const CHANNEL_RELEASE_GRACE_MS = 10_000;

/** Runs scripts as channels of a connected chain of clients (jump hosts first, the target last); closes them all. */
export class ChannelSession implements CommandRunner {
  private lostReason: string | null = null;
  private closing: Promise<void> | null = null;
  private readonly inFlight = new Set<(error: Error) => void>();
  private readonly client: Client;
  /** Channels the server opened for us that have not closed yet: how many sessions it let us have. */
  private openChannels = 0;

  constructor(
    readonly host: ResolvedHostConfig,
    private readonly clients: Client[],
    private readonly semaphore: Semaphore,
  ) {
    this.client = clients[clients.length - 1]!;
    for (const client of clients) {
      client.on('error', (error: Error) => {
        this.lostReason ??= `connection to ${host.alias} failed: ${error.message}`;
      });
      client.on('close', () => {
        this.lostReason ??= `connection to ${host.alias} closed`;
        const error = new Error(this.lostReason);
        for (const fail of [...this.inFlight]) fail(error);
      });
    }
  }

  /** Runs `script` with `sh -s` in a channel of its own, within the run's limits. */
  async runScript(script: string, options: RunOptions = {}): Promise<RunResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_RUN_OPTIONS.timeoutMs;
    const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_RUN_OPTIONS.maxOutputBytes;
    const { signal } = options;
    if (this.lostReason) throw new Error(this.lostReason);
    // The timeout starts once a channel slot is ours: waiting behind other scripts is not this script being slow.
    const release = await this.semaphore.acquire(signal);
    if (this.lostReason) {
      release();
      throw new Error(this.lostReason);
    }

    return new Promise<RunResult>((resolve, reject) => {
      const stdout: Buffer[] = [];
      let stdoutBytes = 0;
      let stderr = '';
      let stderrBytes = 0;
      let truncated = false;
      let exitCode: number | null = null;
      let channel: ClientChannel | null = null;
      let settled = false;
      let releaseTimer: NodeJS.Timeout | undefined;

      const releaseSlot = () => {
        clearTimeout(releaseTimer);
        release();
      };
      const settle = (outcome: { result: RunResult } | { error: Error }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.inFlight.delete(fail);
        if ('result' in outcome) resolve(outcome.result);
        else reject(outcome.error);
      };
      const result = (): RunResult => ({ stdout: Buffer.concat(stdout), stderr, exitCode, truncated });
      // Stop the remote side for real: without the signal, sshd keeps the session (and its
      // MaxSessions slot) until the process exits by itself.
      const stop = () => {
        if (!channel) return;
        sendKill(channel);
        channel.close();
        releaseTimer ??= setTimeout(releaseSlot, CHANNEL_RELEASE_GRACE_MS);
        releaseTimer.unref();
      };
      const fail = (error: Error) => {
        stop();
        if (!channel) releaseSlot();
        settle({ error });
      };
      const onAbort = () => fail(abortReason(signal!));
      const timer = setTimeout(() => fail(new CommandTimeoutError(timeoutMs)), timeoutMs);

      this.inFlight.add(fail);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });

      try {
        this.client.exec('sh -s', (error, opened) => {
          if (error) {
            releaseSlot();
            // Our slot is back: one still held is another script that will end and free a session.
            if (!settled && isChannelRefusal(error) && this.semaphore.inUse > 0) {
              // The server allows fewer sessions than we assumed (a MaxSessions below ours): keep to
              // what it had open, down to one at a time, and run this script again once one ends.
              this.semaphore.lower(this.openChannels);
              settled = true;
              clearTimeout(timer);
              signal?.removeEventListener('abort', onAbort);
              this.inFlight.delete(fail);
              resolve(this.runScript(script, options));
              return;
            }
            settle({ error: new Error(`cannot start sh on ${this.host.alias}: ${error.message}`) });
            return;
          }
          channel = opened;
          this.openChannels++;
          opened.once('close', () => this.openChannels--);
          if (settled) {
            // Cut off while it opened: its slot comes back when the server confirms the close.
            opened.once('close', releaseSlot);
            stop();
            return;
          }
          opened.on('data', (chunk: Buffer) => {
            if (truncated) return;
            const room = maxOutputBytes - stdoutBytes;
            if (chunk.length > room) {
              if (room > 0) stdout.push(chunk.subarray(0, room));
              stdoutBytes = maxOutputBytes;
              truncated = true;
              stop();
              settle({ result: result() });
              return;
            }
            stdout.push(chunk);
            stdoutBytes += chunk.length;
          });
          opened.stderr.on('data', (chunk: Buffer) => {
            if (stderrBytes >= MAX_STDERR_BYTES) return;
            const kept = chunk.subarray(0, MAX_STDERR_BYTES - stderrBytes);
            stderrBytes += kept.length;
            stderr += kept.toString('utf8');
          });
          opened.on('exit', (code: number | null) => {
            exitCode = typeof code === 'number' ? code : null;
          });
          opened.on('error', (channelError: Error) => fail(channelError));
          opened.on('close', () => {
            releaseSlot();
            settle({ result: result() });
          });
          // stdin stays open on purpose: its closing is what tells the watchdog to stop the script.
          opened.write(wrapScript(script));
        });
      } catch (error) {
        releaseSlot();
        settle({ error: new Error(`cannot start sh on ${this.host.alias}: ${describe(error)}`) });
      }
    });
  }

  /** Closes the connection (and the jump hosts' connections); running scripts are cut off. Idempotent. */
  close(): Promise<void> {
    // A second call waits for the first: a client that already closed would never say so again.
    this.closing ??= this.closeClients();
    return this.closing;
  }

  private async closeClients(): Promise<void> {
    this.lostReason ??= `connection to ${this.host.alias} closed`;
    // Innermost first: the target's connection runs over the jump hosts' channels.
    await Promise.all(
      [...this.clients].reverse().map(
        (client) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              client.destroy();
              resolve();
            }, 2_000);
            timer.unref();
            client.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            client.end();
          }),
      ),
    );
  }
}

/**
 * Whether an exec failed because the server refused to open one more session channel (OpenSSH
 * answers "open failed", administratively prohibited, past its MaxSessions), as opposed to the
 * connection failing. Only ssh2's own error shape is trusted: its reason code, else its wording.
 */
export function isChannelRefusal(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const reason = (error as Error & { reason?: unknown }).reason;
  // RFC 4254 §5.1: 1 administratively prohibited, 4 resource shortage.
  if (reason === 1 || reason === 4) return true;
  return /^\(SSH\) Channel open failure: (open failed|administratively prohibited)/i.test(error.message);
}

/**
 * Wraps a script so that closing the channel kills it, even for root logins, where sshd refuses
 * `signal` requests (it requires privilege separation, which root sessions do not use).
 *
 * The script becomes the body of a function; the last line, read whole by sh before it runs
 * anything on it, starts a watchdog that reads the rest of stdin and calls the function with
 * stdin from /dev/null. Nothing more is ever sent, so the watchdog only sees end-of-file when
 * sshd closes the channel's stdin (we closed the channel: timeout, abort, truncation, or the
 * connection died); it then kills the session's process group (sshd makes every session a
 * process-group leader). A normal run kills the watchdog and exits with the script's status.
 * Side effects, both deliberate: the script reads end-of-file on stdin instead of its own
 * remaining text, and a syntax error anywhere stops the script before any of it runs.
 */
export function wrapScript(script: string): string {
  const body = script.endsWith('\n') ? script : `${script}\n`;
  return (
    `__br_main() {\n${body}}\n` +
    // A background job gets /dev/null as stdin unless redirected explicitly: fd 3 carries the real one in.
    '{ ( while read -r __br_line; do :; done; kill -KILL 0 ) <&3 >/dev/null 2>&1 & } 3<&0; __br_watchdog=$!; ' +
    '__br_main </dev/null; __br_status=$?; kill "$__br_watchdog" 2>/dev/null; exit "$__br_status"\n'
  );
}

/**
 * Sends a `signal` request (KILL) on a session channel; sshd delivers it with killpg to the
 * session's process group (non-root logins only; see wrapScript for the fallback). ssh2's public
 * `channel.signal()` refuses once the channel is not writable, so this calls the protocol object
 * ssh2 1.x keeps on the channel; if that shape changes it does nothing and the watchdog still acts.
 */
function sendKill(channel: ClientChannel): void {
  const internals = channel as unknown as {
    outgoing?: { id?: number; state?: string };
    _client?: { _protocol?: { signal?: (id: number, signal: string) => void } };
  };
  const id = internals.outgoing?.id;
  const protocol = internals._client?._protocol;
  const state = internals.outgoing?.state;
  if (typeof id !== 'number' || (state !== 'open' && state !== 'eof') || typeof protocol?.signal !== 'function') return;
  try {
    protocol.signal(id, 'KILL');
  } catch {
    // the connection is going away: nothing left to kill through it
  }
}
