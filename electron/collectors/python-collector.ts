/**
 * Python collector: finds installed distributions as files (`*.dist-info/METADATA`,
 * `*.egg-info/PKG-INFO`, `*.egg-info` files) without ever starting an interpreter, pip or
 * anything else the scanned system owns: a compromised environment's `.pth` runs at every Python
 * start, so reading files is the only safe way to look. The same script reads the host, a running
 * container (through `docker exec -i ID sh -s`) or a container's filesystem from the host (ROOT =
 * its MergedDir). The same round trip audits every site folder's `.pth` files (sha256, first
 * 64 KiB / 200 lines, owning RECORD) and its `sitecustomize.py` / `usercustomize.py` (sha256, owning
 * RECORD, content signatures matched on its first 64 KiB), the very files that would run if
 * anything started Python.
 */
import type { PythonEnvironment } from '../../shared/model/index.js';
import { shellQuote, type CommandRunner, type RunResult } from '../exec/command-runner.js';
import { isHidden, mergeByPath, type LayerMask } from './container-layers.js';
import { containerExecScript, containerLabel, execFailure, mergedDirScript, type ContainerScanPart, type ContainerVia, type ExecOutcome } from './container-read.js';
import type { EngineAccess } from './docker-collector.js';
import type { InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, recordValue, SHELL_EMIT } from './framing.js';
import { blindSpot, stderrSuffix, type CollectorIssue } from './notes.js';
import { parsePythonScan, type CachedArtifact, type PythonScan } from './python-parser.js';
import { ESCAPES_FUNCTION, RECORD_FIRST_FIELD_AWK } from './shell-snippets.js';

/** Most distributions one scan reads before it stops with a truncation note. */
export const MAX_PACKAGES_PER_SCAN = 5000;
/** Most `.pth` files one scan reads (each at most 64 KiB) before it stops with a truncation note. */
export const MAX_PTH_FILES_PER_SCAN = 500;
/** Most `sitecustomize.py` / `usercustomize.py` files one scan reads (each at most 64 KiB) before it stops with a truncation note. */
export const MAX_HOOK_FILES_PER_SCAN = 200;
/** Most cached wheel, sdist and unpacked-wheel names one scan lists before it stops with a truncation note. */
export const MAX_CACHED_ARTIFACTS = 2000;
/** Deepest level below a home's ~/.cache/pip/wheels or ~/.cache/uv searched for cached wheels and sdists (pip nests wheels 5 deep). */
export const CACHE_SEARCH_DEPTH = 7;
/** Deepest level below /opt, /srv, /home, /root… searched for pyvenv.cfg or conda-meta (uv tools and pipx venvs sit 7 below /home). */
export const VENV_SEARCH_DEPTH = 7;

/**
 * Paths gathered per awk call. POSIX sh has no arrays, and each `set -- "$@" x` copies the whole
 * list: gathering a 500-distribution site folder in one list cost 0.2 s of CPU (dash and
 * busybox alike), the largest single cost of a container scan. Batches keep it linear.
 */
export const ARG_BATCH = 64;

/** Time and output limits of one Python scan. */
export const PYTHON_SCAN_LIMITS = { timeoutMs: 180_000, maxOutputBytes: 32 * 1024 * 1024 } as const;

/** What a Python scan script reads. */
export interface PythonScriptOptions {
  boundary: string;
  /** Prefix every path is read under: '' for the live filesystem, a container's MergedDir, or a test folder. */
  root: string;
  /** Also search the folders images put applications in (/app, /usr/src, /venv, /.venv). */
  container: boolean;
  maxPackages?: number;
  /** Most `.pth` files read across the scan. */
  maxPthFiles?: number;
  /** Most `sitecustomize.py` / `usercustomize.py` files read across the scan. */
  maxHookFiles?: number;
  /** Most cached artifact names listed from the pip and uv caches of /root and /home/*. */
  maxCachedArtifacts?: number;
  /** A container's working folder (its image's WORKDIR), searched for virtualenvs too. */
  workdir?: string | null;
}

