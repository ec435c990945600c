/**
 * One SSH connection per host (through ProxyJump hops when configured) that runs POSIX sh
 * scripts as channels on that connection. Read-only by construction: the only thing ever
 * executed is `sh -s`, with the script on standard input.
 *
 * Authentication follows OpenSSH's order: ssh-agent keys first, then each identity file.
 * With `IdentitiesOnly yes`, agent keys are still used (so keys that live only in the agent keep
 * working) but only those whose public key matches a configured identity file (its `.pub`, or the
 * unencrypted private key). Encrypted keys ask for their passphrase through `askPassphrase`;
 * the passphrase is used for that one parse and never stored or logged.
 *
 * Host keys are checked against the config's known_hosts files plus the app's own file; only
 * the app's file is ever written.
 */
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthenticationType, ClientChannel, NextAuthHandler, ParsedKey } from 'ssh2';
import type { HostStatus } from '../../shared/model/index.js';
import {
  CommandTimeoutError,
  DEFAULT_RUN_OPTIONS,
  type CommandRunner,
  type RunOptions,
  type RunResult,
} from '../exec/command-runner.js';
import {
  appendKnownHost,
  checkHostKeyInEntries,
  fingerprintSha256,
  keyTypeOfBlob,
  knownHostName,
  knownKeyTypes,
  readKnownHostsFiles,
} from './known-hosts.js';
import { abortReason, Semaphore } from './semaphore.js';
import type { ResolvedHostConfig } from './ssh-config.js';

const { Client, OpenSSHAgent, BaseAgent, utils } = ssh2;
type Client = InstanceType<typeof ssh2.Client>;

/** How to treat a host key that no known_hosts file lists. */
export type HostKeyPolicy = 'strict' | 'accept-new' | 'ask';

/** The question asked before trusting an unknown host key. */
export interface HostKeyQuestion {
  /** The alias the user knows the host by. */
  host: string;
  /** Where the key came from: `ip:port` for direct connections, `hostname:port` through a jump host. */
  address: string;
  keyType: string;
  fingerprint: string;
}

/** The question asked to unlock an encrypted private key. */
export interface PassphraseQuestion {
  host: string;
  keyPath: string;
}

/** Options for openSshSession. */
export interface OpenSshSessionOptions {
  host: ResolvedHostConfig;
  /**
   * Policy for unknown host keys. Defaults from the config's StrictHostKeyChecking
   * (yes → strict, accept-new and no → accept-new, ask → ask). A host whose config says `yes`
   * stays strict whatever is passed here: the user asked for it explicitly.
   */
  hostKeyPolicy?: HostKeyPolicy;
  /** The app's own known_hosts: read like the others, and the only file accepted keys are written to. */
  appKnownHostsFile?: string;
  /** ssh-agent socket; defaults to SSH_AUTH_SOCK; null disables the agent. */
  agentSocket?: string | null;
  /** Asks for an encrypted key's passphrase; null skips the key. */
  askPassphrase?: (question: PassphraseQuestion) => Promise<string | null>;
  /** Asks whether to trust an unknown host key (policy `ask`); without it `ask` acts as `strict`. */
  confirmHostKey?: (question: HostKeyQuestion) => Promise<boolean>;
  /** Channels open at once on the connection; default 8, below OpenSSH's MaxSessions 10. */
  maxConcurrentChannels?: number;
  /** TCP connect timeout per hop; defaults to the config's ConnectTimeout, else 15 s. */
  connectTimeoutMs?: number;
  /** SSH handshake plus authentication per hop, not counting time spent waiting for the user; default 30 s. */
  handshakeTimeoutMs?: number;
  /** Cancels connecting (not the session once open: close it instead). */
  signal?: AbortSignal;
}

/** An open connection to one host that runs scripts; close it when done. */
export interface SshSession extends CommandRunner {
  readonly host: ResolvedHostConfig;
  /** Closes the connection (and the jump hosts' connections); running scripts are cut off. */
  close(): Promise<void>;
}

