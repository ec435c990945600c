/** The provenance every format carries, with a stated unknown for reports written before reports carried one. */
import type { AdvisorySnapshotEntry, ReportProvenance, ScanReport } from '../model/index.js';

/** Stands in for a report of an earlier version: the tool and rules are unknown, no advisory is claimed. */
const UNKNOWN_PROVENANCE: ReportProvenance = {
  tool: { name: 'blast-radius', version: 'unknown' },
  advisories: [],
  iocRules: { version: 'unknown', rules: 0, custom: 0, fingerprint: 'unknown' },
};

/** The report's provenance, or one that says each part is unknown. */
export function provenanceOf(report: ScanReport): ReportProvenance {
  return report.provenance ?? UNKNOWN_PROVENANCE;
}

/** The snapshot entry of an advisory id (its own record, or the record it is an alias of). */
export function advisoryEntry(report: ScanReport, id: string): AdvisorySnapshotEntry | undefined {
  const advisories = provenanceOf(report).advisories;
  return advisories.find((entry) => entry.id === id) ?? advisories.find((entry) => entry.aliases.includes(id));
}

/** `blast-radius 0.1.0`. */
export function toolLine(report: ScanReport): string {
  const { tool } = provenanceOf(report);
  return `${tool.name} ${tool.version}`;
}

/** `2026.12.1, 31 rules (0 custom), fnv1a64:…`. */
export function iocRulesLine(report: ScanReport): string {
  const { iocRules } = provenanceOf(report);
  return `${iocRules.version}, ${iocRules.rules} rule${iocRules.rules === 1 ? '' : 's'} (${iocRules.custom} custom), ${iocRules.fingerprint}`;
}
