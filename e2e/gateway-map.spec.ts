/**
 * The gateway map in the real UI: over the lab, every consumer the lab plants and the log-only
 * client no scan accounts for, with the keyboard opening their evidence; over a synthetic report
 * of 50 consumers, readable without zooming at 1440×900 (text at 11 px or more, names whole, rows
 * apart). Screenshots at 1440×900 and 1024×700 (written to docs/screenshots/ only by
 * `npm run screenshots`).
 */
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { manyConsumersReport, UNKNOWN_CLIENTS } from '../shared/fixtures/many-consumers.js';
import { expect, serveReport, test, waitForApp } from './fixtures.js';
import { HostsPage } from './pages/app-page.js';
import { GatewayMapPage } from './pages/gateway-map-page.js';

const SCREENSHOT_FOLDER = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' ? '../docs/screenshots/' : '../test-results/screenshots/';
const screenshot = (name: string) => fileURLToPath(new URL(`${SCREENSHOT_FOLDER}${name}.png`, import.meta.url));
const LITELLM = 'gateway:gw:container=litellm';
const SIZES = [
  { name: '1440x900', width: 1440, height: 900 },
  { name: '1024x700', width: 1024, height: 700 },
] as const;

test('the gateway map shows every consumer the lab plants and the log-only client, and Enter opens their evidence', async ({ page, app }) => {
  const hosts = new HostsPage(page);
  const gateways = new GatewayMapPage(page);
  const scanned = ['gw', 'ollama', 'nodocker'];
  await app.open(page);
  await hosts.pick(scanned);
  await hosts.scan();
  await hosts.waitUntilFinished(scanned);

  await gateways.show();
  const litellm = gateways.map(LITELLM);

  // e2e/lab/README.md "The gateway and who uses it": open-webui on gw's network, chat-app on
  // ollama through the published port, the agent behind nodocker's llm-tunnel, 10.66.0.23 (in the
  // access log and the database's spend log), and 10.66.0.77 (only in the spend log).
  await expect(gateways.consumer(litellm, { name: 'open-webui', host: 'gw', kind: 'container', edge: 'shared-network' })).toHaveCount(1);
  await expect(gateways.consumer(litellm, { host: 'ollama', edge: 'published-port' })).toHaveCount(1);
  await expect(gateways.consumer(litellm, { host: 'nodocker', edge: 'ssh-tunnel' })).toHaveCount(1);
  const stranger = gateways.consumer(litellm, { name: '10.66.0.23', kind: 'log-client', edge: 'gateway-log' });
  await expect(stranger).toHaveCount(1);
  await expect(stranger.getByTestId('gwmap-requests')).toHaveText('2 req');
  const databaseOnly = gateways.consumer(litellm, { name: '10.66.0.77', kind: 'log-client', edge: 'gateway-db' });
  await expect(databaseOnly).toHaveCount(1);
  await expect(databaseOnly.getByTestId('gwmap-requests')).toHaveText('1 req');
  await expect(gateways.consumers(litellm)).toHaveCount(5);
  // Each edge is labelled with its evidence: open-webui's env URL, network, its connection in litellm's /proc and its log lines.
  await expect(gateways.consumer(litellm, { name: 'open-webui' }).getByTestId('gwmap-evidence')).toHaveText(['env URL', 'shared network', 'live connection', 'gateway log', 'gateway database']);
  await expect(gateways.consumer(litellm, { name: 'open-webui' }).getByTestId('gwmap-requests')).toHaveText('3 req');
  await expect(litellm.getByTestId('gwmap-backend')).not.toHaveCount(0);
  await expect(litellm.getByTestId('gwmap-summary')).toContainText('2 unidentified clients');

  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshot(`gateway-map-${size.name}`) });
  }

  // Keyboard: a consumer is a button; Enter opens its evidence (the graph's panel, or its own lines).
  await stranger.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('gwmap-inline-evidence')).toContainText('2 requests from 10.66.0.23');
  await gateways.consumer(litellm, { name: 'open-webui' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('evidence-panel')).toBeVisible();
  await expect(page.getByTestId('evidence-title')).toHaveText('open-webui');
  await expect(page.getByTestId('gwmap-inline-evidence')).toHaveCount(0);
});

test('50 consumers of one gateway are readable without zooming at 1440×900', async ({ page }) => {
  const served = await serveReport(manyConsumersReport(50), 'gwmap');
  try {
    const gateways = new GatewayMapPage(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(served.url);
    await waitForApp(page);
    await gateways.show();
    const litellm = gateways.map('gateway:gw/litellm');
    await expect(gateways.consumers(litellm)).toHaveCount(50 + UNKNOWN_CLIENTS.length);

    const figures = await readability(page);
    console.log(`gateway map, 50 consumers at 1440×900: ${JSON.stringify(figures)}`);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshot('gateway-map-50-1440x900') });

    expect(figures.smallestTextPx).toBeGreaterThanOrEqual(11);
    expect(figures.truncatedNames).toEqual([]);
    expect(figures.overlappingRows).toBe(0);
    expect(figures.sidewaysScroll).toBe(false);
    expect(figures.edges).toBe(50 + UNKNOWN_CLIENTS.length + (await litellm.getByTestId('gwmap-backend').count()));
    await page.setViewportSize({ width: 1024, height: 700 });
    const narrow = await readability(page);
    console.log(`gateway map, 50 consumers at 1024×700: ${JSON.stringify(narrow)}`);
    await page.screenshot({ path: screenshot('gateway-map-50-1024x700') });
    expect(narrow.sidewaysScroll).toBe(false);
    expect(narrow.smallestTextPx).toBeGreaterThanOrEqual(11);
  } finally {
    await served.stop();
  }
});

/** What the map looks like on screen: its smallest text, names cut short, rows on top of each other, rows in the first screen. */
async function readability(page: Page) {
  return page.evaluate(() => {
    const map = document.querySelector('[data-testid="gwmap"]')!;
    const texts = [...map.querySelectorAll<HTMLElement>('*')].filter((element) =>
      [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim() !== ''),
    );
    const rows = [...map.querySelectorAll<HTMLElement>('[data-testid="gwmap-consumer"]')].map((row) => row.getBoundingClientRect());
    const content = document.querySelector<HTMLElement>('.content')!;
    return {
      smallestTextPx: Math.min(...texts.map((element) => parseFloat(getComputedStyle(element).fontSize))),
      truncatedNames: [...map.querySelectorAll<HTMLElement>('.gwmap-consumer .gwmap-name')].filter((name) => name.scrollWidth > name.clientWidth).map((name) => name.textContent),
      overlappingRows: rows.filter((row, index) => index > 0 && row.top < rows[index - 1]!.bottom).length,
      rowPitchPx: rows.length > 1 ? Math.round(rows[1]!.top - rows[0]!.top) : 0,
      rowsInFirstScreen: rows.filter((row) => row.top >= 0 && row.bottom <= window.innerHeight).length,
      mapHeightPx: Math.round(map.getBoundingClientRect().height),
      edges: map.querySelectorAll('.gwmap-edges path').length,
      // The map itself: wider than its card, or running past the window's right edge.
      sidewaysScroll: map.scrollWidth > map.clientWidth || map.getBoundingClientRect().right > window.innerWidth,
      pageSidewaysScroll: content.scrollWidth > content.clientWidth || document.documentElement.scrollWidth > window.innerWidth,
    };
  });
}
