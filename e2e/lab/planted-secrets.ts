/**
 * The fake secrets the lab plants, each with the provider a scan must name and every place it is
 * planted. Values have their provider's real shape (prefix, length, alphabet, GitHub's checksum) and
 * carry the marker `BRLAB`, so a grep of anything the product writes finds a leak. They are built
 * here from a hash at import time, so no real-shaped key sits in the repository for secret scanners.
 *
 * Lab files and Docker fixtures name them as `{{planted:<id>}}`; lab.ts substitutes the value and
 * remembers each file, so `lab.removePlantedSecret(id)` can take it out of every place again.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { SecretSource } from '../../shared/model/index.js';
import { LAB_USER } from './lab-hosts.js';

/** The marker every planted value contains (and nothing else the lab writes does). */
export const PLANTED_MARKER = 'BRLAB';

/** One place a secret is planted, in the report's SecretLocation terms. */
export interface PlantedLocation {
  host: string;
  container: string | null;
  source: SecretSource;
  path?: string;
  variable?: string;
}

/** A planted fake secret. */
export interface PlantedSecret {
  id: PlantedSecretId;
  /** The provider a scan must report it as. */
  provider: string;
  /** The value a scan fingerprints. */
  value: string;
  /** Other planted strings that reveal it (an AWS key id, the URL carrying a password): never printed either. */
  companions: string[];
  locations: PlantedLocation[];
}

/** Ids of the planted secrets (the `{{planted:<id>}}` tokens). */
export type PlantedSecretId =
  | 'openai'
  | 'anthropic'
  | 'groq'
  | 'huggingface'
  | 'github'
  | 'aws'
  | 'aws-temp'
  | 'gcp-service-account'
  | 'azure-refresh'
  | 'stack-xai'
  | 'litellm-master'
  | 'litellm-virtual'
  | 'postgres';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const URLSAFE = `${ALNUM}-_`;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE32_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = `${ALNUM}+/`;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Deterministic "random" characters: the same run after run, so fingerprints are stable. */
