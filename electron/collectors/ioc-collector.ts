/**
 * IOC collector: turns the IOC rules (shared/domain/iocs/rules.json plus any extra ones) into one POSIX sh
 * script that only tests, reads and hashes files: `test`, `find`, `grep -F` with fixed strings,
 * `tail`/`head`, `sha256sum` (or `openssl dgst`). It never starts anything the host owns (no
 * python, no systemctl: unit files are read from their folders). Every rule string and path is
 * passed shell-quoted; a home folder or file name read on the host only ever travels in a quoted
 * variable. The same script reads the host, a running container (through `docker exec -i ID sh
 * -s`) or a container's MergedDir from the host (ROOT), as the Python collector does.
 */
import type { IocHit } from '../../shared/model/index.js';
import type { IocRule, IocRuleOfKind } from '../../shared/domain/iocs/rules.js';
import { shellQuote, type CommandRunner, type RunResult } from '../exec/command-runner.js';
import { type EngineAccess } from './docker-collector.js';
import type { InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, recordValue, SHELL_EMIT } from './framing.js';
import { parseIocScan, type IocScan } from './ioc-parser.js';
import { blindSpot, remark, stderrSuffix, type CollectorIssue } from './notes.js';
import { mergeByPath, type LayerMask } from './container-layers.js';
import { containerExecScript, containerLabel, execFailure, mergedDirScript, type ContainerScanPart, type ContainerVia, type ExecOutcome } from './container-read.js';
import { ESCAPES_FUNCTION, LINE_CODEC } from './shell-snippets.js';

/** The part of each text file searched: its last 8 MiB (logs grow at the end, and the window is recent). */
export const MAX_TEXT_BYTES = 8 * 1024 * 1024;
/** Most log files under /var/log searched per scan. */
export const MAX_LOG_FILES = 500;
/** Most files searched in one cron, unit or other folder (each costs a few processes) before the rest are skipped with a note. */
export const MAX_DIR_FILES = 500;
/** Most hits the script emits before it stops with a truncation record. */
export const MAX_SCRIPT_HITS = 500;

/** System unit folders, read instead of asking systemctl (which is the inspected system's own program). */
export const SYSTEM_UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];
/** Folders of user units installed for every user. */
export const GLOBAL_USER_UNIT_DIRS = ['/etc/systemd/user', '/usr/local/lib/systemd/user', '/usr/lib/systemd/user', '/lib/systemd/user'];
/** User unit folders below each home. */
export const HOME_UNIT_DIRS = ['.config/systemd/user', '.local/share/systemd/user'];
/** Shell histories below each home (bash, zsh, busybox ash, ksh/sh, fish). */
export const HISTORY_FILES = ['.bash_history', '.zsh_history', '.ash_history', '.sh_history', '.local/share/fish/fish_history'];
/** Single files that name hosts or schedule commands. */
const CONFIG_FILES = ['/etc/hosts', '/etc/crontab', '/etc/anacrontab'];
/** Folders of crontabs and cron scripts. */
const CRON_DIRS = ['/etc/cron.d', '/etc/cron.hourly', '/etc/cron.daily', '/etc/cron.weekly', '/etc/cron.monthly', '/var/spool/cron', '/var/spool/cron/crontabs', '/var/spool/cron/tabs'];

/** Time and output limits of one IOC scan. */
export const IOC_SCAN_LIMITS = { timeoutMs: 180_000, maxOutputBytes: 4 * 1024 * 1024 } as const;

/** What an IOC scan script reads. */
export interface IocScriptOptions {
  boundary: string;
  /** Prefix every path is read under: '' for the live filesystem, a container's MergedDir, or a test folder. */
  root: string;
  rules: readonly IocRule[];
  maxTextBytes?: number;
}

/**
 * Shell functions of the script and of the batches find starts for file-hash searches.
 * String.raw keeps backslashes as written; only `\${` (there to stop JS interpolation) loses its
 * backslash. Variables are prefixed per function: POSIX sh has no `local`.
 */
