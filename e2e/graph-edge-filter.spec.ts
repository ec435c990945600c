/**
 * Filters of the blast-radius graph by edge kind, in the real UI over the lab: the legend's edge
 * entries are switches; turning a kind off (by keyboard) removes exactly its edges from the canvas
 * and leaves every node where it stood, the choice survives a trip to another view, the option to
 * hide stranded nodes takes the keys away with their edges, and turning kinds back on restores the
 * picture as it was. Screenshots land in test-results/ (docs/screenshots/ only by `npm run screenshots`).
 */
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { GraphPage, HostsPage } from './pages/app-page.js';

const SCANNED = ['gw', 'ollama', 'nodocker', 'unreachable'];
const SCREENSHOT_FOLDER = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' ? '../docs/screenshots/' : '../test-results/screenshots/';
const screenshot = (name: string) => fileURLToPath(new URL(`${SCREENSHOT_FOLDER}${name}.png`, import.meta.url));

/** How many edges of each style the canvas draws, by their `edge-*` class. */
async function edgeCounts(page: Page): Promise<Record<string, number>> {
  return page.locator('.react-flow__edge').evaluateAll((edges) => {
    const counts: Record<string, number> = {};
    for (const edge of edges) {
      const style = [...edge.classList].find((name) => name.startsWith('edge-'))!.slice(5);
      counts[style] = (counts[style] ?? 0) + 1;
    }
    return counts;
  });
}

/** Where each node stands, by its test id. */
async function nodePlaces(page: Page): Promise<Record<string, string>> {
  return page.locator('.react-flow__node').evaluateAll((nodes) =>
    Object.fromEntries(nodes.map((node) => [node.querySelector('[data-testid^="graph-node-"]')?.getAttribute('data-testid') ?? node.getAttribute('data-id'), (node as HTMLElement).style.transform])),
  );
}

test('edge kinds switch off and on from the legend, by keyboard, and stay switched while the user works', async ({ page, app }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const hosts = new HostsPage(page);
  const graph = new GraphPage(page);
  await app.open(page);
  await hosts.pick(SCANNED);
  await hosts.scan();
  await hosts.waitUntilFinished(SCANNED);
  await graph.show();

  const before = await edgeCounts(page);
  const placesBefore = await nodePlaces(page);
  const keysBefore = await page.locator('.blast-node.kind-key').count();
  // The lab's keys are held by places and authenticate to providers; its consumers reach the gateway.
  expect(before['holds']).toBeGreaterThan(0);
  expect(before['authenticates']).toBeGreaterThan(0);
  expect(before['consumes']).toBeGreaterThan(0);
  expect(keysBefore).toBeGreaterThan(0);
  // One switch per edge style drawn, all on.
  for (const style of Object.keys(before)) await expect(page.getByTestId(`edge-filter-${style}`), style).toBeChecked();

  // Off by keyboard: focus the switch, Space.
  const holds = page.getByTestId('edge-filter-holds');
  await holds.focus();
  await page.keyboard.press('Space');
  await expect(holds).not.toBeChecked();
  await expect.poll(() => edgeCounts(page)).toEqual({ ...withoutKey(before, 'holds') });
  // Nothing else moved or vanished: the filter hides, it does not lay out again.
  expect(await nodePlaces(page)).toEqual(placesBefore);
  await expect(page.getByTestId('legend-edge-holds')).toHaveClass(/edge-off/);

  // Kept while the user works: to the findings and back, still off.
  await page.getByTestId('nav-findings').click();
  await graph.show();
  await expect(page.getByTestId('edge-filter-holds')).not.toBeChecked();
  expect(await edgeCounts(page)).toEqual(withoutKey(before, 'holds'));

  // With key-to-provider edges off too and stranded nodes hidden, the keys go with their edges.
  await page.getByTestId('edge-filter-authenticates').click();
  await expect.poll(() => edgeCounts(page)).toEqual(withoutKey(withoutKey(before, 'holds'), 'authenticates'));
  expect(await page.locator('.blast-node.kind-key').count()).toBe(keysBefore);
  await page.getByTestId('edge-filter-stranded').check();
  await expect(page.locator('.blast-node.kind-key')).toHaveCount(0);
  await expect(page.locator('.blast-node.kind-host').first()).toBeVisible();
  await page.screenshot({ path: screenshot('graph-edge-filter') });

  // One kind back on brings back exactly its edges (and, with them, the keys that have one).
  await page.getByTestId('edge-filter-holds').click();
  await expect.poll(() => edgeCounts(page)).toEqual(withoutKey(before, 'authenticates'));
  await expect(page.locator('.blast-node.kind-key')).toHaveCount(keysBefore);

  // Show all: the picture as it was.
  await page.getByTestId('edge-filter-show-all').click();
  await expect.poll(() => edgeCounts(page)).toEqual(before);
  expect(await nodePlaces(page)).toEqual(placesBefore);
  await expect(page.getByTestId('edge-filter-show-all')).toHaveCount(0);
});

function withoutKey(counts: Record<string, number>, key: string): Record<string, number> {
  const { [key]: _gone, ...rest } = counts;
  return rest;
}
