/**
 * An unknown host key: the app asks, showing the SHA256 fingerprint the host offers, and a key
 * once accepted is recorded in the known_hosts the app, `serve` and the CLI share, so neither the
 * next scan nor the CLI asks again.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScanReport } from '../shared/model/index.js';
import { askingSshConfig, expect, startServer, test, waitForApp } from './fixtures.js';
import { HostsPage } from './pages/app-page.js';

const CLI = fileURLToPath(new URL('../dist/electron/cli/main.js', import.meta.url));

/** Runs the built CLI; resolves with its exit code. */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => execFile(process.execPath, [CLI, ...args], { env }, (error) => resolve(error ? Number((error as { code?: number }).code ?? 1) : 0)));
}

test('asks before trusting an unknown host key and remembers the answer, for the CLI too', async ({ page, lab }) => {
  const folder = await mkdtemp(join(tmpdir(), 'blast-radius-hostkey-'));
  const sshConfig = await askingSshConfig(lab, folder);
  const server = await startServer(sshConfig, join(folder, 'case'));
  try {
    const hosts = new HostsPage(page);
    await page.goto(server.url);
    await waitForApp(page);

    await hosts.pick(['alpine']);
    await hosts.scan();
    const dialog = page.getByTestId('hostkey-dialog');
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId('hostkey-fingerprint')).toHaveText(lab.hosts['alpine']!.hostKeyFingerprint!);
    await page.getByTestId('hostkey-accept').click();
    await expect(hosts.progress('alpine')).toHaveAttribute('data-phase', 'done');

    // A click is a discrete event: React has re-queued the host before click() returns, so the
    // "done" below is the second scan's.
    await hosts.scan();
    await expect(hosts.progress('alpine')).toHaveAttribute('data-phase', 'done');
    await expect(dialog).toHaveCount(0);
    expect(await readFile(join(server.stateDir, 'blast-radius', 'known_hosts'), 'utf8')).toContain('ssh-ed25519');
    expect(existsSync(join(folder, 'case', 'known_hosts'))).toBe(false);

    // The CLI, strict by default and given the same state folder, now knows the key.
    const reportFile = join(folder, 'cli.json');
    const code = await runCli(['scan', '--ssh-config', sshConfig, '--host', 'alpine', '-q', '--json', reportFile], {
      ...process.env,
      SSH_AUTH_SOCK: '',
      XDG_STATE_HOME: server.stateDir,
    });
    expect(code).toBe(0);
    expect((JSON.parse(await readFile(reportFile, 'utf8')) as ScanReport).hosts[0]?.status).toBe('ok');
  } finally {
    server.child.kill('SIGTERM');
  }
});
