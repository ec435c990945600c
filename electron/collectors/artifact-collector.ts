/**
 * Artifact collector: reads, as text, the files the secret and topology readers interpret (homes'
 * credentials — AWS, Google Cloud, Azure CLI, git, Docker, kubeconfig —, service-account tokens, keys and shell rc files, `.env` files, compose files, systemd units, crontabs,
 * tunnel scripts, reverse-proxy configs, LiteLLM configs, /proc socket tables) in one POSIX sh
 * round trip per host and, per running container, a part of the container's one exec (see
 * container-scan.ts). It only tests, lists and reads files (`find`, `grep`, `head`, `sed`, `wc`,
 * `awk`); it never starts anything the host owns, python least of all. Its work grows linearly with
 * the files it meets and is capped per location (a kind of file in one folder), the usual places of
 * keys read first, so a host burying its keys among thousands of files still has them read. What
 * it returns may hold secrets in clear: it stays in the main process (see readers/artifacts.ts), and no
 * note made here quotes a file's text.
 */
import { posix } from 'node:path';
import { shellQuote, type CommandRunner, type RunResult } from '../exec/command-runner.js';
import { isArtifactKind, parseArtifactScan, type ArtifactScan, type CappedLocation } from './artifact-parser.js';
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
import { mergeByPath, type LayerMask } from './container-layers.js';
import type { ComposeTexts, EngineAccess } from './docker-collector.js';
import { MAX_COMPOSE_BYTES } from '../readers/compose-parser.js';
import { environmentOf, type InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, SHELL_EMIT } from './framing.js';
import { GLOBAL_USER_UNIT_DIRS, HOME_UNIT_DIRS, SYSTEM_UNIT_DIRS } from './ioc-collector.js';
import { blindSpot, remark, type CollectorIssue } from './notes.js';
import { ESCAPES_FUNCTION, LINE_CODEC } from './shell-snippets.js';
import { GLOBAL_PIP_CONFIGS, GLOBAL_UV_CONFIGS, PROJECT_FILE_NAMES, USER_PIP_CONFIGS, USER_UV_CONFIGS } from '../readers/hardening/read-hardening.js';

/** Most files one script reads before it stops with a note. */
export const MAX_ARTIFACT_FILES = 1500;
/** Most bytes of file text one script reads before it stops with a note (checked before each file). */
export const MAX_ARTIFACT_TOTAL_BYTES = 24 * 1024 * 1024;
/** Most files read from one location (one kind of file in one folder searched) before the rest are counted with a note. */
export const MAX_FILES_PER_LOCATION = 500;
/** Most bytes read from one location before the rest are counted with a note: many medium files cannot use up the total. */
export const MAX_BYTES_PER_LOCATION = 4 * 1024 * 1024;
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
/** A unit that upgrades Python packages as it starts (`pip install -U`, `--upgrade`): the hardening posture's unattended upgrades. */
const UPGRADE_PATTERN = 'install[[:space:]].*(-U|--upgrade)';
/** A command that starts an AI gateway installed on the host (domain/containers/gateway-commands.ts names them; the reader decides). */
const GATEWAY_COMMAND_PATTERN = 'litellm|vllm|local-ai|olla|one-api|any-llm';
/** A unit worth reading: it sets an environment, upgrades packages, starts a tunnel or starts a gateway. */
const UNIT_PATTERN = `Environment|${UPGRADE_PATTERN}|${TUNNEL_PATTERN}|${GATEWAY_COMMAND_PATTERN}`;
/** Most virtualenv folders named in the unit pattern (each makes grep's expression longer). */
const MAX_UNIT_VENVS = 64;

/** The units to read: UNIT_PATTERN's, and those that run one of the host's virtualenvs (their WorkingDirectory is the project). */
export function unitPattern(venvs: readonly string[]): string {
  const named = venvs.filter((venv) => isSafePath(venv) && venv.length <= 512).slice(0, MAX_UNIT_VENVS);
  return [UNIT_PATTERN, ...named.map((venv) => `${venv.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&')}/`)].join('|');
}

/** Folders never searched below: package trees, caches, virtualenvs, container stores. */
const PRUNE = String.raw`\( -type d \( -name node_modules -o -name .git -o -name .cache -o -name .npm -o -name .cargo -o -name .rustup -o -name venv -o -name .venv -o -name site-packages -o -name dist-packages -o -name __pycache__ -o -name .vscode-server -o -name snap -o -name containers -o -name overlay2 \) \) -prune`;
/** Names of the files found by name: `.env` files, Caddyfiles and candidate LiteLLM configs (those holding `model_list`). */
const DOTENV_NAMES = String.raw`\( -name .env -o -name '*.env' -o -name '.env.*' \)`;
/** Compose files by the names `docker compose` looks for, overrides (`compose.override.yaml`, `docker-compose.prod.yml`) included. */
const COMPOSE_NAMES = String.raw`\( -name compose.yaml -o -name compose.yml -o -name docker-compose.yml -o -name docker-compose.yaml -o -name 'compose.*.yaml' -o -name 'compose.*.yml' -o -name 'docker-compose.*.yml' -o -name 'docker-compose.*.yaml' \)`;
/**
 * Where stack managers keep their stacks' compose files, whether or not anything runs from them:
 * Dockge (`/opt/stacks`), CasaOS (`/var/lib/casaos/apps`), Portainer (`compose/` in its data volume,
 * whatever the volume is called), Runtipi and Umbrel app folders. /opt, /srv and homes are searched anyway.
 */
