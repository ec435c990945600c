/**
 * The error a failed connection raises, carrying the host status the scan reports, and the small
 * formatters its one-line messages are made of (shared by every step of connecting).
 */
import type { HostStatus } from '../../shared/model/index.js';

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

/** `host:port`, bracketing IPv6 literals. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A duration for a message, to a tenth of a second (`2.5 s`). */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** The message of a thrown value, for a one-line error. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
