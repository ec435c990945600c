import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../shared/fixtures/sample-report.js';
import type { AppliedSuppression } from '../../shared/model/index.js';
import { EXIT, exitStatus, renderRevocationChecks, suppressionSummary } from './scan-command.js';

describe('renderRevocationChecks', () => {
  it('prints one line per key: fingerprint, outcome, status or class, and the reason', () => {
    const text = renderRevocationChecks([
      { fingerprint: 'openai:0123456789ab:WXYZ', provider: 'openai', outcome: 'revoked', httpStatus: 401, reason: 'OpenAI refused the key (HTTP 401)', checkedAt: '2026-03-27T10:00:00.000Z' },
      { fingerprint: 'groq:0123456789ab:ABCD', provider: 'groq', outcome: 'indeterminate', errorClass: 'timeout', reason: 'Groq did not answer within 10 s', checkedAt: '2026-03-27T10:00:00.000Z' },
    ]);

    expect(text).toMatch(/openai:0123456789ab:WXYZ\s+revoked\s+HTTP 401\s+OpenAI refused/);
    expect(text).toMatch(/groq:0123456789ab:ABCD\s+indeterminate\s+timeout\s+Groq did not answer/);
  });

  it('says so when the scan read no key that can be checked', () => {
    expect(renderRevocationChecks([])).toContain('no key with a read-only check was read');
  });
});

describe('exitStatus', () => {
  const silent = { stderr: () => undefined };
  const allRead = () => {
    const report = sampleReport();
    return { ...report, hosts: report.hosts.filter((host) => host.status === 'ok') };
  };

  it('is 0 when every host was fully read and nothing reaches --fail-on', () => {
    expect(exitStatus(allRead(), null, silent)).toBe(EXIT.ok);
    expect(exitStatus({ ...allRead(), findings: [] }, 'critical', silent)).toBe(EXIT.ok);
  });

  it('is 4 when a host was not fully read, with or without --fail-on, and says which', () => {
    const lines: string[] = [];
    const report = { ...sampleReport(), findings: [] };

    expect(exitStatus(report, null, { stderr: (line) => lines.push(line) })).toBe(4);
    expect(exitStatus(report, 'low', silent)).toBe(EXIT.hostsNotFullyRead);
    expect(lines).toEqual(['not fully read: unreachable (unreachable); exit 4']);
  });

  it('is 1 when a finding reaches --fail-on, even though a host was not fully read', () => {
    expect(exitStatus(sampleReport(), 'critical', silent)).toBe(EXIT.failOnReached);
    expect(exitStatus(allRead(), 'critical', silent)).toBe(1);
  });

  it('leaves suppressed findings out of --fail-on, but counts them again once their suppression expired', () => {
    const report = allRead();
    const suppressed = (expired: boolean): AppliedSuppression[] =>
      report.findings.map((finding) => ({ findingId: finding.id, by: 'advisory', value: 'MAL-2026-2144', reason: 'accepted', expires: '2026-04-01', expired }));

    expect(exitStatus({ ...report, suppressions: suppressed(false) }, 'critical', silent)).toBe(EXIT.ok);
    expect(exitStatus({ ...report, suppressions: suppressed(true) }, 'critical', silent)).toBe(EXIT.failOnReached);
    expect(suppressionSummary({ ...report, suppressions: suppressed(false) })).toBe('suppressions: 2 findings suppressed');
    expect(suppressionSummary({ ...report, suppressions: suppressed(true) })).toBe('suppressions: 0 findings suppressed, 2 back because their suppression expired');
  });
});
