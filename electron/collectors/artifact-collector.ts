/**
 * Artifact collector: reads, as text, the files the secret and topology readers interpret (homes'
 * credentials, keys and shell rc files, `.env` files, compose files, systemd units, crontabs,
 * tunnel scripts, reverse-proxy configs, LiteLLM configs, /proc socket tables) in one POSIX sh
 * round trip per host and, per running container, a part of the container's one exec (see
 * container-scan.ts). It only tests, lists and reads files (`find`,
 * `grep`, `head`, `sed`, `wc`); it never starts anything the host owns, python least of all. What
 * it returns may hold secrets in clear: it stays in the main process (see readers/artifacts.ts), and no
 * note made here quotes a file's text.
 */
import { posix } from 'node:path';
import { shellQuote, type CommandRunner, type RunResult } from '../exec/command-runner.js';
import { parseArtifactScan, type ArtifactScan } from './artifact-parser.js';
import { MAX_ARTIFACT_BYTES, type ArtifactKind, type EnvironmentArtifact, type HostArtifacts, type TextArtifact } from '../readers/artifacts.js';
import { composeLabels, isSafePath } from '../readers/compose-parser.js';
import {
  judgeContainerExec,
  readContainer,
  readContainerFromHost,
  type ContainerRead,
  type ContainerReadOptions,
  type ContainerScanPart,
  type ContainerVia,
  type ExecOutcome,
} from './container-read.js';
import type { EngineAccess } from './docker-collector.js';
import { environmentOf, type InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, SHELL_EMIT } from './framing.js';
import { GLOBAL_USER_UNIT_DIRS, HOME_UNIT_DIRS, SYSTEM_UNIT_DIRS } from './ioc-collector.js';
import { blindSpot, remark, type CollectorIssue } from './notes.js';
import { ESCAPES_FUNCTION } from './shell-snippets.js';

/** Most files one script reads before it stops with a note. */
export const MAX_ARTIFACT_FILES = 1500;
/** Most bytes of file text one script reads before it stops with a note (checked before each file). */
export const MAX_ARTIFACT_TOTAL_BYTES = 24 * 1024 * 1024;
/** Deepest level below a home, /opt and /srv searched for `.env` files, Caddyfiles and LiteLLM configs. */
export const ARTIFACT_SEARCH_DEPTH = 4;
/** Deepest level below /usr/local/bin, /opt, /srv and a home's bin folders searched for tunnel scripts. */
export const SCRIPT_SEARCH_DEPTH = 3;
/** Largest file read as a possible tunnel script. */
export const MAX_SCRIPT_BYTES = 64 * 1024;
/** Where a LiteLLM container keeps its config when its command names none. */
export const CONTAINER_LITELLM_CONFIGS = ['/app/config.yaml', '/app/proxy_server_config.yaml', '/etc/litellm/config.yaml'];

/** Notes of this collector are filed under this name. */
const COLLECTOR = 'artifacts';
const SCAN_LIMITS = { timeoutMs: 180_000, maxOutputBytes: MAX_ARTIFACT_TOTAL_BYTES + 8 * 1024 * 1024 } as const;
/** Time and output limits of one container's artifact script. */
export const CONTAINER_ARTIFACT_LIMITS = { timeoutMs: 60_000, maxOutputBytes: 8 * MAX_ARTIFACT_BYTES } as const;

/** An ssh invocation with a local forward (`-L`, `-NL`, `-fNL`…), or autossh. */
const TUNNEL_PATTERN = 'autossh|ssh[[:space:]].*-[A-Za-z]*L';
/** A unit worth reading: it sets an environment or starts a tunnel. */
const UNIT_PATTERN = `Environment|${TUNNEL_PATTERN}`;