const STACK_FOLDERS = ['/opt/stacks', '/var/lib/casaos/apps', '/var/lib/docker/volumes/*/_data/compose', '/opt/runtipi/apps', '/opt/umbrel/app-data'];
const CONFIG_NAMES = String.raw`\( -name config.yaml -o -name config.yml -o -name 'litellm*.yaml' -o -name 'litellm*.yml' -o -name proxy_server_config.yaml \)`;

/**
 * awk over the unit files grep selected (one plain path a line): a request for each unit, then for
 * the first 20 absolute `EnvironmentFile=` paths it names (a leading - only makes the file optional;
 * specifiers such as %h are not expanded; names with a backslash or tab are left out); for the
 * project files (PROJECT_FILE_NAMES, in N) at the top of its first `WorkingDirectory=`: the
 * hardening posture's pins of the project the unit runs; then for the config files its
 * `ExecStart=` names with `--config` (a relative one against the last `WorkingDirectory=`, as
 * systemd applies it), read as LiteLLM configs: a gateway installed with pip keeps its config
 * wherever its unit says.
 */
const UNIT_AWK = String.raw`{ f = $0; print ENVIRON["P"] f; n = 0; l = 0; w = 0; nc = 0; wd = ""
  while (n < 20 && l < 10000 && (getline x < f) > 0) {
    l++
    if (x ~ /^[ \t]*WorkingDirectory[ \t]*=/) {
      sub(/^[^=]*=[ \t]*/, "", x); sub(/^-/, "", x); sub(/[ \t\r]*$/, "", x); sub(/\/$/, "", x)
      wd = x
      if (!w && x ~ /^\/./ && x !~ /[%\\\t]/) { w = 1; split(ENVIRON["N"], names, " "); for (i in names) print ENVIRON["W"] ENVIRON["R"] x "/" names[i] }
      continue
    }
    if (x ~ /^[ \t]*ExecStart[ \t]*=/ && nc < 4 && match(x, /--config[= \t]+[^ \t";]+/)) {
      c = substr(x, RSTART, RLENGTH); sub(/^--config[= \t]+/, "", c); cfg[nc++] = c; continue
    }
    if (x !~ /^[ \t]*EnvironmentFile[ \t]*=/) continue
    sub(/^[^=]*=[ \t]*/, "", x); sub(/^-/, "", x); sub(/[ \t\r]*$/, "", x)
    if (x ~ /^\// && x !~ /[%\\\t]/) { print ENVIRON["E"] ENVIRON["R"] x; n++ }
  }
  close(f)
  cp = ENVIRON["E"]; sub(/systemd-env-file/, "litellm-config", cp)
  for (i = 0; i < nc; i++) {
    c = cfg[i]
    if (c !~ /^\// && wd ~ /^\//) c = wd "/" c
    if (c ~ /^\// && c !~ /[%\\\t]/) print cp ENVIRON["R"] c
  } }`;

/**
 * The `sh -c` find starts for each batch of paths: prints a read request (PREFIX then the path) for
 * each path worth reading. MODE `name`: every regular file; `grep`: those holding PATTERN; `unit`:
 * those, and the `EnvironmentFile=` each names (ENVPREFIX). A batch of plain names (no tab, newline
 * or backslash, all regular files: the usual case) costs one grep, or none; any other batch goes
 * file by file. Every loop walks its list once: nothing rebuilds "$@" or a growing string.
 */
const BATCH = String.raw`${LINE_CODEC}
m=$1 pat=$2 pre=$3 epre=$4
shift 4
# A unit's project files share its location: the env-file prefix with the kind swapped.
wpre="F\${TAB}python-project\${epre#F"$TAB"systemd-env-file}"
plain=1
for p do
  # Regular files only (a unit symlink may point at a FIFO, which grep would wait on forever).
  [ -f "$p" ] || { plain=0; break; }
  case $p in *\\*|*"$TAB"*|*"$NL"*) plain=0; break ;; esac
done
if [ "$plain" = 1 ]; then
  case $m in
    name) for p do printf '%s%s\n' "$pre" "$p"; done ;;
    grep) grep -l -E -e "$pat" -- "$@" 2>/dev/null | while IFS= read -r p; do printf '%s%s\n' "$pre" "$p"; done ;;
    unit) grep -l -E -e "$pat" -- "$@" 2>/dev/null | P=$pre E=$epre W=$wpre N=$PROJECT_NAMES R=$EROOT awk '${UNIT_AWK}' ;;
  esac
  exit 0
fi
for p do
  [ -f "$p" ] || continue
  [ "$m" = name ] || grep -q -E -e "$pat" -- "$p" 2>/dev/null || continue
  enc "$p"
  printf '%s%s\n' "$pre" "$e"
  [ "$m" = unit ] || continue
  ef=$( { grep -a -E -e '^[[:space:]]*EnvironmentFile[[:space:]]*=' "$p" | head -n 20 | sed -e 's/^[^=]*=[[:space:]]*//' -e 's/^-//' -e 's/[[:space:]]*$//'; } 2>/dev/null )
  IFS=$NL
  set -f
  for x in $ef; do
    case $x in /*) ;; *) continue ;; esac
    case $x in *%*) continue ;; esac
    enc "$ROOT$x"
    printf '%s%s\n' "$epre" "$e"
  done
  set +f
  IFS=$OIFS
  wd=$( { grep -a -E -e '^[[:space:]]*WorkingDirectory[[:space:]]*=' "$p" | head -n 1 | sed -e 's/^[^=]*=[[:space:]]*//' -e 's/^-//' -e 's/[[:space:]]*$//' -e 's#/$##'; } 2>/dev/null )
  case $wd in /?*) ;; *) continue ;; esac
  case $wd in *%*) continue ;; esac
  for x in $PROJECT_NAMES; do
    enc "$ROOT$wd/$x"
    printf '%s%s\n' "$wpre" "$e"
  done
done
`.replaceAll('\\$', '$');

