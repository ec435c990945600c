import { describe, expect, it } from 'vitest';
import patternsFile from './secret-patterns.json' with { type: 'json' };
import { classifySecret, isPairSecret, isPlaceholder, loadSecretPatterns, pairIdentifierProvider } from './secret-patterns.js';

// Real-shaped fake keys: right prefix, length and alphabet, random-looking but made up here.
const alnum = (length: number, seed = 7): string => {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWabcdefghijklmnopqrstuvw0123456789';
  let out = '';
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += chars[state % chars.length];
  }
  return out;
};
const hex = (length: number): string => alnum(length * 3, 3).replace(/[^a-f0-9]/g, '').padEnd(length, 'a').slice(0, length);

describe('classifySecret by value format', () => {
  const samples: [string, string][] = [
    ['openai', 'sk-proj-' + alnum(156)],
    ['openai', 'sk-svcacct-' + alnum(120)],
    ['openai', 'sk-admin-' + alnum(100)],
    ['openai', 'sk-' + alnum(20) + 'T3BlbkFJ' + alnum(20, 9)],
    ['anthropic', 'sk-ant-api03-' + alnum(93) + 'AA'],
    ['anthropic', 'sk-ant-admin01-' + alnum(93) + 'AA'],
    ['google', 'AIzaSy' + alnum(33)],
    ['huggingface', 'hf_' + alnum(34)],
    ['groq', 'gsk_' + alnum(52)],
    ['openrouter', 'sk-or-v1-' + hex(64)],
    ['xai', 'xai-' + alnum(80)],
    ['github', 'ghp_' + alnum(36)],
    ['github', 'gho_' + alnum(36)],
    ['github', 'github_pat_' + alnum(22) + '_' + alnum(59, 11)],
    ['langfuse', 'sk-lf-12345678-9abc-def0-1234-56789abcdef0'],
  ];
  it.each(samples)('recognises a %s key whatever variable holds it', (provider, value) => {
    expect(classifySecret(value)).toEqual({ provider, strength: 'value', secret: value });
    expect(classifySecret(value, 'SOME_SETTING')?.provider).toBe(provider);
  });

  it('keeps an OpenRouter key OpenRouter even in OPENAI_API_KEY', () => {
    expect(classifySecret('sk-or-v1-' + hex(64), 'OPENAI_API_KEY')?.provider).toBe('openrouter');
  });

  it('fingerprints only the password of a database URL', () => {
    const password = 'S3cr3t-' + alnum(12);
    for (const scheme of ['postgres', 'postgresql', 'mysql', 'mongodb+srv', 'redis', 'postgresql+asyncpg']) {
      expect(classifySecret(`${scheme}://app:${password}@db.internal:5432/app`)).toEqual({
        provider: 'database',
        strength: 'value',
        secret: password,
      });
    }
  });
});

describe('classifySecret by variable name', () => {
  const opaque = alnum(32, 5);
  it.each([
    ['MISTRAL_API_KEY', 'mistral'],
    ['CO_API_KEY', 'cohere'],
    ['COHERE_API_KEY', 'cohere'],
    ['TOGETHER_API_KEY', 'together'],
    ['DEEPSEEK_API_KEY', 'deepseek'],
    ['FIREWORKS_API_KEY', 'fireworks'],
    ['PPLX_API_KEY', 'perplexity'],
    ['REPLICATE_API_TOKEN', 'replicate'],
    ['VOYAGE_API_KEY', 'voyage'],
    ['AZURE_OPENAI_API_KEY', 'azure-openai'],
    ['LITELLM_MASTER_KEY', 'litellm'],
    ['LITELLM_SALT_KEY', 'litellm'],
    ['general_settings.master_key', 'litellm'],
    ['AWS_SESSION_TOKEN', 'aws'],
  ])('names %s as %s', (variable, provider) => {
    expect(classifySecret(opaque, variable)).toMatchObject({ provider, strength: 'variable' });
  });

  it('calls a LiteLLM virtual key (sk- and 22 url-safe characters) litellm whatever variable holds it', () => {
    // Consumers keep the gateway's virtual key under OPENAI_API_KEY: the value's shape names it.
    expect(classifySecret('sk-' + alnum(20) + '_-', 'OPENAI_API_KEY')?.provider).toBe('litellm');
    expect(classifySecret('sk-' + alnum(21), 'OPENAI_API_KEY')?.provider).not.toBe('litellm');
    expect(classifySecret('sk-' + alnum(23), 'OPENAI_API_KEY')?.provider).not.toBe('litellm');
  });

  it('calls a LiteLLM sk- master key litellm, not openai', () => {
    expect(classifySecret('sk-' + alnum(22), 'LITELLM_MASTER_KEY')?.provider).toBe('litellm');
  });

  it('takes a 40-character secret access key as aws only under its own name', () => {
    const secret = alnum(36) + '/+Ab';
    expect(classifySecret(secret, 'AWS_SECRET_ACCESS_KEY')).toMatchObject({ provider: 'aws', strength: 'value' });
    expect(classifySecret(secret)).toBeNull();
    expect(classifySecret('short-' + alnum(10), 'AWS_SECRET_ACCESS_KEY')).toMatchObject({ provider: 'unknown' });
  });

  it('reports generic secret names as unknown', () => {
    for (const name of ['MY_SERVICE_API_KEY', 'SLACK_TOKEN', 'APP_SECRET', 'POSTGRES_PASSWORD', 'apiKey', 'api_key']) {
      expect(classifySecret(opaque, name), name).toMatchObject({ provider: 'unknown', strength: 'generic' });
    }
  });

  it('ignores names that only look close', () => {
    for (const name of ['MAX_TOKENS', 'AWS_ACCESS_KEY_ID', 'PASSWORD_FILE', 'TOKENIZERS_PARALLELISM', 'OPENAI_API_BASE']) {
      expect(classifySecret(opaque, name), name).toBeNull();
    }
  });
});

