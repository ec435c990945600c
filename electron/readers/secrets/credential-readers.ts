/**
 * Readers of credential stores: Docker's config.json, AWS's credentials file, git's credential
 * store and kubeconfigs. Pure: text in, candidates out, with the provider the format implies.
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

/** Each profile's `aws_secret_access_key` in an AWS shared credentials (or config) file. */
export function awsCredentialsSecrets(text: string): RawSecret[] {
  const found: RawSecret[] = [];
  let profile = 'default';
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[\s*(?:profile\s+)?([^\]]+?)\s*\]/.exec(line);
    if (section) {
      profile = section[1]!;
      continue;
    }
    const pair = /^\s*aws_secret_access_key\s*=\s*(\S+)\s*$/.exec(line);
    if (pair) found.push({ variable: `[${profile}] aws_secret_access_key`, value: pair[1]!, provider: 'aws' });
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
