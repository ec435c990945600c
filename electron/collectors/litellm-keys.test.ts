import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintSecret } from '../readers/secrets/fingerprint.js';
import { parseContainerInspect } from './docker-parser.js';
import { hermeticRunner, quote, SHELLS, tempDir, writeExecutable, writeTree } from './fixtures/shell-harness.js';
import { collectVirtualKeys, virtualKeysScript } from './litellm-keys.js';
import { gatewayDatabaseQuery } from './litellm-database-query.js';
import { encryptLegacyValue } from './litellm-secret-box.js';

const ENGINE = { engine: 'docker', access: 'direct' } as const;
const GATEWAY_ID = '1'.repeat(64);
const DB_ID = '2'.repeat(64);
const PASSWORD = "pg-Pa55w0rd'with$(touch /tmp/x)`quotes`";
const KEY = 'sk-Zq3vN8rT0aLw5yXc1bMd7e';
const WINDOW = { start: '2026-03-24T10:39:00Z', end: '2026-12-07T12:00:00Z' };
const ROW = `{"kind": "key", "token": "${createHash('sha256').update(KEY).digest('hex')}", "models": ["gpt-4o"], "blocked": null, "expires": null, "team_id": null, "user_id": null, "key_name": "sk-...${KEY.slice(-4)}", "key_alias": "open-webui"}`;

const SALT = 'lab-salt-key-0f3b9c';
const PROVIDER_KEY = 'sk-proj-StoredInTheDatabase0123456789abcdefXyZ1';
const OPENED = `{"kind": "credential", "credential_name": "openai-prod", "credential_info": {"custom_llm_provider": "openai"}, "credential_values": {"api_key": "${encryptLegacyValue(PROVIDER_KEY, SALT)}", "api_base": "${encryptLegacyValue('https://api.openai.com/v1', SALT)}"}}`;
const SPEND = [
  '{"kind": "tables", "br_mcp": true, "br_spend": true, "br_models": true, "br_rotated": true, "br_spend_ip": true, "br_credentials": true}',
  '{"kind": "spend-hour", "address": "172.20.0.3", "hour": "2026-03-24T11:00:00Z", "requests": 3, "first": "2026-03-24T11:02:00Z", "last": "2026-03-24T11:40:00Z"}',
  '{"kind": "spend-hour", "address": "10.66.0.23", "hour": "2026-03-24T12:00:00Z", "requests": 1, "first": "2026-03-24T12:05:00Z", "last": "2026-03-24T12:05:00Z"}',
  `{"kind": "spend-key", "address": "172.20.0.3", "token": "${createHash('sha256').update(KEY).digest('hex')}", "requests": 3}`,
  '{"kind": "spend-model", "address": "172.20.0.3", "model": "gpt-4o", "requests": 3}',
].join('\n');

const inspected = (gatewayEnv: readonly string[]) => parseContainerInspect(
  JSON.stringify([
    {
      Id: GATEWAY_ID,
      Name: '/litellm',
      State: { Status: 'running', Running: true, Pid: 10 },
      Config: { Image: 'ghcr.io/berriai/litellm:main-latest', Env: [`DATABASE_URL=postgresql://litellm:${encodeURIComponent(PASSWORD)}@db:5432/litellm`, ...gatewayEnv] },
      NetworkSettings: { Networks: { 'ai-gateway_default': { Aliases: ['litellm'], IPAddress: '172.20.0.2' } } },
    },
    {
      Id: DB_ID,
      Name: '/ai-gateway-db-1',
      State: { Status: 'running', Running: true, Pid: 11 },
      Config: { Image: 'postgres:16', Env: ['POSTGRES_USER=litellm', `POSTGRES_PASSWORD=${PASSWORD}`, 'POSTGRES_DB=litellm'] },
      NetworkSettings: { Networks: { 'ai-gateway_default': { Aliases: ['ai-gateway-db-1', 'db'], IPAddress: '172.20.0.4' } } },
    },
  ]),
).containers;
const containers = inspected([]);

/**
 * A `docker` stand-in that logs every argv (one word a line), runs `exec`'s command with a `psql`
 * that logs its argv, stdin and PGPASSWORD and prints ROW; `refuse` makes the socket login (or every login) fail.
 */
