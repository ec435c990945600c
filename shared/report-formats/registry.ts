/** Every report format's renderer, listed once: a format without a renderer does not compile. */
import type { ScanReport } from '../model/index.js';
import { cycloneDxRenderer } from './cyclonedx.js';
import type { ReportFormat, ReportRenderer } from './formats.js';
import { htmlRenderer } from './html.js';
import { jsonRenderer } from './json.js';
import { jsonLinesRenderer } from './jsonl.js';
import { markdownRenderer } from './markdown.js';
import { sarifRenderer } from './sarif.js';

/** The renderer of each format. */
export const REPORT_RENDERERS = {
  json: jsonRenderer,
  jsonl: jsonLinesRenderer,
  markdown: markdownRenderer,
  html: htmlRenderer,
  cyclonedx: cycloneDxRenderer,
  sarif: sarifRenderer,
} as const satisfies Record<ReportFormat, ReportRenderer>;

/** The report rendered in `format`. */
export function renderReport(format: ReportFormat, report: ScanReport): string {
  return REPORT_RENDERERS[format].render(report);
}
