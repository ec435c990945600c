/**
 * Turns the credentials, models and MCP servers a LiteLLM database stores into the shape of a
 * LiteLLM config (`model_list`, `credential_list`, `mcp_servers`), so the one secret reader and the
 * one gateway-config reader judge them as they judge a config.yaml. Encrypted values are opened
 * with the deployment's own salt key (main process only); a secret-named value that stays sealed
 * (no salt key in the deployment, or another one) is left out of the document and becomes a
 * sighting by the digest of its ciphertext: "encrypted credential for provider X: rotate it".
 */
import { createHash } from 'node:crypto';
import type { SecretSighting } from '../../shared/model/index.js';
import { providerFromName } from '../readers/secrets/provider-names.js';
import type { GatewayDatabaseRows } from './litellm-database-parser.js';
import { decryptStoredValue, looksEncrypted } from './litellm-secret-box.js';

/** What the stored rows became. `text` holds clear values: it goes to the secret reader and is dropped. */
export interface StoredCredentials {
  /** JSON in LiteLLM's config shape, or null when the database stores none of these rows. */
  text: string | null;
  /** Credentials that stayed encrypted, as sightings without a value fingerprint. */
  sealed: SecretSighting[];
  /** Encrypted values that did not open with the salt key found (a changed or wrong key). */
  unopened: number;
  /** Encrypted values opened. */
  opened: number;
}

/** Names of fields that hold a credential (LiteLLM's `api_key`, `aws_secret_access_key`, `vertex_credentials`, MCP `authentication_token`…). */
const SECRET_FIELD = /key|secret|token|password|credential|authorization|auth/i;

/**
 * The stored rows in LiteLLM's config shape, with each encrypted string opened when `saltKey` opens
 * it. `where` names the database for the sightings (`postgresql://db:5432/litellm`).
 */
export function storedCredentials(rows: GatewayDatabaseRows, saltKey: string | null, where: { container: string; path: string }): StoredCredentials {
  const result: StoredCredentials = { text: null, sealed: [], unopened: 0, opened: 0 };
  const open = (value: unknown, path: string, provider: () => string): unknown => {
    if (typeof value === 'string') {
      if (!looksEncrypted(value)) return value;
      const clear = saltKey === null ? null : decryptStoredValue(value, saltKey);
      if (clear !== null) {
        result.opened++;
        return clear;
      }
      if (saltKey !== null) result.unopened++;
      const name = path.slice(path.lastIndexOf('.') + 1);
      if (SECRET_FIELD.test(name)) result.sealed.push(sealedSighting(value, provider(), path, where, saltKey !== null));
      return undefined;
    }
    if (Array.isArray(value)) return value.map((entry, index) => open(entry, `${path}[${index}]`, provider)).filter((entry) => entry !== undefined);
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(value)) {
        const opened = open(entry, `${path}.${key}`, provider);
        if (opened !== undefined) out[key] = opened;
      }
      return out;
    }
    return value;
  };

  const credentialList = rows.credentials.map((row) => {
    const info = isRecord(row.info) ? row.info : {};
    const provider = () => providerOf(info['custom_llm_provider']) ?? providerOf(row.name) ?? 'unknown';
    return { credential_name: row.name, credential_values: open(row.values, `credential_list[${row.name}].credential_values`, provider), credential_info: info };
  });
  const modelList = rows.models.map((row) => {
    // The model's provider is only known once its params are open (LiteLLM encrypts `model` too).
    const params = open(row.params, `model_list[${row.name}].litellm_params`, () => 'unknown');
    const clear = isRecord(params) ? params : {};
    const provider = providerOf(clear['custom_llm_provider']) ?? providerOf(clear['model']) ?? providerOf(row.name) ?? 'unknown';
    return { model_name: row.name, litellm_params: clear, provider };
  });
  // A model's sealed key was named before its provider was known: name it now.
  for (const sighting of result.sealed) {
    const model = modelList.find((entry) => sighting.variable?.startsWith(`model_list[${entry.model_name}].`));
    if (model && sighting.provider === 'unknown' && model.provider !== 'unknown') {
      sighting.provider = model.provider;
      sighting.fingerprint = `${model.provider}${sighting.fingerprint.slice(sighting.fingerprint.indexOf(':'))}`;
    }
  }
  const mcpServers = Object.fromEntries(
    rows.mcpServers.map((row) => {
      const provider = () => 'mcp';
      const credentials = typeof row.credentials === 'string' ? openMap(row.credentials, saltKey, result, `mcp_servers.${row.name}.credentials`, where) : open(row.credentials, `mcp_servers.${row.name}.credentials`, provider);
      return [
        row.name,
        {
          ...(row.url ? { url: row.url } : {}),
          ...(row.authType ? { auth_type: row.authType } : {}),
          credentials,
          static_headers: open(row.staticHeaders, `mcp_servers.${row.name}.static_headers`, provider),
          env: open(row.env, `mcp_servers.${row.name}.env`, provider),
        },
      ];
    }),
  );
  if (credentialList.length + modelList.length + rows.mcpServers.length === 0) return result;
  result.text = JSON.stringify({
    model_list: modelList.map(({ model_name, litellm_params }) => ({ model_name, litellm_params })),
    credential_list: credentialList,
    mcp_servers: mcpServers,
  });
  return result;
}

/**
 * MCP credentials newer LiteLLM stores whole: one ciphertext of the JSON map (`encrypt_secret_map`).
 * Opened, the map's fields are the credentials; sealed, the whole map is one sealed credential.
 */
function openMap(value: string, saltKey: string | null, result: StoredCredentials, path: string, where: { container: string; path: string }): unknown {
  if (!looksEncrypted(value)) return { value };
  const clear = saltKey === null ? null : decryptStoredValue(value, saltKey);
  if (clear === null) {
    if (saltKey !== null) result.unopened++;
    result.sealed.push(sealedSighting(value, 'mcp', path, where, saltKey !== null));
    return undefined;
  }
  result.opened++;
  try {
    const parsed: unknown = JSON.parse(clear);
    return isRecord(parsed) ? parsed : { credential: clear };
  } catch {
    return { credential: clear };
  }
}

/** `<provider>:sealed:<first 12 hex of sha256 of the ciphertext>`: stable until the credential is re-encrypted (rotated). */
function sealedSighting(ciphertext: string, provider: string, variable: string, where: { container: string; path: string }, keyFound: boolean): SecretSighting {
  const digest = createHash('sha256').update(ciphertext, 'utf8').digest('hex').slice(0, 12);
  return {
    fingerprint: `${provider}:sealed:${digest}`,
    provider,
    container: where.container,
    source: 'gateway-db',
    path: where.path,
    variable: `${variable} (stored encrypted; ${keyFound ? 'the salt key found does not open it' : 'no LITELLM_SALT_KEY or master key in the deployment'}: rotate it)`,
  };
}

function providerOf(value: unknown): string | undefined {
  return typeof value === 'string' ? providerFromName(value) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
