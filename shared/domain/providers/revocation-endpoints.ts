/**
 * How to ask a provider, read-only, whether a key still works: one GET that costs nothing, the
 * header the key travels in (never the URL), and which answers are a determinate refusal. Each
 * entry names the documentation it was taken from. Keyed by the `provider` of a SecretSighting.
 * Providers not listed (database passwords, AWS secret keys, SSH keys, a gateway's own keys) have
 * no check: there is no single free read-only call that proves them dead.
 */

/** How the key is sent: a bearer token, Anthropic's `x-api-key`, or Google's `x-goog-api-key` header. */
export type RevocationAuth = 'bearer' | 'x-api-key' | 'x-goog-api-key';

/** A response that means the provider refused the key itself (not the request, not its own trouble). */
export interface RefusalRule {
  status: number;
  /**
   * When the status alone is ambiguous (Gemini answers 400 for a malformed request too): the
   * `error.details[].reason` the JSON body must carry. Only this token is compared; the body is
   * never shown.
   */
  reason?: string;
}

/** One provider's read-only check. */
export interface RevocationEndpoint {
  /** The provider as people call it. */
  name: string;
  /** The fixed https origin; tests replace it through an injected option only. */
  origin: string;
  /** The GET path: lists models or describes the caller, never generates anything. */
  path: string;
  auth: RevocationAuth;
  /** Headers the API requires besides the key. */
  headers?: Readonly<Record<string, string>>;
  /** Answers that mean the key is revoked (or never was valid). */
  refusals: readonly RefusalRule[];
  /** Where the endpoint, its authentication and its refusal status are documented. */
  sources: readonly string[];
}

/** The checks by provider id. A 2xx from the path means the key is live; anything not listed as a refusal is indeterminate. */
export const REVOCATION_ENDPOINTS: Readonly<Record<string, RevocationEndpoint>> = {
  // GET /v1/models rather than /v1/me: /v1/me is not in OpenAI's API reference, /v1/models is.
  openai: {
    name: 'OpenAI',
    origin: 'https://api.openai.com',
    path: '/v1/models',
    auth: 'bearer',
    refusals: [{ status: 401 }],
    sources: [
      'https://platform.openai.com/docs/api-reference/models/list',
      'https://help.openai.com/en/articles/6891767-error-code-401-invalid-authentication',
    ],
  },
  anthropic: {
    name: 'Anthropic',
    origin: 'https://api.anthropic.com',
    path: '/v1/models',
    auth: 'x-api-key',
    headers: { 'anthropic-version': '2023-06-01' },
    // 403 is permission_error: the key exists but may not use the resource, so it is not a refusal of the key.
    refusals: [{ status: 401 }],
    sources: ['https://platform.claude.com/docs/en/api/models', 'https://docs.claude.com/en/api/errors'],
  },
  google: {
    name: 'Gemini API',
    origin: 'https://generativelanguage.googleapis.com',
    path: '/v1beta/models',
    auth: 'x-goog-api-key',
    // An invalid or deleted key is answered 400 INVALID_ARGUMENT with reason API_KEY_INVALID.
    refusals: [{ status: 401 }, { status: 400, reason: 'API_KEY_INVALID' }],
    sources: ['https://ai.google.dev/api/rest/v1beta/models/list', 'https://ai.google.dev/gemini-api/docs/troubleshooting'],
  },
  huggingface: {
    name: 'Hugging Face',
    origin: 'https://huggingface.co',
    path: '/api/whoami-v2',
    auth: 'bearer',
    refusals: [{ status: 401 }],
    sources: ['https://huggingface.co/docs/hub/api', 'https://huggingface.co/docs/huggingface_hub/package_reference/hf_api#huggingface_hub.HfApi.whoami'],
  },
  groq: {
    name: 'Groq',
    origin: 'https://api.groq.com',
    path: '/openai/v1/models',
    auth: 'bearer',
    refusals: [{ status: 401 }],
    sources: ['https://console.groq.com/docs/api-reference#models-list', 'https://console.groq.com/docs/errors'],
  },
  openrouter: {
    name: 'OpenRouter',
    origin: 'https://openrouter.ai',
    path: '/api/v1/key',
    auth: 'bearer',
    refusals: [{ status: 401 }],
    sources: ['https://openrouter.ai/docs/api/api-reference/api-keys/get-current-key'],
  },
};

/** The read-only check for a provider's keys, or null when it has none. */
export function revocationEndpoint(provider: string): RevocationEndpoint | null {
  const id = provider.trim().toLowerCase();
  return Object.hasOwn(REVOCATION_ENDPOINTS, id) ? REVOCATION_ENDPOINTS[id]! : null;
}

/** The provider id of a fingerprint (`<provider>:<12 hex>:<last4>`). */
export function fingerprintProvider(fingerprint: string): string {
  const colon = fingerprint.indexOf(':');
  return colon > 0 ? fingerprint.slice(0, colon) : fingerprint;
}
