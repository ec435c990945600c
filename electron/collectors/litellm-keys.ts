/**
 * Reads a LiteLLM gateway's database read-only, with `psql` run by `docker exec` in its PostgreSQL
 * container: virtual keys (and rotated ones still valid), provider credentials, models and MCP
 * servers stored in the database, and the spend log over the window, in one script and one round
 * trip. First as the container's local superuser over the unix socket (the official image trusts
 * local connections: no password at all); only when that fails, as the `DATABASE_URL` user with
 * its password, which travels on psql's standard input (never in an argv `ps` could show, a note
 * or an error). Stored credentials are opened here, in the main process, with the salt key of the
 * same deployment (the gateway container's environment); their values go only to the secret
 * reader (fingerprints) and the key vault.
 */
import type { GatewayConfig, GatewayTraffic, SecretSighting } from '../../shared/model/index.js';
import { serviceImageOf } from '../../shared/domain/containers/gateway-images.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
import { findSecrets, type KeyValueSink } from '../readers/secrets/find-secrets.js';
import { litellmGatewayConfig, type Fingerprinter } from '../readers/topology/litellm-config.js';
import { engineCommand, type EngineAccess } from './docker-collector.js';
import { environmentOf, isContainerId, type InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, SHELL_EMIT, splitRecords } from './framing.js';
import { gatewayDatabaseQuery } from './litellm-database-query.js';
import { parseGatewayDatabase, spendTraffic, type GatewayDatabaseRows } from './litellm-database-parser.js';
import { gatewayDatabases, type GatewayDatabase } from './litellm-database.js';
import { storedCredentials } from './litellm-stored-credentials.js';
import { blindSpot, firstLine, remark, type CollectorIssue } from './notes.js';

const COLLECTOR = 'litellm-keys';

/** psql's output options: no psqlrc, unaligned, tuples only, quiet, stop at the first error. */
const PSQL_OPTIONS = '-X -A -t -q -v ON_ERROR_STOP=1';

/** Limits of one psql run: 5000 keys with long model lists and the spend log's aggregates fit well under 16 MiB. */
const PSQL_LIMITS = { timeoutMs: 60_000, maxOutputBytes: 16 * 1024 * 1024 } as const;

/** How psql logs in. */
export type PsqlLogin =
  /** As the OS user `postgres` over the unix socket, as `role` (POSTGRES_USER): no password. */
  | { kind: 'socket'; role: string }
  /** As `user` with the URL's password, read from standard input into PGPASSWORD inside the container. */
  | { kind: 'password'; user: string; password: string };

/** What the script needs: the database container, the database and schema, the login and the spend log's window. */
export interface VirtualKeysScriptOptions {
  boundary: string;
  engine: EngineAccess;
  containerId: string;
  database: string;
  schema: string | null;
  login: PsqlLogin;
  window: { start: string; end: string };
}

/**
 * The script run on the host. The SQL (and for a password login, the password on the line before
 * it) is a shell variable piped by the `printf` builtin into `docker exec -i`: no value but names
 * and ids ever becomes an argument of a process.
 */
export function virtualKeysScript(options: VirtualKeysScriptOptions): string {
  const { boundary, engine, containerId, database, schema, login, window } = options;
  if (!isContainerId(containerId)) throw new Error('container id must be 64 hex characters');
  const name = /^[A-Za-z_][A-Za-z0-9_$.-]{0,62}$/;
  const role = login.kind === 'socket' ? login.role : login.user;
  if (!name.test(database) || !name.test(role)) throw new Error('database and role must be plain names');
  const exec = `${engineCommand(engine)} exec -i`;
  const psql = `psql ${PSQL_OPTIONS} -U ${shellQuote(role)} -d ${shellQuote(database)}`;
  const lines = [`B=${shellQuote(boundary)}`, SHELL_EMIT, `Q=${shellQuote(gatewayDatabaseQuery({ schema, window }))}`, 'emit_open psql'];
  if (login.kind === 'socket') {
    lines.push(`printf '%s' "$Q" | ${exec} -u postgres ${shellQuote(containerId)} ${psql}`);
  } else {
    if (/[\n\r\0]/.test(login.password)) throw new Error('the password cannot be passed on one line');
    // `read` takes the first line into PGPASSWORD inside the container; psql reads the SQL after it.
    const inner = `IFS= read -r PGPASSWORD || exit 2; export PGPASSWORD; exec ${psql}`;
    lines.push(`P=${shellQuote(login.password)}`, `printf '%s\\n%s' "$P" "$Q" | ${exec} ${shellQuote(containerId)} sh -c ${shellQuote(inner)}`);
  }
  lines.push('emit rc "$?"', 'emit end ""', '');
  return lines.join('\n');
}