/** Folders searched for virtualenvs and conda envs (below ROOT); containers add the folders images put applications in. */
export function venvSearchRoots(options: Pick<PythonScriptOptions, 'container' | 'workdir'>): string[] {
  const roots = ['/opt', '/srv', '/home', '/root', '/Users', '/var/lib', ...(options.container ? ['/app', '/usr/src', '/venv', '/.venv'] : [])];
  const workdir = options.workdir?.replace(/\/+$/, '');
  if (!options.container || !workdir || !workdir.startsWith('/')) return roots;
  // Overlapping roots would list a virtualenv twice, and `/` (the default WORKDIR) is the whole image.
  const overlaps = roots.some((root) => workdir === root || workdir.startsWith(`${root}/`) || root.startsWith(`${workdir}/`));
  return overlaps ? roots : [...roots, workdir];
}

/**
 * Shell functions shared by the top-level scan and by the `sh -c` that find starts for each batch
 * of virtualenvs (find hands paths over as arguments, so a path with a newline stays one path).
 * String.raw keeps backslashes for sed and sh as written; only the escaped `\${` (there to stop JS
 * interpolation) has its backslash removed.
 */
const SCAN_FUNCTIONS = String.raw`
n=\${N:-0}
np=\${NP:-0}
nh=\${NH:-0}
stop=0
${ESCAPES_FUNCTION}
scan_site() {
  [ -d "$1" ] || return 0
  if escapes "$1"; then emit skipped-link "\${1#"$ROOT"}"; return 0; fi
  emit site "\${1#"$ROOT"}"
  audit_pth "$1"
  [ "$stop" = 1 ] && return 0
  site_dir=$1
  set --
  for m in "$site_dir"/*.dist-info/METADATA "$site_dir"/*.egg-info/PKG-INFO "$site_dir"/*.egg-info; do
    [ -f "$m" ] || continue
    if [ -n "$ROOT" ] && { [ -L "$m" ] || [ -L "\${m%/*}" ]; }; then continue; fi
    if [ "$n" -ge "$MAX" ]; then stop=1; break; fi
    n=$((n + 1))
    # awk stops at a file it cannot open: unreadable ones go the slow way, and show as unreadable.
    if [ -n "$AWK" ] && [ -r "$m" ]; then
      set -- "$@" "$m"
      # The installer's own mark (pip, uv, conda…) beside METADATA, read by the same awk.
      m_inst=\${m%/*}/INSTALLER
      if [ "\${m##*/}" = METADATA ] && [ -f "$m_inst" ] && [ -r "$m_inst" ] && { [ -z "$ROOT" ] || [ ! -L "$m_inst" ]; }; then set -- "$@" "$m_inst"; fi
    else read_headers_sed "$m"; fi
    # In batches: each set -- "$@" copies the whole list, so one list of 500 costs a quarter second.
    if [ "$#" -ge ${ARG_BATCH} ]; then read_headers_awk "$@"; set --; fi
  done
  [ "$#" -gt 0 ] && read_headers_awk "$@"
  [ "$stop" = 1 ] && emit truncated "$MAX"
  return 0
}
# One awk for a whole site folder: starting three processes per distribution made the inventory of a
# 500-distribution folder take seconds. Paths are absolute, so awk never mistakes one for var=value.
read_headers_awk() {
  awk -v B="$B" -v RL="\${#ROOT}" '
    FILENAME ~ /\/INSTALLER$/ { if (FNR == 1) printf "\n%s installer\n%s\n%s", B, substr(FILENAME, RL + 1), substr($0, 1, 60); next }
    FNR == 1 { printf "\n%s meta\n%s\n%s head\n", B, substr(FILENAME, RL + 1), B; done = 0; kept = 0; bytes = 0 }
    done { next }
    { bytes += length($0) + 1 }
    bytes > 65536 || /^[[:space:]]*$/ { done = 1; next }
    tolower($0) ~ /^(name|version|author|author-email|maintainer|maintainer-email|home-page|project-url)[[:space:]]*:/ && kept < 24 { print substr($0, 1, 400); kept++ }
  ' "$@" 2>/dev/null
}
# Without awk (never seen, but busybox can be built without it): the same, one file at a time.
read_headers_sed() {
  emit meta "\${1#"$ROOT"}"
  emit_open head
  head -c 65536 "$1" 2>/dev/null | sed -n -e '/^[[:space:]]*$/q' -e '/^[Nn][Aa][Mm][Ee][[:space:]]*:/p' -e '/^[Vv][Ee][Rr][Ss][Ii][Oo][Nn][[:space:]]*:/p' \
    -e '/^[Aa][Uu][Tt][Hh][Oo][Rr][-A-Za-z]*[[:space:]]*:/p' -e '/^[Mm][Aa][Ii][Nn][Tt][Aa][Ii][Nn][Ee][Rr][-A-Za-z]*[[:space:]]*:/p' \
    -e '/^[Hh][Oo][Mm][Ee]-[Pp][Aa][Gg][Ee][[:space:]]*:/p' -e '/^[Pp][Rr][Oo][Jj][Ee][Cc][Tt]-[Uu][Rr][Ll][[:space:]]*:/p' | head -n 24
}
# Every .pth at the top of the site folder: path, sha256, its first 64 KiB / 200 lines, and the
# RECORD rows that list a top-level .pth (to name the owning distribution). Read, never run.
audit_pth() {
  pth_site=$1
  pth_seen=0
  for pth_f in "$pth_site"/*.pth "$pth_site"/.*.pth; do
    [ -f "$pth_f" ] || continue
    if escapes "$pth_f"; then emit skipped-link "\${pth_f#"$ROOT"}"; continue; fi
    if [ "$np" -ge "$MAXPTH" ]; then emit pth-truncated "$MAXPTH"; break; fi
    np=$((np + 1))
    pth_seen=1
    emit pth "\${pth_f#"$ROOT"}"
    if [ -n "$SUM" ]; then
      emit_open pth-sha256
      $SUM < "$pth_f" 2>/dev/null
    fi
    emit_open pth-head
    head -c 65536 "$pth_f" 2>/dev/null | head -n 200
    pth_all=$(wc -c < "$pth_f" 2>/dev/null)
    pth_read=$(head -c 65536 "$pth_f" 2>/dev/null | head -n 200 | wc -c)
    # busybox pads wc output with spaces.
    pth_all=\${pth_all##* }
    pth_read=\${pth_read##* }
    [ "\${pth_all:-0}" -gt "\${pth_read:-0}" ] && emit pth-more ""
  done
  # sitecustomize.py and usercustomize.py run at every start too (site.py imports them from the path).
  for pth_f in "$pth_site"/sitecustomize.py "$pth_site"/usercustomize.py; do
    [ -f "$pth_f" ] || continue
    if escapes "$pth_f"; then emit skipped-link "\${pth_f#"$ROOT"}"; continue; fi
    if [ "$nh" -ge "$MAXHOOK" ]; then emit hook-truncated "$MAXHOOK"; break; fi
    nh=$((nh + 1))
    pth_seen=1
    emit hook "\${pth_f#"$ROOT"}"
    if [ -n "$SUM" ]; then
      emit_open hook-sha256
      $SUM < "$pth_f" 2>/dev/null
    fi
    emit_open hook-head
    head -c 65536 "$pth_f" 2>/dev/null
    pth_all=$(wc -c < "$pth_f" 2>/dev/null)
    pth_all=\${pth_all##* }
    [ "\${pth_all:-0}" -gt 65536 ] && emit hook-more ""
  done
  [ "$pth_seen" = 1 ] && [ -n "$AWK" ] || return 0
  set --
  for pth_r in "$pth_site"/*.dist-info/RECORD; do
    [ -f "$pth_r" ] || continue
    if [ -n "$ROOT" ] && { [ -L "$pth_r" ] || [ -L "\${pth_r%/*}" ]; }; then continue; fi
    set -- "$@" "$pth_r"
    if [ "$#" -ge ${ARG_BATCH} ]; then pth_owners "$@"; set --; fi
  done
  [ "$#" -gt 0 ] && pth_owners "$@"
  return 0
}
pth_owners() {
  # First CSV field of each row (csv-module quoting); a top-level *.pth there names its owner.
  awk -v B="$B" -v RL="\${#ROOT}" '
    ${RECORD_FIRST_FIELD_AWK}
    { sub(/\r$/, ""); f = first($0)
      if ((f ~ /\.pth$/ || f == "sitecustomize.py" || f == "usercustomize.py") && index(f, "/") == 0) {
        d = FILENAME; sub(/\/RECORD$/, "", d)
        printf "\n%s pth-owner\n%s\n%s", B, substr(d, RL + 1), f
      } }' "$@" 2>/dev/null
}
scan_env() {
  # What made the environment, from its own marker: conda-meta, or pyvenv.cfg (uv writes a uv = line).
  if [ -d "$1/conda-meta" ]; then emit env-origin "\${1#"$ROOT"}
conda
"
  elif [ -f "$1/pyvenv.cfg" ] && { [ -z "$ROOT" ] || [ ! -L "$1/pyvenv.cfg" ]; }; then
    env_uv=$(head -c 4096 "$1/pyvenv.cfg" 2>/dev/null | sed -n 's/^[[:space:]]*uv[[:space:]]*=[[:space:]]*//p' | head -n 1)
    if [ -n "$env_uv" ]; then emit env-origin "\${1#"$ROOT"}
uv
$env_uv"; else emit env-origin "\${1#"$ROOT"}
venv
"; fi
  fi
  for s in "$1"/lib/python3*/site-packages; do
    [ "$stop" = 1 ] && return 0
    scan_site "$s"
  done
}
`.replaceAll('\\$', '$');

