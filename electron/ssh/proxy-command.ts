/**
 * A hop reached through the user's own ProxyCommand (`cloudflared access ssh --hostname %h`,
 * `tailscale nc %h %p`, `nc -X connect …`), run as OpenSSH runs it: `exec <command>` through the
 * user's shell on this machine, its standard input and output the SSH connection. This is the
 * command the user wrote into their own ssh_config for reaching the host; nothing on the scanned
 * host is started by it. The process ends with the connection.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { Duplex, type Readable, type Writable } from 'node:stream';
import { SshConnectError } from './connect-error.js';
import type { ResolvedHostConfig } from './ssh-config.js';

/** How much of the command's standard error is kept to explain a failure. */
const STDERR_KEPT_BYTES = 2048;
/** How long a failed handshake waits for the command's exit status before reporting without it. */
const EXIT_WAIT_MS = 1000;

/** A running ProxyCommand: the stream SSH runs over, and what it said if it ended early. */
export interface ProxyCommandConnection {
  stream: Duplex;
  /**
   * Adds why the command ended (exit status, last line of its stderr) to a handshake failure; waits
   * briefly for the exit, which can come after the stream closed.
   */
  explain(error: unknown): Promise<unknown>;
}

/**
 * Starts `target.proxyCommand` (tokens already expanded by the config) and returns its stdio as
 * one stream; rejects when the shell cannot be started or the signal fires first.
 */
export function startProxyCommand(target: ResolvedHostConfig, signal?: AbortSignal, shell = process.env['SHELL'] || '/bin/sh'): Promise<ProxyCommandConnection> {
  const command = target.proxyCommand;
  if (!command) return Promise.reject(new Error(`${target.alias} has no ProxyCommand`));
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new SshConnectError('error', `connection to ${target.alias} cancelled`));
    let child: ChildProcessByStdio<Writable, Readable, Readable>;
    try {
      // No signal here: a cancelled scan destroys the stream (handshake.ts, channel sessions), which ends the command.
      child = spawn(shell, ['-c', `exec ${command}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      return reject(new SshConnectError('error', `${target.alias}: cannot start its ProxyCommand: ${(error as Error).message}`));
    }
    let stderr = Buffer.alloc(0);
    let ended: string | null = null;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > STDERR_KEPT_BYTES) stderr = stderr.subarray(stderr.length - STDERR_KEPT_BYTES);
    });
    child.on('exit', (code, killedBy) => {
      ended = killedBy ? `was stopped by ${killedBy}` : `exited with status ${code}`;
    });
    const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
    // The connection is done with the command once its stream closes, whichever side closed it:
    // a command that ends closes the stream, as a socket closed by its peer would.
    child.once('close', () => stream.destroy());
    stream.on('close', () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    });
    stream.on('error', () => undefined);
    // Late errors (a kill racing the exit) must not go unhandled.
    child.on('error', () => undefined);
    child.once('error', (error) => reject(new SshConnectError('error', `${target.alias}: cannot start its ProxyCommand: ${error.message}`)));
    child.once('spawn', () =>
      resolve({
        stream,
        async explain(error) {
          if (!(error instanceof SshConnectError)) return error;
          await Promise.race([exited, new Promise((done) => setTimeout(done, EXIT_WAIT_MS))]);
          if (ended === null) return error;
          const said = lastLine(stderr.toString('utf8'));
          return new SshConnectError('unreachable', `${target.alias}: ProxyCommand ${ended}${said ? `: ${said}` : ''} (${error.message})`);
        },
      }),
    );
  });
}

/** The last non-empty line of a command's error output, printable characters only, at most 200. */
function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((line) => line.replace(/[^\x20-\x7e]/g, '').trim()).filter(Boolean);
  const last = lines.at(-1) ?? '';
  return last.length > 200 ? `${last.slice(0, 200)}…` : last;
}
