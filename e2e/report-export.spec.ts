/**
 * The app's export: after a scan of lab hosts, each export button under the nav saves the case's
 * report in its format, rendered by the main process. Each download is checked for what the
 * format promises (CycloneDX and SARIF against their published schemas; the PDF by its extracted
 * text) and searched for every planted secret value.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { REPORT_FORMATS, REPORT_RENDERERS } from '../shared/report-formats/index.js';
import { expect, test } from './fixtures.js';
import { leakNeedles, PLANTED_SECRETS } from './lab/planted-secrets.js';
import { HostsPage } from './pages/app-page.js';
import { cycloneDxValidator, sarifValidator, schemaErrors } from './schemas/validators.js';
import { pdfText } from './pdf-text.js';

const SCANNED = ['gw', 'nodocker', 'unreachable'];
const SCREENSHOT_FOLDER = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' ? '../docs/screenshots/' : '../test-results/screenshots/';
const screenshot = (name: string) => fileURLToPath(new URL(`${SCREENSHOT_FOLDER}${name}.png`, import.meta.url));

test('each export button saves the scanned case in its format, valid and without a secret value', async ({ page, app }) => {
  const hosts = new HostsPage(page);
  await app.open(page);
  await expect(page.getByTestId('export-report')).toHaveCount(0);

  await hosts.show();
  await hosts.pick(SCANNED);
  await hosts.scan();
  await hosts.waitUntilFinished(SCANNED);
  await expect(page.getByTestId('export-report')).toBeVisible();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: screenshot('export') });

  let htmlExport = '';
  const needles = Object.values(PLANTED_SECRETS).flatMap((secret) => [secret.value, ...secret.companions].flatMap((value) => leakNeedles(value)));
  for (const format of REPORT_FORMATS) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${format}`).click()]);
    expect(download.suggestedFilename(), format).toMatch(new RegExp(`^blast-radius-\\d{8}T\\d{6}Z\\.${REPORT_RENDERERS[format].extension.replace('.', '\\.')}$`));
    const text = await readFile((await download.path())!, 'utf8');

    expect(text, format).toContain('MAL-2026-2144');
    expect(text, format).toMatch(/blast-radius/);
    expect(needles.filter((needle) => text.includes(needle)), format).toEqual([]);
    if (format === 'cyclonedx') expect(schemaErrors(cycloneDxValidator(), JSON.parse(text))).toEqual([]);
    if (format === 'sarif') expect(schemaErrors(sarifValidator(), JSON.parse(text))).toEqual([]);
    if (format === 'html') expect(text).not.toMatch(/<script|<link|\ssrc=/i);
    if (format === 'html') htmlExport = text;
    if (format === 'json') expect((JSON.parse(text) as { hosts: Array<{ name: string }> }).hosts.map((host) => host.name).sort()).toEqual([...SCANNED].sort());
  }

  // On paper nothing runs past the right margin (a long digest or path would be cut off in the PDF):
  // laid out for print at A4's width less the stylesheet's margins (186 mm, 703 px), nothing scrolls sideways.
  const paper = await page.context().newPage();
  await paper.setViewportSize({ width: 703, height: 1000 });
  await paper.emulateMedia({ media: 'print' });
  await paper.setContent(htmlExport);
  const overflowing = await paper.evaluate(() =>
    [...document.querySelectorAll('body *')].filter((element) => element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0).map((element) => (element.textContent ?? '').slice(0, 80)),
  );
  expect(overflowing).toEqual([]);
  await paper.close();

  // PDF: the HTML report printed by the host (headless Chromium here, printToPDF in the desktop app).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pdf').click()]);
  expect(download.suggestedFilename()).toMatch(/^blast-radius-\d{8}T\d{6}Z\.pdf$/);
  const pdf = await readFile((await download.path())!);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const { text } = await pdfText(pdf);
  const unwrapped = text.replace(/\s+/g, '');
  expect(unwrapped).toContain('MAL-2026-2144');
  for (const host of SCANNED) expect(unwrapped, host).toContain(host);
  expect(needles.filter((needle) => text.includes(needle) || unwrapped.includes(needle))).toEqual([]);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});
