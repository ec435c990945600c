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
  | 'postgres'
  | 'db-openai';

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
// An OpenAI key LiteLLM keeps only in its database, encrypted (litellm-postgres.ts): no file holds it.
const dbOpenai = `sk-proj-${M}dbopenai${filler('db-openai-a', 38, URLSAFE)}T3BlbkFJ${filler('db-openai-b', 40, URLSAFE)}`;

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
  'db-openai': {
    id: 'db-openai',
    provider: 'openai',
    value: dbOpenai,
    companions: [],
    // Stored encrypted (SecretBox under the master key) in the lab's real PostgreSQL: a provider credential and a model's key.
    locations: [
      { host: 'gw', container: 'litellm', source: 'gateway-db', path: 'postgresql://db:5432/litellm', variable: 'credential_list[openai-prod].credential_values.api_key' },
      { host: 'gw', container: 'litellm', source: 'gateway-db', path: 'postgresql://db:5432/litellm', variable: 'model_list[gpt-4o-mini-db].litellm_params.api_key' },
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
    (SERVICE_GATEWAY_SECRETS as Record<string, ServiceGatewaySecret | undefined>)[id]?.value ??
    (KUBERNETES_SECRETS as Record<string, KubernetesSecret | undefined>)[id]?.value ??
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

// --- Host-service gateway (SERVICE_HOSTS in lab-hosts.ts): secrets of its own, so PLANTED_SECRETS and the tests that count it stay as they are.

/** Ids of the secrets planted on the host-service gateway's host (`{{planted:<id>}}` too). */
export type ServiceGatewaySecretId = 'svc-groq' | 'svc-openai' | 'svc-master';

/** A secret planted for the host-service gateway: where, and the provider a scan must name. */
export interface ServiceGatewaySecret {
  id: ServiceGatewaySecretId;
  provider: string;
  value: string;
  /** Where it is planted, in the report's SecretLocation terms. */
  locations: PlantedLocation[];
}

/** Where svcgw's LiteLLM keeps its config and environment file (named by its unit). */
export const SERVICE_GATEWAY_FILES = { config: '/etc/litellm-proxy/proxy.yaml', envFile: '/etc/litellm-proxy/litellm.env' } as const;

/** The keys svcgw's pip-installed LiteLLM holds: inline in the config its unit names, and in its EnvironmentFile. */
export const SERVICE_GATEWAY_SECRETS: Readonly<Record<ServiceGatewaySecretId, ServiceGatewaySecret>> = {
  'svc-groq': {
    id: 'svc-groq',
    provider: 'groq',
    value: `gsk_${M}svcgroq${filler('svc-groq', 52 - `${M}svcgroq`.length, ALNUM)}`,
    locations: [{ host: 'svcgw', container: null, source: 'app-config', path: SERVICE_GATEWAY_FILES.config }],
  },
  'svc-openai': {
    id: 'svc-openai',
    provider: 'openai',
    value: `sk-proj-${M}svcopenai${filler('svc-openai-a', 37, URLSAFE)}T3BlbkFJ${filler('svc-openai-b', 40, URLSAFE)}`,
    locations: [{ host: 'svcgw', container: null, source: 'env-file', path: SERVICE_GATEWAY_FILES.envFile, variable: 'OPENAI_API_KEY' }],
  },
  'svc-master': {
    id: 'svc-master',
    provider: 'litellm',
    value: `sk-${M}svcmst${filler('svc-master', 22 - `${M}svcmst`.length, URLSAFE)}`,
    locations: [{ host: 'svcgw', container: null, source: 'env-file', path: SERVICE_GATEWAY_FILES.envFile, variable: 'LITELLM_MASTER_KEY' }],
  },
};

// --- Kubernetes (the k3s host of KUBERNETES_HOSTS) -------------------------------------------

/** Ids of the secrets in the k3s host's cluster (`{{planted-base64:<id>}}` in its kubectl fixture). */
export type KubernetesSecretId = 'k8s-openai' | 'k8s-anthropic' | 'k8s-litellm-master' | 'k8s-litellm-virtual' | 'k8s-n8n-encryption';

/** A secret kept in a Kubernetes Secret of the lab cluster: base64 in kubectl's JSON, in clear nowhere the lab writes. */
export interface KubernetesSecret extends Omit<PlantedSecret, 'id'> {
  id: KubernetesSecretId;
}

const K8S_HOST = 'k3s';
const k8sSecret = (namespace: string, name: string, key: string): PlantedLocation => ({ host: K8S_HOST, container: null, source: 'kubernetes-secret', path: `${namespace}/secret/${name}`, variable: key });
const LITELLM_POD = 'ai/litellm-7d9f8b6c5d-x2kqp/litellm';

/**
 * The Secrets of the k3s host's cluster (e2e/lab/fixtures/kubernetes/get-secrets.json): the gateway's
 * provider keys and master key, Open WebUI's virtual key, n8n's encryption key; each also where a pod
 * takes it (env from `secretKeyRef` or `envFrom`, a mounted file). Not in PLANTED_SECRETS: only the
 * Kubernetes host set holds them, so the usual lab's counts stay as they are.
 */
export const KUBERNETES_SECRETS: Readonly<Record<KubernetesSecretId, KubernetesSecret>> = {
  'k8s-openai': {
    id: 'k8s-openai',
    provider: 'openai',
    value: `sk-proj-${M}k8sopenai${filler('k8s-openai-a', 37, URLSAFE)}T3BlbkFJ${filler('k8s-openai-b', 40, URLSAFE)}`,
    companions: [],
    locations: [k8sSecret('ai', 'litellm-secrets', 'OPENAI_API_KEY'), { host: K8S_HOST, container: LITELLM_POD, source: 'container-env', variable: 'OPENAI_API_KEY' }],
  },
  'k8s-anthropic': {
    id: 'k8s-anthropic',
    provider: 'anthropic',
    value: `sk-ant-api03-${M}k8santhropic${filler('k8s-anthropic', 93 - `${M}k8santhropic`.length - 2, URLSAFE)}AA`,
    companions: [],
    locations: [
      k8sSecret('ai', 'litellm-provider-keys', 'anthropic-api-key'),
      { host: K8S_HOST, container: LITELLM_POD, source: 'kubernetes-secret', path: '/etc/litellm/keys/anthropic-api-key', variable: 'anthropic-api-key' },
    ],
  },
  'k8s-litellm-master': {
    id: 'k8s-litellm-master',
    provider: 'litellm',
    value: `sk-${M}k8smst${filler('k8s-litellm-master', 22 - `${M}k8smst`.length, URLSAFE)}`,
    companions: [],
    locations: [k8sSecret('ai', 'litellm-secrets', 'LITELLM_MASTER_KEY'), { host: K8S_HOST, container: LITELLM_POD, source: 'container-env', variable: 'LITELLM_MASTER_KEY' }],
  },
  'k8s-litellm-virtual': {
    id: 'k8s-litellm-virtual',
    provider: 'litellm',
    value: `sk-${M}k8svrt${filler('k8s-litellm-virtual', 22 - `${M}k8svrt`.length, URLSAFE)}`,
    companions: [],
    locations: [
      k8sSecret('ai', 'open-webui-secrets', 'OPENAI_API_KEY'),
      { host: K8S_HOST, container: 'ai/open-webui-5d4b8f6c9-7hj2m/open-webui', source: 'container-env', variable: 'OPENAI_API_KEY' },
    ],
  },
  'k8s-n8n-encryption': {
    id: 'k8s-n8n-encryption',
    provider: 'unknown',
    value: `${M}n8n${filler('k8s-n8n-encryption', 32, ALNUM)}`,
    companions: [],
    locations: [k8sSecret('automation', 'n8n-env', 'N8N_ENCRYPTION_KEY'), { host: K8S_HOST, container: 'automation/n8n-0/n8n', source: 'container-env', variable: 'N8N_ENCRYPTION_KEY' }],
  },
};
