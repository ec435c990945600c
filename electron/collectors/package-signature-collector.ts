/**
 * Content signatures on the files of flagged distributions (those an advisory covers): the
 * 1.82.7 payload sits in `litellm/proxy/proxy_server.py` with no `.pth`, and the trojaned wheel's
 * own RECORD agrees with it, so only the version or the text can tell. One read-only script per
 * host or container: the `.py`, `.pth` and `.sh` files each RECORD lists are grepped for the
 * signatures' fixed strings (`grep -l -F`), and only from files that hold one does awk send the
 * pieces of the lines around each string, numbered. The signatures are judged here, in
 * TypeScript; nothing the host owns is started and no file's text is kept beyond the match.
 */
import type { PythonEnvironment } from '../../shared/model/index.js';
import { matchSignatureLines, signatureNeedles, type NumberedLine } from '../../shared/domain/iocs/signatures.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
import { safeSignatureHits } from './signature-excerpt.js';
import { containerExecScript, mergedDirScript } from './container-read.js';
import { decodeOutput, newBoundary, splitRecords, SHELL_EMIT } from './framing.js';
import { blindSpot, stderrSuffix, type CollectorIssue } from './notes.js';
import { recordTargets, type RecordPlace, type RecordSelector, type RecordTarget } from './record-collector.js';
import { RECORD_FIRST_FIELD_AWK } from './shell-snippets.js';

/** Largest RECORD read for the list of files to search. */
export const SIGNATURE_RECORD_BYTES = 8 * 1024 * 1024;
/** Most line pieces sent from one file (a file full of matches needs no more to be judged). */
export const SIGNATURE_PIECES_PER_FILE = 100;
/** Characters sent before a needle; as many again and the needle itself after it. */
export const SIGNATURE_PIECE_CONTEXT = 200;

const SEARCH_LIMITS = { timeoutMs: 180_000, maxOutputBytes: 8 * 1024 * 1024 } as const;

/** awk over one RECORD: the relative `.py`, `.pth` and `.sh` files it lists (csv-module quoting undone). */
const FILES_AWK = String.raw`
${RECORD_FIRST_FIELD_AWK}
{ sub(/\r$/, ""); p = first($0)
  if (p == "" || substr(p, 1, 1) == "/" || substr(p, 1, 3) == "../") next
  if (p ~ /\.(py|pth|sh)$/) print p }
`;

/** awk over one file: for each line holding a needle, the piece around it, numbered. Needles and name come through the environment, never as awk text. */
const PIECES_AWK = String.raw`
BEGIN { n = split(ENVIRON["SIG_NEEDLES"], nd, "\n") }
{ for (k = 1; k <= n; k++) {
    i = index($0, nd[k])
    if (i > 0) {
      if (++c > ${SIGNATURE_PIECES_PER_FILE}) exit
      s = i - ${SIGNATURE_PIECE_CONTEXT}; if (s < 1) s = 1
      printf "\n%s piece\n%s\n%d\n%s", B, ENVIRON["SIG_FILE"], FNR, substr($0, s, ${SIGNATURE_PIECE_CONTEXT * 2} + length(nd[k]))
    }
  } }
`;

/** The search script for `targets` below ROOT. Every path is quoted data, prefixed with `./` so none passes for an option. */
export function packageSignatureScript(options: { boundary: string; root: string; targets: readonly RecordTarget[]; needles: readonly string[] }): string {
  const grepArgs = options.needles.map((needle) => `-e ${shellQuote(needle)}`).join(' ');
  const body = String.raw`
command -v awk >/dev/null 2>&1 && command -v grep >/dev/null 2>&1 || { emit cannot-search ""; emit end ""; exit 0; }
hits() {
  grep -l -F ${grepArgs} -- "$@" 2>/dev/null | while IFS= read -r h; do
    SIG_FILE=\${h#./} awk -v B="$B" "$PIECES_AWK" "$h" 2>/dev/null
  done
}
search() {
  emit dist "$2"
  rec="$ROOT$2/RECORD"
  if [ ! -f "$rec" ] || { [ -n "$ROOT" ] && [ -L "$rec" ]; }; then emit no-record ""; return 0; fi
  ( cd "$ROOT$1" 2>/dev/null || exit 0
    head -c ${SIGNATURE_RECORD_BYTES} "$rec" 2>/dev/null | awk "$FILES_AWK" 2>/dev/null | {
      set --
      while IFS= read -r f; do
        if [ -n "$ROOT" ] && [ -L "./$f" ]; then continue; fi
        [ -f "./$f" ] || continue
        set -- "$@" "./$f"
        if [ "$#" -ge 64 ]; then hits "$@"; set --; fi
      done
      [ "$#" -gt 0 ] && hits "$@"
    }
    emit searched "$2" )
}
`.replaceAll('\\$', '$');
  const calls = options.targets.map((target) => `search ${shellQuote(target.site)} ${shellQuote(target.distInfo)}`).join('\n');
  return `B=${shellQuote(options.boundary)}
ROOT=${shellQuote(options.root)}
SIG_NEEDLES=${shellQuote(options.needles.join('\n'))}
FILES_AWK=${shellQuote(FILES_AWK)}
PIECES_AWK=${shellQuote(PIECES_AWK)}
export B SIG_NEEDLES
${SHELL_EMIT}
${body}
${calls}
emit end ""
`;
}