/** The Python scan script: fixed site folders, then virtualenvs and conda envs found by find. */
export function pythonScanScript(options: PythonScriptOptions): string {
  const maxPackages = options.maxPackages ?? MAX_PACKAGES_PER_SCAN;
  const maxPth = options.maxPthFiles ?? MAX_PTH_FILES_PER_SCAN;
  if (!Number.isInteger(maxPth) || maxPth < 0) throw new Error('maxPthFiles must be a whole number');
  if (!Number.isInteger(maxPackages) || maxPackages < 0) throw new Error('maxPackages must be a whole number');
  const maxHooks = options.maxHookFiles ?? MAX_HOOK_FILES_PER_SCAN;
  if (!Number.isInteger(maxHooks) || maxHooks < 0) throw new Error('maxHookFiles must be a whole number');
  const maxCached = options.maxCachedArtifacts ?? MAX_CACHED_ARTIFACTS;
  if (!Number.isInteger(maxCached) || maxCached < 0) throw new Error('maxCachedArtifacts must be a whole number');
  const venvRoots = venvSearchRoots(options);
  const findBatch = `${SHELL_EMIT}\n${SCAN_FUNCTIONS}\nfor c do [ "$stop" = 1 ] || scan_env "\${c%/*}"; done\n`;
  return `B=${shellQuote(options.boundary)}
ROOT=${shellQuote(options.root)}
MAX=${maxPackages}
N=0
MAXPTH=${maxPth}
NP=0
MAXHOOK=${maxHooks}
NH=0
export B ROOT MAX N MAXPTH NP MAXHOOK NH
${SHELL_EMIT}
${SCAN_FUNCTIONS}
for t in find head sed; do
  command -v "$t" >/dev/null 2>&1 || emit missing-tool "$t"
done
# Hashing and RECORD reading degrade the audit without stopping the inventory, so they are "lacks", not missing tools.
if command -v sha256sum >/dev/null 2>&1; then SUM=sha256sum
elif command -v openssl >/dev/null 2>&1; then SUM="openssl dgst -sha256 -r"
else SUM=; emit lacks sha256sum; fi
if command -v awk >/dev/null 2>&1; then AWK=awk; else AWK=; emit lacks awk; fi
command -v wc >/dev/null 2>&1 || emit lacks wc
export SUM AWK
if [ -n "$ROOT" ] && { [ ! -d "$ROOT" ] || [ ! -x "$ROOT" ]; }; then
  emit root-missing ""
  emit end ""
  exit 0
fi
for d in "$ROOT"/usr/lib/python3*/site-packages "$ROOT"/usr/lib/python3*/dist-packages \\
  "$ROOT"/usr/lib64/python3*/site-packages \\
  "$ROOT"/usr/local/lib/python3*/site-packages "$ROOT"/usr/local/lib/python3*/dist-packages \\
  "$ROOT"/usr/local/lib64/python3*/site-packages \\
  "$ROOT"/home/*/.local/lib/python3*/site-packages "$ROOT"/root/.local/lib/python3*/site-packages \\
  "$ROOT"/opt/homebrew/lib/python3*/site-packages \\
  "$ROOT"/Library/Frameworks/Python.framework/Versions/*/lib/python3*/site-packages \\
  "$ROOT"/Users/*/Library/Python/3.*/lib/python/site-packages; do
  [ "$stop" = 1 ] && break
  scan_site "$d"
done
N=$n
NP=$np
NH=$nh
set --
for r in ${venvRoots.map((root) => `"$ROOT"${shellQuote(root)}`).join(' ')}; do
  if [ ! -d "$r" ]; then continue; fi
  if escapes "$r"; then emit skipped-link "\${r#"$ROOT"}"; else set -- "$@" "$r"; fi
done
if [ "$#" -gt 0 ] && [ "$stop" = 0 ] && command -v find >/dev/null 2>&1; then
  # Pruned: folders that never hold a virtualenv's root but can hold many thousands of files, and
  # the stores under /var/lib of container engines and other systems' root filesystems (read as
  # containers or hosts of their own, never as this host's environments).
  find "$@" -maxdepth ${VENV_SEARCH_DEPTH} \\( -name node_modules -o -name .git -o -name site-packages -o -name dist-packages \\
    -o -path "$ROOT/var/lib/docker" -o -path "$ROOT/var/lib/containers" -o -path "$ROOT/var/lib/kubelet" -o -path "$ROOT/var/lib/snapd" \\
    -o -path "$ROOT/var/lib/flatpak" -o -path "$ROOT/var/lib/lxc" -o -path "$ROOT/var/lib/lxd" -o -path "$ROOT/var/lib/incus" -o -path "$ROOT/var/lib/vz" \\) -prune \\
    -o \\( -name pyvenv.cfg -type f -o -name conda-meta -type d \\) -exec sh -c ${shellQuote(findBatch)} sh {} + 2>/dev/null
fi
${cacheListing(maxCached)}
emit end ""
`;
}

