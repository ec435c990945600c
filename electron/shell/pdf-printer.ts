/**
 * The desktop app's PDF export: the HTML report printed by Electron's own engine
 * (`webContents.printToPDF`) in a hidden window with no script, in an in-memory session that
 * refuses every request but the page itself, so printing loads nothing from the network.
 */
import { BrowserWindow, session } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PdfPrinter } from '../../shared/report-formats/pdf.js';

/** The printing session: not `persist:`, so nothing it sees is written to disk. */
const PRINT_PARTITION = 'blast-radius-print';

/** True for the one request a print may make: the page itself (inline `data:` images are not requests to anywhere). */
export function printRequestAllowed(url: string, pageUrl: string): boolean {
  return url === pageUrl || url.startsWith('data:');
}

/** A PdfPrinter over a hidden, script-free window of the app's own Chromium. */
export function electronPdfPrinter(): PdfPrinter {
  return async (html) => {
    const folder = await mkdtemp(join(tmpdir(), 'blast-radius-pdf-'));
    const pagePath = join(folder, 'report.html');
    const pageUrl = pathToFileURL(pagePath).href;
    await writeFile(pagePath, html, { mode: 0o600 });
    const printSession = session.fromPartition(PRINT_PARTITION);
    printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !printRequestAllowed(details.url, pageUrl) }));
    printSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    const window = new BrowserWindow({
      show: false,
      webPreferences: { session: printSession, javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false },
    });
    try {
      window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
      window.webContents.on('will-navigate', (event) => event.preventDefault());
      await window.loadURL(pageUrl);
      // The report's @page rule (A4, its margins) decides the paper; backgrounds carry the severity colours.
      const pdf = await window.webContents.printToPDF({ printBackground: true, preferCSSPageSize: true });
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    } finally {
      window.destroy();
      await rm(folder, { recursive: true, force: true });
    }
  };
}
