/**
 * Reads the parts of a request the browser host acts on (target, path, cookie) without ever
 * throwing: every client byte is hostile, and `new URL` or `decodeURIComponent` throw on inputs
 * any local process can send. A malformed part comes back as null, which the host answers with 400.
 */

/** A parsed request target. */
export interface Target {
  /** Still percent-encoded, as the URL parser left it. */
  pathname: string;
  searchParams: URLSearchParams;
  /** `host[:port]` of an absolute-form target (`GET http://host/ HTTP/1.1`); null for the usual origin-form. */
  authority: string | null;
}

/**
 * Parses an origin-form (`/path?query`) or absolute-form (`http://host/path`) request target; null
 * when it is neither or cannot be parsed (an invalid port, a bad host).
 */
export function parseTarget(target: string | undefined): Target | null {
  if (!target) return null;
  let url: URL;
  try {
    // Prefixing keeps an origin-form `//x/y` a path instead of a host named x.
    if (target.startsWith('/')) url = new URL(`http://origin-form${target}`);
    else if (/^https?:\/\//i.test(target)) url = new URL(target);
    else return null;
  } catch {
    return null;
  }
  return { pathname: url.pathname, searchParams: url.searchParams, authority: target.startsWith('/') ? null : url.host };
}

/**
 * Percent-decodes a path; null when an escape is malformed, the bytes are not UTF-8 (overlong
 * forms, encoded surrogates) or the result holds a NUL, none of which names a file of ours.
 */
export function decodePath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  return decoded.includes('\0') ? null : decoded;
}

/** One cookie's decoded value: undefined when the header does not carry it, null when its encoding is malformed. */
export function cookieValue(header: string | undefined, name: string): string | null | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return null;
    }
  }
  return undefined;
}

/** A client-sent value made safe for a log line: printable ASCII only, bounded, quoted. */
export function printable(value: string, max = 80): string {
  const shown = value.length > max ? `${value.slice(0, max)}...` : value;
  return `"${shown.replace(/[^\x20-\x7e]|["\\]/g, '?')}"`;
}
