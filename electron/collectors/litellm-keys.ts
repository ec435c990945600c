/**
 * Reads a LiteLLM gateway's virtual keys from its PostgreSQL container, read-only, with `psql` run
 * by `docker exec` in that container. First as the container's local superuser over the unix
 * socket (the official image trusts local connections: no password at all); only when that fails,
 * as the `DATABASE_URL` user with its password, which travels on psql's standard input (never in
 * an argv `ps` could show, a note or an error).
 */
import type { GatewayConfig } from '../../shared/model/index.js';
import { serviceImageOf } from '../../shared/domain/containers/gateway-images.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
import { engineCommand, type EngineAccess } from './docker-collector.js';
import { environmentOf, isContainerId, type InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, SHELL_EMIT, splitRecords } from './framing.js';
import { gatewayDatabases, type GatewayDatabase } from './litellm-database.js';
import { parseVirtualKeys, virtualKeysQuery } from './litellm-keys-parser.js';
import { blindSpot, firstLine, remark, type CollectorIssue } from './notes.js';

const COLLECTOR = 'litellm-keys';

/** psql's output options: no psqlrc, unaligned, tuples only, quiet, stop at the first error. */
const PSQL_OPTIONS = '-X -A -t -q -v ON_ERROR_STOP=1';

/** Limits of one psql run: 5000 keys with long model lists fit well under 16 MiB. */
const PSQL_LIMITS = { timeoutMs: 60_000, maxOutputBytes: 16 * 1024 * 1024 } as const;

/** How psql logs in. */
export type PsqlLogin =
  /** As the OS user `postgres` over the unix socket, as `role` (POSTGRES_USER): no password. */
  | { kind: 'socket'; role: string }
  /** As `user` with the URL's password, read from standard input into PGPASSWORD inside the container. */
  | { kind: 'password'; user: string; password: string };

/** What the script needs: the database container, the database and schema, and the login. */
export interface VirtualKeysScriptOptions {
  boundary: string;
  engine: EngineAccess;
  containerId: string;
  database: string;
  schema: string | null;
  login: PsqlLogin;
}

/**
 * The script run on the host. The SQL (and for a password login, the password on the line before
 * it) is a shell variable piped by the `printf` builtin into `docker exec -i`: no value but names
 * and ids ever becomes an argument of a process.
 */
export function virtualKeysScript(options: VirtualKeysScriptOptions): string {
  const { boundary, engine, containerId, database, schema, login } = options;
  if (!isContainerId(containerId)) throw new Error('container id must be 64 hex characters');
  const name = /^[A-Za-z_][A-Za-z0-9_$.-]{0,62}$/;
  const role = login.kind === 'socket' ? login.role : login.user;
  if (!name.test(database) || !name.test(role)) throw new Error('database and role must be plain names');
  const exec = `${engineCommand(engine)} exec -i`;
  const psql = `psql ${PSQL_OPTIONS} -U ${shellQuote(role)} -d ${shellQuote(database)}`;
  const lines = [`B=${shellQuote(boundary)}`, SHELL_EMIT, `Q=${shellQuote(virtualKeysQuery(schema))}`, 'emit_open psql'];
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

/** Virtual keys read on one host, as gateway configs (one per gateway database), and the notes. */
export interface VirtualKeyCollection {
  configs: GatewayConfig[];
  issues: CollectorIssue[];
}

/**
 * Reads the virtual keys of every running LiteLLM gateway (by image, or by a LiteLLM config that
 * configures it) whose DATABASE_URL names a PostgreSQL container on a shared network. Never throws
 * for a database it cannot read (only for cancellation).
 */
export async function collectVirtualKeys(
  runner: CommandRunner,
  engine: EngineAccess,
  containers: readonly InspectedContainer[],
  configured: readonly GatewayConfig[],
  signal?: AbortSignal,
): Promise<VirtualKeyCollection> {
  const gateways = containers.filter(
    (container) => serviceImageOf(container.image)?.kind === 'litellm' || configured.some((config) => config.gateway === 'litellm' && config.container === container.name),
  );
  const collection: VirtualKeyCollection = { configs: [], issues: [] };
  for (const found of gatewayDatabases(gateways, containers)) {
    if (signal?.aborted) break;
    const read = await readDatabase(runner, engine, found, signal);
    if ('issue' in read) {
      collection.issues.push(read.issue);
      continue;
    }
    const parsed = parseVirtualKeys(read.output);
    collection.configs.push({ gateway: 'litellm', container: found.gateway.name, path: found.label, models: [], virtualKeys: parsed.keys });
    const where = `container ${found.database.name} (${found.label})`;
    if (parsed.overflow) collection.issues.push(blindSpot(COLLECTOR, `${where}: more than ${parsed.keys.length + parsed.unnamed} virtual keys; the rest were not read`));
    if (parsed.unnamed > 0) {
      collection.issues.push(remark(COLLECTOR, `${where}: ${parsed.unnamed} virtual ${parsed.unnamed === 1 ? 'key has' : 'keys have'} no key_name (DISABLE_KEY_NAME), so no fingerprint to match holders by`));
    }
    if (parsed.malformed > 0) collection.issues.push(remark(COLLECTOR, `${where}: ${parsed.malformed} lines of psql output were not virtual-key rows`));
  }
  return collection;
}

/** Runs the query over the socket, then (when that fails and the URL has one) with the URL's password. */
async function readDatabase(runner: CommandRunner, engine: EngineAccess, found: GatewayDatabase, signal?: AbortSignal): Promise<{ output: string } | { issue: CollectorIssue }> {
  const { target, database } = found;
  const role = environmentOf(database).find(([name]) => name === 'POSTGRES_USER')?.[1] || 'postgres';
  const logins: PsqlLogin[] = [{ kind: 'socket', role }];
  if (target.user !== null && target.password !== null && !/[\n\r\0]/.test(target.password)) logins.push({ kind: 'password', user: target.user, password: target.password });
  const problems: string[] = [];
  for (const login of logins) {
    const boundary = newBoundary();
    const script = virtualKeysScript({ boundary, engine, containerId: database.id, database: target.database, schema: target.schema, login });
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
  return { issue: blindSpot(COLLECTOR, `container ${database.name} (${found.label}): LiteLLM virtual keys not read (${problems.join('; ')})`) };
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
