/**
 * Prints the HTML report to PDF with headless Chromium, for the browser host and the CLI (the
 * Electron app prints with its own engine, electron/shell/pdf-printer.ts). The page is written to
 * a private temporary folder and printed from there with every network request refused: a proxy
 * that does not exist takes all of them, loopback included, and no host name resolves. The report's
 * own CSP forbids any fetch as well; this holds for any page. Nothing is kept afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PdfPrinter } from '../../shared/report-formats/pdf.js';
import { CHROMIUM_MISSING, findChromium } from './find-chromium.js';

/** How long one print may take before Chromium is stopped. */
const PRINT_TIMEOUT_MS = 60_000;

/**
 * Chromium's switches: headless, a throw-away profile, none of its own background traffic
 * (updates, sync, metrics), and the network cut off. The proxy bypass `<-loopback>` removes the
 * implicit loopback exception, so 127.0.0.1 goes to the dead proxy too.
 */
export function chromiumPrintArgs(profileDir: string, pdfPath: string, pageUrl: string, runningAsRoot: boolean): string[] {
  return [
    '--headless',
    // Chromium refuses to start its sandbox as root; the page it prints is our own, script-free report.
    ...(runningAsRoot ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-extensions',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--metrics-recording-only',
    `--user-data-dir=${profileDir}`,
    '--proxy-server=127.0.0.1:9',
    '--proxy-bypass-list=<-loopback>',
    '--host-resolver-rules=MAP * ~NOTFOUND',
    '--no-pdf-header-footer',
    `--print-to-pdf=${pdfPath}`,
    pageUrl,
  ];
}

/** Options of the printer; the executable is looked up at each print when not given. */
export interface ChromiumPrinterOptions {
  /** The executable (a --chromium flag); else BLAST_RADIUS_CHROMIUM, else PATH. */
  executable?: string | null;
  timeoutMs?: number;
}

/** A PdfPrinter over headless Chromium; its prints reject with CHROMIUM_MISSING when none is installed. */
export function chromiumPdfPrinter(options: ChromiumPrinterOptions = {}): PdfPrinter {
  return async (html) => {
    const executable = findChromium({ explicit: options.executable ?? null });
    if (!executable) throw new Error(CHROMIUM_MISSING);
    return printWithChromium(executable, html, options.timeoutMs ?? PRINT_TIMEOUT_MS);
  };
}

async function printWithChromium(executable: string, html: string, timeoutMs: number): Promise<Uint8Array> {
  const folder = await mkdtemp(join(tmpdir(), 'blast-radius-pdf-'));
  try {
    const pagePath = join(folder, 'report.html');
    const pdfPath = join(folder, 'report.pdf');
    await writeFile(pagePath, html, { mode: 0o600 });
    const runningAsRoot = process.getuid?.() === 0;
    const outcome = await run(executable, chromiumPrintArgs(join(folder, 'profile'), pdfPath, pathToFileURL(pagePath).href, runningAsRoot), timeoutMs);
    const pdf = await readFile(pdfPath).catch(() => null);
    if (outcome !== 'exit 0' || pdf === null || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
      throw new Error(`Chromium (${executable}) did not print the report: ${outcome === 'exit 0' ? 'it wrote no PDF' : outcome}`);
    }
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Runs Chromium in its own process group (its helpers included) and answers how it ended: `exit N`, `signal S` or the time it ran out of. */
function run(executable: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    // Its stderr is a stream of D-Bus and GPU complaints on a headless box; the exit code and the PDF say what matters.
    const child = spawn(executable, args, { stdio: 'ignore', detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start Chromium (${executable}): ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolvePromise(timedOut ? `stopped after ${timeoutMs / 1000} s` : signal ? `signal ${signal}` : `exit ${code}`);
    });
  });
}
