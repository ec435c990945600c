import { describe, expect, it } from 'vitest';
import { findContainerRisks } from './container-risks.js';
import type { Container, Finding, HostInventory } from '../model/index.js';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const litellm: Container = {
  id: '1'.repeat(64),
  name: 'litellm',
  image: 'ghcr.io/berriai/litellm:main-latest',
  imageDigest: DIGEST,
  running: true,
  pinnedByDigest: false,
  repoDigests: [`ghcr.io/berriai/litellm@${DIGEST}`],
  imageCreated: '2026-03-24T11:21:47.590331822Z',
  created: '2026-03-24T12:04:55.204913781Z',
  labels: { 'com.centurylinklabs.watchtower.enable': 'true' },
  buildInstalls: [
    { command: 'RUN /bin/sh -c pip install --require-hashes -r base.txt', tool: 'pip', hashPinned: true, reason: '--require-hashes', createdAt: null },
    { command: 'RUN /bin/sh -c pip install "litellm[proxy]"', tool: 'pip', hashPinned: false, reason: 'live index', createdAt: '2026-03-24T11:21:40Z' },
    { command: 'RUN /bin/sh -c pip install rich', tool: 'pip', hashPinned: false, reason: 'live index', createdAt: '2026-03-24T11:21:45Z' },
  ],
};
const webui: Container = {
  id: '2'.repeat(64),
  name: 'open-webui',
  image: `ghcr.io/open-webui/open-webui@${DIGEST}`,
  imageDigest: DIGEST,
  running: true,
  pinnedByDigest: true,
  buildInstalls: [{ command: 'RUN /bin/sh -c uv pip install --require-hashes -r requirements.txt', tool: 'uv pip', hashPinned: true, reason: '--require-hashes', createdAt: null }],
};
const watchtower: Container = {
  id: '3'.repeat(64),
  name: 'watchtower',
  image: `containrrr/watchtower@${DIGEST}`,
  imageDigest: DIGEST,
  running: true,
  pinnedByDigest: true,
  mounts: [{ type: 'bind', source: '/var/run/docker.sock', destination: '/var/run/docker.sock', readOnly: true, risk: 'engine-socket' }],
  autoUpdater: { updater: 'watchtower', settings: {}, args: [] },
};
const host = (containers: Container[]): HostInventory => ({
  name: 'gw',
  address: 'root@gw:22',
  status: 'ok',
  facts: null,
  containers,
  pythonEnvironments: [],
});
const compromised = {
  id: 'compromised-package:gw:container=litellm:/usr/local/lib/python3.11/site-packages:litellm@1.82.8',
  kind: 'compromised-package',
  severity: 'critical',
  title: 'litellm 1.82.8',
  host: 'gw',
  container: 'litellm',
  package: 'litellm',
  version: '1.82.8',
  path: '/usr/local/lib/python3.11/site-packages',
  advisories: ['MAL-2026-2144'],
  evidence: [],
} satisfies Finding;

const ofKind = (findings: Finding[], kind: Finding['kind']) => findings.filter((finding) => finding.kind === kind);

