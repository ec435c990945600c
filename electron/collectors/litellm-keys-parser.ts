/**
 * The read-only query of LiteLLM's virtual keys and the parser of what `psql -X -A -t -q` prints for
 * it. LiteLLM keeps each key as `token` = sha256 hex of the key (`hash_token` in
 * litellm/proxy/_types.py) and `key_name` = `sk-...` + its last 4 characters (`abbreviate_api_key`),
 * so the two together give the report's fingerprint of the clear key without ever seeing it.
 */
import type { GatewayConfig } from '../../shared/model/index.js';
import { fingerprintSecret } from '../readers/secrets/fingerprint.js';

/** Most virtual keys read from one database; the query asks for one more to know when there are more. */
export const MAX_VIRTUAL_KEYS = 5000;

/** One virtual key as the report carries it. */
export type VirtualKey = NonNullable<GatewayConfig['virtualKeys']>[number];

/** What the parser made of the query's output. */
export interface ParsedVirtualKeys {
  keys: VirtualKey[];
  /** True when the table holds more than MAX_VIRTUAL_KEYS keys (the rest were not read). */
  overflow: boolean;
  /** Keys whose `key_name` is not LiteLLM's `sk-...XXXX` (DISABLE_KEY_NAME): without the last 4 characters they cannot be fingerprinted. */
  unnamed: number;
  /** Lines that were not a row of the query (never quoted: a row could carry anything). */
  malformed: number;
}

const MAX_MODELS_PER_KEY = 500;
const MAX_TEXT = 200;

/**
 * The SQL given to psql on standard input: the session is made read-only before anything is read,
 * and each row comes back as one line of JSON (jsonb escapes tabs and newlines in values). Columns
 * are picked from `to_jsonb(t)` so a LiteLLM version without `blocked` or `key_alias` still answers.
 */
export function virtualKeysQuery(schema: string | null = null): string {
  if (schema !== null && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error('schema must be a plain identifier');
  const table = `${schema === null ? '' : `"${schema}".`}"LiteLLM_VerificationToken"`;
  const fields = ['token', 'key_name', 'key_alias', 'models', 'expires', 'user_id', 'team_id', 'blocked'].map((name) => `'${name}', j->'${name}'`).join(', ');
  return [
    'SET default_transaction_read_only = on;',
    "SET statement_timeout = '20s';",
    `SELECT jsonb_build_object(${fields})::text FROM (SELECT to_jsonb(t) AS j FROM ${table} AS t LIMIT ${MAX_VIRTUAL_KEYS + 1}) AS s;`,
    '',
  ].join('\n');
}

/** Reads the rows psql printed (one JSON object a line); anything else is counted, never kept. */
export function parseVirtualKeys(output: string): ParsedVirtualKeys {
  const parsed: ParsedVirtualKeys = { keys: [], overflow: false, unnamed: 0, malformed: 0 };
  let rows = 0;
  for (const line of output.split('\n')) {
    const text = line.trim();
    if (text === '') continue;
    let row: unknown;
    try {
      row = text.startsWith('{') ? JSON.parse(text) : undefined;
    } catch {
      row = undefined;
    }
    if (!isRecord(row) || typeof row['token'] !== 'string') {
      parsed.malformed++;
      continue;
    }
    rows++;
    if (rows > MAX_VIRTUAL_KEYS) {
      parsed.overflow = true;
      break;
    }
    const fingerprint = fingerprintOf(row['token'], row['key_name']);
    if (fingerprint === null) {
      parsed.unnamed++;
      continue;
    }
    const key: VirtualKey = { fingerprint, models: modelsOf(row['models']) };
    const alias = cleanText(row['key_alias']);
    if (alias) key.alias = alias;
    if (row['blocked'] === true) key.blocked = true;
    const expires = row['expires'];
    if (typeof expires === 'string' && /^\d{4}-\d{2}-\d{2}[T ][0-9:.]+(?:Z|[+-]\d{2}(?::?\d{2})?)?$/.test(expires)) key.expires = expires;
    parsed.keys.push(key);
  }
  return parsed;
}

/**
 * `litellm:<first 12 hex of the stored hash>:<last 4 of key_name>`: what fingerprintSecret gives the
 * clear key. A token that is not a sha256 hex (a key stored unhashed) is fingerprinted here and dropped.
 */
function fingerprintOf(token: string, keyName: unknown): string | null {
  if (!/^[0-9a-f]{64}$/.test(token)) return token.length >= 8 ? fingerprintSecret('litellm', token) : null;
  const last4 = typeof keyName === 'string' ? /^sk-\.\.\.(.{4})$/s.exec(keyName)?.[1] : undefined;
  return last4 === undefined ? null : `litellm:${token.slice(0, 12)}:${last4}`;
}

/** The model allowlist (`models`, a text[]); empty means every model the gateway serves. */
function modelsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const models: string[] = [];
  for (const entry of value.slice(0, MAX_MODELS_PER_KEY)) {
    const model = cleanText(entry);
    if (model && !models.includes(model)) models.push(model);
  }
  return models;
}

/** A short single-line text: control characters (a tab or newline in a value) become spaces. */
function cleanText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return text === '' ? null : text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
