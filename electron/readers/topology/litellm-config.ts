/**
 * Reads a LiteLLM `config.yaml` into the gateway's routes: which model names it serves, which
 * provider and backend each calls, and which key each uses, by fingerprint only.
 */
import { parse } from 'yaml';
import type { GatewayConfig, GatewayModelRoute } from '../../../shared/model/index.js';
import { cleanUrl } from './endpoint-url.js';

/** Turns a secret into its report fingerprint (electron/readers/secrets/fingerprint.ts `fingerprintSecret`). */
export type Fingerprinter = (provider: string, value: string) => string;

/** Most model entries kept from one config. */
const MAX_MODELS = 1000;

/** `os.environ/NAME`: LiteLLM's way of naming a value kept in the environment. */
const ENV_REFERENCE = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * The gateway config of one LiteLLM config file, or null when the text is not a YAML mapping.
 * `environment` resolves `os.environ/NAME` (the gateway container's variables); the file's own
 * `environment_variables:` section is consulted after it. Keys are only ever fingerprinted, and
 * only when `fingerprint` is given.
 */
export function litellmGatewayConfig(
  text: string,
  where: { path: string; container: string | null },
  environment: ReadonlyMap<string, string> = new Map(),
  fingerprint?: Fingerprinter,
): GatewayConfig | null {
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 100, uniqueKeys: false, merge: true });
  } catch {
    return null;
  }
  if (!isRecord(document)) return null;
  const fileVariables = isRecord(document['environment_variables']) ? document['environment_variables'] : {};
  const lookup = (name: string): string | undefined => {
    const fromEnvironment = environment.get(name);
    if (fromEnvironment !== undefined) return fromEnvironment;
    const fromFile = fileVariables[name];
    return typeof fromFile === 'string' || typeof fromFile === 'number' ? String(fromFile) : undefined;
  };
  const entries = Array.isArray(document['model_list']) ? document['model_list'].slice(0, MAX_MODELS) : [];
  const models = entries.flatMap((entry) => {
    const route = modelRoute(entry, lookup, fingerprint);
    return route ? [route] : [];
  });
  return { gateway: 'litellm', container: where.container, path: where.path, models };
}

function modelRoute(
  entry: unknown,
  lookup: (name: string) => string | undefined,
  fingerprint: Fingerprinter | undefined,
): GatewayModelRoute | null {
  if (!isRecord(entry)) return null;
  const params = isRecord(entry['litellm_params']) ? entry['litellm_params'] : {};
  const model = typeof params['model'] === 'string' ? params['model'] : '';
  const name = typeof entry['model_name'] === 'string' ? entry['model_name'] : model;
  if (!name) return null;

  const rawBase = resolve(params['api_base'] ?? params['base_url'], lookup).value;
  const apiBase = rawBase ? cleanUrl(rawBase)?.url : undefined;
  const provider = providerOf(model, params['custom_llm_provider'], apiBase !== undefined);
  const route: GatewayModelRoute = { name, provider, ...(apiBase ? { apiBase } : {}) };

  const key = resolve(params['api_key'], lookup);
  if (key.variable) route.keyVariable = key.variable;
  if (key.value && fingerprint) {
    try {
      route.keyFingerprint = fingerprint(provider, key.value);
    } catch {
      // A failing fingerprinter leaves the route without one rather than losing the config.
    }
  }
  return route;
}

/** A setting's value, following `os.environ/NAME` (and remembering NAME). */
function resolve(setting: unknown, lookup: (name: string) => string | undefined): { value?: string; variable?: string } {
  if (typeof setting !== 'string' || setting.trim() === '') return {};
  const reference = ENV_REFERENCE.exec(setting.trim());
  if (!reference) return { value: setting };
  const variable = reference[1] ?? '';
  const value = lookup(variable);
  return value ? { value, variable } : { variable };
}

/**
 * The provider a route calls: `custom_llm_provider`, else the model's `provider/` prefix, else
 * `openai` for an OpenAI-compatible `api_base`, else what LiteLLM infers from well-known names.
 */
function providerOf(model: string, custom: unknown, hasApiBase: boolean): string {
  if (typeof custom === 'string' && custom) return custom.toLowerCase();
  const slash = model.indexOf('/');
  if (slash > 0) return model.slice(0, slash).toLowerCase();
  if (hasApiBase) return 'openai';
  if (/^(?:gpt-|o\d|chatgpt|text-embedding|dall-e|whisper|tts-)/i.test(model)) return 'openai';
  if (/^claude/i.test(model)) return 'anthropic';
  if (/^gemini/i.test(model)) return 'gemini';
  if (/^(?:mistral|codestral|open-mistral)/i.test(model)) return 'mistral';
  if (/^command/i.test(model)) return 'cohere';
  return 'unknown';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
