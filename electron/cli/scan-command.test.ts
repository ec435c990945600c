import { describe, expect, it } from 'vitest';
import { renderRevocationChecks } from './scan-command.js';

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
