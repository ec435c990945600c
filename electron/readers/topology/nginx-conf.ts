/** Reads `proxy_pass` routes (and the `upstream` blocks they name) out of nginx configuration files. */
import type { ProxyRoute } from '../../../shared/model/index.js';
import { parseHostPort, type HostPort } from './host-port.js';

/** One directive: its name, arguments, and block when it has one. */
interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
}

/** An nginx file parsed once: its directives, for upstreams and routes. */
export interface NginxFile {
  path: string;
  directives: Directive[];
}

/** Deepest nesting followed; real configs stay well under it. */
const MAX_DEPTH = 16;

/** Parses one nginx file into directives; unbalanced braces end the parse where they stand. */
export function parseNginx(text: string, path: string): NginxFile {
  const tokens = nginxTokens(text);
  let at = 0;
  const readBlock = (depth: number): Directive[] => {
    const directives: Directive[] = [];
    let words: string[] = [];
    while (at < tokens.length) {
      const token = tokens[at++] ?? '';
      if (token === ';') {
        if (words.length > 0) directives.push({ name: words[0] ?? '', args: words.slice(1) });
        words = [];
      } else if (token === '{') {
        const block = depth < MAX_DEPTH ? readBlock(depth + 1) : [];
        directives.push({ name: words[0] ?? '', args: words.slice(1), block });
        words = [];
      } else if (token === '}') {
        return directives;
      } else {
        words.push(token);
      }
    }
    return directives;
  };
  return { path, directives: readBlock(0) };
}

/** The `upstream name { server host:port; … }` blocks of some files (they may live in another file than the proxy_pass). */
export function nginxUpstreams(files: readonly NginxFile[]): Map<string, HostPort[]> {
  const upstreams = new Map<string, HostPort[]>();
  const visit = (directives: Directive[]) => {
    for (const directive of directives) {
      if (directive.name === 'upstream' && directive.args[0] && directive.block) {
        const servers = directive.block
          .filter((entry) => entry.name === 'server' && entry.args[0])
          .flatMap((entry) => {
            const target = parseHostPort(entry.args[0] ?? '');
            return target ? [target] : [];
          });
        upstreams.set(directive.args[0], servers);
      } else if (directive.block) {
        visit(directive.block);
      }
    }
  };
  for (const file of files) visit(file.directives);
  return upstreams;
}

/**
 * The routes of one file: each `proxy_pass` (and `grpc_pass`) in a `server` block, matched by its
 * `server_name` (or `listen`) plus the enclosing `location`s. A target naming an `upstream`
 * gives one route per server in it. Stream-module `proxy_pass host:port` (no scheme) works too.
 */
export function nginxRoutes(file: NginxFile, upstreams: ReadonlyMap<string, HostPort[]>): ProxyRoute[] {
  const routes: ProxyRoute[] = [];
  const visit = (directives: Directive[], server: string | null, locations: string[]) => {
    for (const directive of directives) {
      if (directive.name === 'server' && directive.block) {
        visit(directive.block, serverMatch(directive.block), []);
      } else if (directive.name === 'location' && directive.block) {
        visit(directive.block, server, [...locations, directive.args.join(' ')]);
      } else if ((directive.name === 'proxy_pass' || directive.name === 'grpc_pass') && directive.args[0] && server !== null) {
        const match = [server, ...locations].filter(Boolean).join(' ');
        for (const target of resolveTarget(directive.args[0], upstreams)) {
          routes.push({ proxy: 'nginx', container: null, path: file.path, match, upstreamHost: target.host, upstreamPort: target.port });
        }
      } else if (directive.block && directive.name !== 'upstream') {
        visit(directive.block, server, locations);
      }
    }
  };
  visit(file.directives, null, []);
  return routes;
}

/** `server_name a b;` or, when a server has none (or `_`), its `listen` addresses. */
function serverMatch(block: Directive[]): string {
  const names = block.filter((d) => d.name === 'server_name').flatMap((d) => d.args).filter((name) => name !== '_' && name !== '""');
  if (names.length > 0) return names.join(' ');
  return block.filter((d) => d.name === 'listen').map((d) => d.args[0] ?? '').filter(Boolean).join(' ');
}

function resolveTarget(target: string, upstreams: ReadonlyMap<string, HostPort[]>): HostPort[] {
  const withoutScheme = target.replace(/^[a-z]+:\/\//i, '');
  const name = withoutScheme.replace(/[/?].*$/, '').replace(/^[^@]*@/, '');
  const group = upstreams.get(name);
  if (group) return group;
  const single = parseHostPort(target);
  return single ? [single] : [];
}

/** nginx tokens: words, quoted strings, and the `;`, `{`, `}` punctuation; `#` starts a comment. */
function nginxTokens(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([;{}])|([^\s;{}"'#]+(?:#[^\s;{}]*)*)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[0].startsWith('#')) continue;
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
  }
  return tokens;
}
