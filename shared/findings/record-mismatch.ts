/**
 * Findings from RECORD verification: a distribution whose files on disk differ from what pip
 * recorded when installing it (the artifact was changed after install, or never matched). High;
 * critical when an advisory says the distribution carries malicious code. Pure.
 */
import type { AdvisoryIndex } from '../domain/advisories/advisory-index.js';
import { normalizePackageName } from '../domain/advisories/pep503.js';
import type { HostInventory, PythonEnvironment, PythonPackage, RecordMismatchFinding } from '../model/index.js';
import { compareSeverity } from '../model/index.js';

/** Most problem files quoted in a finding's evidence (the `files` array carries them all). */
export const RECORD_EVIDENCE_MAX_FILES = 20;

/** The stable id of a record-mismatch finding. */
export function recordMismatchFindingId(host: string, container: string | null, path: string, name: string, version: string): string {
  const place = container === null ? 'host' : `container=${container}`;
  return `record-mismatch:${host}:${place}:${path}:${normalizePackageName(name)}@${version.trim()}`;
}

/** Which distributions should have their RECORD verified: those an advisory covers, or all. */
export function shouldVerifyRecord(index: AdvisoryIndex, pkg: Pick<PythonPackage, 'name' | 'version'>, verifyAll = false): boolean {
  return verifyAll || index.match('PyPI', pkg.name, pkg.version).length > 0;
}

/** One finding per verified distribution with a modified, missing or unlisted file, most severe first. */
export function findRecordMismatches(hosts: readonly HostInventory[], index: AdvisoryIndex): RecordMismatchFinding[] {
  const findings = new Map<string, RecordMismatchFinding>();
  for (const host of hosts) {
    for (const environment of host.pythonEnvironments) {
      for (const pkg of environment.packages) {
        if (!pkg.record || pkg.record.problems.length === 0) continue;
        const finding = recordFinding(host.name, environment, pkg, index);
        if (!findings.has(finding.id)) findings.set(finding.id, finding);
      }
    }
  }
  return [...findings.values()].sort((a, b) => compareSeverity(a.severity, b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function recordFinding(host: string, environment: PythonEnvironment, pkg: PythonPackage, index: AdvisoryIndex): RecordMismatchFinding {
  const record = pkg.record!;
  const compromised = index.match('PyPI', pkg.name, pkg.version).find((match) => match.malicious);
  const counts = (['modified', 'missing', 'unlisted'] as const)
    .map((problem) => [problem, record.problems.filter((file) => file.problem === problem).length] as const)
    .filter(([, count]) => count > 0)
    .map(([problem, count]) => `${count} ${problem}`)
    .join(', ');
  const where = environment.container === null ? `on ${host}` : `in container ${environment.container} on ${host}`;
  const quoted = record.problems.slice(0, RECORD_EVIDENCE_MAX_FILES).map((file) => `${file.problem}: ${file.path}`);
  const more = record.problems.length - quoted.length;
  return {
    id: recordMismatchFindingId(host, environment.container, environment.path, pkg.name, pkg.version),
    kind: 'record-mismatch',
    severity: compromised ? 'critical' : 'high',
    title: `${pkg.name} ${pkg.version} differs from its RECORD (${counts}) ${where}`,
    host,
    container: environment.container,
    package: pkg.name,
    version: pkg.version,
    path: environment.path,
    files: record.problems,
    evidence: [
      `RECORD: ${pkg.metadataPath ? `${pkg.metadataPath}/RECORD` : 'in the distribution folder'}; ${record.checked} files hashed and compared`,
      ...quoted,
      ...(more > 0 ? [`… and ${more} more files`] : []),
      ...(compromised ? [`${compromised.ids[0] ?? 'An advisory'} marks ${pkg.name} ${pkg.version} as malicious code`] : []),
      ...(record.shebangRewrites?.length
        ? [`Not counted: ${record.shebangRewrites.length} bin/ scripts whose "#!" line pip rewrites at install time`]
        : []),
      ...(record.incomplete ? ['Part of the RECORD could not be compared; the list may be incomplete'] : []),
    ],
  };
}
