import { describe, expect, it } from 'vitest';
import { cookieValue, decodePath, parseTarget, printable } from './request-parts.js';

describe('parseTarget', () => {
  it('reads an origin-form target, keeping a leading // in the path rather than taking it as a host', () => {
    const target = parseTarget('//evil.example/a?token=t');

    expect(target).toMatchObject({ pathname: '//evil.example/a', authority: null });
    expect(target?.searchParams.get('token')).toBe('t');
  });

  it('reads an absolute-form target with its authority', () => {
    expect(parseTarget('http://127.0.0.1:8080/ws?token=t')).toMatchObject({ pathname: '/ws', authority: '127.0.0.1:8080' });
  });

  it.each(['http://127.0.0.1:99999/', 'http://127.0.0.1:x/', 'http://[::1/', '*', 'example.com:443', '', undefined])(
    'answers null for the unparseable target %j instead of throwing',
    (raw) => {
      expect(parseTarget(raw)).toBeNull();
    },
  );
});

describe('decodePath', () => {
  it('decodes percent-encoded UTF-8', () => {
    expect(decodePath('/caf%C3%A9/%2e%2e')).toBe('/café/..');
  });

  it.each([
    ['a malformed escape', '/%E0%A4%A'],
    ['a lone %', '/%'],
    ['overlong UTF-8 dots', '/%C0%AE%C0%AE/etc/passwd'],
    ['a three-byte overlong dot', '/%E0%80%AE'],
    ['an encoded lone surrogate', '/%ED%A0%80'],
    ['an IIS-style %u escape', '/%uff0e'],
    ['an encoded NUL', '/index.html%00.png'],
  ])('answers null for %s', (_name, path) => {
    expect(decodePath(path)).toBeNull();
  });
});

describe('cookieValue', () => {
  it('decodes the named cookie among others', () => {
    expect(cookieValue('a=1; blast_radius_token=ab%3Dc; b=2', 'blast_radius_token')).toBe('ab=c');
  });

  it('answers undefined when the cookie is absent and null when its encoding is malformed', () => {
    expect(cookieValue('a=1', 'blast_radius_token')).toBeUndefined();
    expect(cookieValue(undefined, 'blast_radius_token')).toBeUndefined();
    expect(cookieValue('blast_radius_token=%E0%A4%A', 'blast_radius_token')).toBeNull();
    expect(cookieValue('blast_radius_token=%ED%A0%80', 'blast_radius_token')).toBeNull();
  });
});

describe('printable', () => {
  it('replaces control, non-ASCII and quote characters and bounds the length', () => {
    expect(printable('\x1b[31mred\u009b"\u202e')).toBe('"?[31mred???"');
    expect(printable('x'.repeat(100), 10)).toBe(`"${'x'.repeat(10)}..."`);
  });
});
