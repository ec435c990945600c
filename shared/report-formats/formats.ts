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

/**
 * Formats printed from a text format's rendering rather than rendered as text: PDF is the HTML
 * report printed by a browser engine (Electron's printToPDF in the app, headless Chromium for the
 * browser host and the CLI), so it says exactly what the HTML says.
 */
export const PRINTED_FORMATS = ['pdf'] as const;
/** A format printed from another one's rendering. */
export type PrintedFormat = (typeof PRINTED_FORMATS)[number];

/** Every format an export or the CLI can produce: the text formats, then the printed ones. */
export const EXPORT_FORMATS = [...REPORT_FORMATS, ...PRINTED_FORMATS] as const;
/** A format an export or the CLI can produce. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** True when `name` is one of EXPORT_FORMATS. */
export function isExportFormat(name: string): name is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(name);
}

/** True when `format` is printed (binary) rather than rendered as text. */
export function isPrintedFormat(format: ExportFormat): format is PrintedFormat {
  return (PRINTED_FORMATS as readonly string[]).includes(format);
}

/** One rendered export: what the app's renderer saves. */
export interface ReportExport {
  format: ExportFormat;
  /** `blast-radius-<scan time>.<extension>`. */
  fileName: string;
  mediaType: string;
  /** The document; with `encoding: 'base64'`, its bytes in base64 (a PDF, which JSON cannot carry as text). */
  text: string;
  /** Absent for the text formats. */
  encoding?: 'base64';
}
