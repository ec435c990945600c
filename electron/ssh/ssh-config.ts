/**
 * Reads the user's OpenSSH client configuration (ssh_config(5)) the way `ssh` does, for the
 * keywords that decide how Blast Radius reaches a host: HostName, Port, User, IdentityFile,
 * IdentitiesOnly, IdentityAgent, ProxyJump, ProxyCommand, UserKnownHostsFile,
 * GlobalKnownHostsFile, HashKnownHosts, StrictHostKeyChecking, ConnectTimeout, Include and Match;
 * `loadSshConfig` reads the user's file, then the system's `/etc/ssh/ssh_config`, as `ssh` does.
 *
 * Semantics kept from OpenSSH (readconf.c):
 * - Keywords are case-insensitive; `Keyword value` and `Keyword=value` both work; arguments may
 *   be quoted; a token starting with `#` ends the line.
 * - For each keyword the first value obtained wins, across all matching blocks, in file order.
 *   IdentityFile accumulates instead (every matching line adds a file).
 * - `Host` patterns are matched against the alias given by the user, with `*`, `?` and `!`.
 * - `Include` paths are relative to ~/.ssh, may be globs (sorted matches) and nest up to 16 deep;
 *   an Include inside a Host block only applies when that block does, until the included file
 *   declares its own Host block; the enclosing block's state is restored afterwards.
 * - `Match` blocks apply when all their criteria hold: `all`, `host` (the host name as set so far),
 *   `originalhost` (the name the user gave), `user` (the remote user as set so far), `localuser`,
 *   `final` (a second pass, made when any block asks for it, that only fills what is still unset)
 *   and `canonical` (never: host names are not canonicalised), each negatable with `!`. A block
 *   with `exec` is skipped with a warning: it would run a command to decide, and nothing is run to
 *   read a config. Other criteria (`localnetwork`, `tagged`, …) are skipped the same way, since
 *   applying them wrongly could connect with the wrong user or key.
 *
 * The parser is a pure function over text plus an include-resolver, so tests need no files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir, hostname as osHostname, userInfo } from 'node:os';
import path from 'node:path';
import { isPattern, matchPatternList } from './wildcard.js';

/** What `StrictHostKeyChecking` asks for (`off`/`false` normalise to `no`, `true` to `yes`). */
export type StrictHostKeyChecking = 'yes' | 'no' | 'accept-new' | 'ask';

/** Everything needed to connect to one host, with OpenSSH defaults filled in. */
export interface ResolvedHostConfig {
  /** The name the user asked for (the Host alias, or a ProxyJump hop's host). */
  alias: string;
  hostName: string;
  port: number;
  user: string;
  /** Absolute paths, in the order to try; the default key names when the config gives none. */
  identityFiles: string[];
  identitiesOnly: boolean;
  /** Jump hosts to cross, first hop first; each hop's own `proxyJump` is empty (already flattened here). */
  proxyJump: ResolvedHostConfig[];
  userKnownHostsFiles: string[];
  /** System-wide known_hosts files OpenSSH also trusts (read only). */
  globalKnownHostsFiles: string[];
  strictHostKeyChecking: StrictHostKeyChecking;
  /** TCP connect timeout from ConnectTimeout; null when the config sets none. */
  connectTimeoutMs: number | null;
  /**
   * A ProxyCommand that took precedence over ProxyJump, `%h %p %r %n %%` expanded: the user's own
   * local command, run as OpenSSH runs it (`exec` through the shell, its stdin and stdout the connection).
   */
  proxyCommand: string | null;
  /**
   * The agent socket from IdentityAgent (`~`, `%` tokens and `${VAR}` expanded; `SSH_AUTH_SOCK`
   * means that variable's socket); null for `none`; undefined when the config sets none (the
   * environment's SSH_AUTH_SOCK is used).
   */
  identityAgent?: string | null;
  /** HashKnownHosts: keys accepted for this host are written to known_hosts with the host name hashed. */
  hashKnownHosts: boolean;
}

/** One file an Include pattern resolved to. */
export interface IncludedFile {
  path: string;
  text: string;
}

/** Returns the files an absolute Include pattern (possibly a glob) names, sorted; [] when none. */
export type IncludeResolver = (absolutePattern: string) => IncludedFile[];

