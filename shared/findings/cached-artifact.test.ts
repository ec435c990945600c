import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../domain/advisories/index.js';
import { cachedArtifactFindingId, findCachedCompromisedArtifacts } from './cached-artifact.js';
import type { HostInventory } from '../model/index.js';
import { buildReport } from './build-report.js';

const PIP_WHEEL = '/home/alice/.cache/pip/wheels/07/3a/0a/e685646460b5cf80f5532edb5698ddecfd5ffcdde0943f99ec/litellm-1.82.8-py3-none-any.whl';
const UV_DIST_INFO = '/root/.cache/uv/archive-v0/Xk3v9QmB2/litellm-1.82.7.dist-info';

function host(name: string, cachedArtifacts?: HostInventory['cachedArtifacts']): HostInventory {
  return { name, address: `root@${name}:22`, status: 'ok', facts: null, containers: [], pythonEnvironments: [], ...(cachedArtifacts ? { cachedArtifacts } : {}) };
}

describe('findCachedCompromisedArtifacts', () => {
  it('flags a cached litellm 1.82.8 wheel as the format page shows it', () => {
    const findings = findCachedCompromisedArtifacts([host('nodocker', [{ path: PIP_WHEEL, package: 'litellm', version: '1.82.8' }])], bundledAdvisoryIndex());

    expect(findings).toEqual([
      {
        id: `cached-compromised-artifact:nodocker:host:${PIP_WHEEL}`,
        kind: 'cached-compromised-artifact',
        severity: 'critical',
        title: "litellm 1.82.8 (malicious code, MAL-2026-2144) in alice's pip wheel cache on nodocker",
        host: 'nodocker',
        container: null,
        path: PIP_WHEEL,
        package: 'litellm',
        version: '1.82.8',
        evidence: [
          'Wheel litellm-1.82.8-py3-none-any.whl in /home/alice/.cache/pip/wheels/07/3a/0a/e685646460b5cf80f5532edb5698ddecfd5ffcdde0943f99ec',
          'MAL-2026-2144 (also PYSEC-2026-2): Malicious code in litellm (PyPI)',
          'GHSA-5mg7-485q-xm76: Two LiteLLM versions published containing credential harvesting malware',
          'pip installs a cached wheel of the same version without downloading it again',
        ],
      },
    ]);
  });

  it('names the container whose cache holds the wheel, apart from the same path on the host', () => {
    const findings = findCachedCompromisedArtifacts(
      [
        host('gw', [
          { path: PIP_WHEEL, package: 'litellm', version: '1.82.8' },
          { path: PIP_WHEEL, package: 'litellm', version: '1.82.8', container: 'litellm' },
        ]),
      ],
      bundledAdvisoryIndex(),
    );

    expect(findings.map(({ id, container, title }) => ({ id, container, title }))).toEqual([
      { id: `cached-compromised-artifact:gw:host:${PIP_WHEEL}`, container: null, title: "litellm 1.82.8 (malicious code, MAL-2026-2144) in alice's pip wheel cache on gw" },
      {
        id: `cached-compromised-artifact:gw:container:litellm:${PIP_WHEEL}`,
        container: 'litellm',
        title: "litellm 1.82.8 (malicious code, MAL-2026-2144) in alice's pip wheel cache in container litellm on gw",
      },
    ]);
    expect(cachedArtifactFindingId('gw', PIP_WHEEL, 'litellm')).toBe(findings[1]!.id);
  });

  it('flags an unpacked litellm 1.82.7 in root\'s uv cache and says uv reuses it', () => {
    const [finding] = findCachedCompromisedArtifacts([host('gw', [{ path: UV_DIST_INFO, package: 'litellm', version: '1.82.7' }])], bundledAdvisoryIndex());

    expect(finding).toMatchObject({ id: `cached-compromised-artifact:gw:host:${UV_DIST_INFO}`, severity: 'critical', package: 'litellm', version: '1.82.7' });
    expect(finding?.title).toContain("in root's uv cache on gw");
    expect(finding?.evidence[0]).toBe('Unpacked wheel litellm-1.82.7.dist-info in /root/.cache/uv/archive-v0/Xk3v9QmB2');
    expect(finding?.evidence.at(-1)).toMatch(/^uv pip install .* without downloading it again$/);
  });

  it('leaves clean releases and hosts without a cache listing alone', () => {
    const hosts = [host('nodocker', [{ path: '/root/.cache/pip/wheels/aa/litellm-1.82.6-py3-none-any.whl', package: 'litellm', version: '1.82.6' }, { path: '/root/.cache/pip/wheels/aa/requests-2.32.3-py3-none-any.whl', package: 'requests', version: '2.32.3' }]), host('gw')];

    expect(findCachedCompromisedArtifacts(hosts, bundledAdvisoryIndex())).toEqual([]);
  });

  it('keeps the same id for the same file on a re-scan, and buildReport includes the finding', () => {
    const hosts = [host('nodocker', [{ path: PIP_WHEEL, package: 'litellm', version: '1.82.8' }, { path: UV_DIST_INFO, package: 'litellm', version: '1.82.7' }])];

    const first = buildReport(hosts, bundledAdvisoryIndex(), new Date('2026-03-25T00:00:00Z')).findings.filter((finding) => finding.kind === 'cached-compromised-artifact');
    const again = buildReport(structuredClone(hosts).reverse(), bundledAdvisoryIndex(), new Date('2026-03-26T00:00:00Z')).findings.filter((finding) => finding.kind === 'cached-compromised-artifact');

    expect(first.map((finding) => finding.id)).toEqual([cachedArtifactFindingId('nodocker', PIP_WHEEL), cachedArtifactFindingId('nodocker', UV_DIST_INFO)]);
    expect(again.map((finding) => finding.id)).toEqual(first.map((finding) => finding.id));
  });
});
