/**
 * The real Electron app, launched with Playwright's `_electron`. Where the Electron runtime is not
 * installed (it is downloaded on first use, and machines without GitHub access cannot fetch it)
 * the spec is skipped with a message saying so; the browser-host specs cover the same UI.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function installedElectron(): string | null {
  const packageDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = join(packageDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(executable) ? executable : null;
}

test('the Electron app opens its window with the preload API and no Node in the page', async () => {
  const executablePath = installedElectron();
  test.skip(executablePath === null, 'Electron runtime not installed here (it cannot be downloaded offline); run `npx install-electron` where GitHub is reachable');

  const userData = await mkdtemp(join(tmpdir(), 'blast-radius-electron-'));
  // An empty ssh_config of its own, so the test never reads the developer's hosts.
  await writeFile(join(userData, 'ssh_config'), '');
  const app = await electron.launch({
    executablePath: executablePath!,
    args: ['.'],
    env: { ...process.env, BLAST_RADIUS_DATA_DIR: userData, BLAST_RADIUS_SSH_CONFIG: join(userData, 'ssh_config') },
  });
  try {
    const window = await app.firstWindow();
    await window.waitForSelector('body[data-app-ready="true"]');

    expect(await window.evaluate(() => typeof (window as unknown as { api?: unknown }).api)).toBe('object');
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    await expect(window.getByTestId('view-hosts')).toBeVisible();
  } finally {
    await app.close();
  }
});
