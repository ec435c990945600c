/**
 * The `app://` scheme the Electron window loads the renderer from, instead of `file://`
 * (Electron security checklist item 18): which URLs it answers, which file each one means, and
 * the response. Plain Node, no `electron` import, so the path confinement is unit-tested without
 * the runtime; main.ts registers the scheme and hands `serveAppRequest` to `protocol.handle`.
 */
import fs from 'node:fs';
import { extname, isAbsolute, join, relative, sep } from 'node:path';

/** The privileged scheme the renderer is served from. */
export const APP_SCHEME = 'app';

/** The only host the scheme answers for: every other host is a 404. */
export const APP_HOST = 'renderer';

/** The renderer's origin, as Chromium reports it for a standard scheme. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The page the window loads, and the only page whose frame may call the IPC channels. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * The scheme's privileges. `standard` gives the pages a real origin, so relative URLs resolve and
 * CSP `'self'` means `app://renderer`; `secure` makes it a secure context like https;
 * `supportFetchAPI` lets the app's own pages fetch their own files. Deliberately absent:
 * `corsEnabled` (it would let other origins read these files), `bypassCSP`, `allowServiceWorkers`.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

/** The policy every response of the scheme carries: scripts only from the app's own origin. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** The Content-Type for a served file, by extension; unknown kinds are opaque bytes. */
export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * A decoded path segment that may name a file: not empty, no separator of any platform, no
 * control character (NUL included), no drive or stream colon, none of the characters Windows
 * forbids in names, and not ending in a dot or a space, because Windows strips those (so `..`,
 * `...` and `.. ` all fall here).
 */
function isPlainSegment(segment: string): boolean {
  return segment.length > 0 && !/[/\\:*?"<>|\u0000-\u001f\u007f]/u.test(segment) && !/[. ]$/u.test(segment);
}

/**
 * The file an `app://` URL names, as a path inside `root`, or null when the URL is not one the
 * scheme serves. The URL parser has already resolved literal and `%2e` dot segments and dropped
 * the query and fragment; each remaining segment is decoded exactly once (a malformed or
 * overlong UTF-8 escape makes decoding throw: null) and must be a plain name, so an encoded
 * separator, a doubly encoded dot segment (decoded once, it is still `%2e%2e`, a missing file),
 * a backslash or a NUL can never climb out. Symlinks are checked against the disk by
 * `serveAppRequest`.
 */
export function resolveAppPath(requestUrl: string, root: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return null;
  if (url.username !== '' || url.password !== '') return null;
  const pathname = url.pathname === '' || url.pathname === '/' ? '/index.html' : url.pathname;
  if (!pathname.startsWith('/')) return null;
  const segments: string[] = [];
  for (const raw of pathname.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (!isPlainSegment(segment)) return null;
    segments.push(segment);
  }
  const candidate = join(root, ...segments);
  return isInside(root, candidate) ? candidate : null;
}

/** Whether `path` lies strictly inside folder `root` (both absolute and already normalised). */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** What the scheme answers: a status, headers and, for 200 on GET, the file's bytes. */
export interface AppResponse {
  status: 200 | 404 | 405;
  headers: Record<string, string>;
  body: Uint8Array | null;
}

const BASE_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
} as const;

const notFound = (): AppResponse => ({ status: 404, headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, body: null });

/**
 * Answers one request of the scheme from the files under `root` (the renderer's build folder):
 * GET and HEAD only; a file whose real path (symlinks followed) leaves the real root, a folder, a
 * missing file or a URL `resolveAppPath` refuses are all the same 404, so a page cannot probe
 * what exists outside. The fs calls go through the `fs` object at call time, where Electron's
 * asar support patches them, so this also serves from inside app.asar.
 */
export async function serveAppRequest(request: { url: string; method: string }, root: string): Promise<AppResponse> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return { status: 405, headers: { ...BASE_HEADERS, Allow: 'GET, HEAD' }, body: null };
  }
  const candidate = resolveAppPath(request.url, root);
  if (candidate === null) return notFound();
  try {
    const [realRoot, realFile] = await Promise.all([fs.promises.realpath(root), fs.promises.realpath(candidate)]);
    if (!isInside(realRoot, realFile)) return notFound();
    const stat = await fs.promises.stat(realFile);
    if (!stat.isFile()) return notFound();
    const headers = { ...BASE_HEADERS, 'Content-Type': contentTypeFor(realFile) };
    if (request.method === 'HEAD') return { status: 200, headers: { ...headers, 'Content-Length': String(stat.size) }, body: null };
    const body = await fs.promises.readFile(realFile);
    return { status: 200, headers: { ...headers, 'Content-Length': String(body.byteLength) }, body };
  } catch {
    return notFound();
  }
}