/** The local facts token expansion and defaults depend on. */
export interface SshConfigEnvironment {
  homeDir: string;
  localUser: string;
  /** Short local host name, for the %l token. */
  localHostName: string;
  uid: number;
  /** The environment `${VAR}` references and IdentityAgent SSH_AUTH_SOCK read (the process's by default). */
  variables: Readonly<Record<string, string | undefined>>;
}

/** Options for parseSshConfig. */
export interface ParseSshConfigOptions {
  /** Where the text came from, for warnings. */
  path?: string;
  resolveInclude?: IncludeResolver;
  /** Base folder for relative Include paths; defaults to `<home>/.ssh`. */
  includeBase?: string;
  environment?: Partial<SshConfigEnvironment>;
  /**
   * The system-wide file (`/etc/ssh/ssh_config`), read after the user's as `ssh` does: its values
   * count only where the user's file set none, its relative Includes are under /etc/ssh, and its
   * Host aliases are not listed as the user's hosts.
   */
  system?: IncludedFile;
}

/** One criterion of a `Match` line that can be evaluated without running anything. */
interface MatchCriterion {
  name: 'all' | 'host' | 'originalhost' | 'user' | 'localuser' | 'final' | 'canonical';
  negated: boolean;
  /** The comma-separated pattern list, for the criteria that take one. */
  patterns: string[];
}

type Condition = { kind: 'all' } | { kind: 'never' } | { kind: 'host'; patterns: string[] } | { kind: 'match'; criteria: MatchCriterion[] };

/** What a `Match` criterion is checked against while the options of one host are gathered. */
interface MatchContext {
  originalHost: string;
  host: string;
  user: string;
  localUser: string;
  final: boolean;
}

interface ConfigEntry {
  keyword: string;
  args: string[];
  condition: Condition;
}

/** Nesting limit for Include, as READCONF_MAX_DEPTH in OpenSSH. */
const MAX_INCLUDE_DEPTH = 16;
/** Guards against ProxyJump loops (a → b → a). */
const MAX_JUMP_DEPTH = 8;
const DEFAULT_IDENTITY_NAMES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** A parsed ssh_config: lists Host aliases and resolves any host name to its settings. */
export class SshConfig {
  /** @internal Built by parseSshConfig. */
  constructor(
    private readonly entries: readonly ConfigEntry[],
    private readonly hostPatterns: readonly string[],
    private readonly environment: SshConfigEnvironment,
    /** Problems that did not stop parsing (unreadable include, bad value), one line each. */
    readonly warnings: readonly string[],
  ) {}

  /** Host aliases that name one host (no wildcards, no negation), in file order, without duplicates. */
  concreteHosts(): string[] {
    const seen = new Set<string>();
    const hosts: string[] = [];
    for (const pattern of this.hostPatterns) {
      if (isPattern(pattern) || seen.has(pattern)) continue;
      seen.add(pattern);
      hosts.push(pattern);
    }
    return hosts;
  }

  /** Resolves an alias (or any host name) to connection settings, following ProxyJump hops. */
  resolve(alias: string): ResolvedHostConfig {
    return this.resolveAt(alias, [], {});
  }

