/**
 * When a compromise began, in the words of a step: "search the logs since …". Derived per package
 * from the report's exposure verdicts (which carry the window as the user narrowed or widened it)
 * or the known windows, never a fixed date: a telnyx compromise of 27 March is searched from then.
 */
import { windowFor } from '../domain/exposure/compromise-windows.js';
import { isFindingOfKind } from '../model/index.js';
import type { ExposureVerdict, ScanReport, SecretFinding } from '../model/index.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `24 March 2026 10:39 UTC` for an ISO instant; the instant itself when it does not parse. */
export function utcText(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  const hh = String(time.getUTCHours()).padStart(2, '0');
  const mm = String(time.getUTCMinutes()).padStart(2, '0');
  return `${time.getUTCDate()} ${MONTHS[time.getUTCMonth()]} ${time.getUTCFullYear()} ${hh}:${mm} UTC`;
}

/**
 * The earliest start of the compromise windows behind these advisory lists (one list per finding),
 * as text; a phrase that sends the reader to the advisory when no window is known.
 */
export function compromiseStart(advisoryLists: readonly (readonly string[])[], exposures: readonly ExposureVerdict[] = []): string {
  const starts: string[] = [];
  for (const advisories of advisoryLists) {
    // The report's verdict carries the window the user set; the bundled table is the fallback.
    const judged = exposures.find((exposure) => exposure.window !== null && exposure.advisories.some((id) => advisories.includes(id)))?.window;
    const start = judged?.start ?? windowFor(advisories)?.start;
    if (start !== undefined && !Number.isNaN(Date.parse(start))) starts.push(start);
  }
  starts.sort((a, b) => Date.parse(a) - Date.parse(b));
  return starts[0] ? utcText(starts[0]) : 'the start of the compromise its advisory gives';
}

/**
 * When the compromise that exposed a key began: from the compromised packages on the hosts it was
 * seen on, else from every compromised package of the report.
 */
export function keyCompromiseStart(
  key: Pick<SecretFinding, 'locations' | 'host'>,
  report: Pick<ScanReport, 'findings'> & Partial<Pick<ScanReport, 'exposures'>>,
): string {
  return keyCompromiseStarts(report)(key);
}

/**
 * keyCompromiseStart for many keys of one report: the report's packages are grouped by host once,
 * and keys seen on the same hosts share one answer (a plan of thousands of keys read every package,
 * and every verdict per package, once per key).
 */
export function keyCompromiseStarts(
  report: Pick<ScanReport, 'findings'> & Partial<Pick<ScanReport, 'exposures'>>,
): (key: Pick<SecretFinding, 'locations' | 'host'>) => string {
  const packages = report.findings.filter((finding) => isFindingOfKind(finding, 'compromised-package'));
  const hostsWithPackages = new Set(packages.map((finding) => finding.host));
  const answers = new Map<string, string>();
  return (key) => {
    const hosts = new Set([key.host, ...key.locations.map((location) => location.host)]);
    const nearHosts = [...hosts].filter((host) => hostsWithPackages.has(host)).sort();
    const cacheKey = JSON.stringify(nearHosts);
    let answer = answers.get(cacheKey);
    if (answer === undefined) {
      const wanted = new Set(nearHosts);
      const near = packages.filter((finding) => wanted.has(finding.host));
      answer = compromiseStart((near.length > 0 ? near : packages).map((finding) => finding.advisories), report.exposures);
      answers.set(cacheKey, answer);
    }
    return answer;
  };
}
