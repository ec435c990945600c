/**
 * RECORD verification: for chosen distributions (those an advisory covers, or all), hashes every
 * file their RECORD lists and lists the files of their own package folders, in one script per host
 * or container, read-only and without starting anything the host owns. sha256sum (GNU and busybox)
 * or `openssl dgst -sha256 -r` does the hashing, in batches; the comparison with RECORD (urlsafe
 * base64 digests) happens here, in TypeScript.
 */
import type { InstalledFiles, PythonEnvironment, PythonPackage } from '../../shared/model/index.js';
import { compareRecord, isBytecodeCache, parseRecord } from '../../shared/domain/python/record.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
import { type EngineAccess } from './docker-collector.js';
import type { InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, SHELL_EMIT } from './framing.js';
import { blindSpot, stderrSuffix, type CollectorIssue } from './notes.js';
import { containerExecScript, mergedDirScript } from './container-read.js';
import type { ContainerReadPath } from './python-collector.js';
import { parseRecordScan, type RecordReading } from './record-parser.js';
import { RECORD_FIRST_FIELD_AWK } from './shell-snippets.js';

/** Largest RECORD read (bigger ones are read up to this and marked incomplete). */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;
/** Most RECORD rows hashed per distribution. */
export const MAX_RECORD_ROWS = 100_000;
/** Files handed to one sha256sum call. */
export const HASH_BATCH = 100;
/** Most unlisted files hashed per distribution (files of its package folders RECORD does not list); the rest are only listed. */
export const MAX_UNLISTED_HASHED = 2000;
/** Largest unlisted file hashed, in KiB (a larger one is listed, not hashed). */
export const MAX_UNLISTED_FILE_KIB = 65_536;
/** Most file hashes one distribution keeps in the report (its `files`); past this the set is marked incomplete. */
export const MAX_FILE_HASHES_KEPT = 20_000;

/** One place's verification: its time and output. */
export const RECORD_SCAN_LIMITS = { timeoutMs: 300_000, maxOutputBytes: 48 * 1024 * 1024 } as const;

/** Which installed distributions to verify. */
export type RecordSelector = (pkg: PythonPackage) => boolean;

/** One distribution to verify: its site folder and its `.dist-info` folder, as seen inside the host or container. */
export interface RecordTarget {
  site: string;
  distInfo: string;
}

/**
 * awk over one RECORD: `F<path>` for each row with a sha256 (csv-module quoting undone; absolute
 * paths and rows spanning lines skipped), then `T<folder>` for each top-level folder the
 * distribution owns (it lists `<folder>/__init__.py`), so namespace folders shared with other
 * distributions are never searched for unlisted files.
 */
const LIST_AWK = String.raw`
${RECORD_FIRST_FIELD_AWK}
{ sub(/\r$/, "") }
!/,sha256=[A-Za-z0-9_-]+,[0-9]*$/ { next }
{
  p = first($0)
  if (p == "" || substr(p, 1, 1) == "/") next
  if (++rows > MAXROWS) { print "C"; exit }
  print "F" p
  s = index(p, "/")
  if (s > 1 && substr(p, 1, 3) != "../" && substr(p, s) == "/__init__.py") owned[substr(p, 1, s - 1)] = 1
}
END { for (t in owned) if (t !~ /\.(dist-info|data)$/ && t != "__pycache__") print "T" t }
`;

/**
 * awk over a RECORD, then find's `./<path>` lines on stdin: the found files RECORD does not list
 * (byte-code caches left out), at most MAXU of them, then `C` when there were more. RECORD is never
 * empty here (the folders come from its rows), so NR == FNR holds for its lines only. A name holding
 * a newline reaches it as two lines that name no file, and is skipped by the `-f` test after it.
 */
const UNLISTED_AWK = String.raw`
${RECORD_FIRST_FIELD_AWK}
NR == FNR { sub(/\r$/, ""); listed[first($0)] = 1; next }
{
  p = substr($0, 3)
  if (p in listed || p ~ /(^|\/)__pycache__\/[^\/]*\.pyc$/) next
  if (++n > MAXU) { print "C"; exit }
  print "U" p
}
`;

/**
 * The verification script. Paths come from RECORD (data): each is only ever a quoted argument,
 * prefixed with `./` so none can pass for an option. Scripts under bin/ also get their first line
 * read, since pip rewrites the `#!` line after hashing.
 */