  private resolveAt(alias: string, chain: readonly string[], overrides: { user?: string; port?: number }): ResolvedHostConfig {
    // OpenSSH would recurse forever here (a `Host *` ProxyJump that also matches the jump host).
    if (chain.includes(alias)) throw new Error(`ProxyJump loop: ${[...chain, alias].join(' -> ')}`);
    if (chain.length > MAX_JUMP_DEPTH) throw new Error(`ProxyJump chain for ${chain[0]} is too deep`);
    const values = this.collect(alias);
    const env = this.environment;

    const hostNameRaw = first(values, 'hostname');
    const hostName = hostNameRaw ? expandTokens(hostNameRaw, { h: alias, '%': '%' }) : alias;
    const portRaw = first(values, 'port');
    const parsedPort = portRaw === undefined ? undefined : parsePort(portRaw);
    const port = overrides.port ?? parsedPort ?? 22;
    const user = overrides.user ?? first(values, 'user') ?? env.localUser;

    const tokens: Record<string, string> = {
      '%': '%',
      d: env.homeDir,
      h: hostName,
      i: String(env.uid),
      l: env.localHostName,
      n: alias,
      p: String(port),
      r: user,
      u: env.localUser,
    };
    const expandPath = (value: string) => expandTilde(expandTokens(value, tokens), env.homeDir);

    const identityArgs = values.get('identityfile') ?? [];
    const identityFiles = identityArgs.length
      ? identityArgs.filter((file) => file.toLowerCase() !== 'none').map(expandPath)
      : DEFAULT_IDENTITY_NAMES.map((name) => path.join(env.homeDir, '.ssh', name));

    const knownArgs = values.get('userknownhostsfile');
    const userKnownHostsFiles = knownArgs
      ? knownArgs.filter((file) => file.toLowerCase() !== 'none').map(expandPath)
      : [path.join(env.homeDir, '.ssh', 'known_hosts')];
    const globalArgs = values.get('globalknownhostsfile');
    const globalKnownHostsFiles = globalArgs
      ? globalArgs.filter((file) => file.toLowerCase() !== 'none').map(expandPath)
      : ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

    const connectTimeoutRaw = first(values, 'connecttimeout');
    const connectTimeoutSeconds = connectTimeoutRaw === undefined ? NaN : Number.parseInt(connectTimeoutRaw, 10);

    // ProxyJump and ProxyCommand share one slot in OpenSSH: whichever appears first wins.
    const proxy = values.get('proxy');
    let proxyJump: ResolvedHostConfig[] = [];
    let proxyCommand: string | null = null;
    if (proxy?.[0] === 'proxycommand') {
      const command = proxy.slice(1).join(' ');
      // ssh_config(5): ProxyCommand accepts %%, %h, %n, %p and %r.
      proxyCommand = command.toLowerCase() === 'none' ? null : expandTokens(command, { '%': '%', h: hostName, n: alias, p: String(port), r: user });
    } else if (proxy?.[0] === 'proxyjump' && proxy[1] && proxy[1].toLowerCase() !== 'none') {
      proxyJump = this.resolveJumps(proxy[1], [...chain, alias]);
    }

    const agentRaw = first(values, 'identityagent');
    let identityAgent: string | null | undefined;
    if (agentRaw !== undefined) {
      if (agentRaw.toLowerCase() === 'none') identityAgent = null;
      else if (agentRaw === 'SSH_AUTH_SOCK') identityAgent = env.variables['SSH_AUTH_SOCK'] || null;
      else identityAgent = expandVariables(expandPath(agentRaw), env.variables) ?? null;
    }

    return {
      alias,
      hostName,
      port,
      user,
      identityFiles,
      identitiesOnly: parseYesNo(first(values, 'identitiesonly')) ?? false,
      proxyJump,
      userKnownHostsFiles,
      globalKnownHostsFiles,
      strictHostKeyChecking: parseStrict(first(values, 'stricthostkeychecking')) ?? 'ask',
      connectTimeoutMs: Number.isFinite(connectTimeoutSeconds) && connectTimeoutSeconds > 0 ? connectTimeoutSeconds * 1000 : null,
      proxyCommand,
      ...(identityAgent === undefined ? {} : { identityAgent }),
      hashKnownHosts: parseYesNo(first(values, 'hashknownhosts')) ?? false,
    };
  }

  /**
   * `ProxyJump a,b` behaves like `ssh -J a b`: b is reached through a, so a's own ProxyJump from
   * the config applies, while b's is overridden by the explicit chain.
   */
  private resolveJumps(spec: string, chain: readonly string[]): ResolvedHostConfig[] {
    const hops: ResolvedHostConfig[] = [];
    spec.split(',').forEach((hopSpec, index) => {
      const { host, user, port } = parseJumpSpec(hopSpec.trim());
      const hop = this.resolveAt(host, chain, { user, port });
      if (index === 0) hops.push(...hop.proxyJump);
      hops.push({ ...hop, proxyJump: [] });
    });
    return hops;
  }

