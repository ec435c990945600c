import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ScanReport } from '../../shared/model/index.js';
import { LAB_GATEWAY, labReportWithTraffic, trafficClient } from '../../shared/fixtures/gateway-traffic.js';
import { buildGatewayTrafficCharts } from '../../shared/present/index.js';
import { GatewayTrafficChartView } from './GatewayTrafficChart.js';

function chartOf(report: ScanReport) {
  return buildGatewayTrafficCharts(report)[LAB_GATEWAY];
}

describe('GatewayTrafficChartView', () => {
  it('titles the chart and lists each client with its requests', () => {
    const chart = chartOf(labReportWithTraffic([trafficClient('172.20.0.3', [['2026-03-24T10:00:00Z', 2]]), trafficClient('10.0.0.7', [['2026-03-24T13:00:00Z', 1]])]))!;

    const html = renderToStaticMarkup(<GatewayTrafficChartView data={chart} />);

    expect(html).toContain('Requests per client over the window');
    expect(html).toContain('2026-03-24T10:39:00.000Z to 2026-04-02T08:00:00.000Z');
    expect(html).toContain('open-webui (172.20.0.3): <code>2</code> requests');
    expect(html).toContain('10.0.0.7: <code>1</code> request<');
    expect(html).not.toContain('only the newest part');
  });

  it('says when the log was cut and when nothing was logged', () => {
    const chart = chartOf(labReportWithTraffic([]))!;

    const html = renderToStaticMarkup(<GatewayTrafficChartView data={{ ...chart, truncated: true }} />);

    expect(html).toContain('data-testid="gateway-traffic-empty"');
    expect(html).toContain('only the newest part of the log was read');
  });
});
