/**
 * Makes text a host sent (stderr, an error message, a parser's complaint about its output) safe to
 * show: every secret in it is replaced by its fingerprint, the text is bounded, and control and
 * bidirectional characters are written out as visible escapes so nothing can rewrite a terminal
 * line or reorder what the UI shows. Error text is data, and hostile: a failing `docker` prints the
 * registry or proxy URL it used, password included, and a JSON or YAML parser quotes its input.
 * Pure: the same secret detection as the readers (secret-patterns.json), no I/O.
 */
import { fingerprintSecret } from './fingerprint.js';
import { classifySecret, isPlaceholder } from './secret-patterns.js';

/** Characters kept from one piece of remote text, unless a caller asks for fewer or more. */
export const REDACT_MAX_CHARS = 500;

/** Text beyond this is never examined: it could not survive truncation anyway. */
const MAX_INPUT_CHARS = 64 * 1024;

/** Options of redactText. */
export interface RedactOptions {
  /** Most characters of the result, the truncation marker included (REDACT_MAX_CHARS by default). */
  maxChars?: number;
}

/** What a redacted secret becomes: its fingerprint, which a user can match to a key finding. */
const PLACEHOLDER = /\[redacted [^\]\s]{1,120}\]/g;

/** A placeholder for one secret value; `provider` names its format when known. */
function placeholder(value: string, provider = 'unknown'): string {
  return `[redacted ${fingerprintSecret(provider, value)}]`;
}

/** The provider a value's own format names (a provider pattern of secret-patterns.json), or null. */
function providerOf(value: string): string | null {
  const found = classifySecret(value);
  return found && found.strength === 'value' && found.provider !== 'unknown' ? found.provider : null;
}

// PEM private keys, whole (the header names what they are; the body is the secret).
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

// `scheme://user:password@` and `scheme://token@`: what registry, proxy and database URLs carry.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,30}:\/\/)([^\s/?#@:"'<>]*)(?::([^\s/?#@"'<>]*))?@/gi;

// `Authorization: Bearer x`, `Basic x`, `token x`: credentials after an HTTP auth scheme.
const AUTH_SCHEME = /\b(Bearer|Basic|Token|Digest)(\s+)([A-Za-z0-9._~+/=-]{6,})/gi;

// `password=x`, `"api_key": "x"`, `token: x`, `PGPASSWORD='x'`: a value after a name that says it is secret.
const SECRET_PAIR =
  /\b([A-Za-z0-9_.-]*(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth)["']?)(\s*[:=]\s*)("[^"\n]*"|'[^'\n]*'|[^\s,;&"'<>)\]}]+)/gi;

// Runs of key characters; provider formats are anchored, so each run is classified whole.
const TOKEN = /[A-Za-z0-9_\-+/=.~]{8,}/g;

/**
 * Public identifiers that look random and are what a user compares: OpenSSH fingerprints
 * (`SHA256:` + base64, as host-key errors print them) and public keys. Kept as they are.
 */
const PUBLIC_IDS = /\b(?:SHA256|SHA384|SHA512):[A-Za-z0-9+/]{43,86}={0,2}|\b(?:ssh-(?:ed25519|rsa|dss)|ecdsa-sha2-nistp\d{3}|sk-ssh-ed25519@openssh\.com) AAAA[A-Za-z0-9+/]{16,}={0,3}/g;

/** What no detector looks into: placeholders already made, and public identifiers. */
const KEPT = new RegExp(`${PLACEHOLDER.source}|${PUBLIC_IDS.source}`, 'g');

