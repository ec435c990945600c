/**
 * The app's known-good import: after a scan of gw (whose litellm container holds 1.82.8 with
 * litellm_init.pth in its own RECORD and a proxy_server.py edited after install), the owner imports
 * a clean wheel of 1.82.8 written here from the Inventory view; the main process reads it, the
 * report is judged again, and the Findings view lists the container's copy as differing from it.
 * The wheel and the case survive a reload.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeWheelWithRecord } from '../electron/known-good/fixtures/archive-writers.js';
import { expect, test } from './fixtures.js';
import { LITELLM_1_82_8_CLEAN } from './lab/lab-hosts.js';
import { distributionWheelFiles } from './lab/rootfs.js';
import { FindingsPage, HostsPage, InventoryPage } from './pages/app-page.js';

const SCREENSHOT_FOLDER = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' ? '../docs/screenshots/' : '../test-results/screenshots/';
const screenshot = (name: string) => fileURLToPath(new URL(`${SCREENSHOT_FOLDER}${name}.png`, import.meta.url));
const FINDING = 'artifact-mismatch:known-good:gw:container=litellm:/usr/local/lib/python3.11/site-packages:litellm@1.82.8';

test('a known-good wheel imported in the app flags the container copy that differs from it', async ({ page, app, lab }) => {
  const folder = await mkdtemp(join(tmpdir(), 'known-good-spec-'));
  const wheel = join(folder, 'litellm-1.82.8-py3-none-any.whl');
  await writeFile(wheel, writeWheelWithRecord(distributionWheelFiles(LITELLM_1_82_8_CLEAN), 'litellm-1.82.8.dist-info'));
  const hosts = new HostsPage(page);
  const inventory = new InventoryPage(page);
  const findings = new FindingsPage(page);
  await app.open(page);
  await hosts.show();
  await hosts.pick(['gw']);
  await hosts.scan();
  await hosts.waitUntilFinished(['gw']);

  await inventory.show();
  await expect(page.getByTestId('known-good-none')).toBeVisible();
  await page.getByTestId('known-good-file').setInputFiles(wheel);

  await expect(page.getByTestId('known-good-list')).toContainText('litellm 1.82.8');
  await expect(page.getByTestId('known-good-notice')).toContainText('Imported litellm-1.82.8-py3-none-any.whl');
  await page.mouse.move(0, 0);
  await page.getByTestId('known-good-panel').screenshot({ path: screenshot('known-good') });

  await findings.show();
  const row = findings.finding(FINDING);
  await expect(row).toBeVisible();
  await expect(row).toContainText('differs from the known-good wheel');
  await page.reload();
  await inventory.show();
  await expect(page.getByTestId('known-good-list')).toContainText('litellm-1.82.8-py3-none-any.whl');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(await lab.trippedTraps()).toEqual([]);
});
