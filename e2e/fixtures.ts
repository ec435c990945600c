/**
 * Playwright fixtures: a lab of sshd hosts per worker, and per test a fresh browser host (its own
 * data folder) pointed at the lab's ssh_config. Pages are opened at the tokened URL the host
 * prints and are ready when the app sets body[data-app-ready="true"] — never after a timeout.
 */
import { test as base, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CaseStore } from '../electron/case/case-store.js';
import type { ScanReport } from '../shared/model/index.js';
import { startLab, type Lab } from './lab/lab.js';

const SERVER = fileURLToPath(new URL('../dist/electron/server/main.js', import.meta.url));

/** A running browser host. */
export interface BrowserApp {
  url: string;
  dataDir: string;
  /** Everything the host wrote to stderr so far (progress, refusals). */
  stderr(): string;
  /** Opens the app in `page` and waits until it is ready. */
  open(page: Page): Promise<void>;
}

/**
 * Writes `<folder>/ssh_config`: the lab's config with an empty known_hosts and StrictHostKeyChecking
 * ask, so every lab host's key is unknown and the app asks about it; returns its path.
 */
export async function askingSshConfig(lab: Lab, folder: string): Promise<string> {
  const emptyKnownHosts = join(folder, 'known_hosts');
  await writeFile(emptyKnownHosts, '');
  const config = (await readFile(lab.sshConfigPath, 'utf8')).replaceAll(lab.knownHostsPath, emptyKnownHosts).replace(/StrictHostKeyChecking yes/g, 'StrictHostKeyChecking ask');
  const path = join(folder, 'ssh_config');
  await writeFile(path, config);
  return path;
}

/**
 * Starts the built browser host on `sshConfigPath` with its case in `dataDir`; the URL is its first
 * stdout line. Its state (the known_hosts the CLI and the app share) goes to `<dataDir>-state`,
 * never the developer's own, and is returned as `stateDir` (pass it to a CLI run as XDG_STATE_HOME).
 */
export async function startServer(sshConfigPath: string, dataDir: string): Promise<{ child: ChildProcess; url: string; stderr: () => string; stateDir: string }> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first`);
  const stateDir = `${dataDir}-state`;
  const child = spawn(process.execPath, [SERVER, '--ssh-config', sshConfigPath, '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SSH_AUTH_SOCK: '', XDG_STATE_HOME: stateDir },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(line));
    child.once('exit', (code) => reject(new Error(`browser host exited (${code}) before printing its URL: ${stderr}`)));
  });
  return { child, url: firstLine, stderr: () => stderr, stateDir };
}

/** A browser host serving one case made from a report, and how to stop it. */
export interface ServedReport {
  url: string;
  /** Stops the host and removes its folder. */
  stop: () => Promise<void>;
}

/**
 * A browser host on a fresh data folder whose case holds `report`, saved as a scan saves it (the
 * report with the case ledger it was merged into), and an empty ssh_config: a report made in the
 * test (a fixture, a synthetic graph) shown without scanning anything.
 */
export async function serveReport(report: ScanReport, label: string): Promise<ServedReport> {
  const folder = await mkdtemp(join(tmpdir(), `blast-radius-${label}-`));
  const remove = () => rm(folder, { recursive: true, force: true });
  try {
    const dataDir = join(folder, 'case');
    await mkdir(dataDir);
    await writeFile(join(folder, 'ssh_config'), '');
    await new CaseStore(dataDir).saveScan(report);
    const { child, url } = await startServer(join(folder, 'ssh_config'), dataDir);
    return {
      url,
      stop: async () => {
        // Gone before its folder is: a host still shutting down may yet write into it.
        if (child.exitCode === null && child.signalCode === null) {
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          await exited;
        }
        await remove();
      },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Waits for the app's ready signal. */
export async function waitForApp(page: Page): Promise<void> {
  await page.waitForSelector('body[data-app-ready="true"]');
}

export const test = base.extend<{ app: BrowserApp }, { lab: Lab }>({
  lab: [
    async ({}, use) => {
      const lab = await startLab();
      try {
        await use(lab);
      } finally {
        await lab.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  app: async ({ lab }, use) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'blast-radius-e2e-'));
    const server = await startServer(lab.sshConfigPath, dataDir);
    try {
      await use({
        url: server.url,
        dataDir,
        stderr: server.stderr,
        open: async (page) => {
          await page.goto(server.url);
          await waitForApp(page);
        },
      });
    } finally {
      server.child.kill('SIGTERM');
    }
  },
});

export { expect } from '@playwright/test';
