/**
 * The walking skeleton end to end: the real UI, served by the browser host, scans the lab of real
 * sshd hosts, shows the compromised gateway container red in the graph with its evidence, and
 * keeps a ticked checklist step across a reload. Takes the README/docs screenshots on the way
 * (written to docs/screenshots/ only by `npm run screenshots`).
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.js';
import { ChecklistPage, FindingsPage, GraphPage, HostsPage, InventoryPage, SummaryBand } from './pages/app-page.js';
import { PLANTED_SECRETS } from './lab/planted-secrets.js';

const SCANNED = ['gw', 'ollama', 'nodocker', 'alpine', 'unreachable', 'wrongkey'];
// `npm test` must leave the tree clean: screenshots land in test-results/ unless the docs' copies
// are being refreshed on purpose (`npm run screenshots`).
const SCREENSHOT_FOLDER = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' ? '../docs/screenshots/' : '../test-results/screenshots/';
const screenshot = (name: string) => fileURLToPath(new URL(`${SCREENSHOT_FOLDER}${name}.png`, import.meta.url));

test('scanning the lab shows the compromised gateway, its evidence and a checklist whose ticks survive a reload', async ({ page, app, lab }) => {
  const hosts = new HostsPage(page);
  const inventory = new InventoryPage(page);
  const graph = new GraphPage(page);
  const checklist = new ChecklistPage(page);
  const findings = new FindingsPage(page);
  const summary = new SummaryBand(page);
  await app.open(page);

  await hosts.show();
  await hosts.pick(SCANNED);
  await hosts.scan();
  await hosts.waitUntilFinished(SCANNED);
  await expect(hosts.progress('gw')).toHaveAttribute('data-phase', 'done');
  await expect(hosts.progress('unreachable')).toHaveAttribute('data-phase', 'failed');
  await page.screenshot({ path: screenshot('hosts') });

  // The incident at a glance (e2e/lab/README.md): litellm 1.82.8 on gw and 1.82.7 with its IOCs on
  // nodocker; ollama reached (nodocker's key logs into it, its chat-app uses the exposed gateway);
  // fourteen planted keys (one only in LiteLLM's database, stored encrypted) plus LiteLLM's two virtual keys, thirteen of them held where compromised code (the stored one among them)
  // ran (nodocker's four cloud and stack keys among them); two gateways (litellm and the stopped old-litellm), litellm's three consumers and two
  // clients no scan accounts for (10.66.0.23 in its access log and spend log, 10.66.0.77 in its spend log only); nodocker partial (gw is whole: its stopped old-litellm
  // is read from its image layers), unreachable and wrongkey never read.
  await expect(summary.number('compromised')).toHaveText('2');
  await expect(summary.number('reached')).toHaveText('1');
  await expect(summary.number('keys')).toHaveText('16');
  await expect(summary.number('keys-critical')).toHaveText('13 critical');
  await expect(summary.number('gateways')).toHaveText('2');
  await expect(summary.number('consumers')).toHaveText('3');
  await expect(summary.number('unidentified')).toHaveText('2');
  await expect(summary.number('unread')).toHaveText('3');
  const verdicts = { gw: 'compromised', nodocker: 'compromised', ollama: 'reached', alpine: 'clean', unreachable: 'not-read', wrongkey: 'not-read' };
  for (const [name, verdict] of Object.entries(verdicts)) await expect(summary.verdict(name)).toHaveAttribute('data-verdict', verdict);
  // Nothing is wider than the window at 1360×860.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  expect(await page.getByTestId('view-hosts').evaluate((view) => view.parentElement!.scrollWidth <= view.parentElement!.clientWidth)).toBe(true);
  // The band appeared under the pointer that pressed Scan; move it off so no tile shows hovered.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: screenshot('summary') });
  // Each tile opens the list of what it counts: the keys tile, the findings narrowed to keys.
  await summary.open('keys');
  await expect(page.getByTestId('view-findings')).toBeVisible();
  await expect(findings.rows()).toHaveCount(16);
  await expect(findings.findingsStartingWith('secret:')).toHaveCount(16);
  await expect(page.getByTestId('filter-kind')).toHaveValue('secret');
  await page.getByTestId('filter-clear').click();

  await inventory.show();
  await expect(inventory.status('unreachable')).toHaveAttribute('data-status', 'unreachable');
  await expect(inventory.status('wrongkey')).toHaveAttribute('data-status', 'host-key-mismatch');
  await expect(inventory.container('gw', 'litellm')).toContainText('ghcr.io/berriai/litellm:main-latest');
  await expect(inventory.container('gw', 'litellm')).toContainText('mutable tag');
  const gatewayDetails = await inventory.openContainer('gw', 'litellm');
  await expect(gatewayDetails).toContainText('RepoDigests');
  await expect(gatewayDetails).toContainText('ghcr.io/berriai/litellm@sha256:');
  // The stand-in's /proc holds no process roots: the gateway was read through exec, and says so.
  await expect(gatewayDetails).toContainText('Files readdocker exec into it');
  await page.screenshot({ path: screenshot('inventory'), fullPage: true });

  await findings.show();
  const mutableTag = findings.finding('mutable-image-tag:gw:container=litellm');
  const nodockerIocs = findings.findingsStartingWith('ioc:nodocker:');
  await expect(mutableTag).toContainText('ghcr.io/berriai/litellm:main-latest');
  await expect(mutableTag).toHaveAttribute('data-severity', 'high');
  await expect(nodockerIocs.filter({ hasText: 'sysmon.service' })).toHaveCount(1);
  // The table comes first; the timeline below it starts folded.
  await expect(page.getByTestId('timeline-toggle')).toHaveAttribute('aria-expanded', 'false');
  await findings.openTimeline();
  await expect(findings.timeline()).toContainText('security-update-march-2026');
  await page.screenshot({ path: screenshot('findings'), fullPage: true });
  // The window is the user's to set: an end before the start is refused in place; a narrower window is judged again without a scan.
  const litellmWindow = 'litellm-2026-03-24';
  await findings.setWindow(litellmWindow, '2026-03-24T11:19', '2026-03-24T10:39');
  await expect(page.getByTestId(`window-error-${litellmWindow}`)).toHaveText('The window must end after it starts');
  await findings.setWindow(litellmWindow, '2026-03-24T10:39', '2026-03-24T11:19');
  await expect(findings.window(litellmWindow)).toContainText('Changed by the user to 2026-03-24T10:39:00.000Z – 2026-03-24T11:19:00.000Z');
  await expect(mutableTag).toBeVisible();
  await findings.resetWindow(litellmWindow);
  await expect(findings.window(litellmWindow)).not.toContainText('Changed by the user');
  await expect(findings.window(litellmWindow)).toContainText('2026-03-24T10:39:00Z – 2026-03-24T16:00:00Z');
  await findings.filter('kind', 'ioc');
  await expect(mutableTag).toHaveCount(0);
  await expect(nodockerIocs.first()).toBeVisible();
  await expect(findings.rows()).toHaveCount(await findings.findingsStartingWith('ioc:').count());
  await findings.filter('host', 'nodocker');
  await expect(findings.rows()).toHaveCount(await nodockerIocs.count());
  const unitId = await nodockerIocs.filter({ hasText: 'sysmon.service' }).getAttribute('data-testid');
  const unitEvidence = await findings.openEvidence(unitId!.replace('finding-row-', ''));
  await expect(unitEvidence).toContainText('Description=System Telemetry Service');
  await findings.filter('kind', 'mutable-image-tag');
  await findings.filter('host', 'gw');
  await expect(mutableTag).toBeVisible();
  await expect(nodockerIocs).toHaveCount(0);

  await graph.show();
  await expect(graph.node('container', 'litellm')).toHaveAttribute('data-status', 'reached');
  await expect(graph.node('package', 'litellm 1.82.8')).toHaveAttribute('data-status', 'compromised');
  // open-webui's own litellm 1.83.0 is clean, but it sends its prompts and a virtual key through
  // the exposed gateway, so it is inside the blast radius.
  await expect(graph.node('container', 'open-webui')).toHaveAttribute('data-status', 'reached');
  await expect(graph.node('provider', 'openai')).toBeVisible();
  // Every finding kind reaches its node: the updater and socket on watchtower, the planted sysmon files on nodocker.
  await expect(page.getByTestId('graph-mark-updater-watchtower')).toBeVisible();
  await expect(page.getByTestId('graph-mark-socket-watchtower')).toBeVisible();
  await expect(page.getByTestId('graph-mark-ioc-nodocker')).toBeVisible();
  await expect(page.locator('.react-flow__edge.edge-updates').first()).toBeAttached();
  const evidence = await graph.openEvidence('package', 'litellm 1.82.8');
  await expect(evidence).toContainText('MAL-2026-2144');
  await expect(evidence).toContainText('litellm-1.82.8.dist-info');
  await page.screenshot({ path: screenshot('graph') });

  // The gateway's remove-or-patch panel: who consumes it, which keys it holds, where it routes;
  // the owner's decision is recorded with its reason.
  const gatewayEvidence = await graph.openEvidence('container', 'litellm');
  const decisionPanel = gatewayEvidence.locator('[data-testid^="remove-or-patch-"]');
  await expect(decisionPanel.locator('[data-testid^="rop-consumer-"]')).toHaveCount(3);
  // OpenAI, Anthropic, its master key and database URL in its environment, Groq in its config, the OpenAI credential stored in its database.
  await expect(decisionPanel.getByTestId('rop-key')).toHaveCount(6);
  await expect(decisionPanel.getByTestId('rop-undecided')).toBeVisible();
  await decisionPanel.getByTestId('rop-reason').fill('used by everything: route around it');
  await decisionPanel.getByTestId('rop-remove').click();
  await expect(decisionPanel.getByTestId('rop-recorded')).toHaveAttribute('data-decision', 'remove');
  await decisionPanel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot('remove-or-patch') });

  await checklist.show();
  const stopStep = checklist.step('Stop and remove container litellm on gw');
  await checklist.note(stopStep).fill('stopped at 11:02, image kept for forensics');
  await checklist.note(stopStep).blur();
  // The tick shows once the backend has stored it, so click and wait rather than check().
  await checklist.checkbox(stopStep).click();
  await expect(checklist.checkbox(stopStep)).toBeChecked();
  // The plan runs in phases, and a step that waits for others says which: the OpenAI key is
  // rotated only after gw is cut off.
  const phases = page.locator('[data-testid^="checklist-phase-"]:not([data-testid^="checklist-phase-count-"])');
  await expect(phases.first()).toBeVisible();
  expect(await phases.evaluateAll((sections) => sections.map((section) => section.getAttribute('data-testid')))).toEqual(
    ['contain', 'eradicate', 'rotate', 'verify', 'recover', 'harden'].map((phase) => `checklist-phase-${phase}`),
  );
  const rotateOpenai = checklist.step(/Rotate the OpenAI key/);
  await expect(rotateOpenai).toHaveClass(/\bblocked\b/);
  await expect(rotateOpenai.locator('[data-testid^="step-waits-for-"]')).toContainText('Waits for: Contain step 1 (Isolate gw');
  await page.screenshot({ path: screenshot('checklist'), fullPage: true });

  await page.reload();
  await page.waitForSelector('body[data-app-ready="true"]');
  await checklist.show();
  const afterReload = checklist.step('Stop and remove container litellm on gw');
  await expect(checklist.checkbox(afterReload)).toBeChecked();
  await expect(checklist.note(afterReload)).toHaveValue('stopped at 11:02, image kept for forensics');

  // Keys and consumers: the OpenAI key's rotation links to OpenAI's key page and lists both places
  // it sits; open-webui's move off the gateway keeps the target picked across a reload.
  const rotate = page.getByTestId('checklist-phase-rotate');
  await expect(rotate.locator('a[href="https://platform.openai.com/api-keys"]').first()).toBeVisible();
  const moveWebui = checklist.step('Move open-webui on gw off litellm on gw');
  const target = moveWebui.locator('select');
  // The lab's gateway sends its models to Ollama on another host: that backend is offered by name.
  const directBackend = await target.locator('option[value^="direct-backend:"]').first().getAttribute('value');
  expect(directBackend).toMatch(/11434/);
  await target.selectOption(directBackend!);
  await expect(moveWebui).toContainText('A re-scan verifies it once open-webui');
  await page.reload();
  await page.waitForSelector('body[data-app-ready="true"]');
  await checklist.show();
  await expect(checklist.step('Move open-webui on gw off litellm on gw').locator('select')).toHaveValue(directBackend!);
  await checklist.step(/^Rotate the OpenAI key/).evaluate((row) => row.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: screenshot('checklist-keys') });
  // Nothing the UI received holds a planted secret: it only ever sees fingerprints.
  const html = await page.content();
  for (const secret of Object.values(PLANTED_SECRETS)) expect(html).not.toContain(secret.value);

  expect(await lab.trippedTraps()).toEqual([]);
});

test('the browser host refuses a page without its token', async ({ page, app }) => {
  const withoutToken = app.url.replace(/\?token=.*/, '');

  const response = await page.goto(withoutToken);

  expect(response?.status()).toBe(403);
});
