/**
 * Findings from comparing installed files by content: each hashed copy of a distribution version
 * against the known-good artifact the owner imported for it, and against the other copies of the
 * same version across the report's hosts and containers ("same version, different bytes"). Also
 * the per-version summary the report carries, which states a version installed identically
 * everywhere as such. Pure.
 */
import { normalizePackageName } from '../domain/advisories/pep503.js';
import { compareCopies } from '../domain/python/copy-compare.js';
import { compareWithReference, describeReference, referenceFor, type KnownGoodReference } from '../domain/python/known-good.js';
import type { ArtifactFileDifference, ArtifactMismatchFinding, CopyComparison, HostInventory, InstalledFiles, PythonPackage } from '../model/index.js';
import { compareSeverity } from '../model/index.js';

/** Most differing files quoted in a finding's evidence (the `files` array carries them all). */
export const ARTIFACT_EVIDENCE_MAX_FILES = 20;

/** True when an advisory reports malicious code in this release of the distribution (a flagged version). */
export type MaliciousRelease = (name: string, version: string) => boolean;

/**
 * True for a file Python runs at every interpreter start once its site folder is on the path: a
 * `.pth` at the top of the site folder (site.py executes its `import` lines), `sitecustomize.py`
 * or `usercustomize.py`.
 */
export function isStartupHook(path: string): boolean {
  return !path.includes('/') && (path.endsWith('.pth') || path === 'sitecustomize.py' || path === 'usercustomize.py');
}

/** True for a file Python imports as code: a module or a compiled extension. */
export function isCodeFile(path: string): boolean {
  return /\.(py|pyw|so|pyd)$/.test(path);
}

/**
 * True when an artifact-mismatch finding is evidence of compromise at its place (the host and
 * place verdicts, exposure and the graph count it as malicious code there). The producer decides
 * it and marks it critical:
 * - against a known-good artifact: any file added or changed (bytes the release never shipped);
 * - against the other copies: the copy departs from what most copies hold (not an even split) by
 *   adding or changing a start-up hook, or a code file of a release an advisory reports as
 *   malicious. Other departures (data files; a module of a release no advisory flags, which may be
 *   a local patch) stay `high` or `medium` findings for the owner to judge, and a known-good
 *   artifact of the version settles them.
 */
export function isCompromiseEvidence(finding: ArtifactMismatchFinding): boolean {
  return finding.severity === 'critical';
}

/** One hashed installed copy and where it sits. */
interface Copy {
  host: string;
  container: string | null;
  path: string;
  pkg: PythonPackage & { files: InstalledFiles };
}

/** What the comparison gives a report: its findings and one summary per hashed version. */
export interface ArtifactComparison {
  findings: ArtifactMismatchFinding[];
  comparisons: CopyComparison[];
}

/** The stable id of an artifact-mismatch finding. */
export function artifactMismatchFindingId(
  against: ArtifactMismatchFinding['against'],
  host: string,
  container: string | null,
  path: string,
  name: string,
  version: string,
): string {
  const place = container === null ? 'host' : `container=${container}`;
  return `artifact-mismatch:${against}:${host}:${place}:${path}:${normalizePackageName(name)}@${version.trim()}`;
}

