import { describe, expect, it } from 'vitest';
import { BUNDLED_ADVISORY_FILES, bundledAdvisoryIndex, bundledAdvisoryRecords } from './index.js';

// These tests run against the real records shipped with the app (see bundled-data.ts).
describe('bundled advisories', () => {
  it('bundles every advisory file of the source folder and parses all of them', () => {
    const names = BUNDLED_ADVISORY_FILES.map((file) => file.fileName);

    const ids = bundledAdvisoryRecords().map((record) => record.id);

    expect(names).not.toContain('SOURCES.md');
    expect(ids.sort()).toEqual([
      'GHSA-5mg7-485q-xm76',
      'GHSA-69fq-xp46-6x23',
      'GHSA-955r-262c-33jc',
      'MAL-2026-2144',
      'MAL-2026-2254',
      'MAL-2026-3201',
      'MAL-2026-3607',
      'PYSEC-2024-154',
      'PYSEC-2026-2',
      'PYSEC-2026-3',
    ]);
  });

  it.each(['1.82.7', '1.82.8'])('matches litellm %s with MAL-2026-2144 and PYSEC-2026-2 merged into one malicious group', (version) => {
    const matches = bundledAdvisoryIndex().match('PyPI', 'litellm', version);

    expect(matches[0]).toMatchObject({ ids: ['MAL-2026-2144', 'PYSEC-2026-2'], malicious: true, severity: 'critical' });
    expect(matches[0]?.published).toBe('2026-03-24T11:15:14Z');
  });

  it('keeps GHSA-5mg7-485q-xm76 as its own group, because neither litellm record lists the other as an alias', () => {
    const matches = bundledAdvisoryIndex().match('PyPI', 'litellm', '1.82.8');

    expect(matches.map((match) => match.ids)).toEqual([['MAL-2026-2144', 'PYSEC-2026-2'], ['GHSA-5mg7-485q-xm76']]);
    expect(matches[1]?.reasons).toEqual([
      { advisoryId: 'GHSA-5mg7-485q-xm76', via: 'range', description: 'range introduced 1.82.7, last_affected 1.82.8' },
    ]);
  });

  it.each(['1.82.6', '1.83.0', '1.82.9', '1.82.8.post1'])('does not flag litellm %s', (version) => {
    expect(bundledAdvisoryIndex().match('PyPI', 'litellm', version)).toEqual([]);
  });

  it('matches LiteLLM spelled with capitals but not lite_llm, which PEP 503 keeps a different project', () => {
    const index = bundledAdvisoryIndex();

    expect(index.match('PyPI', 'LiteLLM', '1.82.8')[0]?.ids[0]).toBe('MAL-2026-2144');
    expect(index.match('PyPI', 'lite_llm', '1.82.8')).toEqual([]);
  });

  it('matches telnyx 4.87.1 with the malicious-packages record first and not 4.87.0', () => {
    const index = bundledAdvisoryIndex();

    const matches = index.match('PyPI', 'telnyx', '4.87.1');

    expect(matches.map((match) => match.ids[0])).toEqual(['MAL-2026-2254', 'GHSA-955r-262c-33jc', 'PYSEC-2026-3']);
    expect(matches.every((match) => match.severity === 'critical')).toBe(true);
    expect(index.match('PyPI', 'telnyx', '4.87.0')).toEqual([]);
  });

  it.each([
    ['8.3.40', false],
    ['8.3.41', true],
    ['8.3.46', true],
    ['8.3.46.post1', true],
    ['8.3.47', false],
  ])('applies the PYSEC-2024-154 range to ultralytics %s (affected: %s)', (version, affected) => {
    const matches = bundledAdvisoryIndex().match('PyPI', 'ultralytics', version);

    expect(matches.length > 0).toBe(affected);
  });

  it('matches an unlisted ultralytics version through the range alone', () => {
    const [match] = bundledAdvisoryIndex().match('PyPI', 'ultralytics', '8.3.46.post1');

    expect(match?.reasons).toEqual([{ advisoryId: 'PYSEC-2024-154', via: 'range', description: 'range introduced 8.3.41, fixed 8.3.47' }]);
    expect(match).toMatchObject({ malicious: true, severity: 'critical' });
  });

  it('matches guardrails_ai and lightning releases named in their malicious-packages records', () => {
    const index = bundledAdvisoryIndex();

    expect(index.match('PyPI', 'guardrails_ai', '0.10.1')[0]?.ids).toEqual(['MAL-2026-3607']);
    expect(index.match('PyPI', 'lightning', '2.6.3')[0]?.ids).toEqual(['MAL-2026-3201']);
    expect(index.match('PyPI', 'lightning', '2.6.1')).toEqual([]);
  });

  it('gives a details excerpt without the malicious-packages editing boilerplate, cut to about 300 characters', () => {
    const [match] = bundledAdvisoryIndex().match('PyPI', 'litellm', '1.82.8');

    expect(match?.detailsExcerpt).toMatch(/^LiteLLM was compromised through trivy security scan/);
    expect(match?.detailsExcerpt).not.toMatch(/Per source details|## Source/);
    expect(match?.detailsExcerpt.length).toBeLessThanOrEqual(301);
    expect(match?.detailsExcerpt.endsWith('…')).toBe(true);
  });

  it('builds the bundled index once', () => {
    expect(bundledAdvisoryIndex()).toBe(bundledAdvisoryIndex());
  });
});
