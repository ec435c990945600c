/**
 * Findings from content signatures: every start-up hook (`.pth`, `sitecustomize.py`,
 * `usercustomize.py`) and every file of a flagged distribution whose text matched one. The
 * collector matched the text in the main process and kept only the matches (signature id, line,
 * a redacted excerpt); this judges them by the signatures' data. Pure.
 */
import type { ContentSignatureFinding, HostInventory, PythonEnvironment, Severity, SignatureHit } from '../model/index.js';
import { compareSeverity, SEVERITIES } from '../model/index.js';
import { bundledSignatures, type ContentSignature } from '../domain/iocs/signatures.js';

/** Most matches quoted in one finding's evidence. */
export const SIGNATURE_EVIDENCE_MAX = 10;

/** A file whose text matched, as the inventory records it. */
interface MatchedFile {
  path: string;
  file: ContentSignatureFinding['file'];
  package: string | null;
  sha256: string | null;
  truncated: boolean;
  hits: readonly SignatureHit[];
}

/** One finding per file whose text matched a content signature, most severe first. */
export function findContentSignatures(hosts: readonly HostInventory[], signatures: readonly ContentSignature[] = bundledSignatures()): ContentSignatureFinding[] {
  const byId = new Map<string, ContentSignatureFinding>();
  for (const host of hosts) {
    for (const environment of host.pythonEnvironments) {
      for (const matched of matchedFiles(environment)) {
        if (matched.hits.length === 0) continue;
        const finding = signatureFinding(host.name, environment.container, matched, signatures);
        if (!byId.has(finding.id)) byId.set(finding.id, finding);
      }
    }
  }
  return [...byId.values()].sort((a, b) => compareSeverity(a.severity, b.severity) || compareText(a.host, b.host) || compareText(a.id, b.id));
}

/** The stable id of a content-signature finding: the same file in the same place keeps it on a re-scan. */
export function contentSignatureFindingId(host: string, container: string | null, path: string): string {
  return `content-signature:${host}:${container === null ? 'host' : `container=${container}`}:${path}`;
}

function matchedFiles(environment: PythonEnvironment): MatchedFile[] {
  const files: MatchedFile[] = [];
  for (const pth of environment.pthFiles ?? []) {
    files.push({ path: pth.path, file: 'pth', package: pth.owner, sha256: pth.sha256, truncated: pth.truncated === true, hits: pth.signatures ?? [] });
  }
  for (const hook of environment.startupHooks ?? []) {
    files.push({ path: hook.path, file: hook.kind, package: hook.owner, sha256: hook.sha256, truncated: hook.truncated === true, hits: hook.signatures });
  }
  for (const pkg of environment.packages) {
    for (const file of pkg.contentMatches ?? []) {
      files.push({ path: `${environment.path}/${file.path}`, file: 'package-file', package: pkg.name, sha256: null, truncated: file.truncated === true, hits: file.signatures });
    }
  }
  return files;
}

function signatureFinding(host: string, container: string | null, matched: MatchedFile, signatures: readonly ContentSignature[]): ContentSignatureFinding {
  const known = new Map(signatures.map((signature) => [signature.id, signature]));
  // A signature this build does not know (a newer report's) still counts, at high: a match is a match.
  const severityOf = (hit: SignatureHit): Severity => known.get(hit.signature)?.severity ?? 'high';
  const hits = [...matched.hits].sort((a, b) => compareSeverity(severityOf(a), severityOf(b)));
  const severity = hits.map(severityOf).reduce<Severity>((worst, next) => (compareSeverity(next, worst) < 0 ? next : worst), SEVERITIES[SEVERITIES.length - 1]!);
  const first = known.get(hits[0]!.signature);
  const name = matched.path.slice(matched.path.lastIndexOf('/') + 1);
  const where = container === null ? `on ${host}` : `in container ${container} on ${host}`;
  const what = matched.file === 'package-file' ? `${name} of ${matched.package ?? 'a flagged distribution'}` : name;
  const evidence = hits.slice(0, SIGNATURE_EVIDENCE_MAX).flatMap((hit) => {
    const signature = known.get(hit.signature);
    if (!signature) return [`Matches signature ${hit.signature} (not in this version's signatures) at line ${hit.line}: ${hit.excerpt}`];
    const source = `${signature.source.name} (${signature.source.kind}${signature.source.url ? `, ${signature.source.url}` : ''})`;
    return [
      `Matches ${signature.id}: ${signature.title} [${signature.severity}, ${signature.confidence === 'exact' ? 'text only the payload holds' : 'a payload shape, heuristic'}; source: ${source}]`,
      `  line ${hit.line}: ${hit.excerpt}`,
    ];
  });
  return {
    id: contentSignatureFindingId(host, container, matched.path),
    kind: 'content-signature',
    severity,
    title: `${what} matches ${first?.title ?? hits[0]!.signature}${hits.length > 1 ? ` (and ${hits.length - 1} more signatures)` : ''} ${where}`,
    host,
    container,
    path: matched.path,
    file: matched.file,
    package: matched.package,
    sha256: matched.sha256 ?? '',
    signatures: hits.map((hit) => hit.signature),
    evidence: [
      `Path: ${matched.path}`,
      `sha256: ${matched.sha256 ?? 'not computed'}`,
      `Owning distribution: ${matched.package ?? 'none (no RECORD in this folder lists the file)'}`,
      ...evidence,
      ...(hits.length > SIGNATURE_EVIDENCE_MAX ? [`… and ${hits.length - SIGNATURE_EVIDENCE_MAX} more matches`] : []),
      ...(matched.truncated ? ['The file is longer than what was read; its unread part was not matched'] : []),
      matched.file === 'package-file'
        ? 'The file belongs to a distribution an advisory flags; a RECORD that lists it proves nothing, since the attacker built the wheel and its RECORD'
        : matched.file === 'pth'
          ? 'Python runs lines of a .pth file that start with "import" at every interpreter start (site.py)'
          : `Python imports ${name} at every interpreter start when it is on the path (site.py)`,
      'The file was read as data: nothing was run',
    ],
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