/**
 * The gate between the requests and the reader (awk, one pass): each path once (the first request
 * wins), at most `cap` files per location (a kind in a folder), and for each location it cut, a
 * `capped` note with how many it let through and how many it saw. It numbers the locations
 * (`L` lines) so the reader can keep a byte count per location in plain shell variables.
 */
const GATE_AWK = String.raw`BEGIN { FS = "\t" }
$1 != "F" { print; next }
NF != 6 { next }
{
  key = $2 FS $5
  if (!(key in loc)) { loc[key] = ++nloc; kind[nloc] = $2; where[nloc] = $5; print "L" FS nloc FS $2 FS $5 }
  i = loc[key]
  if ($6 in done) next
  seen[i]++
  if (taken[i] >= cap) next
  taken[i]++
  done[$6] = 1
  print "F" FS $2 FS $3 FS $4 FS i FS $6
}
END { for (i = 1; i <= nloc; i++) if (seen[i] > taken[i]) print "N" FS "capped" FS "files\\n" kind[i] "\\n" where[i] "\\n" taken[i] "\\n" seen[i] }`;

/**
 * The reader's functions, shared by both scripts. `ship KIND PATH [USER] [CONTAINER] [LOCATION]`
 * frames the first MAXBYTES of a regular file, within the file and byte caps of the whole script
 * and the byte cap of its location. Variables are prefixed per function: POSIX sh has no `local`.
 */
const SHIP_FUNCTIONS = String.raw`nfiles=0
total=0
full=0
over=
${ESCAPES_FUNCTION}
ship() {
  [ "$full" = 0 ] || return 0
  [ -f "$2" ] || return 0
  if escapes "$2"; then emit skipped-link "\${2#"$ROOT"}"; return 0; fi
  if [ ! -r "$2" ]; then emit unreadable "\${2#"$ROOT"}"; return 0; fi
  sh_l=\${5:-0}
  case $sh_l in ''|*[!0-9]*) sh_l=0 ;; esac
  eval "sh_b=\\$lb_$sh_l sh_n=\\$ln_$sh_l sh_k=\\$lk_$sh_l"
  sh_b=\${sh_b:-0} sh_n=\${sh_n:-0} sh_k=\${sh_k:-0}
  if [ "$sh_b" -ge "$LOCBYTES" ]; then
    [ "$sh_k" -gt 0 ] || over="$over $sh_l"
    eval "lk_$sh_l=$((sh_k + 1))"
    return 0
  fi
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
  eval "lb_$sh_l=$((sh_b + sn)) ln_$sh_l=$((sh_n + 1))"
}
`.replaceAll('\\$', '$');

/**
 * The host script's requests and its reader. Everything that decides what to read (homes, units,
 * finds) writes one line per request (`F KIND USER CONTAINER WHERE PATH`, fields encoded) or note
 * (`N TAG BODY`) into a pipe; the gate dedupes and caps them; one reader loop frames the files.
 * A pipe keeps it linear: POSIX sh has no arrays, and a list kept in "$@" or a string costs a copy
 * of the whole list per file (20,000 `.env` files under /opt took the old script past 180 s).
 */
