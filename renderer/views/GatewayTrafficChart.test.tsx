import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { GatewayClientTraffic, ScanReport } from '../../shared/model/index.js';
import { sampleLabReport } from '../../shared/fixtures/sample-report.js';
import { createAppStore } from '../store/app-store.js';
import { MAX_TRAFFIC_SERIES, selectGatewayTrafficCharts } from '../store/selectors.js';
import { GatewayTrafficChartView } from './GatewayTrafficChart.js';

const GATEWAY = 'gateway:gw:container=litellm';

function client(address: string, hours: Array<[string, number]>): GatewayClientTraffic {
  const requests = hours.reduce((sum, [, count]) => sum + count, 0);
  return {
    address,
    requests,
    first: `${hours[0]![0].slice(0, 13)}:05:00.000Z`,
    last: `${hours.at(-1)![0].slice(0, 13)}:55:00.000Z`,
    hours: hours.map(([hour, count]) => ({ hour, requests: count })),
    paths: ['/v1/chat/completions'],
    statuses: [{ status: 200, requests }],
  };
}

/** The lab report with litellm's log: open-webui over two hours, ollama's address, a stranger. */
function reportWithTraffic(clients: GatewayClientTraffic[]): ScanReport {
  const report = sampleLabReport();
  report.hosts.find((host) => host.name === 'gw')!.gatewayTraffic = [
    { container: 'litellm', window: { start: '2026-03-24T10:39:00.000Z', end: '2026-04-02T08:00:00.000Z' }, clients },
  ];
  return report;
}

function chartOf(report: ScanReport) {
  const store = createAppStore();
  store.getState().caseLoaded({ report, progress: {} });
  return selectGatewayTrafficCharts(store.getState())[GATEWAY];
}

describe('selectGatewayTrafficCharts', () => {
  it('stacks requests per hour per client, naming clients the scan knows', () => {
    const chart = chartOf(
      reportWithTraffic([
        client('172.20.0.3', [['2026-03-24T10:00:00Z', 2], ['2026-03-24T11:00:00Z', 5]]),
        client('192.168.50.11', [['2026-03-24T11:00:00Z', 3]]),
        client('10.0.0.7', [['2026-03-24T13:00:00Z', 1]]),
      ]),
    );

    expect(chart?.series.map(({ key, name, requests }) => [key, name, requests])).toEqual([
      ['c0', 'open-webui (172.20.0.3)', 7],
      ['c1', 'host ollama (192.168.50.11)', 3],
      ['c2', '10.0.0.7', 1],
    ]);
    expect(chart?.rows).toEqual([
      { hour: '2026-03-24T10:00:00Z', label: '03-24 10:00', c0: 2, c1: 0, c2: 0 },
      { hour: '2026-03-24T11:00:00Z', label: '03-24 11:00', c0: 5, c1: 3, c2: 0 },
      { hour: '2026-03-24T13:00:00Z', label: '03-24 13:00', c0: 0, c1: 0, c2: 1 },
    ]);
  });

  it('stacks the quietest clients beyond the series limit as one', () => {
    const many = Array.from({ length: MAX_TRAFFIC_SERIES + 2 }, (_, index) => client(`10.9.0.${index + 1}`, [['2026-03-24T12:00:00Z', 20 - index]]));

    const chart = chartOf(reportWithTraffic(many));

    expect(chart?.series).toHaveLength(MAX_TRAFFIC_SERIES + 1);
    expect(chart?.series.at(-1)).toEqual({ key: 'other', name: '2 other clients', requests: 12 + 11 });
    expect(chart?.rows[0]?.other).toBe(23);
  });

  it('has no chart for a gateway whose logs were not read', () => {
    const store = createAppStore();
    store.getState().caseLoaded({ report: sampleLabReport(), progress: {} });

    expect(selectGatewayTrafficCharts(store.getState())).toEqual({});
  });
});

describe('GatewayTrafficChartView', () => {
  it('titles the chart and lists each client with its requests', () => {
    const chart = chartOf(reportWithTraffic([client('172.20.0.3', [['2026-03-24T10:00:00Z', 2]]), client('10.0.0.7', [['2026-03-24T13:00:00Z', 1]])]))!;

    const html = renderToStaticMarkup(<GatewayTrafficChartView data={chart} />);

    expect(html).toContain('Requests per client over the window');
    expect(html).toContain('2026-03-24T10:39:00.000Z to 2026-04-02T08:00:00.000Z');
    expect(html).toContain('open-webui (172.20.0.3): <code>2</code> requests');
    expect(html).toContain('10.0.0.7: <code>1</code> request<');
    expect(html).not.toContain('only the newest part');
  });

  it('says when the log was cut and when nothing was logged', () => {
    const chart = chartOf(reportWithTraffic([]))!;

    const html = renderToStaticMarkup(<GatewayTrafficChartView data={{ ...chart, truncated: true }} />);

    expect(html).toContain('data-testid="gateway-traffic-empty"');
    expect(html).toContain('only the newest part of the log was read');
  });
});
