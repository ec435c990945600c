/**
 * Several cases side by side on the browser host, against the lab: two cases keep separate scans
 * and plans (a host scanned and a step ticked in one are not in the other), and a restart of the
 * host keeps both, with the case that was open open again.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, startServer, test, waitForApp } from './fixtures.js';
import { ChecklistPage, HostsPage, InventoryPage } from './pages/app-page.js';
import { CasesPage } from './pages/cases-page.js';

const SCREENSHOT_FOLDER = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' ? '../docs/screenshots/' : '../test-results/screenshots/';
const screenshot = (name: string) => fileURLToPath(new URL(`${SCREENSHOT_FOLDER}${name}.png`, import.meta.url));
/** Pictures to look at while working, never written to the docs. */
const workScreenshot = (name: string) => fileURLToPath(new URL(`../test-results/screenshots/${name}.png`, import.meta.url));
const STOP_GW = 'Stop and remove container litellm on gw';

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function scan(page: Page, host: string): Promise<void> {
  const hosts = new HostsPage(page);
  await hosts.show();
  await hosts.pick([host]);
  await hosts.scan();
  await hosts.waitUntilFinished([host]);
}

test('two cases keep their own scans and plans, and a restart keeps both with the open case open', async ({ page, lab }) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'blast-radius-cases-'));
  let server = await startServer(lab.sshConfigPath, dataDir);
  const cases = new CasesPage(page);
  const checklist = new ChecklistPage(page);
  const inventory = new InventoryPage(page);
  try {
    await page.goto(server.url);
    await waitForApp(page);
    // A fresh start has one case, open.
    await expect(cases.openCaseName()).toHaveText('First case');
    await cases.rename('First case', 'Incident A');
    await expect(cases.openCaseName()).toHaveText('Incident A');

    // Case A: gw scanned, its container's stop step ticked.
    await scan(page, 'gw');
    await checklist.show();
    await checklist.checkbox(checklist.step(STOP_GW)).click();
    await expect(checklist.checkbox(checklist.step(STOP_GW))).toBeChecked();

    // Case B starts empty: no gw, no plan; nodocker scanned there.
    await cases.create('Incident B');
    await inventory.show();
    await expect(inventory.status('gw')).toHaveCount(0);
    await checklist.show();
    await expect(checklist.step(STOP_GW)).toHaveCount(0);
    await scan(page, 'nodocker');
    await inventory.show();
    await expect(inventory.status('nodocker')).toBeVisible();
    await expect(inventory.status('gw')).toHaveCount(0);

    // Back to A: gw and its tick, and not B's host.
    await cases.open('Incident A');
    await inventory.show();
    await expect(inventory.status('gw')).toBeVisible();
    await expect(inventory.status('nodocker')).toHaveCount(0);
    await checklist.show();
    await expect(checklist.checkbox(checklist.step(STOP_GW))).toBeChecked();

    await cases.open('Incident B');
    await cases.show();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshot('cases') });

    // A restart keeps both cases, and B is the open one again.
    await stop(server.child);
    server = await startServer(lab.sshConfigPath, dataDir);
    await page.goto(server.url);
    await waitForApp(page);
    await expect(cases.openCaseName()).toHaveText('Incident B');
    await inventory.show();
    await expect(inventory.status('nodocker')).toBeVisible();
    await expect(inventory.status('gw')).toHaveCount(0);
    await cases.open('Incident A');
    await inventory.show();
    await expect(inventory.status('gw')).toBeVisible();
    await checklist.show();
    await expect(checklist.checkbox(checklist.step(STOP_GW))).toBeChecked();
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
  } finally {
    await stop(server.child);
  }
});

test('archiving the open case leaves none open until another opens; an archived case comes back by unarchiving it', async ({ page, app }) => {
  const cases = new CasesPage(page);
  await app.open(page);
  await cases.create('Incident B');
  await cases.show();

  await cases.row('First case').getByTestId('case-archive').click();
  await expect(page.locator('[data-testid="case-archived-row"][data-case-name="First case"]')).toBeVisible();
  await cases.row('Incident B').getByTestId('case-archive').click();
  await expect(cases.openCaseName()).toHaveText('No case open');
  await expect(cases.openCaseName()).toHaveAttribute('data-open', 'false');
  await expect(page.getByTestId('cases-empty')).toBeVisible();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: workScreenshot('cases-archived') });

  // Nothing can be scanned into no case: the backend says why.
  const hosts = new HostsPage(page);
  await hosts.show();
  await hosts.pick(['gw']);
  await hosts.scan();
  await expect(page.getByTestId('error-banner')).toContainText('no case is open');

  await cases.show();
  await page.locator('[data-testid="case-archived-row"][data-case-name="First case"]').getByTestId('case-unarchive').click();
  await cases.open('First case');
  // At 1024 px the nav folds to a rail; the open case's initial stays in sight.
  await page.setViewportSize({ width: 1024, height: 700 });
  await expect(page.getByTestId('nav')).toHaveAttribute('data-folded', 'true');
  await expect(page.getByTestId('case-switcher')).toBeVisible();
  await expect(page.getByTestId('case-switcher')).toHaveAttribute('title', /First case/);
  // The switcher does not widen the 60 px rail (polled: the rail folds with a short transition).
  await expect.poll(async () => (await page.getByTestId('nav').boundingBox())?.width).toBeLessThanOrEqual(60);
  await page.screenshot({ path: workScreenshot('cases-rail') });
});
