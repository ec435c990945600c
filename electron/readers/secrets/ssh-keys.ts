/**
 * SSH keys by their public half only. A private key's sighting is the fingerprint of its public
 * key, which is what `authorized_keys` on other hosts name, so lateral movement can be traced
 * without keeping anything of the private part. Pure: node:crypto only derives public keys.
 */
import { createPublicKey } from 'node:crypto';

/** One key of an `authorized_keys` file or a `.pub`. */
export interface PublicKeyLine {
  keyType: string;
  /** The SSH wire-format public key (the base64 field, decoded). */
  blob: Buffer;
  comment?: string;
}

// sshd(8) AUTHORIZED_KEYS FILE FORMAT: key types, including security-key and certificate types.
const KEY_TYPE = /^(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com|[a-z0-9-]+-cert-v01@openssh\.com)$/;

/** Reads a uint32-length-prefixed string at `offset`, or null when it runs past the end. */
function readString(buffer: Buffer, offset: number): { value: Buffer; next: number } | null {
  if (offset + 4 > buffer.length) return null;
  const length = buffer.readUInt32BE(offset);
  const end = offset + 4 + length;
  if (end > buffer.length) return null;
  return { value: buffer.subarray(offset + 4, end), next: end };
}

/** The key type a wire blob names in its first field. */
function blobKeyType(blob: Buffer): string | null {
  const field = readString(blob, 0);
  return field ? field.value.toString('latin1') : null;
}

/** Splits on unquoted whitespace; double quotes (with `\"` escapes) keep spaces inside one field. */
function splitFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === '\\' && quoted && line[i + 1] === '"') {
      current += '\\"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (!quoted && /\s/.test(char)) {
      if (current) fields.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current) fields.push(current);
  return fields;
}

/** Parses one `[options] keytype base64 [comment]` line; null for comments, blanks and anything malformed. */
export function parsePublicKeyLine(line: string): PublicKeyLine | null {
  const trimmed = line.trim();
  if (!trimmed || trimmed.startsWith('#')) return null;
  const fields = splitFields(trimmed);
  // Options come first only when the first field is not a key type (sshd reads it the same way).
  const start = KEY_TYPE.test(fields[0] ?? '') ? 0 : 1;
  const keyType = fields[start];
  const encoded = fields[start + 1];
  if (!keyType || !encoded || !KEY_TYPE.test(keyType) || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const blob = Buffer.from(encoded, 'base64');
  if (blobKeyType(blob) !== keyType) return null;
  const comment = fields.slice(start + 2).join(' ');
  return comment ? { keyType, blob, comment } : { keyType, blob };
}

/** Every key of an `authorized_keys` file, in file order. */
export function parseAuthorizedKeys(text: string): PublicKeyLine[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const key = parsePublicKeyLine(line);
    return key ? [key] : [];
  });
}

/** The base64 body between a PEM block's BEGIN and END lines (headers such as Proc-Type dropped). */
function pemBody(text: string, label: string): { body: Buffer; headers: string } | null {
  const begin = `-----BEGIN ${label}-----`;
  const start = text.indexOf(begin);
  if (start < 0) return null;
  const end = text.indexOf(`-----END ${label}-----`, start);
  if (end < 0) return null;
  const inner = text.slice(start + begin.length, end);
  const headers = inner.includes(':') ? inner.slice(0, inner.lastIndexOf(':') + 1) : '';
  const base64 = inner
    .split(/\r?\n/)
    .filter((line) => !line.includes(':'))
    .join('')
    .replace(/\s+/g, '');
  return { body: Buffer.from(base64, 'base64'), headers };
}

const OPENSSH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

/**
 * The public blob stored in an openssh-key-v1 private key (OpenSSH PROTOCOL.key): magic,
 * ciphername, kdfname, kdfoptions, key count, then the public keys in clear even when the
 * private part is encrypted. The private section is never read.
 */
function opensshPublicBlob(body: Buffer): Buffer | null {
  if (body.length < OPENSSH_MAGIC.length || !body.subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC)) return null;
  let offset = OPENSSH_MAGIC.length;
  for (let i = 0; i < 3; i++) {
    const field = readString(body, offset);
    if (!field) return null;
    offset = field.next;
  }
  if (offset + 4 > body.length || body.readUInt32BE(offset) < 1) return null;
  const publicKey = readString(body, offset + 4);
  return publicKey && blobKeyType(publicKey.value) ? Buffer.from(publicKey.value) : null;
}

const sshString = (value: Buffer | string): Buffer => {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
};

/** RFC 4251 mpint of a non-negative big-endian integer: no leading zeros, one 0x00 when the high bit is set. */
const sshMpint = (magnitude: Buffer): Buffer => {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  return sshString((trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
};

const CURVES: Record<string, string> = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' };

/** The SSH wire blob of an unencrypted PEM private key (PKCS#1 RSA, SEC1 EC, PKCS#8), via its derived public key. */
function pemPublicBlob(pem: string): Buffer | null {
  const jwk = createPublicKey({ key: pem, format: 'pem' }).export({ format: 'jwk' });
  const field = (name: 'n' | 'e' | 'x' | 'y'): Buffer => Buffer.from(jwk[name] ?? '', 'base64url');
  if (jwk.kty === 'RSA') return Buffer.concat([sshString('ssh-rsa'), sshMpint(field('e')), sshMpint(field('n'))]);
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return Buffer.concat([sshString('ssh-ed25519'), sshString(field('x'))]);
  if (jwk.kty === 'EC' && jwk.crv && CURVES[jwk.crv]) {
    const curve = CURVES[jwk.crv]!;
    const point = Buffer.concat([Buffer.from([4]), field('x'), field('y')]);
    return Buffer.concat([sshString(`ecdsa-sha2-${curve}`), sshString(curve), sshString(point)]);
  }
  return null;
}

const PEM_LABEL = /-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED |OPENSSH )?PRIVATE KEY)-----/;

/**
 * The public key blob of a private key file, or null when it cannot be derived. An encrypted
 * PEM key stores no public half, so its `.pub` text (when given) stands in. Never throws and
 * never reports why, so no part of the key can reach a message.
 */
export function privateKeyPublicBlob(text: string, publicKeyText?: string): Buffer | null {
  const fromPub = (): Buffer | null => {
    if (publicKeyText === undefined) return null;
    return parseAuthorizedKeys(publicKeyText)[0]?.blob ?? null;
  };
  try {
    const label = PEM_LABEL.exec(text)?.[1];
    if (!label) return null;
    const block = pemBody(text, label);
    if (!block) return null;
    if (label === 'OPENSSH PRIVATE KEY') return opensshPublicBlob(block.body) ?? fromPub();
    if (label === 'ENCRYPTED PRIVATE KEY' || /ENCRYPTED/.test(block.headers)) return fromPub();
    const begin = text.indexOf(`-----BEGIN ${label}-----`);
    const endMarker = `-----END ${label}-----`;
    const pem = text.slice(begin, text.indexOf(endMarker, begin) + endMarker.length);
    return pemPublicBlob(pem) ?? fromPub();
  } catch {
    return fromPub();
  }
}