/** Folders never searched below: package trees, caches, virtualenvs, container stores. */
const PRUNE = String.raw`\( -type d \( -name node_modules -o -name .git -o -name .cache -o -name .npm -o -name .cargo -o -name .rustup -o -name venv -o -name .venv -o -name site-packages -o -name dist-packages -o -name __pycache__ -o -name .vscode-server -o -name snap -o -name containers -o -name overlay2 \) \) -prune`;
/** Names of the files found by name: `.env` files, Caddyfiles and candidate LiteLLM configs. */
const NAMES = String.raw`\( -name .env -o -name '*.env' -o -name '.env.*' -o -name Caddyfile -o -name config.yaml -o -name config.yml -o -name 'litellm*.yaml' -o -name 'litellm*.yml' -o -name proxy_server_config.yaml \)`;

/**
 * The `sh -c` find starts for each batch of paths: prints `KIND 'path' ` for each path worth
 * reading, the path single-quoted for `eval "set -- …"` (every `'` becomes `'\''`, newlines stay
 * inside the quotes), so any file name comes back as exactly one word and is never run.
 * `grep KIND PATTERN`: the files holding PATTERN (one grep over the batch first: most hold none).
 * `name - -`: kind by name (`.env`→dotenv, Caddyfile), and LiteLLM configs only when they hold `model_list`.
 */
const BATCH = String.raw`m=$1 k=$2 pat=$3
shift 3
# Regular files only (a unit symlink may point at a FIFO, which grep would wait on forever).
n=$#
for p do [ -f "$p" ] && set -- "$@" "$p"; done
shift "$n"
[ "$#" -gt 0 ] || exit 0
if [ "$m" = grep ]; then grep -q -E -e "$pat" "$@" 2>/dev/null || exit 0; fi
for p do
  if [ "$m" = grep ]; then
    grep -q -E -e "$pat" "$p" 2>/dev/null || continue
  else
    case ${'$'}{p##*/} in
      .env|*.env|.env.*) k=dotenv ;;
      Caddyfile) k=caddyfile ;;
      *) grep -q -e model_list "$p" 2>/dev/null || continue; k=litellm-config ;;
    esac
  fi
  printf '%s %s ' "$k" "$(printf '%s\n' "$p" | sed -e "s/'/'\\\\''/g" -e "1s/^/'/" -e "\$s/\$/'/")"
done
`;

/**
 * Shell functions of both scripts. `ship KIND PATH [USER] [CONTAINER]` frames the first MAXBYTES
 * of a regular file once (by path), within the file and byte caps; `found` and `ship_found` turn a
 * find into shipped files. Variables are prefixed per function: POSIX sh has no `local`.
 */
const SHIP_FUNCTIONS = String.raw`nfiles=0
total=0
full=0
seen=$B
OIFS=$IFS
NL='
'
${ESCAPES_FUNCTION}
ship() {
  [ "$full" = 0 ] || return 0
  [ -f "$2" ] || return 0
  case $seen in *"$B$2$B"*) return 0 ;; esac
  seen="$seen$2$B"
  if escapes "$2"; then emit skipped-link "\${2#"$ROOT"}"; return 0; fi
  if [ ! -r "$2" ]; then emit unreadable "\${2#"$ROOT"}"; return 0; fi
  if [ "$nfiles" -ge "$MAXFILES" ]; then full=1; emit limit-files "$MAXFILES"; return 0; fi
  if [ "$total" -ge "$MAXTOTAL" ]; then full=1; emit limit-bytes "$MAXTOTAL"; return 0; fi
  nfiles=$((nfiles + 1))
  emit file "$1"
  emit path "\${2#"$ROOT"}"
  [ -z "\${3:-}" ] || emit user "$3"
  [ -z "\${4:-}" ] || emit container "$4"
  emit_open text
  head -c "$MAXBYTES" < "$2" 2>/dev/null
  sn=$( { head -c "$((MAXBYTES + 1))" < "$2" | wc -c; } 2>/dev/null )
  # busybox pads wc output with spaces.
  sn=\${sn##* }
  case $sn in ''|*[!0-9]*) sn=0 ;; esac
  if [ "$sn" -gt "$MAXBYTES" ]; then emit more ""; sn=$MAXBYTES; fi
  total=$((total + sn))
}
# found MODE KIND PATTERN FIND-ARGS...: the files find selects, as KIND 'path' words in $fl.
found() {
  fd_m=$1 fd_k=$2 fd_p=$3
  shift 3
  fl=$(find "$@" -exec sh -c "$BATCH" sh "$fd_m" "$fd_k" "$fd_p" {} + 2>/dev/null)
}
# ship_found [USER]: ships the files of the last found.
ship_found() {
  sf_u=\${1:-}
  eval "set -- $fl"
  while [ "$#" -ge 2 ]; do ship "$1" "$2" "$sf_u"; shift 2; done
}
# A folder that exists but cannot be listed is said, not silently skipped.
listable() {
  [ -d "$1" ] || return 1
  if [ ! -r "$1" ] || [ ! -x "$1" ]; then emit unreadable "\${1#"$ROOT"}"; return 1; fi
  return 0
}
`.replaceAll('\\$', '$');

