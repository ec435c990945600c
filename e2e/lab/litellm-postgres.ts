/**
 * The lab's LiteLLM database: a real PostgreSQL from Debian's packages, its own cluster per run
 * (initdb as the unprivileged lab user into the run folder, listening only on the gw host's lab
 * address, stopped with the lab), LiteLLM's tables as schema.prisma has them (litellm-db/schema.sql)
 * and rows a scan must find: open-webui's virtual key and one nobody holds, a rotated key still
 * valid, a provider credential and a stored model encrypted as LiteLLM encrypts them (SecretBox
 * keyed by the gateway's master key: no LITELLM_SALT_KEY, so LiteLLM's fallback), and spend logs in
 * and out of the window. The database container's `/usr/bin/psql` is a wrapper that execs Debian's
 * psql (copied into the container root with its libraries) against that server, so the collector's
 * read is real SQL answered by a real server.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { encryptLegacyValue } from '../../electron/collectors/litellm-secret-box.js';
import { PLANTED_SECRETS } from './planted-secrets.js';
import { PSQL_CALL_LOG } from './psql-call-log.js';
import { inRoot, run, writeRootFile } from './rootfs.js';

const execFileAsync = promisify(execFile);

/** The container that holds the database (alias `db` on gw's compose network). */
export const LITELLM_DB_CONTAINER = 'ai-gateway-db-1';
/** The port the lab's server listens on, on the gw host's lab address. */
export const LITELLM_DB_PORT = 5432;
/** The folder of the run that holds the cluster. */
const CLUSTER_DIR = 'postgres';

/** What the scan window must see in the spend log, and what it must not (before the window). */
export const LAB_SPEND_LOG = {
  /** open-webui's address on the compose network: 3 requests in the window (2 more before it). */
  openWebui: { address: '172.20.0.3', inWindow: 3, before: 2 },
  /** The access log's unidentified client, which the spend log shows too. */
  logOnly: { address: '10.66.0.23', inWindow: 2 },
  /** A client only the database shows. */
  databaseOnly: { address: '10.66.0.77', inWindow: 1 },
} as const;

/** The stored provider credential's name and the model stored in the database. */
export const LAB_STORED = { credential: 'openai-prod', model: 'gpt-4o-mini-db' } as const;

/** Debian's PostgreSQL binaries: the newest major version installed. */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error('the lab needs Debian\'s postgresql package (apt-get install postgresql)');
  return path.join(root, versions[0]!, 'bin');
}

/** A running lab database. */
export interface LabPostgres {
  stop(): Promise<void>;
}

/**
 * Starts the cluster, creates LiteLLM's tables and rows, and installs the psql wrapper in the
 * database container's root. `address` is the gw host's lab address.
 */
