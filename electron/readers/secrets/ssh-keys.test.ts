import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { opensshFingerprint, sshFingerprintOfPublicBlob } from './fingerprint.js';
import { parseAuthorizedKeys, parsePublicKeyLine, privateKeyPublicBlob } from './ssh-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'ssh-keys-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Generates a key with ssh-keygen and returns its texts and the fingerprint ssh-keygen itself prints. */
function generate(name: string, args: string[], passphrase = ''): { privateText: string; publicText: string; expected: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', ...args, '-N', passphrase, '-C', `${name}@test`, '-f', file]);
  const listed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], { encoding: 'utf8' });
  return {
    privateText: readFileSync(file, 'utf8'),
    publicText: readFileSync(`${file}.pub`, 'utf8'),
    expected: listed.split(' ')[1]!,
  };
}

describe('private keys give the fingerprint ssh-keygen -lf prints', () => {
  it.each([
    ['ed25519 (openssh format)', ['-t', 'ed25519'], ''],
    ['ed25519 with a passphrase', ['-t', 'ed25519'], 'correct horse battery'],
    ['rsa (openssh format)', ['-t', 'rsa', '-b', '2048'], ''],
    ['rsa PEM (PKCS#1)', ['-t', 'rsa', '-b', '2048', '-m', 'PEM'], ''],
    ['ecdsa PEM (SEC1)', ['-t', 'ecdsa', '-b', '256', '-m', 'PEM'], ''],
    ['ecdsa-384 PKCS#8', ['-t', 'ecdsa', '-b', '384', '-m', 'PKCS8'], ''],
    ['ecdsa-521 PEM', ['-t', 'ecdsa', '-b', '521', '-m', 'PEM'], ''],
    ['ed25519 PKCS#8', ['-t', 'ed25519', '-m', 'PKCS8'], ''],
  ])('%s', (label, args, passphrase) => {
    const key = generate(label.replace(/\W+/g, '-'), args, passphrase);
    const blob = privateKeyPublicBlob(key.privateText);
    expect(blob).not.toBeNull();
    expect(sshFingerprintOfPublicBlob(blob!)).toBe(`ssh:${key.expected}`);
  });

  it('falls back to the .pub for an encrypted PEM key, and gives nothing without it', () => {
    const key = generate('rsa-pem-encrypted', ['-t', 'rsa', '-b', '2048', '-m', 'PEM'], 'secret passphrase');
    expect(key.privateText).toContain('ENCRYPTED');
    expect(privateKeyPublicBlob(key.privateText)).toBeNull();
    expect(opensshFingerprint(privateKeyPublicBlob(key.privateText, key.publicText)!)).toBe(key.expected);
  });

  it('returns null, without throwing, for a damaged key', () => {
    const key = generate('damaged', ['-t', 'ed25519'], '');
    const damaged = key.privateText.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    expect(() => privateKeyPublicBlob(damaged)).not.toThrow();
    expect(privateKeyPublicBlob('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n')).toBeNull();
    expect(privateKeyPublicBlob('not a key')).toBeNull();
  });
});

describe('authorized_keys lines', () => {
  const ed = generate('authorized-ed', ['-t', 'ed25519'], '');
  const rsa = generate('authorized-rsa', ['-t', 'rsa', '-b', '2048'], '');
  const [edType, edBase64] = ed.publicText.split(' ');
  const [rsaType, rsaBase64] = rsa.publicText.split(' ');

  it('reads keys with options, quoted options with spaces, comments and blank lines', () => {
    const text = [
      '# deploy keys',
      '',
      `command="/usr/bin/rsync --server -e.Lsf . /srv",no-pty,from="10.0.0.0/8" ${edType} ${edBase64} deploy@ci box`,
      `${rsaType} ${rsaBase64}`,
      'ssh-ed25519 not-base64!! broken',
    ].join('\n');
    const keys = parseAuthorizedKeys(text);
    expect(keys.map((key) => [key.keyType, opensshFingerprint(key.blob), key.comment])).toEqual([
      ['ssh-ed25519', ed.expected, 'deploy@ci box'],
      ['ssh-rsa', rsa.expected, undefined],
    ]);
  });

  it('rejects a line whose declared type disagrees with the blob', () => {
    expect(parsePublicKeyLine(`ssh-rsa ${edBase64}`)).toBeNull();
  });
});
