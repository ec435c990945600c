import { describe, expect, it } from 'vitest';
import { normalizePackageName } from './pep503.js';

describe('normalizePackageName', () => {
  it('lower-cases a name', () => {
    expect(normalizePackageName('LiteLLM')).toBe('litellm');
  });

  it('turns every run of dots, dashes and underscores into one dash', () => {
    expect(normalizePackageName('Guardrails_AI')).toBe('guardrails-ai');
    expect(normalizePackageName('zope.interface')).toBe('zope-interface');
    expect(normalizePackageName('a-_.-b__c')).toBe('a-b-c');
  });

  it('keeps an underscore as a separator rather than dropping it, so lite_llm is not litellm', () => {
    expect(normalizePackageName('lite_llm')).toBe('lite-llm');
    expect(normalizePackageName('lite_llm')).not.toBe(normalizePackageName('litellm'));
  });
});
