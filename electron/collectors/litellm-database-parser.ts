/**
 * Reads what psql printed for `gatewayDatabaseQuery`: one JSON object a line, tagged by `kind`.
 * Virtual keys go through `parseVirtualKeys`; stored credentials, models and MCP servers are kept
 * as the JSON the database holds (their values, clear or encrypted, stay in the main process and
 * leave it only as fingerprints); the spend log's aggregates become a `GatewayTraffic` with source
 * `gateway-db`. Pure: no I/O, nothing decrypted here.
 */
import type { GatewayTraffic } from '../../shared/model/index.js';
import { MAX_DATABASE_ROWS, MAX_SPEND_ROWS, OPTIONAL_TABLES } from './litellm-database-query.js';
import { parseVirtualKeys, type ParsedVirtualKeys } from './litellm-keys-parser.js';

/** A rotated virtual key LiteLLM still accepts until `revokeAt`. */
export interface RotatedKey {
  /** sha256 hex of the old key, as stored. */
  token: string;
  /** sha256 hex of the key that replaced it. */
  activeToken: string;
  revokeAt: string;
}

/** One row of `LiteLLM_CredentialsTable`, values as stored. */
export interface StoredCredentialRow {
  name: string;
  values: unknown;
  info: unknown;
}

/** One row of `LiteLLM_ProxyModelTable`, `litellm_params` as stored (LiteLLM encrypts each string in it). */
export interface StoredModelRow {
  name: string;
  params: unknown;
}

/** One row of `LiteLLM_MCPServerTable`: where it is and the fields that can hold credentials. */
export interface StoredMcpRow {
  name: string;
  url: string | null;
  authType: string | null;
  credentials: unknown;
  staticHeaders: unknown;
  env: unknown;
}

/** One spend-log aggregate per client address and UTC hour. */
interface SpendHour {
  address: string;
  hour: string;
  requests: number;
  first: string;
  last: string;
}

/** Everything one database read gave. */
export interface GatewayDatabaseRows {
  keys: ParsedVirtualKeys;
  /** Which optional tables exist (null when the row saying so is missing). */
  tables: Partial<Record<keyof typeof OPTIONAL_TABLES | 'br_spend_ip', boolean>> | null;
  rotated: RotatedKey[];
  credentials: StoredCredentialRow[];
  models: StoredModelRow[];
  mcpServers: StoredMcpRow[];
  spendHours: SpendHour[];
  spendKeys: Array<{ address: string; token: string; requests: number }>;
  spendModels: Array<{ address: string; model: string; requests: number }>;
  /** Kinds of rows cut at their limit. */
  overflow: string[];
  /** Lines that were no row of the script (never quoted). */
  malformed: number;
}

const TIME = /^\d{4}-\d{2}-\d{2}[T ][0-9:.]+(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;
const HASH = /^[0-9a-f]{64}$/;
const MAX_TEXT = 200;

/** Splits psql's output by kind; unknown kinds and broken lines are counted, never kept. */
export function parseGatewayDatabase(output: string): GatewayDatabaseRows {
  const rows: GatewayDatabaseRows = {
    keys: { keys: [], overflow: false, unnamed: 0, malformed: 0 },
    tables: null,
    rotated: [],
    credentials: [],
    models: [],
    mcpServers: [],
    spendHours: [],
    spendKeys: [],
    spendModels: [],
    overflow: [],
    malformed: 0,
  };
  const keyLines: string[] = [];
  const counts = new Map<string, number>();
  const limited = (kind: string, limit: number): boolean => {
    const count = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, count);
    if (count <= limit) return false;
    if (!rows.overflow.includes(kind)) rows.overflow.push(kind);
    return true;
  };
  for (const line of output.split('\n')) {
    const text = line.trim();
    if (text === '') continue;
    const row = parseRow(text);
    if (row === null) {
      rows.malformed++;
      continue;
    }
    switch (row['kind']) {
      case 'key':
        keyLines.push(text);
        break;
      case 'tables':
        rows.tables = Object.fromEntries(Object.entries(row).filter(([name, value]) => name.startsWith('br_') && typeof value === 'boolean')) as GatewayDatabaseRows['tables'];
        break;
      case 'rotated': {
        const { token, active_token_id: active, revoke_at: revokeAt } = row;
        if (limited('rotated', MAX_DATABASE_ROWS)) break;
        if (typeof token === 'string' && HASH.test(token) && typeof active === 'string' && typeof revokeAt === 'string' && TIME.test(revokeAt)) rows.rotated.push({ token, activeToken: active, revokeAt });
        else rows.malformed++;
        break;
      }
      case 'credential': {
        const name = cleanText(row['credential_name']);
        if (limited('credential', MAX_DATABASE_ROWS)) break;
        if (name) rows.credentials.push({ name, values: row['credential_values'], info: row['credential_info'] });
        else rows.malformed++;
        break;
      }
      case 'model': {
        const name = cleanText(row['model_name']);
        if (limited('model', MAX_DATABASE_ROWS)) break;
        if (name) rows.models.push({ name, params: row['litellm_params'] });
        else rows.malformed++;
        break;
      }
      case 'mcp': {
        const name = cleanText(row['server_name']) ?? cleanText(row['alias']) ?? cleanText(row['server_id']);
        if (limited('mcp', MAX_DATABASE_ROWS)) break;
        if (!name) {
          rows.malformed++;
          break;
        }
        rows.mcpServers.push({ name, url: cleanText(row['url']), authType: cleanText(row['auth_type']), credentials: row['credentials'], staticHeaders: row['static_headers'], env: row['env'] });
        break;
      }
      case 'spend-hour': {
        const { hour, first, last } = row;
        const requests = count(row['requests']);
        if (limited('spend-hour', MAX_SPEND_ROWS)) break;
        if (typeof hour === 'string' && TIME.test(hour) && typeof first === 'string' && TIME.test(first) && typeof last === 'string' && TIME.test(last) && requests !== null) {
          rows.spendHours.push({ address: addressOf(row['address']), hour, requests, first, last });
        } else rows.malformed++;
        break;
      }
      case 'spend-key': {
        const requests = count(row['requests']);
        if (limited('spend-key', MAX_SPEND_ROWS)) break;
        if (requests !== null) rows.spendKeys.push({ address: addressOf(row['address']), token: typeof row['token'] === 'string' ? row['token'] : '', requests });
        else rows.malformed++;
        break;
      }
      case 'spend-model': {
        const requests = count(row['requests']);
        if (limited('spend-model', MAX_SPEND_ROWS)) break;
        if (requests !== null) rows.spendModels.push({ address: addressOf(row['address']), model: cleanText(row['model']) ?? '(none)', requests });
        else rows.malformed++;
        break;
      }
      default:
        rows.malformed++;
    }
  }
  rows.keys = parseVirtualKeys(keyLines.join('\n'));
  return rows;
}

