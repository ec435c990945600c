import { describe, expect, it } from 'vitest';
import { LAB_GATEWAY, labReportWithTraffic, trafficClient } from '../../shared/fixtures/gateway-traffic.js';
import { createAppStore } from './app-store.js';
import { selectGatewayTrafficCharts } from './traffic-selectors.js';

describe('selectGatewayTrafficCharts', () => {
  it('has no chart before the first scan', () => {
    expect(selectGatewayTrafficCharts(createAppStore().getState())).toEqual({});
  });

  it('charts the gateway whose log was read, and returns the same charts while the report is unchanged', () => {
    const store = createAppStore();
    store.getState().caseLoaded({ report: labReportWithTraffic([trafficClient('10.0.0.7', [['2026-03-24T13:00:00Z', 1]])]), progress: {} });
    const first = selectGatewayTrafficCharts(store.getState());

    store.getState().viewChosen('graph');

    expect(Object.keys(first)).toEqual([LAB_GATEWAY]);
    expect(selectGatewayTrafficCharts(store.getState())).toBe(first);
  });
});