export function recordScanScript(options: { boundary: string; root: string; targets: readonly RecordTarget[] }): string {
  return `${recordScanPrelude(options.boundary)}
${recordScanCalls(options.root, options.targets)}
emit end ""
`;
}

/**
 * The verification script's definitions (boundary, awk programs, `emit`, `verify`), for a script
 * that verifies one place (recordScanScript) or many (container-records.ts). `verify` reads RECORD
 * at `$ROOT<dist-info>/RECORD`, or, when `LAYERED` is set, where the shell function `toprecord`
 * finds it (the topmost layer holding it; its text is sent with that layer's reading only); in a
 * layer, a file the layer lacks or deletes (a whiteout) is only `missing` there, and a layer
 * without the site folder says `layer-no-site`: the layers' readings are merged afterwards
 * (mergeLayerReadings). With `GUARD` set (and `RR` the root's physical path), every folder and
 * file is checked to lie inside the root first: a site or dist-info folder whose physical path
 * leaves it is not read, and a RECORD row that climbs above it with `..` or passes a symlinked
 * folder is a `link` (unverified), never hashed.
 */
export function recordScanPrelude(boundary: string): string {
  const body = String.raw`
if command -v sha256sum >/dev/null 2>&1; then SUM=sha256sum
elif command -v openssl >/dev/null 2>&1; then SUM="openssl dgst -sha256 -r"
else SUM=; fi
command -v awk >/dev/null 2>&1 || SUM=
[ -n "$SUM" ] || emit cannot-hash ""
flush() { if [ "$#" -gt 0 ]; then emit_open sums; $SUM "$@" 2>/dev/null; fi; }
# Under GUARD: the folder $1 is inside the root, physically (symlinks resolved).
indir() {
  d=$(cd "$1" 2>/dev/null && pwd -P) || return 1
  case "$d/" in "$RR"/*) return 0 ;; esac
  return 1
}
# Under GUARD, in a site folder whose physical path is $HERE: ./$1 stays inside the root (its
# leading ../ climb no higher than the root, no . or .. after them, no symlinked folder on the
# way; the file itself is tested by the caller). Builtins only: it runs once per RECORD row.
inroot() {
  p=$HERE
  r=$1
  while :; do
    case $r in
      ../*) p=\${p%/*}; r=\${r#../} ;;
      *) break ;;
    esac
  done
  case "$p/" in "$RR"/*) ;; *) return 1 ;; esac
  case "/$r/" in */../* | */./*) return 1 ;; esac
  while :; do
    case $r in
      */*) p=$p/\${r%%/*}; r=\${r#*/}; [ -L "$p" ] && return 1 ;;
      *) return 0 ;;
    esac
  done
}
verify() {
  emit dist "$2"
  # A layer may lack the distribution's folder (its files sit in another layer): only one it holds is checked.
  if [ -n "$GUARD" ] && [ -e "$ROOT$2" ] && ! indir "$ROOT$2"; then return 0; fi
  if [ -n "$LAYERED" ]; then rec=$(toprecord "$2"); else rec="$ROOT$2/RECORD"; fi
  if [ -z "$rec" ] || [ ! -f "$rec" ] || { [ -n "$ROOT" ] && [ -L "$rec" ]; }; then return 0; fi
  # Across layers, RECORD is sent once: with the layer that holds it.
  if [ -z "$LAYERED" ] || [ "\${rec#"$ROOT"/}" != "$rec" ]; then
    emit_open record
    head -c ${MAX_RECORD_BYTES} "$rec" 2>/dev/null
    size=$(wc -c < "$rec" 2>/dev/null)
    size=\${size##* }
    [ "\${size:-0}" -gt ${MAX_RECORD_BYTES} ] && emit record-cut ""
  fi
  [ -n "$SUM" ] || return 0
  if [ -n "$LAYERED" ] && [ ! -d "$ROOT$1" ]; then emit layer-no-site ""; return 0; fi
  cd "$ROOT$1" 2>/dev/null || { emit no-site ""; return 0; }
  if [ -n "$GUARD" ]; then
    HERE=$(pwd -P)
    case "$HERE/" in "$RR"/*) ;; *) emit no-site ""; return 0 ;; esac
  fi
  awk -v MAXROWS=${MAX_RECORD_ROWS} "$LIST_AWK" "$rec" 2>/dev/null | {
    set --
    while IFS= read -r line; do
      case $line in
        F*)
          f=\${line#F}
          if [ -n "$GUARD" ] && ! inroot "$f"; then emit link "$f"; continue; fi
          if [ -n "$ROOT" ] && [ -L "./$f" ]; then emit link "$f"; continue; fi
          # In a layer, a whiteout (a character device) deletes the file from here down.
          if [ ! -e "./$f" ] || { [ -n "$LAYERED" ] && [ -c "./$f" ]; }; then emit missing "$f"; continue; fi
          if [ ! -f "./$f" ] || [ ! -r "./$f" ]; then emit unreadable "$f"; continue; fi
          case $f in
            ../*) emit first "$f"; emit_open first-line; head -n 1 "./$f" 2>/dev/null | head -c 256 ;;
          esac
          case $f in
            # GNU sha256sum escapes names holding a backslash; hash those alone, from stdin.
            *\\*) emit one "$f"; emit_open sum; $SUM < "./$f" 2>/dev/null; continue ;;
          esac
          set -- "$@" "./$f"
          if [ "$#" -ge ${HASH_BATCH} ]; then flush "$@"; set --; fi ;;
        T*)
          t=\${line#T}
          if [ -d "./$t" ] && { [ -z "$ROOT" ] || [ ! -L "./$t" ]; }; then
            find "./$t" -type f ! -path '*/__pycache__/*.pyc' -exec sh -c 'for f do printf "\n%s file\n%s" "$B" "\${f#./}"; done' sh {} + 2>/dev/null
            # The files RECORD does not list are hashed too (the listed ones already were), so
            # copies and known-good artifacts compare by content; the listed batch goes first.
            flush "$@"
            set --
            find "./$t" -type f -size -${MAX_UNLISTED_FILE_KIB}k 2>/dev/null | awk -v MAXU=${MAX_UNLISTED_HASHED} "$UNLISTED_AWK" "$rec" - 2>/dev/null | {
              while IFS= read -r u; do
                case $u in
                  C) emit hash-capped "" ;;
                  U*)
                    f=\${u#U}
                    [ -f "./$f" ] && [ -r "./$f" ] || continue
                    if [ -n "$ROOT" ] && [ -L "./$f" ]; then continue; fi
                    case $f in *\\*) emit one "$f"; emit_open sum; $SUM < "./$f" 2>/dev/null; continue ;; esac
                    set -- "$@" "./$f"
                    if [ "$#" -ge ${HASH_BATCH} ]; then flush "$@"; set --; fi ;;
                esac
              done
              flush "$@"
            }
          fi ;;
        C) emit capped "" ;;
      esac
    done
    flush "$@"
  }
}
`.replaceAll('\\$', '$');
  return `B=${shellQuote(boundary)}
LIST_AWK=${shellQuote(LIST_AWK)}
UNLISTED_AWK=${shellQuote(UNLISTED_AWK)}
LAYERED=
GUARD=
export B
${SHELL_EMIT}
${body}`;
}

