import { describe, expect, it } from 'vitest';
import { fingerprintSecret } from './fingerprint.js';
import { describeParseError, looksSecret, redactText } from './redact-text.js';

// Fake values of each provider's shape, built here so no real-shaped key is committed.
const repeat = (seed: string, length: number): string => {
  const alphabet = 'aB3xK9qZ7mP2wR5tY8uV4nC6';
  let out = '';
  for (let i = 0; out.length < length; i++) out += alphabet[(i * 7 + seed.length * 3 + seed.charCodeAt(i % seed.length)) % alphabet.length];
  return out;
};
const OPENAI = `sk-proj-${repeat('openai-a', 40)}T3BlbkFJ${repeat('openai-b', 40)}`;
const ANTHROPIC = `sk-ant-api03-${repeat('anthropic', 91)}AA`;
const GROQ = `gsk_${repeat('groq', 52)}`;
const GITHUB = `ghp_${repeat('github', 36)}`;
const PASSWORD = `Pw${repeat('password', 22)}`;

describe('redactText', () => {
  it.each([
    ['openai', OPENAI],
    ['anthropic', ANTHROPIC],
    ['groq', GROQ],
    ['github', GITHUB],
  ])('replaces a %s key in free text by its fingerprint', (provider, key) => {
    const text = `Error: request failed with key ${key}, retrying`;

    const shown = redactText(text);

    expect(shown).toBe(`Error: request failed with key [redacted ${fingerprintSecret(provider, key)}], retrying`);
  });

  it('replaces the password of a URL, keeping scheme, user and host readable', () => {
    const stderr = `Error response from daemon: Get "https://ci:${PASSWORD}@registry.example/v2/": proxyconnect tcp: dial tcp 10.0.0.1:3128: connect: connection refused`;

    const shown = redactText(stderr);

    expect(shown).not.toContain(PASSWORD);
    expect(shown).toContain('Get "https://ci:[redacted url-password:');
    expect(shown).toContain('@registry.example/v2/": proxyconnect tcp: dial tcp 10.0.0.1:3128: connect: connection refused');
  });

  it('names a database URL password as the key search does, so the placeholder matches its finding', () => {
    const shown = redactText(`FATAL: could not connect to postgresql://litellm:${PASSWORD}@db:5432/litellm`);

    expect(shown).toContain(`postgresql://litellm:[redacted ${fingerprintSecret('database', PASSWORD)}]@db:5432/litellm`);
  });

  it('redacts a URL password once: the placeholder is not judged again by the later detectors', () => {
    const shown = redactText(`docker ps failed: Get "https://ci:${PASSWORD}@registry.example/v2/"`);

    expect(shown).toBe(`docker ps failed: Get "https://ci:[redacted ${fingerprintSecret('url-password', PASSWORD)}]@registry.example/v2/"`);
  });

  it('replaces a token given as the user part of a URL', () => {
    expect(redactText(`fatal: unable to access 'https://${GITHUB}@github.com/org/repo.git/'`)).not.toContain(GITHUB);
  });

  it.each([
    ['password=', `password=hunter2x`, 'hunter2x'],
    ['a JSON pair', `{"api_key": "s3cr3t-value"}`, 's3cr3t-value'],
    ['token:', `token: abc.def-ghi`, 'abc.def-ghi'],
    ['secret=', `CLIENT_SECRET='quoted value'`, 'quoted value'],
    ['PGPASSWORD', `PGPASSWORD=correcthorse psql -h db`, 'correcthorse'],
    ['an Authorization header', `Authorization: Bearer eyJhbGciOi.short`, 'eyJhbGciOi.short'],
    ['Basic auth', `Authorization: Basic dXNlcjpwYXNz`, 'dXNlcjpwYXNz'],
  ])('replaces the value of %s', (_name, text, value) => {
    const shown = redactText(text);

    expect(shown).not.toContain(value);
    expect(shown).toContain('[redacted ');
  });

  it('replaces a long random token that no provider pattern names', () => {
    const token = 'Zq8vN2kL5pX9wR3tB7mC4yH6';

    expect(redactText(`upstream said: ${token} rejected`)).toBe(`upstream said: [redacted ${fingerprintSecret('unknown', token)}] rejected`);
  });

  it('replaces a base64 secret holding slashes whole, not piece by piece', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY8';

    expect(redactText(`aws said ${secret}`)).not.toMatch(/K7MDENG|bPxRfiCY/);
  });

  it('replaces a private key block', () => {
    const block = `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----`;

    expect(redactText(`cannot parse ${block}`)).not.toContain('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ');
  });

  it.each([
    'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.51/containers/json?all=1": dial unix /var/run/docker.sock: connect: permission denied',
    'Error response from daemon: No such container: 4d525951f6609b9cc3fe0d9ee1daab044dc2b737eb436c7d74872714938fb4aa',
    'Error response from daemon: No such image: sha256:a5232b5f230c74637604843489235364a6f1e464f1984986cce691acb7db5b25',
    'sudo: a password is required',
    'head: cannot open \'/home/lab-blast/.config/systemd/user/sysmon.service\' for reading: Permission denied',
    'OCI runtime exec failed: exec failed: unable to start container process: exec: "sh": executable file not found in $PATH: unknown',
    'ls: /usr/lib/python3.11/site-packages/litellm-1.82.8.dist-info: No such file or directory',
    'psql: error: FATAL: password authentication failed for user "litellm"',
    'container 8c2b4f5e-1a3d-4e6f-9b7c-0d1e2f3a4b5c uses docker-credential-desktop and x86_64-linux-gnu',
    'container $(touch /tmp/pwned-0392d7d09737): not read',
    'host key of [127.77.225.7]:45725 has changed: known_hosts expects SHA256:I0ZAkP4fIyguMSvCxoljiEpyNh1yvhyt5HLwVtGgAq0, server offered SHA256:Zq8vN2kL5pX9wR3tB7mC4yH6Zq8vN2kL5pX9wR3tB7m',
    'offered ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG7k0vXq8vN2kL5pX9wR3tB7mC4yH6Zq8vN2kL5pX9w lab@gw',
  ])('leaves ordinary error text readable: %s', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it('writes bidirectional and invisible line characters as visible escapes', () => {
    const shown = redactText('name\u202Egnp.exe\u2066x\u2069\u200F\u061C\u2028end');

    expect(shown).toBe('name\\u{202e}gnp.exe\\u{2066}x\\u{2069}\\u{200f}\\u{61c}\\u{2028}end');
  });

  it('writes C0 and C1 controls as escapes and keeps line breaks', () => {
    const shown = redactText('a\x1b[2Jb\rc\x07d\x85e\x7ff\tg\nh');

    expect(shown).toBe('a\\x1b[2Jb\\rc\\x07d\\x85e\\x7ff\\tg\nh');
  });

  it('truncates at 500 characters, saying how many were left out', () => {
    const shown = redactText('word '.repeat(300));

    expect(shown.length).toBeLessThanOrEqual(500);
    expect(shown).toMatch(/… \(\d+ more characters\)$/);
    const kept = shown.slice(0, shown.indexOf('…')).length;
    expect(shown).toContain(`(${1500 - kept} more characters)`);
  });

  it('redacts before it truncates, so a key across the cut is never shown in part', () => {
    const text = `${'x '.repeat(230)}${OPENAI}`;

    const shown = redactText(text);

    expect(shown).not.toContain(OPENAI.slice(0, 12));
    expect(shown).not.toContain('T3BlbkFJ');
  });

  it('is idempotent: a redacted, truncated text comes back unchanged', () => {
    const once = redactText(`${OPENAI} \u202E ${'y'.repeat(900)} https://u:${PASSWORD}@h/`);

    expect(redactText(once)).toBe(once);
  });

  it('does not examine more than 64 KiB, and never shows the unexamined part', () => {
    const text = `${'a '.repeat(40_000)}${OPENAI}`;

    const shown = redactText(text, { maxChars: 100 });

    expect(shown.length).toBeLessThanOrEqual(100);
    expect(shown).toMatch(/more characters\)$/);
  });
});