/** Host-only functions: homes, SSH keys, units and the files units name. */
const HOST_FUNCTIONS = String.raw`proc() {
  if [ -f "$2" ] && [ -r "$2" ]; then ship "$1" "$2" "" "$3"; else emit proc-missing "$3:\${2#"$ROOT"}"; fi
}
ssh_keys() {
  listable "$1/.ssh" || return 0
  for sk in "$1"/.ssh/* "$1"/.ssh/.[!.]*; do
    [ -f "$sk" ] || continue
    case \${sk##*/} in
      authorized_keys|authorized_keys2) ship authorized-keys "$sk" "$2"; continue ;;
      *.pub|known_hosts|known_hosts.old|config) continue ;;
    esac
    escapes "$sk" && continue
    if [ ! -r "$sk" ]; then emit unreadable "\${sk#"$ROOT"}"; continue; fi
    if { head -c 200 < "$sk" | head -n 1 | grep -q -e '-----BEGIN .*PRIVATE KEY-----'; } 2>/dev/null; then
      ship ssh-private-key "$sk" "$2"
      ship ssh-public-key "$sk.pub" "$2"
    fi
  done
}
# units DIR [USER]: unit files and drop-ins that set an environment or start a tunnel, then the EnvironmentFile= they name.
units() {
  listable "$1" || return 0
  if escapes "$1"; then emit skipped-link "\${1#"$ROOT"}"; return 0; fi
  un_u=\${2:-}
  found grep systemd-unit "$UNIT_PAT" "$1" -maxdepth 2 \( -name '*.wants' -o -name '*.requires' \) -prune -o \( -name '*.service' -o -path '*.service.d/*.conf' \) \( -type f -o -type l \)
  eval "set -- $fl"
  while [ "$#" -ge 2 ]; do
    ship systemd-unit "$2" "$un_u"
    env_files "$2" "$un_u"
    shift 2
  done
}
# env_files UNIT [USER]: EnvironmentFile= paths (a leading - only makes the file optional); specifiers (%h…) are not expanded.
env_files() {
  ef_u=\${2:-}
  ef=$( { grep -a -E -e '^[[:space:]]*EnvironmentFile[[:space:]]*=' "$1" | head -n 20 | sed -e 's/^[^=]*=[[:space:]]*//' -e 's/^-//' -e 's/[[:space:]]*$//'; } 2>/dev/null )
  [ -n "$ef" ] || return 0
  IFS=$NL
  set -f
  set -- $ef
  set +f
  IFS=$OIFS
  for e do
    case $e in /*) ;; *) continue ;; esac
    case $e in *%*) continue ;; esac
    ship systemd-env-file "$ROOT$e" "$ef_u"
  done
}
scan_home() {
  hh=$1 hu=$2
  emit home "$hu$NL\${hh#"$ROOT"}"
  for n in .bashrc .bash_profile .profile .zshrc .zprofile .zshenv; do ship shell-rc "$hh/$n" "$hu"; done
  ship aws-credentials "$hh/.aws/credentials" "$hu"
  ship git-credentials "$hh/.git-credentials" "$hu"
  ship kubeconfig "$hh/.kube/config" "$hu"
  ship docker-config "$hh/.docker/config.json" "$hu"
  for n in .continue/config.json .continue/config.yaml .aider.conf.yml; do ship app-config "$hh/$n" "$hu"; done
  ssh_keys "$hh" "$hu"
  found name - - "$hh" -maxdepth ${ARTIFACT_SEARCH_DEPTH} ${PRUNE} -o -type f ${NAMES}
  ship_found "$hu"
  set --
  for d in "$hh/bin" "$hh/.local/bin"; do [ -d "$d" ] && set -- "$@" "$d"; done
  if [ "$#" -gt 0 ]; then
    found grep script "$TUNNEL_PAT" "$@" -maxdepth ${SCRIPT_SEARCH_DEPTH} -type f -size -${MAX_SCRIPT_BYTES + 1}c
    ship_found "$hu"
  fi
  for d in ${HOME_UNIT_DIRS.map(shellQuote).join(' ')}; do units "$hh/$d" "$hu"; done
}
seen_h=$B
add_home() {
  [ -d "$1" ] || return 0
  case $seen_h in *"$B$1$B"*) return 0 ;; esac
  seen_h="$seen_h$1$B"
  if escapes "$1"; then emit skipped-link "\${1#"$ROOT"}"; return 0; fi
  if [ ! -r "$1" ] || [ ! -x "$1" ]; then emit unreadable "\${1#"$ROOT"}"; return 0; fi
  scan_home "$1" "$2"
}
`.replaceAll('\\$', '$');

