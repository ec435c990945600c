/** Fingerprints: the only form in which a secret leaves this folder. */
import { createHash } from 'node:crypto';
import type { SecretFingerprint } from '../../../shared/model/index.js';

/** `<provider>:<first 12 hex of sha256(value)>:<last 4 characters>`: enough to match, too little to use. */
export function fingerprintSecret(provider: string, value: string): SecretFingerprint {
  const digest = createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 12);
  return `${provider}:${digest}:${value.slice(-4)}`;
}

/** OpenSSH's `SHA256:<base64 without padding>` of a public key's wire blob, as `ssh-keygen -lf` prints it. */
export function opensshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The `ssh:`-prefixed fingerprint a private key's sighting carries (matches an AuthorizedKey's fingerprint plus `ssh:`). */
export function sshFingerprintOfPublicBlob(blob: Buffer): SecretFingerprint {
  return `ssh:${opensshFingerprint(blob)}`;
}
