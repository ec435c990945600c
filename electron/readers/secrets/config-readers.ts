/**
 * Readers of structured config files: compose `environment:` blocks, LiteLLM's config.yaml and
 * AI tools' own configs (Continue, aider, or any JSON/YAML with secret-named keys). Pure: text
 * in, candidates out; a file that does not parse gives nothing.
 */
import { composeServiceEnvironment } from '../env-assignments.js';
import type { RawSecret } from './raw-secret.js';
import { providerFromName } from './provider-names.js';
import { isRecord, parseStructured, scalarText, stringLeaves } from './structured.js';

/** Every `services.<name>.environment` entry of a compose file, map or `NAME=value` list form. */
export function composeEnvironment(text: string): RawSecret[] {
  const document = parseStructured(text);
  if (!isRecord(document) || !isRecord(document['services'])) return [];
  return Object.values(document['services']).flatMap((service) => (isRecord(service) ? composeServiceEnvironment(service['environment']) : []));
}

const ENV_REFERENCE = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * Secrets of a LiteLLM proxy config.yaml (docs.litellm.ai/docs/proxy/configs): keys in
 * `model_list[].litellm_params`, `general_settings` (master_key, database_url),
 * `litellm_settings`, `router_settings` and `environment_variables`. `os.environ/NAME` values are
 * resolved against `environment` (the same container's variables); unresolved ones are skipped.
 */
export function litellmConfigSecrets(text: string, environment: ReadonlyMap<string, string>): RawSecret[] {
  const document = parseStructured(text);
  if (!isRecord(document)) return [];
  const found: RawSecret[] = [];
  const add = (variable: string, name: string, raw: string, inferredProvider?: string): void => {
    const reference = ENV_REFERENCE.exec(raw.trim());
    if (reference) {
      const resolved = environment.get(reference[1]!);
      // Classified under the referenced variable's name, exactly as the container-env sighting is.
      if (resolved !== undefined) found.push({ variable, name: reference[1]!, value: resolved, inferredProvider, byReference: true });
      return;
    }
    found.push({ variable, name, value: raw, inferredProvider });
  };
  const models = document['model_list'];
  if (Array.isArray(models)) {
    models.forEach((model, index) => {
      if (!isRecord(model) || !isRecord(model['litellm_params'])) return;
      const params = model['litellm_params'];
      const label = typeof model['model_name'] === 'string' ? model['model_name'] : String(index);
      const modelName = typeof params['model'] === 'string' ? params['model'] : undefined;
      const custom = typeof params['custom_llm_provider'] === 'string' ? params['custom_llm_provider'] : undefined;
      const inferred = providerFromName(custom) ?? providerFromName(modelName);
      for (const leaf of stringLeaves(params, `model_list[${label}].litellm_params`)) add(leaf.path, leaf.key, leaf.value, inferred);
    });
  }
  // `credential_list` (config.yaml, or LiteLLM_CredentialsTable read from the database): the provider
  // is the credential's `custom_llm_provider`, else its name.
  const credentials = document['credential_list'];
  if (Array.isArray(credentials)) {
    credentials.forEach((credential, index) => {
      if (!isRecord(credential)) return;
      const label = typeof credential['credential_name'] === 'string' ? credential['credential_name'] : String(index);
      const info = isRecord(credential['credential_info']) ? credential['credential_info'] : {};
      const custom = typeof info['custom_llm_provider'] === 'string' ? info['custom_llm_provider'] : undefined;
      const inferred = providerFromName(custom) ?? providerFromName(label);
      for (const leaf of stringLeaves(credential['credential_values'], `credential_list[${label}].credential_values`)) add(leaf.path, leaf.key, leaf.value, inferred);
    });
  }
  // `mcp_servers`: tokens, headers and environments of MCP servers the gateway calls.
  const servers = document['mcp_servers'];
  if (isRecord(servers)) {
    for (const [name, server] of Object.entries(servers)) {
      if (!isRecord(server)) continue;
      for (const leaf of stringLeaves(server, `mcp_servers.${name}`)) {
        if (leaf.key !== 'url' && leaf.key !== 'transport' && leaf.key !== 'auth_type') add(leaf.path, leaf.key, leaf.value);
      }
    }
  }
  for (const section of ['general_settings', 'litellm_settings', 'router_settings']) {
    for (const leaf of stringLeaves(document[section], section)) add(leaf.path, leaf.key, leaf.value);
  }
  const variables = document['environment_variables'];
  if (isRecord(variables)) {
    for (const [name, value] of Object.entries(variables)) {
      const text = scalarText(value);
      if (text !== null) add(`environment_variables.${name}`, name, text);
    }
  }
  return found;
}

// aider's YAML config (aider.chat/docs/config/api-keys.html): two dedicated keys and `api-key`.
const AIDER_KEYS: Record<string, string> = { 'openai-api-key': 'openai', 'anthropic-api-key': 'anthropic' };

/** `api-key: [gemini=…]` entries (a list, or one string) of an aider config. */
function aiderApiKeys(value: unknown): RawSecret[] {
  const entries = Array.isArray(value) ? value : [value];
  return entries.flatMap((entry) => {
    const text = scalarText(entry);
    const equals = text?.indexOf('=') ?? -1;
    if (!text || equals <= 0) return [];
    const provider = text.slice(0, equals).trim();
    return [
      {
        variable: `api-key[${provider}]`,
        // aider sets PROVIDER_API_KEY from it, so it is classified under that name.
        name: `${provider.toUpperCase()}_API_KEY`,
        value: text.slice(equals + 1).trim(),
        inferredProvider: providerFromName(provider),
      },
    ];
  });
}

/**
 * Secrets of an AI tool's config: Continue's config.json/config.yaml (`models[].apiKey`, with the
 * model's `provider` naming an opaque key), aider's `.aider.conf.yml`, and any other JSON/YAML
 * whose secret-named keys hold values. Classification decides which leaves are secrets.
 */
export function appConfigSecrets(text: string): RawSecret[] {
  const document = parseStructured(text);
  if (!isRecord(document) && !Array.isArray(document)) return [];
  const found: RawSecret[] = [];
  for (const leaf of stringLeaves(document, '')) {
    if (leaf.path === 'api-key' || leaf.path.startsWith('api-key[')) continue;
    const aider = AIDER_KEYS[leaf.path];
    if (aider) {
      found.push({ variable: leaf.path, name: `${aider.toUpperCase()}_API_KEY`, value: leaf.value, inferredProvider: aider });
      continue;
    }
    const provider = typeof leaf.parent['provider'] === 'string' ? leaf.parent['provider'] : undefined;
    found.push({ variable: leaf.path, name: leaf.key, value: leaf.value, inferredProvider: providerFromName(provider) });
  }
  if (isRecord(document) && document['api-key'] !== undefined) found.push(...aiderApiKeys(document['api-key']));
  return found;
}
