/**
 * Saves text the backend rendered as a file the user downloads: a Blob behind a temporary link
 * with `download`, so the browser (or Electron's download handler, which asks where) saves it
 * without navigating anywhere. The text is never put in the page.
 */
import type { ReportExport } from '../../shared/report-formats/index.js';

/** Offers one export as a download named by its file name. */
export function downloadExport(file: ReportExport): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: `${file.mediaType};charset=utf-8` }));
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
