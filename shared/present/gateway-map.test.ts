import { describe, expect, it } from 'vitest';
import { labReportWithTraffic, trafficClient } from '../fixtures/gateway-traffic.js';
import { manyConsumersReport, UNKNOWN_CLIENTS } from '../fixtures/many-consumers.js';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport } from '../fixtures/sample-report.js';
import type { ScanReport } from '../model/index.js';
import { buildGatewayMaps, consumerRouteTargets, type GatewayMap, type MoveStepLike } from './gateway-map.js';

const OPEN_WEBUI = '172.20.0.3';
const OLLAMA = '127.0.0.10';
const STRANGER = '10.66.0.23';

function labMap(report: ScanReport = labTrafficReport(), ...rest: Parameters<typeof buildGatewayMaps> extends [unknown, ...infer R] ? R : never): GatewayMap {
  const map = buildGatewayMaps(report, ...rest).find((candidate) => candidate.id === LAB_FINDING_IDS.gateway);
  if (!map) throw new Error('the lab gateway has no map');
  return map;
}

/** The lab report whose litellm log names open-webui, the ollama host, a stranger and the gateway's own health check. */
function labTrafficReport(): ScanReport {
  return labReportWithTraffic([
    trafficClient(OPEN_WEBUI, [['2026-03-24T10:00:00Z', 2], ['2026-03-24T12:00:00Z', 1]]),
    trafficClient(OLLAMA, [['2026-03-24T11:00:00Z', 3]]),
    trafficClient(STRANGER, [['2026-03-24T11:00:00Z', 4], ['2026-03-24T13:00:00Z', 3]]),
    trafficClient('127.0.0.1', [['2026-03-24T13:00:00Z', 1]]),
  ]);
}

