import { describe, expect, it } from 'vitest';
import type { HostInventory, PthFile } from '../model/index.js';
import { classifyPthContent } from '../domain/python/pth-audit.js';
import { findExecutablePth } from './executable-pth.js';

const LITELLM_PTH_SHA256 = '71e35aef03099cd1f2d6446734273025a163597de93912df321ef118bf135238';
const SITE = '/usr/local/lib/python3.11/site-packages';

function pth(name: string, content: string, extra: Partial<PthFile> = {}): PthFile {
  return { path: `${SITE}/${name}`, sha256: 'ab'.repeat(32), owner: null, ...classifyPthContent(content), ...extra };
}

function hostWith(files: PthFile[], container: string | null = 'litellm'): HostInventory {
  return {
    name: 'gw',
    address: 'root@gw:22',
    status: 'ok',
    facts: null,
    containers: [],
    pythonEnvironments: [{ path: SITE, container, packages: [], pthFiles: files }],
  };
}

describe('executable .pth findings', () => {
  it('flags the known litellm payload hash as critical whatever its content says', () => {
    const file = pth('litellm_init.pth', 'import _virtualenv\n', { sha256: LITELLM_PTH_SHA256, owner: 'litellm' });

    const [finding] = findExecutablePth([hostWith([file])]);

    expect(finding).toMatchObject({
      kind: 'executable-pth',
      severity: 'critical',
      id: `executable-pth:gw:container=litellm:${SITE}/litellm_init.pth`,
      sha256: LITELLM_PTH_SHA256,
      package: 'litellm',
      container: 'litellm',
    });
    expect(finding!.evidence.join('\n')).toContain('GHSA-5mg7-485q-xm76');
  });

  it('flags a .pth file whose line starts with import and is not a known installer file as high, quoting the line', () => {
    const payload = `import os, subprocess; subprocess.Popen(["python", "-c", "${'A'.repeat(400)}"])`;

    const [finding] = findExecutablePth([hostWith([pth('litellm_init.pth', `${payload}\n/opt/extra\n`, { owner: 'litellm' })])]);

    expect(finding?.severity).toBe('high');
    expect(finding?.evidence).toEqual(
      expect.arrayContaining([
        `Path: ${SITE}/litellm_init.pth`,
        `sha256: ${'ab'.repeat(32)}`,
        'Owning distribution: litellm',
        `Executed line: ${payload.slice(0, 200)}…`,
      ]),
    );
  });

  it('keeps known installer .pth files at info and says which rule explained them', () => {
    const findings = findExecutablePth([hostWith([pth('_virtualenv.pth', 'import _virtualenv\n')], null)]);

    expect(findings.map((finding) => [finding.severity, finding.id])).toEqual([['info', `executable-pth:gw:host:${SITE}/_virtualenv.pth`]]);
    expect(findings[0]!.evidence.join('\n')).toContain("virtualenv's interpreter patch");
  });

  it('reports nothing for .pth files that only add paths', () => {
    expect(findExecutablePth([hostWith([pth('easy.pth', '# paths\n/opt/a\n./b\n')])])).toEqual([]);
  });

  it('accepts an extended known-malicious list, so tests and users can add hashes', () => {
    const file = pth('other.pth', '/opt/a\n', { sha256: 'cd'.repeat(32) });
    const malicious = [{ sha256: 'cd'.repeat(32), fileName: 'other.pth', label: 'a test payload', source: 'this test' }];

    expect(findExecutablePth([hostWith([file])], { malicious }).map((finding) => finding.severity)).toEqual(['critical']);
  });

  it('orders findings most severe first', () => {
    const files = [pth('_virtualenv.pth', 'import _virtualenv\n'), pth('x.pth', 'import x\n'), pth('y.pth', '/a\n', { sha256: LITELLM_PTH_SHA256 })];

    expect(findExecutablePth([hostWith(files)]).map((finding) => finding.severity)).toEqual(['critical', 'high', 'info']);
  });
});
