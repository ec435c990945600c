/**
 * Where each provider's keys are revoked and re-issued: the page the checklist links to from a
 * "rotate at the provider" step. Keyed by the `provider` of a SecretSighting / SecretFinding.
 * Every URL is https and fixed here, so the app only ever opens links it built itself.
 */

/** A provider's key-management page. */
export interface ProviderConsole {
  /** The provider as people call it (`OpenAI`, `Hugging Face`). */
  name: string;
  /** The page where its keys are listed, revoked and created. */
  url: string;
  /** What to do there, when the page alone does not say it. */
  hint?: string;
}

/** Key-management pages by provider id. */
export const PROVIDER_CONSOLES: Readonly<Record<string, ProviderConsole>> = {
  openai: { name: 'OpenAI', url: 'https://platform.openai.com/api-keys' },
  anthropic: { name: 'Anthropic', url: 'https://console.anthropic.com/settings/keys' },
  google: { name: 'Google AI Studio', url: 'https://aistudio.google.com/app/apikey', hint: 'keys made in Google Cloud are under APIs & Services > Credentials' },
  huggingface: { name: 'Hugging Face', url: 'https://huggingface.co/settings/tokens' },
  groq: { name: 'Groq', url: 'https://console.groq.com/keys' },
  openrouter: { name: 'OpenRouter', url: 'https://openrouter.ai/settings/keys' },
  xai: { name: 'xAI', url: 'https://console.x.ai', hint: 'API Keys, in the team the key belongs to' },
  aws: {
    name: 'AWS IAM',
    url: 'https://console.aws.amazon.com/iam/home#/security_credentials',
    hint:
      "a user's access keys are under IAM > Users > the user > Security credentials; deactivate the old key, then delete it. Temporary credentials (ASIA… with a session token) cannot be deleted: revoke the role's active sessions (IAM > Roles > the role > Revoke sessions), and sign out the SSO session that issued them",
  },
  'google-cloud': {
    name: 'Google Cloud IAM',
    url: 'https://console.cloud.google.com/iam-admin/serviceaccounts',
    hint: "a service-account key is under the account > Keys, listed by the key id its fingerprint ends with: delete it; a user's refresh token is revoked with `gcloud auth application-default revoke` or at myaccount.google.com/permissions",
  },
  azure: {
    name: 'Microsoft Entra ID',
    url: 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
    hint: "a service principal's client secret is under App registrations > the app > Certificates & secrets: delete it; a user's refresh tokens are revoked with Users > the user > Revoke sessions",
  },
  github: { name: 'GitHub', url: 'https://github.com/settings/tokens', hint: 'fine-grained tokens are under Personal access tokens > Fine-grained tokens' },
  mistral: { name: 'Mistral', url: 'https://console.mistral.ai/api-keys' },
  cohere: { name: 'Cohere', url: 'https://dashboard.cohere.com/api-keys' },
  deepseek: { name: 'DeepSeek', url: 'https://platform.deepseek.com/api_keys' },
};

/** The key-management page of a provider, or null when the key is not issued by a public console (a gateway's own key, a database password, an unknown one). */
export function providerConsole(provider: string): ProviderConsole | null {
  const id = provider.trim().toLowerCase();
  return Object.hasOwn(PROVIDER_CONSOLES, id) ? PROVIDER_CONSOLES[id]! : null;
}

/** True when `url` is exactly one of the console pages above: the only external links the checklist offers. */
export function isProviderConsoleUrl(url: string): boolean {
  return Object.values(PROVIDER_CONSOLES).some((entry) => entry.url === url);
}
