import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintSecret } from '../readers/secrets/fingerprint.js';
import { parseContainerInspect } from './docker-parser.js';
import { hermeticRunner, quote, SHELLS, tempDir, writeExecutable, writeTree } from './fixtures/shell-harness.js';
import { collectVirtualKeys, virtualKeysScript } from './litellm-keys.js';
import { virtualKeysQuery } from './litellm-keys-parser.js';

const ENGINE = { engine: 'docker', access: 'direct' } as const;
const GATEWAY_ID = '1'.repeat(64);
const DB_ID = '2'.repeat(64);
const PASSWORD = "pg-Pa55w0rd'with$(touch /tmp/x)`quotes`";
const KEY = 'sk-Zq3vN8rT0aLw5yXc1bMd7e';
const ROW = `{"token": "${createHash('sha256').update(KEY).digest('hex')}", "models": ["gpt-4o"], "blocked": null, "expires": null, "team_id": null, "user_id": null, "key_name": "sk-...${KEY.slice(-4)}", "key_alias": "open-webui"}`;

const containers = parseContainerInspect(
  JSON.stringify([
    {
      Id: GATEWAY_ID,
      Name: '/litellm',
      State: { Status: 'running', Running: true, Pid: 10 },
      Config: { Image: 'ghcr.io/berriai/litellm:main-latest', Env: [`DATABASE_URL=postgresql://litellm:${encodeURIComponent(PASSWORD)}@db:5432/litellm`] },
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

/**
 * A `docker` stand-in that logs every argv (one word a line), runs `exec`'s command with a `psql`
 * that logs its argv, stdin and PGPASSWORD and prints ROW; `refuse` makes the socket login (or every login) fail.
 */
async function harness(shell: (typeof SHELLS)[number], refuse: 'none' | 'socket' | 'all') {
  const dir = await tempDir();
  const bin = join(dir, 'fake-bin');
  const psqlBin = join(dir, 'psql-bin');
  await writeTree(dir, 'row.txt', `${ROW}\n`);
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
    const script = virtualKeysScript({ boundary: `BR${'0'.repeat(32)}`, engine: ENGINE, containerId: DB_ID, database: 'litellm', schema: null, login: { kind: 'password', user: 'litellm', password: PASSWORD } });
    const command = script.split('\n').find((line) => line.includes(' exec -i '))!;
    expect(command).toBe(`printf '%s\\n%s' "$P" "$Q" | docker exec -i '${DB_ID}' sh -c 'IFS= read -r PGPASSWORD || exit 2; export PGPASSWORD; exec psql -X -A -t -q -v ON_ERROR_STOP=1 -U '\\''litellm'\\'' -d '\\''litellm'\\'''`);
    expect(command).not.toContain('Pa55w0rd');
  });

  it('refuses names that are not plain and a password that cannot travel on one line', () => {
    const base = { boundary: `BR${'0'.repeat(32)}`, engine: ENGINE, containerId: DB_ID, schema: null } as const;
    expect(() => virtualKeysScript({ ...base, database: 'litellm; rm -rf /', login: { kind: 'socket', role: 'postgres' } })).toThrow();
    expect(() => virtualKeysScript({ ...base, database: 'litellm', login: { kind: 'password', user: 'litellm', password: 'a\nb' } })).toThrow();
  });
});

describe.each(SHELLS)('collectVirtualKeys under $name', (shell) => {
  it('reads the keys as the local superuser over the socket, with no password anywhere', async () => {
    const { runner, read } = await harness(shell, 'none');
    const result = await collectVirtualKeys(runner, ENGINE, containers, [], undefined);
    expect(result.issues).toEqual([]);
    expect(result.configs).toEqual([
      { gateway: 'litellm', container: 'litellm', path: 'postgresql://db:5432/litellm', models: [], virtualKeys: [{ fingerprint: fingerprintSecret('litellm', KEY), alias: 'open-webui', models: ['gpt-4o'] }] },
    ]);
    const argv = await read('argv.log');
    expect(argv).toContain(`exec\n-i\n-u\npostgres\n${DB_ID}\npsql\n-X\n-A\n-t\n-q\n-v\nON_ERROR_STOP=1\n-U\nlitellm\n-d\nlitellm\n--\n`);
    expect(await read('psql-stdin')).toBe(virtualKeysQuery(null));
    expect(await read('pgpassword')).toBe('');
  });

  it('falls back to the URL user with the password on stdin, and no argv ever holds it', async () => {
    const { runner, read } = await harness(shell, 'socket');
    const result = await collectVirtualKeys(runner, ENGINE, containers, [], undefined);
    expect(result.configs[0]?.virtualKeys?.map((key) => key.alias)).toEqual(['open-webui']);
    expect(await read('pgpassword')).toBe(PASSWORD);
    expect(await read('psql-stdin')).toBe(virtualKeysQuery(null));
    expect(await read('argv.log')).not.toContain('Pa55w0rd');
  });

  it('leaves a note without the password when no login works', async () => {
    const { runner } = await harness(shell, 'all');
    const result = await collectVirtualKeys(runner, ENGINE, containers, [], undefined);
    expect(result.configs).toEqual([]);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ collector: 'litellm-keys', incomplete: true });
    expect(result.issues[0]!.message).toContain('LiteLLM virtual keys not read');
    expect(result.issues[0]!.message).toContain('password authentication failed');
    expect(result.issues[0]!.message).not.toContain('Pa55w0rd');
  });
});