/** `apply` run on the parts of `text` outside placeholders and public ids, so nothing already redacted is judged again. */
function outsidePlaceholders(text: string, apply: (plain: string) => string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(KEPT)) {
    out += apply(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + apply(text.slice(last));
}

/** The detectors, strongest context first; each sees only what the ones before left in clear. */
const STAGES: ((text: string) => string)[] = [
  (text) => text.replace(PRIVATE_KEY_BLOCK, (block) => placeholder(block, 'ssh')),
  (text) =>
    text.replace(URL_USERINFO, (whole, scheme: string, user: string, password: string | undefined) => {
      if (password !== undefined && password !== '') {
        const provider = classifySecret(`${scheme}${user}:${password}@host`)?.provider ?? 'unknown';
        return `${scheme}${user}:${placeholder(password, provider === 'unknown' ? 'url-password' : provider)}@`;
      }
      // A bare token as the user part (`https://ghp_…@github.com`): a plain user name stays readable.
      return looksSecret(user) ? `${scheme}${placeholder(user, providerOf(user) ?? 'unknown')}@` : whole;
    }),
  (text) => text.replace(AUTH_SCHEME, (_whole, scheme: string, space: string, value: string) => `${scheme}${space}${placeholder(value, providerOf(value) ?? 'unknown')}`),
  (text) =>
    text.replace(SECRET_PAIR, (whole, name: string, separator: string, quoted: string) => {
      const quote = /^["']/.test(quoted) ? quoted[0]! : '';
      const value = quote ? quoted.slice(1, -1) : quoted;
      if (!isPairValue(value)) return whole;
      const provider = providerOf(value) ?? classifySecret(value, name.replace(/["']$/, ''))?.provider ?? 'unknown';
      return `${name}${separator}${quote}${placeholder(value, provider)}${quote}`;
    }),
  (text) => text.replace(TOKEN, (token) => redactToken(token)),
];

/** Secrets in free text replaced by placeholders; the parts already redacted are left alone. */
function redactSecrets(text: string): string {
  return STAGES.reduce((current, stage) => outsidePlaceholders(current, stage), text);
}

/** A value after a secret-sounding name worth hiding: anything but an empty, masked or referenced one. */
function isPairValue(value: string): boolean {
  if (value.length < 4) return false;
  if (/^(\*+|x+|<[^>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|null|none|true|false|required|invalid|incorrect|denied|failed|missing)$/i.test(value)) return false;
  return true;
}

/** One run of key characters: a provider's key, or a long random-looking piece, becomes a placeholder. */
function redactToken(token: string): string {
  const core = token.replace(/\.+$/, '');
  const provider = providerOf(token) ?? providerOf(core);
  if (provider) return placeholder(core, provider) + token.slice(core.length);
  // Base64 keys hold `/` and `+`: judged whole unless the run is a path or a dotted name.
  if (!core.startsWith('/') && !core.includes('.') && looksSecret(core)) return placeholder(core) + token.slice(core.length);
  // A path or dotted name stays readable; each of its pieces is judged on its own.
  return token.replace(/[^./]{8,}/g, (piece) => {
    const owner = providerOf(piece);
    if (owner) return placeholder(piece, owner);
    return looksSecret(piece) ? placeholder(piece) : piece;
  });
}

/**
 * A long token that reads as random: letters and digits mixed, varied characters. Hex (ids,
 * digests) and UUIDs stay: they identify containers and images, and are what a user searches for.
 */
export function looksSecret(token: string): boolean {
  const value = token.replace(/^[-_=]+|[-_=]+$/g, '');
  if (value.length < 16 || isPlaceholder(value)) return false;
  if (/^[0-9a-fA-F-]+$/.test(value) || /^[0-9_-]+$/.test(value)) return false;
  const upper = /[A-Z]/.test(value);
  const lower = /[a-z]/.test(value);
  const digit = /[0-9]/.test(value);
  const classes = Number(upper) + Number(lower) + Number(digit);
  if (classes < 2 || !(digit || (upper && lower && value.length >= 24))) return false;
  // Words and ids joined by separators (`docker-credential-desktop`, `pwned-3f9a0c1b2d4e`) are not keys.
  const pieces = value.split(/[-_+/=~]/).filter(Boolean);
  const plain = (piece: string) => /^[0-9a-fA-F]+$/.test(piece) || (piece.length < 12 && /^[a-z]+[0-9]*$|^[A-Z][a-z]+$/.test(piece));
  if (pieces.length > 1 && pieces.every(plain)) return false;
  return shannonEntropy(value) >= (value.length >= 32 ? 3.5 : 3.2);
}

/** Bits per character of the text's own character distribution. */
function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Bidirectional formatting characters: they reorder how a line displays (Trojan Source, CVE-2021-42574). */
const BIDI = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

/** The visible form of one code point: controls and bidi characters as escapes, anything else itself. */
function visible(char: string): string {
  const code = char.codePointAt(0)!;
  if (code === 0x0a) return char;
  if (code === 0x09) return '\\t';
  if (code === 0x0d) return '\\r';
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, '0')}`;
  // Also the line and paragraph separators, which start a new line where no \n shows.
  if (BIDI.has(code) || code === 0x2028 || code === 0x2029) return `\\u{${code.toString(16)}}`;
  return char;
}

/**
 * Remote text made safe to show in a note, an error, a log line or a report: secrets replaced by
 * `[redacted <provider>:<sha256 prefix>:<last 4>]`, control and bidi characters written as escapes,
 * at most `maxChars` characters (a cut ends with `… (N more characters)`). Idempotent.
 */
export function redactText(text: string, options: RedactOptions = {}): string {
  const maxChars = Math.max(40, options.maxChars ?? REDACT_MAX_CHARS);
  let input = String(text);
  let unexamined = 0;
  if (input.length > MAX_INPUT_CHARS) {
    // Cut before a partial token, so no piece of a secret split by the cut is shown unjudged.
    const cut = input.slice(0, MAX_INPUT_CHARS).replace(/[^\s]*$/, '');
    unexamined = input.length - cut.length;
    input = cut;
  }
  const shown = [...redactSecrets(input)].map(visible);
  let length = 0;
  let fits = 0;
  while (fits < shown.length && length + shown[fits]!.length <= maxChars) length += shown[fits++]!.length;
  if (fits === shown.length && unexamined === 0) return shown.join('');
  // Room for the marker: `… (N more characters)` names what was left out, in characters of the text.
  const budget = maxChars - 32;
  let kept = 0;
  length = 0;
  while (kept < shown.length && length + shown[kept]!.length <= budget) length += shown[kept++]!.length;
  return `${shown.slice(0, kept).join('')}… (${shown.length - kept + unexamined} more characters)`;
}

/**
 * A parser's error (JSON.parse, the yaml library) summarised without its input: V8 quotes the
 * characters around the fault and yaml quotes the source line, either of which can be a key.
 * Keeps the first line with quoted parts elided, then redacts what remains.
 */
export function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n').find((line) => line.trim() !== '') ?? '';
  const elided = first
    .replace(/\.\.\."[\s\S]*?"(?:\.\.\.)?(?= is not valid JSON|$)/g, '…')
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '…')
    .replace(/:\s*$/, '');
  return redactText(elided, { maxChars: 200 });
}

/**
 * An inventory's error and notes redacted once more: the last pass before a report holds them,
 * so a message made anywhere (a collector, the SSH layer, a future path) is covered.
 */
export function redactHostMessages<T extends { error?: string; notes?: { collector: string; message: string }[] }>(inventory: T): T {
  const redacted: T = { ...inventory };
  if (inventory.error !== undefined) redacted.error = redactText(inventory.error);
  if (inventory.notes) redacted.notes = inventory.notes.map((note) => ({ ...note, message: redactText(note.message) }));
  return redacted;
}