/** What the gateway databases of one host gave: gateway configs (virtual keys, stored models), stored credentials by fingerprint, spend-log traffic, notes. */
export interface VirtualKeyCollection {
  configs: GatewayConfig[];
  secrets: SecretSighting[];
  traffic: GatewayTraffic[];
  issues: CollectorIssue[];
}

/** What reading the databases needs besides the containers. */
export interface GatewayDatabaseOptions {
  /** The spend log's window (the gateway logs' window). */
  window: { start: string; end: string };
  /** Told each opened credential's value with its fingerprint (the key vault). */
  keyVault?: KeyValueSink;
  /** Fingerprints a model route's key as the host's secret search did. */
  fingerprint?: Fingerprinter;
}

/**
 * Reads the database of every running LiteLLM gateway (by image, or by a LiteLLM config that
 * configures it) whose DATABASE_URL names a PostgreSQL container on a shared network. Never throws
 * for a database it cannot read (only for cancellation).
 */
export async function collectVirtualKeys(
  runner: CommandRunner,
  engine: EngineAccess,
  containers: readonly InspectedContainer[],
  configured: readonly GatewayConfig[],
  options: GatewayDatabaseOptions,
  signal?: AbortSignal,
): Promise<VirtualKeyCollection> {
  const gateways = containers.filter(
    (container) => serviceImageOf(container.image)?.kind === 'litellm' || configured.some((config) => config.gateway === 'litellm' && config.container === container.name),
  );
  const collection: VirtualKeyCollection = { configs: [], secrets: [], traffic: [], issues: [] };
  for (const found of gatewayDatabases(gateways, containers)) {
    if (signal?.aborted) break;
    const read = await readDatabase(runner, engine, found, options.window, signal);
    if ('issue' in read) {
      collection.issues.push(read.issue);
      continue;
    }
    judgeDatabase(found, parseGatewayDatabase(read.output), options, collection);
  }
  return collection;
}

/** Turns one database's rows into the collection's configs, sightings, traffic and notes. */
function judgeDatabase(found: GatewayDatabase, rows: GatewayDatabaseRows, options: GatewayDatabaseOptions, collection: VirtualKeyCollection): void {
  const where = `container ${found.database.name} (${found.label})`;
  const parsed = rows.keys;
  const byHash = (token: string) => parsed.keys.find((key) => key.fingerprint.startsWith(`litellm:${token.slice(0, 12)}:`))?.fingerprint;
  const virtualKeys = [...parsed.keys];
  for (const rotated of rows.rotated) {
    const active = byHash(rotated.activeToken);
    virtualKeys.push({ fingerprint: `litellm:${rotated.token.slice(0, 12)}`, models: [], revokeAt: rotated.revokeAt, ...(active ? { rotatedTo: active } : {}), alias: `rotated, valid until ${rotated.revokeAt}` });
  }
  const config: GatewayConfig = { gateway: 'litellm', container: found.gateway.name, path: found.label, models: [], virtualKeys };

  const environment = environmentOf(found.gateway);
  const variables = new Map(environment);
  // LiteLLM's _get_salt_key: LITELLM_SALT_KEY, else the master key.
  const saltKey = variables.get('LITELLM_SALT_KEY') || variables.get('LITELLM_MASTER_KEY') || null;
  const stored = storedCredentials(rows, saltKey, { container: found.gateway.name, path: found.label });
  collection.secrets.push(...stored.sealed);
  if (stored.text !== null) {
    const artifacts = {
      files: [{ kind: 'litellm-database' as const, container: found.gateway.name, path: found.label, user: null, text: stored.text, truncated: false }],
      environments: [{ container: found.gateway.name, variables: [...environment] }],
    };
    collection.secrets.push(...findSecrets(artifacts, options.keyVault).secrets.filter((sighting) => sighting.source === 'gateway-db'));
    const routes = litellmGatewayConfig(stored.text, { path: found.label, container: found.gateway.name }, variables, options.fingerprint);
    if (routes) config.models = routes.models;
    artifacts.files.length = 0;
    artifacts.environments.length = 0;
  }
  collection.configs.push(config);

  const traffic = spendTraffic(found.gateway.name, options.window, rows, (token) => byHash(token) ?? (/^[0-9a-f]{64}$/.test(token) ? `litellm:${token.slice(0, 12)}` : 'no virtual key'));
  if (traffic) collection.traffic.push(traffic);

  if (parsed.overflow) collection.issues.push(blindSpot(COLLECTOR, `${where}: more than ${parsed.keys.length + parsed.unnamed} virtual keys; the rest were not read`));
  if (rows.overflow.length > 0) collection.issues.push(blindSpot(COLLECTOR, `${where}: more rows than are read of ${rows.overflow.join(', ')}; the rest were not read`));
  if (parsed.unnamed > 0) {
    collection.issues.push(remark(COLLECTOR, `${where}: ${parsed.unnamed} virtual ${parsed.unnamed === 1 ? 'key has' : 'keys have'} no key_name (DISABLE_KEY_NAME), so no fingerprint to match holders by`));
  }
  const malformed = parsed.malformed + rows.malformed;
  if (malformed > 0) collection.issues.push(remark(COLLECTOR, `${where}: ${malformed} lines of psql output were not rows of the read`));
  const missing = Object.entries(rows.tables ?? {})
    .filter(([name, present]) => present === false && name !== 'br_spend_ip')
    .map(([name]) => name.replace('br_', ''));
  if (missing.length > 0) collection.issues.push(remark(COLLECTOR, `${where}: this LiteLLM's database has no table for ${missing.join(', ')} (an older release); nothing of those read`));
  if (rows.tables?.br_spend === true && rows.tables.br_spend_ip === false) collection.issues.push(remark(COLLECTOR, `${where}: its spend log has no requester_ip_address column (an older release): requests are counted, not attributed to clients`));
  if (stored.sealed.length > 0 && saltKey === null) {
    collection.issues.push(remark(COLLECTOR, `${where}: ${stored.sealed.length} stored ${stored.sealed.length === 1 ? 'credential is' : 'credentials are'} encrypted and no LITELLM_SALT_KEY or master key was found in the gateway's environment: listed to rotate, without a value fingerprint`));
  }
  if (stored.unopened > 0 && saltKey !== null) {
    collection.issues.push(remark(COLLECTOR, `${where}: ${stored.unopened} stored encrypted ${stored.unopened === 1 ? 'value does' : 'values do'} not open with the gateway's salt key (changed since they were written?)`));
  }
}