describe('near misses', () => {
  it.each([
    ['too short', 'sk-proj-' + alnum(10)],
    ['wrong prefix', 'sk-prof-' + alnum(156)],
    ['google one character short', 'AIzaSy' + alnum(32)],
    ['openrouter with non-hex', 'sk-or-v1-' + alnum(64)],
    ['ghp with 35 characters', 'ghp_' + alnum(35)],
    ['an sk- that is not a key', 'sk-learn-pipeline-cache'],
    ['a URL without a password', 'postgres://app@db.internal:5432/app'],
    ['a URL with an empty password', 'postgres://app:@db.internal/app'],
    ['a URL whose password is a reference', 'postgres://app:${DB_PASSWORD}@db/app'],
    ['a key inside a longer string', 'Bearer sk-ant-api03-' + alnum(93) + 'AA'],
  ])('does not take %s for a secret', (_label, value) => {
    expect(classifySecret(value)).toBeNull();
  });

  it.each([
    '',
    'changeme',
    '${OPENAI_API_KEY}',
    '$OPENAI_API_KEY',
    'os.environ/OPENAI_API_KEY',
    '<your-key>',
    '<YOUR_OPENAI_API_KEY>',
    'xxxxxxxxxxxxxxxx',
    'sk-xxxxxxxxxxxxxxxxxxxxxxxx',
    'sk-...',
    'your-api-key-here',
    'sk-1234',
    'short',
    '${{ secrets.OPENAI_API_KEY }}',
    '/run/secrets/openai_api_key',
    'password',
    '$(pass show openai/api-key)',
    '`cat /run/secrets/key`',
  ])('treats %j as a placeholder under a secret name', (value) => {
    expect(isPlaceholder(value)).toBe(true);
    expect(classifySecret(value, 'OPENAI_API_KEY')).toBeNull();
  });
});

describe('AWS pairs', () => {
  it('knows an access key id and the shape of its secret', () => {
    expect(pairIdentifierProvider('AKIA' + 'IOSFODNN7EXAMPLE'.replace('EXAMPLE', 'ABCDEFG'))).toBe('aws');
    expect(pairIdentifierProvider('ASIAQWERTYUIOPASDFGH')).toBe('aws');
    expect(pairIdentifierProvider('AKIA123')).toBeNull();
    expect(isPairSecret('aws', alnum(38) + '/+')).toBe(true);
    expect(isPairSecret('aws', alnum(39))).toBe(false);
  });
});

describe('the patterns file', () => {
  it('is valid and documents a source for every entry', () => {
    expect(() => loadSecretPatterns(patternsFile)).not.toThrow();
    for (const entry of patternsFile.patterns) expect(entry.source.length).toBeGreaterThan(10);
  });

  it('rejects an unanchored value pattern and a broken regex', () => {
    const base = { placeholders: [], patterns: [{ provider: 'x1', value: 'sk-', source: 'https://example.test/doc' }] };
    expect(() => loadSecretPatterns(base)).toThrow(/anchored/);
    expect(() =>
      loadSecretPatterns({ placeholders: [], patterns: [{ provider: 'x1', variables: ['(^'], source: 'https://example.test/doc' }] }),
    ).toThrow(/regular expression/);
  });
});