const IOC_FUNCTIONS = String.raw`
hits=0
${ESCAPES_FUNCTION}
${LINE_CODEC}
present() { [ -e "$1" ] || [ -L "$1" ]; }
# The searched part of a regular file: its last MAXTEXT bytes (tail seeks, so a huge log costs little).
text() { { tail -c "$MAXTEXT" < "$1"; } 2>/dev/null; }
first() { head -n 1 | head -c 200; }
hit() {
  if [ "$hits" -ge "$MAXHITS" ]; then
    [ "$hits" -eq "$MAXHITS" ] && emit truncated "$MAXHITS"
    hits=$((hits + 1))
    return 0
  fi
  hits=$((hits + 1))
  emit hit "$1"
  emit path "\${2#"$ROOT"}"
  [ -z "$3" ] || emit unit "$3"
  emit matched "$4"
}
hash_file() {
  case $HASHER in
    sha256sum) hr=$( { sha256sum < "$1"; } 2>/dev/null ) ;;
    openssl) hr=$( { openssl dgst -sha256 < "$1"; } 2>/dev/null ); hr=\${hr##* } ;;
    *) hr= ;;
  esac
  hr=\${hr%%[!0-9a-f]*}
  [ "\${#hr}" -eq 64 ] && printf '%s' "$hr"
}
# A regular file this user can read, inside ROOT; says why not when it exists but cannot be read.
readable_file() {
  [ -f "$1" ] || return 1
  if escapes "$1"; then emit skipped-link "\${1#"$ROOT"}"; return 1; fi
  if [ ! -r "$1" ]; then emit unreadable "\${1#"$ROOT"}"; return 1; fi
  return 0
}
# What is at $1, for a hit without a matching line: sha256 of a small regular file, else its type.
describe() {
  if [ -L "$1" ]; then printf 'symbolic link to %s' "$(readlink "$1" 2>/dev/null | head -c 200)"; return 0; fi
  if [ -d "$1" ]; then printf 'directory'; return 0; fi
  if [ -f "$1" ]; then
    dh=
    if [ -r "$1" ] && [ -n "$HASHER" ] && [ -n "$(find "$1" -prune -size -1048577c 2>/dev/null)" ]; then dh=$(hash_file "$1"); fi
    if [ -n "$dh" ]; then printf 'sha256:%s' "$dh"; else printf 'regular file'; fi
    return 0
  fi
  printf 'present'
}
# check_file RULE PATH [-e STRING]...: a hit when PATH exists (and holds one of the strings, when given).
check_file() {
  cf_rule=$1 cf_path=$2
  shift 2
  present "$cf_path" || return 0
  if escapes "$cf_path"; then emit skipped-link "\${cf_path#"$ROOT"}"; return 0; fi
  if [ "$#" -gt 0 ]; then
    readable_file "$cf_path" || return 0
    cf_m=$(text "$cf_path" | grep -a -F "$@" 2>/dev/null | first)
    [ -n "$cf_m" ] || return 0
  else
    cf_m=$(describe "$cf_path")
  fi
  hit "$cf_rule" "$cf_path" "" "$cf_m"
}
# check_unit RULE DIR UNIT [-e STRING]...: the unit file in DIR and its enablement links in DIR/*.wants
# and DIR/*.requires. A link is read through (inside ROOT) so a required string is looked for in its target.
check_unit() {
  cu_rule=$1 cu_dir=$2 cu_unit=$3
  shift 3
  [ -d "$cu_dir" ] || return 0
  if escapes "$cu_dir"; then emit skipped-link "\${cu_dir#"$ROOT"}"; return 0; fi
  for cu_f in "$cu_dir/$cu_unit" "$cu_dir"/*.wants/"$cu_unit" "$cu_dir"/*.requires/"$cu_unit"; do
    present "$cu_f" || continue
    cu_read=$cu_f
    if [ -L "$cu_f" ]; then
      cu_t=$(readlink "$cu_f" 2>/dev/null)
      case $cu_t in
        /*) cu_read=$ROOT$cu_t ;;
        *) cu_read=\${cu_f%/*}/$cu_t ;;
      esac
    fi
    cu_m=
    if [ -f "$cu_read" ] && ! escapes "$cu_read"; then
      if [ -r "$cu_read" ]; then
        if [ "$#" -gt 0 ]; then
          cu_m=$(text "$cu_read" | grep -a -F "$@" 2>/dev/null | first)
        else
          cu_m=$(text "$cu_read" | grep -a -F -e Description= 2>/dev/null | first)
        fi
      else
        emit unreadable "\${cu_read#"$ROOT"}"
      fi
    fi
    if [ -z "$cu_m" ]; then
      # A required string not found (or not readable): not this unit. Without one, presence is enough.
      [ "$#" -gt 0 ] && continue
      cu_m=$(describe "$cu_f")
    fi
    hit "$cu_rule" "$cu_f" "$cu_unit" "$cu_m"
  done
}
# check_hash RULE PATH MAXBYTES SHA256...: a hit when PATH is a regular file (not a link) of at most
# MAXBYTES whose sha256 is one of the given ones.
check_hash() {
  ch_rule=$1 ch_path=$2 ch_max=$3
  shift 3
  { [ -f "$ch_path" ] && [ ! -L "$ch_path" ]; } || return 0
  if escapes "$ch_path"; then emit skipped-link "\${ch_path#"$ROOT"}"; return 0; fi
  if [ ! -r "$ch_path" ]; then emit unreadable "\${ch_path#"$ROOT"}"; return 0; fi
  [ -n "$(find "$ch_path" -prune -size -"$((ch_max + 1))"c 2>/dev/null)" ] || return 0
  ch_h=$(hash_file "$ch_path")
  [ -n "$ch_h" ] || return 0
  for ch_w do
    if [ "$ch_h" = "$ch_w" ]; then hit "$ch_rule" "$ch_path" "" "sha256:$ch_h"; return 0; fi
  done
}
# scan_dir FUNCTION DIR: FUNCTION on every regular file directly in DIR (a log or cron folder).
scan_dir() {
  sd_fn=$1 sd_dir=$2
  [ -d "$sd_dir" ] || return 0
  if escapes "$sd_dir"; then emit skipped-link "\${sd_dir#"$ROOT"}"; return 0; fi
  if [ ! -r "$sd_dir" ] || [ ! -x "$sd_dir" ]; then emit unreadable "\${sd_dir#"$ROOT"}"; return 0; fi
  sd_n=0
  for sd_f in "$sd_dir"/* "$sd_dir"/.[!.]*; do
    [ -f "$sd_f" ] || continue
    sd_n=$((sd_n + 1))
    if [ "$sd_n" -gt ${MAX_DIR_FILES} ]; then emit dir-limit "\${sd_dir#"$ROOT"}"; break; fi
    "$sd_fn" "$sd_f"
  done
}
# scan_path FUNCTION PATH: FUNCTION on PATH, or on the files of PATH when it is a folder.
scan_path() {
  if [ -d "$2" ]; then scan_dir "$1" "$2"; else "$1" "$2"; fi
}
`.replaceAll('\\$', '$');

