import { describe, expect, it } from 'vitest';
import { labWithGatewayNotExposed, NOT_AFFECTED_REASON } from '../fixtures/gateway-not-exposed.js';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport } from '../fixtures/sample-report.js';
import type { ConsumerFinding, GatewayFinding, ScanReport } from '../model/index.js';
import { aiComponents, type AiComponent } from './ai-components.js';

function labGateway(report: ScanReport = sampleLabReport(), decisions = null as Parameters<typeof aiComponents>[1]): AiComponent {
  const gateway = aiComponents(report, decisions).find((component) => component.id === LAB_FINDING_IDS.gateway);
  if (!gateway) throw new Error('the lab gateway is missing');
  return gateway;
}

describe('aiComponents', () => {
  it("lists the lab's LiteLLM gateway with its three consumers, the two keys it holds and its three backends", () => {
    // Act
    const gateway = labGateway();

    // Assert
    expect(gateway).toMatchObject({ role: 'gateway', kind: 'litellm', name: SAMPLE.litellmContainer, host: SAMPLE.gw, container: SAMPLE.litellmContainer });
    expect(gateway.consumers.map((consumer) => consumer.name)).toEqual([SAMPLE.openWebuiContainer, LAB.ollama, LAB.consumerUnit]);
    expect(gateway.keys.map((key) => key.fingerprint)).toEqual([LAB.openaiKey, LAB.anthropicKey]);
    expect(gateway.keys[0]!.where).toEqual(['OPENAI_API_KEY (container-env)']);
    expect(gateway.backends).toEqual(['http://ollama:11434', 'openai', 'anthropic']);
    expect(gateway.prompts).toContain('Every prompt and response of every consumer (3 found)');
    expect(gateway.packages).toEqual([{ name: 'litellm', version: '1.82.8' }]);
  });

  it('lists each model once when the same config was read twice (the host file and the copy in the container)', () => {
    const report = sampleLabReport();
    const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
    const config = gw.gatewayConfigs!.find((candidate) => candidate.container === SAMPLE.litellmContainer)!;
    gw.gatewayConfigs = [...gw.gatewayConfigs!, { ...config, path: '/srv/ai-gateway/litellm-config.yaml' }];

    const models = labGateway(report).models;

    expect(models).toEqual(labGateway().models);
    expect(new Set(models.map((model) => `${model.name}@${model.backend}`)).size).toBe(models.length);
  });

  it('judges the gateway exposed because compromised litellm runs in it', () => {
    const gateway = labGateway();

    expect(gateway.verdict).toBe('exposed');
    expect(gateway.verdictReasons[0]).toContain('compromised-package finding');
  });

  it('takes the verdict from the exposure judgement when the report carries one', () => {
    // Arrange: a gateway whose litellm is judged not exposed, with no compromised-package finding.
    const report = labWithGatewayNotExposed();

    // Act
    const gateway = labGateway(report);

    // Assert
    expect(gateway.verdict).toBe('not-exposed');
    expect(gateway.verdictReasons).toEqual([NOT_AFFECTED_REASON]);
  });

  it('says a gateway nothing judged is not judged, rather than exposed', () => {
    const report = sampleLabReport();
    report.findings = report.findings.filter((finding) => finding.kind !== 'compromised-package');

    expect(labGateway(report).verdict).toBe('not-judged');
  });

  it('points a consumer on the gateway network at the Ollama backend directly, and at each provider SDK with a key of its own', () => {
    const openWebui = labGateway().consumers.find((consumer) => consumer.name === SAMPLE.openWebuiContainer)!;

    expect(openWebui.routeAround).toBe('yes');
    expect(openWebui.routes.map((route) => [route.target, route.backend, route.models, route.reach ?? null])).toEqual([
      ['direct-backend', 'http://ollama:11434', ['llama3'], 'same-network'],
      ['provider-sdk', 'openai', ['gpt-4o'], null],
      ['provider-sdk', 'anthropic', ['claude-sonnet'], null],
    ]);
    expect(openWebui.routes[0]!.text).toBe('Point open-webui at http://ollama:11434 directly for llama3.');
    expect(openWebui.routes[0]!.evidence).toContain('shares network ai with litellm');
    expect(openWebui.routes[1]!.text).toBe("Use the openai SDK with a new key of open-webui's own for gpt-4o.");
    expect(openWebui.answer).toMatch(/^Yes\. The scan does not see which models it asks for/);
  });

  it('routes a consumer on the backend host to it directly, and one behind an SSH tunnel through a tunnel to the backend host', () => {
    const [, onOllama, tunnelled] = labGateway().consumers;

    expect(onOllama!.routes[0]).toMatchObject({ reach: 'same-host', text: 'Point ollama at http://ollama:11434 directly for llama3.' });
    expect(tunnelled!.routes[0]!.reach).toBe('ssh-tunnel');
    expect(tunnelled!.routes[0]!.text).toBe(
      `Point ${LAB.consumerUnit} at http://ollama:11434 directly for llama3, through an SSH tunnel to ollama as it reaches gw today: forward 127.0.0.1:11434 to port 11434 there and use http://127.0.0.1:11434.`,
    );
  });

  it('does not claim a path it did not see: a consumer on an unrelated host is told to check reach first', () => {
    // Arrange: a host service on a host with no tunnel, network or subnet in common with ollama.
    const report = sampleLabReport();
    report.hosts.push({ name: 'far', address: 'root@10.9.9.9:22', status: 'ok', facts: null, containers: [], pythonEnvironments: [], addresses: ['10.9.9.9'] });
    const far: ConsumerFinding = {
      id: 'consumer:far/app->gw/litellm',
      kind: 'consumer',
      severity: 'high',
      title: 'app on far sends requests to litellm on gw',
      host: 'far',
      container: null,
      consumer: 'app.service',
      consumerHost: 'far',
      gateway: SAMPLE.litellmContainer,
      gatewayHost: SAMPLE.gw,
      via: 'host-port',
      evidence: [],
    };
    report.findings.push(far);

    // Act
    const consumer = labGateway(report).consumers.find((candidate) => candidate.findingId === far.id)!;

    // Assert
    expect(consumer.routeAround).toBe('check');
    expect(consumer.routes[0]).toMatchObject({ reach: 'unverified' });
    expect(consumer.routes[0]!.text).toContain('once you have checked it can reach it');
    expect(consumer.answer).toMatch(/^Probably\./);
  });

  it("uses the gateway finding's backends when its config was not read: URLs in the owner's network are direct, names are providers", () => {
    const report = sampleLabReport();
    report.hosts.find((host) => host.name === SAMPLE.gw)!.gatewayConfigs = [];
    const gateway = report.findings.find((finding): finding is GatewayFinding => finding.id === LAB_FINDING_IDS.gateway)!;
    gateway.backends = ['http://192.168.50.11:11434', 'https://api.openai.com/v1', 'groq'];

    const openWebui = labGateway(report).consumers[0]!;

    expect(openWebui.routes.map((route) => [route.target, route.backend, route.models])).toEqual([
      ['direct-backend', 'http://192.168.50.11:11434', []],
      ['provider-sdk', 'https://api.openai.com/v1', []],
      ['provider-sdk', 'groq', []],
    ]);
    expect(openWebui.answer).not.toContain('does not see which models');
  });

  it('lists the scanned host the gateway routes to as a model server, used by the gateway', () => {
    const servers = aiComponents(sampleLabReport()).filter((component) => component.role === 'model-server');

    expect(servers).toHaveLength(1);
    expect(servers[0]).toMatchObject({ id: 'model-server:ollama/-', kind: 'ollama', host: LAB.ollama, container: null, models: [{ name: 'llama3', backend: 'http://ollama:11434' }] });
    expect(servers[0]!.consumers.map((consumer) => [consumer.name, consumer.via, consumer.routeAround])).toEqual([[SAMPLE.litellmContainer, 'gateway-route', 'none']]);
    expect(servers[0]!.prompts).toContain('llama3');
  });

  it("carries the owner's recorded decision for the gateway", () => {
    const decision = { decision: 'patch' as const, reason: 'three services depend on it', decidedAt: '2026-03-26T09:00:00.000Z' };

    expect(labGateway(sampleLabReport(), { [LAB_FINDING_IDS.gateway]: decision }).decision).toEqual(decision);
    expect(labGateway().decision).toBeNull();
  });

  it('finds no components in a report without gateways', () => {
    const report = sampleLabReport();
    report.findings = report.findings.filter((finding) => finding.kind !== 'gateway');

    expect(aiComponents(report)).toEqual([]);
  });
});