/** The calls that verify `targets` under `root` ('' inside the place itself), after recordScanPrelude. */
export function recordScanCalls(root: string, targets: readonly RecordTarget[]): string {
  return [`ROOT=${shellQuote(root)}`, ...targets.map((target) => `verify ${shellQuote(target.site)} ${shellQuote(target.distInfo)}`)].join('\n');
}

/** The distributions of `environments` to verify: dist-info ones the selector picks (egg-info has no RECORD). */
export function recordTargets(environments: readonly PythonEnvironment[], select: RecordSelector): RecordTarget[] {
  const targets: RecordTarget[] = [];
  for (const environment of environments) {
    for (const pkg of environment.packages) {
      if (pkg.metadataPath?.endsWith('.dist-info') && select(pkg)) targets.push({ site: environment.path, distInfo: pkg.metadataPath });
    }
  }
  return targets;
}

/**
 * A distribution's files by content, as the report keeps them: every hash the script read (RECORD's
 * files and the unlisted ones of its package folders), byte-code caches left out, at most
 * MAX_FILE_HASHES_KEPT. Incomplete when RECORD could not all be compared, some unlisted file was
 * left unhashed, or the cap was reached: an absent path then proves nothing.
 */
export function installedFiles(reading: RecordReading, recordIncomplete: boolean): InstalledFiles {
  const sha256: Record<string, string> = {};
  let kept = 0;
  let capped = false;
  const hashed = new Set<string>();
  for (const [path, hex] of [...reading.hashes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (isBytecodeCache(path)) continue;
    hashed.add(path);
    if (kept >= MAX_FILE_HASHES_KEPT) {
      capped = true;
      continue;
    }
    sha256[path] = hex;
    kept++;
  }
  // A present file with no hash (too large, unreadable) leaves a hole as well.
  const unhashed = reading.present.some((path) => !hashed.has(path) && !isBytecodeCache(path));
  const files: InstalledFiles = { sha256 };
  if (recordIncomplete || reading.hashCapped || capped || unhashed) files.incomplete = true;
  return files;
}

/**
 * Stores each reading's outcome on its package (`record`, `files`); returns how many of `targets`
 * got no reading (not verified).
 */
export function applyRecordReadings(environments: readonly PythonEnvironment[], targets: readonly RecordTarget[], readings: readonly RecordReading[]): number {
  const byDistInfo = new Map(readings.map((reading) => [reading.distInfo, reading]));
  let unread = 0;
  for (const environment of environments) {
    for (const pkg of environment.packages) {
      const reading = pkg.metadataPath ? byDistInfo.get(pkg.metadataPath) : undefined;
      if (!reading) {
        if (targets.some((target) => target.distInfo === pkg.metadataPath)) unread++;
        continue;
      }
      if (reading.recordText === null) continue;
      pkg.record = compareRecord(parseRecord(reading.recordText), reading);
      pkg.files = installedFiles(reading, pkg.record.incomplete === true);
    }
  }
  return unread;
}

/** The folder on the host a container was read through: its process's root, else its MergedDir. */
function containerRootOnHost(place: Extract<RecordPlace, { kind: 'container' }>): string {
  return place.via === 'proc-root' && place.container.pid ? `/proc/${place.container.pid}/root` : place.container.mergedDir!;
}

/** How a host's or container's files are reached for verification. */
export type RecordPlace =
  | { kind: 'host'; root: string }
  | { kind: 'container'; via: Exclude<ContainerReadPath, null>; engine: EngineAccess; container: InspectedContainer };

/**
 * Verifies the selected distributions of `environments` in one round trip (none when nothing is
 * selected) and stores the outcome on each package's `record`. Returns notes for what could not be verified.
 */
export async function verifyRecords(
  runner: CommandRunner,
  environments: readonly PythonEnvironment[],
  place: RecordPlace,
  select: RecordSelector,
  signal?: AbortSignal,
): Promise<CollectorIssue[]> {
  const targets = recordTargets(environments, select);
  if (targets.length === 0) return [];
  const where = place.kind === 'host' ? 'the host' : `container ${place.container.name || place.container.id.slice(0, 12)}`;
  const boundary = newBoundary();
  const script =
    place.kind === 'host'
      ? recordScanScript({ boundary, root: place.root, targets })
      : place.via === 'exec'
        ? containerExecScript(boundary, place.engine, place.container.id, recordScanScript({ boundary, root: '', targets }))
        : mergedDirScript(boundary, containerRootOnHost(place), recordScanScript({ boundary, root: containerRootOnHost(place), targets }));
  const result = await runner.runScript(script, { ...RECORD_SCAN_LIMITS, signal });
  const scan = parseRecordScan(decodeOutput(result.stdout), boundary);
  if (scan.cannotHash) {
    return [blindSpot('python', `${where}: RECORDs of ${targets.length} distributions not verified: no sha256sum, openssl or awk`)];
  }
  const unread = applyRecordReadings(environments, targets, scan.readings);
  const issues: CollectorIssue[] = [];
  if (!scan.completed || unread > 0) {
    const why = result.truncated ? 'its output passed the size limit' : `exit ${result.exitCode ?? 'signal'}${stderrSuffix(result.stderr)}`;
    issues.push(blindSpot('python', `${where}: RECORD verification ended early (${why}); ${unread} distributions not verified`));
  }
  return issues;
}