const HOST_FUNCTIONS = String.raw`# want KIND PATH WHERE [USER] [CONTAINER]: a request to read PATH (when it is a regular file); WHERE is its location.
want() {
  [ -f "$2" ] || return 0
  enc "$2"; w_p=$e
  enc "\${3#"$ROOT"}"; w_w=$e
  enc "\${4:-}"; w_u=$e
  printf 'F\t%s\t%s\t%s\t%s\t%s\n' "$1" "$w_u" "\${5:-}" "$w_w" "$w_p"
}
# say TAG BODY: a note for the reader to frame.
say() {
  enc "$2"
  printf 'N\t%s\t%s\n' "$1" "$e"
}
# found MODE KIND PATTERN WHERE USER FIND-ARGS...: a request for each file find selects (see BATCH).
found() {
  enc "\${4#"$ROOT"}"; fd_w=$e
  enc "$5"; fd_u=$e
  fd_m=$1 fd_p=$3
  fd_pre="F$TAB$2$TAB$fd_u$TAB$TAB$fd_w$TAB"
  fd_epre="F\${TAB}systemd-env-file$TAB$fd_u$TAB$TAB$fd_w$TAB"
  shift 5
  find "$@" -exec sh -c "$BATCH" sh "$fd_m" "$fd_p" "$fd_pre" "$fd_epre" {} + 2>/dev/null
}
# named_files DIR [USER]: .env files, Caddyfiles, compose files and LiteLLM configs below DIR, each kind a location of its own.
named_files() {
  enc "\${1#"$ROOT"}"; nf_w=$e
  enc "\${2:-}"; nf_u=$e
  nf_s="$TAB$nf_u$TAB$TAB$nf_w$TAB"
  # No -exec inside parentheses: busybox find silently runs none of those.
  find "$1" -maxdepth ${ARTIFACT_SEARCH_DEPTH} ${PRUNE} \
    -o -type f ${DOTENV_NAMES} -exec sh -c "$BATCH" sh name - "F\${TAB}dotenv$nf_s" - {} + \
    -o -type f -name Caddyfile -exec sh -c "$BATCH" sh name - "F\${TAB}caddyfile$nf_s" - {} + \
    -o -type f ${COMPOSE_NAMES} -exec sh -c "$BATCH" sh name - "F\${TAB}compose$nf_s" - {} + \
    -o -type f ${CONFIG_NAMES} -exec sh -c "$BATCH" sh grep model_list "F\${TAB}litellm-config$nf_s" - {} + 2>/dev/null
}
# project_files DIR: the files at the top of a Python project folder that pin or configure what it installs.
project_files() {
  [ -d "$1" ] || return 0
  escapes "$1" && return 0
  for f in "$1"/requirements*.txt "$1"/requirements*.in "$1"/requirements.lock ${PROJECT_FILE_NAMES.filter((name) => name !== 'requirements.txt').map((name) => `"$1"/${name}`).join(' ')} "$1"/pylock.*.toml; do
    want python-project "$f" "$1"
  done
}
# A folder that exists but cannot be listed is said, not silently skipped.
listable() {
  [ -d "$1" ] || return 1
  if [ ! -r "$1" ] || [ ! -x "$1" ]; then say unreadable "\${1#"$ROOT"}"; return 1; fi
  return 0
}
proc() {
  if [ -f "$2" ] && [ -r "$2" ]; then want "$1" "$2" "$ROOT/proc" "" "$3"; else say proc-missing "$3:\${2#"$ROOT"}"; fi
}
# ssh_keys HOME USER: private keys (by their first line) and authorized_keys; past LOCFILES candidates, counted, not opened.
ssh_keys() {
  listable "$1/.ssh" || return 0
  sk_n=0 sk_x=0
  for sk in "$1"/.ssh/* "$1"/.ssh/.[!.]*; do
    [ -f "$sk" ] || continue
    case \${sk##*/} in
      authorized_keys|authorized_keys2) want authorized-keys "$sk" "$1/.ssh" "$2"; continue ;;
      *.pub|known_hosts|known_hosts.old|config) continue ;;
    esac
    sk_n=$((sk_n + 1))
    if [ "$sk_n" -gt "$LOCFILES" ]; then sk_x=$((sk_x + 1)); continue; fi
    escapes "$sk" && continue
    if [ ! -r "$sk" ]; then say unreadable "\${sk#"$ROOT"}"; continue; fi
    if { head -c 200 < "$sk" | head -n 1 | grep -q -e '-----BEGIN .*PRIVATE KEY-----'; } 2>/dev/null; then
      want ssh-private-key "$sk" "$1/.ssh" "$2"
      want ssh-public-key "$sk.pub" "$1/.ssh" "$2"
    fi
  done
  [ "$sk_x" = 0 ] || say capped "files\${NL}ssh-private-key$NL\${1#"$ROOT"}/.ssh$NL$LOCFILES$NL$((LOCFILES + sk_x))"
}
# units DIR [USER]: unit files and drop-ins that set an environment or start a tunnel, then the EnvironmentFile= they name.
units() {
  listable "$1" || return 0
  if escapes "$1"; then say skipped-link "\${1#"$ROOT"}"; return 0; fi
  found "$UNITMODE" systemd-unit "$UNIT_PAT" "$1" "\${2:-}" "$1" -maxdepth 2 \( -name '*.wants' -o -name '*.requires' \) -prune -o \( -name '*.service' -o -path '*.service.d/*.conf' \) \( -type f -o -type l \)
}
# home_files USER HOME: the home's fixed files, keys and units (read before any search).
home_files() {
  enc "$1"; hf_u=$e
  enc "\${2#"$ROOT"}"
  printf 'H\t%s\t%s\n' "$hf_u" "$e"
  for n in .bashrc .bash_profile .profile .zshrc .zprofile .zshenv; do want shell-rc "$2/$n" "$2" "$1"; done
  want aws-credentials "$2/.aws/credentials" "$2" "$1"
  want aws-credentials "$2/.aws/config" "$2" "$1"
  if [ -d "$2/.aws/sso/cache" ] && listable "$2/.aws/sso/cache"; then
    for f in "$2"/.aws/sso/cache/*.json; do want aws-sso-cache "$f" "$2/.aws/sso/cache" "$1"; done
  fi
  want gcloud-credentials "$2/.config/gcloud/application_default_credentials.json" "$2" "$1"
  if [ -d "$2/.config/gcloud/legacy_credentials" ] && listable "$2/.config/gcloud/legacy_credentials"; then
    for f in "$2"/.config/gcloud/legacy_credentials/*/adc.json; do want gcloud-credentials "$f" "$2/.config/gcloud/legacy_credentials" "$1"; done
  fi
  for n in msal_token_cache.json accessTokens.json service_principal_entries.json; do want azure-credentials "$2/.azure/$n" "$2" "$1"; done
  want git-credentials "$2/.git-credentials" "$2" "$1"
  want kubeconfig "$2/.kube/config" "$2" "$1"
  want docker-config "$2/.docker/config.json" "$2" "$1"
  for n in .continue/config.json .continue/config.yaml .aider.conf.yml; do want app-config "$2/$n" "$2" "$1"; done
  for n in ${USER_PIP_CONFIGS.join(' ')}; do want pip-config "$2/$n" "$2" "$1"; done
  for n in ${USER_UV_CONFIGS.join(' ')}; do want uv-config "$2/$n" "$2" "$1"; done
  ssh_keys "$2" "$1"
  for n in ${HOME_UNIT_DIRS.map(shellQuote).join(' ')}; do units "$2/$n" "$1"; done
}
# home_search USER HOME: .env files and configs below the home, and tunnel scripts in its bin folders.
home_search() {
  named_files "$2" "$1"
  for hb in "$2/bin" "$2/.local/bin"; do
    [ -d "$hb" ] || continue
    found grep script "$TUNNEL_PAT" "$hb" "$1" "$hb" -maxdepth ${SCRIPT_SEARCH_DEPTH} -type f -size -${MAX_SCRIPT_BYTES + 1}c
  done
}
# each_home FUNCTION: FUNCTION USER HOME for every listed home that is a readable folder inside ROOT (home_files says why not).
each_home() {
  IFS=$NL
  set -f
  for eh in $homes; do
    IFS=$OIFS
    set +f
    dec "\${eh%%"$TAB"*}"; eh_u=$d
    dec "\${eh#*"$TAB"}"; eh_h=$d
    [ -d "$eh_h" ] || continue
    if escapes "$eh_h"; then [ "$1" != home_files ] || say skipped-link "\${eh_h#"$ROOT"}"; continue; fi
    if [ ! -r "$eh_h" ] || [ ! -x "$eh_h" ]; then [ "$1" != home_files ] || say unreadable "\${eh_h#"$ROOT"}"; continue; fi
    "$1" "$eh_u" "$eh_h"
  done
  IFS=$OIFS
  set +f
}
# The reader: frames the requested files and the notes, then says which locations ran out of bytes.
reader() {
  while IFS= read -r rl; do
    case $rl in
      F"$TAB"*)
        rl=\${rl#*"$TAB"}; rk=\${rl%%"$TAB"*}
        rl=\${rl#*"$TAB"}; ru=\${rl%%"$TAB"*}
        rl=\${rl#*"$TAB"}; rc=\${rl%%"$TAB"*}
        rl=\${rl#*"$TAB"}; ri=\${rl%%"$TAB"*}
        dec "$ru"; ru=$d
        dec "\${rl#*"$TAB"}"
        ship "$rk" "$d" "$ru" "$rc" "$ri" ;;
      N"$TAB"*)
        rl=\${rl#*"$TAB"}
        dec "\${rl#*"$TAB"}"
        emit "\${rl%%"$TAB"*}" "$d" ;;
      H"$TAB"*)
        rl=\${rl#*"$TAB"}
        dec "\${rl%%"$TAB"*}"; ru=$d
        dec "\${rl#*"$TAB"}"
        emit home "$ru$NL$d" ;;
      L"$TAB"*)
        rl=\${rl#*"$TAB"}; ri=\${rl%%"$TAB"*}
        case $ri in ''|*[!0-9]*) continue ;; esac
        rl=\${rl#*"$TAB"}
        eval "lw_$ri=\\$rl" ;;
    esac
  done
  for ri in $over; do
    eval "rl=\\$lw_$ri rn=\\$ln_$ri rk=\\$lk_$ri"
    dec "\${rl#*"$TAB"}"
    emit capped "bytes$NL\${rl%%"$TAB"*}$NL$d$NL\${rn:-0}$NL$((\${rn:-0} + \${rk:-0}))"
  done
}
gate() {
  # Without awk (and maybe cat): every request passes, and the reader's caps still hold.
  if [ -n "$HAVE_AWK" ]; then awk -v cap="$LOCFILES" '${GATE_AWK}'; else while IFS= read -r gl; do printf '%s\n' "$gl"; done; fi
}
`.replaceAll('\\$', '$');

