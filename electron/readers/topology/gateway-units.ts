/**
 * Gateways installed on the host and started by systemd: the units whose `ExecStart=` runs a
 * gateway (domain/containers/gateway-commands.ts), with the virtualenv its program lives in, the
 * config its command names, its environment files and the port it listens on. Read from the unit
 * files (drop-ins applied); nothing a unit names is run. Pure.
 */
import { posix } from 'node:path';
import type { GatewayService } from '../../../shared/model/index.js';
import { defaultGatewayPort, gatewayOfCommand } from '../../../shared/domain/containers/gateway-commands.js';
import type { TextArtifact } from '../artifacts.js';
import { parseDotenv, parseSystemdEnvironment, type EnvAssignment } from '../env-assignments.js';
import { joinContinuations, shellWords } from './shell-words.js';

/** A gateway service with the environment its unit gives it (values may be keys: main process only). */
export interface ReadGatewayService {
  service: GatewayService;
  /** `Environment=` then `EnvironmentFile=` assignments, as systemd applies them (later wins). */
  environment: Map<string, string>;
}

/** Folders of system units, by precedence (the first that holds a unit's file defines it). */
const SYSTEM_UNIT_PRECEDENCE = ['/etc/systemd/system/', '/run/systemd/system/', '/usr/local/lib/systemd/system/', '/lib/systemd/system/', '/usr/lib/systemd/system/'];

/** Arguments kept from a gateway's command: what places it, never a value that could be a key. */
const KEPT_OPTIONS: ReadonlySet<string> = new Set(['--config', '-c', '--port', '--host', '--num_workers', '--workers']);

/** Most units one host yields (a host with hundreds of gateway units is not a homelab). */
const MAX_SERVICES = 100;

/** Every gateway service among a host's unit files (`systemd-unit` artifacts) and their environment files. */
export function gatewayServicesIn(files: readonly TextArtifact[]): ReadGatewayService[] {
  const units = new Map<string, { main: TextArtifact | null; dropIns: TextArtifact[] }>();
  for (const file of files) {
    if (file.kind !== 'systemd-unit' || file.container !== null) continue;
    const dropIn = /\/([^/]+\.service)\.d\/[^/]+\.conf$/.exec(file.path);
    const name = dropIn ? dropIn[1]! : posix.basename(file.path);
    if (!name.endsWith('.service')) continue;
    const key = `${scopeOf(file.path)}\u0000${file.user ?? ''}\u0000${name}`;
    const entry = units.get(key) ?? { main: null, dropIns: [] };
    if (dropIn) entry.dropIns.push(file);
    else if (entry.main === null || precedence(file.path) < precedence(entry.main.path)) entry.main = file;
    units.set(key, entry);
  }
  const envFiles = new Map(files.filter((file) => file.kind === 'systemd-env-file' && file.container === null).map((file) => [file.path, file]));
  const services: ReadGatewayService[] = [];
  for (const { main, dropIns } of units.values()) {
    if (main === null || services.length >= MAX_SERVICES) continue;
    const ordered = [main, ...dropIns.sort((a, b) => (posix.basename(a.path) < posix.basename(b.path) ? -1 : 1))];
    const read = serviceOf(main, ordered, envFiles);
    if (read) services.push(read);
  }
  return services;
}

function serviceOf(main: TextArtifact, files: readonly TextArtifact[], envFiles: ReadonlyMap<string, TextArtifact>): ReadGatewayService | null {
  const directives = serviceDirectives(files);
  const execStart = directives.ExecStart.at(-1);
  if (execStart === undefined) return null;
  const argv = commandOf(execStart);
  const recognised = gatewayOfCommand(argv);
  if (!recognised) return null;
  const workingDirectory = directives.WorkingDirectory.at(-1)?.replace(/^-/, '');
  const environmentFiles = directives.EnvironmentFile.flatMap((value) => value.split(/\s+/)).filter(Boolean).map((path) => path.replace(/^-/, ''));
  const environment = new Map<string, string>();
  for (const file of files) for (const { variable, value } of parseSystemdEnvironment(file.text)) environment.set(variable, value);
  for (const path of environmentFiles) {
    const file = envFiles.get(path);
    if (file) for (const { variable, value } of parseDotenv(file.text) as EnvAssignment[]) environment.set(variable, value);
  }
  const options = keptArguments(argv);
  const absolute = (path: string): string | null => {
    if (path.startsWith('/')) return posix.normalize(path);
    return workingDirectory !== undefined && workingDirectory.startsWith('/') ? posix.join(workingDirectory, path) : null;
  };
  const configPaths = options.values('--config', '-c').flatMap((path) => absolute(path) ?? []);
  const port = [...options.values('--port'), environment.get('PORT') ?? ''].map((value) => Number.parseInt(value, 10)).find((value) => Number.isInteger(value) && value > 0 && value < 65536);
  const fallback = defaultGatewayPort(recognised.kind);
  const program = argv[0]!;
  const user = directives.User.at(-1);
  const scope = scopeOf(main.path);
  const service: GatewayService = {
    gateway: recognised.kind,
    unit: posix.basename(main.path),
    path: main.path,
    scope,
    ...(scope === 'user' && main.user !== null ? { user: main.user } : {}),
    program,
    arguments: options.kept,
    venv: venvOf(program),
    configPaths: [...new Set(configPaths)],
    ...(workingDirectory !== undefined ? { workingDirectory } : {}),
    environmentFiles: [...new Set(environmentFiles)],
    ports: port !== undefined ? [port] : fallback !== null ? [fallback] : [],
    ...(user !== undefined && user !== '' ? { serviceUser: user } : {}),
  };
  return { service, environment };
}