/**
 * Every home once: the people's homes /etc/passwd names (uid 0 or ≥ 1000, with the login name as
 * user), then /root and /home/* (named by their folder). passwd is read into a variable first so
 * nothing run per home can read from it.
 */
const HOMES = String.raw`if [ -f "$ROOT/etc/passwd" ] && [ -r "$ROOT/etc/passwd" ]; then
  pw=$(pn=0
    while IFS=: read -r pu px pi pg pc ph ps || [ -n "$pu" ]; do
      pn=$((pn + 1))
      [ "$pn" -le 5000 ] || break
      case $pi in ''|*[!0-9]*) continue ;; esac
      [ "$pi" -eq 0 ] || { [ "$pi" -ge 1000 ] && [ "$pi" -ne 65534 ]; } || continue
      case $ph in /?*) ;; *) continue ;; esac
      printf '%s:%s\n' "$pu" "\${ph%/}"
    done < "$ROOT/etc/passwd")
  IFS=$NL
  set -f
  set -- $pw
  set +f
  IFS=$OIFS
  for e do add_home "$ROOT\${e#*:}" "\${e%%:*}"; done
fi
add_home "$ROOT/root" root
if listable "$ROOT/home"; then
  for h in "$ROOT"/home/*; do add_home "$h" "\${h##*/}"; done
fi`.replaceAll('\\$', '$');

/** A file the script must read as a given kind (compose files and the `.env` files they use). */
export interface NamedArtifact {
  kind: ArtifactKind;
  path: string;
}

/** A running container's host pid, whose /proc/<pid>/net tables show its sockets. */
export interface ContainerPid {
  /** Index into the container list the caller maps names from. */
  index: number;
  pid: number;
}

/** What a host artifact script reads. */
export interface ArtifactScriptOptions {
  boundary: string;
  /** Prefix every path is read under: '' for the live filesystem, or a test folder. */
  root: string;
  named?: readonly NamedArtifact[];
  containerPids?: readonly ContainerPid[];
  maxFileBytes?: number;
  maxFiles?: number;
  maxTotalBytes?: number;
}

function prelude(options: { boundary: string; root: string; maxFileBytes?: number; maxFiles?: number; maxTotalBytes?: number }): string {
  const maxBytes = wholeNumber(options.maxFileBytes ?? MAX_ARTIFACT_BYTES, 'maxFileBytes');
  const maxFiles = wholeNumber(options.maxFiles ?? MAX_ARTIFACT_FILES, 'maxFiles');
  const maxTotal = wholeNumber(options.maxTotalBytes ?? MAX_ARTIFACT_TOTAL_BYTES, 'maxTotalBytes');
  // LC_ALL=C: sed and grep treat names and texts as bytes, whatever encoding they are in.
  return `B=${shellQuote(options.boundary)}
ROOT=${shellQuote(options.root)}
MAXBYTES=${maxBytes}
MAXFILES=${maxFiles}
MAXTOTAL=${maxTotal}
BATCH=${shellQuote(BATCH)}
TUNNEL_PAT=${shellQuote(TUNNEL_PATTERN)}
UNIT_PAT=${shellQuote(UNIT_PATTERN)}
LC_ALL=C
export LC_ALL
${SHELL_EMIT}
${SHIP_FUNCTIONS}`;
}