/** Compares every hashed copy with its version's known-good reference and with the other copies of its version. */
export function findArtifactMismatches(
  hosts: readonly HostInventory[],
  references: readonly KnownGoodReference[] = [],
  malicious: MaliciousRelease = () => false,
): ArtifactComparison {
  const groups = new Map<string, Copy[]>();
  const seen = new Set<string>();
  for (const host of hosts) {
    for (const environment of host.pythonEnvironments) {
      for (const pkg of environment.packages) {
        if (!pkg.files) continue;
        const place = `${host.name}\u0000${environment.container ?? ''}\u0000${environment.path}\u0000${pkg.metadataPath ?? pkg.name}`;
        if (seen.has(place)) continue;
        seen.add(place);
        const key = `${normalizePackageName(pkg.name)}@${pkg.version.trim()}`;
        const group = groups.get(key) ?? [];
        group.push({ host: host.name, container: environment.container, path: environment.path, pkg: pkg as Copy['pkg'] });
        groups.set(key, group);
      }
    }
  }
  const findings: ArtifactMismatchFinding[] = [];
  const comparisons: CopyComparison[] = [];
  for (const copies of [...groups.values()]) {
    const { name, version } = copies[0]!.pkg;
    const reference = referenceFor(references, name, version);
    const verdicts = compareCopies(copies.map((copy) => ({ files: copy.pkg.files })));
    const summary: CopyComparison = { package: name, version, copies: [], variants: new Set(verdicts.map((verdict) => verdict.variant)).size };
    if (reference) summary.knownGood = describeReference(reference);
    for (const [index, copy] of copies.entries()) {
      const verdict = verdicts[index]!;
      const entry: CopyComparison['copies'][number] = { host: copy.host, container: copy.container, path: copy.path, variant: verdict.variant };
      if (copy.pkg.files.incomplete) entry.incomplete = true;
      if (reference) {
        const differences = compareWithReference(copy.pkg.files, reference);
        entry.knownGood = differences.length === 0 ? 'matches' : 'differs';
        if (differences.length > 0) findings.push(knownGoodFinding(copy, reference, differences));
      }
      summary.copies.push(entry);
      if (verdict.differences.length > 0) {
        const others = copies.filter((_, at) => at !== index);
        const sameAsMe = verdicts.filter((other) => other.variant === verdict.variant).length;
        findings.push(otherCopiesFinding(copy, others, verdict.differences, verdict.contested, copies.length, sameAsMe, malicious(name, version)));
      }
    }
    comparisons.push(summary);
  }
  comparisons.sort((a, b) => (a.package.toLowerCase() < b.package.toLowerCase() ? -1 : a.package.toLowerCase() > b.package.toLowerCase() ? 1 : a.version < b.version ? -1 : 1));
  findings.sort((a, b) => compareSeverity(a.severity, b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { findings, comparisons };
}

function where(copy: Copy): string {
  return copy.container === null ? `on ${copy.host}` : `in container ${copy.container} on ${copy.host}`;
}

function counts(differences: readonly ArtifactFileDifference[]): string {
  return (['added', 'modified', 'missing'] as const)
    .map((kind) => [kind, differences.filter((file) => file.difference === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
}

function quoted(differences: readonly ArtifactFileDifference[]): string[] {
  const lines = differences.slice(0, ARTIFACT_EVIDENCE_MAX_FILES).map((file) => `${file.difference}: ${file.path}`);
  const more = differences.length - lines.length;
  return more > 0 ? [...lines, `… and ${more} more files`] : lines;
}

/** Added or changed files the copy's own RECORD vouches for: RECORD verification could not have caught them. */
function recordVouchesFor(copy: Copy, differences: readonly ArtifactFileDifference[]): string[] {
  const problems = new Set((copy.pkg.record?.problems ?? []).map((problem) => problem.path));
  return differences.filter((file) => file.difference !== 'missing' && !problems.has(file.path)).map((file) => file.path);
}

function knownGoodFinding(copy: Copy, reference: KnownGoodReference, differences: ArtifactFileDifference[]): ArtifactMismatchFinding {
  const { name, version } = copy.pkg;
  const changed = differences.some((file) => file.difference !== 'missing');
  const vouched = recordVouchesFor(copy, differences);
  return {
    id: artifactMismatchFindingId('known-good', copy.host, copy.container, copy.path, name, version),
    kind: 'artifact-mismatch',
    // Bytes the known-good artifact never shipped are the compromise itself; files only missing may be a trimmed install.
    severity: changed ? 'critical' : 'medium',
    title: `${name} ${version} differs from the known-good ${reference.source} (${counts(differences)}) ${where(copy)}`,
    host: copy.host,
    container: copy.container,
    package: name,
    version,
    path: copy.path,
    against: 'known-good',
    reference: describeReference(reference),
    files: differences,
    evidence: [
      `Compared file by file with the known-good ${describeReference(reference)}, imported ${reference.importedAt}`,
      ...quoted(differences),
      ...(vouched.length > 0
        ? [`Its own RECORD lists ${vouched.length === 1 ? `${vouched[0]} with a matching hash` : `${vouched.length} of these files with matching hashes`}: whoever built it wrote the RECORD too`]
        : []),
      ...(changed ? [`Counted as compromise evidence ${where(copy)}: it holds bytes the known-good artifact never shipped`] : []),
      ...(copy.pkg.files.incomplete ? ['Some of its files could not be hashed: no file is called missing, and the list may be incomplete'] : []),
    ],
  };
}

/** Why a copy's departure from the majority is evidence of compromise (see isCompromiseEvidence), or null. */
function departureAsEvidence(copy: Copy, differences: readonly ArtifactFileDifference[], contested: boolean, maliciousRelease: boolean): string | null {
  if (contested) return null;
  const changed = differences.filter((file) => file.difference !== 'missing').map((file) => file.path);
  const hooks = changed.filter(isStartupHook);
  if (hooks.length > 0) {
    return `Counted as compromise evidence ${where(copy)}: it adds or changes ${hooks.length === 1 ? 'a start-up hook' : 'start-up hooks'} (${hooks.join(', ')}) that no other copy of this version holds, run at every Python start`;
  }
  const code = changed.filter(isCodeFile);
  if (maliciousRelease && code.length > 0) {
    return `Counted as compromise evidence ${where(copy)}: its code (${code.slice(0, 3).join(', ')}${code.length > 3 ? ', …' : ''}) departs from most copies of ${copy.pkg.name} ${copy.pkg.version}, a release an advisory reports as malicious`;
  }
  return null;
}

function otherCopiesFinding(
  copy: Copy,
  others: readonly Copy[],
  differences: ArtifactFileDifference[],
  contested: boolean,
  total: number,
  sameAsMe: number,
  maliciousRelease: boolean,
): ArtifactMismatchFinding {
  const { name, version } = copy.pkg;
  const changed = differences.some((file) => file.difference !== 'missing');
  const evidence = departureAsEvidence(copy, differences, contested, maliciousRelease);
  const reference = `${others.length} other ${others.length === 1 ? 'copy' : 'copies'} of ${name} ${version}: ${others.map((other) => `${other.path} ${where(other)}`).join('; ')}`;
  return {
    id: artifactMismatchFindingId('other-copies', copy.host, copy.container, copy.path, name, version),
    kind: 'artifact-mismatch',
    // Departing from what most copies hold is strong evidence, compromise itself for a start-up hook or a
    // flagged release's code; an even split says only that one of them changed.
    severity: evidence ? 'critical' : changed && !contested ? 'high' : 'medium',
    title: `${name} ${version} differs from other installed copies of the same version (${counts(differences)}) ${where(copy)}`,
    host: copy.host,
    container: copy.container,
    package: name,
    version,
    path: copy.path,
    against: 'other-copies',
    reference,
    files: differences,
    evidence: [
      `Same version, different bytes: ${total} copies hashed, ${sameAsMe} of them ${sameAsMe === 1 ? 'holds' : 'hold'} exactly these files`,
      `Compared with ${reference}`,
      ...quoted(differences),
      ...(contested
        ? ['The copies split evenly on some files: which is the original cannot be told from them; import a known-good artifact of this version to decide']
        : []),
      ...(evidence ? [evidence] : []),
      ...(copy.pkg.files.incomplete ? ['Some of its files could not be hashed: the list may be incomplete'] : []),
    ],
  };
}