/** A fixed string matched by one rule in one class of text files. */
interface TextMatcher {
  ruleId: string;
  strings: readonly string[];
  /** Whole-word match (domains and addresses): `sub.example.com` counts, `notexample.com` does not. */
  word: boolean;
}

/** The IOC scan script for `rules`. */
export function iocScanScript(options: IocScriptOptions): string {
  const maxText = options.maxTextBytes ?? MAX_TEXT_BYTES;
  if (!Number.isInteger(maxText) || maxText < 1) throw new Error('maxTextBytes must be a positive whole number');
  const rules = options.rules;
  const ofKind = <K extends IocRule['kind']>(kind: K): IocRuleOfKind<K>[] => rules.filter((rule): rule is IocRuleOfKind<K> => rule.kind === kind);
  const fileRules = ofKind('file');
  const unitRules = ofKind('systemd-unit');
  const hashRules = ofKind('file-hash');
  const logRules = ofKind('log-string');
  const domainRules = ofKind('domain');

  const logMatchers: TextMatcher[] = logRules.map((rule) => ({ ruleId: rule.id, strings: rule.strings, word: false }));
  const domainMatchers: TextMatcher[] = domainRules.map((rule) => ({ ruleId: rule.id, strings: [rule.domain], word: true }));
  const historyMatchers = [...logMatchers, ...domainMatchers];
  const configMatchers = domainMatchers;
  const varLogMatchers = [...logMatchers, ...domainMatchers];

  const sections: string[] = [];
  for (const rule of fileRules) sections.push(forPlace(rule.path, (path) => `check_file ${shellQuote(rule.id)} ${path}${greps(rule.contains)}`));
  for (const rule of unitRules) {
    const dirs: string[] = [];
    if (rule.scope !== 'user') dirs.push(...SYSTEM_UNIT_DIRS);
    if (rule.scope !== 'system') dirs.push(...GLOBAL_USER_UNIT_DIRS);
    for (const dir of dirs) sections.push(`${skipMergedLib(dir)}check_unit ${shellQuote(rule.id)} ${rooted(dir)} ${shellQuote(rule.unit)}${greps(rule.contains)}`);
    if (rule.scope !== 'system') {
      for (const dir of HOME_UNIT_DIRS) sections.push(`for eh do dec "$eh"; h=$d; check_unit ${shellQuote(rule.id)} "$h"/${shellQuote(dir)} ${shellQuote(rule.unit)}${greps(rule.contains)}; done`);
    }
  }
  for (const [index, rule] of hashRules.entries()) {
    const hashes = rule.sha256.map(shellQuote).join(' ');
    for (const path of rule.paths ?? []) {
      sections.push(forPlace(path, (place) => `check_hash ${shellQuote(rule.id)} ${place} ${rule.maxBytes} ${hashes}`));
    }
    if (rule.search) sections.push(hashSearch(rule, index));
  }

  sections.push(textScanFunction('scan_history', historyMatchers));
  sections.push(textScanFunction('scan_config', configMatchers));
  sections.push(textScanFunction('scan_log', varLogMatchers));
  if (historyMatchers.length > 0) {
    sections.push(`for eh do
  dec "$eh"; h=$d
  for n in ${HISTORY_FILES.map(shellQuote).join(' ')}; do scan_history "$h/$n"; done
done`);
  }
  if (configMatchers.length > 0) {
    for (const file of CONFIG_FILES) sections.push(`scan_config ${rooted(file)}`);
    for (const dir of [...CRON_DIRS, ...SYSTEM_UNIT_DIRS, ...GLOBAL_USER_UNIT_DIRS]) sections.push(`${skipMergedLib(dir)}scan_dir scan_config ${rooted(dir)}`);
    for (const dir of HOME_UNIT_DIRS) sections.push(`for eh do dec "$eh"; h=$d; scan_dir scan_config "$h"/${shellQuote(dir)}; done`);
  }
  if (varLogMatchers.length > 0) sections.push(varLogScan());
  for (const [index, rule] of logRules.entries()) {
    if (!rule.paths?.length) continue;
    const name = `scan_extra_${index}`;
    sections.push(textScanFunction(name, [{ ruleId: rule.id, strings: rule.strings, word: false }]));
    for (const path of rule.paths) sections.push(forPlace(path, (place) => `scan_path ${name} ${place}`));
  }

  const needsHash = hashRules.length > 0;
  return `B=${shellQuote(options.boundary)}
ROOT=${shellQuote(options.root)}
MAXTEXT=${maxText}
MAXHITS=${MAX_SCRIPT_HITS}
export B ROOT MAXTEXT MAXHITS
${SHELL_EMIT}
${IOC_FUNCTIONS}
for t in find grep head tail readlink; do
  command -v "$t" >/dev/null 2>&1 || emit missing-tool "$t"
done
if command -v sha256sum >/dev/null 2>&1; then HASHER=sha256sum
elif command -v openssl >/dev/null 2>&1; then HASHER=openssl
else HASHER=${needsHash ? '; emit missing-tool sha256sum' : ''}
fi
export HASHER
if [ -n "$ROOT" ] && { [ ! -d "$ROOT" ] || [ ! -x "$ROOT" ]; }; then
  emit root-missing ""
  emit end ""
  exit 0
fi
${HOMES}
${sections.join('\n')}
emit end ""
`;
}

