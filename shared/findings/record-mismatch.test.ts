import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../domain/advisories/index.js';
import type { HostInventory, PythonPackage } from '../model/index.js';
import { findRecordMismatches, shouldVerifyRecord } from './record-mismatch.js';
import { buildReport } from './build-report.js';

const SITE = '/usr/local/lib/python3.11/site-packages';

function hostWith(packages: PythonPackage[]): HostInventory {
  return {
    name: 'gw',
    address: 'root@gw:22',
    status: 'ok',
    facts: null,
    containers: [],
    pythonEnvironments: [{ path: SITE, container: 'litellm', packages }],
  };
}

const tampered = (name: string, version: string): PythonPackage => ({
  name,
  version,
  metadataPath: `${SITE}/${name}-${version}.dist-info`,
  record: { checked: 3, problems: [{ path: `${name}/proxy/proxy_server.py`, problem: 'modified' }] },
});

describe('record-mismatch findings', () => {
  it('is critical for a distribution an advisory marks as malicious, with every problem file listed', () => {
    const [finding, ...others] = findRecordMismatches([hostWith([tampered('litellm', '1.82.8')])], bundledAdvisoryIndex());

    expect(others).toEqual([]);
    expect(finding).toMatchObject({
      id: `record-mismatch:gw:container=litellm:${SITE}:litellm@1.82.8`,
      kind: 'record-mismatch',
      severity: 'critical',
      package: 'litellm',
      version: '1.82.8',
      path: SITE,
      files: [{ path: 'litellm/proxy/proxy_server.py', problem: 'modified' }],
    });
    expect(finding!.evidence).toContain('modified: litellm/proxy/proxy_server.py');
  });

  it('is high for any other distribution', () => {
    expect(findRecordMismatches([hostWith([tampered('requests', '2.32.3')])], bundledAdvisoryIndex()).map((f) => f.severity)).toEqual(['high']);
  });

  it('reports nothing for a verified distribution without problems, or one never verified', () => {
    const clean: PythonPackage = { name: 'litellm', version: '1.82.8', record: { checked: 10, problems: [], shebangRewrites: ['../../../bin/litellm'] } };
    const unverified: PythonPackage = { name: 'litellm', version: '1.82.7' };

    expect(findRecordMismatches([hostWith([clean, unverified])], bundledAdvisoryIndex())).toEqual([]);
  });

  it('verifies flagged distributions by default and all of them only when asked', () => {
    const index = bundledAdvisoryIndex();

    expect(shouldVerifyRecord(index, { name: 'LiteLLM', version: '1.82.7' })).toBe(true);
    expect(shouldVerifyRecord(index, { name: 'requests', version: '2.32.3' })).toBe(false);
    expect(shouldVerifyRecord(index, { name: 'requests', version: '2.32.3' }, true)).toBe(true);
  });

  it('appears in the report next to the compromised-package and executable-pth findings', () => {
    const host = hostWith([tampered('litellm', '1.82.8')]);
    host.pythonEnvironments[0]!.pthFiles = [{ path: `${SITE}/litellm_init.pth`, sha256: null, owner: 'litellm', lines: [{ text: 'import os', executable: true }] }];

    const report = buildReport([host], bundledAdvisoryIndex(), new Date('2026-03-25T00:00:00Z'));

    expect(report.findings.map((finding) => finding.kind).sort()).toEqual(['compromised-package', 'executable-pth', 'record-mismatch']);
  });
});
