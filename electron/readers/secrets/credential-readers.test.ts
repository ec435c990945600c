import { describe, expect, it } from 'vitest';
import { awsCredentialsSecrets, dockerConfigSecrets, gitCredentialsSecrets, kubeconfigSecrets } from './credential-readers.js';

describe('dockerConfigSecrets', () => {
  it('decodes auths entries to their password and reads identity tokens', () => {
    const text = JSON.stringify({
      auths: {
        'ghcr.io': { auth: Buffer.from('octocat:ghp_registrypasswordvalue').toString('base64') },
        'registry.example.com': { identitytoken: 'identity-token-value' },
        'https://index.docker.io/v1/': {},
      },
      credsStore: 'desktop',
    });
    expect(dockerConfigSecrets(text)).toEqual([
      { variable: 'ghcr.io', value: 'ghp_registrypasswordvalue', provider: 'docker-registry' },
      { variable: 'registry.example.com', value: 'identity-token-value', provider: 'docker-registry' },
    ]);
  });

  it('gives nothing for malformed JSON', () => {
    expect(dockerConfigSecrets('{"auths": {"ghcr.io": {"auth": "b2N0')).toEqual([]);
  });
});

describe('awsCredentialsSecrets', () => {
  it('gives one secret access key per profile, named by profile', () => {
    const text = [
      '[default]',
      'aws_access_key_id = AKIAIOSFODNN7ABCDEFG',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYABCDEFGHIJ',
      '',
      '[profile ci]',
      'aws_access_key_id=AKIAI44QH8DHBABCDEFG',
      'aws_secret_access_key=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbABCDEFGHIJ',
      'region=eu-west-1',
    ].join('\n');
    expect(awsCredentialsSecrets(text)).toEqual([
      { variable: '[default] aws_secret_access_key', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYABCDEFGHIJ', provider: 'aws' },
      { variable: '[ci] aws_secret_access_key', value: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbABCDEFGHIJ', provider: 'aws' },
    ]);
  });
});

describe('gitCredentialsSecrets', () => {
  it('reads the password of each credential URL, percent-decoded, by host', () => {
    const text = ['https://octocat:ghp_tokenvalue@github.com', 'https://deploy:p%40ss%2Fword-value@git.example.com:8443', 'https://nopassword@example.org', 'garbage line'].join('\n');
    expect(gitCredentialsSecrets(text)).toEqual([
      { variable: 'github.com', value: 'ghp_tokenvalue', fallbackProvider: 'unknown' },
      { variable: 'git.example.com:8443', value: 'p@ss/word-value', fallbackProvider: 'unknown' },
      { variable: 'example.org', value: 'nopassword' },
    ]);
  });
});

describe('kubeconfigSecrets', () => {
  it('reads tokens, client keys and passwords of every user', () => {
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'users:',
      '- name: admin',
      '  user:',
      '    client-certificate-data: Y2VydA==',
      '    client-key-data: a2V5LWRhdGEtdmFsdWU=',
      '- name: ci',
      '  user:',
      '    token: eyJhbGciOiJSUzI1NiJ9.kube-token-value',
      '- name: basic',
      '  user:',
      '    username: admin',
      '    password: kube-password-value',
    ].join('\n');
    expect(kubeconfigSecrets(text)).toEqual([
      { variable: 'users[admin].user.client-key-data', value: 'a2V5LWRhdGEtdmFsdWU=', provider: 'kubernetes' },
      { variable: 'users[ci].user.token', value: 'eyJhbGciOiJSUzI1NiJ9.kube-token-value', provider: 'kubernetes' },
      { variable: 'users[basic].user.password', value: 'kube-password-value', provider: 'kubernetes' },
    ]);
  });
});