/**
 * Every home once, as `USER<TAB>HOME` lines in $homes: the people's homes /etc/passwd names (uid 0
 * or ≥ 1000, with the login name as user), then /root and /home/* (named by their folder); awk keeps
 * the first line of each home. passwd is read into the pipe first so nothing run per home reads it.
 */
const HOMES = String.raw`hl=0
listable "$ROOT/home" && hl=1
homes=$( {
  if [ -f "$ROOT/etc/passwd" ] && [ -r "$ROOT/etc/passwd" ]; then
    pn=0
    while IFS=: read -r pu px pi pg pc ph ps || [ -n "$pu" ]; do
      pn=$((pn + 1))
      [ "$pn" -le 5000 ] || break
      case $pi in ''|*[!0-9]*) continue ;; esac
      [ "$pi" -eq 0 ] || { [ "$pi" -ge 1000 ] && [ "$pi" -ne 65534 ]; } || continue
      case $ph in /?*) ;; *) continue ;; esac
      enc "$pu"; hu_e=$e
      enc "$ROOT\${ph%/}"
      printf '%s\t%s\n' "$hu_e" "$e"
    done < "$ROOT/etc/passwd"
  fi
  printf 'root\t%s\n' "$EROOT/root"
  if [ "$hl" = 1 ]; then
    for h in "$ROOT"/home/*; do
      enc "\${h##*/}"; hu_e=$e
      enc "$h"
      printf '%s\t%s\n' "$hu_e" "$e"
    done
  fi
} | if [ -n "$HAVE_AWK" ]; then awk -F "$TAB" '!seen[$2]++'; else while IFS= read -r hn; do printf '%s\n' "$hn"; done; fi )`.replaceAll('\\$', '$');

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
  /** Most files read from one location (one kind of file in one folder searched). */
  maxFilesPerLocation?: number;
  /** Most bytes read from one location; the files after it are counted, not read. */
  maxBytesPerLocation?: number;
  /** Files already read elsewhere (compose files the container collector read): they count against the script's file and byte caps. */
  alreadyRead?: { files: number; bytes: number };
  /** The host's virtualenvs (their `pip.conf` is read) and their project folders (pin and config files read): the hardening posture. */
  hardening?: { venvs: readonly string[]; projects: readonly string[] };
}