/**
 * Lists, by name only, the wheels (`.whl`), sdists (`.tar.gz`, `.zip`) and uv's unpacked wheels
 * (`<name>-<version>.dist-info` folders two below `archive-v<n>`) in every home's pip wheel cache and uv cache, as `cached`
 * records: a cached bad wheel reinstalls without a download. The count is capped by an awk that
 * passes records through and exits 3 at the cap (find then stops on a closed pipe).
 */
function cacheListing(maxCached: number): string {
  const batch = `${SHELL_EMIT}\nfor p do emit cached "\${p#"$ROOT"}"; done\n`;
  // One find per cache folder, as the homes are walked: gathering the folders in "$@" first copied the list once per home.
  return `MAXC=${maxCached}
if command -v find >/dev/null 2>&1; then
  {
    for h in "$ROOT"/root "$ROOT"/home/*; do
      for c in "$h"/.cache/pip/wheels "$h"/.cache/uv; do
        [ -d "$c" ] || continue
        if escapes "$c"; then emit skipped-link "\${c#"$ROOT"}"; continue; fi
        # uv's unpacked archives, builds, environments and git checkouts hold whole source trees: pruned.
        find "$c" -maxdepth ${CACHE_SEARCH_DEPTH} \\( -name 'archive-v*' -o -name 'builds-v*' -o -name 'environments-v*' -o -name 'git-v*' -o -name node_modules -o -name .git \\) -prune \\
          -o \\( -name '*.whl' -o -name '*.tar.gz' -o -name '*.zip' \\) -exec sh -c ${shellQuote(batch)} sh {} + 2>/dev/null
        for d in "$c"/archive-v*/*/*.dist-info; do
          [ -d "$d" ] && emit cached "\${d#"$ROOT"}"
        done
      done
    done
  } | if [ -n "$AWK" ]; then
    awk -v H="$B cached" -v M="$MAXC" '$0 == H { if (++n > M) exit 3 } { printf "%s%s", (NR > 1 ? "\\n" : ""), $0 }'
  else
    cat
  fi
  [ "$?" = 3 ] && emit cached-truncated "$MAXC"
fi`;
}

