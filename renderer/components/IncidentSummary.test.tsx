import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { sampleLabReport } from '../../shared/fixtures/sample-report.js';
import { labReportWithTraffic, trafficClient } from '../../shared/fixtures/gateway-traffic.js';
import { buildIncidentSummary, type IncidentSummary as Summary } from '../../shared/present/index.js';
import { IncidentSummary } from './IncidentSummary.js';

// Server rendering reads the store's initial state, so the summary comes in through the hook.
const given = vi.hoisted(() => ({ summary: null as Summary | null }));
vi.mock('../store/hooks.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../store/hooks.js')>()),
  useIncidentSummary: () => given.summary,
}));

function render(summary: Summary | null): string {
  given.summary = summary;
  return renderToStaticMarkup(<IncidentSummary />);
}

/** The number a `summary-…` test id holds. */
const number = (html: string, id: string) => new RegExp(`data-testid="summary-${id}">([^<]*)<`).exec(html)?.[1];

describe('IncidentSummary', () => {
  it('shows nothing before the first scan', () => {
    expect(render(null)).toBe('');
  });

  it("shows the lab's hosts with malicious code, reached hosts, keys, gateways and unread hosts", () => {
    const html = render(buildIncidentSummary(sampleLabReport()));

    expect(['compromised', 'reached', 'keys', 'keys-critical', 'keys-high', 'gateways', 'consumers', 'unread'].map((id) => number(html, id))).toEqual([
      '2',
      '1',
      '3',
      '2 critical',
      '1 high',
      '1',
      '3',
      '1',
    ]);
    expect(html).toContain('gw, nodocker');
    expect(html).toContain('logs not read');
    expect(html).toContain('1 not read');
  });

  it('counts unidentified gateway clients once the log was read', () => {
    const html = render(buildIncidentSummary(labReportWithTraffic([trafficClient('10.0.0.7', [['2026-03-24T12:00:00Z', 2]])])));

    expect(number(html, 'unidentified')).toBe('1');
    expect(html).toContain('litellm on gw (exposed): 3 consumers, 1 unidentified client');
  });
});