/** The directives a service section sets, in file order (drop-ins after the unit); an empty `ExecStart=` resets the list, as systemd does. */
function serviceDirectives(files: readonly TextArtifact[]): Record<'ExecStart' | 'WorkingDirectory' | 'EnvironmentFile' | 'User', string[]> {
  const found = { ExecStart: [] as string[], WorkingDirectory: [] as string[], EnvironmentFile: [] as string[], User: [] as string[] };
  for (const file of files) {
    let section = '';
    for (const line of joinContinuations(file.text)) {
      const trimmed = line.trim();
      if (trimmed.startsWith('[')) {
        section = trimmed;
        continue;
      }
      if (section !== '[Service]') continue;
      const match = /^(ExecStart|WorkingDirectory|EnvironmentFile|User)\s*=\s*(.*)$/.exec(trimmed);
      if (!match) continue;
      const key = match[1] as keyof typeof found;
      const value = match[2]!.trim();
      if (value === '') found[key] = [];
      else found[key].push(value);
    }
  }
  return found;
}

/** The words of an `ExecStart=` command: systemd's prefixes, `env NAME=value`, `exec` and `sh -c '…'` taken off. */
export function commandOf(execStart: string): string[] {
  let words = shellWords(execStart.replace(/^[@\-:+!]+/, ''));
  for (let guard = 0; guard < 4; guard += 1) {
    const program = posix.basename(words[0] ?? '');
    if (program === 'env') words = words.slice(1).filter((word, at, all) => !(/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) && all.slice(0, at).every((before) => /=/.test(before))));
    else if (program === 'exec') words = words.slice(1);
    else if (/^(?:ba|da|z)?sh$/.test(program) && words[1] === '-c' && words[2] !== undefined) {
      const inner = shellWords(words[2]);
      // The command the shell ends up running: the last one of a `cd … && exec …` chain.
      const stop = inner.lastIndexOf('&&');
      words = (stop === -1 ? inner : inner.slice(stop + 1)).filter((word) => !/^(?:;|\||\|\||&)$/.test(word));
    } else break;
  }
  return words;
}

/** The placing arguments of a command (`--config FILE`, `--port N`, `-m MODULE`, an app), and a lookup of option values. */
function keptArguments(argv: readonly string[]): { kept: string[]; values: (...names: string[]) => string[] } {
  const kept: string[] = [];
  const values = new Map<string, string[]>();
  for (let at = 1; at < argv.length; at += 1) {
    const word = argv[at]!;
    const equals = word.indexOf('=');
    const name = word.startsWith('-') && equals > 0 ? word.slice(0, equals) : word;
    if (name === '-m' && argv[at + 1] !== undefined) {
      kept.push(word, argv[at + 1]!);
      at += 1;
      continue;
    }
    if (/^[A-Za-z_][\w.]*:[A-Za-z_]\w*$/.test(word)) {
      kept.push(word);
      continue;
    }
    if (!KEPT_OPTIONS.has(name)) continue;
    const value = equals > 0 && word.startsWith('-') ? word.slice(equals + 1) : argv[at + 1];
    if (value === undefined) continue;
    if (!(equals > 0 && word.startsWith('-'))) at += 1;
    kept.push(name, value);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { kept, values: (...names) => names.flatMap((name) => values.get(name) ?? []) };
}

/** The virtualenv a program lives in: the folder above its `bin/`, unless that is a system prefix. */
function venvOf(program: string): string | null {
  if (!program.startsWith('/')) return null;
  const bin = posix.dirname(program);
  if (posix.basename(bin) !== 'bin') return null;
  const prefix = posix.dirname(bin);
  return ['/', '/usr', '/usr/local', '/opt', '/snap'].includes(prefix) ? null : prefix;
}

function scopeOf(path: string): 'system' | 'user' {
  return /\/systemd\/user\//.test(path) ? 'user' : 'system';
}

function precedence(path: string): number {
  const at = SYSTEM_UNIT_PRECEDENCE.findIndex((folder) => path.startsWith(folder));
  return at === -1 ? SYSTEM_UNIT_PRECEDENCE.length : at;
}
