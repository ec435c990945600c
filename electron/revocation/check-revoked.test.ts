import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedOrigin, startFakeProvider, type FakeProvider, type FakeScenario } from '../../e2e/lab/fake-provider.js';
import { REVOCATION_ENDPOINTS } from '../../shared/domain/providers/index.js';
import { checkRevoked, NOT_IN_MEMORY_REASON } from './check-revoked.js';
import { KeyVault } from './key-vault.js';

const VALUE = 'sk-fake-0123456789abcdefREVOKECHECK';
const fingerprintOf = (provider: string): string => `${provider}:0123456789ab:HECK`;

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.stop();
});

/** A vault holding VALUE for the provider, and the check run against the fake's scenario. */
async function check(provider: string, scenario: FakeScenario, timeoutMs = 2_000) {
  const vault = new KeyVault();
  vault.remember(fingerprintOf(provider), VALUE);
  return checkRevoked(fingerprintOf(provider), vault, { originFor: () => fake.origin(scenario, provider), timeoutMs });
}

describe('checkRevoked against a fake provider on loopback', () => {
  const providers = Object.keys(REVOCATION_ENDPOINTS);

  it.each(providers)('reports a key %s accepts as live', async (provider) => {
    const result = await check(provider, 'live');

    expect(result).toMatchObject({ fingerprint: fingerprintOf(provider), provider, outcome: 'live', httpStatus: 200 });
    expect(result.endpoint).toBe(`GET ${fake.origin('live', provider)}${REVOCATION_ENDPOINTS[provider]!.path}`);
  });

  it.each(providers)('reports a key %s refuses as revoked', async (provider) => {
    const result = await check(provider, 'revoked');

    expect(result.outcome).toBe('revoked');
    expect(result.httpStatus).toBe(provider === 'google' ? 400 : 401);
  });

  it.each([
    ['server-error', 'server-error', 500],
    ['rate-limited', 'rate-limited', 429],
    ['redirect', 'redirect', 302],
    ['forbidden', 'unexpected-status', 403],
  ] as const)('calls a %s answer indeterminate', async (scenario, errorClass, status) => {
    const result = await check('openai', scenario);

    expect(result).toMatchObject({ outcome: 'indeterminate', errorClass, httpStatus: status });
  });

  it('calls a provider that does not answer in time indeterminate, without waiting longer', async () => {
    const started = performance.now();

    const result = await check('anthropic', 'hang', 300);

    expect(result).toMatchObject({ outcome: 'indeterminate', errorClass: 'timeout' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('calls a refused connection indeterminate', async () => {
    const origin = await refusedOrigin();
    const vault = new KeyVault();
    vault.remember(fingerprintOf('groq'), VALUE);

    const result = await checkRevoked(fingerprintOf('groq'), vault, { originFor: () => origin });

    expect(result).toMatchObject({ outcome: 'indeterminate', errorClass: 'network' });
  });

  it('does not follow a redirect (the fake’s target would say live)', async () => {
    const before = fake.requests.length;

    await check('huggingface', 'redirect');

    expect(fake.requests.slice(before)).toHaveLength(1);
  });

  it('treats a 400 from Gemini without the API_KEY_INVALID reason as indeterminate', async () => {
    // A 400 is also a malformed request: only the documented reason token makes it a refusal.
    const result = await check('openai', 'revoked');
    const google = await check('google', 'server-error');

    expect(result.outcome).toBe('revoked');
    expect(google.outcome).toBe('indeterminate');
  });

  it('sends the key in the provider’s header, never in the URL, with GET only', async () => {
    const before = fake.requests.length;
    await check('anthropic', 'live');
    await check('google', 'live');
    await check('openrouter', 'live');

    const [anthropic, google, openrouter] = fake.requests.slice(before);
    expect(anthropic!.headers['x-api-key']).toBe(VALUE);
    expect(anthropic!.headers['anthropic-version']).toBe('2023-06-01');
    expect(google!.headers['x-goog-api-key']).toBe(VALUE);
    expect(openrouter!.headers['authorization']).toBe(`Bearer ${VALUE}`);
    for (const request of [anthropic!, google!, openrouter!]) {
      expect(request.method).toBe('GET');
      expect(request.url).not.toContain(VALUE);
    }
  });

  it('keeps nothing the provider said when it echoes the key back in its body and headers', async () => {
    const results = [await check('openai', 'echo-live'), await check('google', 'echo-revoked'), await check('groq', 'server-error'), await check('groq', 'forbidden')];

    expect(results.map((result) => result.outcome)).toEqual(['live', 'revoked', 'indeterminate', 'indeterminate']);
    for (const result of results) {
      expect(JSON.stringify(result)).not.toContain(VALUE.slice(0, 16));
      expect(JSON.stringify(result)).not.toContain(VALUE.slice(-16));
    }
  });

  it('answers indeterminate, with the reason, for a key whose value this session never read', async () => {
    const result = await checkRevoked(fingerprintOf('openai'), new KeyVault(), { originFor: () => fake.origin('live', 'openai') });

    expect(result).toMatchObject({ outcome: 'indeterminate', errorClass: 'not-in-memory', reason: NOT_IN_MEMORY_REASON });
  });

  it('has no check for a provider without a read-only endpoint, and asks nobody', async () => {
    const before = fake.requests.length;

    const result = await checkRevoked('aws:0123456789ab:WXYZ', new KeyVault(), { originFor: () => fake.origin('live', 'aws') });

    expect(result).toMatchObject({ outcome: 'no-check', errorClass: 'no-endpoint' });
    expect(fake.requests.length).toBe(before);
  });
});

describe('KeyVault', () => {
  it('keeps values only for providers that have a check', () => {
    const vault = new KeyVault();

    vault.remember('openai:0123456789ab:HECK', VALUE);
    vault.remember('postgres:0123456789ab:HECK', VALUE);

    expect(vault.fingerprints()).toEqual(['openai:0123456789ab:HECK']);
  });

  it('reveals no value when serialised, printed or inspected, and forgets them when cleared', () => {
    const vault = new KeyVault();
    vault.remember('openai:0123456789ab:HECK', VALUE);

    const shown = [JSON.stringify(vault), String(vault), inspect(vault, { showHidden: true, depth: 5 }), JSON.stringify({ vault })];
    vault.clear();

    for (const text of shown) expect(text).not.toContain(VALUE.slice(0, 16));
    expect(vault.valueOf('openai:0123456789ab:HECK')).toBeUndefined();
  });
});
