import { describe, expect, it } from 'vitest';
import type { Container, HostInventory } from '../../model/index.js';
import { exposedPlaces } from './exposed-places.js';
import { findGateways, recogniseGateways } from './gateways.js';

function container(name: string, image: string, extra: Partial<Container> = {}): Container {
  return { id: `${name.padEnd(12, '0')}${'f'.repeat(52)}`, name, image, imageDigest: null, running: true, ...extra };
}

/** gw: LiteLLM on the compose network, publishing 4000, routing one model to Ollama on its own host and one to OpenAI. */
function hosts(): HostInventory[] {
  return [
    {
      name: 'gw',
      address: 'root@10.20.0.7:22',
      status: 'ok',
      facts: null,
      addresses: ['10.20.0.7', '127.0.0.1'],
      containers: [
        container('litellm', 'ghcr.io/berriai/litellm:main-latest', {
          networks: [{ name: 'ai_default', ipAddress: '172.18.0.3', ipv6Address: null, aliases: ['litellm', 'gateway', 'litellm00000'] }],
          ports: [{ containerPort: '4000/tcp', hostIp: '0.0.0.0', hostPort: '4000' }],
        }),
        container('olla', 'ghcr.io/thushan/olla:latest'),
        container('vllm', 'vllm/vllm-openai:v0.8.5', { ports: [{ containerPort: '8000/tcp', hostIp: '127.0.0.1', hostPort: '8001' }] }),
        container('open-webui', 'ghcr.io/open-webui/open-webui:main'),
        container('ollama', 'ollama/ollama:0.6.5'),
      ],
      pythonEnvironments: [],
      gatewayConfigs: [
        {
          gateway: 'litellm',
          container: 'litellm',
          path: '/app/config.yaml',
          models: [
            { name: 'gpt-4o', provider: 'openai', keyVariable: 'OPENAI_API_KEY' },
            { name: 'llama3', provider: 'ollama', apiBase: 'http://10.20.0.9:11434' },
          ],
        },
      ],
      secrets: [
        { fingerprint: 'anthropic:b81e44d09a2c:k9Zw', provider: 'anthropic', container: 'litellm', source: 'container-env', variable: 'ANTHROPIC_API_KEY' },
        { fingerprint: 'litellm:0c4d1e2f3a4b:m4st', provider: 'litellm', container: 'litellm', source: 'container-env', variable: 'LITELLM_MASTER_KEY' },
      ],
    },
    { name: 'ollama', address: 'root@10.20.0.9:22', status: 'ok', facts: null, addresses: ['10.20.0.9'], containers: [], pythonEnvironments: [] },
    {
      name: 'ml',
      address: 'local',
      status: 'ok',
      facts: { hostname: 'ml', os: 'Fedora Linux 41', kernel: '6.13.5-200.fc41.x86_64' },
      addresses: ['10.20.0.12'],
      containers: [],
      pythonEnvironments: [],
      gatewayConfigs: [{ gateway: 'litellm', container: null, path: '/etc/litellm/config.yaml', models: [{ name: 'claude', provider: 'anthropic' }] }],
      endpointReferences: [
        { container: null, unit: 'litellm.service', source: 'systemd', path: '/etc/systemd/system/litellm.service', variable: 'DATABASE_URL', url: 'postgres://localhost:5432/litellm', targetHost: 'localhost', targetPort: 5432 },
      ],
    },
  ];
}

describe('recogniseGateways', () => {
  it('knows gateways by image and by config, and leaves UIs and backends out', () => {
    const gateways = recogniseGateways(hosts()).map(({ host, name, kind, service }) => ({ host, name, kind, service }));

    expect(gateways).toEqual([
      { host: 'gw', name: 'litellm', kind: 'litellm', service: undefined },
      { host: 'gw', name: 'olla', kind: 'olla', service: undefined },
      { host: 'gw', name: 'vllm', kind: 'vllm', service: undefined },
      { host: 'ml', name: 'litellm.service', kind: 'litellm', service: 'litellm.service' },
    ]);
  });

  it('counts a container of any image that a gateway config configures', () => {
    const inventories = hosts();
    inventories[0]!.gatewayConfigs![0]!.container = 'open-webui';

    expect(recogniseGateways(inventories).find((gateway) => gateway.name === 'open-webui')?.recognisedBy).toBe(
      '/app/config.yaml configures container open-webui as LiteLLM',
    );
  });
});