async function harness(shell: (typeof SHELLS)[number], refuse: 'none' | 'socket' | 'all', rows = ROW) {
  const dir = await tempDir();
  const bin = join(dir, 'fake-bin');
  const psqlBin = join(dir, 'psql-bin');
  await writeTree(dir, 'row.txt', `${rows}\n`);
  await mkdir(bin, { recursive: true });
  await mkdir(psqlBin, { recursive: true });
  await writeExecutable(join(bin, 'docker'), `#!/bin/sh
{ for word in "$@"; do printf '%s\\n' "$word"; done; printf -- '--\\n'; } >> ${quote(join(dir, 'argv.log'))}
shift
user=
while :; do case $1 in -i) shift ;; -u) user=$2; shift 2 ;; *) break ;; esac; done
shift
if [ ${quote(refuse)} = socket ] && [ "$user" = postgres ]; then
  cat > /dev/null
  echo 'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  role "litellm" does not exist' >&2
  exit 2
fi
PATH=${quote(psqlBin)}:$PATH
export PATH
if [ "$1" = sh ]; then shift; exec /bin/sh "$@"; fi
exec "$@"
`);
  await writeExecutable(join(psqlBin, 'psql'), `#!/bin/sh
{ for word in "$@"; do printf '%s\\n' "$word"; done; printf -- '--\\n'; } >> ${quote(join(dir, 'argv.log'))}
printf '%s' "\${PGPASSWORD-}" > ${quote(join(dir, 'pgpassword'))}
cat > ${quote(join(dir, 'psql-stdin'))}
if [ ${quote(refuse)} = all ]; then echo "psql: error: FATAL:  password authentication failed for user \\"litellm\\" (\${PGPASSWORD-})" >&2; exit 2; fi
cat ${quote(join(dir, 'row.txt'))}
`);
  const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'interpreter-started'), extraBin: bin });
  const read = (name: string) => readFile(join(dir, name), 'utf8').catch(() => '');
  return { runner, read };
}

describe('virtualKeysScript', () => {
  it('puts the password only in a shell variable fed to stdin, never in a command word', () => {
    const script = virtualKeysScript({ boundary: `BR${'0'.repeat(32)}`, engine: ENGINE, containerId: DB_ID, database: 'litellm', schema: null, login: { kind: 'password', user: 'litellm', password: PASSWORD }, window: WINDOW });
    const command = script.split('\n').find((line) => line.includes(' exec -i '))!;
    expect(command).toBe(`printf '%s\\n%s' "$P" "$Q" | docker exec -i '${DB_ID}' sh -c 'IFS= read -r PGPASSWORD || exit 2; export PGPASSWORD; exec psql -X -A -t -q -v ON_ERROR_STOP=1 -U '\\''litellm'\\'' -d '\\''litellm'\\'''`);
    expect(command).not.toContain('Pa55w0rd');
  });

  it('refuses names that are not plain and a password that cannot travel on one line', () => {
    const base = { boundary: `BR${'0'.repeat(32)}`, engine: ENGINE, containerId: DB_ID, schema: null, window: WINDOW } as const;
    expect(() => virtualKeysScript({ ...base, database: 'litellm; rm -rf /', login: { kind: 'socket', role: 'postgres' } })).toThrow();
    expect(() => virtualKeysScript({ ...base, database: 'litellm', login: { kind: 'password', user: 'litellm', password: 'a\nb' } })).toThrow();
  });
});

