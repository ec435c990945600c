/**
 * PDF, the one printed format: the HTML report (self-contained, with its print stylesheet) printed
 * by a browser engine. The printing itself needs a process (Electron or headless Chromium), so it
 * lives outside shared/ behind `PdfPrinter`; this module only names the format.
 */
import type { ExportFormat, PrintedFormat } from './formats.js';
import { REPORT_RENDERERS } from './registry.js';

/** How PDF is named to people and files, as a text renderer's label, extension and media type are. */
export const PDF_FORMAT = { label: 'PDF (the HTML report printed)', extension: 'pdf', mediaType: 'application/pdf' } as const;

/** The text format each printed format is printed from. */
export const PRINTED_FROM = { pdf: 'html' } as const satisfies Record<PrintedFormat, 'html'>;

/**
 * Prints one self-contained HTML document to PDF with nothing loaded from the network; rejects
 * with a message naming what to install when no engine is there.
 */
export type PdfPrinter = (html: string) => Promise<Uint8Array>;

/** Label, file extension and media type of any export format. */
export function exportFormatInfo(format: ExportFormat): { label: string; extension: string; mediaType: string } {
  return format === 'pdf' ? PDF_FORMAT : REPORT_RENDERERS[format];
}
