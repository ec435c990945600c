/**
 * Cleans URLs read from configs so they can go into a report: no user, no password, no query,
 * no fragment, and no path segment that looks like a token (webhook and bot URLs carry their
 * secret in the path). What remains names where requests go, not how they authenticate.
 */

/** A URL fit for a report, and the host and port it reaches. */
export interface CleanEndpoint {
  url: string;
  host: string;
  port: number;
}

/** Schemes of services that take requests over HTTP or WebSocket. */
const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };

/** Every http(s)/ws(s) URL written in a value (a value may list several, comma- or space-separated). */
const URL_PATTERN = /\b(?:https?|wss?):\/\/[^\s"'<>,;`|\\]+/gi;

/** The URLs found in a value, cleaned; unexpanded variables (`${HOST}`) and unparseable ones are left out. */
export function endpointsInText(value: string): CleanEndpoint[] {
  const found: CleanEndpoint[] = [];
  for (const match of value.matchAll(URL_PATTERN)) {
    const endpoint = cleanUrl(match[0]);
    if (endpoint) found.push(endpoint);
  }
  return found;
}

/** One URL cleaned for a report, or null when it is not an http(s)/ws(s) URL naming a concrete host. */
export function cleanUrl(raw: string): CleanEndpoint | null {
  const trimmed = raw.trim().replace(/[).\]}]+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return null;
  }
  const defaultPort = DEFAULT_PORTS[parsed.protocol];
  if (defaultPort === undefined) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!isConcreteHost(host)) return null;
  const port = parsed.port ? Number(parsed.port) : defaultPort;
  const path = cleanPath(parsed.pathname);
  return { url: `${parsed.protocol}//${parsed.host}${path}`, host, port };
}

/**
 * A `host:port` value without a scheme (`OLLAMA_HOST=ollama:11434`), accepted only for variables
 * whose names say they hold an address; the URL is kept as written, without inventing a scheme.
 */
export function hostPortEndpoint(variable: string, value: string): CleanEndpoint | null {
  if (!SEPARATED_ADDRESS_NAME.test(variable) && !CAMEL_ADDRESS_NAME.test(variable)) return null;
  const match = /^\s*(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\/?\s*$/.exec(value);
  if (!match) return null;
  const host = (match[1] ?? '').replace(/^\[|\]$/g, '');
  const port = Number(match[2]);
  if (!isConcreteHost(host) || port < 1 || port > 65535) return null;
  // `OLLAMA_HOST=0.0.0.0:11434` on the server itself is where it listens, not where it sends.
  if (host === '0.0.0.0' || host === '::') return null;
  return { url: `${match[1]}:${port}`, host: host.toLowerCase(), port };
}

/** Names like `OLLAMA_HOST`, `TGI_ENDPOINT`, `OPENAI_API_BASE`, `openai-api-base`, `apiBase`, `BASE_URL`. */
const SEPARATED_ADDRESS_NAME = /(?:^|[_.-])(?:host|addr|address|endpoint|base|url|uri|server)$/i;
const CAMEL_ADDRESS_NAME = /[a-z](?:Host|Addr|Address|Endpoint|Base|Url|URL|Uri|Server)$/;

function isConcreteHost(host: string): boolean {
  // Placeholders (`${HOST}`, `{{host}}`, `<your-host>`) and empty hosts name nothing yet.
  return host.length > 0 && host.length <= 253 && !/[${}<>%*]/.test(host);
}

/** The path up to the first segment that could be a credential; the rest becomes `…`. */
function cleanPath(pathname: string): string {
  if (pathname === '/' || pathname === '') return pathname === '/' ? '/' : '';
  const kept: string[] = [];
  for (const segment of pathname.split('/').slice(1)) {
    if (looksLikeToken(segment)) {
      kept.push('…');
      break;
    }
    kept.push(segment);
  }
  return `/${kept.join('/')}`;
}

function looksLikeToken(segment: string): boolean {
  const decoded = safeDecode(segment);
  if (decoded.length > 64) return true;
  if (/^(?:sk|pk|rk|gsk|xox[abprs]|ghp|gho|ghs|hf|bot\d)[-_]?/i.test(decoded) && decoded.length >= 16) return true;
  // A long run mixing letters and digits (or a colon, as bot tokens do) reads as a key, not a route.
  return decoded.length >= 16 && /[A-Za-z]/.test(decoded) && /\d/.test(decoded) && !/^v\d+$/.test(decoded);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
