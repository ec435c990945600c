import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gatewayDatabaseQuery } from './litellm-database-query.js';
import { parseGatewayDatabase, spendTraffic, UNRECORDED_ADDRESS } from './litellm-database-parser.js';
import { encryptLegacyValue } from './litellm-secret-box.js';
import { storedCredentials } from './litellm-stored-credentials.js';

const WINDOW = { start: '2026-03-24T10:39:00Z', end: '2026-12-07T19:00:00.000Z' };
// What PostgreSQL 15's psql printed for gatewayDatabaseQuery against an old LiteLLM schema (no credentials, models, MCP or rotation tables; a spend log without requester_ip_address).
const OLD = readFileSync(new URL('./fixtures/litellm-database-old.out', import.meta.url), 'utf8');
const WHERE = { container: 'litellm', path: 'postgresql://db:5432/litellm' };

describe('gatewayDatabaseQuery', () => {
  it('makes the session read-only first and guards every optional table with psql\'s \\if', () => {
    const sql = gatewayDatabaseQuery({ schema: 'litellm', window: WINDOW });
    expect(sql.split('\n')[0]).toBe('SET default_transaction_read_only = on;');
    for (const table of ['LiteLLM_CredentialsTable', 'LiteLLM_ProxyModelTable', 'LiteLLM_MCPServerTable', 'LiteLLM_SpendLogs', 'LiteLLM_DeprecatedVerificationToken']) {
      expect(sql).toContain(`to_regclass('"litellm"."${table}"')`);
    }
    expect(sql).not.toMatch(/\b(INSERT|UPDATE|DELETE|COPY)\b/);
  });

  it('refuses a window or schema that is not plain', () => {
    expect(() => gatewayDatabaseQuery({ schema: null, window: { start: "2026-03-24'; DROP TABLE x; --", end: WINDOW.end } })).toThrow();
    expect(() => gatewayDatabaseQuery({ schema: 'a"b', window: WINDOW })).toThrow();
  });
});

describe('parseGatewayDatabase', () => {
  it('reads an older LiteLLM: missing tables say so, requests without a client address are counted as not recorded', () => {
    const rows = parseGatewayDatabase(OLD);
    expect(rows.tables).toEqual({ br_mcp: false, br_spend: true, br_models: false, br_rotated: false, br_spend_ip: false, br_credentials: false });
    expect(rows.malformed).toBe(0);
    const traffic = spendTraffic('litellm', WINDOW, rows, () => 'key');
    expect(traffic?.clients).toEqual([
      { address: UNRECORDED_ADDRESS, requests: 1, first: '2026-03-24T12:00:00Z', last: '2026-03-24T12:00:00Z', hours: [{ hour: '2026-03-24T12:00:00Z', requests: 1 }], paths: [], statuses: [], keys: [{ key: 'key', requests: 1 }], models: [{ model: 'm', requests: 1 }] },
    ]);
  });

  it('counts lines that are not rows and never keeps them', () => {
    const rows = parseGatewayDatabase('ERROR: sk-secret-in-an-error\n{"kind": "novel"}\nnot json\n');
    expect(rows.malformed).toBe(3);
    expect(JSON.stringify(rows)).not.toContain('sk-secret');
  });

  it('has no traffic when the spend log table is missing', () => {
    expect(spendTraffic('litellm', WINDOW, parseGatewayDatabase('{"kind": "tables", "br_spend": false}'), () => 'k')).toBeNull();
  });
});

describe('storedCredentials', () => {
  const salt = 'salt-1';
  const model = (params: Record<string, string>) =>
    parseGatewayDatabase(`{"kind": "model", "model_name": "claude", "litellm_params": ${JSON.stringify(Object.fromEntries(Object.entries(params).map(([name, value]) => [name, encryptLegacyValue(value, salt)])))}}`);

  it('opens every encrypted param of a stored model, so its provider comes from its own model name', () => {
    const stored = storedCredentials(model({ model: 'anthropic/claude-3-5-sonnet', api_key: 'sk-ant-api03-stored' }), salt, WHERE);
    expect(stored.sealed).toEqual([]);
    expect(stored.opened).toBe(2);
    expect(JSON.parse(stored.text!).model_list).toEqual([{ model_name: 'claude', litellm_params: { model: 'anthropic/claude-3-5-sonnet', api_key: 'sk-ant-api03-stored' } }]);
  });

  it('names a sealed model key by nothing it cannot read, and never puts ciphertext in the document', () => {
    const rows = model({ model: 'anthropic/claude-3-5-sonnet', api_key: 'sk-ant-api03-stored' });
    const stored = storedCredentials(rows, null, WHERE);
    expect(stored.sealed.map((sighting) => sighting.variable?.split(' ')[0])).toEqual(['model_list[claude].litellm_params.api_key']);
    expect(stored.text).not.toContain(JSON.stringify(rows.models[0]!.params).slice(20, 60));
  });

  it('opens MCP credentials stored as one encrypted map, and seals it whole without the key', () => {
    const map = encryptLegacyValue(JSON.stringify({ authentication_token: 'ghp_mcpTokenValue0123456789abcdefABCDEF' }), salt);
    const rows = parseGatewayDatabase(`{"kind": "mcp", "server_name": "github", "url": "https://api.githubcopilot.com/mcp", "auth_type": "bearer_token", "credentials": ${JSON.stringify(map)}}`);
    expect(JSON.parse(storedCredentials(rows, salt, WHERE).text!).mcp_servers.github.credentials).toEqual({ authentication_token: 'ghp_mcpTokenValue0123456789abcdefABCDEF' });
    const sealed = storedCredentials(rows, null, WHERE).sealed;
    expect(sealed.map((sighting) => sighting.fingerprint.split(':').slice(0, 2).join(':'))).toEqual(['mcp:sealed']);
  });
});
