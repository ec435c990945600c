/**
 * "Load advisories…" in the app: a checkout of an advisory database (a folder tree, on the machine
 * the browser host runs on) loaded in the Findings view flags a lab package no bundled advisory
 * covers, is listed with its source, stays with the case after a reload, and can be forgotten.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.js';
import { FindingsPage, HostsPage } from './pages/app-page.js';

const screenshot = (name: string) => fileURLToPath(new URL(`../test-results/screenshots/${name}.png`, import.meta.url));
/** nodocker carries openai 1.68.2 in its user site: this record (no bundled one) calls that release malicious. */
const RECORD = {
  id: 'MAL-2026-9902',
  modified: '2026-12-01T09:00:00Z',
  summary: 'Malicious code in openai (PyPI), a test record',
  affected: [{ package: { ecosystem: 'PyPI', name: 'openai' }, versions: ['1.68.2'] }],
};

test('loaded advisories flag what the bundled ones do not, are listed with their source, survive a reload and can be forgotten', async ({ page, app }) => {
  const tree = await mkdtemp(join(tmpdir(), 'blast-radius-advisory-db-'));
  await mkdir(join(tree, 'vulns', 'openai'), { recursive: true });
  await writeFile(join(tree, 'vulns', 'openai', `${RECORD.id}.json`), JSON.stringify(RECORD));
  const hosts = new HostsPage(page);
  const findings = new FindingsPage(page);
  await app.open(page);
  await hosts.show();
  await hosts.pick(['nodocker']);
  await hosts.scan();
  await hosts.waitUntilFinished(['nodocker']);
  await findings.show();
  const flagged = findings.rows().filter({ hasText: RECORD.id });
  await expect(page.getByTestId('advisories-status')).toContainText('the bundled ones only');
  await expect(flagged).toHaveCount(0);

  await page.getByTestId('advisories-path').fill(join(tree, 'no-such-folder'));
  await page.getByTestId('advisories-load').click();
  await expect(page.getByTestId('error-banner')).toContainText('cannot read advisories at');

  await page.getByTestId('advisories-path').fill(tree);
  await page.getByTestId('advisories-load').click();

  await expect(page.getByTestId('advisory-source')).toHaveCount(1);
  await expect(page.getByTestId('advisory-source')).toContainText(`${tree}`);
  await expect(page.getByTestId('advisory-source')).toContainText('folder: 1 record, modified 2026-12-01 to 2026-12-01');
  await expect(flagged).toHaveCount(1);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: screenshot('findings-loaded-advisories'), fullPage: false });

  await page.reload();
  await findings.show();
  await expect(page.getByTestId('advisory-source')).toHaveCount(1);
  await expect(flagged).toHaveCount(1);

  await page.getByTestId('advisory-source').getByRole('button', { name: 'Forget' }).click();
  await expect(page.getByTestId('advisory-source')).toHaveCount(0);
  await expect(flagged).toHaveCount(0);
});
