import { describe, expect, it } from 'vitest';
import { mergeIntoLedger } from '../case/ledger.js';
import { labWithOtherRouter } from '../fixtures/route-around.js';
import { sampleLabReport } from '../fixtures/sample-report.js';
import { syntheticGraphReport } from '../fixtures/synthetic-graph-report.js';
import { routeTopology } from '../findings/topology/route-around.js';
import { isFindingOfKind, type Finding, type GatewayFinding, type ScanReport } from '../model/index.js';
import { generateChecklist } from './checklist.js';
import { consumerGateway, consumerGateways, routeChoices } from './route-targets.js';
import { keyCompromiseStart, keyCompromiseStarts } from './windows.js';

const consumersOf = (report: ScanReport) => report.findings.filter((finding) => isFindingOfKind(finding, 'consumer'));

/** The report with its findings behind a proxy that counts whole passes over them (each array method or iteration started). */
function countingPasses(report: ScanReport): { report: ScanReport; passes: () => number } {
  let passes = 0;
  const walks = new Set<PropertyKey>(['filter', 'find', 'findIndex', 'some', 'every', 'map', 'flatMap', 'forEach', 'reduce', 'includes', 'indexOf', Symbol.iterator]);
  const findings = new Proxy(report.findings, {
    get(target, key, receiver) {
      if (walks.has(key)) passes += 1;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { report: { ...report, findings }, passes: () => passes };
}

describe('reading a report once for all of its items', () => {
  it('finds the same gateway for every consumer through the index as by searching', () => {
    for (const report of [sampleLabReport(), labWithOtherRouter(), syntheticGraphReport(200)]) {
      const gatewayOf = consumerGateways(report.findings);
      for (const consumer of consumersOf(report)) expect(gatewayOf(consumer)).toBe(consumerGateway(consumer, report.findings));
    }
  });

  it('keeps the first gateway in report order when a container and a service share a name', () => {
    const report = sampleLabReport();
    const gateway = report.findings.find((finding): finding is GatewayFinding => isFindingOfKind(finding, 'gateway') && finding.container !== null)!;
    const twin: Finding = { ...gateway, id: `${gateway.id}-twin`, container: null, service: gateway.container! };
    const findings = [twin, ...report.findings];
    const consumer = consumersOf(report).find((candidate) => candidate.gatewayHost === gateway.host && candidate.gateway === gateway.container)!;
    expect(consumerGateways(findings)(consumer)).toBe(twin);
    expect(consumerGateway(consumer, findings)).toBe(twin);
  });

  it('offers every consumer the same targets with a shared topology as with its own', () => {
    const report = labWithOtherRouter();
    const topology = routeTopology(report);
    const consumers = consumersOf(report);
    expect(consumers.length).toBeGreaterThan(0);
    for (const consumer of consumers) {
      const gateway = consumerGateway(consumer, report.findings);
      expect(routeChoices(consumer, gateway, report, topology)).toEqual(routeChoices(consumer, gateway, report));
    }
  });

  it('dates every key the same from the shared reading as from its own', () => {
    for (const report of [sampleLabReport(), syntheticGraphReport(200)]) {
      const startOf = keyCompromiseStarts(report);
      for (const key of report.findings.filter((finding) => isFindingOfKind(finding, 'secret'))) expect(startOf(key)).toBe(keyCompromiseStart(key, report));
    }
  });

  it('passes over the findings as often for a plan of 2,000 nodes as for one of 200 (not once per key, consumer or container)', () => {
    const passesFor = (nodes: number): number => {
      const { report, passes } = countingPasses(syntheticGraphReport(nodes));
      generateChecklist(report, mergeIntoLedger(null, report));
      return passes();
    };
    expect(passesFor(2000)).toBe(passesFor(200));
  });
});
