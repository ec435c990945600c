/**
 * An unknown host key: the app asks, showing the SHA256 fingerprint the host offers, and a key
 * once accepted is recorded in the known_hosts the app, `serve` and the CLI share, so neither the
 * next scan nor the CLI asks again.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askingSshConfig, expect, startServer, test, waitForApp } from './fixtures.js';
import { HostsPage } from './pages/app-page.js';
import { labCliEnv, runCliScan } from './cli-run.js';

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
    const cli = await runCliScan(['scan', '--ssh-config', sshConfig, '--host', 'alpine', '-q'], { json: join(folder, 'cli.json') }, {
      env: labCliEnv(server.stateDir),
      // No bound of its own, as before: the test's timeout is the bound.
      timeoutMs: 0,
    });
    expect(cli.code).toBe(0);
    expect(cli.report.hosts[0]?.status).toBe('ok');
  } finally {
    server.child.kill('SIGTERM');
  }
});
