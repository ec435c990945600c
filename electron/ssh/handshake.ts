/**
 * The SSH handshake of one hop over an open stream: ssh2's client with the hop's host-key
 * verifier and authentication sequence, under one deadline that pauses while the user answers a
 * prompt. Whatever goes wrong becomes one SshConnectError naming the hop.
 */
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { AuthenticationType, Client, NextAuthHandler } from 'ssh2';
import { describe, formatAddress, seconds, SshConnectError } from './connect-error.js';
import { Deadline } from './deadline.js';
import { HostKeyVerifier, type HopPlace, type HostKeyOptions } from './host-key-verifier.js';
import { AuthSequence, type AuthOptions } from './ssh-auth.js';
import type { ResolvedHostConfig } from './ssh-config.js';
import { socketError } from './transport.js';

/** What one hop's handshake needs beyond the hop itself. */
export interface HandshakeOptions extends HostKeyOptions, AuthOptions {
  /** SSH handshake plus authentication per hop, not counting time spent waiting for the user; default 30 s. */
  handshakeTimeoutMs?: number;
  /** Cancels connecting (not the session once open: close it instead). */
  signal?: AbortSignal;
}

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 30_000;

/** Runs the SSH handshake and authentication for one hop over an open stream. */
export async function handshake(target: ResolvedHostConfig, sock: Duplex, place: HopPlace, options: HandshakeOptions): Promise<Client> {
  const { role } = place;
  const deadline = new Deadline(options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS);
  const hostKeys = await HostKeyVerifier.load(target, place, options, deadline);
  const userAt = `${target.user}@${formatAddress(target.hostName, target.port)}${role}`;

  const client = new ssh2.Client();
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

    client.on('ready', () => settle(null));
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      // ssh2 reports agent trouble and per-key signing errors as 'error' and carries on with
      // the next method: only the end of the sequence decides.
      if (error.level === 'agent' || (error.level === 'client-authentication' && !auth.exhausted)) return;
      if (hostKeys.failure) return settle(hostKeys.failure);
      if (auth.exhausted) return settle(new SshConnectError('auth-failed', auth.failureMessage(userAt)));
      if (error.level === 'client-socket' && error.code) {
        const mapped = socketError(error as NodeJS.ErrnoException, target.hostName, target.port);
        return settle(new SshConnectError(mapped.status, `${mapped.message}${role}`));
      }
      settle(new SshConnectError('error', `SSH connection to ${userAt} failed: ${error.message}`));
    });
    client.on('close', () => {
      if (hostKeys.failure) return settle(hostKeys.failure);
      if (auth.exhausted) return settle(new SshConnectError('auth-failed', auth.failureMessage(userAt)));
      settle(new SshConnectError('error', `connection closed by ${userAt} during the SSH handshake`));
    });

    try {
      client.connect({
        sock: sock as never, // ssh2's typings want a Readable; a forwarded Channel is a Duplex
        username: target.user,
        // Our Deadline replaces readyTimeout: it pauses while the user answers a prompt.
        readyTimeout: 0,
        keepaliveInterval: 15_000,
        keepaliveCountMax: 4,
        hostVerifier: hostKeys.hostVerifier,
        algorithms: { serverHostKey: hostKeys.serverHostKeyAlgorithms() as never },
        authHandler: (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
          auth.next(methodsLeft, next);
        },
      });
      // A stream that closed while the known_hosts files were read (a ProxyCommand that exited at
      // once, a peer that hung up) never tells the client: fail now instead of at the deadline.
      if (sock.destroyed) settle(new SshConnectError('error', `connection to ${userAt} closed before the SSH handshake`));
    } catch (error) {
      settle(new SshConnectError('error', `SSH connection to ${userAt} failed: ${describe(error)}`));
    }
  });
}
