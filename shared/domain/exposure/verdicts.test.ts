import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../advisories/index.js';
import type { Container, HostInventory } from '../../model/index.js';
import { buildReport } from '../../findings/build-report.js';
import { assessExposures } from './verdicts.js';

const SITE = '/usr/local/lib/python3.11/site-packages';
const BEFORE = '2026-03-01T09:00:00Z';
const DURING = '2026-03-24T12:00:00Z';
const AFTER = '2026-04-02T08:00:00Z';

function container(name: string, fields: Partial<Container> = {}): Container {
  return { id: name.padEnd(64, '0'), name, image: 'ghcr.io/berriai/litellm:main-latest', imageDigest: null, running: true, pinnedByDigest: false, ...fields };
}

const watchtower = container('watchtower', {
  image: 'containrrr/watchtower',
  autoUpdater: { updater: 'watchtower', settings: {}, args: [] },
});

function hostWith(containers: Container[], environments: HostInventory['pythonEnvironments']): HostInventory {
  return { name: 'gw', address: 'root@gw:22', status: 'ok', facts: null, containers, pythonEnvironments: environments };
}

const litellmIn = (containerName: string | null, version: string, path = SITE) => ({
  path,
  container: containerName,
  packages: [{ name: 'litellm', version }],
});

describe('assessExposures', () => {
  it('calls an installed compromised release exposed and names the tag, the updater and the unpinned build', () => {
    const gateway = container('litellm', {
      created: DURING,
      buildInstalls: [{ command: 'pip install litellm[proxy]', tool: 'pip', hashPinned: false, reason: 'no --require-hashes', createdAt: DURING }],
    });
    const host = hostWith([gateway, watchtower], [litellmIn('litellm', '1.82.8')]);

    const [malicious] = assessExposures([host], bundledAdvisoryIndex());

    expect(malicious).toMatchObject({ container: 'litellm', verdict: 'exposed', advisories: ['MAL-2026-2144', 'PYSEC-2026-2'] });
    const reasons = malicious!.reasons.join('\n');
    expect(reasons).toMatch(/Mutable tag ghcr\.io\/berriai\/litellm:main-latest/);
    expect(reasons).toMatch(/Auto-updater watchtower replaces it/);
    expect(reasons).toMatch(/Build-time install without hash pinning: pip install litellm\[proxy\]/);
    expect(reasons).toMatch(/Compromise window 2026-03-24T10:39:00Z/);
  });

  it('clears a clean container created before the window: it ran the same image throughout', () => {
    const host = hostWith([container('litellm', { created: BEFORE }), watchtower], [litellmIn('litellm', '1.83.0')]);

    const verdicts = assessExposures([host], bundledAdvisoryIndex()).map((exposure) => exposure.verdict);

    expect(new Set(verdicts)).toEqual(new Set(['not-exposed']));
  });

  it('clears a clean container pinned by digest to an image built before the window, with no updater', () => {
    const pinned = container('proxy', { image: 'ghcr.io/berriai/litellm@sha256:' + 'a'.repeat(64), pinnedByDigest: true, imageCreated: BEFORE, created: AFTER });
    const host = hostWith([pinned], [litellmIn('proxy', '1.82.6')]);

    expect(assessExposures([host], bundledAdvisoryIndex())[0]?.verdict).toBe('not-exposed');
  });

  it('still clears that pinned container when an updater watches it: a digest re-pulls as the same image', () => {
    const pinned = container('proxy', { image: 'ghcr.io/berriai/litellm@sha256:' + 'a'.repeat(64), pinnedByDigest: true, imageCreated: BEFORE, created: AFTER });
    const host = hostWith([pinned, watchtower], [litellmIn('proxy', '1.82.6')]);

    const [exposure] = assessExposures([host], bundledAdvisoryIndex());

    expect(exposure?.verdict).toBe('not-exposed');
    expect(exposure?.reasons.join('\n')).toMatch(/watchtower watches it, but a digest-pinned image re-pulls as the same content/);
  });

  it('does not clear a pinned container whose image was built during the window', () => {
    const pinned = container('proxy', { image: 'ghcr.io/berriai/litellm@sha256:' + 'a'.repeat(64), pinnedByDigest: true, imageCreated: DURING, created: AFTER });
    const host = hostWith([pinned], [litellmIn('proxy', '1.82.6')]);

    expect(assessExposures([host], bundledAdvisoryIndex())[0]?.verdict).toBe('likely-exposed');
  });

  it('calls a clean container on a mutable tag, replaced by an updater and re-created since, likely exposed', () => {
    const host = hostWith([container('litellm', { created: AFTER }), watchtower], [litellmIn('litellm', '1.83.0')]);

    const [exposure] = assessExposures([host], bundledAdvisoryIndex());

    expect(exposure?.verdict).toBe('likely-exposed');
    expect(exposure?.reasons[0]).toMatch(/auto-updater/);
  });

  it('follows a window the user narrowed: a build after the narrowed end no longer counts as during it', () => {
    const builtAtNoon = container('proxy', { image: 'ghcr.io/berriai/litellm@sha256:' + 'a'.repeat(64), pinnedByDigest: true, imageCreated: DURING, created: AFTER });
    const host = hostWith([builtAtNoon], [litellmIn('proxy', '1.82.6')]);
    const narrowed = { 'litellm-2026-03-24': { start: '2026-03-24T10:39:00Z', end: '2026-03-24T11:19:00Z' } };

    const [exposure] = assessExposures([host], bundledAdvisoryIndex(), { windowOverrides: narrowed });

    expect(exposure?.verdict).toBe('unknown');
    expect(exposure?.window).toEqual({ id: 'litellm-2026-03-24', start: '2026-03-24T10:39:00Z', end: '2026-03-24T11:19:00Z' });
    expect(exposure?.reasons.join('\n')).toContain('Image built 2026-03-24T12:00:00Z: after the window');
  });

  it('leaves a clean host environment unknown rather than clearing it', () => {
    const host = hostWith([], [litellmIn(null, '1.83.0', '/home/alice/.local/lib/python3.11/site-packages')]);

    expect(assessExposures([host], bundledAdvisoryIndex()).map((exposure) => exposure.verdict)).toEqual(['unknown', 'unknown']);
  });

  it('judges nothing for packages no advisory covers', () => {
    const host = hostWith([], [{ path: SITE, container: null, packages: [{ name: 'requests', version: '2.32.3' }] }]);

    expect(assessExposures([host], bundledAdvisoryIndex())).toEqual([]);
  });
});