type PreludeOptions = Pick<ArtifactScriptOptions, 'boundary' | 'root' | 'maxFileBytes' | 'maxFiles' | 'maxTotalBytes' | 'maxFilesPerLocation' | 'maxBytesPerLocation' | 'hardening'>;

function prelude(options: PreludeOptions): string {
  const maxBytes = wholeNumber(options.maxFileBytes ?? MAX_ARTIFACT_BYTES, 'maxFileBytes');
  const maxFiles = wholeNumber(options.maxFiles ?? MAX_ARTIFACT_FILES, 'maxFiles');
  const maxTotal = wholeNumber(options.maxTotalBytes ?? MAX_ARTIFACT_TOTAL_BYTES, 'maxTotalBytes');
  const locationFiles = wholeNumber(options.maxFilesPerLocation ?? MAX_FILES_PER_LOCATION, 'maxFilesPerLocation');
  const locationBytes = wholeNumber(options.maxBytesPerLocation ?? MAX_BYTES_PER_LOCATION, 'maxBytesPerLocation');
  // LC_ALL=C: sed and grep treat names and texts as bytes, whatever encoding they are in.
  return `B=${shellQuote(options.boundary)}
ROOT=${shellQuote(options.root)}
MAXBYTES=${maxBytes}
MAXFILES=${maxFiles}
MAXTOTAL=${maxTotal}
LOCFILES=${locationFiles}
LOCBYTES=${locationBytes}
BATCH=${shellQuote(BATCH)}
TUNNEL_PAT=${shellQuote(TUNNEL_PATTERN)}
UNIT_PAT=${shellQuote(unitPattern(options.hardening?.venvs ?? []))}
PROJECT_NAMES=${shellQuote(PROJECT_FILE_NAMES.join(' '))}
UPGRADE_PAT=${shellQuote(UPGRADE_PATTERN)}
export PROJECT_NAMES
LC_ALL=C
export LC_ALL
${SHELL_EMIT}
${LINE_CODEC}
enc "$ROOT"
EROOT=$e
export ROOT EROOT
${SHIP_FUNCTIONS}`;
}

const ROOT_CHECK = `if [ -n "$ROOT" ] && { [ ! -d "$ROOT" ] || [ ! -x "$ROOT" ]; }; then
  emit root-missing ""
  emit end ""
  exit 0
fi`;

/**
 * The host's artifact script. The places keys usually are come first, each small and bounded:
 * sockets, the compose files containers name, every home's own files, keys and units, /etc, the
 * system units, crontabs and proxies; then the searches that can meet thousands of files (below
 * each home, then /opt, /srv and /etc/litellm, then tunnel scripts), each capped per location.
 */
