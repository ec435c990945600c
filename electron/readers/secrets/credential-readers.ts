/**
 * Readers of credential stores: Docker's config.json, AWS's credentials, config and SSO cache,
 * Google Cloud and Azure CLI credential files, git's credential store, kubeconfigs and service-account
 * tokens. Pure: text in, candidates out, with the provider the format implies.
 */
import type { RawSecret } from './raw-secret.js';
import { isRecord, parseStructured, scalarText } from './structured.js';

/**
 * `auths.<registry>.auth` (base64 of `user:password`) and `identitytoken` of a Docker client
 * config (docs.docker.com/reference/cli/docker/login/); the password is the secret.
 */
export function dockerConfigSecrets(text: string): RawSecret[] {
  const document = parseStructured(text);
  if (!isRecord(document) || !isRecord(document['auths'])) return [];
  const found: RawSecret[] = [];
  for (const [registry, entry] of Object.entries(document['auths'])) {
    if (!isRecord(entry)) continue;
    const auth = scalarText(entry['auth']);
    if (auth) {
      const decoded = Buffer.from(auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) found.push({ variable: registry, value: decoded.slice(colon + 1), provider: 'docker-registry' });
    }
    for (const field of ['identitytoken', 'registrytoken']) {
      const token = scalarText(entry[field]);
      if (token) found.push({ variable: registry, value: token, provider: 'docker-registry' });
    }
  }
  return found;
}

/** One profile of an AWS shared credentials or config file: its secret and what came with it. */
interface AwsProfile {
  name: string;
  keyId?: string;
  secret?: string;
  sessionToken?: string;
}

/** The profiles of an AWS INI file (`[name]` in credentials, `[profile name]` in config), in order. */
function awsProfiles(text: string): AwsProfile[] {
  const profiles: AwsProfile[] = [];
  let current: AwsProfile = { name: 'default' };
  profiles.push(current);
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[\s*(?:profile\s+)?([^\]]+?)\s*\]/.exec(line);
    if (section) {
      current = { name: section[1]! };
      profiles.push(current);
      continue;
    }
    const pair = /^\s*(aws_access_key_id|aws_secret_access_key|aws_session_token|aws_security_token)\s*=\s*(\S+)\s*$/.exec(line);
    if (!pair) continue;
    if (pair[1] === 'aws_access_key_id') current.keyId = pair[2]!;
    else if (pair[1] === 'aws_secret_access_key') current.secret = pair[2]!;
    // aws_security_token is the older name boto still reads for the same session token.
    else current.sessionToken ??= pair[2]!;
  }
  return profiles;
}

/**
 * Each profile's credentials in an AWS shared credentials (or config) file. Temporary credentials
 * (an `ASIA…` key id, or any secret with a session token beside it) are one credential: the secret
 * is what is fingerprinted, and its name says the session token came with it, since the token
 * alone cannot sign a request. A session token without a secret is kept on its own.
 */
export function awsCredentialsSecrets(text: string): RawSecret[] {
  const found: RawSecret[] = [];
  for (const profile of awsProfiles(text)) {
    const temporary = profile.sessionToken !== undefined || /^ASIA/.test(profile.keyId ?? '');
    if (profile.secret !== undefined) {
      const note = profile.sessionToken !== undefined ? ' (temporary credentials, with aws_session_token)' : temporary ? ' (temporary credentials)' : '';
      found.push({ variable: `[${profile.name}] aws_secret_access_key${note}`, value: profile.secret, provider: 'aws' });
    } else if (profile.sessionToken !== undefined) {
      found.push({ variable: `[${profile.name}] aws_session_token (temporary credentials)`, value: profile.sessionToken, provider: 'aws' });
    }
  }
  return found;
}

/**
 * The tokens of an AWS SSO (IAM Identity Center) cache file, `~/.aws/sso/cache/*.json`: the access
 * token signs in as the user until it expires, the refresh token and the registered client's
 * secret mint new ones (docs.aws.amazon.com/cli/latest/userguide/sso-configure-profile-token.html).
 */
export function awsSsoCacheSecrets(text: string): RawSecret[] {
  const document = parseStructured(text);
  if (!isRecord(document)) return [];
  const found: RawSecret[] = [];
  for (const field of ['accessToken', 'refreshToken', 'clientSecret']) {
    const value = scalarText(document[field]);
    if (value) found.push({ variable: `sso cache ${field}`, value, provider: 'aws' });
  }
  return found;
}

/**
 * Google Cloud credential files: application-default credentials and service-account key files
 * (cloud.google.com/docs/authentication/application-default-credentials). A service-account key is
 * known by its `private_key_id`, the id the console lists and deletes, so that id is what is
 * fingerprinted: the same key in two files is one key, and its last four characters match the
 * console's. A user's refresh token is the secret of `authorized_user` credentials (the client
 * secret beside it is gcloud's public one); impersonation keeps its source credentials nested.
 */
export function gcloudCredentialsSecrets(text: string): RawSecret[] {
  const document = parseStructured(text);
  return isRecord(document) ? googleCredential(document, '') : [];
}

function googleCredential(document: Record<string, unknown>, prefix: string): RawSecret[] {
  const type = scalarText(document['type']);
  if (type === 'service_account') {
    const keyId = scalarText(document['private_key_id']);
    const privateKey = scalarText(document['private_key']);
    if (!privateKey && !keyId) return [];
    return [{ variable: `${prefix}service account key${keyId ? ' (private_key_id)' : ' (private_key)'}`, value: keyId ?? privateKey!, provider: 'google-cloud' }];
  }
  if (type === 'authorized_user') {
    const refresh = scalarText(document['refresh_token']);
    return refresh ? [{ variable: `${prefix}refresh_token`, value: refresh, provider: 'google-cloud' }] : [];
  }
  if (type === 'impersonated_service_account' && isRecord(document['source_credentials'])) {
    return googleCredential(document['source_credentials'], `${prefix}source_credentials `);
  }
  return [];
}

