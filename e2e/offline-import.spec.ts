/**
 * "Import collection…" in the app: the offline collector's output for lab host gw (the script
 * `blast-radius collector` prints, run over the system ssh client as an owner would run it on a
 * console) imported in the Hosts view of the browser host by its path on this machine. The host
 * shows up as a scan's would — its progress, its verdict (litellm 1.82.8 makes it compromised),
 * the journal's scan entry — and again under a name given for it, as a host only the case knows.
 * A missing file and a file that is no collection are refused in the error banner, naming the
 * path as typed and quoting nothing of the file.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from './fixtures.js';
import { sshScript } from './lab/lab.js';
import { HostsPage, JournalPage } from './pages/app-page.js';

const CLI = fileURLToPath(new URL('../dist/electron/cli/main.js', import.meta.url));
const screenshot = (name: string) => fileURLToPath(new URL(`../test-results/screenshots/${name}.png`, import.meta.url));
/** Looks like a key; a refusal of the file holding it must not quote it. */
const NOT_A_COLLECTION = `OPENAI_API_KEY=sk-proj-${'Zx81'.repeat(12)}\n`;

let folder: string | null = null;

test.afterEach(async () => {
  // The collection holds the lab's (fake) keys in clear, as any collection holds keys: not left behind.
  if (folder) await rm(folder, { recursive: true, force: true });
  folder = null;
});

test('an offline collection imported in the Hosts view shows its host, verdict and journal entry as a scan does, and bad paths are refused readably', async ({ page, app, lab }) => {
  test.setTimeout(240_000);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  folder = await mkdtemp(join(tmpdir(), 'blast-radius-import-ui-'));
  const { stdout: script } = await promisify(execFile)(process.execPath, [CLI, 'collector'], { maxBuffer: 16 * 1024 * 1024 });
  const collected = await sshScript(lab, 'gw', script, { timeoutMs: 180_000 });
  expect(collected.code, collected.stderr).toBe(0);
  const gwFile = join(folder, 'gw.brc');
  await writeFile(gwFile, collected.stdout, { mode: 0o600 });
  const notes = join(folder, 'notes.txt');
  await writeFile(notes, NOT_A_COLLECTION);

  const hosts = new HostsPage(page);
  const journal = new JournalPage(page);
  await app.open(page);
  await hosts.show();
  const pathsField = page.getByTestId('import-collection-paths');
  const importButton = page.getByTestId('import-collection-button');
  const banner = page.getByTestId('error-banner');

  // A path typed wrong: the banner names it as typed.
  const missing = join(folder, 'gw .brc');
  await pathsField.fill(missing);
  await importButton.click();
  await expect(banner).toContainText(`The import did not start: ${missing}: no such file`);
  // A file that is not collector output: refused by name, none of its text quoted.
  await pathsField.fill(notes);
  await importButton.click();
  await expect(banner).toContainText(`${notes}: not a Blast Radius collection`);
  await expect(page.locator('body')).not.toContainText('Zx81Zx81');
  await expect(page.getByTestId('scan-status')).toHaveText('Import failed.');
  // Refused paths stay in the field to be corrected.
  await expect(pathsField).toHaveValue(notes);

  await pathsField.fill(gwFile);
  await page.mouse.move(0, 0);
  await page.getByTestId('import-collection').screenshot({ path: screenshot('hosts-import-collection') });
  await importButton.click();
  await hosts.waitUntilFinished(['gw']);
  await expect(hosts.progress('gw')).toHaveAttribute('data-phase', 'done');
  await expect(page.getByTestId('scan-status')).toHaveText('Import finished. See Inventory and Blast radius.');
  await expect(pathsField).toHaveValue('');
  const gwVerdict = page.getByTestId('host-verdict-gw');
  await expect(gwVerdict).toHaveAttribute('data-verdict', 'compromised');
  await expect(gwVerdict).toHaveAttribute('title', /litellm 1\.82\.8/);

  // The same file under a name given for it: a host outside the ssh config, listed as the case's only.
  await pathsField.fill(gwFile);
  await page.getByTestId('import-collection-host').fill('gw-offsite');
  await importButton.click();
  await hosts.waitUntilFinished(['gw-offsite']);
  const offsite = page.getByTestId('host-row-gw-offsite');
  await expect(offsite.getByTestId('host-source-gw-offsite')).toHaveText('case only');
  await expect(offsite.getByTestId('host-check-gw-offsite')).toBeDisabled();
  await expect(offsite.getByTestId('host-verdict-gw-offsite')).toHaveAttribute('data-verdict', 'compromised');
  await expect(offsite).toContainText('offline collection');
  await page.mouse.move(0, 0);
  await page.locator('.hosts-table').screenshot({ path: screenshot('hosts-after-import') });

  await journal.show();
  await expect.poll(() => journal.kinds()).toEqual(['scan', 'scan']);
  await expect(journal.entries().nth(0)).toContainText('Scanned 1 host: gw');
  await expect(journal.entries().nth(1)).toContainText('Scanned 1 host: gw-offsite');
});