/** What one search found: per searched `.dist-info`, the numbered line pieces of each file that held a needle. */
export interface PackageSignatureScan {
  completed: boolean;
  cannotSearch: boolean;
  /** `.dist-info` folders whose files were all searched. */
  searched: Set<string>;
  pieces: Map<string, Map<string, NumberedLine[]>>;
}

/** Reads the search script's framed output. Pure. */
export function parsePackageSignatureScan(output: string, boundary: string): PackageSignatureScan {
  const scan: PackageSignatureScan = { completed: false, cannotSearch: false, searched: new Set(), pieces: new Map() };
  let current: string | null = null;
  for (const { tag, body } of splitRecords(output, boundary)) {
    if (tag === 'dist') current = body;
    else if (tag === 'searched') scan.searched.add(body);
    else if (tag === 'cannot-search') scan.cannotSearch = true;
    else if (tag === 'end') scan.completed = true;
    else if (tag === 'piece' && current !== null) {
      const [file, number, ...rest] = body.split('\n');
      const line = Number(number);
      if (!file || !Number.isInteger(line) || line < 1) continue;
      const files = scan.pieces.get(current) ?? new Map<string, NumberedLine[]>();
      scan.pieces.set(current, files);
      const pieces = files.get(file) ?? [];
      files.set(file, pieces);
      pieces.push({ line, text: rest.join('\n') });
    }
  }
  return scan;
}

/**
 * Searches the files of the selected distributions of `environments` in one round trip (none when
 * nothing is selected) and stores the files that matched on each package's `contentMatches`
 * (empty when it was searched and nothing matched). Returns notes for what could not be searched.
 */
export async function searchPackageSignatures(
  runner: CommandRunner,
  environments: readonly PythonEnvironment[],
  place: RecordPlace,
  select: RecordSelector,
  signal?: AbortSignal,
): Promise<CollectorIssue[]> {
  const targets = recordTargets(environments, select);
  const needles = signatureNeedles('package-file');
  if (targets.length === 0 || needles.length === 0) return [];
  const where = place.kind === 'host' ? 'the host' : `container ${place.container.name || place.container.id.slice(0, 12)}`;
  const boundary = newBoundary();
  const root = place.kind === 'host' ? place.root : place.via === 'exec' ? '' : place.via === 'proc-root' && place.container.pid ? `/proc/${place.container.pid}/root` : place.container.mergedDir!;
  const inner = packageSignatureScript({ boundary, root, targets, needles });
  const script =
    place.kind === 'host' ? inner : place.via === 'exec' ? containerExecScript(boundary, place.engine, place.container.id, inner) : mergedDirScript(boundary, root, inner);
  const result = await runner.runScript(script, { ...SEARCH_LIMITS, signal });
  const scan = parsePackageSignatureScan(decodeOutput(result.stdout), boundary);
  if (scan.cannotSearch) return [blindSpot('python', `${where}: files of ${targets.length} flagged distributions not searched for content signatures: no awk or grep`)];
  let unsearched = 0;
  for (const environment of environments) {
    for (const pkg of environment.packages) {
      if (!pkg.metadataPath || !targets.some((target) => target.distInfo === pkg.metadataPath)) continue;
      if (!scan.searched.has(pkg.metadataPath)) {
        unsearched++;
        continue;
      }
      const files = scan.pieces.get(pkg.metadataPath) ?? new Map<string, NumberedLine[]>();
      pkg.contentMatches = [...files.entries()]
        .map(([path, lines]) => ({
          path,
          signatures: safeSignatureHits(matchSignatureLines(lines, 'package-file')),
          // awk stops sending at the cap: a file that reached it may hold more than was judged.
          ...(lines.length >= SIGNATURE_PIECES_PER_FILE ? { truncated: true } : {}),
        }))
        .filter((file) => file.signatures.length > 0)
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    }
  }
  if (!scan.completed || unsearched > 0) {
    const why = result.truncated ? 'its output passed the size limit' : `exit ${result.exitCode ?? 'signal'}${stderrSuffix(result.stderr)}`;
    return [blindSpot('python', `${where}: the content-signature search ended early (${why}); ${unsearched} flagged distributions not searched`)];
  }
  return [];
}
