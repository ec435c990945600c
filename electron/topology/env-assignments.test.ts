import { describe, expect, it } from 'vitest';
import { parseEnvFile, parseUnitEnvironment } from './env-assignments.js';
import { shellWords } from './shell-words.js';

describe('parseEnvFile', () => {
  it('reads dotenv and shell rc assignments, quoted or not, with export', () => {
    const text = [
      '# comment',
      'OPENAI_API_BASE=http://litellm:4000/v1',
      'export OLLAMA_HOST="ollama:11434"',
      "ANTHROPIC_BASE_URL='https://gw.lan/anthropic' # trailing",
      'PLAIN=value # note',
      'alias ll="ls -l"',
      'if [ -f x ]; then . x; fi',
    ].join('\n');

    expect(parseEnvFile(text)).toEqual([
      ['OPENAI_API_BASE', 'http://litellm:4000/v1'],
      ['OLLAMA_HOST', 'ollama:11434'],
      ['ANTHROPIC_BASE_URL', 'https://gw.lan/anthropic'],
      ['PLAIN', 'value'],
    ]);
  });
});

describe('parseUnitEnvironment', () => {
  it('reads several quoted assignments per Environment= line', () => {
    const unit = [
      '[Service]',
      'Environment="OPENAI_BASE_URL=http://127.0.0.1:4000/v1" "MODE=a b"',
      'Environment=OLLAMA_HOST=ollama:11434 DEBUG=1',
      'ExecStart=/usr/bin/app',
    ].join('\n');

    expect(parseUnitEnvironment(unit)).toEqual([
      ['OPENAI_BASE_URL', 'http://127.0.0.1:4000/v1'],
      ['MODE', 'a b'],
      ['OLLAMA_HOST', 'ollama:11434'],
      ['DEBUG', '1'],
    ]);
  });
});

describe('shellWords', () => {
  it('splits on whitespace and operators, honouring quotes and escapes', () => {
    expect(shellWords(`autossh -M 0 -o "ServerAliveInterval 30" -L 4000:localhost:4000 gw && echo 'a b' # c`)).toEqual([
      'autossh', '-M', '0', '-o', 'ServerAliveInterval 30', '-L', '4000:localhost:4000', 'gw', '&&', 'echo', 'a b',
    ]);
    expect(shellWords('a\\ b;c|d')).toEqual(['a b', ';', 'c', '|', 'd']);
  });
});