/**
 * Azure CLI's stored credentials (`~/.azure/`): refresh tokens and client secrets of the MSAL
 * token cache (`msal_token_cache.json`, plain JSON on Linux), the older `accessTokens.json`, and
 * service principals' secrets (`service_principal_entries.json`). Access tokens last an hour, so
 * only the long-lived ones count (learn.microsoft.com/cli/azure/msal-based-azure-cli).
 */
export function azureCredentialsSecrets(text: string): RawSecret[] {
  const document = parseStructured(text);
  const found: RawSecret[] = [];
  if (isRecord(document) && isRecord(document['RefreshToken'])) {
    for (const entry of Object.values(document['RefreshToken'])) {
      if (!isRecord(entry)) continue;
      const value = scalarText(entry['secret']);
      if (value) found.push({ variable: 'msal RefreshToken', value, provider: 'azure' });
    }
  }
  if (Array.isArray(document)) {
    for (const entry of document) {
      if (!isRecord(entry)) continue;
      const refresh = scalarText(entry['refreshToken']);
      if (refresh) found.push({ variable: 'refreshToken', value: refresh, provider: 'azure' });
      const secret = scalarText(entry['client_secret']);
      if (secret) found.push({ variable: 'service principal client_secret', value: secret, provider: 'azure' });
    }
  }
  return found;
}

/** A Kubernetes service-account token file (a JWT the API server accepts as the pod's identity). */
export function kubernetesTokenSecrets(text: string): RawSecret[] {
  const token = text.trim();
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token) ? [{ variable: 'service-account token', value: token, provider: 'kubernetes' }] : [];
}

/** Keys of a Kubernetes Secret that are never secrets: a CA's certificate, a namespace name, a TLS certificate. */
const KUBERNETES_PUBLIC_KEYS: ReadonlySet<string> = new Set(['ca.crt', 'namespace', 'tls.crt']);

/**
 * A Kubernetes Secret's keys (`{"type":…,"data":{key:value}}`, values already decoded in the main
 * process): each key a candidate named by the key, as a variable; a service-account token is a
 * Kubernetes credential, a registry auth Secret (`.dockerconfigjson`) reads as a Docker config.
 */
export function kubernetesSecretData(text: string): RawSecret[] {
  const document: unknown = JSON.parse(text);
  if (!isRecord(document) || !isRecord(document['data'])) return [];
  const type = typeof document['type'] === 'string' ? document['type'] : 'Opaque';
  const found: RawSecret[] = [];
  for (const [key, value] of Object.entries(document['data'])) {
    if (typeof value !== 'string' || KUBERNETES_PUBLIC_KEYS.has(key)) continue;
    if (key === '.dockerconfigjson' || key === '.dockercfg') {
      found.push(...dockerConfigSecrets(key === '.dockercfg' ? JSON.stringify({ auths: JSON.parse(value) as unknown }) : value));
      continue;
    }
    if (type === 'kubernetes.io/service-account-token' && key === 'token') found.push(...kubernetesTokenSecrets(value));
    else found.push({ variable: key, value });
  }
  return found;
}

/** The password of each `https://user:token@host` line of git's credential store (git-credential-store(1)). */
export function gitCredentialsSecrets(text: string): RawSecret[] {
  const found: RawSecret[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) continue;
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      continue;
    }
    if (!url.password) {
      // `https://<token>@host`: a token in the user part counts only when its own format names it.
      if (url.username) found.push({ variable: url.host, value: safeDecode(url.username) });
      continue;
    }
    found.push({ variable: url.host, value: safeDecode(url.password), fallbackProvider: 'unknown' });
  }
  return found;
}

/** Percent-decodes a URL part; a stray % keeps it as written. */
function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

const KUBE_USER_FIELDS = /^(token|client-key-data|password|id-token|refresh-token|client-secret)$/;

/** `users[].user` credentials of a kubeconfig: bearer tokens, client keys, passwords, OIDC tokens. */
export function kubeconfigSecrets(text: string): RawSecret[] {
  const document = parseStructured(text);
  if (!isRecord(document) || !Array.isArray(document['users'])) return [];
  const found: RawSecret[] = [];
  document['users'].forEach((entry, index) => {
    if (!isRecord(entry) || !isRecord(entry['user'])) return;
    const label = typeof entry['name'] === 'string' ? entry['name'] : String(index);
    const visit = (node: Record<string, unknown>, path: string): void => {
      for (const [key, value] of Object.entries(node)) {
        const text = scalarText(value);
        if (text !== null && KUBE_USER_FIELDS.test(key)) found.push({ variable: `${path}.${key}`, value: text, provider: 'kubernetes' });
        else if (isRecord(value)) visit(value, `${path}.${key}`);
      }
    };
    visit(entry['user'], `users[${label}].user`);
  });
  return found;
}

/**
 * Every URL with a password in its userinfo in a package installer's settings (pip.conf, uv.toml,
 * pyproject.toml, requirements files: `index-url = https://user:token@mirror/…`), handed over whole
 * so the generic URL pattern fingerprints only the password, as it does for the same URL in an
 * environment variable.
 */
export function indexUrlSecrets(text: string): RawSecret[] {
  return [...text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+:[^\s/@"']+@[^\s"',\]]+/gi)].map((match) => ({ variable: `index URL ${hostOfUrl(match[0])}`, value: match[0] }));
}

function hostOfUrl(url: string): string {
  return /@([^/:?#\s]+)/.exec(url)?.[1] ?? 'unknown';
}
