import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintSecret } from '../readers/secrets/fingerprint.js';
import { MAX_VIRTUAL_KEYS, parseVirtualKeys, virtualKeysQuery } from './litellm-keys-parser.js';

// A made-up LiteLLM key (`sk-` + secrets.token_urlsafe(16)), hashed as LiteLLM's hash_token does:
// hashlib.sha256(token.encode()).hexdigest(); key_name as abbreviate_api_key writes it.
const KEY = 'sk-Zq3vN8rT0aLw5yXc1bMd7e';
const TOKEN = createHash('sha256').update(Buffer.from(KEY, 'utf8')).digest('hex');
const KEY_NAME = `sk-...${KEY.slice(-4)}`;

/** One line as `SELECT jsonb_build_object(...)::text` prints it under `psql -A -t` (jsonb orders keys by length, then bytes). */
function row(fields: Record<string, unknown>): string {
  const ordered = Object.keys(fields).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return `{${ordered.map((key) => `${JSON.stringify(key)}: ${JSON.stringify(fields[key])}`).join(', ')}}`;
}

const OPEN_WEBUI = row({ token: TOKEN, key_name: KEY_NAME, key_alias: 'open-webui', models: ['gpt-4o', 'claude'], expires: null, user_id: 'default_user_id', team_id: null, blocked: null });

describe('parseVirtualKeys', () => {
  it('gives a stored key the fingerprint the secret search gives the clear key', () => {
    const parsed = parseVirtualKeys(`${OPEN_WEBUI}\n`);
    expect(parsed.keys).toEqual([{ fingerprint: fingerprintSecret('litellm', KEY), alias: 'open-webui', models: ['gpt-4o', 'claude'] }]);
  });

  it('keeps an empty allowlist empty (every model), and carries blocked and expiry', () => {
    const other = createHash('sha256').update('sk-otherKeyNoOneHolds0000').digest('hex');
    const line = row({ token: other, key_name: 'sk-...0000', key_alias: null, models: [], expires: '2026-06-30T00:00:00', user_id: null, team_id: 'team-a', blocked: true });
    expect(parseVirtualKeys(line).keys).toEqual([{ fingerprint: `litellm:${other.slice(0, 12)}:0000`, models: [], blocked: true, expires: '2026-06-30T00:00:00' }]);
  });

  it('turns tabs and newlines inside values into spaces, keeping one key a line', () => {
    const line = row({ token: TOKEN, key_name: KEY_NAME, key_alias: 'team\tA\nprod', models: ['gpt\t4o'], expires: null, user_id: null, team_id: null, blocked: false });
    expect(line).not.toContain('\n');
    expect(parseVirtualKeys(`${line}\n${OPEN_WEBUI}\n`).keys.map((key) => [key.alias, key.models])).toEqual([
      ['team A prod', ['gpt 4o']],
      ['open-webui', ['gpt-4o', 'claude']],
    ]);
  });

  it('counts a key without LiteLLM\'s key_name (DISABLE_KEY_NAME) instead of inventing its last 4', () => {
    const parsed = parseVirtualKeys(row({ token: TOKEN, key_name: null, key_alias: 'x', models: [] }));
    expect(parsed).toMatchObject({ keys: [], unnamed: 1 });
  });

  it('fingerprints a key stored unhashed and keeps nothing of its value', () => {
    const parsed = parseVirtualKeys(row({ token: KEY, key_name: KEY_NAME, key_alias: 'legacy', models: [] }));
    expect(parsed.keys[0]?.fingerprint).toBe(fingerprintSecret('litellm', KEY));
    expect(JSON.stringify(parsed)).not.toContain(KEY.slice(3, 15));
  });

  it('counts lines that are not rows (a notice, broken JSON) without keeping them', () => {
    const parsed = parseVirtualKeys(`SET\n{"token": "abc\nnot json\n${OPEN_WEBUI}\n`);
    expect(parsed.keys).toHaveLength(1);
    expect(parsed.malformed).toBe(3);
  });

  it(`stops after ${MAX_VIRTUAL_KEYS} keys and says there were more`, () => {
    const lines = Array.from({ length: MAX_VIRTUAL_KEYS + 1 }, (_, index) => {
      const token = createHash('sha256').update(`sk-key-${index}`).digest('hex');
      return row({ token, key_name: `sk-...${String(index).padStart(4, '0').slice(-4)}`, models: [] });
    });
    const parsed = parseVirtualKeys(lines.join('\n'));
    expect(parsed.keys).toHaveLength(MAX_VIRTUAL_KEYS);
    expect(parsed.overflow).toBe(true);
  });
});

describe('virtualKeysQuery', () => {
  it('makes the session read-only before it selects, and writes nothing', () => {
    const sql = virtualKeysQuery();
    expect(sql.startsWith('SET default_transaction_read_only = on;\n')).toBe(true);
    expect(sql).toMatch(/FROM "LiteLLM_VerificationToken" AS t LIMIT 5001/);
    expect(sql).not.toMatch(/\b(insert|update|delete|drop|alter|create|truncate|grant|copy)\b/i);
  });

  it('qualifies the table with a Prisma schema and refuses one that is not a plain name', () => {
    expect(virtualKeysQuery('litellm')).toContain('FROM "litellm"."LiteLLM_VerificationToken"');
    expect(() => virtualKeysQuery('x"; drop table y; --')).toThrow();
  });
});
