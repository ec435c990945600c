import { describe, expect, it } from 'vitest';
import { buildAdvisoryIndex } from '../domain/advisories/advisory-index.js';
import { bundledAdvisoryIndex } from '../domain/advisories/index.js';
import type { OsvRecord } from '../domain/advisories/osv.js';
import { compromisedPackageFindingId, findCompromisedPackages } from './compromised-package.js';
import type { HostInventory, PythonEnvironment } from '../model/index.js';

const SITE = '/usr/local/lib/python3.12/site-packages';

function host(name: string, pythonEnvironments: PythonEnvironment[]): HostInventory {
  return { name, address: `root@${name}:22`, status: 'ok', facts: null, containers: [], pythonEnvironments };
}

function environment(container: string | null, packages: Array<[string, string]>, path = SITE): PythonEnvironment {
  return {
    path,
    container,
    packages: packages.map(([name, version]) => ({ name, version, metadataPath: `${path}/${name}-${version}.dist-info` })),
  };
}

describe('findCompromisedPackages', () => {
  it('reports litellm 1.82.8 in a container with its advisories, merged ids and evidence', () => {
    const hosts = [host('gw', [environment('litellm', [['litellm', '1.82.8'], ['httpx', '0.28.1']])])];

    const findings = findCompromisedPackages(hosts, bundledAdvisoryIndex());

    expect(findings).toHaveLength(1);
    expect(findings[0]).toEqual({
      id: `compromised-package:gw:container=litellm:${SITE}:litellm@1.82.8`,
      kind: 'compromised-package',
      severity: 'critical',
      title: 'litellm 1.82.8 (malicious code, MAL-2026-2144) in container litellm on gw',
      host: 'gw',
      container: 'litellm',
      package: 'litellm',
      version: '1.82.8',
      path: SITE,
      advisories: ['MAL-2026-2144', 'PYSEC-2026-2', 'GHSA-5mg7-485q-xm76'],
      evidence: [
        `Version 1.82.8 read from ${SITE}/litellm-1.82.8.dist-info`,
        'MAL-2026-2144 (also PYSEC-2026-2): Malicious code in litellm (PyPI)',
        'Affected per MAL-2026-2144: listed versions 1.82.7, 1.82.8',
        'Affected per PYSEC-2026-2: listed versions 1.82.7, 1.82.8',
        'Affected per PYSEC-2026-2: range introduced 1.82.7, last_affected 1.82.8',
        'MAL-2026-2144 published 2026-03-24T11:15:14Z',
        'GHSA-5mg7-485q-xm76: Two LiteLLM versions published containing credential harvesting malware',
        'Affected per GHSA-5mg7-485q-xm76: range introduced 1.82.7, last_affected 1.82.8',
        'GHSA-5mg7-485q-xm76 published 2026-03-25T14:25:42Z',
      ],
    });
  });

  it('does not flag clean litellm releases before and after the compromise', () => {
    const hosts = [host('gw', [environment('litellm', [['litellm', '1.82.6']]), environment(null, [['litellm', '1.83.0']])])];

    expect(findCompromisedPackages(hosts, bundledAdvisoryIndex())).toEqual([]);
  });

  it('names the host alone in the title and "host" in the id for a package outside any container', () => {
    const hosts = [host('nas', [environment(null, [['Telnyx', '4.87.1']], '/opt/venv/lib/python3.11/site-packages')])];

    const [finding] = findCompromisedPackages(hosts, bundledAdvisoryIndex());

    expect(finding?.title).toBe('Telnyx 4.87.1 (malicious code, MAL-2026-2254) on nas');
    expect(finding?.id).toBe('compromised-package:nas:host:/opt/venv/lib/python3.11/site-packages:telnyx@4.87.1');
    expect(finding?.advisories).toEqual(['MAL-2026-2254', 'GHSA-955r-262c-33jc', 'PYSEC-2026-3']);
  });

  it('gives one finding per host, container and environment path where the package sits', () => {
    const hosts = [
      host('gw', [environment('litellm', [['litellm', '1.82.7']]), environment('litellm', [['litellm', '1.82.7']], '/app/.venv/lib/python3.12/site-packages')]),
      host('lab', [environment('proxy', [['litellm', '1.82.7']])]),
    ];

    const ids = findCompromisedPackages(hosts, bundledAdvisoryIndex()).map((finding) => finding.id);

    expect(ids).toEqual([
      'compromised-package:gw:container=litellm:/app/.venv/lib/python3.12/site-packages:litellm@1.82.7',
      `compromised-package:gw:container=litellm:${SITE}:litellm@1.82.7`,
      `compromised-package:lab:container=proxy:${SITE}:litellm@1.82.7`,
    ]);
  });

  it('merges two metadata folders of the same release in one environment into one finding that cites both', () => {
    const env: PythonEnvironment = {
      path: SITE,
      container: null,
      packages: [
        { name: 'litellm', version: '1.82.8', metadataPath: `${SITE}/litellm-1.82.8.dist-info` },
        { name: 'LiteLLM', version: '1.82.8', metadataPath: `${SITE}/LiteLLM-1.82.8.egg-info` },
      ],
    };

    const findings = findCompromisedPackages([host('gw', [env])], bundledAdvisoryIndex());

    expect(findings).toHaveLength(1);
    expect(findings[0]?.evidence).toContain(`Version 1.82.8 read from ${SITE}/LiteLLM-1.82.8.egg-info`);
  });

  it('says where the package was listed when no metadata path was recorded', () => {
    const env: PythonEnvironment = { path: SITE, container: null, packages: [{ name: 'ultralytics', version: '8.3.42' }] };

    const [finding] = findCompromisedPackages([host('gpu', [env])], bundledAdvisoryIndex());

    expect(finding?.evidence[0]).toBe(`Version 8.3.42 listed in Python environment ${SITE}`);
  });

  it('sorts findings by severity first, then by host', () => {
    const vulnerability: OsvRecord = {
      id: 'GHSA-xxxx-yyyy-zzzz',
      aliases: [],
      related: [],
      summary: 'Path traversal in demo',
      details: '',
      published: '2025-01-01T00:00:00Z',
      modified: null,
      withdrawn: null,
      affected: [{ package: { ecosystem: 'PyPI', name: 'demo' }, ranges: [], versions: ['1.0'] }],
      references: [],
      databaseSpecific: { severity: 'MODERATE' },
    };
    const malicious: OsvRecord = { ...vulnerability, id: 'MAL-2099-1', summary: 'Malicious code in evil (PyPI)', affected: [{ package: { ecosystem: 'PyPI', name: 'evil' }, ranges: [], versions: ['0.1'] }] };
    const index = buildAdvisoryIndex([vulnerability, malicious]);
    const hosts = [host('alpha', [environment(null, [['demo', '1.0']])]), host('zulu', [environment(null, [['evil', '0.1'], ['demo', '1.0']])])];

    const findings = findCompromisedPackages(hosts, index);

    expect(findings.map((finding) => [finding.severity, finding.host, finding.package])).toEqual([
      ['critical', 'zulu', 'evil'],
      ['medium', 'alpha', 'demo'],
      ['medium', 'zulu', 'demo'],
    ]);
    expect(findings[1]?.title).toBe('demo 1.0 (medium-severity advisory, GHSA-xxxx-yyyy-zzzz) on alpha');
  });

  it('produces the same ids on a re-scan', () => {
    const hosts = [host('gw', [environment('litellm', [['litellm', '1.82.8'], ['telnyx', '4.87.2']])])];

    const first = findCompromisedPackages(hosts, bundledAdvisoryIndex()).map((finding) => finding.id);
    const second = findCompromisedPackages(structuredClone(hosts), bundledAdvisoryIndex()).map((finding) => finding.id);

    expect(second).toEqual(first);
    expect(first).toHaveLength(2);
  });
});

describe('compromisedPackageFindingId', () => {
  it('keeps a container named "host" apart from the host itself', () => {
    const onHost = compromisedPackageFindingId('gw', null, '/usr/lib/python3/dist-packages', 'litellm', '1.82.8');
    const inContainer = compromisedPackageFindingId('gw', 'host', '/usr/lib/python3/dist-packages', 'litellm', '1.82.8');

    expect(onHost).not.toBe(inContainer);
  });
});