describe('findGateways', () => {
  it('lists where clients reach LiteLLM and where it sends requests', () => {
    const litellm = findGateways(hosts(), exposedPlaces([], [])).find((finding) => finding.id === 'gateway:gw:container=litellm')!;

    expect(litellm.severity).toBe('info');
    expect(litellm.gateway).toBe('litellm');
    expect(litellm.endpoints).toEqual(['litellm:4000', 'gateway:4000', '10.20.0.7:4000']);
    expect(litellm.backends).toEqual(['openai', 'http://10.20.0.9:11434 (Ollama, host ollama)', 'anthropic']);
    expect(litellm.evidence).toContain('Model llama3 calls http://10.20.0.9:11434 (/app/config.yaml): 10.20.0.9:11434 is a service of host ollama');
  });

  it('lists the virtual keys read from the gateway database with their models and fingerprints', () => {
    const inventory = hosts();
    inventory[0]!.gatewayConfigs!.push({
      gateway: 'litellm',
      container: 'litellm',
      path: 'postgresql://db:5432/litellm',
      models: [],
      virtualKeys: [
        { fingerprint: 'litellm:7d2c90a1b3e4:Qx9w', alias: 'open-webui', models: ['gpt-4o', 'claude'] },
        { fingerprint: 'litellm:19ab00ce45f2:k0Lm', models: [], blocked: true, expires: '2026-06-30T00:00:00' },
      ],
    });

    const litellm = findGateways(inventory, exposedPlaces([], [])).find((finding) => finding.id === 'gateway:gw:container=litellm')!;

    expect(litellm.evidence).toContain('Virtual keys read from postgresql://db:5432/litellm: 2 virtual keys');
    expect(litellm.evidence).toContain('Virtual key open-webui (gpt-4o, claude): litellm:7d2c90a1b3e4:Qx9w (postgresql://db:5432/litellm)');
    expect(litellm.evidence).toContain('Virtual key litellm:19ab00ce45f2:k0Lm (every model), blocked, expires 2026-06-30T00:00:00: litellm:19ab00ce45f2:k0Lm (postgresql://db:5432/litellm)');
    // The database is where the keys live, not a backend.
    expect(litellm.backends).toEqual(['openai', 'http://10.20.0.9:11434 (Ollama, host ollama)', 'anthropic']);
  });

  it('lists only the loopback address for a port published on loopback', () => {
    const vllm = findGateways(hosts(), exposedPlaces([], [])).find((finding) => finding.container === 'vllm')!;

    expect(vllm.endpoints).toEqual(['127.0.0.1:8001']);
  });

  it('describes a host service by its unit, reached at the default port on the host\'s addresses', () => {
    const service = findGateways(hosts(), exposedPlaces([], [])).find((finding) => finding.host === 'ml')!;

    expect(service).toMatchObject({ id: 'gateway:ml:service=litellm.service', container: null, service: 'litellm.service', endpoints: ['10.20.0.12:4000'], backends: ['anthropic'] });
  });

  it('is critical when the gateway container is judged exposed', () => {
    const exposure = { host: 'gw', container: 'litellm', path: '/usr/lib/python3.13/site-packages', package: 'litellm', installedVersion: '1.82.8', advisories: ['MAL-2026-2144'], verdict: 'exposed' as const, reasons: [], window: null };

    const findings = findGateways(hosts(), exposedPlaces([], [exposure]));

    expect(findings[0]).toMatchObject({ id: 'gateway:gw:container=litellm', severity: 'critical' });
    expect(findings.slice(1).map((finding) => finding.severity)).toEqual(['info', 'info', 'info']);
  });
});
