/**
 * Theme and keyboard over the e2e lab: the dark scheme the OS asks for darkens every view (no white
 * box left), Tab reaches a graph node and shows its ring, Enter opens its evidence, Escape cancels
 * a dialog with focus kept inside it, charts are no tab stop, the nav folds at 1024×700 where no
 * view scrolls sideways, and the findings search narrows the table. Screenshots of every view in
 * both themes at 1440×900 and 1024×700 (written to docs/screenshots/views/ only by `npm run screenshots`).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { askingSshConfig, expect, startServer, test, waitForApp } from './fixtures.js';
import { FindingsPage, GraphPage, HostsPage } from './pages/app-page.js';
// The app's own list of views: a view added to the nav is themed, fitted and photographed here without a second list to keep.
import { VIEWS, type View } from '../renderer/store/ui-slice.js';

const SCREENSHOT_FOLDER = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' ? '../docs/screenshots/views/' : '../test-results/screenshots/views/';
const screenshot = (name: string) => fileURLToPath(new URL(`${SCREENSHOT_FOLDER}${name}.png`, import.meta.url));
const SCANNED = ['gw', 'ollama', 'nodocker', 'alpine', 'unreachable', 'wrongkey'];
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const;
const THEMES = ['light', 'dark'] as const;

/** Opens a view from the nav and waits until it has drawn (the graph: until its layout is done). */
async function showView(page: Page, view: View): Promise<void> {
  await page.getByTestId(`nav-${view}`).click();
  await expect(page.getByTestId(`view-${view}`)).toBeVisible();
  if (view === 'graph') await expect(page.getByTestId('graph-canvas')).toHaveAttribute('data-layout-ready', 'true');
}

/** WCAG relative luminance of a computed `rgb(…)` colour. */
const luminanceOf = (css: string) => {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).map(Number).map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};