  /**
   * Gathers the arguments of every keyword that applies to `alias`, first value kept, in file
   * order: a `Match` sees the host name and user as the lines before it left them. When a block
   * asks for `Match final`, the whole config is read a second time with `final` true, which can
   * only fill what the first pass left unset (readconf.c's final pass).
   */
  private collect(alias: string): Map<string, string[]> {
    const values = new Map<string, string[]>();
    const context = (final: boolean): MatchContext => {
      const hostName = first(values, 'hostname');
      return {
        originalHost: alias,
        host: hostName ? expandTokens(hostName, { h: alias, '%': '%' }) : alias,
        user: first(values, 'user') ?? this.environment.localUser,
        localUser: this.environment.localUser,
        final,
      };
    };
    const pass = (final: boolean): void => {
      for (const entry of this.entries) {
        if (!conditionMatches(entry.condition, context(final))) continue;
        const { keyword, args } = entry;
        if (keyword === 'identityfile') {
          values.set(keyword, [...(values.get(keyword) ?? []), ...args.slice(0, 1)]);
        } else if (keyword === 'proxyjump' || keyword === 'proxycommand') {
          if (!values.has('proxy')) values.set('proxy', [keyword, ...args]);
        } else if (!values.has(keyword)) {
          values.set(keyword, args);
        }
      }
    };
    pass(false);
    if (this.entries.some((entry) => entry.condition.kind === 'match' && entry.condition.criteria.some((criterion) => criterion.name === 'final'))) pass(true);
    return values;
  }
}

/** Parses ssh_config text; Include lines are read through `resolveInclude` (none when omitted). */
export function parseSshConfig(text: string, options: ParseSshConfigOptions = {}): SshConfig {
  const environment = defaultEnvironment(options.environment);
  const includeBase = options.includeBase ?? path.join(environment.homeDir, '.ssh');
  const entries: ConfigEntry[] = [];
  const hostPatterns: string[] = [];
  const warnings: string[] = [];

  const parseText = (source: string, where: string, inherited: Condition, depth: number, base = includeBase, listHosts = true): void => {
    let condition = inherited;
    source.split(/\r?\n/).forEach((rawLine, index) => {
      const line = rawLine.trim();
      if (!line || line.startsWith('#')) return;
      const match = /^([^\s=]+)\s*(?:=\s*)?(.*)$/.exec(line);
      if (!match) return;
      const keyword = match[1]!.toLowerCase();
      // ProxyCommand is the rest of the line as written, quotes and all: the shell reads it (readconf.c).
      const args = keyword === 'proxycommand' ? [match[2]!.trim()] : splitArguments(match[2]!);
      const at = `${where}:${index + 1}`;

      if (keyword === 'host') {
        condition = { kind: 'host', patterns: args };
        if (listHosts) hostPatterns.push(...args);
      } else if (keyword === 'match') {
        const parsed = parseMatchCriteria(args);
        if ('unsupported' in parsed) {
          condition = { kind: 'never' };
          warnings.push(
            parsed.unsupported === 'exec'
              ? `${at}: Match block skipped: "exec" would run a command, and nothing is run to read the config`
              : `${at}: Match block skipped: "${parsed.unsupported}" is not supported`,
          );
        } else {
          condition = { kind: 'match', criteria: parsed.criteria };
        }
      } else if (keyword === 'include') {
        if (depth >= MAX_INCLUDE_DEPTH) {
          warnings.push(`${at}: Include nested too deeply, ignored`);
          return;
        }
        for (const pattern of args) {
          const expanded = expandTilde(pattern, environment.homeDir);
          const absolute = path.isAbsolute(expanded) ? expanded : path.join(base, expanded);
          let files: IncludedFile[] = [];
          try {
            files = options.resolveInclude?.(absolute) ?? [];
          } catch (error) {
            warnings.push(`${at}: cannot read Include ${absolute}: ${describeError(error)}`);
          }
          for (const file of files) parseText(file.text, file.path, condition, depth + 1, base, listHosts);
        }
      } else if (args.length > 0) {
        entries.push({ keyword, args, condition });
      }
    });
  };

  parseText(text, options.path ?? 'ssh_config', { kind: 'all' }, 0);
  if (options.system) parseText(options.system.text, options.system.path, { kind: 'all' }, 0, path.dirname(options.system.path), false);
  return new SshConfig(entries, hostPatterns, environment, warnings);
}

/** Options for loadSshConfig. */
export interface LoadSshConfigOptions {
  /** When true, a missing main file gives an empty config instead of an error. */
  optional?: boolean;
  environment?: Partial<SshConfigEnvironment>;
  /**
   * The system-wide file read after the user's: by default SYSTEM_SSH_CONFIG when no path is
   * given and none when one is (`ssh -F`); callers that pass the default ~/.ssh/config by path
   * pass SYSTEM_SSH_CONFIG here.
   */
  systemConfigPath?: string | null;
}

