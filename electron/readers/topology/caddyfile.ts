/** Reads `reverse_proxy` routes out of a Caddyfile. */
import type { ProxyRoute } from '../../../shared/model/index.js';
import { parseHostPort } from './host-port.js';

type Frame =
  | { kind: 'site'; match: string }
  | { kind: 'scope'; matcher: string | null }
  | { kind: 'proxy'; match: string; upstreams: string[] }
  | { kind: 'ignored' }
  | { kind: 'other' };

/** Directives whose block scopes the handlers inside it by a matcher (`handle /api/* { … }`). */
const SCOPING_DIRECTIVES = new Set(['handle', 'handle_path', 'route', 'handle_errors']);

/**
 * Every `reverse_proxy` of a Caddyfile as one route per upstream, matched by the site
 * address(es) plus any path or named matcher in front of it (`llm.example /api/*`). Upstreams come
 * from the directive's arguments and from `to` lines in its block. Snippets and global options
 * are skipped: where a snippet is imported is not tracked.
 */
export function caddyRoutes(text: string, path: string): ProxyRoute[] {
  const routes: ProxyRoute[] = [];
  const stack: Frame[] = [];
  let implicitSite: string | null = null;

  const emit = (match: string, upstreams: string[]) => {
    for (const upstream of upstreams) {
      const target = parseHostPort(upstream);
      if (target) routes.push({ proxy: 'caddy', container: null, path, match, upstreamHost: target.host, upstreamPort: target.port });
    }
  };

  for (const line of text.split(/\r?\n/)) {
    const tokens = caddyTokens(line);
    if (tokens.length === 0) continue;
    if (tokens[0] === '}') {
      const frame = stack.pop();
      if (frame?.kind === 'proxy') emit(frame.match, frame.upstreams);
      continue;
    }
    const opens = tokens[tokens.length - 1] === '{';
    const words = opens ? tokens.slice(0, -1) : tokens;

    if (stack.length === 0) {
      if (opens) {
        const first = words[0] ?? '';
        // `{ … }` alone is the global options block; `(name)` a snippet; `&(name)` a named route.
        stack.push(words.length === 0 || first.startsWith('(') || first.startsWith('&(') ? { kind: 'ignored' } : { kind: 'site', match: siteMatch(words) });
        continue;
      }
      // A Caddyfile with a single site may leave out the braces: its first line is the address.
      if (implicitSite === null) {
        implicitSite = siteMatch(words);
        continue;
      }
    }

    const inside = stack.length === 0 ? null : stack[stack.length - 1];
    if (stack.some((frame) => frame.kind === 'ignored')) {
      if (opens) stack.push({ kind: 'ignored' });
      continue;
    }
    if (inside?.kind === 'proxy') {
      if (words[0] === 'to') inside.upstreams.push(...words.slice(1));
      if (opens) stack.push({ kind: 'other' });
      continue;
    }

    const directive = words[0] ?? '';
    if (directive === 'reverse_proxy') {
      const args = words.slice(1);
      const matcher = args[0] !== undefined && isMatcher(args[0]) ? (args.shift() ?? null) : null;
      const match = [currentSite(stack, implicitSite), ...scopeMatchers(stack), matcher].filter(Boolean).join(' ');
      if (opens) stack.push({ kind: 'proxy', match, upstreams: args });
      else emit(match, args);
    } else if (opens) {
      stack.push(SCOPING_DIRECTIVES.has(directive) ? { kind: 'scope', matcher: words[1] && isMatcher(words[1]) ? words[1] : null } : { kind: 'other' });
    }
  }
  return routes;
}

function siteMatch(words: string[]): string {
  return words.flatMap((word) => word.split(',')).filter(Boolean).join(', ');
}

function currentSite(stack: Frame[], implicitSite: string | null): string {
  const site = stack.find((frame): frame is Extract<Frame, { kind: 'site' }> => frame.kind === 'site');
  return site?.match ?? implicitSite ?? '';
}

function scopeMatchers(stack: Frame[]): string[] {
  return stack.flatMap((frame) => (frame.kind === 'scope' && frame.matcher ? [frame.matcher] : []));
}

/** A matcher token: `*`, a path (`/api/*`), or a named matcher (`@api`). */
function isMatcher(token: string): boolean {
  return token === '*' || token.startsWith('/') || token.startsWith('@');
}

/** Caddyfile tokens of one line: whitespace-separated, `"…"` and `` `…` `` quoted, `#` at a token start begins a comment. */
function caddyTokens(line: string): string[] {
  const tokens: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
  for (const match of line.matchAll(pattern)) {
    const bare = match[3];
    if (bare !== undefined && bare.startsWith('#')) break;
    tokens.push(match[1] ?? match[2] ?? bare ?? '');
  }
  return tokens;
}
