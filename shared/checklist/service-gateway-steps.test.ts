import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../domain/advisories/index.js';
import { buildReport } from '../findings/build-report.js';
import { SERVICE_GATEWAY, serviceGatewayHosts } from '../fixtures/service-gateway.js';
import { buildGatewayMaps } from '../present/gateway-map.js';
import { buildGatewayTrafficCharts } from '../present/traffic.js';
import { isFindingOfKind, type GatewayFinding } from '../model/index.js';
import { generateChecklist } from './checklist.js';
import { teardownOutcomes, teardownPieces } from './teardown.js';
import { removeServiceStepId, stopServiceStepId } from './service-gateway-steps.js';
import { teardownStepId } from './teardown-steps.js';

const SCANNED = new Date('2026-03-26T09:00:00.000Z');

function report() {
  return buildReport(serviceGatewayHosts(), bundledAdvisoryIndex(), SCANNED);
}

function gatewayOf(built: ReturnType<typeof report>): GatewayFinding {
  return built.findings.find((finding): finding is GatewayFinding => isFindingOfKind(finding, 'gateway'))!;
}

describe('a gateway systemd starts on a host', () => {
  it('is a gateway finding named by its unit, exposed by the compromised package in its virtualenv, with what the unit says', () => {
    const gateway = gatewayOf(report());

    expect(gateway).toMatchObject({ id: `gateway:svcgw:service=${SERVICE_GATEWAY.unit}`, container: null, service: SERVICE_GATEWAY.unit, gateway: 'litellm', severity: 'critical' });
    expect(gateway.endpoints).toEqual(['10.0.0.10:4100']);
    expect(gateway.evidence).toEqual(
      expect.arrayContaining([
        `Unit ${SERVICE_GATEWAY.unitPath} starts LiteLLM (${SERVICE_GATEWAY.venv}/bin/litellm, virtualenv ${SERVICE_GATEWAY.venv}) as a service of host svcgw`,
        `Config named by its command: ${SERVICE_GATEWAY.config}`,
        `Environment file: ${SERVICE_GATEWAY.envFile}`,
        '5 requests from 2 clients in the gateway\'s log from 2026-03-24T10:39:00Z to 2026-03-24T16:00:00Z',
        `2 requests between 2026-03-24T11:47:00Z and 2026-03-24T11:48:00Z from ${SERVICE_GATEWAY.unknownAddress}, not a scanned place`,
      ]),
    );
  });

  it('makes the host its journal names a consumer, by the gateway log, and charts its traffic', () => {
    const built = report();
    const consumer = built.findings.find((finding) => isFindingOfKind(finding, 'consumer'));
    const gateway = gatewayOf(built);

    expect(consumer).toMatchObject({ consumer: 'app', consumerHost: 'app', gateway: SERVICE_GATEWAY.unit, gatewayHost: 'svcgw', via: 'gateway-log' });
    expect(buildGatewayTrafficCharts(built)[gateway.id]?.series.map((series) => [series.name, series.requests])).toEqual([
      [`host app (${SERVICE_GATEWAY.appAddress})`, 3],
      [SERVICE_GATEWAY.unknownAddress, 2],
    ]);
    const map = buildGatewayMaps(built).find((entry) => entry.id === gateway.id);
    expect(map?.log).toMatchObject({ requests: 5, clients: 2 });
    expect(map?.consumers.map((entry) => [entry.name, entry.requests, entry.unidentified])).toEqual([
      ['app', 3, false],
      [SERVICE_GATEWAY.unknownAddress, 2, true],
    ]);
  });

  it('is stopped and disabled first, then its unit and virtualenv removed, and its teardown lists unit, venv, config and environment file', () => {
    const built = report();
    const steps = generateChecklist(built);
    const stop = steps.find((step) => step.id === stopServiceStepId('svcgw', SERVICE_GATEWAY.unit));
    const remove = steps.find((step) => step.id === removeServiceStepId('svcgw', SERVICE_GATEWAY.unit));
    const teardown = steps.find((step) => step.id === teardownStepId('svcgw', SERVICE_GATEWAY.unit));

    expect(stop).toMatchObject({ phase: 'contain', command: `sudo journalctl -u ${SERVICE_GATEWAY.unit} --no-pager -o short-iso > ${SERVICE_GATEWAY.unit}-journal.txt 2>&1; sudo systemctl disable --now ${SERVICE_GATEWAY.unit}` });
    expect(remove).toMatchObject({ phase: 'eradicate', command: `sudo rm -f -- ${SERVICE_GATEWAY.unitPath} && sudo rm -rf -- ${SERVICE_GATEWAY.venv} && sudo systemctl daemon-reload`, blockedBy: [stop!.id] });
    expect(teardown?.gone?.kind).toBe('teardown');
    expect(teardown?.blockedBy).toContain(remove!.id);
    const pieces = teardownPieces(gatewayOf(built), built).pieces.map((piece) => [piece.kind, piece.name]);
    expect(pieces).toEqual([
      ['service-unit', SERVICE_GATEWAY.unit],
      ['venv', SERVICE_GATEWAY.venv],
      ['config-file', SERVICE_GATEWAY.config],
      ['config-file', SERVICE_GATEWAY.envFile],
    ]);
  });

  it('reads each teardown piece as gone once a re-scan no longer finds the unit, the virtualenv or the keys, and present while one remains', () => {
    const built = report();
    const { pieces } = teardownPieces(gatewayOf(built), built);
    const [svcgw, app] = serviceGatewayHosts();
    const halfDone = { ...svcgw!, gatewayServices: [], gatewayConfigs: [], secrets: svcgw!.secrets!.filter((secret) => secret.path !== SERVICE_GATEWAY.config) };
    const done = { ...halfDone, pythonEnvironments: [], secrets: [] };

    expect(teardownOutcomes(SERVICE_GATEWAY.unit, pieces, [halfDone, app!]).map((outcome) => [outcome.piece.kind, outcome.state])).toEqual([
      ['service-unit', 'gone'],
      ['venv', 'present'],
      ['config-file', 'gone'],
      ['config-file', 'present'],
    ]);
    expect(teardownOutcomes(SERVICE_GATEWAY.unit, pieces, [done, app!]).every((outcome) => outcome.state === 'gone')).toBe(true);
  });
});