/** Environments and notes from one Python collection. */
export interface PythonCollection {
  environments: PythonEnvironment[];
  issues: CollectorIssue[];
  /** Host scans that ran to the end: what the pip and uv caches of /root and /home/* hold. */
  cachedArtifacts?: CachedArtifact[];
}

/** Scans the host's own site-packages, user sites and virtualenvs in one round trip. */
export async function collectHostPython(runner: CommandRunner, signal?: AbortSignal, root = ''): Promise<PythonCollection> {
  const boundary = newBoundary();
  const script = pythonScanScript({ boundary, root, container: false });
  const result = await runner.runScript(script, { ...PYTHON_SCAN_LIMITS, signal });
  const scan = parsePythonScan(decodeOutput(result.stdout), boundary, { container: null, maxPackages: MAX_PACKAGES_PER_SCAN });
  const collection: PythonCollection = { environments: scan.environments, issues: scanIssues(scan, result, 'the host') };
  if (scan.completed && !scan.rootMissing) collection.cachedArtifacts = scan.cachedArtifacts;
  return collection;
}

/** How a container's Python environments were read. */
export type ContainerReadPath = ContainerVia | null;

/** A container's Python collection and how its files were reached. */
export interface ContainerPythonCollection extends PythonCollection {
  via: ContainerReadPath;
}

