/**
 * The supply-chain register as the owner uses it: after a scan of the lab, the Supply chain view
 * lists the lab's AI components (the litellm gateway, the ollama model server, open-webui and the
 * other agent apps) with where each came from; the owner distrusts the gateway with a note, the
 * browser host is restarted on the same case, and the trust level and note are still there, in
 * the view and in every export format (a key pasted into the note leaves the case as its
 * fingerprint only).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPORT_FORMATS } from '../shared/report-formats/index.js';
import { expect, startServer, test, waitForApp } from './fixtures.js';
import { HostsPage, JournalPage } from './pages/app-page.js';
import { pdfText } from './pdf-text.js';

const SCANNED = ['gw', 'ollama', 'nodocker'];
const SCREENSHOT_FOLDER = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' ? '../docs/screenshots/' : '../test-results/screenshots/';
const screenshot = (name: string) => fileURLToPath(new URL(`${SCREENSHOT_FOLDER}${name}.png`, import.meta.url));
/** An OpenAI-shaped key the owner pasted into a note by mistake: it must never leave the case in clear. */
const PASTED_KEY = `sk-proj-${'Q7rT2mX9vB4nK8pL3wZ6yH1cF5dG0sJ'.repeat(2)}`;
const NOTE = 'Pulled by a moving tag from ghcr.io; replace with a digest-pinned build';

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

test('the register lists the lab components, keeps trust and notes across a restart and carries them into every export', async ({ page, lab }) => {
  test.setTimeout(240_000);
  const dataDir = await mkdtemp(join(tmpdir(), 'blast-radius-register-'));
  let server = await startServer(lab.sshConfigPath, dataDir);
  const rows = page.getByTestId('register-row');
  const row = (role: string, kind: string) => page.locator(`[data-testid="register-row"][data-role="${role}"][data-kind="${kind}"]`);
  // The lab has more than one litellm container: the running gateway is the one named litellm.
  const gateway = row('gateway', 'litellm').filter({ has: page.getByText('litellm on gw', { exact: true }) });
  try {
    await page.goto(server.url);
    await waitForApp(page);
    await page.getByTestId('nav-register').click();
    await expect(page.getByTestId('register-empty')).toBeVisible();

    const hosts = new HostsPage(page);
    await hosts.show();
    await hosts.pick(SCANNED);
    await hosts.scan();
    await hosts.waitUntilFinished(SCANNED);

    await page.getByTestId('nav-register').click();
    await expect(gateway).toHaveCount(1);
    await expect(row('model-server', 'ollama')).not.toHaveCount(0);
    await expect(row('agent-app', 'open-webui')).toHaveCount(1);
    // The gateway is the lab's litellm container: its image from ghcr.io by a tag, litellm 1.82.8 inside, installed by pip.
    await expect(gateway.getByTestId('register-installed-by')).toHaveText('image');
    await expect(gateway.getByTestId('register-source')).toHaveText('ghcr.io');
    await expect(gateway.getByTestId('register-pinning')).toHaveText('tag');
    await expect(gateway.getByTestId('register-version')).toHaveText('1.82.8');
    await expect(gateway).toContainText('INSTALLER: pip');
    await expect(gateway).toContainText('https://pypi.org/project/litellm/ (Home-page)');
    // open-webui is deployed by digest.
    await expect(row('agent-app', 'open-webui').getByTestId('register-pinning')).toHaveText('digest');
    for (const trust of await rows.getByTestId('register-trust').all()) await expect(trust).toHaveValue('');

    await gateway.getByTestId('register-trust').selectOption('distrusted');
    await expect(gateway.getByTestId('register-annotated-at')).toBeVisible();
    await gateway.getByTestId('register-note').fill(`${NOTE}. Old key was ${PASTED_KEY}`);
    await gateway.getByTestId('register-note').blur();
    const journal = new JournalPage(page);
    await journal.show();
    await expect.poll(() => journal.kinds()).toEqual(['scan', 'register', 'register']);
    await expect(journal.entries().last()).not.toContainText(PASTED_KEY);

    await page.getByTestId('nav-register').click();
    await page.mouse.move(0, 0);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: screenshot('register'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: screenshot('register-dark'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    // A restart on the same case folder: the trust level and note are read back from the case.
    await stop(server.child);
    server = await startServer(lab.sshConfigPath, dataDir);
    await page.goto(server.url);
    await waitForApp(page);
    await page.getByTestId('nav-register').click();
    await expect(gateway.getByTestId('register-trust')).toHaveValue('distrusted');
    await expect(gateway.getByTestId('register-note')).toHaveValue(`${NOTE}. Old key was ${PASTED_KEY}`);
    await expect(row('agent-app', 'open-webui').getByTestId('register-trust')).toHaveValue('');

    for (const format of EXPORT_FORMATS) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${format}`).click()]);
      const bytes = await readFile((await download.path())!);
      // The PDF's narrow table cells wrap words anywhere: its text is compared without whitespace.
      const squeeze = (value: string) => (format === 'pdf' ? value.replace(/\s+/g, '') : value);
      const text = squeeze(format === 'pdf' ? (await pdfText(bytes)).text : bytes.toString('utf8'));
      for (const needle of ['distrusted', 'replace with a digest-pinned build', 'open-webui', '[redacted openai:']) expect(text, format).toContain(squeeze(needle));
      expect(text.includes(PASTED_KEY) || text.replace(/\s+/g, '').includes(PASTED_KEY), format).toBe(false);
    }
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
    expect(await lab.trippedTraps()).toEqual([]);
  } finally {
    await stop(server.child);
  }
});