/**
 * Every home once, as the positional parameters (encoded: see LINE_CODEC; each loop over them
 * decodes): /root, /home/*, then the homes /etc/passwd names (services that run Python often have
 * theirs in /var/lib or /opt). The candidates go one line each through awk, which keeps the first
 * of each; one loop checks them (its notes go to fd 3, the script's output) and one split sets
 * them: nothing copies a growing list per home.
 */
const HOMES = String.raw`exec 3>&1
homes=$( {
  for h in "$ROOT"/root "$ROOT"/home/*; do
    [ -d "$h" ] || continue
    enc "$h"
    printf '%s\n' "$e"
  done
  if [ -f "$ROOT/etc/passwd" ] && [ -r "$ROOT/etc/passwd" ]; then
    pn=0
    while IFS=: read -r pu px pi pg pc ph ps || [ -n "$pu" ]; do
      pn=$((pn + 1))
      [ "$pn" -le 5000 ] || break
      case $ph in /?*) ;; *) continue ;; esac
      h=$ROOT\${ph%/}
      [ -d "$h" ] || continue
      enc "$h"
      printf '%s\n' "$e"
    done < "$ROOT/etc/passwd"
  fi
} | if command -v awk >/dev/null 2>&1; then awk '!seen[$0]++'; else while IFS= read -r l; do printf '%s\n' "$l"; done; fi
)
homes=$(
  IFS=$NL
  set -f
  for eh in $homes; do
    dec "$eh"
    if escapes "$d"; then emit skipped-link "\${d#"$ROOT"}" >&3; continue; fi
    if [ ! -r "$d" ] || [ ! -x "$d" ]; then emit unreadable "\${d#"$ROOT"}" >&3; continue; fi
    printf '%s\n' "$eh"
  done
)
IFS=$NL
set -f
set -- $homes
set +f
IFS=$OIFS`.replaceAll('\\$', '$');

