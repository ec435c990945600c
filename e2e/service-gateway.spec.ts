/**
 * A gateway systemd runs on a host, in the real UI: the gateway map of a report whose LiteLLM was
 * installed with pip and runs as a unit (shared/fixtures/service-gateway.ts) shows it under its
 * unit name with the host its journal names and the client no scanned place accounts for.
 * Screenshot at 1440×900 (written to test-results/screenshots/).
 */
import { fileURLToPath } from 'node:url';
import { bundledAdvisoryIndex } from '../shared/domain/advisories/index.js';
import { buildReport } from '../shared/findings/build-report.js';
import { SERVICE_GATEWAY, serviceGatewayHosts } from '../shared/fixtures/service-gateway.js';
import { expect, serveReport, test, waitForApp } from './fixtures.js';
import { GatewayMapPage } from './pages/gateway-map-page.js';

const screenshot = (name: string) => fileURLToPath(new URL(`../test-results/screenshots/${name}.png`, import.meta.url));

test('the gateway map shows a host-service gateway under its unit, with the clients its journal names', async ({ page }) => {
  const served = await serveReport(buildReport(serviceGatewayHosts(), bundledAdvisoryIndex(), new Date('2026-03-26T09:00:00.000Z')), 'svcgw');
  try {
    const gateways = new GatewayMapPage(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(served.url);
    await waitForApp(page);
    await gateways.show();
    const map = gateways.map(`gateway:svcgw:service=${SERVICE_GATEWAY.unit}`);
    await expect(map).toContainText(SERVICE_GATEWAY.unit);
    await expect(gateways.consumer(map, { host: 'app', edge: 'gateway-log' })).toHaveCount(1);
    await expect(gateways.consumer(map, { name: SERVICE_GATEWAY.unknownAddress, kind: 'log-client', edge: 'gateway-log' })).toHaveCount(1);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshot('service-gateway-map-1440x900') });
  } finally {
    await served.stop();
  }
});
