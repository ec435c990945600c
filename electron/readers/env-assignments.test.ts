import { describe, expect, it } from 'vitest';
import { parseDotenv, parseShellAssignments, parseSystemdEnvironment } from './env-assignments.js';

const pairs = (found: { variable?: string; value: string }[]) => found.map((entry) => [entry.variable, entry.value]);

describe('parseDotenv', () => {
  it('reads plain, exported, quoted and commented assignments as Compose does', () => {
    const text = [
      '# OpenAI',
      'OPENAI_API_KEY=sk-proj-abc123',
      'export ANTHROPIC_API_KEY="sk-ant-api03-quoted"',
      "SINGLE='it''s literal $HOME'",
      'WITH_COMMENT=value-here # trailing comment',
      'HASH_INSIDE=pa#ss',
      'REF=${OTHER_VAR}',
      'EMPTY=',
      '  SPACED = spaced-value  ',
      'not an assignment',
    ].join('\n');
    expect(pairs(parseDotenv(text))).toEqual([
      ['OPENAI_API_KEY', 'sk-proj-abc123'],
      ['ANTHROPIC_API_KEY', 'sk-ant-api03-quoted'],
      ['SINGLE', 'it'],
      ['WITH_COMMENT', 'value-here'],
      ['HASH_INSIDE', 'pa#ss'],
      ['REF', '${OTHER_VAR}'],
      ['EMPTY', ''],
      ['SPACED', 'spaced-value'],
    ]);
  });

  it('keeps a double-quoted value that spans lines, with escapes', () => {
    const text = 'PEM="-----BEGIN X-----\nAAAA\n-----END X-----"\nNEXT="a\\"b"\n';
    expect(pairs(parseDotenv(text))).toEqual([
      ['PEM', '-----BEGIN X-----\nAAAA\n-----END X-----'],
      ['NEXT', 'a"b'],
    ]);
  });
});

describe('parseShellAssignments', () => {
  it('reads export, plain and declare -x assignments, several per line', () => {
    const text = [
      'export OPENAI_API_KEY=sk-proj-shell',
      "export HF_TOKEN='hf_single'",
      'declare -x GROQ_API_KEY="gsk_double"',
      'A=1 B="two words" some-command --flag',
      'if [ -f x ]; then . x; fi',
      'alias ll="ls -l"',
      'PATH=$PATH:/opt/bin; export PATH',
      '# export COMMENTED=no',
    ].join('\n');
    expect(pairs(parseShellAssignments(text))).toEqual([
      ['OPENAI_API_KEY', 'sk-proj-shell'],
      ['HF_TOKEN', 'hf_single'],
      ['GROQ_API_KEY', 'gsk_double'],
      ['A', '1'],
      ['B', 'two words'],
      ['PATH', '$PATH:/opt/bin'],
    ]);
  });
});

describe('parseSystemdEnvironment', () => {
  it('reads several quoted assignments per Environment= line, and continued lines', () => {
    const text = [
      '[Unit]',
      'Description=LiteLLM',
      '[Service]',
      'Environment="OPENAI_API_KEY=sk-proj-unit" LITELLM_MODE=PRODUCTION',
      "Environment='DATABASE_URL=postgresql://llm:p4ss w0rd@db/llm'",
      'Environment=A=1 \\',
      '  B=2',
      'EnvironmentFile=/etc/litellm/env',
      'ExecStart=/opt/litellm/bin/litellm --config /etc/litellm/config.yaml',
    ].join('\n');
    expect(pairs(parseSystemdEnvironment(text))).toEqual([
      ['OPENAI_API_KEY', 'sk-proj-unit'],
      ['LITELLM_MODE', 'PRODUCTION'],
      ['DATABASE_URL', 'postgresql://llm:p4ss w0rd@db/llm'],
      ['A', '1'],
      ['B', '2'],
    ]);
  });
});

describe('assignments that carry endpoints', () => {
  it('keeps URL values whole and skips shell lines that are not assignments', () => {
    const rc = ['OPENAI_API_BASE=http://litellm:4000/v1', 'export OLLAMA_HOST="ollama:11434"', 'alias ll="ls -l"', 'if [ -f x ]; then . x; fi'].join('\n');
    expect(pairs(parseShellAssignments(rc))).toEqual([
      ['OPENAI_API_BASE', 'http://litellm:4000/v1'],
      ['OLLAMA_HOST', 'ollama:11434'],
    ]);
    expect(pairs(parseDotenv("ANTHROPIC_BASE_URL='https://gw.lan/anthropic' # trailing\nPLAIN=value # note"))).toEqual([
      ['ANTHROPIC_BASE_URL', 'https://gw.lan/anthropic'],
      ['PLAIN', 'value'],
    ]);
    expect(pairs(parseSystemdEnvironment('Environment="OPENAI_BASE_URL=http://127.0.0.1:4000/v1" "MODE=a b"\nEnvironment=OLLAMA_HOST=ollama:11434 DEBUG=1'))).toEqual([
      ['OPENAI_BASE_URL', 'http://127.0.0.1:4000/v1'],
      ['MODE', 'a b'],
      ['OLLAMA_HOST', 'ollama:11434'],
      ['DEBUG', '1'],
    ]);
  });
});
