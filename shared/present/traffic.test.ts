import { describe, expect, it } from 'vitest';
import { sampleLabReport } from '../fixtures/sample-report.js';
import { LAB_GATEWAY, labReportWithTraffic, trafficClient } from '../fixtures/gateway-traffic.js';
import type { ScanReport } from '../model/index.js';
import { MAX_TRAFFIC_SERIES, buildGatewayTrafficCharts } from './traffic.js';

function chartOf(report: ScanReport) {
  return buildGatewayTrafficCharts(report)[LAB_GATEWAY];
}

describe('buildGatewayTrafficCharts', () => {
  it('stacks requests per hour per client, naming clients the scan knows', () => {
    const chart = chartOf(
      labReportWithTraffic([
        trafficClient('172.20.0.3', [['2026-03-24T10:00:00Z', 2], ['2026-03-24T11:00:00Z', 5]]),
        trafficClient('192.168.50.11', [['2026-03-24T11:00:00Z', 3]]),
        trafficClient('10.0.0.7', [['2026-03-24T13:00:00Z', 1]]),
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
    const many = Array.from({ length: MAX_TRAFFIC_SERIES + 2 }, (_, index) => trafficClient(`10.9.0.${index + 1}`, [['2026-03-24T12:00:00Z', 20 - index]]));

    const chart = chartOf(labReportWithTraffic(many));

    expect(chart?.series).toHaveLength(MAX_TRAFFIC_SERIES + 1);
    expect(chart?.series.at(-1)).toEqual({ key: 'other', name: '2 other clients', requests: 12 + 11 });
    expect(chart?.rows[0]?.other).toBe(23);
  });

  it('has no chart for a gateway whose logs were not read', () => {
    expect(buildGatewayTrafficCharts(sampleLabReport())).toEqual({});
  });
});