/** Connecting failed; `status` is the host status the scan reports. */
export class SshConnectError extends Error {
  constructor(
    readonly status: HostStatus,
    message: string,
  ) {
    super(message);
    this.name = 'SshConnectError';
  }
}

/** Default for OpenSshSessionOptions.maxConcurrentChannels. */
export const DEFAULT_MAX_CHANNELS = 8;
const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_HANDSHAKE_TIMEOUT_MS = 30_000;
/** stderr is for diagnostics only: keep enough to explain a failure, not a flood. */
const MAX_STDERR_BYTES = 256 * 1024;
/** If a killed channel never confirms its close, give its slot back after this long anyway. */
const CHANNEL_RELEASE_GRACE_MS = 10_000;
const PASSPHRASE_ATTEMPTS = 3;
/** ssh2's supported host key algorithms, in its default order; reordered per host below. */
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Connects to a host (through its ProxyJump hops), authenticates and verifies host keys. */
export async function openSshSession(options: OpenSshSessionOptions): Promise<SshSession> {
  const { host } = options;
  const chain = [...host.proxyJump, host];
  // Running a command from the config would break the read-only promise: refuse rather than connect directly.
  const proxied = chain.find((hop) => hop.proxyCommand);
  if (proxied) throw new SshConnectError('error', `${proxied.alias}: ProxyCommand is not supported (use ProxyJump)`);
  const clients: Client[] = [];
  try {
    for (const [index, target] of chain.entries()) {
      const via = index > 0 ? chain[index - 1]! : null;
      const role = index < chain.length - 1 ? ` (jump host for ${host.alias})` : '';
      const connectTimeoutMs = options.connectTimeoutMs ?? target.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
      const sock = via
        ? await forwardThrough(clients[index - 1]!, via, target, connectTimeoutMs, options.signal)
        : await tcpConnect(target.hostName, target.port, connectTimeoutMs, options.signal);
      const address = via ? formatAddress(target.hostName, target.port) : socketAddress(sock, target);
      clients.push(await handshake(target, sock, address, role, options));
    }
  } catch (error) {
    for (const client of clients.reverse()) client.end();
    throw error instanceof SshConnectError ? error : new SshConnectError('error', describe(error));
  }
  return new Ssh2Session(host, clients, new Semaphore(options.maxConcurrentChannels ?? DEFAULT_MAX_CHANNELS));
}

class Ssh2Session implements SshSession {
  private lostReason: string | null = null;
  private readonly inFlight = new Set<(error: Error) => void>();
  private readonly client: Client;

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
            settle({ error: new Error(`cannot start sh on ${this.host.alias}: ${error.message}`) });
            return;
          }
          channel = opened;
          if (settled) {
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

  async close(): Promise<void> {
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

/** Opens a TCP connection, mapping failures to one-line `unreachable` errors. */
function tcpConnect(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<net.Socket> {
  const where = formatAddress(host, port);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new SshConnectError('error', `connection to ${where} cancelled`));
    const socket = net.connect({ host, port });
    const done = (error: SshConnectError | null) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      if (error) {
        socket.destroy();
        reject(error);
      } else {
        resolve(socket);
      }
    };
    const onError = (error: NodeJS.ErrnoException) => done(socketError(error, host, port));
    const onAbort = () => done(new SshConnectError('error', `connection to ${where} cancelled`));
    const timer = setTimeout(
      () => done(new SshConnectError('unreachable', `connection to ${where} timed out after ${seconds(timeoutMs)}`)),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', () => done(null));
  });
}

