/**
 * The report formats every exporter offers (the CLI's `--format` and `-o`, the app's export
 * buttons), and what a renderer of one is. A closed set: the registry must name a renderer for each.
 */
import type { ScanReport } from '../model/index.js';

/** Every format a report can be rendered in, by the name the CLI and the app use. */
export const REPORT_FORMATS = ['json', 'jsonl', 'markdown', 'html', 'cyclonedx', 'sarif'] as const;
/** A format a report can be rendered in. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** One format: how it is named to people and files, and the pure function that renders it. */
export interface ReportRenderer {
  /** How the format reads on a button or in help text. */
  label: string;
  /** The file extension a saved export takes, without the dot. */
  extension: string;
  /** The media type of the rendered text. */
  mediaType: string;
  /** The whole document, ending in a newline. Never holds a secret value: the report holds none, and nothing else is read. */
  render(report: ScanReport): string;
}

/** True when `name` is one of REPORT_FORMATS. */
export function isReportFormat(name: string): name is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(name);
}

/** One rendered export: what the app's renderer saves. */
export interface ReportExport {
  format: ReportFormat;
  /** `blast-radius-<scan time>.<extension>`. */
  fileName: string;
  mediaType: string;
  text: string;
}
