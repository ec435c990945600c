/**
 * An unknown host key: the app asks, showing the SHA256 fingerprint the host offers, and a key
 * once accepted is recorded in the app's own known_hosts, so the next scan does not ask again.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, startServer, test, waitForApp } from './fixtures.js';
import { HostsPage } from './pages/app-page.js';

test('asks before trusting an unknown host key and remembers the answer', async ({ page, lab }) => {
  const folder = await mkdtemp(join(tmpdir(), 'blast-radius-hostkey-'));
  const emptyKnownHosts = join(folder, 'known_hosts');
  await writeFile(emptyKnownHosts, '');
  const config = (await readFile(lab.sshConfigPath, 'utf8'))
    .replaceAll(lab.knownHostsPath, emptyKnownHosts)
    .replace(/StrictHostKeyChecking yes/g, 'StrictHostKeyChecking ask');
  await writeFile(join(folder, 'ssh_config'), config);
  const server = await startServer(join(folder, 'ssh_config'), join(folder, 'case'));
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
    expect(await readFile(join(folder, 'case', 'known_hosts'), 'utf8')).toContain('ssh-ed25519');
  } finally {
    server.child.kill('SIGTERM');
  }
});