/** A command for one place: once under ROOT for an absolute path, once per home for `~/…`. */
function forPlace(path: string, command: (quotedPath: string) => string): string {
  if (path.startsWith('~/')) return `for eh do dec "$eh"; h=$d; ${command(`"$h"/${shellQuote(path.slice(2))}`)}; done`;
  return command(rooted(path));
}

/** `"$ROOT"'/etc/hosts'`: a fixed path under the scanned root, quoted. */
function rooted(path: string): string {
  return `"$ROOT"${shellQuote(path)}`;
}

/** On a usr-merged system /lib is a link to usr/lib: its unit folder is the one already read. */
function skipMergedLib(dir: string): string {
  return dir.startsWith('/lib/') ? `[ -L "$ROOT/lib" ] || ` : '';
}

function greps(strings: readonly string[] | undefined): string {
  return (strings ?? []).map((value) => ` -e ${shellQuote(value)}`).join('');
}

/**
 * A function that searches one text file for the matchers' strings: one grep for all of them
 * first (most files hold none), then one per rule to name it and quote its first matching line.
 */
function textScanFunction(name: string, matchers: readonly TextMatcher[]): string {
  if (matchers.length === 0) return `${name}() { :; }`;
  const all = [...new Set(matchers.flatMap((matcher) => matcher.strings))];
  const perRule = matchers.map(
    (matcher) =>
      `  m=$(text "$1" | grep -a -F${matcher.word ? ' -w' : ''}${greps(matcher.strings)} 2>/dev/null | first)
  [ -z "$m" ] || hit ${shellQuote(matcher.ruleId)} "$1" "" "$m"`,
  );
  return `${name}() {
  readable_file "$1" || return 0
  text "$1" | grep -a -F -q${greps(all)} 2>/dev/null || return 0
${perRule.join('\n')}
}`;
}

