/**
 * JSON lines: one header line (format, scan time, provenance, each host's status), then one line
 * per finding and one per supply-chain register row (`"record":"register"`, when the report has the register), so `grep`, `jq -c` and log shippers take a report a finding at a time. A finding a
 * suppression file names carries `suppression` (`suppressed` or `expired`, with the entry).
 */
import { suppressionState } from '../case/suppressions.js';
import type { ScanReport } from '../model/index.js';
import type { ReportRenderer } from './formats.js';
import { provenanceOf } from './provenance-of.js';

/** The header line's `record` and each finding line's, so a reader tells them apart without guessing. */
export const JSONL_RECORDS = { header: 'header', finding: 'finding', register: 'register' } as const;

/** A header line, then one line per finding (`{"record":"finding", …the finding's own fields}`). */
export function renderJsonLines(report: ScanReport): string {
  const header = {
    record: JSONL_RECORDS.header,
    schemaVersion: report.schemaVersion,
    scannedAt: report.scannedAt,
    provenance: provenanceOf(report),
    hosts: report.hosts.map((host) => ({ name: host.name, address: host.address, status: host.status, ...(host.error ? { error: host.error } : {}) })),
    findings: report.findings.length,
  };
  // JSON.stringify escapes every newline inside a value, so each record stays on its own line.
  const register = (report.register ?? []).map((row) => ({ record: JSONL_RECORDS.register, ...row }));
  const lines = [header, ...report.findings.map((finding) => findingLine(report, finding)), ...register].map((record) => JSON.stringify(record));
  return `${lines.join('\n')}\n`;
}

function findingLine(report: ScanReport, finding: ScanReport['findings'][number]): Record<string, unknown> {
  const found = suppressionState(report.suppressions, finding.id);
  if (!found) return { record: JSONL_RECORDS.finding, ...finding };
  const { by, value, reason, expires } = found.applied;
  return { record: JSONL_RECORDS.finding, ...finding, suppression: { state: found.state, by, value, reason, expires } };
}

/** The JSON lines format. */
export const jsonLinesRenderer: ReportRenderer = { label: 'JSON lines', extension: 'jsonl', mediaType: 'application/jsonl', render: renderJsonLines };