describe('findContainerRisks', () => {
  it('flags a mutable tag, high when the container holds a flagged package, with the image facts as evidence', () => {
    const findings = findContainerRisks([host([litellm])], [compromised]);

    const [mutable] = ofKind(findings, 'mutable-image-tag');
    expect(mutable).toMatchObject({ id: 'mutable-image-tag:gw:container=litellm', severity: 'high', container: 'litellm', image: 'ghcr.io/berriai/litellm:main-latest' });
    expect(mutable!.evidence).toEqual(
      expect.arrayContaining([
        `RepoDigests: ghcr.io/berriai/litellm@${DIGEST}`,
        'Image built 2026-03-24T11:21:47.590331822Z',
        'Label com.centurylinklabs.watchtower.enable=true',
      ]),
    );
    expect(ofKind(findContainerRisks([host([litellm])], []), 'mutable-image-tag')[0]!.severity).toBe('medium');
  });

  it('does not flag a container deployed by digest', () => {
    expect(ofKind(findContainerRisks([host([webui])], []), 'mutable-image-tag')).toEqual([]);
  });

  it('flags a Docker socket mount as high, noting that read-only does not protect the API', () => {
    const [socket] = ofKind(findContainerRisks([host([watchtower])], []), 'docker-socket-mount');

    expect(socket).toMatchObject({ id: 'docker-socket-mount:gw:container=watchtower', severity: 'high' });
    expect(socket!.evidence[0]).toMatch(/\/var\/run\/docker\.sock → \/var\/run\/docker\.sock \(read-only: the API behind the socket still answers\)/);
  });

  it('rates an updater high when it can replace a container holding a flagged package, info when it only notifies', () => {
    const updating = ofKind(findContainerRisks([host([litellm, webui, watchtower])], [compromised]), 'auto-updater');
    const notifying = ofKind(
      findContainerRisks([host([litellm, { ...watchtower, autoUpdater: { updater: 'watchtower', settings: { WATCHTOWER_MONITOR_ONLY: 'true' }, args: [] } }])], [compromised]),
      'auto-updater',
    );

    expect(updating).toMatchObject([{ id: 'auto-updater:gw:container=watchtower', severity: 'high', updater: 'watchtower', watches: ['litellm', 'open-webui', 'watchtower'] }]);
    expect(updating[0]!.evidence).toContain('litellm holds a flagged package');
    expect(notifying[0]).toMatchObject({ severity: 'info', watches: ['litellm', 'watchtower'] });
  });

  it('rates an updater high for a litellm gateway image even before any package is flagged, medium otherwise', () => {
    expect(ofKind(findContainerRisks([host([litellm, watchtower])], []), 'auto-updater')[0]!.severity).toBe('high');
    expect(ofKind(findContainerRisks([host([webui, watchtower])], []), 'auto-updater')[0]!.severity).toBe('medium');
  });

  it('rates an updater high for any gateway of the gateway-image table, not only LiteLLM, and not for a model backend', () => {
    const vllm: Container = { ...webui, id: '4'.repeat(64), name: 'vllm', image: 'vllm/vllm-openai:latest', pinnedByDigest: false };
    const ollama: Container = { ...vllm, name: 'ollama', image: 'ollama/ollama:0.6' };

    const [updater] = ofKind(findContainerRisks([host([vllm, watchtower])], []), 'auto-updater');

    expect(updater!.severity).toBe('high');
    expect(updater!.evidence).toContain('vllm runs the gateway image vllm/vllm-openai:latest');
    expect(ofKind(findContainerRisks([host([ollama, watchtower])], []), 'auto-updater')[0]!.severity).toBe('medium');
  });

  it('flags unpinned build-time installs, naming the step that installed the flagged package', () => {
    const [build] = ofKind(findContainerRisks([host([litellm, webui])], [compromised]), 'build-time-install');

    expect(build).toMatchObject({ id: 'build-time-install:gw:container=litellm', severity: 'high', command: 'RUN /bin/sh -c pip install "litellm[proxy]"' });
    expect(build!.evidence.slice(0, 3)).toEqual([
      'RUN /bin/sh -c pip install --require-hashes -r base.txt (--require-hashes)',
      '2026-03-24T11:21:40Z: RUN /bin/sh -c pip install "litellm[proxy]" (live index)',
      '2026-03-24T11:21:45Z: RUN /bin/sh -c pip install rich (live index)',
    ]);
    expect(build!.evidence).toContain('The container holds a flagged package');
    expect(ofKind(findContainerRisks([host([litellm])], []), 'build-time-install')[0]).toMatchObject({ severity: 'medium', command: 'RUN /bin/sh -c pip install rich' });
  });

  it('keeps ids stable across scans and sorts most severe first', () => {
    const first = findContainerRisks([host([litellm, webui, watchtower])], [compromised]);
    const second = findContainerRisks([host([watchtower, webui, litellm])], [compromised]);

    expect(second.map((finding) => finding.id)).toEqual(first.map((finding) => finding.id));
    expect(first.map((finding) => finding.severity)).toEqual([...first.map((finding) => finding.severity)].sort((a, b) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(a) - ['critical', 'high', 'medium', 'low', 'info'].indexOf(b)));
  });
});