const ROOT_CHECK = `if [ -n "$ROOT" ] && { [ ! -d "$ROOT" ] || [ ! -x "$ROOT" ]; }; then
  emit root-missing ""
  emit end ""
  exit 0
fi`;

/** The host's artifact script: sockets first, then compose, homes, /etc, app folders, units, crontabs and proxies. */
export function hostArtifactScript(options: ArtifactScriptOptions): string {
  const named = (options.named ?? []).filter((file) => isSafePath(file.path));
  const pids = options.containerPids ?? [];
  for (const { index, pid } of pids) if (!Number.isInteger(index) || index < 0 || !Number.isInteger(pid) || pid <= 0) throw new Error('container pids must be positive whole numbers');
  return `${prelude(options)}
${HOST_FUNCTIONS}
for t in find grep head sed wc; do
  command -v "$t" >/dev/null 2>&1 || emit missing-tool "$t"
done
${ROOT_CHECK}
# Sockets and addresses: small, and the topology cannot be drawn without them.
proc proc-net-tcp "$ROOT/proc/net/tcp" ""
proc proc-net-tcp6 "$ROOT/proc/net/tcp6" ""
proc proc-fib-trie "$ROOT/proc/net/fib_trie" ""
proc proc-if-inet6 "$ROOT/proc/net/if_inet6" ""
${pids.flatMap(({ index, pid }) => [`proc proc-net-tcp "$ROOT/proc/${pid}/net/tcp" ${index}`, `proc proc-net-tcp6 "$ROOT/proc/${pid}/net/tcp6" ${index}`]).join('\n')}
# What the containers' compose labels name.
${named.map((file) => `ship ${file.kind} ${rooted(file.path)}`).join('\n')}
${HOMES}
ship shell-rc "$ROOT/etc/environment"
ship shell-rc "$ROOT/etc/profile"
ship shell-rc "$ROOT/etc/bash.bashrc"
if listable "$ROOT/etc/profile.d"; then
  for f in "$ROOT"/etc/profile.d/*.sh; do ship shell-rc "$f"; done
fi
set --
for d in "$ROOT/opt" "$ROOT/srv" "$ROOT/etc/litellm"; do [ -d "$d" ] && set -- "$@" "$d"; done
if [ "$#" -gt 0 ]; then
  found name - - "$@" -maxdepth ${ARTIFACT_SEARCH_DEPTH} ${PRUNE} -o -type f ${NAMES}
  ship_found
fi
set --
for d in "$ROOT/usr/local/bin" "$ROOT/opt" "$ROOT/srv"; do [ -d "$d" ] && set -- "$@" "$d"; done
if [ "$#" -gt 0 ]; then
  found grep script "$TUNNEL_PAT" "$@" -maxdepth ${SCRIPT_SEARCH_DEPTH} ${PRUNE} -o -type f -size -${MAX_SCRIPT_BYTES + 1}c
  ship_found
fi
${[...SYSTEM_UNIT_DIRS, ...GLOBAL_USER_UNIT_DIRS].map((dir) => `${dir.startsWith('/lib/') ? '[ -L "$ROOT/lib" ] || ' : ''}units ${rooted(dir)}`).join('\n')}
ship crontab "$ROOT/etc/crontab"
if listable "$ROOT/etc/cron.d"; then
  for f in "$ROOT"/etc/cron.d/*; do ship crontab "$f"; done
fi
for d in "$ROOT/var/spool/cron/crontabs" "$ROOT/var/spool/cron/tabs" "$ROOT/var/spool/cron"; do
  listable "$d" || continue
  for f in "$d"/*; do ship crontab "$f" "\${f##*/}"; done
done
ship caddyfile "$ROOT/etc/caddy/Caddyfile"
ship nginx-conf "$ROOT/etc/nginx/nginx.conf"
for d in "$ROOT/etc/nginx/conf.d" "$ROOT/etc/nginx/sites-enabled"; do
  listable "$d" || continue
  for f in "$d"/*; do
    case $d in */conf.d) case $f in *.conf) ;; *) continue ;; esac ;; esac
    ship nginx-conf "$f"
  done
done
emit end ""
`;
}