describe('looksSecret', () => {
  it.each(['docker-credential-desktop', 'python3-setuptools', 'CommandTimeoutError', 'ERR_INVALID_ARG_TYPE', 'a5232b5f230c74637604843489235364'])(
    'is false for %s',
    (token) => expect(looksSecret(token)).toBe(false),
  );

  it('is true for a random mix of letters and digits', () => {
    expect(looksSecret('Zq8vN2kL5pX9wR3tB7mC4yH6')).toBe(true);
  });
});

describe('describeParseError', () => {
  it('drops the input V8 quotes around a JSON fault', () => {
    let error: unknown;
    try {
      JSON.parse(`[{"Env": ${OPENAI} }]`);
    } catch (caught) {
      error = caught;
    }

    const shown = describeParseError(error);

    expect(shown).not.toContain('sk-proj');
    expect(shown).toMatch(/not valid JSON|Unexpected token/);
  });

  it('keeps only the first line of a yaml error, without the quoted source', async () => {
    const { parse } = await import('yaml');
    let error: unknown;
    try {
      parse(`model_list:\n  - model_name: x\n    api_key: ${GROQ}\n   bad: [\n`);
    } catch (caught) {
      error = caught;
    }

    const shown = describeParseError(error);

    expect(shown).not.toContain(GROQ.slice(4, 20));
    expect(shown).toMatch(/at line \d+, column \d+/);
  });
});
