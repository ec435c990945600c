/**
 * Decrypts the values LiteLLM stores encrypted in its database (provider credentials, models'
 * `litellm_params`, MCP credentials), in the main process only, with the deployment's own salt key
 * (`LITELLM_SALT_KEY`, else the master key: `_get_salt_key` in
 * litellm/proxy/common_utils/encrypt_decrypt_utils.py). LiteLLM has written three formats:
 * - legacy, unmarked: base64url of a NaCl SecretBox (XSalsa20-Poly1305; 24-byte nonce, then the
 *   box), keyed by sha256 of the salt key. Node's crypto has no XSalsa20, so tweetnacl (the
 *   audited pure-JS port of NaCl, pinned exactly) opens it;
 * - `v2:gcm:` + base64url(nonce 12 ‖ ciphertext ‖ tag 16), AES-256-GCM keyed by sha256 of the salt key;
 * - `v3:gcm:` the same, keyed by HKDF-SHA256 (no salt, info `litellm-at-rest-v3`).
 * Both GCM forms go through node:crypto. A value that does not open is never guessed at.
 */
import { createDecipheriv, createHash, hkdfSync } from 'node:crypto';
import nacl from 'tweetnacl';

const V3 = 'v3:gcm:';
const V2 = 'v2:gcm:';
const HKDF_INFO = 'litellm-at-rest-v3';
/** nonce (24) + Poly1305 tag (16): the shortest SecretBox LiteLLM could have written. */
const MIN_BOX_BYTES = 40;

/** True for a value in one of LiteLLM's encrypted forms (a GCM marker, or padded base64url long enough to be a box). */
export function looksEncrypted(value: string): boolean {
  if (value.startsWith(V3) || value.startsWith(V2)) return true;
  // Python's urlsafe_b64encode pads to a multiple of 4; API keys rarely have that exact shape and length.
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return false;
  return Buffer.from(value, 'base64url').length >= MIN_BOX_BYTES + 1;
}

/** The clear text of an encrypted value under `saltKey`, or null when it does not open (wrong key, not LiteLLM's format, not UTF-8). */
export function decryptStoredValue(value: string, saltKey: string): string | null {
  try {
    if (value.startsWith(V3)) return openGcm(Buffer.from(value.slice(V3.length), 'base64url'), Buffer.from(hkdfSync('sha256', saltKey, Buffer.alloc(0), HKDF_INFO, 32)));
    if (value.startsWith(V2)) return openGcm(Buffer.from(value.slice(V2.length), 'base64url'), sha256(saltKey));
    return openSecretBox(Buffer.from(value, /[+/]/.test(value) ? 'base64' : 'base64url'), sha256(saltKey));
  } catch {
    return null;
  }
}

/** Encrypts as LiteLLM's legacy SecretBox form: for tests and the lab, which must plant what LiteLLM writes. */
export function encryptLegacyValue(value: string, saltKey: string, nonce: Uint8Array = nacl.randomBytes(nacl.secretbox.nonceLength)): string {
  const box = nacl.secretbox(new TextEncoder().encode(value), nonce, sha256(saltKey));
  const text = Buffer.concat([Buffer.from(nonce), Buffer.from(box)]).toString('base64url');
  // Python's urlsafe_b64encode pads; Node's base64url does not.
  return text + '='.repeat((4 - (text.length % 4)) % 4);
}

function openSecretBox(raw: Buffer, key: Uint8Array): string | null {
  if (raw.length < MIN_BOX_BYTES) return null;
  const opened = nacl.secretbox.open(raw.subarray(nacl.secretbox.nonceLength), raw.subarray(0, nacl.secretbox.nonceLength), key);
  return opened ? utf8(opened) : null;
}

function openGcm(raw: Buffer, key: Uint8Array): string | null {
  if (raw.length < 12 + 16) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return utf8(Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]));
}

function sha256(text: string): Uint8Array {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Strict UTF-8: a box that opened to bytes that are not text is not a credential. */
function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
