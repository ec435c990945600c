import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ArtifactKind, TextArtifact } from '../artifacts.js';
import { referencesInEnvironment, referencesInFile } from './endpoint-references.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const file = (kind: ArtifactKind, path: string, text: string, container: string | null = null): TextArtifact => ({
  kind,
  container,
  path,
  user: null,
  text,
  truncated: false,
});

describe('referencesInEnvironment', () => {
  it('lists URL-valued variables of a container, without credentials', () => {
    const references = referencesInEnvironment({
      container: 'open-webui',
      variables: [
        ['OPENAI_API_BASE_URL', 'http://admin:hunter2@litellm:4000/v1?api_key=sk-live'],
        ['OPENAI_API_KEY', 'sk-proj-abcdefabcdefabcdef'],
        ['PATH', '/usr/local/bin:/usr/bin'],
      ],
    });

    expect(references).toEqual([
      {
        container: 'open-webui',
        source: 'container-env',
        variable: 'OPENAI_API_BASE_URL',
        url: 'http://litellm:4000/v1',
        targetHost: 'litellm',
        targetPort: 4000,
      },
    ]);
  });
});

describe('referencesInFile', () => {
  it('reads compose environments as lists and maps, attributed to the running container', () => {
    const references = referencesInFile(file('compose', '/srv/ai/compose.yaml', fixture('compose.yaml')), {
      containerOfService: (_path, service) => (service === 'open-webui' ? 'ai-open-webui-1' : null),
    });

    expect(references.map((r) => [r.container, r.variable, r.targetHost, r.targetPort])).toEqual([
      ['ai-open-webui-1', 'OPENAI_API_BASE_URL', 'litellm', 4000],
      ['ai-open-webui-1', 'OLLAMA_BASE_URL', 'ollama', 11434],
      [null, 'WEBHOOK_URL', 'n8n.lab.example', 443],
      [null, 'OLLAMA_HOST', 'ollama', 11434],
    ]);
    expect(references.every((r) => r.source === 'compose' && r.path === '/srv/ai/compose.yaml')).toBe(true);
  });

  it('reads a unit Environment= line with the unit name, and EnvironmentFile= files with the unit that names them', () => {
    const unit = referencesInFile(file('systemd-unit', '/etc/systemd/system/chat-app.service', fixture('chat-app.service')));
    const envFile = referencesInFile(file('systemd-env-file', '/etc/chat/chat.env', 'ANTHROPIC_BASE_URL=https://gw.lab.example/anthropic\n'), {
      unitOfEnvFile: (path) => (path === '/etc/chat/chat.env' ? 'chat-app.service' : undefined),
    });

    expect(unit).toEqual([
      {
        container: null,
        source: 'systemd',
        unit: 'chat-app.service',
        path: '/etc/systemd/system/chat-app.service',
        variable: 'OPENAI_BASE_URL',
        url: 'http://127.0.0.1:4000/v1',
        targetHost: '127.0.0.1',
        targetPort: 4000,
      },
    ]);
    expect(envFile[0]).toMatchObject({ source: 'env-file', unit: 'chat-app.service', targetHost: 'gw.lab.example', targetPort: 443 });
  });

  it('reads dotenv and shell rc files', () => {
    expect(referencesInFile(file('dotenv', '/srv/app/.env', 'LLM_URL=http://gw:4000\n'))[0]).toMatchObject({ source: 'env-file', variable: 'LLM_URL' });
    expect(referencesInFile(file('shell-rc', '/home/ana/.bashrc', 'export OPENAI_BASE_URL=http://gw:4000/v1\n'))[0]).toMatchObject({
      source: 'shell-rc',
      targetHost: 'gw',
    });
  });

  it('reads Continue JSON and aider YAML settings by their key paths', () => {
    const continueRefs = referencesInFile(file('app-config', '/home/ana/.continue/config.json', fixture('continue-config.json')));
    const aiderRefs = referencesInFile(file('app-config', '/home/ana/.aider.conf.yml', fixture('aider.conf.yml')));

    expect(continueRefs.map((r) => [r.variable, r.url])).toEqual([
      ['models[0].apiBase', 'http://192.168.1.10:4000/v1'],
      ['models[1].apiBase', 'http://localhost:11434/'],
    ]);
    expect(aiderRefs.map((r) => [r.variable, r.targetHost, r.targetPort])).toEqual([['openai-api-base', 'gw.lab.example', 8443]]);
  });

  it('reads TOML-style app configs line by line', () => {
    const refs = referencesInFile(file('app-config', '/home/ana/.codex/config.toml', '[model_providers.gw]\nbase_url = "http://gw.lan:4000/v1"\n'));
    expect(refs.map((r) => [r.variable, r.url])).toEqual([['base_url', 'http://gw.lan:4000/v1']]);
  });

  it('gives nothing for gateway configs and key files, and survives broken YAML', () => {
    expect(referencesInFile(file('litellm-config', '/app/config.yaml', 'model_list:\n  - litellm_params:\n      api_base: http://ollama:11434\n'))).toEqual([]);
    expect(referencesInFile(file('compose', '/x/compose.yaml', 'services: [\n  {'))).toEqual([]);
  });
});