function socketError(error: NodeJS.ErrnoException, host: string, port: number): SshConnectError {
  const where = formatAddress(host, port);
  switch (error.code) {
    case 'ECONNREFUSED':
      return new SshConnectError('unreachable', `connection refused by ${where}`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new SshConnectError('unreachable', `no route to ${where}`);
    case 'ETIMEDOUT':
      return new SshConnectError('unreachable', `connection to ${where} timed out`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new SshConnectError('unreachable', `cannot resolve host name ${host}`);
    default:
      return new SshConnectError('error', `cannot connect to ${where}: ${error.message}`);
  }
}

/** Opens a direct-tcpip channel from the previous hop to the next one (what `ssh -J` does). */
function forwardThrough(
  client: Client,
  via: ResolvedHostConfig,
  target: ResolvedHostConfig,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Duplex> {
  const where = formatAddress(target.hostName, target.port);
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: SshConnectError | null, stream?: Duplex) => {
      if (settled) {
        stream?.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(stream!);
    };
    const onAbort = () => finish(new SshConnectError('error', `connection to ${where} cancelled`));
    const timer = setTimeout(
      () =>
        finish(new SshConnectError('unreachable', `connection to ${where} through jump host ${via.alias} timed out after ${seconds(timeoutMs)}`)),
      timeoutMs,
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    client.forwardOut('127.0.0.1', 0, target.hostName, target.port, (error, stream) => {
      if (!error) return finish(null, stream);
      // SSH_OPEN_CONNECT_FAILED (2): the jump host tried and could not reach the target.
      const reason = (error as Error & { reason?: number }).reason;
      const status: HostStatus = reason === 2 ? 'unreachable' : 'error';
      const detail = reason === 1 ? 'forwarding refused (AllowTcpForwarding?)' : error.message.replace(/^\(SSH\) Channel open failure: /, '');
      finish(new SshConnectError(status, `jump host ${via.alias} cannot reach ${where}: ${detail.toLowerCase()}`));
    });
  });
}

/** Runs the SSH handshake and authentication for one hop over an open stream. */
async function handshake(
  target: ResolvedHostConfig,
  sock: Duplex,
  address: string,
  role: string,
  options: OpenSshSessionOptions,
): Promise<Client> {
  const appFile = options.appKnownHostsFile;
  const knownFiles = [...target.userKnownHostsFiles, ...target.globalKnownHostsFiles, ...(appFile ? [appFile] : [])];
  const entries = await readKnownHostsFiles(knownFiles);
  const policy = effectivePolicy(target, options.hostKeyPolicy);
  const userAt = `${target.user}@${formatAddress(target.hostName, target.port)}${role}`;
  const knownName = knownHostName(target.hostName, target.port);

  const client = new Client();
  const deadline = new Deadline(options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS);
  let failure: SshConnectError | null = null;
  const auth = new AuthSequence(target, options, deadline);

  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const settle = (error: SshConnectError | null) => {
      if (settled) return;
      settled = true;
      deadline.clear();
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        client.removeAllListeners('ready');
        client.on('error', () => undefined); // late errors from a discarded client must not crash the process
        client.destroy();
        sock.destroy();
        reject(error);
      } else {
        resolve(client);
      }
    };
    const onAbort = () => settle(new SshConnectError('error', `connection to ${userAt} cancelled`));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    deadline.start(() =>
      settle(new SshConnectError('unreachable', `SSH handshake with ${userAt} timed out after ${seconds(deadline.totalMs)}`)),
    );

    const hostVerifier = (keyBlob: Buffer, verify: (valid: boolean) => void): void => {
      verifyHostKey(keyBlob).then(verify, (error: unknown) => {
        failure ??= new SshConnectError('error', `cannot verify the host key of ${knownName}: ${describe(error)}`);
        verify(false);
      });
    };

    // ssh2 may verify again on re-key: a key accepted once on this connection is not asked about twice.
    let acceptedKey: Buffer | null = null;
    const verifyHostKey = async (keyBlob: Buffer): Promise<boolean> => {
      if (acceptedKey?.equals(keyBlob)) return true;
      const accepted = await decideHostKey(keyBlob);
      if (accepted) acceptedKey = keyBlob;
      return accepted;
    };

    const decideHostKey = async (keyBlob: Buffer): Promise<boolean> => {
      const keyType = keyTypeOfBlob(keyBlob);
      const fingerprint = fingerprintSha256(keyBlob);
      const check = checkHostKeyInEntries(entries, target.hostName, target.port, keyType, keyBlob);
      if (check.result === 'match') return true;
      if (check.result === 'mismatch') {
        failure = new SshConnectError(
          'host-key-mismatch',
          check.revoked
            ? `host key of ${knownName}${role} is revoked (${fingerprint})`
            : `host key of ${knownName}${role} has changed: known_hosts expects ${check.expectedFingerprints.join(' or ')}, server offered ${fingerprint}`,
        );
        return false;
      }
      const otherTypes = check.expectedFingerprints.length ? ` (known_hosts only lists other key types)` : '';
      if (policy === 'accept-new') {
        if (appFile) await appendKnownHost(appFile, target.hostName, target.port, keyType, keyBlob);
        return true;
      }
      if (policy === 'ask' && options.confirmHostKey) {
        const accepted = await deadline.paused(() =>
          options.confirmHostKey!({ host: target.alias, address, keyType, fingerprint }),
        );
        if (accepted) {
          if (appFile) await appendKnownHost(appFile, target.hostName, target.port, keyType, keyBlob);
          return true;
        }
        failure = new SshConnectError('host-key-unknown', `host key of ${knownName}${role} was not accepted (${keyType} ${fingerprint})`);
        return false;
      }
      failure = new SshConnectError(
        'host-key-unknown',
        `host key of ${knownName}${role} is not in known_hosts${otherTypes}: server offered ${keyType} ${fingerprint}`,
      );
      return false;
    };

    client.on('ready', () => settle(null));
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      // ssh2 reports agent trouble and per-key signing errors as 'error' and carries on with
      // the next method: only the end of the sequence decides.
      if (error.level === 'agent' || (error.level === 'client-authentication' && !auth.exhausted)) return;
      if (failure) return settle(failure);
      if (auth.exhausted) return settle(new SshConnectError('auth-failed', auth.failureMessage(userAt)));
      if (error.level === 'client-socket' && error.code) {
        const mapped = socketError(error as NodeJS.ErrnoException, target.hostName, target.port);
        return settle(new SshConnectError(mapped.status, `${mapped.message}${role}`));
      }
      settle(new SshConnectError('error', `SSH connection to ${userAt} failed: ${error.message}`));
    });
    client.on('close', () => {
      if (failure) return settle(failure);
      if (auth.exhausted) return settle(new SshConnectError('auth-failed', auth.failureMessage(userAt)));
      settle(new SshConnectError('error', `connection closed by ${userAt} during the SSH handshake`));
    });

    const preferred = knownKeyTypes(entries, target.hostName, target.port).flatMap((type) =>
      type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type],
    );
    const serverHostKey = [
      ...preferred.filter((type) => HOST_KEY_ALGORITHMS.includes(type)),
      ...HOST_KEY_ALGORITHMS.filter((type) => !preferred.includes(type)),
    ];

    try {
      client.connect({
        sock: sock as never, // ssh2's typings want a Readable; a forwarded Channel is a Duplex
        username: target.user,
        // Our Deadline replaces readyTimeout: it pauses while the user answers a prompt.
        readyTimeout: 0,
        keepaliveInterval: 15_000,
        keepaliveCountMax: 4,
        hostVerifier,
        // Prefer key types already known for this host, as OpenSSH does, so a host with an RSA
        // entry is not reported unknown just because it also offers ed25519.
        algorithms: { serverHostKey: serverHostKey as never },
        authHandler: (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
          auth.next(methodsLeft, next);
        },
      });
    } catch (error) {
      settle(new SshConnectError('error', `SSH connection to ${userAt} failed: ${describe(error)}`));
    }
  });
}

