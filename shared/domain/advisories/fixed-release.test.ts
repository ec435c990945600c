import { describe, expect, it } from 'vitest';
import { buildAdvisoryIndex } from './advisory-index.js';
import { fixedRelease } from './fixed-release.js';
import { bundledAdvisoryIndex } from './index.js';
import type { OsvEvent, OsvRecord } from './osv.js';

function withRange(id: string, events: OsvEvent[], name = 'demo'): OsvRecord {
  return {
    id,
    aliases: [],
    related: [],
    summary: '',
    details: '',
    published: null,
    modified: null,
    withdrawn: null,
    affected: [{ package: { ecosystem: 'PyPI', name }, ranges: [{ type: 'ECOSYSTEM', events }], versions: [] }],
    references: [],
    databaseSpecific: {},
  };
}

describe('fixedRelease', () => {
  it('names no fixed release for litellm 1.82.8, only the last affected version of the bundled records', () => {
    // Arrange: the bundled MAL/PYSEC/GHSA records end their range with last_affected 1.82.8.
    const index = bundledAdvisoryIndex();

    // Act
    const release = fixedRelease(index, 'litellm', '1.82.8', ['MAL-2026-2144']);

    // Assert
    expect(release).toEqual({ fixed: null, lastAffected: '1.82.8', advisoryId: expect.stringMatching(/^(MAL-2026-2144|PYSEC-2026-2|GHSA-5mg7-485q-xm76)$/) });
  });

  it('names the fixed event of the bundled ultralytics record', () => {
    const release = fixedRelease(bundledAdvisoryIndex(), 'ultralytics', '8.3.41', ['PYSEC-2024-154']);

    expect(release.fixed).toBe('8.3.47');
    expect(release.advisoryId).toBe('PYSEC-2024-154');
  });

  it('takes the lowest fix above the installed version of the range that covers it', () => {
    const index = buildAdvisoryIndex([
      withRange('GHSA-aaaa-aaaa-aaaa', [{ introduced: '1.0' }, { fixed: '1.5' }, { introduced: '2.0' }, { fixed: '2.3' }]),
      withRange('PYSEC-2099-1', [{ introduced: '2.0' }, { fixed: '2.4' }]),
    ]);

    expect(fixedRelease(index, 'Demo', '2.1', ['GHSA-aaaa-aaaa-aaaa', 'PYSEC-2099-1']).fixed).toBe('2.3');
  });

  it('ignores advisories the finding does not name and ranges that do not cover the version', () => {
    const index = buildAdvisoryIndex([withRange('GHSA-bbbb-bbbb-bbbb', [{ introduced: '1.0' }, { fixed: '1.5' }])]);

    expect(fixedRelease(index, 'demo', '1.2', ['GHSA-other'])).toEqual({ fixed: null, lastAffected: null, advisoryId: null });
    expect(fixedRelease(index, 'demo', '1.6', ['GHSA-bbbb-bbbb-bbbb']).fixed).toBeNull();
  });
});