describe('buildReport verdicts', () => {
  it('gives the compromised-package finding its place\'s verdict and reasons, and lists every exposure', () => {
    const host = hostWith([container('litellm', { created: DURING }), watchtower], [litellmIn('litellm', '1.82.8')]);

    const report = buildReport([host], bundledAdvisoryIndex(), new Date('2026-11-23T00:00:00Z'), []);

    const finding = report.findings.find((candidate) => candidate.kind === 'compromised-package');
    expect(finding).toMatchObject({ verdict: 'exposed', reasons: expect.arrayContaining([expect.stringMatching(/Auto-updater watchtower/)]) });
    expect(report.exposures?.map((exposure) => exposure.advisories[0])).toEqual(['MAL-2026-2144', 'GHSA-5mg7-485q-xm76']);
  });
});

describe('assessExposures with copies compared by content', () => {
  const h = (char: string): string => char.repeat(64);
  /** litellm 1.83.0 (outside the affected releases) in a container, with `extra` files in its copy. */
  const copyIn = (name: string, extra: Record<string, string> = {}) => ({
    path: SITE,
    container: name,
    packages: [{ name: 'litellm', version: '1.83.0', metadataPath: `${SITE}/litellm-1.83.0.dist-info`, files: { sha256: { 'litellm/__init__.py': h('a'), ...extra } } }],
  });
  const pinned = (name: string) => container(name, { image: 'ghcr.io/berriai/litellm@sha256:' + 'a'.repeat(64), pinnedByDigest: true, imageCreated: BEFORE, created: AFTER });

  it('calls a clean release exposed where its files are not the release\'s, naming the finding, and leaves the matching copies as they were', () => {
    const host = hostWith([pinned('one'), pinned('two'), pinned('three')], [copyIn('one'), copyIn('two'), copyIn('three', { 'litellm_init.pth': h('e') })]);

    const report = buildReport([host], bundledAdvisoryIndex(), new Date('2026-12-07T12:00:00Z'));
    const byContainer = (name: string) => report.exposures!.filter((exposure) => exposure.container === name);

    expect(new Set(byContainer('one').map((exposure) => exposure.verdict))).toEqual(new Set(['not-exposed']));
    expect(new Set(byContainer('three').map((exposure) => exposure.verdict))).toEqual(new Set(['exposed']));
    expect(byContainer('three')[0]!.reasons.slice(0, 2)).toEqual([
      `litellm 1.83.0 in container three is outside ${byContainer('three')[0]!.advisories[0]}'s affected releases, but its installed files are not the release's: code no release shipped is installed`,
      "Its files are not the release's: litellm 1.83.0 differs from other installed copies of the same version (1 added) in container three on gw (added: litellm_init.pth)",
    ]);
  });
});
