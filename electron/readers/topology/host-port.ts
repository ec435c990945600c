/** Splits the `host:port` forms proxies write for their upstreams. */

/** A host and port; the port comes from the scheme when the text has none. */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * `host:port`, `[v6]:port`, `scheme://host[:port][/path]`, `:port` (this machine). Placeholders
 * (`{…}`, `$var`) and Unix sockets give null: they name nothing a graph can join on.
 */
export function parseHostPort(raw: string, defaultScheme = 'http'): HostPort | null {
  let rest = raw.trim();
  if (rest === '' || /^unix[:/+]/i.test(rest)) return null;
  let scheme = defaultScheme;
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(rest);
  if (schemeMatch) {
    scheme = (schemeMatch[1] ?? '').toLowerCase();
    rest = schemeMatch[2] ?? '';
  }
  rest = rest.replace(/[/?#].*$/, '').replace(/^[^@]*@/, '');
  // Placeholders in the path (`/$1`) are fine; in the host they name nothing yet.
  if (/[{}$]/.test(rest)) return null;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*)(?::(\d{1,5})(?:-\d{1,5})?)?$/.exec(rest);
  if (!match) return null;
  const host = (match[1] ?? '').replace(/^\[|\]$/g, '') || 'localhost';
  const port = match[2] ? Number(match[2]) : scheme === 'https' || scheme === 'wss' || scheme === 'grpcs' ? 443 : 80;
  if (port < 1 || port > 65535) return null;
  return { host, port };
}
