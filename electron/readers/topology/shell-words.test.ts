import { describe, expect, it } from 'vitest';
import { shellWords } from './shell-words.js';

describe('shellWords', () => {
  it('splits on whitespace and operators, honouring quotes and escapes', () => {
    expect(shellWords(`autossh -M 0 -o "ServerAliveInterval 30" -L 4000:localhost:4000 gw && echo 'a b' # c`)).toEqual([
      'autossh', '-M', '0', '-o', 'ServerAliveInterval 30', '-L', '4000:localhost:4000', 'gw', '&&', 'echo', 'a b',
    ]);
    expect(shellWords('a\\ b;c|d')).toEqual(['a b', ';', 'c', '|', 'd']);
  });
});