/**
 * Scans one running container: first `docker exec -i ID sh -s` with the scan on stdin (ROOT=''),
 * and when that cannot run (no sh in a distroless image, missing find/head/sed) the container's
 * MergedDir read from the host. Never throws for a container that cannot be read: it notes it.
 */
export async function collectContainerPython(
  runner: CommandRunner,
  engine: EngineAccess,
  container: InspectedContainer,
  signal?: AbortSignal,
): Promise<ContainerPythonCollection> {
  const execBoundary = newBoundary();
  const inner = pythonScanScript({ boundary: execBoundary, root: '', container: true, workdir: container.workingDir });
  let execProblem: string;
  try {
    const result = await runner.runScript(containerExecScript(execBoundary, engine, container.id, inner), {
      ...PYTHON_SCAN_LIMITS,
      signal,
    });
    const output = decodeOutput(result.stdout);
    const judged = judgeContainerPythonExec(output, execBoundary, { result, rc: recordValue(output, execBoundary, 'rc') }, engine, container);
    if ('collection' in judged) return judged.collection;
    execProblem = judged.problem;
  } catch (error) {
    if (signal?.aborted) throw error;
    execProblem = `${engine.engine} exec failed (${(error as Error).message})`;
  }
  return readContainerPythonFromHost(runner, container, execProblem, signal);
}

/**
 * Judges the output of a Python scan run through `docker exec` (`output` holds that scan's records
 * framed with `boundary`): the container's collection, or why its MergedDir must be read instead.
 */
