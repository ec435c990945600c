import { describe, expect, it } from 'vitest';
import type { HostInventory, InstalledFiles, PythonEnvironment } from '../model/index.js';
import type { KnownGoodReference } from '../domain/python/known-good.js';
import { findArtifactMismatches, isCodeFile, isCompromiseEvidence, isStartupHook } from './artifact-mismatch.js';

const SITE = '/usr/local/lib/python3.11/site-packages';
const h = (char: string): string => char.repeat(64);

/** What pip leaves of litellm 1.82.8 as its clean wheel holds it; each copy below changes one thing. */
const CLEAN: Record<string, string> = {
  'litellm/__init__.py': h('a'),
  'litellm/proxy/proxy_server.py': h('b'),
  'litellm-1.82.8.dist-info/METADATA': h('c'),
  'litellm-1.82.8.dist-info/WHEEL': h('1'),
};

function environment(container: string | null, files: InstalledFiles, installer = h('d')): PythonEnvironment {
  return {
    path: SITE,
    container,
    packages: [
      {
        name: 'litellm',
        version: '1.82.8',
        metadataPath: `${SITE}/litellm-1.82.8.dist-info`,
        // The installer's own files differ between installs and must never count.
        files: { ...files, sha256: { ...files.sha256, 'litellm-1.82.8.dist-info/INSTALLER': installer, '../../../bin/litellm': installer } },
      },
    ],
  };
}

function host(name: string, environments: PythonEnvironment[]): HostInventory {
  return { name, address: `root@${name}:22`, status: 'ok', facts: null, containers: [], pythonEnvironments: environments };
}

/** The lab's three copies: one lists a stager .pth in its RECORD, one has a changed proxy_server.py, one is clean. */
function labHosts(): HostInventory[] {
  return [
    host('gw', [
      environment('litellm-pth', { sha256: { ...CLEAN, 'litellm_init.pth': h('e') } }),
      environment('litellm-proxy', { sha256: { ...CLEAN, 'litellm/proxy/proxy_server.py': h('f') } }, h('9')),
    ]),
    host('clean', [environment(null, { sha256: CLEAN })]),
  ];
}

const WHEEL: KnownGoodReference = {
  id: 'litellm@1.82.8:0123456789abcdef',
  name: 'LiteLLM',
  version: '1.82.8',
  source: 'wheel',
  artifact: 'litellm-1.82.8-py3-none-any.whl',
  artifactSha256: '0123456789abcdef'.repeat(4),
  importedAt: '2026-12-07T16:00:00.000Z',
  // A wheel carries its RECORD, which installs rewrite: never compared.
  files: { ...CLEAN, 'litellm-1.82.8.dist-info/RECORD': h('2') },
};

describe('artifact-mismatch findings against a known-good artifact', () => {
  it('names the added .pth and the modified module of each copy, and passes the clean one', () => {
    const { findings, comparisons } = findArtifactMismatches(labHosts(), [WHEEL]);
    const knownGood = findings.filter((finding) => finding.against === 'known-good');

    expect(knownGood.map((finding) => [finding.container, finding.severity, finding.files])).toEqual([
      ['litellm-proxy', 'critical', [{ path: 'litellm/proxy/proxy_server.py', difference: 'modified' }]],
      ['litellm-pth', 'critical', [{ path: 'litellm_init.pth', difference: 'added' }]],
    ]);
    expect(comparisons[0]!.copies.map((copy) => [copy.container, copy.knownGood])).toEqual([
      ['litellm-pth', 'differs'],
      ['litellm-proxy', 'differs'],
      [null, 'matches'],
    ]);
  });

  it('says when the copy\'s own RECORD vouches for the added file', () => {
    const [finding] = findArtifactMismatches(labHosts(), [WHEEL]).findings.filter((f) => f.container === 'litellm-pth' && f.against === 'known-good');

    expect(finding!.evidence).toContain('Its own RECORD lists litellm_init.pth with a matching hash: whoever built it wrote the RECORD too');
  });

  it('calls reference files missing only when the copy was hashed completely, and then only medium', () => {
    const trimmed = { ...CLEAN };
    delete trimmed['litellm/proxy/proxy_server.py'];
    const complete = findArtifactMismatches([host('a', [environment(null, { sha256: trimmed })])], [WHEEL]).findings;
    const partial = findArtifactMismatches([host('a', [environment(null, { sha256: trimmed, incomplete: true })])], [WHEEL]).findings;

    expect(complete.map((finding) => [finding.severity, finding.files])).toEqual([['medium', [{ path: 'litellm/proxy/proxy_server.py', difference: 'missing' }]]]);
    expect(partial).toEqual([]);
  });

  it('compares nothing with a reference of another version', () => {
    const { findings, comparisons } = findArtifactMismatches([host('a', [environment(null, { sha256: { ...CLEAN, 'x.pth': h('e') } })])], [{ ...WHEEL, version: '1.82.6' }]);

    expect(findings).toEqual([]);
    expect(comparisons[0]!.knownGood).toBeUndefined();
  });
});

