/**
 * Reads a gateway's access log, as `docker logs --timestamps` (or `podman logs --timestamps`)
 * prints it, into requests per client address per hour. Only uvicorn access lines count
 * (`INFO:     172.20.0.3:51234 - "POST /v1/chat/completions HTTP/1.1" 200 OK`, the format
 * LiteLLM's and vLLM's servers print), and of each only the address, time, path and status are
 * kept. Every other line is dropped unread: debug lines can hold prompts and keys. Pure.
 */
import type { GatewayClientTraffic } from '../../shared/model/index.js';

/** Bounds on what one gateway's traffic may hold. */
export const GATEWAY_LOG_LIMITS = {
  /** Client addresses kept (the busiest); the rest are counted as left out. */
  maxClients: 200,
  /** Distinct paths kept per client. */
  maxPathsPerClient: 50,
  /** Characters of a path kept. */
  maxPathChars: 200,
} as const;

/** What a log says, per client. */
export interface ParsedGatewayLog {
  /** Clients, most requests first. */
  clients: GatewayClientTraffic[];
  /** Access lines read (in the window). */
  requests: number;
  /** Clients beyond GATEWAY_LOG_LIMITS.maxClients, left out. */
  clientsLeftOut: number;
}

/** Docker's RFC3339Nano prefix (`2026-03-24T11:02:03.123456789Z `), or Podman's with an offset. */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) /;

/** uvicorn's default access format: `%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s`. */
const ACCESS = /^INFO:\s+(\S+) - "([A-Z]{3,10}) (\S+) HTTP\/\d(?:\.\d)?" (\d{3})(?: [^"]*)?$/;

/** Colour codes uvicorn adds when its stream is a terminal (a container started with `-t`). */
const ANSI = /\x1b\[[0-9;]*m/g;

/** Path segments that look like ids or tokens (long, or mixing letters and digits at length) are not kept. */
const SAFE_SEGMENT = /^[A-Za-z0-9._~-]{0,40}$/;

interface Tally {
  address: string;
  requests: number;
  first: number;
  last: number;
  hours: Map<string, number>;
  paths: Set<string>;
  statuses: Map<number, number>;
}

/** Tallies the access lines of `text` whose time lies in `window` (both ends inclusive). */
export function parseGatewayLog(text: string, window: { start: string; end: string }): ParsedGatewayLog {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  const tallies = new Map<string, Tally>();
  let requests = 0;
  for (const line of text.split('\n')) {
    const access = accessLine(line);
    if (!access || access.time < start || access.time > end) continue;
    requests += 1;
    const tally = tallies.get(access.address) ?? {
      address: access.address,
      requests: 0,
      first: access.time,
      last: access.time,
      hours: new Map<string, number>(),
      paths: new Set<string>(),
      statuses: new Map<number, number>(),
    };
    tally.requests += 1;
    tally.first = Math.min(tally.first, access.time);
    tally.last = Math.max(tally.last, access.time);
    const hour = `${new Date(access.time).toISOString().slice(0, 13)}:00:00Z`;
    tally.hours.set(hour, (tally.hours.get(hour) ?? 0) + 1);
    if (tally.paths.size < GATEWAY_LOG_LIMITS.maxPathsPerClient) tally.paths.add(access.path);
    tally.statuses.set(access.status, (tally.statuses.get(access.status) ?? 0) + 1);
    tallies.set(access.address, tally);
  }
  const ordered = [...tallies.values()].sort((a, b) => b.requests - a.requests || (a.address < b.address ? -1 : 1));
  return {
    clients: ordered.slice(0, GATEWAY_LOG_LIMITS.maxClients).map(toClient),
    requests,
    clientsLeftOut: Math.max(0, ordered.length - GATEWAY_LOG_LIMITS.maxClients),
  };
}

/** The fields of one access line, or null for any other line. */
function accessLine(raw: string): { time: number; address: string; path: string; status: number } | null {
  const stamped = TIMESTAMP.exec(raw);
  if (!stamped) return null;
  const time = Date.parse(stamped[1]!);
  if (Number.isNaN(time)) return null;
  const match = ACCESS.exec(raw.slice(stamped[0].length).replace(ANSI, '').replace(/\r$/, ''));
  if (!match) return null;
  const address = clientAddress(match[1]!);
  if (address === null) return null;
  return { time, address, path: keptPath(match[3]!), status: Number(match[4]) };
}

/** The address of uvicorn's `host:port` (`172.20.0.3:51234`, `::1:51234`); null for `-` or anything not an IP. */
function clientAddress(clientAddr: string): string | null {
  const colon = clientAddr.lastIndexOf(':');
  if (colon <= 0 || !/^\d{1,5}$/.test(clientAddr.slice(colon + 1))) return null;
  const host = clientAddr.slice(0, colon).replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return host;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(host);
  if (mapped) return mapped[1]!;
  return /^[0-9a-f:]+$/.test(host) && host.includes(':') ? host : null;
}

/** The path only: no query string or fragment, token-like segments replaced by `{id}`, bounded. */
function keptPath(target: string): string {
  const path = target.replace(/[?#].*$/, '');
  if (!path.startsWith('/')) return '{other}';
  const kept = path
    .split('/')
    .map((segment) => (SAFE_SEGMENT.test(segment) && !looksLikeToken(segment) ? segment : '{id}'))
    .join('/');
  return kept.length > GATEWAY_LOG_LIMITS.maxPathChars ? `${kept.slice(0, GATEWAY_LOG_LIMITS.maxPathChars)}…` : kept;
}

/** Keys and ids (`sk-…`, hex, base64url) in a path would otherwise reach the report. */
function looksLikeToken(segment: string): boolean {
  if (/^sk-/i.test(segment)) return true;
  return segment.length >= 16 && /\d/.test(segment) && /[A-Za-z]/.test(segment);
}

function toClient(tally: Tally): GatewayClientTraffic {
  return {
    address: tally.address,
    requests: tally.requests,
    first: new Date(tally.first).toISOString(),
    last: new Date(tally.last).toISOString(),
    hours: [...tally.hours].sort(([a], [b]) => (a < b ? -1 : 1)).map(([hour, requests]) => ({ hour, requests })),
    paths: [...tally.paths].sort(),
    statuses: [...tally.statuses].sort(([a, x], [b, y]) => y - x || a - b).map(([status, requests]) => ({ status, requests })),
  };
}
