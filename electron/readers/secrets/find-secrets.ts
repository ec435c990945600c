/**
 * Finds secrets in a host's artifacts and keeps only their fingerprints. Each artifact kind has a
 * pure reader (text → candidates); candidates are classified (secret-patterns), fingerprinted and
 * dropped here, so nothing this module returns or throws holds a secret value.
 */
import { createHash } from 'node:crypto';
import type { AuthorizedKey, SecretSighting, SecretSource } from '../../../shared/model/index.js';
import type { ArtifactKind, HostArtifacts, TextArtifact } from '../artifacts.js';
import { appConfigSecrets, composeEnvironment, litellmConfigSecrets } from './config-readers.js';
import {
  awsCredentialsSecrets,
  awsSsoCacheSecrets,
  azureCredentialsSecrets,
  dockerConfigSecrets,
  gcloudCredentialsSecrets,
  gitCredentialsSecrets,
  indexUrlSecrets,
  kubeconfigSecrets,
  kubernetesSecretData,
  kubernetesTokenSecrets,
} from './credential-readers.js';
import { parseDotenv, parseShellAssignments, parseSystemdEnvironment } from '../env-assignments.js';
import { fingerprintSecret, opensshFingerprint, sshFingerprintOfPublicBlob } from './fingerprint.js';
import type { RawSecret } from './raw-secret.js';
import { classifySecret, isPairSecret, isPlaceholder, pairIdentifierProvider } from './secret-patterns.js';
import { parseAuthorizedKeys, privateKeyPublicBlob } from './ssh-keys.js';

/**
 * Where the main process keeps a value for the opt-in revocation check (electron/revocation's
 * KeyVault), told each fingerprinted value before it is dropped here. In memory only.
 */
export interface KeyValueSink {
  remember(fingerprint: string, value: string): void;
}

/** What the secret reader found on one host. */
export interface FoundSecrets {
  secrets: SecretSighting[];
  authorizedKeys: AuthorizedKey[];
}

/** The candidates of one file or one container's environment, classified together (AWS id/secret pairs). */
interface Group {
  candidates: RawSecret[];
  source: SecretSource;
  container: string | null;
  path?: string;
}

/** A classified value, still in clear, before provider unification and fingerprinting. */
interface Classified {
  provider: string;
  /** 3: the value's format; 2: its variable's name or the file's format; 1: context; 0: a generic name. */
  rank: number;
  secret: string;
  group: Group;
  variable?: string;
  /** Named by reference only: counts for the provider, is not a place (RawSecret.byReference). */
  byReference?: boolean;
}

const SOURCES: Partial<Record<ArtifactKind, SecretSource>> = {
  dotenv: 'env-file',
  'systemd-env-file': 'env-file',
  compose: 'compose',
  'systemd-unit': 'systemd',
  'shell-rc': 'shell-rc',
  'litellm-config': 'app-config',
  'litellm-database': 'gateway-db',
  'app-config': 'app-config',
  'docker-config': 'credentials-file',
  'aws-credentials': 'credentials-file',
  'aws-sso-cache': 'credentials-file',
  'gcloud-credentials': 'credentials-file',
  'azure-credentials': 'credentials-file',
  'kubernetes-token': 'credentials-file',
  'git-credentials': 'credentials-file',
  kubeconfig: 'credentials-file',
  'pip-config': 'app-config',
  'uv-config': 'app-config',
  'python-project': 'app-config',
  'kubernetes-secret': 'kubernetes-secret',
};

