/**
 * Who may talk to the browser host: only a page that holds this run's token, served from a
 * loopback Host (no DNS rebinding), and for the WebSocket only from the same origin as that page.
 * The Host may carry any port, so the host also works through an SSH tunnel (`ssh -L`).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Name of the cookie set when the tokened URL is first opened, so the page's assets load. */
export const TOKEN_COOKIE = 'blast_radius_token';

const LOOPBACK_HOST = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(:\d{1,5})?$/i;

/** Constant-time token comparison. */
export function tokenMatches(expected: string, offered: string | null | undefined): boolean {
  if (typeof offered !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(offered);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request offers: `?token=` first, then the cookie. */
export function offeredToken(request: IncomingMessage): string | null {
  const url = new URL(request.url ?? '/', 'http://placeholder');
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** Why a request is refused, or null when it may proceed. */
export function refusalReason(request: IncomingMessage, token: string, { requireSameOrigin }: { requireSameOrigin: boolean }): string | null {
  const host = request.headers.host ?? '';
  if (!LOOPBACK_HOST.test(host)) return `Host ${JSON.stringify(host)} is not a loopback address`;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return `Origin ${JSON.stringify(origin)} is not this host`;
  if (requireSameOrigin && origin === undefined) return 'no Origin header';
  if (!tokenMatches(token, offeredToken(request))) return 'missing or wrong token';
  return null;
}
