/**
 * Suppressions in the app: after a scan of lab hosts, a suppression file loaded in the Findings
 * view marks the findings it names (kept with the case: still there after a reload), the SARIF
 * export carries them as accepted suppressions, an expired entry says the finding is back, and a
 * bad file is refused with its problem while the case keeps what it had.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.js';
import { FindingsPage, HostsPage } from './pages/app-page.js';

const SCANNED = ['gw', 'nodocker'];
const screenshot = (name: string) => fileURLToPath(new URL(`../test-results/screenshots/${name}.png`, import.meta.url));
const file = (name: string, text: string) => ({ name, mimeType: 'application/yaml', buffer: Buffer.from(text, 'utf8') });
const ACCEPTED = 'suppressions:\n  - advisory: PYSEC-2026-2\n    reason: gateway rebuilt from a pinned image\n    expires: 2999-01-01\n';
const EXPIRED = 'suppressions:\n  - advisory: PYSEC-2026-2\n    reason: gateway rebuilt from a pinned image\n    expires: 2026-01-01\n';

test('a suppression file marks the findings it names, survives a reload, reaches the SARIF export, and expired entries say so', async ({ page, app }) => {
  const hosts = new HostsPage(page);
  const findings = new FindingsPage(page);
  await app.open(page);
  await hosts.show();
  await hosts.pick(SCANNED);
  await hosts.scan();
  await hosts.waitUntilFinished(SCANNED);
  await findings.show();
  const litellm = findings.rows().and(page.locator('[data-kind="compromised-package"]'));
  await expect(litellm).toHaveCount(2);
  await expect(page.getByTestId('suppressions-status')).toContainText('none');

  await page.getByTestId('suppressions-input').setInputFiles(file('accepted.yaml', ACCEPTED));

  await expect(page.getByTestId('suppressions-status')).toContainText('1 entry from accepted.yaml');
  await expect(page.getByTestId('suppressions-status')).toContainText('2 findings suppressed');
  for (const row of await litellm.all()) {
    await expect(row).toHaveAttribute('data-suppression', 'suppressed');
    await expect(row).toContainText('suppressed: gateway rebuilt from a pinned image (until 2999-01-01)');
  }
  // Marked, never hidden: every other finding is still listed.
  await expect(findings.rows().and(page.locator(':not([data-suppression])')).first()).toBeVisible();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: screenshot('findings-suppressed'), fullPage: false });

  await page.reload();
  await findings.show();
  await expect(page.getByTestId('suppressions-status')).toContainText('2 findings suppressed');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-sarif').click()]);
  const sarif = JSON.parse(await readFile((await download.path())!, 'utf8')) as { runs: Array<{ results: Array<{ suppressions?: Array<{ status: string; justification: string }> }> }> };
  expect(sarif.runs[0]!.results.filter((result) => result.suppressions?.[0]?.justification === 'gateway rebuilt from a pinned image')).toHaveLength(2);

  await page.getByTestId('suppressions-input').setInputFiles(file('broken.yaml', 'suppressions:\n  - advisory: PYSEC-2026-2\n'));
  await expect(page.getByTestId('error-banner')).toContainText('entry 1: reason is required');
  await expect(page.getByTestId('suppressions-status')).toContainText('from accepted.yaml');

  await page.getByTestId('suppressions-input').setInputFiles(file('expired.yaml', EXPIRED));
  await expect(page.getByTestId('suppressions-status')).toContainText('0 findings suppressed, 2 back (suppression expired)');
  for (const row of await litellm.all()) await expect(row).toContainText('suppression expired 2026-01-01: gateway rebuilt from a pinned image');

  await page.getByTestId('suppressions-clear').click();
  await expect(page.getByTestId('suppressions-status')).toContainText('none');
  await expect(page.locator('[data-suppression]')).toHaveCount(0);
});
