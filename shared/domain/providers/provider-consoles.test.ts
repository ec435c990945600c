import { describe, expect, it } from 'vitest';
import { isProviderConsoleUrl, PROVIDER_CONSOLES, providerConsole } from './provider-consoles.js';

describe('providerConsole', () => {
  it('finds a provider by the id sightings use, whatever its case', () => {
    expect(providerConsole('OpenAI')).toMatchObject({ name: 'OpenAI', url: 'https://platform.openai.com/api-keys' });
    expect(providerConsole('anthropic')?.url).toBe('https://console.anthropic.com/settings/keys');
  });

  it('has no page for secrets no public console issues', () => {
    expect(providerConsole('litellm')).toBeNull();
    expect(providerConsole('ssh')).toBeNull();
    expect(providerConsole('constructor')).toBeNull();
  });

  it('holds only https pages, and recognises exactly those', () => {
    for (const entry of Object.values(PROVIDER_CONSOLES)) expect(entry.url).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]+(\/|$)/);

    expect(isProviderConsoleUrl('https://console.groq.com/keys')).toBe(true);
    expect(isProviderConsoleUrl('https://console.groq.com/keys/../evil')).toBe(false);
  });
});
