import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { litellmGatewayConfig } from './litellm-config.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const fakeFingerprint = (provider: string, value: string) => `${provider}:${value.length.toString(16).padStart(12, '0')}:${value.slice(-4)}`;
const where = { path: '/app/config.yaml', container: 'litellm' };

describe('litellmGatewayConfig', () => {
  it('lists each model route with its provider, cleaned backend and key variable', () => {
    const config = litellmGatewayConfig(fixture('litellm-config.yaml'), where);

    expect(config).toEqual({
      gateway: 'litellm',
      container: 'litellm',
      path: '/app/config.yaml',
      models: [
        { name: 'gpt-4o', provider: 'openai', keyVariable: 'OPENAI_API_KEY' },
        { name: 'claude-sonnet', provider: 'anthropic' },
        { name: 'llama3', provider: 'ollama', apiBase: 'http://ollama:11434/' },
        { name: 'vllm-qwen', provider: 'hosted_vllm', apiBase: 'http://gpu-box.lan:8000/v1' },
        { name: 'local-compatible', provider: 'openai', apiBase: 'https://gw.lab.example/v1', keyVariable: 'LOCAL_GATEWAY_KEY' },
        { name: 'groq-llama', provider: 'groq', keyVariable: 'GROQ_API_KEY' },
      ],
    });
  });

  it('fingerprints inline keys and keys resolved from the container environment or the file', () => {
    const environment = new Map([['OPENAI_API_KEY', 'sk-proj-FAKEcontainerKEY0001']]);
    const config = litellmGatewayConfig(fixture('litellm-config.yaml'), where, environment, fakeFingerprint);
    const byName = new Map(config?.models.map((model) => [model.name, model]));

    expect(byName.get('gpt-4o')?.keyFingerprint).toBe(fakeFingerprint('openai', 'sk-proj-FAKEcontainerKEY0001'));
    expect(byName.get('claude-sonnet')?.keyFingerprint).toBe(fakeFingerprint('anthropic', 'sk-ant-api03-FAKEFAKEFAKEFAKEFAKEFAKE-inline'));
    expect(byName.get('groq-llama')?.keyFingerprint).toBe(fakeFingerprint('groq', 'gsk_FAKEFAKEFAKEFAKEFAKEFAKEFAKE'));
    // Named but not resolvable: the variable is reported, no fingerprint is invented.
    expect(byName.get('local-compatible')?.keyFingerprint).toBeUndefined();
  });

  it('never carries a key, a password or a query into the config', () => {
    const json = JSON.stringify(litellmGatewayConfig(fixture('litellm-config.yaml'), where, new Map(), fakeFingerprint));

    for (const secret of ['FAKEFAKEFAKE', 'hunter2', 'abc123', 'sk-1234-master', 'dbpassword9090']) expect(json).not.toContain(secret);
  });

  it('gives null for text that is not a YAML mapping', () => {
    expect(litellmGatewayConfig('model_list: [', where)).toBeNull();
    expect(litellmGatewayConfig('- a\n- b\n', where)).toBeNull();
  });
});