/** What the spend log's address column holds when LiteLLM did not record one (or is too old to have the column). */
export const UNRECORDED_ADDRESS = 'not recorded';

/**
 * The spend log over the window as a GatewayTraffic of source `gateway-db`: one client per address,
 * its requests per hour, per virtual key (named by `keyName`) and per model; null when the spend
 * log was not there to read.
 */
export function spendTraffic(
  container: string,
  window: { start: string; end: string },
  rows: GatewayDatabaseRows,
  keyName: (token: string) => string,
): GatewayTraffic | null {
  if (rows.tables !== null && rows.tables.br_spend === false) return null;
  const clients = new Map<string, GatewayTraffic['clients'][number]>();
  for (const hour of rows.spendHours) {
    const client = clients.get(hour.address) ?? { address: hour.address, requests: 0, first: hour.first, last: hour.last, hours: [], paths: [], statuses: [], keys: [], models: [] };
    client.requests += hour.requests;
    if (hour.first < client.first) client.first = hour.first;
    if (hour.last > client.last) client.last = hour.last;
    client.hours.push({ hour: hour.hour, requests: hour.requests });
    clients.set(hour.address, client);
  }
  for (const row of rows.spendKeys) add(clients.get(row.address)?.keys, { key: keyName(row.token), requests: row.requests }, 'key');
  for (const row of rows.spendModels) add(clients.get(row.address)?.models, { model: row.model, requests: row.requests }, 'model');
  const sorted = [...clients.values()].map((client) => ({
    ...client,
    hours: client.hours.sort((a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0)),
    keys: (client.keys ?? []).sort((a, b) => b.requests - a.requests),
    models: (client.models ?? []).sort((a, b) => b.requests - a.requests),
  }));
  const traffic: GatewayTraffic = {
    container,
    source: 'gateway-db',
    window: { ...window },
    clients: sorted.sort((a, b) => b.requests - a.requests || (a.address < b.address ? -1 : 1)),
  };
  if (rows.overflow.some((kind) => kind.startsWith('spend-'))) traffic.truncated = true;
  return traffic;
}

/** Adds to a list, merging entries with the same name (two hashes can name one key). */
function add<K extends 'key' | 'model'>(list: Array<Record<K, string> & { requests: number }> | undefined, entry: Record<K, string> & { requests: number }, field: K): void {
  if (!list) return;
  const same = list.find((one) => one[field] === entry[field]);
  if (same) same.requests += entry.requests;
  else list.push(entry);
}

function parseRow(text: string): Record<string, unknown> | null {
  if (!text.startsWith('{')) return null;
  try {
    const row: unknown = JSON.parse(text);
    return typeof row === 'object' && row !== null && !Array.isArray(row) && typeof (row as Record<string, unknown>)['kind'] === 'string' ? (row as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A count psql printed (a JSON number; bigint counts stay within 2^53 for any real log). */
function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** A logged address as text: only characters an IP address (v4, v6, zone) can hold. */
function addressOf(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') return UNRECORDED_ADDRESS;
  const text = value.trim();
  return /^[0-9A-Za-z:.%_-]{1,64}$/.test(text) ? text : UNRECORDED_ADDRESS;
}

/** A short single-line text: control characters become spaces. */
function cleanText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return text === '' ? null : text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}
