/** Finds SSH local forwards (`ssh -L`, autossh) in systemd units, crontabs and scripts. */
import type { SshTunnel } from '../../../shared/model/index.js';
import type { TextArtifact } from '../artifacts.js';
import { joinContinuations, shellWords } from './shell-words.js';

/** Longest command line kept on a tunnel. */
const MAX_COMMAND_LENGTH = 300;

/** ssh options that take an argument (ssh(1) SYNOPSIS); every other letter is a flag. */
const SSH_ARGUMENT_OPTIONS = new Set('BbcDEeFIiJLlmOoPpQRSWw');
/** autossh takes `-M port` itself and passes the rest to ssh. */
const AUTOSSH_ARGUMENT_OPTIONS = new Set([...SSH_ARGUMENT_OPTIONS, 'M']);

const SHELL_OPERATORS = new Set([';', '&', '&&', '|', '||']);

/** The local forwards started by one unit file, crontab or script; other kinds give none. */
export function tunnelsInFile(file: TextArtifact): SshTunnel[] {
  const source = file.kind === 'systemd-unit' ? 'systemd' : file.kind === 'crontab' ? 'cron' : file.kind === 'script' ? 'script' : null;
  if (!source) return [];
  const unit = source === 'systemd' ? file.path.slice(file.path.lastIndexOf('/') + 1) : undefined;
  const tunnels = new Map<string, SshTunnel>();
  for (const line of commandLines(file.text, source)) {
    for (const found of tunnelsInCommand(shellWords(line), 0)) {
      const tunnel: SshTunnel = { source, path: file.path, ...(unit ? { unit } : {}), ...found };
      tunnels.set(`${tunnel.localAddress}|${tunnel.localPort}|${tunnel.remoteHost}|${tunnel.remotePort}|${tunnel.sshDestination}`, tunnel);
    }
  }
  return [...tunnels.values()];
}

/** The lines that run commands: `ExecStart=` (and Pre/Post) of a unit, every other line of a crontab or script. */
function commandLines(text: string, source: SshTunnel['source']): string[] {
  const lines = joinContinuations(text).filter((line) => !/^\s*(#|$)/.test(line));
  if (source !== 'systemd') return lines;
  return lines.flatMap((line) => {
    const match = /^\s*ExecStart(?:Pre|Post)?\s*=\s*(.*)$/.exec(line);
    return match ? [match[1] ?? ''] : [];
  });
}

type TunnelFacts = Omit<SshTunnel, 'source' | 'path' | 'unit'>;

/** The forwards of every ssh/autossh invocation among some words, including inside `sh -c "…"` strings. */
function tunnelsInCommand(words: string[], depth: number): TunnelFacts[] {
  const found: TunnelFacts[] = [];
  for (let at = 0; at < words.length; at += 1) {
    const word = words[at] ?? '';
    const program = programName(word);
    if (program === 'ssh' || program === 'autossh') {
      let end = at + 1;
      while (end < words.length && !SHELL_OPERATORS.has(words[end] ?? '')) end += 1;
      found.push(...parseInvocation(program, words.slice(at + 1, end)));
      at = end;
    } else if (depth < 2 && /\s/.test(word) && /\b(?:auto)?ssh\b/.test(word)) {
      found.push(...tunnelsInCommand(shellWords(word), depth + 1));
    }
  }
  return found;
}

/** `ssh`, `/usr/bin/autossh`, and systemd's `-/usr/bin/ssh` or `@/usr/bin/ssh` all name the program. */
function programName(word: string): string {
  return word.replace(/^[-@+!:]+/, '').split('/').pop() ?? '';
}

/** Reads one invocation's options getopt-style; the destination is the first word that is not an option. */
function parseInvocation(program: 'ssh' | 'autossh', args: string[]): TunnelFacts[] {
  const argumentOptions = program === 'autossh' ? AUTOSSH_ARGUMENT_OPTIONS : SSH_ARGUMENT_OPTIONS;
  const forwards: string[] = [];
  let gatewayPorts = false;
  let destination: string | null = null;
  let consumed = 0;
  for (let at = 0; at < args.length && destination === null; at += 1) {
    const word = args[at] ?? '';
    consumed = at + 1;
    if (word === '--') {
      destination = args[at + 1] ?? null;
      consumed = at + 2;
    } else if (word.startsWith('-') && word.length > 1) {
      for (let letter = 1; letter < word.length; letter += 1) {
        const option = word[letter] ?? '';
        if (!argumentOptions.has(option)) {
          if (option === 'g') gatewayPorts = true;
          continue;
        }
        let value = word.slice(letter + 1);
        if (value === '') {
          at += 1;
          value = args[at] ?? '';
          consumed = at + 1;
        }
        if (option === 'L') forwards.push(value);
        if (option === 'o') {
          const localForward = /^\s*LocalForward\s*[= ]\s*(.+)$/i.exec(value);
          if (localForward) forwards.push((localForward[1] ?? '').trim().replace(/\s+/, ':'));
          if (/^\s*GatewayPorts\s*[= ]\s*yes\b/i.test(value)) gatewayPorts = true;
        }
        break;
      }
    } else {
      destination = word;
    }
  }
  if (!destination || forwards.length === 0) return [];
  const sshDestination = withoutPassword(destination);
  const command = [program, ...args.slice(0, consumed)]
    .map((word) => quoteForDisplay(withoutPassword(word)))
    .join(' ')
    .slice(0, MAX_COMMAND_LENGTH);
  return forwards.flatMap((spec) => {
    const forward = parseForward(spec, gatewayPorts ? '0.0.0.0' : '127.0.0.1');
    return forward ? [{ ...forward, sshDestination, command }] : [];
  });
}

/** `[bind:]port:host:hostport` (IPv6 in brackets); forwards of Unix sockets are not TCP tunnels and give null. */
export function parseForward(
  spec: string,
  defaultBind: string,
): Pick<SshTunnel, 'localAddress' | 'localPort' | 'remoteHost' | 'remotePort'> | null {
  const parts = splitOutsideBrackets(spec);
  if (parts.length !== 3 && parts.length !== 4) return null;
  const [bind, port, host, hostPort] = parts.length === 4 ? parts : [null, ...parts];
  const localPort = portNumber(port);
  const remotePort = portNumber(hostPort);
  if (localPort === null || remotePort === null || !host) return null;
  // An empty bind address or `*` means every interface (ssh(1) -L).
  const localAddress = bind === null ? defaultBind : bind === '' || bind === '*' ? '0.0.0.0' : unbracket(bind);
  return { localAddress, localPort, remoteHost: unbracket(host), remotePort };
}

function splitOutsideBrackets(spec: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (const char of spec) {
    if (char === '[') depth += 1;
    if (char === ']') depth = Math.max(0, depth - 1);
    if (char === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

function portNumber(text: string | null | undefined): number | null {
  if (!text || !/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

function unbracket(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}

/** `ssh://user:password@host` is not valid for ssh, but written anyway it must not reach a report. */
function withoutPassword(word: string): string {
  return word.replace(/^(ssh:\/\/[^:@/\s]*):[^@/\s]*@/i, '$1@');
}

function quoteForDisplay(word: string): string {
  return /[\s"'\\$`]/.test(word) ? `'${word.replace(/'/g, `'\\''`)}'` : word;
}