describe('buildGatewayMaps', () => {
  it("puts the lab gateway's three consumers around it, then the logged client no scanned place holds, with its request count", () => {
    // Act
    const map = labMap();

    // Assert
    expect(map).toMatchObject({ name: SAMPLE.litellmContainer, host: SAMPLE.gw, gateway: 'litellm', exposed: true, nodeId: 'container:gw/litellm' });
    expect(map.consumers.map((consumer) => [consumer.name, consumer.kind, consumer.requests])).toEqual([
      [SAMPLE.openWebuiContainer, 'container', 3],
      [LAB.consumerUnit, 'tunnel', null],
      [LAB.ollama, 'host', 3],
      [STRANGER, 'log-client', 7],
    ]);
    expect(map.consumers.at(-1)).toMatchObject({ unidentified: true, findingId: null, nodeId: null, edge: 'gateway-log', host: null });
    expect(map.consumers.at(-1)!.evidenceLines.join('\n')).toContain('held by no scanned host or container');
  });

  it('labels each edge with its way in and every other kind of evidence behind it', () => {
    const map = labMap();
    const by = (name: string) => map.consumers.find((consumer) => consumer.name === name)!;

    expect(by(SAMPLE.openWebuiContainer)).toMatchObject({ edge: 'shared-network', evidence: ['env-url', 'shared-network', 'gateway-log'] });
    expect(by(LAB.ollama)).toMatchObject({ edge: 'published-port', evidence: ['env-url', 'published-port', 'gateway-log'] });
    expect(by(LAB.consumerUnit)).toMatchObject({ edge: 'ssh-tunnel', evidence: ['env-url', 'ssh-tunnel'] });
  });

  it("adds the request log in the gateway's database as gateway-db evidence, a client both logs show listed once and counted from the access log", () => {
    const report = labTrafficReport();
    const databaseClient = (address: string, requests: number) => ({ ...trafficClient(address, [['2026-03-24T11:00:00Z', requests]]), paths: [], statuses: [], keys: [{ key: 'litellm:0123456789ab:Wq7v', requests }], models: [{ model: 'gpt-4o', requests }] });
    report.hosts.find((host) => host.name === SAMPLE.gw)!.gatewayTraffic!.push({
      container: SAMPLE.litellmContainer,
      source: 'gateway-db',
      window: { start: '2026-03-24T10:39:00.000Z', end: '2026-04-02T08:00:00.000Z' },
      clients: [databaseClient(OPEN_WEBUI, 2), databaseClient(STRANGER, 5)],
    });

    const map = labMap(report);
    const by = (name: string) => map.consumers.filter((consumer) => consumer.name === name);

    expect(by(SAMPLE.openWebuiContainer)[0]).toMatchObject({ evidence: ['env-url', 'shared-network', 'gateway-log', 'gateway-db'], requests: 3 });
    expect(by(STRANGER)).toHaveLength(1);
    expect(by(STRANGER)[0]).toMatchObject({ edge: 'gateway-log', evidence: ['gateway-log', 'gateway-db'], requests: 7 });
    expect(by(STRANGER)[0]!.evidenceLines).toContain('Models: gpt-4o × 5');
    expect(map.log?.requests).toBe(14);
  });

  it('counts from the database when the gateway has no access log, with gateway-db edges for the clients it names', () => {
    const report = labReportWithTraffic([]);
    const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
    gw.gatewayTraffic = [{ container: SAMPLE.litellmContainer, source: 'gateway-db', window: { start: '2026-03-24T10:39:00.000Z', end: '2026-04-02T08:00:00.000Z' }, clients: [{ ...trafficClient(STRANGER, [['2026-03-24T11:00:00Z', 2]]), paths: [], statuses: [] }] }];

    const stranger = labMap(report).consumers.find((consumer) => consumer.name === STRANGER);

    expect(stranger).toMatchObject({ kind: 'log-client', edge: 'gateway-db', evidence: ['gateway-db'], requests: 2, unidentified: true });
  });

  it('names a live connection among the evidence when the consumer finding quotes one', () => {
    const report = labTrafficReport();
    const webui = report.findings.find((finding) => finding.id === LAB_FINDING_IDS.openWebui)!;
    webui.evidence.push('ESTABLISHED 172.20.0.3:40118 → 172.20.0.2:4000 in container litellm: peer is container open-webui on gw (network ai)');

    const consumer = labMap(report).consumers.find((candidate) => candidate.id === LAB_FINDING_IDS.openWebui)!;

    expect(consumer.evidence).toContain('live-connection');
    expect(consumer.edge).toBe('shared-network');
  });

  it("summarises the gateway's log: requests and clients over the window, its own health checks apart", () => {
    expect(labMap().log).toEqual({
      window: { start: '2026-03-24T10:39:00.000Z', end: '2026-04-02T08:00:00.000Z' },
      truncated: false,
      requests: 14,
      clients: 4,
      selfRequests: 1,
    });
  });

  it('leaves request counts and unidentified clients unknown, not zero, when the log was not read', () => {
    const map = labMap(sampleLabReport());

    expect(map.log).toBeNull();
    expect(map.consumers.every((consumer) => consumer.requests === null && !consumer.unidentified)).toBe(true);
  });

  it('puts the backends and providers on the other side, each with its models and the keys held for it', () => {
    const backends = labMap().backends;

    expect(backends.map((backend) => [backend.label, backend.kind])).toEqual([
      ['http://ollama:11434', 'model-server'],
      ['openai', 'provider'],
      ['anthropic', 'provider'],
    ]);
    expect(backends.find((backend) => backend.label === 'openai')).toMatchObject({ nodeId: 'provider:openai', keys: [LAB.openaiKey] });
    expect(backends.find((backend) => backend.label === 'http://ollama:11434')).toMatchObject({ nodeId: 'host:ollama', models: ['llama3'] });
  });

  it("carries each consumer's route-around answer and, once the plan has a move step for it, the target picked there and whether it is verified", () => {
    const steps: MoveStepLike[] = [
      {
        id: 'teardown:move-consumer:gw/open-webui:gw/litellm',
        findingIds: [LAB_FINDING_IDS.openWebui],
        choices: [
          { value: 'direct-backend', label: 'A direct backend' },
          { value: 'provider-sdk', label: "The provider's SDK with its own key" },
        ],
        progress: { choice: 'provider-sdk' },
        done: true,
        verified: true,
      },
      { id: 'rotate:x', findingIds: [LAB_FINDING_IDS.ollamaHost], progress: null, done: false, verified: false },
    ];

    const map = labMap(labTrafficReport(), consumerRouteTargets(steps));
    const by = (id: string) => map.consumers.find((consumer) => consumer.id === id)!;

    expect(by(LAB_FINDING_IDS.openWebui).routeAroundTarget).toEqual({
      stepId: 'teardown:move-consumer:gw/open-webui:gw/litellm',
      choice: 'provider-sdk',
      choiceLabel: "The provider's SDK with its own key",
      done: true,
      verified: true,
    });
    expect(by(LAB_FINDING_IDS.ollamaHost).routeAroundTarget).toBeNull();
    expect(by(LAB_FINDING_IDS.openWebui).routeAround).toMatch(/^(yes|check)$/);
    expect(by(LAB_FINDING_IDS.openWebui).routeAnswer).toContain('open-webui');
  });

  it('maps 50 consumers and every unidentified logged client of one gateway, each once', () => {
    const map = labMap(manyConsumersReport(50));

    expect(map.consumers.filter((consumer) => !consumer.unidentified)).toHaveLength(50);
    expect(map.consumers.filter((consumer) => consumer.unidentified).map((consumer) => consumer.name)).toEqual(UNKNOWN_CLIENTS);
    expect(new Set(map.consumers.map((consumer) => consumer.id)).size).toBe(map.consumers.length);
    expect(map.consumers.filter((consumer) => consumer.requests !== null).length).toBeGreaterThanOrEqual(24);
  });
});