/** Visible elements painted with a near-white background: in the dark theme, a box the palette missed. */
function whiteBoxes(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((element) => {
        const style = getComputedStyle(element);
        const match = /^rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)$/.exec(style.backgroundColor);
        if (!match || (match[4] !== undefined && Number(match[4]) < 0.5)) return false;
        const box = element.getBoundingClientRect();
        return Number(match[1]) > 230 && Number(match[2]) > 230 && Number(match[3]) > 230 && box.width > 4 && box.height > 4 && style.visibility !== 'hidden';
      })
      .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`),
  );
}

test('every view follows the OS theme, keeps to the window at 1024×700, and works from the keyboard', async ({ page, app }) => {
  test.setTimeout(300_000);
  const hosts = new HostsPage(page);
  const findings = new FindingsPage(page);
  const graph = new GraphPage(page);
  await app.open(page);
  await hosts.pick(SCANNED);
  await hosts.scan();
  await hosts.waitUntilFinished(SCANNED);
  await page.mouse.move(0, 0);

  // The OS says dark: the page is dark with light text, and no view keeps a white box.
  await page.emulateMedia({ colorScheme: 'dark' });
  const colours = await page.evaluate(() => ({ background: getComputedStyle(document.documentElement).backgroundColor, text: getComputedStyle(document.body).color }));
  expect(luminanceOf(colours.background)).toBeLessThan(0.05);
  expect(luminanceOf(colours.text)).toBeGreaterThan(0.7);
  for (const view of VIEWS) {
    await showView(page, view);
    if (view === 'findings') await findings.openTimeline();
    if (view === 'graph') {
      await graph.openEvidence('package', 'litellm 1.82.8');
      const canvas = await page.locator('.react-flow').evaluate((element) => getComputedStyle(element).backgroundColor);
      expect(luminanceOf(canvas)).toBeLessThan(0.05);
    }
    expect({ view, boxes: await whiteBoxes(page) }).toEqual({ view, boxes: [] });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  expect(luminanceOf(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor))).toBeGreaterThan(0.8);

  // Charts are pictures of what the page lists in text: never a tab stop.
  for (const view of ['findings', 'checklist'] as const) {
    await showView(page, view);
    await expect(page.locator('.recharts-wrapper').first()).toBeVisible();
    expect(await page.locator('.recharts-wrapper [tabindex]:not([tabindex="-1"])').count()).toBe(0);
  }

  // Keyboard on the graph: Tab reaches a node, which shows a ring; Escape closes the panel, Enter opens the node's evidence, Space too.
  await showView(page, 'graph');
  await page.getByTestId('nav-graph').focus();
  let onNode = false;
  for (let press = 0; press < 80 && !onNode; press += 1) {
    await page.keyboard.press('Tab');
    onNode = await page.evaluate(() => document.activeElement?.classList.contains('react-flow__node') ?? false);
  }
  expect(onNode).toBe(true);
  const ring = await page.evaluate(() => {
    const box = document.activeElement!.querySelector('.blast-node')!;
    const style = getComputedStyle(box);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(ring.style).toBe('solid');
  expect(ring.width).toBeGreaterThanOrEqual(2);
  // The panel opened by the dark-theme pass is still open: Escape on the node closes it.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('evidence-panel')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('evidence-panel')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('evidence-panel')).toHaveCount(0);
  expect(await page.evaluate(() => document.activeElement?.classList.contains('react-flow__node'))).toBe(true);
  await page.keyboard.press(' ');
  await expect(page.getByTestId('evidence-panel')).toBeVisible();

  // The findings table comes first and its search narrows it: by a path, by a host, by nothing.
  await showView(page, 'findings');
  const all = await findings.rows().count();
  await findings.search('SYSMON.service');
  await expect(findings.rows()).not.toHaveCount(all);
  await expect(findings.rows()).not.toHaveCount(0);
  for (const row of await findings.rows().all()) await expect(row).toContainText('nodocker');
  await findings.search('no finding mentions this');
  await expect(findings.rows()).toHaveCount(0);
  await expect(page.getByTestId('findings-none')).toBeVisible();
  await page.getByTestId('filter-clear').click();
  await expect(findings.rows()).toHaveCount(all);
  // The timeline's ticks never repeat ("Mar 24 Mar 24 Mar 24").
  await findings.openTimeline();
  const tickTexts = page.locator('.timeline-plot .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value');
  await expect(tickTexts.first()).toBeVisible();
  const ticks = await tickTexts.allTextContents();
  expect(ticks.length).toBeGreaterThan(1);
  expect(new Set(ticks).size).toBe(ticks.length);

  // 1024×700: the nav folds by itself and unfolds on request; no view scrolls sideways in either theme.
  await page.setViewportSize({ width: 1024, height: 700 });
  await expect(page.getByTestId('nav')).toHaveAttribute('data-folded', 'true');
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    for (const view of VIEWS) {
      await showView(page, view);
      if (view === 'findings') await findings.openTimeline();
      const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
      expect({ theme, view, fits: widths.page <= widths.window }).toEqual({ theme, view, fits: true });
    }
  }
  await page.getByTestId('nav-fold').click();
  await expect(page.getByTestId('nav')).toHaveAttribute('data-folded', 'false');
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.getByTestId('nav-fold').click();
  await expect(page.getByTestId('nav')).toHaveAttribute('data-folded', 'true');

  // Every view in both themes at both sizes.
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      for (const view of VIEWS) {
        await showView(page, view);
        await page.mouse.move(0, 0);
        await page.screenshot({ path: screenshot(`${view}-${theme}-${size.width}`) });
      }
    }
  }
  // The findings view's timeline, opened, in both themes.
  await page.setViewportSize(SIZES[0]);
  await showView(page, 'findings');
  await findings.openTimeline();
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    await findings.timeline().scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshot(`findings-timeline-${theme}-${SIZES[0].width}`) });
  }
});

test('a dialog is a modal that keeps focus inside and closes on Escape', async ({ page, lab }) => {
  // The host-key question: the lab's config, with an empty known_hosts and StrictHostKeyChecking ask.
  const folder = await mkdtemp(join(tmpdir(), 'blast-radius-dialog-'));
  const server = await startServer(await askingSshConfig(lab, folder), join(folder, 'case'));
  try {
    const hosts = new HostsPage(page);
    await page.goto(server.url);
    await waitForApp(page);
    await hosts.pick(['alpine']);
    await hosts.scan();
    const dialog = page.getByTestId('hostkey-dialog');
    await expect(dialog).toBeVisible();
    expect(await dialog.evaluate((element) => element instanceof HTMLDialogElement && element.open && element.matches(':modal'))).toBe(true);
    // Focus starts inside and Tab cycles within it: the page behind is inert.
    for (let press = 0; press < 6; press += 1) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    // Escape answered the question as Reject does: the host is not trusted, so its scan fails.
    await expect(hosts.progress('alpine')).toHaveAttribute('data-phase', 'failed');
  } finally {
    server.child.kill('SIGTERM');
  }
});