/** The system-wide client configuration `ssh` reads after the user's. */
export const SYSTEM_SSH_CONFIG = '/etc/ssh/ssh_config';

/**
 * Reads and parses an ssh_config file; throws a one-line error when it cannot be read. The user's
 * ~/.ssh/config is followed by /etc/ssh/ssh_config (when readable), as `ssh` does; a file the
 * user names is read alone, as `ssh -F` does (see `systemConfigPath`).
 */
export function loadSshConfig(configPath?: string, options: LoadSshConfigOptions = {}): SshConfig {
  const environment = defaultEnvironment(options.environment);
  const file = configPath ?? path.join(environment.homeDir, '.ssh', 'config');
  const systemFile = options.systemConfigPath === undefined ? (configPath === undefined ? SYSTEM_SSH_CONFIG : null) : options.systemConfigPath;
  let system: IncludedFile | undefined;
  if (systemFile) {
    try {
      system = { path: systemFile, text: readFileSync(systemFile, 'utf8') };
    } catch {
      // ssh treats a missing or unreadable system file as empty too.
    }
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (options.optional && code === 'ENOENT') text = '';
    else throw new Error(`cannot read SSH config ${file}: ${describeError(error)}`);
  }
  return parseSshConfig(text, { path: file, environment, resolveInclude: readIncludeFiles, ...(system ? { system } : {}) });
}

/** Include resolver over the real file system: expands `*`/`?` per path component, sorted like glob(3). */
export function readIncludeFiles(absolutePattern: string): IncludedFile[] {
  return expandGlob(absolutePattern).map((file) => ({ path: file, text: readFileSync(file, 'utf8') }));
}

function expandGlob(absolutePattern: string): string[] {
  let candidates = ['/'];
  for (const part of absolutePattern.split('/').filter(Boolean)) {
    const next: string[] = [];
    for (const base of candidates) {
      if (!/[*?]/.test(part)) {
        next.push(path.join(base, part));
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(base).sort();
      } catch {
        continue;
      }
      // glob(3) does not let wildcards match dotfiles unless the pattern itself starts with a dot.
      for (const name of names) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (matchCase(name, part)) next.push(path.join(base, name));
      }
    }
    candidates = next;
  }
  // A pattern without wildcards that names nothing is not an error for OpenSSH either.
  return candidates.filter((file) => {
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/** File names are case-sensitive, unlike host patterns: recheck with exact case. */
function matchCase(name: string, pattern: string): boolean {
  const regex = new RegExp(
    `^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`,
    's',
  );
  return regex.test(name);
}

/** Splits ssh_config arguments like OpenSSH's argv_split: quotes, backslash escapes, `#` comments. */
export function splitArguments(text: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length || text[i] === '#') break;
    let arg = '';
    let quote: string | null = null;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (quote === null && /\s/.test(c)) break;
      if (c === '\\' && i + 1 < text.length) {
        const n = text[i + 1]!;
        if (n === '"' || n === "'" || n === '\\' || (quote === null && n === ' ')) {
          arg += n;
          i++;
          continue;
        }
      }
      if (quote === null && (c === '"' || c === "'")) quote = c;
      else if (c === quote) quote = null;
      else arg += c;
    }
    args.push(arg);
  }
  return args;
}

const PATTERN_CRITERIA = new Set(['host', 'originalhost', 'user', 'localuser']);

/** The criteria of a `Match` line, or the first one that cannot be evaluated here. */
function parseMatchCriteria(args: readonly string[]): { criteria: MatchCriterion[] } | { unsupported: string } {
  const criteria: MatchCriterion[] = [];
  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    const negated = word.startsWith('!');
    const name = (negated ? word.slice(1) : word).toLowerCase();
    if (name === 'all' || name === 'final' || name === 'canonical') {
      criteria.push({ name, negated, patterns: [] });
    } else if (PATTERN_CRITERIA.has(name)) {
      const list = args[++index];
      if (list === undefined) return { unsupported: `${name} without patterns` };
      criteria.push({ name: name as MatchCriterion['name'], negated, patterns: list.split(',') });
    } else {
      return { unsupported: name };
    }
  }
  return criteria.length ? { criteria } : { unsupported: 'an empty Match' };
}

