/**
 * Saves text the backend rendered as a file the user downloads: a Blob behind a temporary link
 * with `download`, so the browser (or Electron's download handler, which asks where) saves it
 * without navigating anywhere. The text is never put in the page.
 */
import type { ReportExport } from '../../shared/report-formats/index.js';

/** The export's bytes: its text, or for a printed format (PDF) its base64 decoded. */
export function exportBlob(file: ReportExport): Blob {
  if (file.encoding !== 'base64') return new Blob([file.text], { type: `${file.mediaType};charset=utf-8` });
  const binary = atob(file.text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return new Blob([bytes], { type: file.mediaType });
}

/** Offers one export as a download named by its file name. */
export function downloadExport(file: ReportExport): void {
  const url = URL.createObjectURL(exportBlob(file));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, so the download has its data.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