/** The candidates of one text artifact; `environment` is the same container's variables. */
function readArtifact(file: TextArtifact, environment: ReadonlyMap<string, string>): RawSecret[] {
  switch (file.kind) {
    case 'dotenv':
    case 'systemd-env-file':
      return parseDotenv(file.text);
    case 'shell-rc':
      return parseShellAssignments(file.text);
    case 'systemd-unit':
      return parseSystemdEnvironment(file.text);
    case 'compose':
      return composeEnvironment(file.text);
    case 'litellm-config':
    case 'litellm-database':
      return litellmConfigSecrets(file.text, environment);
    case 'app-config':
      return appConfigSecrets(file.text);
    case 'docker-config':
      return dockerConfigSecrets(file.text);
    case 'aws-credentials':
      return awsCredentialsSecrets(file.text);
    case 'aws-sso-cache':
      return awsSsoCacheSecrets(file.text);
    case 'gcloud-credentials':
      return gcloudCredentialsSecrets(file.text);
    case 'azure-credentials':
      return azureCredentialsSecrets(file.text);
    case 'kubernetes-token':
      return kubernetesTokenSecrets(file.text);
    case 'git-credentials':
      return gitCredentialsSecrets(file.text);
    case 'kubeconfig':
      return kubeconfigSecrets(file.text);
    case 'pip-config':
    case 'uv-config':
    case 'python-project':
      return indexUrlSecrets(file.text);
    case 'kubernetes-secret':
      return kubernetesSecretData(file.text);
    default:
      return [];
  }
}

/** `${VAR:-default}` (compose and shell interpolation) stands for its default when VAR is unset. */
function interpolationDefault(value: string): string {
  const match = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-(.*)\}$/s.exec(value);
  return match ? match[1]! : value;
}

/** Classifies one candidate; null when it is not a secret. */
function classify(raw: RawSecret): Omit<Classified, 'group'> | null {
  const value = interpolationDefault(raw.value.trim());
  const found = classifySecret(value, raw.name ?? raw.variable);
  const variable = raw.variable;
  if (found && found.strength === 'value' && found.provider !== 'unknown') {
    return { provider: found.provider, rank: 3, secret: found.secret, variable };
  }
  if (raw.provider) return isPlaceholder(value) ? null : { provider: raw.provider, rank: 2, secret: found?.secret ?? value, variable };
  if (!found) return raw.fallbackProvider && !isPlaceholder(value) ? { provider: raw.fallbackProvider, rank: 0, secret: value, variable } : null;
  if (found.strength === 'variable') return { provider: found.provider, rank: 2, secret: found.secret, variable };
  if (raw.inferredProvider) return { provider: raw.inferredProvider, rank: 1, secret: found.secret, variable };
  return { provider: found.provider, rank: 0, secret: found.secret, variable };
}

/** Classifies a group; a 40-character secret beside an AWS access key id is that key's secret. */
function classifyGroup(group: Group): Classified[] {
  const pairedProviders = new Set(
    group.candidates.map((raw) => pairIdentifierProvider(raw.value)).filter((provider): provider is string => provider !== null),
  );
  return group.candidates.flatMap((raw): Classified[] => {
    const found = classify(raw);
    if ((!found || found.rank < 2) && !isPlaceholder(raw.value)) {
      for (const provider of pairedProviders) {
        if (isPairSecret(provider, raw.value)) return [{ provider, rank: 3, secret: raw.value.trim(), variable: raw.variable, group }];
      }
    }
    if (!found) return [];
    return raw.byReference ? [{ ...found, group, byReference: true }] : [{ ...found, group }];
  });
}

/**
 * The variable as shown, with any part that is itself a secret (a JSON key that is a token, a
 * model named after its key) replaced, since paths are built from the file's own text.
 */
function safeVariable(variable: string | undefined, secret: string): string | undefined {
  if (variable === undefined) return undefined;
  const parts = variable.split(/([.[\]\s]+)/);
  const cleaned = parts
    .map((part) => (part.length >= 8 && (part.includes(secret) || classifySecret(part)?.strength === 'value') ? '<redacted>' : part))
    .join('');
  return cleaned.length > 300 ? `${cleaned.slice(0, 300)}…` : cleaned;
}

