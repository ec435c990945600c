/**
 * One SSH connection per host (through ProxyJump hops or the user's ProxyCommand when configured) that runs POSIX sh
 * scripts as channels on that connection. Read-only by construction: the only thing ever
 * executed is `sh -s`, with the script on standard input.
 *
 * Each hop is reached (transport.ts), handshaken with host-key checking (host-key-verifier.ts)
 * and authentication (ssh-auth.ts) under one deadline (handshake.ts); the last hop's connection
 * runs the scripts (channel-session.ts).
 */
import type { Client } from 'ssh2';
import type { CommandRunner } from '../exec/command-runner.js';
import { ChannelSession } from './channel-session.js';
import { describe, formatAddress, SshConnectError } from './connect-error.js';
import { handshake, type HandshakeOptions } from './handshake.js';
import { Semaphore } from './semaphore.js';
import type { ResolvedHostConfig } from './ssh-config.js';
import { startProxyCommand } from './proxy-command.js';
import { forwardThrough, socketAddress, tcpConnect } from './transport.js';

/** Options for openSshSession: the host, and how each of its hops connects, checks keys and authenticates. */
export interface OpenSshSessionOptions extends HandshakeOptions {
  host: ResolvedHostConfig;
  /** Channels open at once on the connection; default DEFAULT_MAX_CHANNELS, lowered on the fly to what a server with a smaller MaxSessions allows. */
  maxConcurrentChannels?: number;
  /** TCP connect timeout per hop; defaults to the config's ConnectTimeout, else 15 s. */
  connectTimeoutMs?: number;
}

/** An open connection to one host that runs scripts; close it when done. */
export interface SshSession extends CommandRunner {
  readonly host: ResolvedHostConfig;
  /** Closes the connection (and the jump hosts' connections); running scripts are cut off. */
  close(): Promise<void>;
}

/**
 * Default for OpenSshSessionOptions.maxConcurrentChannels: conservative, half of OpenSSH's default
 * MaxSessions of 10. A host's collection uses four at once (HOST_WORK_CHANNELS); the fifth keeps
 * room for the liveness check sent when a script times out.
 */
export const DEFAULT_MAX_CHANNELS = 5;
const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

/** Connects to a host (through its ProxyJump hops), authenticates and verifies host keys. */
export async function openSshSession(options: OpenSshSessionOptions): Promise<SshSession> {
  const { host } = options;
  const chain = [...host.proxyJump, host];
  const clients: Client[] = [];
  try {
    for (const [index, target] of chain.entries()) {
      const via = index > 0 ? chain[index - 1]! : null;
      const role = index < chain.length - 1 ? ` (jump host for ${host.alias})` : '';
      const connectTimeoutMs = options.connectTimeoutMs ?? target.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
      // Only the first hop can have its own ProxyCommand: every later one is reached through the hop before (ssh -J).
      const proxy = !via && target.proxyCommand ? await startProxyCommand(target, options.signal) : null;
      const sock = via
        ? await forwardThrough(clients[index - 1]!, via, target, connectTimeoutMs, options.signal)
        : (proxy?.stream ?? (await tcpConnect(target.hostName, target.port, connectTimeoutMs, options.signal)));
      const address = via || proxy ? formatAddress(target.hostName, target.port) : socketAddress(sock, target);
      try {
        clients.push(await handshake(target, sock, { address, role }, options));
      } catch (error) {
        throw proxy ? await proxy.explain(error) : error;
      }
    }
  } catch (error) {
    for (const client of clients.reverse()) client.end();
    throw error instanceof SshConnectError ? error : new SshConnectError('error', describe(error));
  }
  return new ChannelSession(host, clients, new Semaphore(options.maxConcurrentChannels ?? DEFAULT_MAX_CHANNELS));
}
