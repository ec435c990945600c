/**
 * The blast-radius graph as an overview, in the real UI over the lab: every node kind, status and
 * edge style drawn has a legend entry (read from the DOM); node text reads at 11 px or more on
 * screen at fit; selecting a key lists the chain from the compromised package to it and
 * highlights it; search by name and by fingerprint focuses a node; a provider lists its keys and
 * their rotate steps. Screenshots land in test-results/ (docs/screenshots/ only by `npm run screenshots`).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { manyConsumersReport } from '../shared/fixtures/many-consumers.js';
import { expect, startServer, test, waitForApp } from './fixtures.js';
import { GraphPage, HostsPage } from './pages/app-page.js';

const SCANNED = ['gw', 'ollama', 'nodocker', 'unreachable'];
const SCREENSHOT_FOLDER = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' ? '../docs/screenshots/' : '../test-results/screenshots/';
const screenshot = (name: string) => fileURLToPath(new URL(`${SCREENSHOT_FOLDER}${name}.png`, import.meta.url));

/** The zoom of the graph's viewport, from its CSS transform. */
async function zoomOf(page: Page): Promise<number> {
  return page.locator('.react-flow__viewport').evaluate((viewport) => new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a);
}

/** Every piece of node text shown (not display:none), with its on-screen font size: computed size × viewport zoom. */
async function shownTextSizes(page: Page): Promise<Array<{ text: string; px: number }>> {
  const zoom = await zoomOf(page);
  return page.locator('.react-flow__node').evaluateAll(
    (nodes, zoom) =>
      nodes.flatMap((node) =>
        [...node.querySelectorAll<HTMLElement>('.blast-node-kind, .blast-node-status, .blast-node-label, .blast-node-detail, .blast-mark')]
          .filter((element) => element.getClientRects().length > 0)
          .map((element) => ({ text: element.textContent ?? '', px: parseFloat(getComputedStyle(element).fontSize) * zoom })),
      ),
    zoom,
  );
}

/** True when the element's box lies inside the graph canvas. */
async function insideCanvas(page: Page, element: Locator): Promise<boolean> {
  const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
  const box = (await element.boundingBox())!;
  return box.x >= canvas.x - 1 && box.y >= canvas.y - 1 && box.x + box.width <= canvas.x + canvas.width + 1 && box.y + box.height <= canvas.y + canvas.height + 1;
}

/** Waits until the viewport stops moving (focusing animates for a quarter second). */
async function settled(page: Page): Promise<void> {
  let last = '';
  await expect
    .poll(async () => {
      const now = await page.locator('.react-flow__viewport').evaluate((viewport) => getComputedStyle(viewport).transform);
      const same = now === last;
      last = now;
      return same;
    })
    .toBe(true);
}

