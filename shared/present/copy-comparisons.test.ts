import { describe, expect, it } from 'vitest';
import type { CopyComparison } from '../model/index.js';
import { copyComparisonRows } from './copy-comparisons.js';
import { renderMarkdownReport } from './report-markdown.js';

const SITE = '/usr/lib/python3.12/site-packages';
const identical: CopyComparison = {
  package: 'requests',
  version: '2.32.3',
  variants: 1,
  copies: [
    { host: 'gw', container: 'open-webui', path: SITE, variant: 1 },
    { host: 'nas', container: null, path: SITE, variant: 1 },
  ],
};
const differing: CopyComparison = {
  package: 'litellm',
  version: '1.82.8',
  variants: 2,
  knownGood: 'wheel litellm-1.82.8-py3-none-any.whl (sha256 0123456789abcdef…)',
  copies: [
    { host: 'gw', container: 'litellm', path: SITE, variant: 2, knownGood: 'differs' },
    { host: 'nas', container: null, path: SITE, variant: 1, knownGood: 'matches' },
  ],
};

describe('copy comparisons for people', () => {
  it('states a version installed identically everywhere as such', () => {
    expect(copyComparisonRows([identical])[0]).toMatchObject({ verdict: 'identical everywhere: 2 copies hold the same bytes', knownGood: 'none imported' });
  });

  it('names the variants and the known-good outcome of each copy', () => {
    expect(copyComparisonRows([differing])[0]).toMatchObject({
      verdict: '2 different file sets among 2 copies',
      knownGood: '1 match, 1 differ: wheel litellm-1.82.8-py3-none-any.whl (sha256 0123456789abcdef…)',
      copies: `gw/litellm:${SITE} (variant 2, differs); nas:${SITE} (variant 1, matches)`,
    });
  });

  it('puts them in the Markdown report, escaped', () => {
    const markdown = renderMarkdownReport({
      schemaVersion: 1,
      scannedAt: '2026-03-25T08:00:00.000Z',
      hosts: [],
      findings: [],
      copyComparisons: [identical, { ...differing, package: 'lite|llm' }],
    });

    expect(markdown).toContain('## Installed copies compared');
    expect(markdown).toContain('| requests | 2.32.3 | identical everywhere: 2 copies hold the same bytes | none imported |');
    expect(markdown).toContain('| lite\\|llm | 1.82.8 |');
  });
});