function criterionHolds(criterion: MatchCriterion, context: MatchContext): boolean {
  switch (criterion.name) {
    case 'all':
      return true;
    case 'final':
      return context.final;
    case 'canonical':
      return false;
    case 'host':
      return matchPatternList(context.host, criterion.patterns);
    case 'originalhost':
      return matchPatternList(context.originalHost, criterion.patterns);
    case 'user':
      return matchPatternList(context.user, criterion.patterns);
    case 'localuser':
      return matchPatternList(context.localUser, criterion.patterns);
    default: {
      const unknown: never = criterion.name;
      throw new Error(`unknown Match criterion ${String(unknown)}`);
    }
  }
}

function conditionMatches(condition: Condition, context: MatchContext): boolean {
  switch (condition.kind) {
    case 'all':
      return true;
    case 'never':
      return false;
    case 'host':
      return matchPatternList(context.originalHost, condition.patterns);
    case 'match':
      return condition.criteria.every((criterion) => criterionHolds(criterion, context) !== criterion.negated);
    default: {
      const unknown: never = condition;
      throw new Error(`unknown condition ${JSON.stringify(unknown)}`);
    }
  }
}

function first(values: Map<string, string[]>, keyword: string): string | undefined {
  return values.get(keyword)?.[0];
}

function parsePort(value: string): number | undefined {
  const port = Number(value);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

function parseYesNo(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v === 'yes' || v === 'true') return true;
  if (v === 'no' || v === 'false') return false;
  return undefined;
}

function parseStrict(value: string | undefined): StrictHostKeyChecking | undefined {
  switch (value?.toLowerCase()) {
    case 'yes':
    case 'true':
      return 'yes';
    case 'no':
    case 'off':
    case 'false':
      return 'no';
    case 'accept-new':
      return 'accept-new';
    case 'ask':
      return 'ask';
    default:
      return undefined;
  }
}

/** Parses one ProxyJump hop: `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`. */
export function parseJumpSpec(spec: string): { host: string; user?: string; port?: number } {
  let rest = spec.replace(/^ssh:\/\//i, '').replace(/\/$/, '');
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at) || undefined;
    rest = rest.slice(at + 1);
  }
  let host = rest;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracketed) {
    host = bracketed[1]!;
    port = bracketed[2] ? parsePort(bracketed[2]) : undefined;
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > 0 && rest.indexOf(':') === colon) {
      host = rest.slice(0, colon);
      port = parsePort(rest.slice(colon + 1));
    }
  }
  if (!host) throw new Error(`invalid ProxyJump hop "${spec}"`);
  return { host, user, port };
}

/** Expands `${NAME}` environment references (ssh_config(5) ENVIRONMENT VARIABLES); undefined when one is unset. */
function expandVariables(value: string, variables: Readonly<Record<string, string | undefined>>): string | undefined {
  let missing = false;
  const expanded = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_whole, name: string) => {
    const found = variables[name];
    if (found === undefined) missing = true;
    return found ?? '';
  });
  return missing ? undefined : expanded;
}

/** Expands `%x` tokens; unknown tokens are left as written. */
function expandTokens(value: string, tokens: Record<string, string>): string {
  return value.replace(/%(.)/g, (whole, token: string) => tokens[token] ?? whole);
}

function expandTilde(value: string, homeDir: string): string {
  if (value === '~') return homeDir;
  if (value.startsWith('~/')) return path.join(homeDir, value.slice(2));
  return value;
}

function defaultEnvironment(partial: Partial<SshConfigEnvironment> | undefined): SshConfigEnvironment {
  const info = partial?.homeDir && partial.localUser && partial.uid !== undefined ? undefined : safeUserInfo();
  return {
    homeDir: partial?.homeDir ?? info?.homedir ?? homedir(),
    localUser: partial?.localUser ?? info?.username ?? process.env.USER ?? 'root',
    localHostName: partial?.localHostName ?? osHostname().split('.')[0] ?? 'localhost',
    uid: partial?.uid ?? info?.uid ?? -1,
    variables: partial?.variables ?? process.env,
  };
}

function safeUserInfo(): { homedir: string; username: string; uid: number } | undefined {
  try {
    return userInfo();
  } catch {
    return undefined; // no passwd entry (some containers): fall back to the environment
  }
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return error instanceof Error ? error.message : String(error);
}
