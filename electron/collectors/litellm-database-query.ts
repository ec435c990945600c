/**
 * The one read-only psql script that reads what a LiteLLM database holds beyond its files: virtual
 * keys, rotated keys still valid until `revoke_at`, provider credentials, models stored in the
 * database, MCP server credentials, and the spend log over the window aggregated in SQL (per client
 * address, per virtual key and per model: counts and first/last, never a request's row). Tables
 * and columns come from LiteLLM's schema.prisma; an older LiteLLM may lack some, so psql's own
 * `\gset` / `\if` skip each SELECT whose table is missing instead of failing the whole read. Every
 * row is one line of JSON tagged with its `kind`.
 */
import { MAX_VIRTUAL_KEYS } from './litellm-keys-parser.js';

/** Most rows of each kind read from one database; one more is asked for, to know when there are more. */
export const MAX_DATABASE_ROWS = 2000;
/** Most aggregate rows of each spend-log grouping. */
export const MAX_SPEND_ROWS = 5000;

/** The tables read besides `LiteLLM_VerificationToken`, by the psql variable that says whether each exists. */
export const OPTIONAL_TABLES = {
  br_credentials: 'LiteLLM_CredentialsTable',
  br_models: 'LiteLLM_ProxyModelTable',
  br_mcp: 'LiteLLM_MCPServerTable',
  br_spend: 'LiteLLM_SpendLogs',
  br_rotated: 'LiteLLM_DeprecatedVerificationToken',
} as const;

/** What the script needs: Prisma's schema (null: the search path) and the spend log's window. */
export interface DatabaseQueryOptions {
  schema: string | null;
  window: { start: string; end: string };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?Z$/;

/**
 * The script given to psql on standard input. The session is read-only before anything is read;
 * values never enter the SQL (the window's bounds are checked to be plain ISO times, the schema a
 * plain identifier).
 */
export function gatewayDatabaseQuery(options: DatabaseQueryOptions): string {
  const { schema, window } = options;
  if (schema !== null && !IDENTIFIER.test(schema)) throw new Error('schema must be a plain identifier');
  if (!ISO_TIME.test(window.start) || !ISO_TIME.test(window.end)) throw new Error('the window must be ISO 8601 UTC times');
  const table = (name: string) => `${schema === null ? '' : `"${schema}".`}"${name}"`;
  const schemaOf = schema === null ? 'current_schema()' : `'${schema}'`;
  const exists = Object.entries(OPTIONAL_TABLES).map(([variable, name]) => `to_regclass('${table(name)}') IS NOT NULL AS ${variable}`);
  // LiteLLM writes startTime as UTC in a timestamp without time zone.
  const inWindow = `"startTime" >= '${window.start.replace('Z', '')}'::timestamp AND "startTime" <= '${window.end.replace('Z', '')}'::timestamp`;
  const utc = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const spend = (address: string) => [
    // Per client and hour: the chart's rows, and each client's totals.
    `SELECT jsonb_build_object('kind', 'spend-hour', 'address', a, 'hour', h, 'requests', n, 'first', f, 'last', l)::text FROM (` +
      `SELECT ${address} AS a, ${utc(`date_trunc('hour', "startTime")`)} AS h, count(*) AS n, ${utc('min("startTime")')} AS f, ${utc('max("startTime")')} AS l ` +
      `FROM ${table('LiteLLM_SpendLogs')} WHERE ${inWindow} GROUP BY 1, 2 ORDER BY 3 DESC LIMIT ${MAX_SPEND_ROWS + 1}) AS s;`,
    `SELECT jsonb_build_object('kind', 'spend-key', 'address', a, 'token', k, 'requests', n)::text FROM (` +
      `SELECT ${address} AS a, api_key AS k, count(*) AS n FROM ${table('LiteLLM_SpendLogs')} WHERE ${inWindow} GROUP BY 1, 2 ORDER BY 3 DESC LIMIT ${MAX_SPEND_ROWS + 1}) AS s;`,
    `SELECT jsonb_build_object('kind', 'spend-model', 'address', a, 'model', m, 'requests', n)::text FROM (` +
      `SELECT ${address} AS a, model AS m, count(*) AS n FROM ${table('LiteLLM_SpendLogs')} WHERE ${inWindow} GROUP BY 1, 2 ORDER BY 3 DESC LIMIT ${MAX_SPEND_ROWS + 1}) AS s;`,
  ];
  const rows = (kind: string, fields: readonly string[], name: string, where = '') =>
    `SELECT jsonb_build_object('kind', '${kind}', ${fields.map((field) => `'${field}', j->'${field}'`).join(', ')})::text ` +
    `FROM (SELECT to_jsonb(t) AS j FROM ${table(name)} AS t${where} LIMIT ${MAX_DATABASE_ROWS + 1}) AS s;`;
  const keyFields = ['token', 'key_name', 'key_alias', 'models', 'expires', 'user_id', 'team_id', 'blocked'];
  return [
    'SET default_transaction_read_only = on;',
    "SET statement_timeout = '20s';",
    `SELECT ${exists.join(', ')}, EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = ${schemaOf} AND table_name = 'LiteLLM_SpendLogs' AND column_name = 'requester_ip_address') AS br_spend_ip \\gset`,
    `SELECT jsonb_build_object('kind', 'tables', ${Object.keys(OPTIONAL_TABLES).map((variable) => `'${variable}', :'${variable}' = 't'`).join(', ')}, 'br_spend_ip', :'br_spend_ip' = 't')::text;`,
    `SELECT jsonb_build_object('kind', 'key', ${keyFields.map((field) => `'${field}', j->'${field}'`).join(', ')})::text FROM (SELECT to_jsonb(t) AS j FROM ${table('LiteLLM_VerificationToken')} AS t LIMIT ${MAX_VIRTUAL_KEYS + 1}) AS s;`,
    '\\if :br_rotated',
    rows('rotated', ['token', 'active_token_id', 'revoke_at'], 'LiteLLM_DeprecatedVerificationToken', ' WHERE revoke_at > now()'),
    '\\endif',
    '\\if :br_credentials',
    rows('credential', ['credential_name', 'credential_values', 'credential_info'], 'LiteLLM_CredentialsTable'),
    '\\endif',
    '\\if :br_models',
    rows('model', ['model_name', 'litellm_params', 'blocked'], 'LiteLLM_ProxyModelTable'),
    '\\endif',
    '\\if :br_mcp',
    rows('mcp', ['server_id', 'server_name', 'alias', 'url', 'auth_type', 'credentials', 'static_headers', 'env'], 'LiteLLM_MCPServerTable'),
    '\\endif',
    '\\if :br_spend',
    '\\if :br_spend_ip',
    ...spend(`coalesce(requester_ip_address, '')`),
    '\\else',
    ...spend(`''`),
    '\\endif',
    '\\endif',
    '',
  ].join('\n');
}