/** Runs the query over the socket, then (when that fails and the URL has one) with the URL's password. */
async function readDatabase(runner: CommandRunner, engine: EngineAccess, found: GatewayDatabase, window: { start: string; end: string }, signal?: AbortSignal): Promise<{ output: string } | { issue: CollectorIssue }> {
  const { target, database } = found;
  const role = environmentOf(database).find(([name]) => name === 'POSTGRES_USER')?.[1] || 'postgres';
  const logins: PsqlLogin[] = [{ kind: 'socket', role }];
  if (target.user !== null && target.password !== null && !/[\n\r\0]/.test(target.password)) logins.push({ kind: 'password', user: target.user, password: target.password });
  const problems: string[] = [];
  for (const login of logins) {
    const boundary = newBoundary();
    const script = virtualKeysScript({ boundary, engine, containerId: database.id, database: target.database, schema: target.schema, login, window });
    try {
      const result = await runner.runScript(script, { ...PSQL_LIMITS, signal });
      const records = splitRecords(decodeOutput(result.stdout), boundary);
      const rc = records.find((record) => record.tag === 'rc')?.body.trim();
      const body = records.find((record) => record.tag === 'psql')?.body ?? '';
      if (rc === '0') return { output: body };
      const why = result.truncated ? 'its output passed the size limit' : `exit ${rc ?? result.exitCode ?? 'signal'}`;
      problems.push(`${describeLogin(login)}: ${why}${scrubbed(firstLine(result.stderr), target.password)}`);
    } catch (error) {
      if (signal?.aborted) throw error;
      problems.push(`${describeLogin(login)}: ${scrubbed((error as Error).message, target.password)}`);
    }
  }
  return { issue: blindSpot(COLLECTOR, `container ${database.name} (${found.label}): LiteLLM database not read: virtual keys, stored credentials and spend log (${problems.join('; ')})`) };
}

function describeLogin(login: PsqlLogin): string {
  return login.kind === 'socket' ? `psql as ${login.role} over the local socket` : `psql as ${login.user} with the DATABASE_URL password`;
}

/** A message for a note with the password cut out, should psql ever echo it. */
function scrubbed(message: string, password: string | null): string {
  if (message === '') return '';
  const text = password ? message.split(password).join('…') : message;
  return `: ${text}`;
}
