/**
 * Who may talk to the browser host: only a page that holds this run's token, served from a
 * loopback Host (no DNS rebinding), and for the WebSocket only from the same origin as that page.
 * The Host may carry any port, so the host also works through an SSH tunnel (`ssh -L`).
 * Nothing here throws on what a client sends: a request that cannot be read is refused with 400.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { cookieValue, decodePath, parseTarget, printable, type Target } from './request-parts.js';

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

/** A request the host refuses: 400 when it cannot be read, 403 when it may not pass. The reason never holds the token. */
export interface Refusal {
  ok: false;
  status: 400 | 403;
  reason: string;
}

/** A request that may proceed, with the parts the host serves it from. */
export interface Admission {
  ok: true;
  target: Target;
  /** The percent-decoded path. */
  path: string;
  /** True when the token came in the query (the tokened URL), so the host sets the cookie. */
  tokenInQuery: boolean;
}

/** Decides whether a request may proceed, reading every part of it without throwing. */
export function admit(request: IncomingMessage, token: string, { requireSameOrigin }: { requireSameOrigin: boolean }): Admission | Refusal {
  const refuse = (status: 400 | 403, reason: string): Refusal => ({ ok: false, status, reason });
  const target = parseTarget(request.url);
  if (!target) return refuse(400, 'the request target cannot be parsed');
  const host = request.headers.host ?? '';
  if (!LOOPBACK_HOST.test(host)) return refuse(403, `Host ${printable(host)} is not a loopback address`);
  if (target.authority !== null && target.authority.toLowerCase() !== host.toLowerCase()) return refuse(400, 'the target names another host than Host');
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return refuse(403, `Origin ${printable(origin)} is not this host`);
  if (requireSameOrigin && origin === undefined) return refuse(403, 'no Origin header');
  const fromQuery = target.searchParams.get('token');
  const tokenInQuery = tokenMatches(token, fromQuery);
  if (!tokenInQuery) {
    const fromCookie = cookieValue(request.headers.cookie, TOKEN_COOKIE);
    if (fromCookie === null && !fromQuery) return refuse(400, 'the token cookie is not valid percent-encoding');
    if (!tokenMatches(token, fromQuery || fromCookie)) return refuse(403, 'missing or wrong token');
  }
  const path = decodePath(target.pathname);
  if (path === null) return refuse(400, 'the path is not valid percent-encoded UTF-8');
  return { ok: true, target, path, tokenInQuery };
}