test('the graph is an overview: a legend for all it draws, legible at fit, why each node is there, and search', async ({ page, app }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const hosts = new HostsPage(page);
  const graph = new GraphPage(page);
  await app.open(page);
  await hosts.pick(SCANNED);
  await hosts.scan();
  await hosts.waitUntilFinished(SCANNED);
  await graph.show();
  await settled(page);

  // Every node kind, node status and edge style on the canvas has its legend entry.
  const drawn = await page.locator('.react-flow').evaluate((flow) => ({
    kinds: [...new Set([...flow.querySelectorAll('.blast-node')].map((node) => [...node.classList].find((name) => name.startsWith('kind-'))!.slice(5)))],
    statuses: [...new Set([...flow.querySelectorAll('.blast-node')].map((node) => node.getAttribute('data-status')!))],
    edges: [...new Set([...flow.querySelectorAll('.react-flow__edge')].map((edge) => [...edge.classList].find((name) => name.startsWith('edge-'))!.slice(5)))],
  }));
  // The lab draws keys, providers, a tunnel, gateway routes, consumers, a lateral path and the compromise itself.
  expect(drawn.kinds).toEqual(expect.arrayContaining(['host', 'container', 'environment', 'package', 'key', 'provider', 'tunnel']));
  expect(drawn.edges).toEqual(expect.arrayContaining(['compromised', 'holds', 'authenticates', 'routes', 'consumes', 'lateral']));
  for (const kind of drawn.kinds) await expect(page.getByTestId(`legend-node-${kind}`), kind).toBeVisible();
  for (const status of drawn.statuses) await expect(page.getByTestId(`legend-status-${status}`), status).toBeVisible();
  for (const style of drawn.edges) await expect(page.getByTestId(`legend-edge-${style}`), style).toBeVisible();

  await page.screenshot({ path: screenshot('graph-overview') });
  // At fit, every node is in the canvas and all node text shown reads at 11 px or more on screen.
  const nodeCount = await page.locator('.react-flow__node').count();
  expect(nodeCount).toBeLessThanOrEqual(100);
  const sizes = await shownTextSizes(page);
  expect(sizes.filter((size) => size.text.trim() !== '').length).toBeGreaterThanOrEqual(nodeCount);
  const smallest = Math.min(...sizes.map((size) => size.px));
  expect(sizes.filter((size) => size.px < 11), `text under 11 px at zoom ${await zoomOf(page)}`).toEqual([]);
  // The whole graph when it fits at a legible zoom; a taller one starts at its top, a pan away from the rest.
  const inside = await Promise.all((await page.locator('.react-flow__node').all()).map((node) => insideCanvas(page, node)));
  if (inside.includes(false)) {
    expect(await zoomOf(page)).toBeCloseTo(0.45, 2);
    const topmost = await page.locator('.react-flow__node').evaluateAll((nodes) => nodes.reduce((best, node, index, all) => (node.getBoundingClientRect().top < all[best]!.getBoundingClientRect().top ? index : best), 0));
    expect(inside[topmost]).toBe(true);
  }
  test.info().annotations.push({ type: 'fit', description: `${nodeCount} nodes, zoom ${(await zoomOf(page)).toFixed(2)}, smallest text ${smallest.toFixed(1)} px` });

  const atFit = await page.locator('.react-flow__viewport').evaluate((viewport) => getComputedStyle(viewport).transform);

  // Why is this key here: the chain from litellm 1.82.8 up through its container to the key, highlighted.
  const key = page.locator('[data-testid^="graph-node-key-openai"][data-status="reached"]').first();
  const keyLabel = (await key.locator('.blast-node-label').textContent())!;
  const panel = await graph.openEvidence('key', keyLabel);
  const chain = panel.getByTestId('evidence-chain-0');
  await expect(chain.getByTestId('chain-source')).toContainText('litellm 1.82.8');
  await expect(chain.getByTestId('chain-step').last()).toContainText(keyLabel);
  const steps = await chain.getByTestId('chain-step').allTextContents();
  expect(steps.some((step) => step.includes('holds'))).toBe(true);
  expect(await page.locator('.react-flow__node.on-chain').count()).toBeGreaterThanOrEqual(steps.length + 1);
  expect(await page.locator('.react-flow__edge.on-chain').count()).toBeGreaterThanOrEqual(steps.length);
  await expect(panel.getByTestId('copy-fingerprint')).toBeVisible();
  // The panel narrowed the canvas; the view followed, so the key is still in sight.
  await settled(page);
  expect(await insideCanvas(page, key)).toBe(true);
  await page.screenshot({ path: screenshot('graph-why-key') });

  // Closing the panel frames the graph again, as at first.
  await page.getByTestId('evidence-close').click();
  await expect(page.getByTestId('evidence-panel')).toHaveCount(0);
  await settled(page);
  expect(await page.locator('.react-flow__viewport').evaluate((viewport) => getComputedStyle(viewport).transform)).toBe(atFit);

  // Search by name: Enter selects the first match, centres and zooms to it.
  const search = page.getByTestId('graph-search');
  await search.fill('ollama');
  await expect(page.getByTestId('graph-search-results')).toBeVisible();
  await search.press('Enter');
  await expect(page.getByTestId('evidence-title')).toHaveText('ollama');
  await settled(page);
  const ollama = graph.node('host', 'ollama');
  expect(await insideCanvas(page, ollama)).toBe(true);
  expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.6);
  await expect(ollama).toHaveClass(/selected/);

  // Search by a piece of a fingerprint finds the key.
  await search.fill('');
  await graph.openEvidence('key', keyLabel);
  const fingerprint = (await page.getByTestId('copy-fingerprint').getAttribute('data-copy'))!;
  await page.getByTestId('evidence-close').click();
  await search.fill(fingerprint.slice(-10));
  await search.press('Enter');
  await expect(page.getByTestId('evidence-title')).toHaveText(keyLabel);

  // A provider lists its keys and their rotate steps instead of "No findings".
  await graph.openEvidence('provider', 'openai');
  const provider = page.getByTestId('evidence-provider-keys');
  await expect(provider).toBeVisible();
  await expect(provider.locator('[data-testid^="provider-key-"]').first()).toBeVisible();
  await expect(provider.getByTestId('provider-key-steps').first()).toBeVisible();
  await expect(page.getByTestId('evidence-no-findings')).toHaveCount(0);
  await settled(page);
  await page.screenshot({ path: screenshot('graph-provider') });
});

test('a homelab of about a hundred nodes reads at 11 px at fit, with idle containers folded into a count that unfolds', async ({ page }) => {
  // 40 consumers of the lab gateway (most as containers on gw, some on hosts of their own) and 25 idle containers on ollama.
  const report = manyConsumersReport(40);
  const ollama = report.hosts.find((host) => host.name === 'ollama')!;
  for (let index = 0; index < 25; index++) {
    ollama.containers.push({ id: `e${String(index).padStart(63, '0')}`, name: `idle-${index}`, image: `registry.example/idle-${index}:1`, imageDigest: null, running: true });
  }
  const folder = await mkdtemp(join(tmpdir(), 'blast-radius-graph-'));
  await writeFile(join(folder, 'ssh_config'), '');
  const dataDir = join(folder, 'case');
  await mkdir(dataDir);
  await writeFile(join(dataDir, 'report.json'), JSON.stringify(report));
  const server = await startServer(join(folder, 'ssh_config'), dataDir);
  try {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(server.url);
    await waitForApp(page);
    const graph = new GraphPage(page);
    await graph.show();
    await settled(page);

    const fold = graph.node('fold', '25 clean containers');
    await expect(fold).toBeVisible();
    const nodeCount = await page.locator('.react-flow__node').count();
    expect(nodeCount).toBeGreaterThan(50);
    expect(nodeCount).toBeLessThanOrEqual(100);
    await expect(page.getByTestId('legend-node-fold')).toBeVisible();
    const sizes = await shownTextSizes(page);
    expect(sizes.filter((size) => size.px < 11), `text under 11 px at zoom ${await zoomOf(page)}`).toEqual([]);
    test.info().annotations.push({ type: 'fit', description: `${nodeCount} nodes, zoom ${(await zoomOf(page)).toFixed(2)}, smallest text ${Math.min(...sizes.map((size) => size.px)).toFixed(1)} px` });
    await page.screenshot({ path: screenshot('graph-homelab') });

    // Clicking the fold shows its containers one by one.
    await fold.click();
    await expect(graph.node('container', 'idle-24')).toBeAttached();
    await expect(fold).toHaveCount(0);
  } finally {
    server.child.kill('SIGTERM');
  }
});