/** The authentication methods for one hop, produced lazily so passphrases are asked only when needed. */
class AuthSequence {
  /** True once every method was tried and the server refused them all. */
  exhausted = false;
  private readonly tried: string[] = [];
  private readonly skipped: string[] = [];
  private readonly agentBlobs: Buffer[] = [];
  private step = 0;
  private allowedBlobs: Promise<Buffer[]> | null = null;

  constructor(
    private readonly target: ResolvedHostConfig,
    private readonly options: OpenSshSessionOptions,
    private readonly deadline: Deadline,
  ) {}

  next(methodsLeft: AuthenticationType[] | null, next: NextAuthHandler): void {
    if (methodsLeft && !methodsLeft.includes('publickey')) {
      this.skipped.push(`server offers only ${methodsLeft.join(', ') || 'nothing'}`);
      this.exhausted = true;
      next(false as never);
      return;
    }
    this.produce().then(
      (method) => {
        if (method) return next(method);
        this.exhausted = true;
        next(false as never);
      },
      () => {
        this.exhausted = true;
        next(false as never);
      },
    );
  }

  failureMessage(userAt: string): string {
    const tried = this.tried.length ? `tried ${this.tried.join(', ')}` : 'no usable key';
    const skipped = this.skipped.length ? `; ${this.skipped.join('; ')}` : '';
    return `authentication failed for ${userAt} (${tried}${skipped})`;
  }

