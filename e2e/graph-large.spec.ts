/**
 * A blast-radius graph too large for elkjs (2,500 nodes of a synthetic report, saved as a scan saves
 * it) in the browser host: React Flow mounts only the nodes in view, from the very first render (it
 * used to mount every node once to measure its handles, then cull), and the edges drawn on their
 * canvas follow the OS colour scheme when it flips while the graph is open.
 */
import { test as base } from '@playwright/test';
import { syntheticGraphReport } from '../shared/fixtures/synthetic-graph-report.js';
import { expect, serveReport, waitForApp } from './fixtures.js';

/** Past the view's elkjs limit (2,000 nodes), so the column layout is drawn in the first render. */
const SIZE = 2500;

const test = base.extend<{}, { largeCase: { url: string } }>({
  largeCase: [
    async ({}, use) => {
      const served = await serveReport(syntheticGraphReport(SIZE), 'large-graph');
      try {
        await use({ url: served.url });
      } finally {
        await served.stop();
      }
    },
    { scope: 'worker' },
  ],
});

test('a large graph mounts only the nodes in view, from its first render on', async ({ page, largeCase }) => {
  // The most graph nodes the DOM ever held at once, counted on every change from before the app starts.
  await page.addInitScript(() => {
    const seen = { most: 0 };
    (window as unknown as { __mostNodes: typeof seen }).__mostNodes = seen;
    new MutationObserver(() => {
      seen.most = Math.max(seen.most, document.querySelectorAll('.react-flow__node').length);
    }).observe(document, { subtree: true, childList: true });
  });
  await page.goto(largeCase.url);
  await waitForApp(page);
  await page.getByTestId('nav-graph').click();
  const canvas = page.getByTestId('graph-canvas');
  await expect(canvas).toHaveAttribute('data-layout-ready', 'true');
  await expect(canvas.locator('.react-flow__node').first()).toBeVisible();
  const total = Number(await canvas.getAttribute('data-node-count'));
  expect(total).toBeGreaterThan(2000);
  const inView = await canvas.locator('.react-flow__node').count();
  const most = await page.evaluate(() => (window as unknown as { __mostNodes: { most: number } }).__mostNodes.most);
  // A fitted view of a graph this size shows a few dozen nodes; never were all of them mounted.
  expect(inView).toBeLessThan(200);
  expect(most).toBeLessThan(200);
});

test('the edges of a large graph are redrawn in the colours of a scheme the OS switches to', async ({ page, largeCase }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(largeCase.url);
  await waitForApp(page);
  await page.getByTestId('nav-graph').click();
  await expect(page.getByTestId('graph-canvas')).toHaveAttribute('data-layout-ready', 'true');
  const edges = page.getByTestId('graph-edge-canvas');
  await expect(edges).toBeVisible();
  /** The colour a theme variable resolves to in the scheme now in force, as `[r, g, b]`. */
  const resolved = (variable: string) =>
    page.evaluate((name) => {
      const probe = document.createElement('span');
      probe.style.color = `var(${name})`;
      document.body.append(probe);
      const colour = getComputedStyle(probe).color.match(/\d+/g)!.slice(0, 3).map(Number);
      probe.remove();
      return colour;
    }, variable);
  /**
   * How many of the edge canvas's pixels are drawn in this colour, after the frames a change causes
   * have landed. A stroke on the transparent canvas keeps its colour at any coverage (the alpha
   * holds the coverage), so the mostly covered pixels are compared, with a little rounding slack.
   */
  const pixelsIn = (colour: number[]) =>
    page.evaluate(async ([red, green, blue]) => {
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const element = document.querySelector<HTMLCanvasElement>('[data-testid="graph-edge-canvas"]')!;
      const { data } = element.getContext('2d')!.getImageData(0, 0, element.width, element.height);
      let count = 0;
      for (let index = 0; index < data.length; index += 4) {
        const close = Math.abs(data[index]! - red!) <= 4 && Math.abs(data[index + 1]! - green!) <= 4 && Math.abs(data[index + 2]! - blue!) <= 4;
        if (data[index + 3]! >= 128 && close) count += 1;
      }
      return count;
    }, colour);
  // Containment of compromised code is the kind drawn most in this view (the synthetic hosts all carry some).
  const lightCompromise = await resolved('--compromised');
  expect(await pixelsIn(lightCompromise)).toBeGreaterThan(100);
  await page.emulateMedia({ colorScheme: 'dark' });
  const darkCompromise = await resolved('--compromised');
  expect(darkCompromise).not.toEqual(lightCompromise);
  await expect.poll(() => pixelsIn(darkCompromise)).toBeGreaterThan(100);
  expect(await pixelsIn(lightCompromise)).toBe(0);
});
