import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostArtifacts, TextArtifact } from '../artifacts.js';
import { findSecrets } from './find-secrets.js';
import { fingerprintSecret } from './fingerprint.js';

// Fresh real-shaped fake values per run, so no fixture string can be matched by accident.
const rand = (length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'): string =>
  Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
const hexChars = (length: number): string => randomBytes(length).toString('hex').slice(0, length);

const planted = {
  openai: 'sk-proj-' + rand(156),
  anthropicOpaque: 'opaque' + rand(40),
  master: 'sk-' + rand(22),
  dbPassword: rand(20),
  groq: 'gsk_' + rand(52),
  huggingface: 'hf_' + rand(34),
  openrouter: 'sk-or-v1-' + hexChars(64),
  xai: 'xai-' + rand(80),
  github: 'ghp_' + rand(36),
  googleInContinue: 'AIzaSy' + rand(33),
  registryPassword: rand(24),
  awsSecret: rand(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+'),
  awsEnvSecret: rand(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+'),
  gitToken: rand(30),
  kubeToken: rand(60),
  mistral: rand(32),
  malformedFileKey: 'sk-ant-api03-' + rand(93) + 'AA',
  crontabKey: 'sk-ant-api03-' + rand(93) + 'AA',
  composeDefault: 'sk-proj-' + rand(150),
  tokenAsKey: 'ghp_' + rand(36),
  tokenAsKeyPassword: rand(24),
};

const dir = mkdtempSync(join(tmpdir(), 'find-secrets-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'deploy@ci', '-f', join(dir, 'id_ed25519')]);
const privateKey = readFileSync(join(dir, 'id_ed25519'), 'utf8');
const publicKey = readFileSync(join(dir, 'id_ed25519.pub'), 'utf8');
const sshFingerprint = execFileSync('ssh-keygen', ['-lf', join(dir, 'id_ed25519.pub')], { encoding: 'utf8' }).split(' ')[1]!;

const file = (kind: TextArtifact['kind'], path: string, text: string, container: string | null = null): TextArtifact => ({
  kind,
  container,
  path,
  user: null,
  text,
  truncated: false,
});

const artifacts: HostArtifacts = {
  environments: [
    {
      container: 'litellm',
      variables: [
        ['PATH', '/usr/local/bin:/usr/bin'],
        ['ANTHROPIC_API_KEY', planted.anthropicOpaque],
        ['OPENAI_API_KEY', planted.openai],
        ['LITELLM_MASTER_KEY', planted.master],
        ['DATABASE_URL', `postgresql://llmproxy:${planted.dbPassword}@db:5432/litellm`],
        ['AWS_ACCESS_KEY_ID', 'AKIA' + rand(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')],
        ['S3_SECRET', planted.awsEnvSecret],
      ],
    },
  ],
  files: [
    file(
      'litellm-config',
      '/app/config.yaml',
      [
        'model_list:',
        '  - model_name: claude',
        '    litellm_params:',
        '      model: anthropic/claude-sonnet-4-5',
        '      api_key: os.environ/ANTHROPIC_API_KEY',
        'general_settings:',
        '  master_key: os.environ/LITELLM_MASTER_KEY',
      ].join('\n'),
      'litellm',
    ),
    file('dotenv', '/srv/app/.env', `GROQ_API_KEY=${planted.groq}\nHF_TOKEN="${planted.huggingface}"\nOPENAI_API_KEY=<your-key>\nMISTRAL_API_KEY=${planted.mistral}\n`),
    // The same .env read twice (two compose projects naming it): one sighting per variable.
    file('dotenv', '/srv/app/.env', `GROQ_API_KEY=${planted.groq}\n`),
    file('compose', '/srv/app/compose.yaml', `services:\n  agent:\n    environment:\n      - OPENROUTER_API_KEY=${planted.openrouter}\n      - OPENAI_API_KEY=\${OPENAI_API_KEY}\n`),
    file('compose', '/srv/defaults/compose.yaml', `services:\n  bot:\n    environment:\n      OPENAI_API_KEY: \${OPENAI_API_KEY:-${planted.composeDefault}}\n`),
    file('app-config', '/opt/tool/settings.json', JSON.stringify({ accounts: { [planted.tokenAsKey]: { password: planted.tokenAsKeyPassword } } })),
    file('compose', '/srv/broken/compose.yaml', `services:\n  x: [unclosed\n    environment: {KEY: ${planted.malformedFileKey}\n`),
    file('systemd-unit', '/etc/systemd/system/agent.service', `[Service]\nEnvironment="XAI_API_KEY=${planted.xai}" MODE=prod\n`),
    file('shell-rc', '/home/alice/.bashrc', `export GITHUB_TOKEN=${planted.github}\n`),
    file('app-config', '/home/alice/.continue/config.json', JSON.stringify({ models: [{ title: 'Gemini', provider: 'gemini', model: 'gemini-2.5-pro', apiKey: planted.googleInContinue }] })),
    file('docker-config', '/root/.docker/config.json', JSON.stringify({ auths: { 'registry.example.com': { auth: Buffer.from(`ci:${planted.registryPassword}`).toString('base64') } } })),
    file('aws-credentials', '/root/.aws/credentials', `[default]\naws_access_key_id = AKIA${rand(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}\naws_secret_access_key = ${planted.awsSecret}\n`),
    file('git-credentials', '/home/alice/.git-credentials', `https://alice:${planted.gitToken}@git.example.com\n`),
    file('kubeconfig', '/root/.kube/config', `users:\n- name: ci\n  user:\n    token: ${planted.kubeToken}\n`),
    file('ssh-private-key', '/home/alice/.ssh/id_ed25519', privateKey),
    file('ssh-public-key', '/home/alice/.ssh/id_ed25519.pub', publicKey),
    file('authorized-keys', '/root/.ssh/authorized_keys', `no-pty,command="uptime" ${publicKey}`),
    file('crontab', '/etc/crontab', `* * * * * root ANTHROPIC_API_KEY=${planted.crontabKey} /usr/local/bin/job\n`),
  ],
};

describe('findSecrets', () => {
  const result = findSecrets(artifacts);
  const find = (variable: string, source?: string) =>
    result.secrets.filter((sighting) => sighting.variable === variable && (source === undefined || sighting.source === source));

  it('never puts a planted value, or 12 characters of one, in its result', () => {
    const json = JSON.stringify(result);
    for (const [name, value] of Object.entries({ ...planted, privateKey })) {
      for (let start = 0; start + 12 <= value.length; start++) {
        const piece = value.slice(start, start + 12);
        expect(json.includes(piece), `${name} leaked`).toBe(false);
      }
    }
  });

  it('names a key the config only references (os.environ) by the model it serves, and lists only where the value lives', () => {
    // The config's `os.environ/ANTHROPIC_API_KEY` on an `anthropic/` model names the opaque value's
    // provider; the value itself lives in the container's environment, which is the one place to
    // replace it, so the config file is not listed as a second place.
    expect(find('model_list[claude].litellm_params.api_key')).toEqual([]);
    const [fromEnv] = find('ANTHROPIC_API_KEY', 'container-env');
    expect(fromEnv).toEqual({
      fingerprint: fingerprintSecret('anthropic', planted.anthropicOpaque),
      provider: 'anthropic',
      container: 'litellm',
      source: 'container-env',
      variable: 'ANTHROPIC_API_KEY',
    });
    expect(find('general_settings.master_key')).toEqual([]);
    expect(find('LITELLM_MASTER_KEY', 'container-env')[0]?.fingerprint).toBe(fingerprintSecret('litellm', planted.master));
  });

  it('names each provider from the value, the variable or the file format', () => {
    const providerOf = (variable: string) => find(variable).map((sighting) => sighting.provider);
    expect(find('OPENAI_API_KEY', 'container-env').map((sighting) => sighting.provider)).toEqual(['openai']);
    expect(providerOf('LITELLM_MASTER_KEY')).toEqual(['litellm']);
    expect(providerOf('DATABASE_URL')).toEqual(['database']);
    expect(find('DATABASE_URL')[0]?.fingerprint).toBe(fingerprintSecret('database', planted.dbPassword));
    expect(providerOf('S3_SECRET')).toEqual(['aws']);
    expect(providerOf('GROQ_API_KEY')).toEqual(['groq']);
    expect(providerOf('HF_TOKEN')).toEqual(['huggingface']);
    expect(providerOf('MISTRAL_API_KEY')).toEqual(['mistral']);
    expect(providerOf('OPENROUTER_API_KEY')).toEqual(['openrouter']);
    expect(providerOf('XAI_API_KEY')).toEqual(['xai']);
    expect(providerOf('GITHUB_TOKEN')).toEqual(['github']);
    expect(providerOf('models[Gemini].apiKey')).toEqual(['google']);
    expect(providerOf('registry.example.com')).toEqual(['docker-registry']);
    expect(providerOf('[default] aws_secret_access_key')).toEqual(['aws']);
    expect(providerOf('git.example.com')).toEqual(['unknown']);
    expect(providerOf('users[ci].user.token')).toEqual(['kubernetes']);
  });

  it('sets the source, path and container of each sighting', () => {
    expect(find('GROQ_API_KEY')).toEqual([
      { fingerprint: fingerprintSecret('groq', planted.groq), provider: 'groq', container: null, source: 'env-file', path: '/srv/app/.env', variable: 'GROQ_API_KEY' },
    ]);
    expect(find('OPENROUTER_API_KEY')[0]).toMatchObject({ source: 'compose', path: '/srv/app/compose.yaml', container: null });
    expect(find('XAI_API_KEY')[0]).toMatchObject({ source: 'systemd', path: '/etc/systemd/system/agent.service' });
    expect(find('GITHUB_TOKEN')[0]).toMatchObject({ source: 'shell-rc', path: '/home/alice/.bashrc' });
    expect(find('[default] aws_secret_access_key')[0]).toMatchObject({ source: 'credentials-file', path: '/root/.aws/credentials' });
  });

  it('takes the default of a ${VAR:-default} interpolation as the value', () => {
    expect(result.secrets.filter((sighting) => sighting.path === '/srv/defaults/compose.yaml')).toEqual([
      { fingerprint: fingerprintSecret('openai', planted.composeDefault), provider: 'openai', container: null, source: 'compose', path: '/srv/defaults/compose.yaml', variable: 'OPENAI_API_KEY' },
    ]);
  });

  it('redacts a config path segment that is itself a secret', () => {
    expect(result.secrets.filter((sighting) => sighting.path === '/opt/tool/settings.json').map((sighting) => sighting.variable)).toEqual([
      'accounts.<redacted>.password',
    ]);
  });

  it('skips placeholders, access key ids, unparsable files and kinds that hold no secrets', () => {
    // OPENAI_API_KEY=<your-key> in the .env and ${OPENAI_API_KEY} in compose are references, not keys.
    expect(find('OPENAI_API_KEY').filter((sighting) => sighting.path?.startsWith('/srv/app/'))).toEqual([]);
    expect(find('AWS_ACCESS_KEY_ID')).toEqual([]);
    expect(find('PATH')).toEqual([]);
    expect(result.secrets.some((sighting) => sighting.path === '/srv/broken/compose.yaml' || sighting.path === '/etc/crontab')).toBe(false);
  });

  it('fingerprints a private SSH key by its public half and lists authorized keys with their user', () => {
    expect(result.secrets.filter((sighting) => sighting.provider === 'ssh')).toEqual([
      { fingerprint: `ssh:${sshFingerprint}`, provider: 'ssh', container: null, source: 'ssh-key', path: '/home/alice/.ssh/id_ed25519' },
    ]);
    expect(result.authorizedKeys).toEqual([
      { user: 'root', path: '/root/.ssh/authorized_keys', fingerprint: sshFingerprint, keyType: 'ssh-ed25519', comment: 'deploy@ci' },
    ]);
  });

  it('skips an encrypted PEM key that has no .pub beside it, and reports nothing about it', () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', 'pass phrase', '-f', join(dir, 'enc')]);
    const encrypted = readFileSync(join(dir, 'enc'), 'utf8');
    const alone = findSecrets({ environments: [], files: [file('ssh-private-key', '/root/.ssh/enc', encrypted)] });
    expect(alone).toEqual({ secrets: [], authorizedKeys: [] });
    const withPub = findSecrets({
      environments: [],
      files: [file('ssh-private-key', '/root/.ssh/enc', encrypted), file('ssh-public-key', '/root/.ssh/enc.pub', readFileSync(join(dir, 'enc.pub'), 'utf8'))],
    });
    expect(withPub.secrets).toHaveLength(1);
    expect(withPub.secrets[0]?.fingerprint).toMatch(/^ssh:SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

describe('findSecrets with a key sink', () => {
  it('hands each fingerprinted value to the sink, by the fingerprint the report carries', () => {
    const value = 'sk-proj-' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4';
    const remembered = new Map<string, string>();
    const artifacts: HostArtifacts = { files: [{ kind: 'dotenv', path: '/srv/app/.env', container: null, user: null, truncated: false, text: `OPENAI_API_KEY=${value}\n` }], environments: [] };

    const found = findSecrets(artifacts, { remember: (fingerprint, secret) => remembered.set(fingerprint, secret) });

    expect(found.secrets).toHaveLength(1);
    expect(remembered.get(found.secrets[0]!.fingerprint)).toBe(value);
  });
});