/** /var/log and its subfolders, bounded in files and in bytes per file; compressed and binary logs are skipped. */
function varLogScan(): string {
  return String.raw`if [ -d "$ROOT/var/log" ] && ! escapes "$ROOT/var/log"; then
  ln=0
  for f in "$ROOT"/var/log/* "$ROOT"/var/log/*/*; do
    case $f in
      *.gz|*.xz|*.bz2|*.zst|*.lz4|*.Z|*/journal/*|*/wtmp|*/btmp|*/lastlog|*/faillog|*/booby-trap) continue ;;
    esac
    [ -f "$f" ] || continue
    ln=$((ln + 1))
    if [ "$ln" -gt ${MAX_LOG_FILES} ]; then emit log-limit ""; break; fi
    scan_log "$f"
  done
  emit_open big
  find "$ROOT/var/log" -maxdepth 2 -type f -size +"$MAXTEXT"c 2>/dev/null | head -n 20
fi`.replaceAll('\\$', '$');
}

/**
 * find below the rule's roots for files named like `search.name`, each hashed by a batch of sh
 * (find passes the paths as arguments, so any file name stays one word). Roots that are links
 * are followed (`root/`) only when they stay inside ROOT.
 */
function hashSearch(rule: IocRuleOfKind<'file-hash'>, index: number): string {
  const search = rule.search!;
  const batch = `${SHELL_EMIT}
${IOC_FUNCTIONS}
hr_rule=$1
shift
for f do
  h=$(hash_file "$f")
  case $h in ${rule.sha256.map(shellQuote).join('|')}) hit "$hr_rule" "$f" "" "sha256:$h" ;; esac
done
`;
  // Python runs a .pth only from the top of a site folder, so for .pth rules the package folders
  // inside one (thousands of files in a big environment, the costliest walk of a container's
  // search) are not entered: the site folder's own .pth files are still hashed.
  const sitePrune = search.name.endsWith('.pth') ? ` -o -type d \\( -path '*/site-packages/*' -o -path '*/dist-packages/*' \\)` : '';
  return `# file-hash rule ${index}: ${rule.id}
for r in ${search.roots.map(rooted).join(' ')}; do
  [ -d "$r" ] || continue
  if escapes "$r"; then emit skipped-link "\${r#"$ROOT"}"; continue; fi
  find "$r/" -maxdepth ${search.maxDepth} -xdev \\( -name node_modules -o -name .git${sitePrune} \\) -prune \\
    -o -name ${shellQuote(search.name)} -type f -size -${rule.maxBytes + 1}c -exec sh -c ${shellQuote(batch)} sh ${shellQuote(rule.id)} {} + 2>/dev/null
done`;
}

/** Hits and notes from one IOC collection. */
export interface IocCollection {
  hits: IocHit[];
  issues: CollectorIssue[];
}

/** Searches the host for every rule in one round trip. */
export async function collectHostIocs(runner: CommandRunner, rules: readonly IocRule[], signal?: AbortSignal, root = ''): Promise<IocCollection> {
  const boundary = newBoundary();
  const result = await runner.runScript(iocScanScript({ boundary, root, rules }), { ...IOC_SCAN_LIMITS, signal });
  const scan = parseIocScan(decodeOutput(result.stdout), boundary, { container: null });
  return { hits: scan.hits, issues: scanIssues(scan, result, 'the host') };
}