/** What a container's artifact script reads. */
export interface ContainerArtifactScriptOptions {
  boundary: string;
  /** '' inside the container, or its MergedDir read from the host. */
  root: string;
  /** The LiteLLM config its command names (`--config`), absolute. */
  configPath: string | null;
  /** The image's working folder, absolute. */
  workingDir: string | null;
}

/** The script run inside a running container: its LiteLLM config and its app's `.env` files. */
export function containerArtifactScript(options: ContainerArtifactScriptOptions): string {
  const candidates = CONTAINER_LITELLM_CONFIGS.filter((path) => path !== options.configPath);
  const dotenvDirs = [...new Set([options.workingDir, '/app'].filter((dir): dir is string => dir !== null && isSafePath(dir)))];
  return `${prelude(options)}
for t in grep head wc; do
  command -v "$t" >/dev/null 2>&1 || emit missing-tool "$t"
done
${ROOT_CHECK}
${options.configPath && isSafePath(options.configPath) ? `ship litellm-config ${rooted(options.configPath)}` : ''}
for f in ${candidates.map(rooted).join(' ')}; do
  [ -f "$f" ] && grep -q -e model_list "$f" 2>/dev/null && ship litellm-config "$f"
done
${dotenvDirs.map((dir) => `ship dotenv ${rooted(posix.join(dir, '.env'))}`).join('\n')}
emit end ""
`;
}

/** Files and environments read from a host, and the notes of reading them. */
export interface ArtifactCollection {
  artifacts: HostArtifacts;
  issues: CollectorIssue[];
}

/**
 * Reads the host's artifacts in one round trip: its own files, the compose files (and their `.env`
 * files) that `containers`' labels name, the socket tables of its running containers' network
 * namespaces, and every container's environment (running or stopped) from inspect.
 */
export async function collectHostArtifacts(
  runner: CommandRunner,
  signal: AbortSignal | undefined,
  root = '',
  containers: readonly InspectedContainer[] = [],
): Promise<ArtifactCollection> {
  const boundary = newBoundary();
  const containerPids = containers.flatMap((container, index) => (container.running && container.pid && container.pid > 0 ? [{ index, pid: container.pid }] : []));
  const script = hostArtifactScript({ boundary, root, named: composeArtifacts(containers), containerPids });
  const result = await runner.runScript(script, { ...SCAN_LIMITS, signal });
  const scan = parseArtifactScan(decodeOutput(result.stdout), boundary);
  const homes = homesOf(decodeOutput(result.stdout), boundary);
  const files = scan.files.map((file): TextArtifact => ({
    kind: file.kind,
    container: file.containerIndex === null ? null : (containers[file.containerIndex]?.name ?? null),
    path: file.path,
    user: file.user ?? ownerOf(file.path, homes),
    text: file.text,
    truncated: file.truncated,
  }));
  return { artifacts: { files, environments: environmentsOf(containers) }, issues: scanIssues(scan, result, 'the host', containers) };
}

/** Files read from one running container, and how. */
export interface ContainerArtifactCollection {
  files: TextArtifact[];
  issues: CollectorIssue[];
  via: ContainerVia | null;
}

/** Reads a running container's LiteLLM config and `.env` files (exec, else its MergedDir); never throws for an unreadable container. */
export async function collectContainerArtifacts(
  runner: CommandRunner,
  engine: EngineAccess,
  container: InspectedContainer,
  signal?: AbortSignal,
): Promise<ContainerArtifactCollection> {
  return containerArtifactCollection(await readContainer(runner, engine, container, containerArtifactRead(container, signal)), container);
}

