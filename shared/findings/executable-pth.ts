/**
 * Findings from the `.pth` audit: every `.pth` file Python would execute a line of at start-up.
 * A file with a known-malicious hash is critical; one whose executable lines are all explained by a
 * known installer file is info; any other executable line is high. Pure.
 */
import type { ExecutablePthFinding, HostInventory, PthFile, PythonEnvironment, Severity } from '../model/index.js';
import { compareSeverity } from '../model/index.js';
import { knownBenignPth, knownMaliciousPth } from '../domain/python/pth-audit.js';
import { KNOWN_BENIGN_PTH, KNOWN_MALICIOUS_PTH, type KnownBenignPth, type KnownMaliciousPth } from '../domain/python/pth-known.js';

/** Longest executable line quoted in a finding's evidence. */
export const PTH_EVIDENCE_LINE_CHARS = 200;
/** Most executable lines quoted in one finding. */
export const PTH_EVIDENCE_MAX_LINES = 10;

/** The known-file tables the audit judges by; tests extend them. */
export interface PthKnowledge {
  malicious?: readonly KnownMaliciousPth[];
  benign?: readonly KnownBenignPth[];
}

/** One finding per `.pth` file with an executable line or a known-malicious hash, most severe first. */
export function findExecutablePth(hosts: readonly HostInventory[], knowledge: PthKnowledge = {}): ExecutablePthFinding[] {
  const malicious = knowledge.malicious ?? KNOWN_MALICIOUS_PTH;
  const benign = knowledge.benign ?? KNOWN_BENIGN_PTH;
  const byId = new Map<string, ExecutablePthFinding>();
  for (const host of hosts) {
    for (const environment of host.pythonEnvironments) {
      for (const file of environment.pthFiles ?? []) {
        const finding = pthFinding(host.name, environment, file, malicious, benign);
        if (finding && !byId.has(finding.id)) byId.set(finding.id, finding);
      }
    }
  }
  return [...byId.values()].sort(
    (a, b) => compareSeverity(a.severity, b.severity) || compareText(a.host, b.host) || compareText(a.id, b.id),
  );
}

/** The stable id of an executable-pth finding: the same file in the same place keeps it on a re-scan. */
export function executablePthFindingId(host: string, container: string | null, path: string): string {
  const place = container === null ? 'host' : `container=${container}`;
  return `executable-pth:${host}:${place}:${path}`;
}

function pthFinding(
  host: string,
  environment: PythonEnvironment,
  file: PthFile,
  malicious: readonly KnownMaliciousPth[],
  benign: readonly KnownBenignPth[],
): ExecutablePthFinding | null {
  const executable = file.lines.filter((line) => line.executable);
  const bad = knownMaliciousPth(file, malicious);
  if (executable.length === 0 && !bad) return null;
  const good = bad ? null : knownBenignPth(file, benign);
  const severity: Severity = bad ? 'critical' : good ? 'info' : 'high';
  const where = environment.container === null ? `on ${host}` : `in container ${environment.container} on ${host}`;
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  const title = bad
    ? `${name} is the known-malicious ${bad.label} ${where}`
    : good
      ? `${name} runs code at every Python start (${good.label}) ${where}`
      : `${name} runs unrecognised code at every Python start ${where}`;
  const quoted = executable.slice(0, PTH_EVIDENCE_MAX_LINES).map((line) => `Executed line: ${quote(line.text)}`);
  const more = executable.length > PTH_EVIDENCE_MAX_LINES ? [`… and ${executable.length - PTH_EVIDENCE_MAX_LINES} more executed lines`] : [];
  return {
    id: executablePthFindingId(host, environment.container, file.path),
    kind: 'executable-pth',
    severity,
    title,
    host,
    container: environment.container,
    path: file.path,
    sha256: file.sha256 ?? '',
    package: file.owner,
    evidence: [
      `Path: ${file.path}`,
      `sha256: ${file.sha256 ?? 'not computed (no sha256sum or openssl on the host)'}`,
      `Owning distribution: ${file.owner ?? 'none (no RECORD in this folder lists the file)'}`,
      ...(bad ? [`sha256 matches ${bad.label}; source: ${bad.source}`] : []),
      ...(good ? [`Every executed line matches ${good.label}; source: ${good.source}`] : []),
      ...quoted,
      ...more,
      ...(file.truncated ? ['The file is longer than what was read (64 KiB / 200 lines); unread lines may run too'] : []),
      'Python executes lines of a .pth file that start with "import" at every interpreter start (site.py)',
    ],
  };
}

function quote(text: string): string {
  return text.length > PTH_EVIDENCE_LINE_CHARS ? `${text.slice(0, PTH_EVIDENCE_LINE_CHARS)}…` : text;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