export async function startLitellmPostgres(options: { runDir: string; containerRoot: string; address: string; user: { name: string; uid: number; gid: number } }): Promise<LabPostgres> {
  const { runDir, containerRoot, address, user } = options;
  const bin = postgresBin();
  const dir = path.join(runDir, CLUSTER_DIR);
  const data = path.join(dir, 'data');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chown(dir, user.uid, user.gid);
  const asUser = (file: string, args: string[]) => run('runuser', ['-u', user.name, '--', path.join(bin, file), ...args]);
  await asUser('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  await asUser('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-o', `-c listen_addresses=${address} -c port=${LITELLM_DB_PORT} -c unix_socket_directories= -c fsync=off`, 'start']);
  const stop = async () => {
    await stopLitellmPostgres(runDir, user.name).catch(() => undefined);
  };
  try {
    const psql = (database: string, sql: string) => psqlRun(bin, address, database, sql);
    // As the official image does with POSTGRES_USER: a superuser owning the database.
    await psql('postgres', 'CREATE ROLE litellm SUPERUSER LOGIN;');
    await psql('postgres', 'CREATE DATABASE litellm OWNER litellm;');
    await psql('litellm', readFileSync(new URL('./litellm-db/schema.sql', import.meta.url), 'utf8'));
    await psql('litellm', seedSql());
    await installPsql(bin, containerRoot, address);
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

/** Stops a run's cluster when one was started (the lab's stop, and the sweep of a crashed run). */
export async function stopLitellmPostgres(runDir: string, userName: string): Promise<void> {
  const data = path.join(runDir, CLUSTER_DIR, 'data');
  if (!existsSync(path.join(data, 'postmaster.pid'))) return;
  await run('runuser', ['-u', userName, '--', path.join(postgresBin(), 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
}

/** Runs SQL as litellm (or postgres, before litellm exists) over TCP; fails on the first error. */
async function psqlRun(bin: string, address: string, database: string, sql: string): Promise<void> {
  const role = database === 'postgres' ? 'postgres' : 'litellm';
  const child = execFileAsync(path.join(bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', address, '-p', String(LITELLM_DB_PORT), '-U', role, '-d', database], { maxBuffer: 1024 * 1024 });
  child.child.stdin?.end(sql);
  await child;
}

/** Debian's psql and the libraries `ldd` names, copied into the container root; /usr/bin/psql points it at the lab server. */
async function installPsql(bin: string, root: string, address: string): Promise<void> {
  const binary = path.join(bin, 'psql');
  const libraries = new Set<string>();
  for (const line of (await run('ldd', [binary])).split('\n')) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (match?.[1]) libraries.add(match[1]);
  }
  for (const file of [binary, ...libraries]) {
    const target = inRoot(root, file);
    if (existsSync(target)) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(await realpath(file), target);
    await chmod(target, 0o755);
  }
  // `docker exec` drops the environment, so the wrapper names the server; the collector's own options pass through.
  const wrapper = [
    '#!/bin/sh',
    "# Blast Radius lab: Debian's psql against the lab's PostgreSQL (litellm-postgres.ts). Logs each call",
    '# (argv, whether PGPASSWORD was set, never its value, the SQL) before handing the SQL to psql.',
    'sql=$(cat)',
    '{',
    "  printf 'call\\n'",
    "  for word in \"$@\"; do printf 'argv [%s]\\n' \"$word\"; done",
    "  if [ -n \"${PGPASSWORD:-}\" ]; then printf 'pgpassword set\\n'; else printf 'pgpassword unset\\n'; fi",
    "  printf 'stdin\\n%s\\nend\\n' \"$sql\"",
    `} >> ${PSQL_CALL_LOG}`,
    `PGHOST=${address} PGPORT=${LITELLM_DB_PORT}`,
    'export PGHOST PGPORT',
    `printf '%s\\n' "$sql" | ${binary} "$@"`,
    '',
  ].join('\n');
  await writeRootFile(root, '/usr/bin/psql', wrapper, 0o755);
}

/** sha256 hex, as LiteLLM's hash_token stores a virtual key. */
function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The rows: keys, a rotated key, the encrypted credential and model, the spend log. */
function seedSql(): string {
  const salt = PLANTED_SECRETS['litellm-master'].value;
  const virtual = PLANTED_SECRETS['litellm-virtual'].value;
  const stored = PLANTED_SECRETS['db-openai'].value;
  const webuiToken = sha256(virtual);
  const ciToken = '6ab2dea06920dfcc4df3e8dc18da67660eca4ef8e80abc0d40f6e97b89cb96c9';
  const rotatedToken = sha256('sk-lab-rotated-ci-batch-old-key');
  const encrypt = (value: string) => encryptLegacyValue(value, salt);
  const lines = [
    `INSERT INTO "LiteLLM_VerificationToken" (token, key_name, key_alias, models, user_id) VALUES (${literal(webuiToken)}, ${literal(`sk-...${virtual.slice(-4)}`)}, 'open-webui', ARRAY['gpt-4o', 'claude'], 'default_user_id');`,
    `INSERT INTO "LiteLLM_VerificationToken" (token, key_name, key_alias, models, team_id, expires, blocked) VALUES (${literal(ciToken)}, 'sk-...Wq7v', 'ci-batch', ARRAY['llama3'], 'ci', '2026-06-30 00:00:00', false);`,
    `INSERT INTO "LiteLLM_DeprecatedVerificationToken" (id, token, active_token_id, revoke_at) VALUES ('rot-1', ${literal(rotatedToken)}, ${literal(ciToken)}, now() + interval '7 days');`,
    `INSERT INTO "LiteLLM_CredentialsTable" (credential_id, credential_name, credential_values, credential_info, created_by, updated_by) VALUES ('cred-1', ${literal(LAB_STORED.credential)}, ${literal(JSON.stringify({ api_key: encrypt(stored), api_base: encrypt('https://api.openai.com/v1') }))}, '{"custom_llm_provider": "openai"}', 'default_user_id', 'default_user_id');`,
    `INSERT INTO "LiteLLM_ProxyModelTable" (model_id, model_name, litellm_params, created_by, updated_by) VALUES ('model-1', ${literal(LAB_STORED.model)}, ${literal(JSON.stringify({ model: encrypt('openai/gpt-4o-mini'), api_key: encrypt(stored) }))}, 'default_user_id', 'default_user_id');`,
  ];
  let request = 0;
  const spend = (address: string, token: string, model: string, at: string) => {
    request++;
    lines.push(
      `INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, api_key, "startTime", "endTime", model, requester_ip_address, messages, response) VALUES ('req-${request}', 'acompletion', ${literal(token)}, '${at}', '${at}', ${literal(model)}, ${literal(address)}, '{"content": "a prompt the scan must never read"}', '{}');`,
    );
  };
  const { openWebui, logOnly, databaseOnly } = LAB_SPEND_LOG;
  for (const at of ['2026-03-20 09:00:00', '2026-03-24 10:38:59']) spend(openWebui.address, webuiToken, 'gpt-4o', at);
  for (const at of ['2026-03-24 11:02:00', '2026-03-24 11:40:00', '2026-03-24 13:15:00'].slice(0, openWebui.inWindow)) spend(openWebui.address, webuiToken, 'gpt-4o', at);
  for (const at of ['2026-03-24 12:05:00', '2026-03-24 12:45:00'].slice(0, logOnly.inWindow)) spend(logOnly.address, ciToken, 'llama3', at);
  spend(databaseOnly.address, ciToken, 'llama3', '2026-03-25 08:00:00');
  return `${lines.join('\n')}\n`;
}
