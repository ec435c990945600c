/** The JSON report (docs/report-format.md): the report document itself, indented. */
import type { ScanReport } from '../model/index.js';
import type { ReportRenderer } from './formats.js';

/** The report as `blast-radius scan --json` has always written it. */
export function renderJsonReport(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The JSON format. */
export const jsonRenderer: ReportRenderer = { label: 'JSON', extension: 'json', mediaType: 'application/json', render: renderJsonReport };