export function judgeContainerPythonExec(
  output: string,
  boundary: string,
  exec: ExecOutcome,
  engine: EngineAccess,
  container: InspectedContainer,
): { collection: ContainerPythonCollection } | { problem: string } {
  const { result, rc } = exec;
  const scan = parsePythonScan(output, boundary, { container: container.name, maxPackages: MAX_PACKAGES_PER_SCAN });
  if (scan.completed && scan.missingTools.length === 0) {
    const collection: ContainerPythonCollection = { environments: scan.environments, issues: scanIssues(scan, result, containerLabel(container)), via: 'exec' };
    collection.cachedArtifacts = scan.cachedArtifacts;
    return { collection };
  }
  if (scan.completed === false && result.truncated) return { problem: 'the scan output passed its size limit' };
  return {
    problem: scan.completed
      ? `the image lacks ${scan.missingTools.join(', ')}`
      : execFailure(engine, rc, result),
  };
}

/** The fallback when exec could not scan a container: its MergedDir read from the host, directly or through `sudo -n`. */
export async function readContainerPythonFromHost(
  runner: CommandRunner,
  container: InspectedContainer,
  execProblem: string,
  signal?: AbortSignal,
): Promise<ContainerPythonCollection> {
  const label = containerLabel(container);
  if (!container.mergedDir) {
    return {
      environments: [],
      issues: [blindSpot('python', `${label}: not read: ${execProblem}, and the engine reports no MergedDir to read from the host`)],
      via: null,
    };
  }
  const boundary = newBoundary();
  const fallback = pythonScanScript({ boundary, root: container.mergedDir, container: true, workdir: container.workingDir });
  const result = await runner.runScript(mergedDirScript(boundary, container.mergedDir, fallback), {
    ...PYTHON_SCAN_LIMITS,
    signal,
  });
  const output = decodeOutput(result.stdout);
  const scan = parsePythonScan(output, boundary, { container: container.name, maxPackages: MAX_PACKAGES_PER_SCAN });
  const via = recordValue(output, boundary, 'via') === 'direct' ? 'merged-dir' : 'merged-dir-sudo';
  if (!scan.completed) {
    const how = via === 'merged-dir' ? 'reading' : 'sudo -n reading';
    return {
      environments: scan.environments,
      issues: [
        blindSpot(
          'python',
          `${label}: not read: ${execProblem}; ${how} its filesystem from the host failed${stderrSuffix(result.stderr, ' (', ')')}`,
        ),
      ],
      via: null,
    };
  }
  if (scan.rootMissing) {
    return {
      environments: [],
      issues: [blindSpot('python', `${label}: not read: ${execProblem}; its MergedDir is not mounted or not readable on the host`)],
      via: null,
    };
  }
  return { environments: scan.environments, issues: scanIssues(scan, result, label), via, cachedArtifacts: scan.cachedArtifacts };
}

/** The Python scan as a part of a running container's one exec (container-scan.ts). */
export const pythonContainerPart: ContainerScanPart<'python', ContainerPythonCollection> = {
  name: 'python',
  limits: PYTHON_SCAN_LIMITS,
  script: (container, boundary, root) => pythonScanScript({ boundary, root, container: true, workdir: container.workingDir }),
  judge: judgeContainerPythonExec,
  fromHost: readContainerPythonFromHost,
  mergeLayers: mergePythonLayers,
  unscanned: (label, message) => ({ environments: [], issues: [blindSpot('python', `${label}: not read: ${message}`)], via: null }),
};

/**
 * A stopped container's Python environments from its layers' (top first): a site folder is the
 * union of what each layer holds of it, a distribution or `.pth` file a higher layer replaced is
 * that layer's, and one a higher layer deleted (a whiteout) is gone.
 */
