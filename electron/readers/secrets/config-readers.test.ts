import { describe, expect, it } from 'vitest';
import { appConfigSecrets, composeEnvironment, litellmConfigSecrets } from './config-readers.js';

describe('composeEnvironment', () => {
  it('reads map and list environments of every service', () => {
    const text = [
      'services:',
      '  litellm:',
      '    image: ghcr.io/berriai/litellm:main-stable',
      '    environment:',
      '      OPENAI_API_KEY: sk-proj-map',
      '      PORT: 4000',
      '      EMPTY:',
      '  ui:',
      '    environment:',
      '      - LITELLM_MASTER_KEY=sk-list-value',
      '      - PASSED_THROUGH',
      '      - "QUOTED=a=b"',
    ].join('\n');
    expect(composeEnvironment(text)).toEqual([
      { variable: 'OPENAI_API_KEY', value: 'sk-proj-map' },
      { variable: 'PORT', value: '4000' },
      { variable: 'LITELLM_MASTER_KEY', value: 'sk-list-value' },
      { variable: 'QUOTED', value: 'a=b' },
    ]);
  });

  it('gives nothing for malformed YAML or a file without services', () => {
    expect(composeEnvironment('services:\n  a: [unclosed\n    environment: {')).toEqual([]);
    expect(composeEnvironment('version: "3"\n')).toEqual([]);
  });
});

describe('litellmConfigSecrets', () => {
  // Shape from docs.litellm.ai/docs/proxy/configs.
  const config = [
    'model_list:',
    '  - model_name: claude',
    '    litellm_params:',
    '      model: anthropic/claude-sonnet-4-5',
    '      api_key: os.environ/ANTHROPIC_API_KEY',
    '  - model_name: gpt-4o',
    '    litellm_params:',
    '      model: openai/gpt-4o',
    '      api_key: sk-proj-inline-value',
    '      api_base: https://api.openai.com/v1',
    '  - model_name: missing-ref',
    '    litellm_params:',
    '      model: groq/llama3',
    '      api_key: os.environ/NOT_SET_ANYWHERE',
    'general_settings:',
    '  master_key: os.environ/LITELLM_MASTER_KEY',
    '  database_url: postgresql://llmproxy:dbpassword9090@db:5432/litellm',
    'environment_variables:',
    '  LANGFUSE_SECRET_KEY: sk-lf-value',
  ].join('\n');
  const environment = new Map([
    ['ANTHROPIC_API_KEY', 'resolved-anthropic-value'],
    ['LITELLM_MASTER_KEY', 'sk-resolved-master'],
  ]);

  it('resolves os.environ references against the container environment, marked as references, and keeps the config key', () => {
    const found = litellmConfigSecrets(config, environment);
    expect(found).toContainEqual({
      variable: 'model_list[claude].litellm_params.api_key',
      name: 'ANTHROPIC_API_KEY',
      value: 'resolved-anthropic-value',
      inferredProvider: 'anthropic',
      byReference: true,
    });
    expect(found).toContainEqual({
      variable: 'general_settings.master_key',
      name: 'LITELLM_MASTER_KEY',
      value: 'sk-resolved-master',
      inferredProvider: undefined,
      byReference: true,
    });
  });

  it('reads inline keys, settings and environment_variables, and skips unresolved references', () => {
    const found = litellmConfigSecrets(config, environment);
    expect(found).toContainEqual({
      variable: 'model_list[gpt-4o].litellm_params.api_key',
      name: 'api_key',
      value: 'sk-proj-inline-value',
      inferredProvider: 'openai',
    });
    expect(found).toContainEqual(expect.objectContaining({ variable: 'general_settings.database_url' }));
    expect(found).toContainEqual(expect.objectContaining({ variable: 'environment_variables.LANGFUSE_SECRET_KEY', name: 'LANGFUSE_SECRET_KEY' }));
    expect(found.some((entry) => entry.variable === 'model_list[missing-ref].litellm_params.api_key')).toBe(false);
  });

  it('gives nothing for malformed YAML', () => {
    expect(litellmConfigSecrets('model_list:\n  - model_name: [x\n', environment)).toEqual([]);
  });
});

describe('appConfigSecrets', () => {
  it('names Continue config.json models by title and infers the provider of their apiKey', () => {
    // Shape from docs.continue.dev (config.json, deprecated but still read).
    const text = JSON.stringify({
      models: [{ title: 'GPT-4', provider: 'openai', model: 'gpt-4', apiKey: 'opaque-openai-value-1' }],
      tabAutocompleteModel: { title: 'Codestral', provider: 'mistral', model: 'codestral-latest', apiKey: 'opaque-mistral-value' },
    });
    const found = appConfigSecrets(text);
    expect(found).toContainEqual({ variable: 'models[GPT-4].apiKey', name: 'apiKey', value: 'opaque-openai-value-1', inferredProvider: 'openai' });
    expect(found).toContainEqual({
      variable: 'tabAutocompleteModel.apiKey',
      name: 'apiKey',
      value: 'opaque-mistral-value',
      inferredProvider: 'mistral',
    });
  });

  it('names Continue config.yaml models by name', () => {
    const text = ['name: My Config', 'version: 0.0.1', 'schema: v1', 'models:', '  - name: Claude', '    provider: anthropic', '    model: claude-sonnet-4-5', '    apiKey: opaque-anthropic-value'].join('\n');
    expect(appConfigSecrets(text)).toContainEqual({
      variable: 'models[Claude].apiKey',
      name: 'apiKey',
      value: 'opaque-anthropic-value',
      inferredProvider: 'anthropic',
    });
  });

  it('reads aider keys: the two dedicated ones and api-key provider=key entries', () => {
    // Shape from aider.chat/docs/config/api-keys.html.
    const text = ['openai-api-key: opaque-openai-aider', 'anthropic-api-key: opaque-anthropic-aider', 'api-key:', '- gemini=opaque-gemini-aider', '- deepseek=opaque-deepseek-aider'].join('\n');
    const found = appConfigSecrets(text);
    expect(found).toEqual([
      { variable: 'openai-api-key', name: 'OPENAI_API_KEY', value: 'opaque-openai-aider', inferredProvider: 'openai' },
      { variable: 'anthropic-api-key', name: 'ANTHROPIC_API_KEY', value: 'opaque-anthropic-aider', inferredProvider: 'anthropic' },
      { variable: 'api-key[gemini]', name: 'GEMINI_API_KEY', value: 'opaque-gemini-aider', inferredProvider: 'google' },
      { variable: 'api-key[deepseek]', name: 'DEEPSEEK_API_KEY', value: 'opaque-deepseek-aider', inferredProvider: 'deepseek' },
    ]);
  });

  it('gives nothing for malformed JSON that is not YAML either', () => {
    expect(appConfigSecrets('{"models": [ {"apiKey": "sk-proj-', )).toEqual([]);
  });
});
