/** The findings list as the dashboard shows it: its order and its per-severity totals. */
import { FINDING_KINDS, SEVERITIES, compareSeverity, type Finding, type Severity } from '../model/index.js';

/** The findings, most severe first, then by host, kind (in `FINDING_KINDS` order) and title. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      a.host.localeCompare(b.host) ||
      FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) ||
      a.title.localeCompare(b.title),
  );
}

/** How many findings there are of each severity, every severity present (zero when none). */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