/** How a container's files were searched. */
export type IocReadPath = ContainerVia | null;

/**
 * Searches one running container: `docker exec -i ID sh -s` first, and when that cannot run (no
 * sh, a missing utility) its MergedDir from the host, the same two ways the Python collector uses.
 * Never throws for a container that cannot be read: it notes it.
 */
export async function collectContainerIocs(
  runner: CommandRunner,
  engine: EngineAccess,
  container: InspectedContainer,
  rules: readonly IocRule[],
  signal?: AbortSignal,
): Promise<IocCollection & { via: IocReadPath }> {
  const execBoundary = newBoundary();
  const inner = iocScanScript({ boundary: execBoundary, root: '', rules });
  let execProblem: string;
  try {
    const result = await runner.runScript(containerExecScript(execBoundary, engine, container.id, inner), { ...IOC_SCAN_LIMITS, signal });
    const output = decodeOutput(result.stdout);
    const judged = judgeContainerIocsExec(output, execBoundary, { result, rc: recordValue(output, execBoundary, 'rc') }, engine, container);
    if ('collection' in judged) return judged.collection;
    execProblem = judged.problem;
  } catch (error) {
    if (signal?.aborted) throw error;
    execProblem = `${engine.engine} exec failed (${(error as Error).message})`;
  }
  return searchContainerFromHost(runner, container, rules, execProblem, signal);
}

/**
 * Judges the output of an IOC scan run through `docker exec` (`output` holds that scan's records
 * framed with `boundary`): the container's hits, or why its MergedDir must be searched instead.
 */
export function judgeContainerIocsExec(
  output: string,
  boundary: string,
  exec: ExecOutcome,
  engine: EngineAccess,
  container: InspectedContainer,
): { collection: IocCollection & { via: IocReadPath } } | { problem: string } {
  const { result, rc } = exec;
  const scan = parseIocScan(output, boundary, { container: container.name });
  if (scan.completed && scan.missingTools.length === 0) return { collection: { hits: scan.hits, issues: scanIssues(scan, result, containerLabel(container)), via: 'exec' } };
  return {
    problem: scan.completed
      ? `the image lacks ${scan.missingTools.join(', ')}`
      : result.truncated
        ? 'the scan output passed its size limit'
        : execFailure(engine, rc, result),
  };
}

/** The fallback when exec could not search a container: its MergedDir searched from the host, directly or through `sudo -n`. */
export async function searchContainerFromHost(
  runner: CommandRunner,
  container: InspectedContainer,
  rules: readonly IocRule[],
  execProblem: string,
  signal?: AbortSignal,
): Promise<IocCollection & { via: IocReadPath }> {
  const label = containerLabel(container);
  if (!container.mergedDir) {
    return { hits: [], issues: [blindSpot('iocs', `${label}: not searched: ${execProblem}, and the engine reports no MergedDir to read from the host`)], via: null };
  }
  const boundary = newBoundary();
  const fallback = iocScanScript({ boundary, root: container.mergedDir, rules });
  const result = await runner.runScript(mergedDirScript(boundary, container.mergedDir, fallback), { ...IOC_SCAN_LIMITS, signal });
  const output = decodeOutput(result.stdout);
  const scan = parseIocScan(output, boundary, { container: container.name });
  const via = recordValue(output, boundary, 'via') === 'direct' ? 'merged-dir' : 'merged-dir-sudo';
  if (!scan.completed) {
    const how = via === 'merged-dir' ? 'reading' : 'sudo -n reading';
    return {
      hits: scan.hits,
      issues: [blindSpot('iocs', `${label}: not searched: ${execProblem}; ${how} its filesystem from the host failed${stderrSuffix(result.stderr, ' (', ')')}`)],
      via: null,
    };
  }
  if (scan.rootMissing) {
    return { hits: [], issues: [blindSpot('iocs', `${label}: not searched: ${execProblem}; its MergedDir is not mounted or not readable on the host`)], via: null };
  }
  return { hits: scan.hits, issues: scanIssues(scan, result, label), via };
}