function filler(seed: string, length: number, alphabet: string): string {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (const byte of createHash('sha256').update(`blast-radius-lab/${seed}/${round}`).digest()) {
      if (out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** A classic GitHub token: `ghp_` + 30 characters + the CRC32 of those 30 in base62, 6 wide (GitHub's format). */
function githubToken(body: string): string {
  let crc = crc32(body);
  let checksum = '';
  while (crc > 0) {
    checksum = BASE62[crc % 62] + checksum;
    crc = Math.floor(crc / 62);
  }
  return `ghp_${body}${checksum.padStart(6, '0')}`;
}

const M = PLANTED_MARKER;
const HOME = `/home/${LAB_USER}`;

const openai = `sk-proj-${M}openai${filler('openai-a', 40, URLSAFE)}T3BlbkFJ${filler('openai-b', 40, URLSAFE)}`;
// Anthropic API keys: `sk-ant-api03-` + 93 characters, the last two `AA`.
const anthropic = `sk-ant-api03-${M}anthropic${filler('anthropic', 93 - `${M}anthropic`.length - 2, URLSAFE)}AA`;
const groq = `gsk_${M}groq${filler('groq', 52 - `${M}groq`.length, ALNUM)}`;
const huggingface = `hf_${M}huggingface${filler('huggingface', 34 - `${M}huggingface`.length, LETTERS)}`;
const github = githubToken(`${M}github${filler('github', 30 - `${M}github`.length, ALNUM)}`);
const awsKeyId = `AKIA${M}${filler('aws-id', 16 - M.length, BASE32_UPPER)}`;
const awsSecret = `${M}aws${filler('aws-secret', 40 - `${M}aws`.length, BASE64)}`;
// Temporary credentials from an assumed role: an ASIA id, its secret and the session token that must go with them.
const awsTempKeyId = `ASIA${M}${filler('aws-temp-id', 16 - M.length, BASE32_UPPER)}`;
const awsTempSecret = `${M}awstemp${filler('aws-temp-secret', 40 - `${M}awstemp`.length, BASE64)}`;
const awsSessionToken = `IQoJb3JpZ2luX2Vj${M}${filler('aws-session-token', 340, BASE64)}`;
// A Google Cloud service-account key file is known by its private_key_id (40 hex; here the marker
// takes the first five); the private key beside it is the companion that must never be printed.
const gcpKeyId = `${M}${filler('gcp-key-id', 40 - M.length, '0123456789abcdef')}`;
const gcpPrivateKeyBody = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${M}${filler('gcp-private-key', 600, BASE64)}`;
// Azure CLI's MSAL cache keeps refresh tokens as `secret` (an opaque `0.A…` string).
const azureRefresh = `0.AXEA${M}${filler('azure-refresh', 280, URLSAFE)}`;
// xAI keys are `xai-` + 80 letters and digits.
const stackXai = `xai-${M}stack${filler('stack-xai', 80 - `${M}stack`.length, ALNUM)}`;
// LiteLLM keys are `sk-` + secrets.token_urlsafe(16): 22 characters.
const litellmMaster = `sk-${M}master${filler('litellm-master', 22 - `${M}master`.length, URLSAFE)}`;
const litellmVirtual = `sk-${M}virtual${filler('litellm-virtual', 22 - `${M}virtual`.length, URLSAFE)}`;
const postgresPassword = `${M}pg${filler('postgres', 22, ALNUM)}`;

/** The postgres URL in litellm's DATABASE_URL (the password is the secret). */
export const PLANTED_DATABASE_URL = `postgresql://litellm:${postgresPassword}@db:5432/litellm`;

/** Every planted secret, with where it must be found. */
export const PLANTED_SECRETS: Readonly<Record<PlantedSecretId, PlantedSecret>> = {
  openai: {
    id: 'openai',
    provider: 'openai',
    value: openai,
    companions: [],
    locations: [
      { host: 'gw', container: 'litellm', source: 'container-env', variable: 'OPENAI_API_KEY' },
      { host: 'gw', container: null, source: 'env-file', path: '/srv/ai-gateway/.env', variable: 'OPENAI_API_KEY' },
    ],
  },
  anthropic: {
    id: 'anthropic',
    provider: 'anthropic',
    value: anthropic,
    companions: [],
    locations: [
      { host: 'gw', container: 'litellm', source: 'container-env', variable: 'ANTHROPIC_API_KEY' },
      { host: 'nodocker', container: null, source: 'shell-rc', path: `${HOME}/.bashrc`, variable: 'ANTHROPIC_API_KEY' },
    ],
  },
  groq: {
    id: 'groq',
    provider: 'groq',
    value: groq,
    companions: [],
    // Inline in the LiteLLM config: the container's /app/config.yaml is a bind mount of the host file.
    locations: [
      { host: 'gw', container: 'litellm', source: 'app-config', path: '/app/config.yaml' },
      { host: 'gw', container: null, source: 'app-config', path: '/srv/ai-gateway/litellm-config.yaml' },
    ],
  },
  huggingface: {
    id: 'huggingface',
    provider: 'huggingface',
    value: huggingface,
    companions: [],
    locations: [{ host: 'ollama', container: null, source: 'env-file', path: '/opt/chat-app/.env', variable: 'HF_TOKEN' }],
  },
  github: {
    id: 'github',
    provider: 'github',
    value: github,
    companions: [],
    locations: [{ host: 'nodocker', container: null, source: 'credentials-file', path: `${HOME}/.git-credentials` }],
  },
  aws: {
    id: 'aws',
    provider: 'aws',
    value: awsSecret,
    companions: [awsKeyId],
    locations: [{ host: 'nodocker', container: null, source: 'credentials-file', path: `${HOME}/.aws/credentials`, variable: 'aws_secret_access_key' }],
  },
  'aws-temp': {
    id: 'aws-temp',
    provider: 'aws',
    value: awsTempSecret,
    companions: [awsTempKeyId, awsSessionToken],
    locations: [
      {
        host: 'nodocker',
        container: null,
        source: 'credentials-file',
        path: `${HOME}/.aws/credentials`,
        variable: '[ci-deploy] aws_secret_access_key (temporary credentials, with aws_session_token)',
      },
    ],
  },
  'gcp-service-account': {
    id: 'gcp-service-account',
    provider: 'google-cloud',
    value: gcpKeyId,
    companions: [gcpPrivateKeyBody],
    locations: [
      {
        host: 'nodocker',
        container: null,
        source: 'credentials-file',
        path: `${HOME}/.config/gcloud/application_default_credentials.json`,
        variable: 'service account key (private_key_id)',
      },
    ],
  },
  'azure-refresh': {
    id: 'azure-refresh',
    provider: 'azure',
    value: azureRefresh,
    companions: [],
    locations: [{ host: 'nodocker', container: null, source: 'credentials-file', path: `${HOME}/.azure/msal_token_cache.json`, variable: 'msal RefreshToken' }],
  },
  'stack-xai': {
    id: 'stack-xai',
    provider: 'xai',
    value: stackXai,
    companions: [],
    // Inline in the compose file of a stack nothing runs from, on a host whose Docker the login may not use.
    locations: [{ host: 'nodocker', container: null, source: 'compose', path: '/opt/stacks/litellm-old/compose.yaml', variable: 'XAI_API_KEY' }],
  },
  'litellm-master': {
    id: 'litellm-master',
    provider: 'litellm',
    value: litellmMaster,
    companions: [],
    locations: [{ host: 'gw', container: 'litellm', source: 'container-env', variable: 'LITELLM_MASTER_KEY' }],
  },
  'litellm-virtual': {
    id: 'litellm-virtual',
    provider: 'litellm',
    value: litellmVirtual,
    companions: [],
    // open-webui calls the gateway with a LiteLLM virtual key, under the OpenAI variable name.
    locations: [{ host: 'gw', container: 'open-webui', source: 'container-env', variable: 'OPENAI_API_KEY' }],
  },
  postgres: {
    id: 'postgres',
    provider: 'database',
    value: postgresPassword,
    companions: [PLANTED_DATABASE_URL],
    // The URL litellm connects with, and the password the database container was initialised with.
    locations: [
      { host: 'gw', container: 'litellm', source: 'container-env', variable: 'DATABASE_URL' },
      { host: 'gw', container: 'ai-gateway-db-1', source: 'container-env', variable: 'POSTGRES_PASSWORD' },
    ],
  },
};

/** Ids of the secrets planted only where a scan fails (error text, files no reader can parse): `{{planted:<id>}}` too. */
export type ErrorPathSecretId = 'registry-password' | 'broken-json-key' | 'broken-yaml-key';

/** A secret planted only on an error path: nothing may find it as a key, and nothing may print it. */
export interface ErrorPathSecret {
  id: ErrorPathSecretId;
  value: string;
  /** Where it is planted and how the scan meets it. */
  planted: string;
}

/**
 * Secrets the error-path hosts (lab-hosts.ts `LAB_ERROR_HOSTS`) put where a scan fails: in a failing
 * `docker`'s stderr and in files that are not valid JSON or YAML. The leak test greps for them too.
 */
export const ERROR_PATH_SECRETS: Readonly<Record<ErrorPathSecretId, ErrorPathSecret>> = {
  'registry-password': {
    id: 'registry-password',
    value: `${M}registry${filler('registry-password', 24, ALNUM)}`,
    planted: 'the password of the registry/proxy URL a failing docker prints on stderr (dockerfail, brittle)',
  },
  'broken-json-key': {
    id: 'broken-json-key',
    value: `sk-proj-${M}brokenjson${filler('broken-json-a', 36, URLSAFE)}T3BlbkFJ${filler('broken-json-b', 40, URLSAFE)}`,
    planted: 'an OpenAI key inside malformed JSON: dockerfail\'s ~/.docker/config.json and ~/.continue/config.json, hostiledaemon\'s docker inspect output',
  },
  'broken-yaml-key': {
    id: 'broken-yaml-key',
    value: `gsk_${M}brokenyaml${filler('broken-yaml', 52 - `${M}brokenyaml`.length, ALNUM)}`,
    planted: 'a Groq key inline in a LiteLLM config that is not valid YAML (dockerfail /srv/gateway/litellm-config.yaml)',
  },
};

/** Ids of the secrets planted inside system containers (GUEST_HOSTS in lab-hosts.ts): `{{planted:<id>}}` too. */
export type GuestSecretId = 'ct-anthropic';

/**
 * Secrets the Proxmox-style host (lab-hosts.ts `GUEST_HOSTS`) plants inside its CTs, apart from
 * PLANTED_SECRETS so the usual lab's key counts stay as they are. The LXC test finds them by
 * fingerprint and greps everything it wrote for them.
 */
export const GUEST_SECRETS: Readonly<Record<GuestSecretId, Omit<PlantedSecret, 'id'> & { id: GuestSecretId }>> = {
  'ct-anthropic': {
    id: 'ct-anthropic',
    provider: 'anthropic',
    value: `sk-ant-api03-${M}ctanthropic${filler('ct-anthropic', 93 - `${M}ctanthropic`.length - 2, URLSAFE)}AA`,
    companions: [],
    locations: [{ host: 'pve', container: 'CT 101 (litellm)', source: 'app-config', path: '/opt/litellm/litellm.yaml' }],
  },
};

/** The planted AWS access key id (`AKIA…`), the companion of the planted secret access key. */
export const PLANTED_AWS_KEY_ID = awsKeyId;

/** The planted temporary AWS credentials' key id (`ASIA…`) and session token, companions of `aws-temp`. */
export const PLANTED_AWS_TEMPORARY = { keyId: awsTempKeyId, sessionToken: awsSessionToken };

/** Tokens that stand for a planted secret's companion, with the secret they belong to. */
export const COMPANION_TOKENS: Readonly<Record<string, { value: string; of: PlantedSecretId }>> = {
  'aws-key-id': { value: awsKeyId, of: 'aws' },
  'aws-temp-key-id': { value: awsTempKeyId, of: 'aws-temp' },
  'aws-session-token': { value: awsSessionToken, of: 'aws-temp' },
  'gcp-private-key': { value: gcpPrivateKeyBody, of: 'gcp-service-account' },
};

/** What `{{planted:<id>}}` stands for: the value (of a planted or an error-path secret), or a companion's (COMPANION_TOKENS). */
export function plantedToken(id: string): string | undefined {
  if (Object.hasOwn(COMPANION_TOKENS, id)) return COMPANION_TOKENS[id]!.value;
  return (
    (PLANTED_SECRETS as Record<string, PlantedSecret | undefined>)[id]?.value ??
    (ERROR_PATH_SECRETS as Record<string, ErrorPathSecret | undefined>)[id]?.value ??
    (GUEST_SECRETS as Record<string, { value: string } | undefined>)[id]?.value
  );
}

/** The fingerprint the report contract gives a secret: `<provider>:<first 12 hex of sha256>:<last 4>`. */
export function expectedFingerprint(secret: Pick<PlantedSecret, 'provider' | 'value'>): string {
  return `${secret.provider}:${createHash('sha256').update(secret.value).digest('hex').slice(0, 12)}:${secret.value.slice(-4)}`;
}

/**
 * Strings that must never appear in anything the product writes: each value and companion whole,
 * and 16-character windows of each (after its public prefix, in the middle, at the end).
 */
export function leakNeedles(value: string): string[] {
  const prefix = /^(sk-proj-|sk-ant-api03-|sk-|gsk_|hf_|ghp_|AKIA|ASIA|IQoJb3JpZ2luX2Vj|MIIEvQIBADANBgkqhkiG9w0BAQEFAASC|0\.AXEA|xai-)/.exec(value)?.[0].length ?? 0;
  const needles = new Set([value]);
  for (const start of [prefix, Math.floor((value.length - 16) / 2), value.length - 16]) {
    if (start >= 0 && start + 16 <= value.length) needles.add(value.slice(start, start + 16));
  }
  return [...needles];
}
