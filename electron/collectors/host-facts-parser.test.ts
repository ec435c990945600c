import { describe, expect, it } from 'vitest';
import { parseHostFacts, parseOsRelease } from './host-facts-parser.js';

const BOUNDARY = 'BR0123456789abcdef0123456789abcdef';
const record = (tag: string, body: string): string => `\n${BOUNDARY} ${tag}\n${body}`;

describe('parseHostFacts', () => {
  it('takes PRETTY_NAME from os-release and the kernel release from uname -r', () => {
    const output =
      record('hostname', 'nas01') +
      record('os-release', 'NAME="Debian GNU/Linux"\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n') +
      record('kernel-name', 'Linux') +
      record('kernel', '6.1.0-31-amd64') +
      record('end', '');

    expect(parseHostFacts(output, BOUNDARY)).toEqual({
      facts: { hostname: 'nas01', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-31-amd64' },
      completed: true,
    });
  });

  it('falls back to uname -s when there is no os-release (macOS, BSD)', () => {
    const output = record('hostname', 'mbp') + record('kernel-name', 'Darwin') + record('kernel', '24.3.0') + record('end', '');

    expect(parseHostFacts(output, BOUNDARY).facts).toEqual({ hostname: 'mbp', os: 'Darwin', kernel: '24.3.0' });
  });
});

describe('parseOsRelease', () => {
  it('unquotes double-quoted values with escapes, single-quoted and bare values, and never evaluates them', () => {
    const values = parseOsRelease(
      'PRETTY_NAME="Alpine \\"edge\\" $(touch /tmp/pwned)"\nNAME=\'Alpine Linux\'\nID=alpine\n# COMMENT=1\r\nBROKEN LINE\n',
    );

    expect(Object.fromEntries(values)).toEqual({
      PRETTY_NAME: 'Alpine "edge" $(touch /tmp/pwned)',
      NAME: 'Alpine Linux',
      ID: 'alpine',
    });
  });
});

