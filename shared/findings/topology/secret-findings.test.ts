import { describe, expect, it } from 'vitest';
import { knownBenignPth } from '../../fixtures/benign-pth.js';
import type { ExposureVerdict, Finding, HostInventory } from '../../model/index.js';
import { exposedPlaces } from './exposed-places.js';
import { recogniseGateways } from './gateways.js';
import { findSecrets } from './secret-findings.js';

const OPENAI = 'openai:3f9a1c0d5e7b:Qx4T';
const ANTHROPIC = 'anthropic:b81e44d09a2c:k9Zw';
const DEPLOY_KEY = 'ssh:SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8';

/** gw runs LiteLLM holding the OpenAI key that alice also keeps in a .env on nodocker; nodocker has a deploy key. */
function hosts(): HostInventory[] {
  return [
    {
      name: 'gw',
      address: 'root@10.20.0.7:22',
      status: 'ok',
      facts: null,
      containers: [
        { id: 'a'.repeat(64), name: 'litellm', image: 'ghcr.io/berriai/litellm:main-latest', imageDigest: null, running: true },
        { id: 'b'.repeat(64), name: 'open-webui', image: 'ghcr.io/open-webui/open-webui:main', imageDigest: null, running: true },
      ],
      pythonEnvironments: [],
      secrets: [
        { fingerprint: OPENAI, provider: 'openai', container: 'litellm', source: 'container-env', variable: 'OPENAI_API_KEY' },
        { fingerprint: OPENAI, provider: 'openai', container: 'litellm', source: 'app-config', path: '/app/config.yaml', variable: 'model_list[gpt-4o].litellm_params.api_key' },
        { fingerprint: ANTHROPIC, provider: 'anthropic', container: 'open-webui', source: 'container-env', variable: 'ANTHROPIC_API_KEY' },
      ],
    },
    {
      name: 'nodocker',
      address: 'alice@10.20.0.8:22',
      status: 'ok',
      facts: null,
      containers: [],
      pythonEnvironments: [],
      secrets: [
        { fingerprint: OPENAI, provider: 'unknown', container: null, source: 'env-file', path: '/home/alice/project/.env', variable: 'OPENAI_API_KEY' },
        { fingerprint: DEPLOY_KEY, provider: 'ssh', container: null, source: 'ssh-key', path: '/home/alice/.ssh/id_ed25519' },
      ],
    },
  ];
}

const ALICE_EXPOSED: ExposureVerdict = {
  host: 'nodocker',
  container: null,
  path: '/home/alice/.local/lib/python3.11/site-packages',
  package: 'litellm',
  installedVersion: '1.82.7',
  advisories: ['MAL-2026-2144'],
  verdict: 'exposed',
  reasons: [],
  window: null,
};

function secrets(inventories: HostInventory[], findings: Finding[] = [], exposures: ExposureVerdict[] = []) {
  return findSecrets(inventories, exposedPlaces(findings, exposures), recogniseGateways(inventories));
}

describe('findSecrets', () => {
  it('makes one finding per fingerprint with every place it was seen, on every host', () => {
    const openai = secrets(hosts()).find((finding) => finding.fingerprint === OPENAI)!;

    expect(openai).toMatchObject({ id: `secret:${OPENAI}`, provider: 'openai', host: 'gw', container: 'litellm' });
    expect(openai.locations).toEqual([
      { host: 'gw', container: 'litellm', source: 'container-env', variable: 'OPENAI_API_KEY' },
      { host: 'gw', container: 'litellm', source: 'app-config', path: '/app/config.yaml', variable: 'model_list[gpt-4o].litellm_params.api_key' },
      { host: 'nodocker', container: null, source: 'env-file', path: '/home/alice/project/.env', variable: 'OPENAI_API_KEY' },
    ]);
  });

  it('names a key of a Kubernetes Secret by the Secret, and a mounted one by its file', () => {
    const cluster = hosts();
    cluster[1]!.secrets!.push(
      { fingerprint: ANTHROPIC, provider: 'anthropic', container: null, source: 'kubernetes-secret', path: 'ai/secret/litellm-keys', variable: 'anthropic-api-key' },
      { fingerprint: ANTHROPIC, provider: 'anthropic', container: null, source: 'kubernetes-secret', path: '/etc/keys/anthropic-api-key', variable: 'anthropic-api-key' },
    );
    const evidence = secrets(cluster).find((finding) => finding.fingerprint === ANTHROPIC)!.evidence.join('\n');

    expect(evidence).toContain('key anthropic-api-key of Kubernetes Secret ai/litellm-keys');
    expect(evidence).toContain('anthropic-api-key in /etc/keys/anthropic-api-key (kubernetes-secret)');
  });

  it('rates a key held by a gateway high, any other key medium, while no place is exposed', () => {
    const severities = Object.fromEntries(secrets(hosts()).map((finding) => [finding.fingerprint, finding.severity]));

    expect(severities).toEqual({ [OPENAI]: 'high', [ANTHROPIC]: 'medium', [DEPLOY_KEY]: 'medium' });
  });

  it('rates every key critical that sits in a place judged exposed, saying which place and why', () => {
    const findings = secrets(hosts(), [], [ALICE_EXPOSED]);
    const openai = findings.find((finding) => finding.fingerprint === OPENAI)!;
    const deploy = findings.find((finding) => finding.fingerprint === DEPLOY_KEY)!;

    expect(openai.severity).toBe('critical');
    expect(openai.evidence).toContain(
      'Host nodocker: OPENAI_API_KEY in /home/alice/project/.env (env-file) — place judged exposed: litellm 1.82.7 judged exposed (MAL-2026-2144)',
    );
    expect(deploy.severity).toBe('critical');
    expect(deploy.title).toBe(`SSH private key ${DEPLOY_KEY} in host nodocker`);
    expect(findings.find((finding) => finding.fingerprint === ANTHROPIC)!.severity).toBe('medium');
  });

  it('treats a place with a compromise finding as exposed even without a verdict', () => {
    const ioc = { id: 'ioc:gw:container=open-webui:x', kind: 'ioc', severity: 'critical', title: 'IOC', host: 'gw', container: 'open-webui', evidence: [], rule: 'x', source: 's' } as Finding;

    expect(secrets(hosts(), [ioc]).find((finding) => finding.fingerprint === ANTHROPIC)!.severity).toBe('critical');
  });

  it('does not treat a place whose only finding is a known-benign .pth as exposed', () => {
    const benignPth = knownBenignPth('nodocker');

    const severities = Object.fromEntries(secrets(hosts(), [benignPth]).map((finding) => [finding.fingerprint, finding.severity]));

    expect(severities).toEqual({ [OPENAI]: 'high', [ANTHROPIC]: 'medium', [DEPLOY_KEY]: 'medium' });
  });

  it('keeps the same ids on a re-scan that finds the keys in a different order', () => {
    const first = secrets(hosts()).map((finding) => finding.id);
    const reordered = hosts().reverse();

    expect(secrets(reordered).map((finding) => finding.id).sort()).toEqual([...first].sort());
  });
});