export function hostArtifactScript(options: ArtifactScriptOptions): string {
  const named = (options.named ?? []).filter((file) => isSafePath(file.path));
  const pids = options.containerPids ?? [];
  for (const { index, pid } of pids) if (!Number.isInteger(index) || index < 0 || !Number.isInteger(pid) || pid <= 0) throw new Error('container pids must be positive whole numbers');
  const already = options.alreadyRead ?? { files: 0, bytes: 0 };
  const venvs = (options.hardening?.venvs ?? []).filter(isSafePath);
  const projects = (options.hardening?.projects ?? []).filter(isSafePath);
  return `${prelude(options)}
nfiles=${wholeNumber(already.files, 'alreadyRead.files')}
total=${wholeNumber(already.bytes, 'alreadyRead.bytes')}
${HOST_FUNCTIONS}
for t in find grep head sed wc awk; do
  command -v "$t" >/dev/null 2>&1 || emit missing-tool "$t"
done
if command -v awk >/dev/null 2>&1; then HAVE_AWK=1 UNITMODE=unit; else HAVE_AWK= UNITMODE=grep; fi
${ROOT_CHECK}
{
# Sockets and addresses: small, and the topology cannot be drawn without them.
proc proc-net-tcp "$ROOT/proc/net/tcp" ""
proc proc-net-tcp6 "$ROOT/proc/net/tcp6" ""
proc proc-fib-trie "$ROOT/proc/net/fib_trie" ""
proc proc-if-inet6 "$ROOT/proc/net/if_inet6" ""
${pids.flatMap(({ index, pid }) => [`proc proc-net-tcp "$ROOT/proc/${pid}/net/tcp" ${index}`, `proc proc-net-tcp6 "$ROOT/proc/${pid}/net/tcp6" ${index}`]).join('\n')}
# What the containers' compose labels name.
${named.map((file) => `want ${file.kind} ${rooted(file.path)} ${rooted(posix.dirname(file.path))}`).join('\n')}
${HOMES}
each_home home_files
want shell-rc "$ROOT/etc/environment" "$ROOT/etc"
want shell-rc "$ROOT/etc/profile" "$ROOT/etc"
want shell-rc "$ROOT/etc/bash.bashrc" "$ROOT/etc"
if listable "$ROOT/etc/profile.d"; then
  for f in "$ROOT"/etc/profile.d/*.sh; do want shell-rc "$f" "$ROOT/etc/profile.d"; done
fi
${[...SYSTEM_UNIT_DIRS, ...GLOBAL_USER_UNIT_DIRS].map((dir) => `${dir.startsWith('/lib/') ? '[ -L "$ROOT/lib" ] || ' : ''}units ${rooted(dir)}`).join('\n')}
# A pod's service-account token (/var/run is usually a link to /run: read once).
[ -L "$ROOT/var/run" ] || want kubernetes-token "$ROOT/var/run/secrets/kubernetes.io/serviceaccount/token" "$ROOT/var/run/secrets"
want kubernetes-token "$ROOT/run/secrets/kubernetes.io/serviceaccount/token" "$ROOT/run/secrets"
want crontab "$ROOT/etc/crontab" "$ROOT/etc"
if listable "$ROOT/etc/cron.d"; then
  for f in "$ROOT"/etc/cron.d/*; do want crontab "$f" "$ROOT/etc/cron.d"; done
fi
for d in "$ROOT/var/spool/cron/crontabs" "$ROOT/var/spool/cron/tabs" "$ROOT/var/spool/cron"; do
  listable "$d" || continue
  for f in "$d"/*; do want crontab "$f" "$d" "\${f##*/}"; done
done
# run-parts' folders: the scripts among them that upgrade Python packages (the hardening posture).
for d in "$ROOT/etc/cron.hourly" "$ROOT/etc/cron.daily" "$ROOT/etc/cron.weekly" "$ROOT/etc/cron.monthly"; do
  listable "$d" || continue
  found grep cron-script "$UPGRADE_PAT" "$d" "" "$d" -maxdepth 1 -type f -size -${MAX_SCRIPT_BYTES + 1}c
done
# The hardening posture: pip's and uv's global settings, each virtualenv's own pip.conf, its project's pins.
${[...GLOBAL_PIP_CONFIGS.map((path) => `want pip-config ${rooted(path)} ${rooted(posix.dirname(path))}`), ...GLOBAL_UV_CONFIGS.map((path) => `want uv-config ${rooted(path)} ${rooted(posix.dirname(path))}`)].join('\n')}
${venvs.map((venv) => `want pip-config ${rooted(posix.join(venv, 'pip.conf'))} ${rooted(venv)}`).join('\n')}
${projects.map((project) => `project_files ${rooted(project)}`).join('\n')}
want caddyfile "$ROOT/etc/caddy/Caddyfile" "$ROOT/etc/caddy"
want nginx-conf "$ROOT/etc/nginx/nginx.conf" "$ROOT/etc/nginx"
for d in "$ROOT/etc/nginx/conf.d" "$ROOT/etc/nginx/sites-enabled"; do
  listable "$d" || continue
  for f in "$d"/*; do
    case $d in */conf.d) case $f in *.conf) ;; *) continue ;; esac ;; esac
    want nginx-conf "$f" "$d"
  done
done
# The searches: below each home first, then the app folders.
each_home home_search
for d in "$ROOT/opt" "$ROOT/srv" "$ROOT/etc/litellm"; do
  [ -d "$d" ] && named_files "$d"
done
# Stack managers' folders outside /opt and /srv (a stopped stack's compose file still holds its keys).
for d in ${STACK_FOLDERS.filter((folder) => !/^\/(opt|srv)\//.test(folder)).map((folder) => `"$ROOT"${folder.split('*').map(shellQuote).join('*')}`).join(' ')}; do
  [ -d "$d" ] && ! escapes "$d" && named_files "$d"
done
for d in "$ROOT/usr/local/bin" "$ROOT/opt" "$ROOT/srv"; do
  [ -d "$d" ] && found grep script "$TUNNEL_PAT" "$d" "" "$d" -maxdepth ${SCRIPT_SEARCH_DEPTH} ${PRUNE} -o -type f -size -${MAX_SCRIPT_BYTES + 1}c
done
} | gate | reader
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
# The hardening posture: pip's and uv's settings in the image (root's, as images install as root), and the app folder's pins.
for f in ${[...GLOBAL_PIP_CONFIGS, ...USER_PIP_CONFIGS.map((name) => `/root/${name}`)].map(rooted).join(' ')}; do ship pip-config "$f"; done
for f in ${[...GLOBAL_UV_CONFIGS, ...USER_UV_CONFIGS.map((name) => `/root/${name}`)].map(rooted).join(' ')}; do ship uv-config "$f"; done
${dotenvDirs.map((dir) => `for f in ${rooted(dir)}/requirements*.txt ${PROJECT_FILE_NAMES.filter((name) => name !== 'requirements.txt').map((name) => `${rooted(dir)}/${name}`).join(' ')}; do ship python-project "$f"; done`).join('\n')}
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
 * namespaces, and every container's environment (running or stopped) from inspect. Compose files
 * in `composeTexts` (read by the container collector) are taken from there, not read again.
 */
export async function collectHostArtifacts(
  runner: CommandRunner,
  signal: AbortSignal | undefined,
  root = '',
  containers: readonly InspectedContainer[] = [],
  composeTexts: ComposeTexts = new Map(),
  hardening?: ArtifactScriptOptions['hardening'],
): Promise<ArtifactCollection> {
  const boundary = newBoundary();
  const containerPids = containers.flatMap((container, index) => (container.running && container.pid && container.pid > 0 ? [{ index, pid: container.pid }] : []));
  // Shared only for the live filesystem and while both reads keep the same cap: else read as any file.
  const shareable = root === '' && MAX_COMPOSE_BYTES === MAX_ARTIFACT_BYTES ? composeTexts : new Map<string, never>();
  const named = composeArtifacts(containers);
  const shared = named.filter((file) => file.kind === 'compose' && shareable.has(file.path)).map((file) => ({ path: file.path, ...shareable.get(file.path)! }));
  const alreadyRead = { files: shared.length, bytes: shared.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0) };
  const toRead = named.filter((file) => !(file.kind === 'compose' && shareable.has(file.path)));
  const script = hostArtifactScript({ boundary, root, named: toRead, containerPids, alreadyRead, ...(hardening ? { hardening } : {}) });
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
  // Where the script would have framed them: after the socket tables, before everything else it read.
  const at = files.findIndex((file) => !file.kind.startsWith('proc-'));
  const sharedFiles = shared.map((file): TextArtifact => ({ kind: 'compose', container: null, path: file.path, user: ownerOf(file.path, homes), text: file.text, truncated: file.truncated }));
  files.splice(at === -1 ? files.length : at, 0, ...sharedFiles);
  const issues = [...scanIssues(scan, result, 'the host', containers), ...idleStackNotes(files, containers)];
  return { artifacts: { files, environments: environmentsOf(containers) }, issues };
}

/**
 * Compose files found on disk that no running container of the host was made from: a stack that
 * is stopped, torn down, or run by an engine the login cannot see. Said once, because the keys
 * written in them still count (they are places of those keys like any other).
 */
function idleStackNotes(files: readonly TextArtifact[], containers: readonly InspectedContainer[]): CollectorIssue[] {
  const usedBy = (running: boolean) => new Set(containers.filter((container) => container.running === running).flatMap((container) => container.compose?.configFiles ?? []));
  const running = usedBy(true);
  const stopped = usedBy(false);
  const onDisk = [...new Set(files.filter((file) => file.kind === 'compose' && file.container === null).map((file) => file.path))].sort();
  const idle = onDisk.filter((path) => !running.has(path));
  if (idle.length === 0) return [];
  const stoppedOnly = idle.filter((path) => stopped.has(path));
  const unused = idle.filter((path) => !stopped.has(path));
  const notes: CollectorIssue[] = [];
  if (stoppedOnly.length > 0) notes.push(remark(COLLECTOR, `the host: compose stacks whose containers are all stopped: ${sample(stoppedOnly)}; keys written in them still count`));
  if (unused.length > 0) notes.push(remark(COLLECTOR, `the host: compose stacks no container here was made from (stopped and removed, or run by another engine): ${sample(unused)}; keys written in them still count`));
  return notes;
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
  script: (container, boundary, root) => containerArtifactScriptFor(container, boundary, root),
  judge: judgeContainerArtifactsExec,
  fromHost: readContainerArtifactsFromHost,
  mergeLayers: mergeArtifactLayers,
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
  for (const location of scan.capped) issues.push(blindSpot(COLLECTOR, `${where}: ${cappedNote(location)}`));
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

/** What each kind of file is called in a note. */
const KIND_NOUNS: Partial<Record<ArtifactKind, string>> = {
  dotenv: '.env files',
  caddyfile: 'Caddyfiles',
  'litellm-config': 'LiteLLM configs',
  script: 'tunnel scripts',
  'systemd-unit': 'systemd units',
  'systemd-env-file': 'unit environment files',
  'shell-rc': 'shell profiles',
  crontab: 'crontabs',
  'nginx-conf': 'nginx configs',
  'ssh-private-key': 'SSH keys',
  'pip-config': 'pip configs',
  'uv-config': 'uv configs',
  'python-project': 'project pin files',
  'cron-script': 'cron scripts',
};

/** "stopped listing .env files under /opt after 500 files (20,000 seen); the rest were not read". */
export function cappedNote(location: CappedLocation): string {
  const noun = (isArtifactKind(location.kind) ? KIND_NOUNS[location.kind] : undefined) ?? 'files';
  const where = shownPath(location.where);
  const count = (value: number): string => value.toLocaleString('en-US');
  if (location.reason === 'files') {
    return `stopped listing ${noun} under ${where} after ${count(location.read)} files (${count(location.seen)} seen); the rest were not read`;
  }
  const mib = MAX_BYTES_PER_LOCATION / 1024 / 1024;
  return `stopped reading ${noun} under ${where} after ${mib} MiB (${count(location.read)} files); ${count(location.seen - location.read)} more were not read`;
}

/** A path as a note shows it: as it is when plain ASCII, else JSON-quoted with every other character (bidi controls too) as \\u escapes. */
function shownPath(path: string): string {
  if (/^[\x21-\x7e][\x20-\x7e]*$/.test(path)) return path;
  return JSON.stringify(path).replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
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

/** A stopped container's configs and `.env` files from its layers' (top first): a file a higher layer replaced is that layer's, one it deleted is gone. */
export function mergeArtifactLayers(perLayer: readonly ContainerArtifactCollection[], masks: readonly LayerMask[]): ContainerArtifactCollection {
  const files = mergeByPath(perLayer.map((layer) => layer.files), masks, (file) => file.path, (file) => file.path);
  return { files, issues: perLayer.flatMap((layer) => layer.issues), via: 'layers' };
}
