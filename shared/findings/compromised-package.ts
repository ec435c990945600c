/**
 * Turns scanned inventories into findings. For now one kind: an installed Python distribution
 * that an advisory (malicious-code or vulnerability record) says is affected.
 */
import type { AdvisoryIndex, AdvisoryMatch } from '../domain/advisories/advisory-index.js';
import { normalizePackageName } from '../domain/advisories/pep503.js';
import type { CompromisedPackageFinding, HostInventory, PythonEnvironment, PythonPackage } from '../model/index.js';
import { compareSeverity } from '../model/index.js';

/** One finding per (host, container, environment path, package) that some advisory covers, most severe first. */
export function findCompromisedPackages(hosts: readonly HostInventory[], index: AdvisoryIndex): CompromisedPackageFinding[] {
  const byId = new Map<string, CompromisedPackageFinding>();
  for (const host of hosts) {
    for (const environment of host.pythonEnvironments) {
      for (const pkg of environment.packages) {
        const matches = index.match('PyPI', pkg.name, pkg.version);
        if (matches.length === 0) continue;
        const finding = compromisedPackageFinding(host.name, environment, pkg, matches);
        const existing = byId.get(finding.id);
        // Two metadata folders for one name and version in one environment (a leftover
        // .dist-info next to an .egg-info) are one finding; keep where both were read.
        if (existing) existing.evidence.push(...finding.evidence.filter((line) => !existing.evidence.includes(line)));
        else byId.set(finding.id, finding);
      }
    }
  }
  return [...byId.values()].sort(compareFindings);
}

/** The stable id of a compromised-package finding: the same package in the same place on a re-scan keeps it. */
export function compromisedPackageFindingId(host: string, container: string | null, path: string, name: string, version: string): string {
  // The prefixes keep a container that happens to be named "host" apart from the host itself.
  const place = container === null ? 'host' : `container=${container}`;
  return `compromised-package:${host}:${place}:${path}:${normalizePackageName(name)}@${version.trim()}`;
}

function compromisedPackageFinding(
  host: string,
  environment: PythonEnvironment,
  pkg: PythonPackage,
  matches: readonly AdvisoryMatch[],
): CompromisedPackageFinding {
  // The index returns matches most severe first, so the first one speaks for the finding.
  const lead = matches[0] as AdvisoryMatch;
  const leadId = lead.ids[0] ?? 'unknown advisory';
  const what = lead.malicious ? 'malicious code' : `${lead.severity}-severity advisory`;
  const where = environment.container === null ? `on ${host}` : `in container ${environment.container} on ${host}`;
  return {
    id: compromisedPackageFindingId(host, environment.container, environment.path, pkg.name, pkg.version),
    kind: 'compromised-package',
    severity: lead.severity,
    title: `${pkg.name} ${pkg.version} (${what}, ${leadId}) ${where}`,
    host,
    container: environment.container,
    package: pkg.name,
    version: pkg.version,
    path: environment.path,
    advisories: [...new Set(matches.flatMap((match) => match.ids))],
    evidence: [
      pkg.metadataPath
        ? `Version ${pkg.version} read from ${pkg.metadataPath}`
        : `Version ${pkg.version} listed in Python environment ${environment.path}`,
      ...matches.flatMap(evidenceOf),
    ],
  };
}

function evidenceOf(match: AdvisoryMatch): string[] {
  const [primary, ...aliases] = match.ids;
  const name = aliases.length > 0 ? `${primary} (also ${aliases.join(', ')})` : `${primary}`;
  return [
    `${name}: ${match.summary}`,
    ...[...new Set(match.reasons.map((reason) => `Affected per ${reason.advisoryId}: ${reason.description}`))],
    match.published ? `${primary} published ${match.published}` : `${primary} has no published date`,
  ];
}

function compareFindings(a: CompromisedPackageFinding, b: CompromisedPackageFinding): number {
  return (
    compareSeverity(a.severity, b.severity) ||
    compareText(a.host, b.host) ||
    compareText(a.container ?? '', b.container ?? '') ||
    compareText(a.path, b.path) ||
    compareText(a.id, b.id)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
