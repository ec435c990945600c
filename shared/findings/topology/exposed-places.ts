/**
 * Which places count as exposed to a compromise, and why: an exposure verdict of `exposed` or
 * `likely-exposed`, or a compromised-package, executable-pth, IOC or content-signature finding there that is evidence
 * of compromise, or an artifact-mismatch finding that counts as such (files that are not their release's:
 * `isCompromiseEvidence`). A flagged place is assumed exposed (INCIDENT.md: assume exposure unless evidence
 * clears it), so every key it held and every host its keys open is in the blast radius. An
 * info-level finding is never such evidence: a known-benign start-up file (setuptools'
 * `distutils-precedence.pth`) is on most Python hosts, and counting it would make every key on
 * them critical and bury the steps that matter.
 */
import type { ExposureVerdict, Finding } from '../../model/index.js';
import { isCompromiseEvidence } from '../artifact-mismatch.js';
import { placeKey } from './places.js';

/** Finding kinds that mean the place ran, or holds, compromised code. */
const COMPROMISE_KINDS: ReadonlySet<Finding['kind']> = new Set<Finding['kind']>(['compromised-package', 'executable-pth', 'ioc', 'content-signature']);

/** Why places and hosts count as exposed. */
export interface ExposedPlaces {
  /** Why this exact place (host itself, or one container) is exposed, or null when nothing says so. */
  place(host: string, container: string | null): string | null;
  /** Why the host is exposed, through itself or any of its containers, or null. */
  host(host: string): string | null;
}

/** The last answer per findings array, with the findings and verdicts (each entry) it was read from (see exposedPlaces). */
const answered = new WeakMap<readonly Finding[], { findings: Finding[]; exposures: ExposureVerdict[]; places: ExposedPlaces }>();

/**
 * Reads exposure from the verdicts and from the findings already made. Remembered per findings
 * array: the checklist and the ledger ask once per consumer about one report, and reading every
 * finding each time made a 5,000-node case take seconds. The answer is reused only while the array
 * and the verdicts hold the very same entries in the same order (compared one by one, far cheaper
 * than reading them), so a report grown, sorted or read with other verdicts since is read again.
 */
export function exposedPlaces(findings: readonly Finding[], exposures: readonly ExposureVerdict[]): ExposedPlaces {
  const known = answered.get(findings);
  if (known && sameEntries(known.findings, findings) && sameEntries(known.exposures, exposures)) return known.places;
  const places = readExposedPlaces(findings, exposures);
  answered.set(findings, { findings: [...findings], exposures: [...exposures], places });
  return places;
}

function sameEntries<T>(before: readonly T[], now: readonly T[]): boolean {
  if (before.length !== now.length) return false;
  for (let index = 0; index < now.length; index += 1) if (before[index] !== now[index]) return false;
  return true;
}

function readExposedPlaces(findings: readonly Finding[], exposures: readonly ExposureVerdict[]): ExposedPlaces {
  const byPlace = new Map<string, string>();
  const byHost = new Map<string, string>();
  const note = (host: string, container: string | null, reason: string): void => {
    const key = placeKey(host, container);
    if (!byPlace.has(key)) byPlace.set(key, reason);
    if (!byHost.has(host)) byHost.set(host, container === null ? reason : `${reason} (container ${container})`);
  };
  for (const exposure of exposures) {
    if (exposure.verdict !== 'exposed' && exposure.verdict !== 'likely-exposed') continue;
    note(exposure.host, exposure.container, `${exposure.package} ${exposure.installedVersion} judged ${exposure.verdict} (${exposure.advisories[0] ?? 'advisory'})`);
  }
  for (const finding of findings) {
    const evidence = finding.kind === 'artifact-mismatch' ? isCompromiseEvidence(finding) : COMPROMISE_KINDS.has(finding.kind);
    if (!evidence || finding.severity === 'info') continue;
    note(finding.host, finding.container, `${finding.kind} finding: ${finding.title}`);
  }
  return {
    place: (host, container) => byPlace.get(placeKey(host, container)) ?? null,
    host: (host) => byHost.get(host) ?? null,
  };
}