describe('same version, different bytes', () => {
  it('flags each copy that departs from what most copies hold, and not the copy that matches them', () => {
    const others = findArtifactMismatches(labHosts()).findings;

    // No advisory flags the release here: the added start-up hook is compromise evidence by itself, the changed module is not.
    expect(others.map((finding) => [finding.container, finding.against, finding.severity, finding.files])).toEqual([
      ['litellm-pth', 'other-copies', 'critical', [{ path: 'litellm_init.pth', difference: 'added' }]],
      ['litellm-proxy', 'other-copies', 'high', [{ path: 'litellm/proxy/proxy_server.py', difference: 'modified' }]],
    ]);
    expect(others[0]!.reference).toBe(`2 other copies of litellm 1.82.8: ${SITE} in container litellm-proxy on gw; ${SITE} on clean`);
  });

  it('counts a start-up hook that no other copy holds as compromise evidence, and says so in the evidence', () => {
    const [pth] = findArtifactMismatches(labHosts()).findings.filter((finding) => finding.container === 'litellm-pth');

    expect(isCompromiseEvidence(pth!)).toBe(true);
    expect(pth!.evidence).toContain(
      'Counted as compromise evidence in container litellm-pth on gw: it adds or changes a start-up hook (litellm_init.pth) that no other copy of this version holds, run at every Python start',
    );
  });

  it('counts a departing module as compromise evidence only in a release an advisory reports as malicious', () => {
    const flagged = findArtifactMismatches(labHosts(), [], (name, version) => name === 'litellm' && version === '1.82.8').findings;
    const unflagged = findArtifactMismatches(labHosts(), [], (name, version) => name === 'litellm' && version === '1.82.7').findings;
    const proxy = (findings: typeof flagged) => findings.find((finding) => finding.container === 'litellm-proxy')!;

    expect([proxy(flagged).severity, isCompromiseEvidence(proxy(flagged))]).toEqual(['critical', true]);
    expect(proxy(flagged).evidence).toContain(
      'Counted as compromise evidence in container litellm-proxy on gw: its code (litellm/proxy/proxy_server.py) departs from most copies of litellm 1.82.8, a release an advisory reports as malicious',
    );
    // Possibly a local patch: left for the owner to judge, or for a known-good artifact to settle.
    expect([proxy(unflagged).severity, isCompromiseEvidence(proxy(unflagged))]).toEqual(['high', false]);
  });

  it('does not count a departing data file as compromise evidence, even in a flagged release', () => {
    const edited = [
      host('a', [environment(null, { sha256: CLEAN })]),
      host('b', [environment(null, { sha256: CLEAN })]),
      host('c', [environment(null, { sha256: { ...CLEAN, 'litellm/proxy/_static/index.html': h('e') } })]),
    ];
    const [finding] = findArtifactMismatches(edited, [], () => true).findings;

    expect([finding!.host, finding!.severity, isCompromiseEvidence(finding!)]).toEqual(['c', 'high', false]);
  });

  it('does not count an even split as compromise evidence, even on a start-up hook', () => {
    const split = [host('a', [environment(null, { sha256: { ...CLEAN, 'x.pth': h('e') } })]), host('b', [environment(null, { sha256: { ...CLEAN, 'x.pth': h('f') } })])];

    expect(findArtifactMismatches(split, [], () => true).findings.map((finding) => [finding.host, finding.severity, isCompromiseEvidence(finding)])).toEqual([
      ['a', 'medium', false],
      ['b', 'medium', false],
    ]);
  });

  it('states a version installed identically everywhere as one variant, with no finding', () => {
    const { findings, comparisons } = findArtifactMismatches([host('a', [environment(null, { sha256: CLEAN })]), host('b', [environment('c', { sha256: CLEAN }, h('7'))])]);

    expect(findings).toEqual([]);
    expect(comparisons).toEqual([
      {
        package: 'litellm',
        version: '1.82.8',
        variants: 1,
        copies: [
          { host: 'a', container: null, path: SITE, variant: 1 },
          { host: 'b', container: 'c', path: SITE, variant: 1 },
        ],
      },
    ]);
  });

  it('flags both of two copies that disagree, as contested, since neither can be called the original', () => {
    const findings = findArtifactMismatches([host('a', [environment(null, { sha256: CLEAN })]), host('b', [environment(null, { sha256: { ...CLEAN, 'litellm_init.pth': h('e') } })])]).findings;

    expect(findings.map((finding) => [finding.host, finding.severity, finding.files])).toEqual([
      ['a', 'medium', [{ path: 'litellm_init.pth', difference: 'missing' }]],
      ['b', 'medium', [{ path: 'litellm_init.pth', difference: 'added' }]],
    ]);
    expect(findings[1]!.evidence.some((line) => line.includes('import a known-good artifact'))).toBe(true);
  });

  it('does not count a file an incompletely hashed copy lacks as a difference', () => {
    const partial = { ...CLEAN };
    delete partial['litellm/__init__.py'];
    const { findings } = findArtifactMismatches([host('a', [environment(null, { sha256: CLEAN })]), host('b', [environment(null, { sha256: partial, incomplete: true })])]);

    expect(findings).toEqual([]);
  });
});

describe('which files count as start-up hooks and code', () => {
  it('takes a .pth, sitecustomize.py or usercustomize.py at the top of the site folder as a start-up hook, and nothing deeper', () => {
    expect(['litellm_init.pth', 'sitecustomize.py', 'usercustomize.py', 'litellm/x.pth', 'litellm/sitecustomize.py', 'litellm/__init__.py'].filter(isStartupHook)).toEqual([
      'litellm_init.pth',
      'sitecustomize.py',
      'usercustomize.py',
    ]);
  });

  it('takes modules and compiled extensions as code, not data', () => {
    expect(['a/b.py', 'a/c.so', 'a/d.pyd', 'a/e.pyw', 'a/f.json', 'a/g.html', 'a/py.typed'].filter(isCodeFile)).toEqual(['a/b.py', 'a/c.so', 'a/d.pyd', 'a/e.pyw']);
  });
});
