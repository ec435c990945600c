import { describe, expect, it } from 'vitest';
import { fingerprintProvider, REVOCATION_ENDPOINTS, revocationEndpoint } from './revocation-endpoints.js';

describe('revocation endpoints', () => {
  it('has a read-only check for the issue’s six providers, each with its sources', () => {
    for (const id of ['openai', 'anthropic', 'google', 'huggingface', 'groq', 'openrouter']) {
      const endpoint = revocationEndpoint(id);
      expect(endpoint, id).not.toBeNull();
      expect(endpoint!.sources.length, id).toBeGreaterThan(0);
      for (const source of endpoint!.sources) expect(source).toMatch(/^https:\/\//);
    }
  });

  it('has no check for secrets no free GET can prove dead', () => {
    for (const id of ['aws', 'postgres', 'ssh', 'litellm', 'github-unknown']) expect(revocationEndpoint(id), id).toBeNull();
  });

  it('calls only fixed https origins and paths that generate nothing, with the key in a header', () => {
    for (const endpoint of Object.values(REVOCATION_ENDPOINTS)) {
      expect(endpoint.origin).toMatch(/^https:\/\/[a-z0-9.-]+$/);
      expect(endpoint.path).toMatch(/^\/[a-z0-9/_-]*(models|whoami-v2|key)$/);
      expect(endpoint.path).not.toMatch(/\?|key=/);
      expect(endpoint.refusals.map((rule) => rule.status)).toContain(401);
    }
  });

  it('reads the provider off a fingerprint', () => {
    expect(fingerprintProvider('openai:0123456789ab:wxyz')).toBe('openai');
  });
});