/** The IOC search for `rules` as a part of a running container's one exec (container-scan.ts). */
export function iocContainerPart(rules: readonly IocRule[]): ContainerScanPart<'iocs', IocCollection & { via: IocReadPath }> {
  return {
    name: 'iocs',
    limits: IOC_SCAN_LIMITS,
    script: (_container, boundary, root) => iocScanScript({ boundary, root, rules }),
    judge: judgeContainerIocsExec,
    fromHost: (runner, container, problem, signal) => searchContainerFromHost(runner, container, rules, problem, signal),
    mergeLayers: mergeIocLayers,
    unscanned: (label, message) => ({ hits: [], issues: [blindSpot('iocs', `${label}: not searched: ${message}`)], via: null }),
  };
}

/** Notes for a scan that ran: blind spots (cut short, missing tools, links not followed) and remarks (unreadable places, logs read in part). */
function scanIssues(scan: IocScan, result: RunResult, where: string): CollectorIssue[] {
  const issues: CollectorIssue[] = [];
  if (!scan.completed) {
    const why = result.truncated ? 'its output passed the size limit' : `exit ${result.exitCode ?? 'signal'}${stderrSuffix(result.stderr)}`;
    issues.push(blindSpot('iocs', `${where}: the IOC search ended early (${why}); places after that point were not searched`));
  }
  if (scan.truncated) issues.push(blindSpot('iocs', `${where}: more than ${MAX_SCRIPT_HITS} IOC hits; the rest were not listed`));
  if (scan.missingTools.length > 0) {
    issues.push(blindSpot('iocs', `${where}: lacks ${scan.missingTools.join(', ')}; some IOC rules could not be checked`));
  }
  for (const path of scan.skippedLinks) {
    issues.push(blindSpot('iocs', `${where}: ${JSON.stringify(path)} not followed: an absolute symlink would resolve on the host`));
  }
  if (scan.unreadable.length > 0) {
    issues.push(remark('iocs', `${where}: not readable as this user, so not searched for IOCs (scan as root to include them): ${sample(scan.unreadable)}`));
  }
  if (scan.bigLogs.length > 0) {
    issues.push(remark('iocs', `${where}: only the last ${MAX_TEXT_BYTES / 1024 / 1024} MiB of these logs were searched: ${sample(scan.bigLogs)}`));
  }
  if (scan.logLimit) issues.push(remark('iocs', `${where}: more than ${MAX_LOG_FILES} files under /var/log; the rest were not searched`));
  if (scan.dirLimits.length > 0) issues.push(remark('iocs', `${where}: more than ${MAX_DIR_FILES} files in ${sample(scan.dirLimits)}; the rest were not searched`));
  return issues;
}

function sample(paths: readonly string[]): string {
  const shown = paths.slice(0, 5).map((path) => JSON.stringify(path)).join(', ');
  return paths.length > 5 ? `${shown} and ${paths.length - 5} more` : shown;
}


/**
 * A stopped container's IOC hits from its layers' (top first): a hit on a file a higher layer
 * deleted is dropped, one on a file several layers hold is counted once (a higher layer that
 * replaced the file with a clean one still leaves the lower hit: more found, never less).
 */
export function mergeIocLayers(perLayer: readonly (IocCollection & { via: IocReadPath })[], masks: readonly LayerMask[]): IocCollection & { via: IocReadPath } {
  const hits = mergeByPath(
    perLayer.map((layer) => layer.hits),
    masks,
    (hit) => `${hit.ruleId}\u0000${hit.path ?? ''}\u0000${hit.unit ?? ''}\u0000${hit.matched}`,
    (hit) => hit.path,
  );
  return { hits, issues: perLayer.flatMap((layer) => layer.issues), via: 'layers' };
}