const digest = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** The login a file under a home belongs to: the artifact's user, else /home/<user>/ or /root/. */
function homeUser(file: TextArtifact): string {
  if (file.user) return file.user;
  const home = /^\/home\/([^/]+)\//.exec(file.path);
  if (home) return home[1]!;
  return file.path.startsWith('/root/') ? 'root' : 'unknown';
}

/** Reads every artifact for secrets; values are fingerprinted here and dropped (handed to `keys` first, when given). */
export function findSecrets(artifacts: HostArtifacts, keys?: KeyValueSink): FoundSecrets {
  const environments = new Map<string, Map<string, string>>();
  for (const environment of artifacts.environments) {
    const variables = environments.get(environment.container) ?? new Map<string, string>();
    for (const [name, value] of environment.variables) variables.set(name, value);
    environments.set(environment.container, variables);
  }

  const groups: Group[] = artifacts.environments.map((environment) => ({
    candidates: environment.variables.map(([name, value]) => ({ variable: name, value })),
    source: 'container-env',
    container: environment.container,
  }));
  const sightings: SecretSighting[] = [];
  const authorizedKeys: AuthorizedKey[] = [];
  const noEnvironment = new Map<string, string>();

  for (const file of artifacts.files) {
    try {
      if (file.kind === 'ssh-private-key') {
        const publicFile = artifacts.files.find(
          (other) => other.kind === 'ssh-public-key' && other.container === file.container && other.path === `${file.path}.pub`,
        );
        const blob = privateKeyPublicBlob(file.text, publicFile?.text);
        if (blob) {
          sightings.push({ fingerprint: sshFingerprintOfPublicBlob(blob), provider: 'ssh', container: file.container, source: 'ssh-key', path: file.path });
        }
        continue;
      }
      if (file.kind === 'authorized-keys') {
        for (const key of parseAuthorizedKeys(file.text)) {
          const entry: AuthorizedKey = { user: homeUser(file), path: file.path, fingerprint: opensshFingerprint(key.blob), keyType: key.keyType };
          if (key.comment) entry.comment = key.comment;
          authorizedKeys.push(entry);
        }
        continue;
      }
      const source = SOURCES[file.kind];
      if (!source) continue;
      const environment = (file.container !== null && environments.get(file.container)) || noEnvironment;
      groups.push({ candidates: readArtifact(file, environment), source, container: file.container, path: file.path });
    } catch {
      // A file no reader understands is skipped; its text must not travel in an error.
      continue;
    }
  }

  const classified = groups.flatMap(classifyGroup);
  // One value, one provider: the strongest evidence anywhere on the host names it, so the
  // container-env and config-file sightings of one key share a fingerprint.
  const best = new Map<string, { provider: string; rank: number }>();
  for (const entry of classified) {
    const key = digest(entry.secret);
    const current = best.get(key);
    if (!current || entry.rank > current.rank) best.set(key, { provider: entry.provider, rank: entry.rank });
  }
  for (const entry of classified) {
    if (entry.byReference) continue;
    const provider = best.get(digest(entry.secret))!.provider;
    const fingerprint = fingerprintSecret(provider, entry.secret);
    keys?.remember(fingerprint, entry.secret);
    const sighting: SecretSighting = {
      fingerprint,
      provider,
      container: entry.group.container,
      source: entry.group.source,
    };
    if (entry.group.path !== undefined) sighting.path = entry.group.path;
    const variable = safeVariable(entry.variable, entry.secret);
    if (variable !== undefined) sighting.variable = variable;
    sightings.push(sighting);
  }

  return { secrets: unique(sightings, sightingKey), authorizedKeys: unique(authorizedKeys, (key) => `${key.user}\0${key.path}\0${key.fingerprint}`) };
}

const sightingKey = (sighting: SecretSighting): string =>
  [sighting.fingerprint, sighting.container ?? '', sighting.source, sighting.path ?? '', sighting.variable ?? ''].join('\0');

/** The items with distinct keys, first occurrence kept, order preserved. */
function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const id = key(item);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
