import { describe, expect, it } from 'vitest';
import { SAMPLE } from '../fixtures/sample-report.js';
import { deepReport, mutableTag, sysmonUnit, watchtower } from '../fixtures/deep-report.js';
import { countBySeverity, sortFindings } from './findings-list.js';

describe('sortFindings', () => {
  it('orders by severity, then host, then kind, and leaves its input as it was', () => {
    const findings = deepReport().findings;
    const before = findings.map((finding) => finding.id);

    const sorted = sortFindings(findings);

    expect(sorted.map((finding) => [finding.severity, finding.host, finding.kind])).toEqual([
      ['critical', SAMPLE.gw, 'compromised-package'],
      ['critical', SAMPLE.nodocker, 'compromised-package'],
      ['critical', SAMPLE.nodocker, 'ioc'],
      ['high', SAMPLE.gw, 'mutable-image-tag'],
      ['medium', SAMPLE.gw, 'auto-updater'],
    ]);
    expect(findings.map((finding) => finding.id)).toEqual(before);
  });

  it('breaks a tie of severity, host and kind by title', () => {
    const second = { ...mutableTag, id: 'mutable-image-tag:gw:container=b', title: 'B' };
    const first = { ...mutableTag, id: 'mutable-image-tag:gw:container=a', title: 'A' };

    expect(sortFindings([second, first]).map((finding) => finding.title)).toEqual(['A', 'B']);
  });
});

describe('countBySeverity', () => {
  it('counts every severity, zero for those without findings', () => {
    expect(countBySeverity([sysmonUnit, watchtower, mutableTag, sysmonUnit])).toEqual({ critical: 2, high: 1, medium: 1, low: 0, info: 0 });
    expect(countBySeverity([])).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });
  });
});
