/**
 * The stream each hop's SSH runs over: a TCP connection to the first hop, then, for every later
 * hop, a direct-tcpip channel opened by the previous hop's connection (what `ssh -J` does).
 * Failures become one-line SshConnectErrors whose status says whether the host was unreachable.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import type { HostStatus } from '../../shared/model/index.js';
import { formatAddress, seconds, SshConnectError } from './connect-error.js';
import type { ResolvedHostConfig } from './ssh-config.js';

/** Opens a TCP connection, mapping failures to one-line `unreachable` errors. */
export function tcpConnect(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<net.Socket> {
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

/** Maps a socket error to the host status and message the scan reports. */
export function socketError(error: NodeJS.ErrnoException, host: string, port: number): SshConnectError {
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
export function forwardThrough(
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

/** The address a direct connection reached (`ip:port`), as host-key questions name it. */
export function socketAddress(sock: Duplex, target: ResolvedHostConfig): string {
  const remote = (sock as net.Socket).remoteAddress;
  return formatAddress(remote ?? target.hostName, target.port);
}