  private async produce(): Promise<AnyAuthMethod | null> {
    const username = this.target.user;
    const agentSocket = this.options.agentSocket === undefined ? process.env.SSH_AUTH_SOCK : this.options.agentSocket;
    const files = this.target.identityFiles;
    // Step 0 is the agent; steps 1..n are the identity files.
    while (this.step <= files.length) {
      const index = this.step++;
      if (index === 0) {
        if (!agentSocket) continue;
        const allowed = this.target.identitiesOnly ? await this.allowedPublicKeys() : null;
        if (allowed && allowed.length === 0) continue;
        this.tried.push('ssh-agent');
        return { type: 'agent', username, agent: new FilteringAgent(agentSocket, allowed, this.agentBlobs) };
      }
      const keyPath = files[index - 1]!;
      const key = await this.loadKey(keyPath);
      if (!key) continue;
      if (this.agentBlobs.some((blob) => blob.equals(key.getPublicSSH()))) continue; // the agent already offered it
      this.tried.push(keyPath);
      return { type: 'publickey', username, key };
    }
    return null;
  }

  /** Public keys of the configured identity files, for IdentitiesOnly filtering of agent keys. */
  private allowedPublicKeys(): Promise<Buffer[]> {
    this.allowedBlobs ??= (async () => {
      const blobs: Buffer[] = [];
      for (const file of this.target.identityFiles) {
        const blob = (await publicBlobOf(`${file}.pub`)) ?? (await publicBlobOf(file));
        if (blob) blobs.push(blob);
      }
      return blobs;
    })();
    return this.allowedBlobs;
  }

  private async loadKey(keyPath: string): Promise<ParsedKey | null> {
    let data: Buffer;
    try {
      data = await readFile(keyPath);
    } catch {
      return null; // missing identity files are normal (the defaults rarely all exist)
    }
    let parsed = firstKey(utils.parseKey(data));
    if (!(parsed instanceof Error)) return parsed.isPrivateKey() ? parsed : null;
    if (!/passphrase|encrypted/i.test(parsed.message)) {
      this.skipped.push(`${keyPath}: unsupported key (${parsed.message})`);
      return null;
    }
    if (!this.options.askPassphrase) {
      this.skipped.push(`${keyPath}: encrypted, no passphrase prompt available`);
      return null;
    }
    for (let attempt = 0; attempt < PASSPHRASE_ATTEMPTS; attempt++) {
      const passphrase = await this.deadline.paused(() =>
        this.options.askPassphrase!({ host: this.target.alias, keyPath }),
      );
      if (passphrase === null) {
        this.skipped.push(`${keyPath}: skipped (no passphrase)`);
        return null;
      }
      parsed = firstKey(utils.parseKey(data, passphrase));
      if (!(parsed instanceof Error)) return parsed;
    }
    this.skipped.push(`${keyPath}: wrong passphrase`);
    return null;
  }
}