describe.each(SHELLS)('collectVirtualKeys under $name', (shell) => {
  it('reads the keys as the local superuser over the socket, with no password anywhere', async () => {
    const { runner, read } = await harness(shell, 'none');
    const result = await collectVirtualKeys(runner, ENGINE, containers, [], { window: WINDOW });
    expect(result.issues).toEqual([]);
    expect(result.configs).toEqual([
      { gateway: 'litellm', container: 'litellm', path: 'postgresql://db:5432/litellm', models: [], virtualKeys: [{ fingerprint: fingerprintSecret('litellm', KEY), alias: 'open-webui', models: ['gpt-4o'] }] },
    ]);
    const argv = await read('argv.log');
    expect(argv).toContain(`exec\n-i\n-u\npostgres\n${DB_ID}\npsql\n-X\n-A\n-t\n-q\n-v\nON_ERROR_STOP=1\n-U\nlitellm\n-d\nlitellm\n--\n`);
    expect(await read('psql-stdin')).toBe(gatewayDatabaseQuery({ schema: null, window: WINDOW }));
    expect(await read('pgpassword')).toBe('');
  });

  it('falls back to the URL user with the password on stdin, and no argv ever holds it', async () => {
    const { runner, read } = await harness(shell, 'socket');
    const result = await collectVirtualKeys(runner, ENGINE, containers, [], { window: WINDOW });
    expect(result.configs[0]?.virtualKeys?.map((key) => key.alias)).toEqual(['open-webui']);
    expect(await read('pgpassword')).toBe(PASSWORD);
    expect(await read('psql-stdin')).toBe(gatewayDatabaseQuery({ schema: null, window: WINDOW }));
    expect(await read('argv.log')).not.toContain('Pa55w0rd');
  });

  it('leaves a note without the password when no login works', async () => {
    const { runner } = await harness(shell, 'all');
    const result = await collectVirtualKeys(runner, ENGINE, containers, [], { window: WINDOW });
    expect(result.configs).toEqual([]);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ collector: 'litellm-keys', incomplete: true });
    expect(result.issues[0]!.message).toContain('LiteLLM database not read');
    expect(result.issues[0]!.message).toContain('password authentication failed');
    expect(result.issues[0]!.message).not.toContain('Pa55w0rd');
  });

  it('opens a stored credential with the salt key of the same deployment: the fingerprint of its value, the value only in the vault', async () => {
    const { runner } = await harness(shell, 'none', `${ROW}\n${OPENED}\n${SPEND}`);
    const remembered = new Map<string, string>();
    const result = await collectVirtualKeys(runner, ENGINE, inspected([`LITELLM_SALT_KEY=${SALT}`]), [], { window: WINDOW, keyVault: { remember: (fingerprint, value) => remembered.set(fingerprint, value) } });
    expect(result.secrets).toEqual([
      { fingerprint: fingerprintSecret('openai', PROVIDER_KEY), provider: 'openai', container: 'litellm', source: 'gateway-db', path: 'postgresql://db:5432/litellm', variable: 'credential_list[openai-prod].credential_values.api_key' },
    ]);
    expect(remembered.get(fingerprintSecret('openai', PROVIDER_KEY))).toBe(PROVIDER_KEY);
    expect(JSON.stringify(result)).not.toContain(PROVIDER_KEY);
    expect(result.issues).toEqual([]);
  });

  it('lists a credential it cannot open, without a salt key, as one to rotate with no value fingerprint', async () => {
    const { runner } = await harness(shell, 'none', `${ROW}\n${OPENED}`);
    const result = await collectVirtualKeys(runner, ENGINE, containers, [], { window: WINDOW });
    expect(result.secrets).toHaveLength(1);
    expect(result.secrets[0]).toMatchObject({ provider: 'openai', source: 'gateway-db', container: 'litellm' });
    expect(result.secrets[0]!.fingerprint).toMatch(/^openai:sealed:[0-9a-f]{12}$/);
    expect(result.secrets[0]!.variable).toContain('rotate it');
    expect(result.issues.map((issue) => issue.message).join('\n')).toContain('no LITELLM_SALT_KEY or master key');
  });

  it('turns the spend log aggregates into the gateway\'s traffic by client, with each client\'s virtual keys and models', async () => {
    const { runner } = await harness(shell, 'none', `${ROW}\n${SPEND}`);
    const result = await collectVirtualKeys(runner, ENGINE, containers, [], { window: WINDOW });
    expect(result.traffic).toEqual([
      {
        container: 'litellm',
        source: 'gateway-db',
        window: WINDOW,
        clients: [
          {
            address: '172.20.0.3',
            requests: 3,
            first: '2026-03-24T11:02:00Z',
            last: '2026-03-24T11:40:00Z',
            hours: [{ hour: '2026-03-24T11:00:00Z', requests: 3 }],
            paths: [],
            statuses: [],
            keys: [{ key: fingerprintSecret('litellm', KEY), requests: 3 }],
            models: [{ model: 'gpt-4o', requests: 3 }],
          },
          { address: '10.66.0.23', requests: 1, first: '2026-03-24T12:05:00Z', last: '2026-03-24T12:05:00Z', hours: [{ hour: '2026-03-24T12:00:00Z', requests: 1 }], paths: [], statuses: [], keys: [], models: [] },
        ],
      },
    ]);
  });
});
