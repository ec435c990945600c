import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  appendKnownHost,
  checkHostKey,
  checkHostKeyInEntries,
  fingerprintSha256,
  keyTypeOfBlob,
  knownHostName,
  parseKnownHosts,
} from './known-hosts.js';

/** Makes a real ed25519 public key with ssh-keygen; returns its type, base64 and blob. */
function makeKey(dir: string, name: string): { type: string; base64: string; blob: Buffer; fingerprint: string } {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
  const [type, base64] = execFileSync('cat', [`${file}.pub`]).toString().trim().split(/\s+/) as [string, string];
  // ssh-keygen -l prints the reference fingerprint our function must reproduce.
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`]).toString().split(/\s+/)[1]!;
  return { type, base64, blob: Buffer.from(base64, 'base64'), fingerprint };
}

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'known-hosts-'));
}

describe('known_hosts', () => {
  test('fingerprintSha256 matches ssh-keygen -l', async () => {
    const key = makeKey(await tempDir(), 'k');

    expect(fingerprintSha256(key.blob)).toBe(key.fingerprint);
    expect(keyTypeOfBlob(key.blob)).toBe('ssh-ed25519');
  });

  test('matches a plain entry in a comma list and reports unknown hosts', async () => {
    const key = makeKey(await tempDir(), 'k');
    const entries = parseKnownHosts(`# comment\nnas,192.168.1.10 ${key.type} ${key.base64}\n`);

    expect(checkHostKeyInEntries(entries, '192.168.1.10', 22, key.type, key.blob).result).toBe('match');
    expect(checkHostKeyInEntries(entries, 'NAS', 22, key.type, key.blob).result).toBe('match');
    expect(checkHostKeyInEntries(entries, 'other', 22, key.type, key.blob)).toEqual({
      result: 'unknown',
      expectedFingerprints: [],
      revoked: false,
    });
  });

  test('uses the [host]:port form for ports other than 22, and only that form', async () => {
    const key = makeKey(await tempDir(), 'k');
    const entries = parseKnownHosts(`[gpu]:2222 ${key.type} ${key.base64}\nplain ${key.type} ${key.base64}\n`);

    expect(knownHostName('GPU', 2222)).toBe('[gpu]:2222');
    expect(checkHostKeyInEntries(entries, 'gpu', 2222, key.type, key.blob).result).toBe('match');
    expect(checkHostKeyInEntries(entries, 'gpu', 22, key.type, key.blob).result).toBe('unknown');
    expect(checkHostKeyInEntries(entries, 'plain', 2200, key.type, key.blob).result).toBe('unknown');
  });

  test('reports a different key of the same type as a mismatch with the expected fingerprint', async () => {
    const dir = await tempDir();
    const known = makeKey(dir, 'known');
    const offered = makeKey(dir, 'offered');
    const entries = parseKnownHosts(`nas ${known.type} ${known.base64}\n`);

    const check = checkHostKeyInEntries(entries, 'nas', 22, offered.type, offered.blob);

    expect(check).toEqual({ result: 'mismatch', expectedFingerprints: [known.fingerprint], revoked: false });
  });

  test('matches a hashed entry written by ssh-keygen -H', async () => {
    const dir = await tempDir();
    const key = makeKey(dir, 'k');
    const file = path.join(dir, 'known_hosts');
    await writeFile(file, `[hashed.example]:2200 ${key.type} ${key.base64}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('|1|')).toBe(true);

    expect((await checkHostKey([file], 'hashed.example', 2200, key.type, key.blob)).result).toBe('match');
    expect((await checkHostKey([file], 'hashed.example', 22, key.type, key.blob)).result).toBe('unknown');
  });

  test('honours wildcards and negations in host patterns', async () => {
    const key = makeKey(await tempDir(), 'k');
    const entries = parseKnownHosts(`*.lab,!evil.lab ${key.type} ${key.base64}\n`);

    expect(checkHostKeyInEntries(entries, 'web.lab', 22, key.type, key.blob).result).toBe('match');
    expect(checkHostKeyInEntries(entries, 'evil.lab', 22, key.type, key.blob).result).toBe('unknown');
  });

  test('rejects a key listed as @revoked and ignores @cert-authority lines', async () => {
    const dir = await tempDir();
    const key = makeKey(dir, 'k');
    const ca = makeKey(dir, 'ca');
    const entries = parseKnownHosts(
      `@cert-authority * ${ca.type} ${ca.base64}\nnas ${key.type} ${key.base64}\n@revoked * ${key.type} ${key.base64}\n`,
    );

    expect(checkHostKeyInEntries(entries, 'nas', 22, key.type, key.blob)).toMatchObject({ result: 'mismatch', revoked: true });
    expect(checkHostKeyInEntries(entries, 'other', 22, ca.type, ca.blob).result).toBe('unknown');
  });

  test('skips malformed lines', async () => {
    const key = makeKey(await tempDir(), 'k');

    const entries = parseKnownHosts(`nas ssh-rsa ${key.base64}\nbroken\nnas ${key.type}\n@bogus nas ${key.type} ${key.base64}\n`);

    expect(entries).toEqual([]);
  });

  test('appendKnownHost writes a line that checkHostKey then matches, keeping earlier lines intact', async () => {
    const dir = await tempDir();
    const key = makeKey(dir, 'k');
    const file = path.join(dir, 'app', 'known_hosts');
    await appendKnownHost(file, '127.0.0.5', 22, key.type, key.blob);
    await writeFile(file, (await readFile(file, 'utf8')).trimEnd()); // simulate a file without final newline
    await appendKnownHost(file, '127.0.0.5', 2022, key.type, key.blob);

    expect(await readFile(file, 'utf8')).toBe(`127.0.0.5 ${key.type} ${key.base64}\n[127.0.0.5]:2022 ${key.type} ${key.base64}\n`);
    expect((await checkHostKey([path.join(dir, 'missing'), file], '127.0.0.5', 2022, key.type, key.blob)).result).toBe('match');
  });

  test('under HashKnownHosts appendKnownHost writes the host hashed: not named in the file, found by us and by ssh-keygen -F', async () => {
    const dir = await tempDir();
    const key = makeKey(dir, 'k');
    const file = path.join(dir, 'state', 'known_hosts');
    await appendKnownHost(file, '127.0.0.5', 2022, key.type, key.blob, true);

    const text = await readFile(file, 'utf8');
    expect(text).toMatch(new RegExp(`^\\|1\\|[A-Za-z0-9+/=]{28}\\|[A-Za-z0-9+/=]{28} ${key.type} ${key.base64.replace(/[+/]/g, '\\$&')}\n$`));
    expect(text).not.toContain('127.0.0.5');
    expect((await checkHostKey([file], '127.0.0.5', 2022, key.type, key.blob)).result).toBe('match');
    expect((await checkHostKey([file], '127.0.0.5', 22, key.type, key.blob)).result).toBe('unknown');
    // OpenSSH's own lookup of a hashed host.
    expect(execFileSync('ssh-keygen', ['-F', '[127.0.0.5]:2022', '-f', file], { encoding: 'utf8' })).toContain(key.base64);
  });

  test('a hashed entry computed by hand (HMAC-SHA1 of the host name) matches', async () => {
    const key = makeKey(await tempDir(), 'k');
    const salt = createHash('sha1').update('salt').digest();
    const { createHmac } = await import('node:crypto');
    const hash = createHmac('sha1', salt).update('nas').digest();

    const entries = parseKnownHosts(`|1|${salt.toString('base64')}|${hash.toString('base64')} ${key.type} ${key.base64}\n`);

    expect(checkHostKeyInEntries(entries, 'nas', 22, key.type, key.blob).result).toBe('match');
    expect(checkHostKeyInEntries(entries, 'nas2', 22, key.type, key.blob).result).toBe('unknown');
  });
});
