/**
 * The case's journal as the user sees it: after a scan of lab hosts, a tick, a note and an export,
 * the Journal view lists them in that order with what each did, and the contain phase's burndown
 * has come down by the step ticked. After a reload (the journal is read from the case folder) the
 * same entries are listed.
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.js';
import { ChecklistPage, HostsPage, JournalPage } from './pages/app-page.js';

const SCANNED = ['gw', 'nodocker', 'unreachable'];
const SCREENSHOT_FOLDER = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' ? '../docs/screenshots/' : '../test-results/screenshots/';
const screenshot = (name: string) => fileURLToPath(new URL(`${SCREENSHOT_FOLDER}${name}.png`, import.meta.url));

test('the journal lists a scan, a tick, a note and an export in order, and the burndown follows the tick', async ({ page, app }) => {
  const hosts = new HostsPage(page);
  const checklist = new ChecklistPage(page);
  const journal = new JournalPage(page);
  await app.open(page);
  await journal.show();
  await expect(page.getByTestId('journal-empty')).toBeVisible();

  await hosts.show();
  await hosts.pick(SCANNED);
  await hosts.scan();
  await hosts.waitUntilFinished(SCANNED);

  await checklist.show();
  const isolate = checklist.step(/Isolate gw/);
  // The tick shows once the backend has stored it, so click and wait rather than check().
  await checklist.checkbox(isolate).click();
  await expect(checklist.checkbox(isolate)).toBeChecked();
  // The nav counts the plan: the step ticked, of all of them (again after the reload below).
  const steps = Number(/of (\d+) steps/.exec((await page.getByTestId('checklist-summary').textContent()) ?? '')?.[1]);
  expect(steps).toBeGreaterThan(1);
  await expect(page.getByTestId('nav-plan-count')).toHaveText(`1/${steps}`);
  await checklist.note(isolate).fill('pulled the cable at 10:05');
  await checklist.note(isolate).blur();

  // The note is saved when the journal lists it; the export, made from the journal view, then joins the list.
  await journal.show();
  await expect.poll(() => journal.kinds()).toEqual(['scan', 'tick', 'note']);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-html').click()]);
  await expect(journal.entries()).toHaveCount(4);
  expect(await journal.kinds()).toEqual(['scan', 'tick', 'note', 'export']);
  const [scan, tick, note, exported] = [0, 1, 2, 3].map((index) => journal.entries().nth(index));
  await expect(scan!).toContainText(`Scanned 3 hosts: ${SCANNED.join(', ')}`);
  await expect(scan!).toContainText(/not fully read: .*unreachable \(unreachable\)/);
  await expect(tick!).toContainText('Contain: Isolate gw');
  await expect(note!).toContainText('pulled the cable at 10:05');
  await expect(exported!).toContainText(download.suggestedFilename());
  // The contain phase was all open at the scan; one step fewer after the tick.
  const containFigures = page.getByTestId('journal-burndown-contain-figures');
  await expect(containFigures).toContainText(/^1 of \d+ done/);
  await expect(journal.burndown('contain').locator('.recharts-area-curve')).toHaveCount(1);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: screenshot('journal'), fullPage: true });

  await page.reload();
  await page.waitForSelector('body[data-app-ready="true"]');
  await expect(page.getByTestId('nav-plan-count')).toHaveText(`1/${steps}`);
  await journal.show();
  expect(await journal.entries().count()).toBe(4);
  expect(await journal.kinds()).toEqual(['scan', 'tick', 'note', 'export']);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});
