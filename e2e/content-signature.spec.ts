/**
 * A content-signature finding as the user sees it: the sitecustomize.py stager on nodocker
 * (e2e/lab/README.md) listed among the findings, its evidence naming each matched signature with
 * its source and the line that shows it. The screenshot lands in test-results/ only.
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.js';
import { FindingsPage, HostsPage } from './pages/app-page.js';
import { LAB_USER } from './lab/lab-hosts.js';

const screenshot = (name: string) => fileURLToPath(new URL(`../test-results/screenshots/${name}.png`, import.meta.url));

test('the sitecustomize.py stager shows as a content-signature finding with its signatures, sources and line', async ({ page, app }) => {
  const hosts = new HostsPage(page);
  const findings = new FindingsPage(page);
  await app.open(page);
  await hosts.show();
  await hosts.pick(['nodocker']);
  await hosts.scan();
  await hosts.waitUntilFinished(['nodocker']);

  await findings.show();
  await findings.filter('kind', 'content-signature');
  const id = `content-signature:nodocker:host:/home/${LAB_USER}/.local/lib/python3.11/site-packages/sitecustomize.py`;
  await expect(findings.finding(id)).toBeVisible();
  await expect(findings.rows()).toHaveCount(2);
  const evidence = await findings.openEvidence(id);

  await expect(evidence).toContainText('teampcp-litellm-stager');
  await expect(evidence).toContainText('SigmaHQ');
  await expect(evidence).toContainText('line 3:');
  // The signature's own blob stays readable in the excerpt (only what lies between its strings is redacted).
  await expect(evidence).toContainText('kI2NF9TQ1JJUFQgPSAiYV');
  await page.screenshot({ path: screenshot('content-signature'), fullPage: false });
});
