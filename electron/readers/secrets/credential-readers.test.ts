import { describe, expect, it } from 'vitest';
import {
  awsCredentialsSecrets,
  awsSsoCacheSecrets,
  azureCredentialsSecrets,
  dockerConfigSecrets,
  gcloudCredentialsSecrets,
  gitCredentialsSecrets,
  kubeconfigSecrets,
  kubernetesSecretData,
  kubernetesTokenSecrets,
} from './credential-readers.js';

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
  it('names temporary credentials, the session token with them, in any profile of the credentials or config file', () => {
    const text = [
      '[default]',
      'aws_access_key_id = AKIAIOSFODNN7ABCDEFG',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYABCDEFGHIJ',
      '',
      '[profile assumed]',
      'aws_access_key_id = ASIAIOSFODNN7ABCDEFG',
      'aws_secret_access_key = tmpSecretUtnFEMI/K7MDENG/bPxRfiCYABCDEFG',
      'aws_session_token = IQoJb3JpZ2luX2VjEtokenbody/+=',
      '',
      '[legacy]',
      'aws_security_token = FQoDYXdzEtokenonly',
      '',
      '[sso]',
      'sso_session = corp',
      'credential_process = /usr/local/bin/vault-aws',
    ].join('\n');
    expect(awsCredentialsSecrets(text)).toEqual([
      { variable: '[default] aws_secret_access_key', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYABCDEFGHIJ', provider: 'aws' },
      {
        variable: '[assumed] aws_secret_access_key (temporary credentials, with aws_session_token)',
        value: 'tmpSecretUtnFEMI/K7MDENG/bPxRfiCYABCDEFG',
        provider: 'aws',
      },
      { variable: '[legacy] aws_session_token (temporary credentials)', value: 'FQoDYXdzEtokenonly', provider: 'aws' },
    ]);
  });
});

describe('awsSsoCacheSecrets', () => {
  it('reads the access token, refresh token and client secret of an SSO cache file, and nothing from other JSON', () => {
    const text = JSON.stringify({ startUrl: 'https://corp.awsapps.com/start', accessToken: 'aoaAAAtoken', refreshToken: 'aorAAArefresh', clientSecret: 'eyJclientsecret', expiresAt: '2026-03-25T00:00:00Z' });
    expect(awsSsoCacheSecrets(text)).toEqual([
      { variable: 'sso cache accessToken', value: 'aoaAAAtoken', provider: 'aws' },
      { variable: 'sso cache refreshToken', value: 'aorAAArefresh', provider: 'aws' },
      { variable: 'sso cache clientSecret', value: 'eyJclientsecret', provider: 'aws' },
    ]);
    expect(awsSsoCacheSecrets('{"clientId":"x"}')).toEqual([]);
    expect(awsSsoCacheSecrets('not json {')).toEqual([]);
  });
});

describe('gcloudCredentialsSecrets', () => {
  it('knows a service-account key by its private_key_id, a user by the refresh token, impersonation by its source', () => {
    const keyId = '1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c';
    const serviceAccount = JSON.stringify({
      type: 'service_account',
      project_id: 'lab',
      private_key_id: keyId,
      private_key: '-----BEGIN PRIVATE KEY-----\nMIIEfake\n-----END PRIVATE KEY-----\n',
      client_email: 'gateway@lab.iam.gserviceaccount.com',
    });
    expect(gcloudCredentialsSecrets(serviceAccount)).toEqual([{ variable: 'service account key (private_key_id)', value: keyId, provider: 'google-cloud' }]);
    const user = JSON.stringify({ type: 'authorized_user', client_id: 'x.apps.googleusercontent.com', client_secret: 'd-public', refresh_token: '1//0refresh' });
    expect(gcloudCredentialsSecrets(user)).toEqual([{ variable: 'refresh_token', value: '1//0refresh', provider: 'google-cloud' }]);
    const impersonated = JSON.stringify({ type: 'impersonated_service_account', source_credentials: JSON.parse(user) });
    expect(gcloudCredentialsSecrets(impersonated)).toEqual([{ variable: 'source_credentials refresh_token', value: '1//0refresh', provider: 'google-cloud' }]);
    expect(gcloudCredentialsSecrets(JSON.stringify({ type: 'external_account', credential_source: { file: '/var/run/token' } }))).toEqual([]);
  });
});

describe('azureCredentialsSecrets', () => {
  it('reads MSAL refresh tokens (not the hour-long access tokens), legacy refresh tokens and service principal secrets', () => {
    const msal = JSON.stringify({
      AccessToken: { 'a-b-accesstoken': { secret: 'eyJshortlived', credential_type: 'AccessToken' } },
      RefreshToken: { 'a-b-refreshtoken': { secret: '0.AAAArefresh', credential_type: 'RefreshToken' } },
    });
    expect(azureCredentialsSecrets(msal)).toEqual([{ variable: 'msal RefreshToken', value: '0.AAAArefresh', provider: 'azure' }]);
    const legacy = JSON.stringify([{ accessToken: 'eyJold', refreshToken: '0.AAAAlegacy' }]);
    expect(azureCredentialsSecrets(legacy)).toEqual([{ variable: 'refreshToken', value: '0.AAAAlegacy', provider: 'azure' }]);
    const principals = JSON.stringify([{ client_id: 'app-id', tenant: 't', client_secret: 'Q~spsecret' }]);
    expect(azureCredentialsSecrets(principals)).toEqual([{ variable: 'service principal client_secret', value: 'Q~spsecret', provider: 'azure' }]);
  });
});

describe('kubernetesTokenSecrets', () => {
  it('reads a service-account JWT and nothing that is not one', () => {
    expect(kubernetesTokenSecrets('eyJhbGciOi.eyJpc3Mi.c2lnbmF0dXJl\n')).toEqual([{ variable: 'service-account token', value: 'eyJhbGciOi.eyJpc3Mi.c2lnbmF0dXJl', provider: 'kubernetes' }]);
    expect(kubernetesTokenSecrets('not a token')).toEqual([]);
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

describe('kubernetesSecretData', () => {
  it('reads each key of an Opaque Secret as a candidate named by its key', () => {
    const text = JSON.stringify({ type: 'Opaque', data: { OPENAI_API_KEY: 'value-one', 'anthropic-api-key': 'value-two' } });

    expect(kubernetesSecretData(text)).toEqual([
      { variable: 'OPENAI_API_KEY', value: 'value-one' },
      { variable: 'anthropic-api-key', value: 'value-two' },
    ]);
  });

  it('reads a service-account token Secret as a Kubernetes token, and never its CA certificate or namespace', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl';
    const text = JSON.stringify({ type: 'kubernetes.io/service-account-token', data: { 'ca.crt': '-----BEGIN CERTIFICATE-----', namespace: 'ai', token: jwt } });

    expect(kubernetesSecretData(text)).toEqual([{ variable: 'service-account token', value: jwt, provider: 'kubernetes' }]);
  });

  it('reads a registry Secret as the Docker config it holds', () => {
    const config = JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from('bot:registry-token-value').toString('base64') } } });

    const read = kubernetesSecretData(JSON.stringify({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': config } }));

    expect(read.map((candidate) => candidate.value)).toContain('registry-token-value');
    expect(read).toEqual(dockerConfigSecrets(config));
  });
});
