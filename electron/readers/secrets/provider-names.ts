/**
 * Provider ids as they appear in other tools' configs (LiteLLM model prefixes, Continue and aider
 * provider names), mapped to the ids the report uses. Only used to name an opaque key.
 */
const ALIASES: Record<string, string> = {
  openai: 'openai',
  text_completion_openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  google: 'google',
  vertex_ai: 'google',
  'vertex_ai_beta': 'google',
  groq: 'groq',
  openrouter: 'openrouter',
  xai: 'xai',
  mistral: 'mistral',
  codestral: 'mistral',
  cohere: 'cohere',
  cohere_chat: 'cohere',
  together_ai: 'together',
  together: 'together',
  deepseek: 'deepseek',
  fireworks_ai: 'fireworks',
  fireworks: 'fireworks',
  perplexity: 'perplexity',
  replicate: 'replicate',
  voyage: 'voyage',
  azure: 'azure-openai',
  azure_ai: 'azure-openai',
  bedrock: 'aws',
  sagemaker: 'aws',
  huggingface: 'huggingface',
  cerebras: 'cerebras',
};

/** The report's provider id for a tool's provider name or `provider/model` string, or undefined. */
export function providerFromName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const prefix = name.includes('/') ? name.slice(0, name.indexOf('/')) : name;
  return ALIASES[prefix.toLowerCase().replace(/-/g, '_')];
}