/** The container artifact script for `root` ('' inside the container, its MergedDir from the host). */
export function containerArtifactScriptFor(container: Pick<InspectedContainer, 'workingDir' | 'configArg'>, boundary: string, root: string): string {
  const workingDir = container.workingDir?.startsWith('/') ? container.workingDir : null;
  const configPath = container.configArg ? posix.resolve(workingDir ?? '/', container.configArg) : null;
  return containerArtifactScript({ boundary, root, configPath, workingDir });
}

/**
 * Judges the output of a container's artifact script run through `docker exec` (`output` holds its
 * records framed with `boundary`): the files read, or why its MergedDir must be read instead.
 */
export function judgeContainerArtifactsExec(
  output: string,
  boundary: string,
  exec: ExecOutcome,
  engine: EngineAccess,
  container: InspectedContainer,
): { collection: ContainerArtifactCollection } | { problem: string } {
  const judged = judgeContainerExec(output, boundary, exec, engine, parseArtifactScan);
  return 'read' in judged ? { collection: containerArtifactCollection(judged.read, container) } : judged;
}

/** The fallback when exec could not read a container's configs: its MergedDir read from the host, directly or through `sudo -n`. */
export async function readContainerArtifactsFromHost(
  runner: CommandRunner,
  container: InspectedContainer,
  execProblem: string,
  signal?: AbortSignal,
): Promise<ContainerArtifactCollection> {
  return containerArtifactCollection(await readContainerFromHost(runner, container, containerArtifactRead(container, signal), execProblem), container);
}

/** The read of a container's LiteLLM configs and `.env` files as a part of its one exec (container-scan.ts). */
export const artifactContainerPart: ContainerScanPart<'artifacts', ContainerArtifactCollection> = {
  name: 'artifacts',
  limits: CONTAINER_ARTIFACT_LIMITS,
  script: (container, boundary) => containerArtifactScriptFor(container, boundary, ''),
  judge: judgeContainerArtifactsExec,
  fromHost: readContainerArtifactsFromHost,
  unscanned: (label, message) => ({ files: [], issues: [blindSpot(COLLECTOR, `${label}: configs and .env files not read (${message})`)], via: null }),
};

function containerArtifactRead(container: InspectedContainer, signal: AbortSignal | undefined): ContainerReadOptions<ArtifactScan> {
  return {
    collector: COLLECTOR,
    failure: 'configs and .env files not read',
    script: (boundary, root) => containerArtifactScriptFor(container, boundary, root),
    parse: parseArtifactScan,
    limits: CONTAINER_ARTIFACT_LIMITS,
    signal,
  };
}

function containerArtifactCollection(read: ContainerRead<ArtifactScan>, container: InspectedContainer): ContainerArtifactCollection {
  if (read.scan === null) return { files: [], issues: [read.issue], via: null };
  const files = read.scan.files.map((file): TextArtifact => ({ ...withoutIndex(file), container: container.name }));
  return { files, issues: scanIssues(read.scan, read.result, `container ${container.name}`, []), via: read.via };
}

/** The compose files running and stopped containers' labels name, the `.env` beside them and their services' `env_file`s. */
export function composeArtifacts(containers: readonly InspectedContainer[]): NamedArtifact[] {
  const named: NamedArtifact[] = [];
  const add = (kind: ArtifactKind, path: string): void => {
    if (isSafePath(path) && !named.some((file) => file.path === path)) named.push({ kind, path });
  };
  for (const container of containers) {
    const labels = composeLabels(container.labels);
    if (!labels) continue;
    for (const file of labels.configFiles) add('compose', file);
    const workingDir = labels.workingDir && isSafePath(labels.workingDir) ? labels.workingDir : null;
    if (workingDir) add('dotenv', posix.join(workingDir, '.env'));
    for (const envFile of container.compose?.envFiles ?? []) {
      // Compose resolves env_file against the project folder.
      if (envFile.startsWith('/')) add('dotenv', posix.normalize(envFile));
      else if (workingDir) add('dotenv', posix.join(workingDir, envFile));
    }
  }
  return named;
}