export function mergePythonLayers(perLayer: readonly ContainerPythonCollection[], masks: readonly LayerMask[]): ContainerPythonCollection {
  const byPath = new Map<
    string,
    { environment: PythonEnvironment; packages: PythonEnvironment['packages'][]; pth: NonNullable<PythonEnvironment['pthFiles']>[]; hooks: NonNullable<PythonEnvironment['startupHooks']>[] }
  >();
  const pad = <T>(lists: T[][], index: number): T[][] => {
    while (lists.length <= index) lists.push([]);
    return lists;
  };
  for (const [index, layer] of perLayer.entries()) {
    for (const environment of layer.environments) {
      if (isHidden(environment.path, masks.slice(0, index))) continue;
      const entry = byPath.get(environment.path) ?? { environment: { ...environment, packages: [], pthFiles: [] }, packages: [], pth: [], hooks: [] };
      byPath.set(environment.path, entry);
      pad(entry.packages, index)[index]!.push(...environment.packages);
      pad(entry.pth, index)[index]!.push(...(environment.pthFiles ?? []));
      pad(entry.hooks, index)[index]!.push(...(environment.startupHooks ?? []));
    }
  }
  const environments = [...byPath.values()].map(({ environment, packages, pth, hooks }) => {
    const merged: PythonEnvironment = {
      ...environment,
      packages: mergeByPath(packages, masks, (pkg) => pkg.metadataPath ?? `${environment.path}\u0000${pkg.name}`, (pkg) => pkg.metadataPath),
      pthFiles: mergeByPath(pth, masks, (file) => file.path, (file) => file.path),
    };
    const startupHooks = mergeByPath(hooks, masks, (file) => file.path, (file) => file.path);
    if (startupHooks.length > 0) merged.startupHooks = startupHooks;
    else delete merged.startupHooks;
    return merged;
  });
  const cached = mergeByPath(perLayer.map((layer) => layer.cachedArtifacts ?? []), masks, (artifact) => artifact.path, (artifact) => artifact.path);
  return { environments, issues: perLayer.flatMap((layer) => layer.issues), via: 'layers', cachedArtifacts: cached };
}

/** Notes for a scan that ran: truncation, cut-off output, missing utilities, skipped links. */
function scanIssues(scan: PythonScan, result: RunResult, where: string): CollectorIssue[] {
  const issues: CollectorIssue[] = [];
  if (scan.truncated) {
    issues.push(blindSpot('python', `${where}: stopped after ${MAX_PACKAGES_PER_SCAN} distributions; the rest were not read`));
  }
  if (!scan.completed) {
    const why = result.truncated ? 'its output passed the size limit' : `exit ${result.exitCode ?? 'signal'}${stderrSuffix(result.stderr)}`;
    issues.push(blindSpot('python', `${where}: the scan ended early (${why}); environments after that point were not read`));
  }
  if (scan.missingTools.length > 0) {
    issues.push(blindSpot('python', `${where}: lacks ${scan.missingTools.join(', ')}; virtualenvs or metadata could not be read`));
  }
  for (const tool of scan.lackingTools) {
    issues.push(blindSpot('python', `${where}: ${LACKING_EFFECT[tool] ?? `lacks ${tool}`}`));
  }
  if (scan.cachedTruncated) {
    issues.push(blindSpot('python', `${where}: stopped after ${MAX_CACHED_ARTIFACTS} pip/uv cache entries; the rest were not listed`));
  }
  if (scan.pthTruncated) {
    issues.push(blindSpot('python', `${where}: stopped after ${MAX_PTH_FILES_PER_SCAN} .pth files; the rest were not read`));
  }
  if (scan.hookTruncated) {
    issues.push(blindSpot('python', `${where}: stopped after ${MAX_HOOK_FILES_PER_SCAN} sitecustomize.py / usercustomize.py files; the rest were not read`));
  }
  for (const path of scan.skippedLinks) {
    issues.push(blindSpot('python', `${where}: ${JSON.stringify(path)} not followed: an absolute symlink would resolve on the host`));
  }
  return issues;
}

/** What a missing utility costs the .pth audit and RECORD verification. */
const LACKING_EFFECT: Record<string, string> = {
  sha256sum: 'has neither sha256sum nor openssl: .pth files were read but not hashed, and RECORDs cannot be verified',
  awk: 'lacks awk: the distributions owning .pth files were not looked up, and RECORDs cannot be verified',
  wc: 'lacks wc: .pth files longer than what was read cannot be told apart',
};