/**
 * Wraps the ssh-agent: offers only the allowed keys (IdentitiesOnly) and records what it
 * offered, so the same key is not tried again from its file. Agent trouble means "no keys".
 */
class FilteringAgent extends BaseAgent<ParsedKey> {
  private readonly agent: InstanceType<typeof OpenSSHAgent>;

  constructor(
    socketPath: string,
    private readonly allowed: Buffer[] | null,
    private readonly offered: Buffer[],
  ) {
    super();
    this.agent = new OpenSSHAgent(socketPath);
  }

  override getIdentities(cb: (error: Error | undefined, keys?: ParsedKey[]) => void): void {
    this.agent.getIdentities((error, keys) => {
      if (error || !keys) return cb(undefined, []);
      // Entries may come wrapped ({ pubKey }) in ssh2's typings; the OpenSSH agent gives ParsedKeys.
      const parsed = keys.map((key) => ('getPublicSSH' in key ? key : key.pubKey)).filter(isParsedKey);
      const usable = parsed.filter((key) => !this.allowed || this.allowed.some((blob) => blob.equals(key.getPublicSSH())));
      this.offered.push(...usable.map((key) => key.getPublicSSH()));
      cb(undefined, usable);
    });
  }

  override sign(pubKey: ParsedKey, data: Buffer, options: unknown, cb?: (error?: Error, signature?: Buffer) => void): void {
    if (typeof options === 'function') {
      cb = options as typeof cb;
      options = {};
    }
    this.agent.sign(pubKey, data, options as never, cb as never);
  }
}

/** The public key blob of a key file (a `.pub` or an unencrypted private key); null when unreadable. */
async function publicBlobOf(file: string): Promise<Buffer | null> {
  try {
    const key = firstKey(utils.parseKey(await readFile(file)));
    return key instanceof Error ? null : key.getPublicSSH();
  } catch {
    return null;
  }
}

function isParsedKey(value: unknown): value is ParsedKey {
  return typeof (value as ParsedKey | null)?.getPublicSSH === 'function';
}

function firstKey(parsed: ParsedKey | ParsedKey[] | Error): ParsedKey | Error {
  if (Array.isArray(parsed)) return parsed[0] ?? new Error('no key in file');
  return parsed;
}

/** StrictHostKeyChecking=no is honoured as accept-new: accepting a *changed* key would defeat the check during an incident. */
function effectivePolicy(target: ResolvedHostConfig, requested: HostKeyPolicy | undefined): HostKeyPolicy {
  if (target.strictHostKeyChecking === 'yes') return 'strict';
  if (requested) return requested;
  switch (target.strictHostKeyChecking) {
    case 'accept-new':
    case 'no':
      return 'accept-new';
    default:
      return 'ask';
  }
}

/** A timeout that stops counting while the user is being asked something. */
class Deadline {
  private timer: NodeJS.Timeout | undefined;
  private remainingMs: number;
  private startedAt = 0;
  private pauses = 0;
  private onExpire: (() => void) | null = null;

  constructor(readonly totalMs: number) {
    this.remainingMs = totalMs;
  }

  start(onExpire: () => void): void {
    this.onExpire = onExpire;
    this.arm();
  }

  async paused<T>(action: () => Promise<T>): Promise<T> {
    if (this.pauses++ === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.remainingMs -= Date.now() - this.startedAt;
    }
    try {
      return await action();
    } finally {
      if (--this.pauses === 0 && this.onExpire) this.arm();
    }
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.onExpire = null;
  }

  private arm(): void {
    this.startedAt = Date.now();
    const onExpire = this.onExpire!;
    this.timer = setTimeout(onExpire, Math.max(0, this.remainingMs));
  }
}

function socketAddress(sock: Duplex, target: ResolvedHostConfig): string {
  const remote = (sock as net.Socket).remoteAddress;
  return formatAddress(remote ?? target.hostName, target.port);
}

/** `host:port`, bracketing IPv6 literals. */
function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
