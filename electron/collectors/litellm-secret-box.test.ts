import { describe, expect, it } from 'vitest';
import { decryptStoredValue, encryptLegacyValue, looksEncrypted } from './litellm-secret-box.js';

const SALT = 'sk-lab-salt-1234';
const VALUE = 'sk-test-openai-value-0001';
// Written by Python's `cryptography` exactly as LiteLLM's _encrypt_aes_gcm derives its keys (nonce 00..0b).
const V2 = 'v2:gcm:AAECAwQFBgcICQoL3ti_vQtCBY1itRJDmE1HP2DfjCeilAYU48I1-gB7wKkeXqGDo8Jq9Jg=';
const V3 = 'v3:gcm:AAECAwQFBgcICQoLlWnwcZJ6l5QuPMr3QD31tMbHRAwNz-DhS6WBf6FLpD93Rd4J7VVB6xo=';

describe('LiteLLM stored-value decryption', () => {
  it('opens the v2 and v3 AES-GCM forms with the salt key', () => {
    expect(decryptStoredValue(V2, SALT)).toBe(VALUE);
    expect(decryptStoredValue(V3, SALT)).toBe(VALUE);
  });

  it('opens the legacy SecretBox form (nonce then box, padded base64url) and refuses another salt key', () => {
    const stored = encryptLegacyValue(VALUE, SALT, new Uint8Array(24).fill(7));
    expect(stored.length % 4).toBe(0);
    expect(decryptStoredValue(stored, SALT)).toBe(VALUE);
    expect(decryptStoredValue(stored, 'another-salt')).toBeNull();
    expect(decryptStoredValue(V3, 'another-salt')).toBeNull();
  });

  it('reads a legacy value written with the standard base64 alphabet as LiteLLM still accepts', () => {
    const stored = encryptLegacyValue(VALUE, SALT, new Uint8Array(24).fill(251));
    const standard = Buffer.from(stored, 'base64url').toString('base64');
    expect(decryptStoredValue(standard, SALT)).toBe(VALUE);
  });

  it('tells stored ciphertext from a clear key by its shape', () => {
    expect(looksEncrypted(V2)).toBe(true);
    expect(looksEncrypted(encryptLegacyValue(VALUE, SALT))).toBe(true);
    expect(looksEncrypted('sk-proj-abc123')).toBe(false);
    expect(looksEncrypted('http://ollama:11434')).toBe(false);
    expect(decryptStoredValue('sk-proj-abc123', SALT)).toBeNull();
  });
});
