/**
 * Finds the Chromium (or Chrome) that prints the HTML report to PDF for the browser host and the
 * CLI: the executable given (a flag, or BLAST_RADIUS_CHROMIUM), else the first of the usual names
 * on PATH, else the usual macOS application. Nothing is started here.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** The environment variable that names the Chromium to print with. */
export const CHROMIUM_ENV = 'BLAST_RADIUS_CHROMIUM';

/** Executable names tried on PATH, in order: Debian's and Ubuntu's packages, then Google's. */
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

/** Where macOS keeps the browsers, when they are not on PATH. */
const MAC_APPS = ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

/** What to say when no Chromium is found: what to install, and the two ways to name one. */
export const CHROMIUM_MISSING =
  'PDF is the HTML report printed by headless Chromium, and none was found: install Chromium ' +
  '(Debian/Ubuntu: apt install chromium) or Google Chrome, or name its executable with --chromium PATH ' +
  `or ${CHROMIUM_ENV}; the html format is the same report, printable from any browser`;

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where to look and what the user named; the process's own by default. */
export interface FindChromiumOptions {
  /** The executable given on the command line; wins over the environment. */
  explicit?: string | null;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/**
 * The Chromium to print with, or null when there is none. A path the user named that is not an
 * executable is an error naming it, not a silent fall back to another browser.
 */
export function findChromium(options: FindChromiumOptions = {}): string | null {
  const env = options.env ?? process.env;
  const named = options.explicit ?? (env[CHROMIUM_ENV] || null);
  if (named) {
    const path = isAbsolute(named) || named.includes('/') ? resolve(named) : searchPath(named, env);
    if (path === null || !isExecutableFile(path)) throw new Error(`no Chromium executable at ${JSON.stringify(named)} (given by ${options.explicit ? '--chromium' : CHROMIUM_ENV})`);
    return path;
  }
  for (const name of PATH_NAMES) {
    const found = searchPath(name, env);
    if (found) return found;
  }
  if ((options.platform ?? process.platform) === 'darwin') return MAC_APPS.find(isExecutableFile) ?? null;
  return null;
}

function searchPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const folder of (env['PATH'] ?? '').split(delimiter)) {
    if (!folder) continue;
    const candidate = join(folder, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}