/** Every container's inspect environment with values, for the secret reader. */
export function environmentsOf(containers: readonly InspectedContainer[]): EnvironmentArtifact[] {
  return containers.flatMap((container) => {
    const variables = environmentOf(container);
    return variables.length > 0 ? [{ container: container.name, variables }] : [];
  });
}

function scanIssues(scan: ArtifactScan, result: RunResult, where: string, containers: readonly InspectedContainer[]): CollectorIssue[] {
  const issues: CollectorIssue[] = [];
  if (scan.rootMissing) return issues;
  if (!scan.completed) {
    // Exit status only: stderr could quote a path, and nothing here may risk quoting a file's text.
    const why = result.truncated ? 'its output passed the size limit' : `exit ${result.exitCode ?? 'signal'}`;
    issues.push(blindSpot(COLLECTOR, `${where}: the search for keys, credentials and configs ended early (${why}); files after that point were not read`));
  }
  if (scan.missingTools.length > 0) issues.push(blindSpot(COLLECTOR, `${where}: lacks ${scan.missingTools.join(', ')}; keys, credentials and configs could not all be read`));
  if (scan.fileLimit) issues.push(blindSpot(COLLECTOR, `${where}: stopped after ${MAX_ARTIFACT_FILES} files; keys, credentials and configs after that were not read`));
  if (scan.byteLimit) {
    issues.push(blindSpot(COLLECTOR, `${where}: stopped after ${MAX_ARTIFACT_TOTAL_BYTES / 1024 / 1024} MiB of files; keys, credentials and configs after that were not read`));
  }
  if (scan.unreadable.length > 0) {
    issues.push(remark(COLLECTOR, `${where}: not readable as this user, so not searched for keys and credentials (scan as root to include them): ${sample(scan.unreadable)}`));
  }
  if (scan.skippedLinks.length > 0) {
    issues.push(remark(COLLECTOR, `${where}: not followed (an absolute symlink would resolve outside the scanned root): ${sample(scan.skippedLinks)}`));
  }
  if (scan.missingProc.length > 0) {
    const named = scan.missingProc.map(({ path, containerIndex }) => {
      const name = containerIndex === null ? null : containers[containerIndex]?.name;
      return name ? `${path} (container ${name})` : path;
    });
    issues.push(remark(COLLECTOR, `${where}: could not read ${list(named)}; sockets and addresses there are not shown`));
  }
  return issues;
}

/** The homes the script walked, as [user, path] pairs. */
function homesOf(output: string, boundary: string): [string, string][] {
  const homes: [string, string][] = [];
  for (const piece of output.split(`\n${boundary} home\n`).slice(1)) {
    const body = piece.split(`\n${boundary} `)[0]!;
    const newline = body.indexOf('\n');
    if (newline > 0) homes.push([body.slice(0, newline), body.slice(newline + 1)]);
  }
  return homes;
}

/** The user whose home holds `path` (the longest home that does), or null. */
function ownerOf(path: string, homes: readonly [string, string][]): string | null {
  let best: [string, string] | null = null;
  for (const home of homes) {
    if (path.startsWith(`${home[1]}/`) && (!best || home[1].length > best[1].length)) best = home;
  }
  return best ? best[0] : null;
}

function withoutIndex(file: ArtifactScan['files'][number]): Omit<TextArtifact, 'container'> {
  const { kind, path, user, text, truncated } = file;
  return { kind, path, user, text, truncated };
}

/** `"$ROOT"'/etc/hosts'`: a fixed path under the scanned root, quoted. */
function rooted(path: string): string {
  return `"$ROOT"${shellQuote(path)}`;
}

function wholeNumber(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
  return value;
}

function sample(paths: readonly string[]): string {
  return list(paths.map((path) => JSON.stringify(path)));
}

/** The first six items, then how many more: a host with fifty containers still gets a one-line note. */
function list(items: readonly string[]): string {
  const shown = items.slice(0, 6).join(', ');
  return items.length > 6 ? `${shown} and ${items.length - 6} more` : shown;
}
