/**
 * The lab itself, checked with the system OpenSSH client: every host answers as modelled, the
 * docker stand-in speaks Docker 28, the failure hosts fail the way real ones do, the booby traps
 * are live, and start/stop/sweep leave nothing behind. Needs root (run as root in CI).
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gatewayDatabaseQuery } from '../../electron/collectors/litellm-database-query.js';
import { parseGatewayDatabase } from '../../electron/collectors/litellm-database-parser.js';
import { storedCredentials } from '../../electron/collectors/litellm-stored-credentials.js';
import { LAB_SPEND_LOG, LAB_STORED } from './litellm-postgres.js';
import { PSQL_CALL_LOG } from './psql-call-log.js';
import { shellQuote as quoteSh } from '../../electron/exec/command-runner.js';
import { LAB_HOSTS } from './lab-hosts.js';
import { PLANTED_AWS_KEY_ID, PLANTED_AWS_TEMPORARY, PLANTED_MARKER, PLANTED_SECRETS, type PlantedSecretId } from './planted-secrets.js';
import { sshScript, startLab, sweepStaleLabs, type Lab } from './lab.js';
import { LAB_VIRTUAL_KEYS } from './psql-standin.js';

const execFileAsync = promisify(execFile);
const isRoot = process.getuid?.() === 0;
/** The spend log's window as a scan reads it. */
const WINDOW = { start: '2026-03-24T10:39:00Z', end: '2026-12-31T00:00:00Z' };
/** psql as the collector runs it in the database container. */
const PSQL_ARGS = 'psql -X -A -t -q -v ON_ERROR_STOP=1 -U litellm -d litellm';

let lab: Lab;

function idOf(name: string): string {
  const container = lab.containers[name];
  if (!container) throw new Error(`no container ${name}`);
  return container.id;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A pid that certainly belonged to a process which has exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

// The lab needs root (sshd must setuid and chroot, mknod: e2e/lab/README.md); CI runs as root, so this runs there.
describe.skipIf(!isRoot)('the lab', () => {
  beforeAll(async () => {
    const started = Date.now();
    lab = await startLab();
    console.info(`startLab took ${Date.now() - started} ms (run ${lab.runId})`);
  });

  afterAll(async () => {
    if (!lab) return;
    const started = Date.now();
    await lab.stop();
    console.info(`lab.stop took ${Date.now() - started} ms`);
  });

  afterEach(async () => {
    // Nothing but the trap test may start an interpreter; that test clears its own hits.
    expect(await lab.trippedTraps()).toEqual([]);
  });

  it('answers on every reachable host with its own hostname, os-release, user and trap-first PATH', async () => {
    const script = 'uname -n; id -un; . /etc/os-release; echo "$ID $VERSION_ID"; echo "$PATH"; echo "$BLAST_RADIUS_LAB_HOST"\n';
    const expected: Record<string, string[]> = {
      gw: ['gw', 'root', 'debian 12'],
      ollama: ['ollama', 'lab-blast', 'debian 12'],
      nodocker: ['nodocker', 'lab-blast', 'debian 12'],
      // Debian's busybox runs its own uname applet without a PATH search, so the busybox host reports
      // this machine's name (sshd cannot give a chroot its own UTS namespace; see README).
      alpine: ['alpine', 'lab-blast', 'alpine 3.20.3'],
    };
    await Promise.all(
      Object.entries(expected).map(async ([host, lines]) => {
        const result = await sshScript(lab, host, script);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const out = result.stdout.trim().split('\n');
        expect(out.slice(0, 3)).toEqual(lines);
        expect(out[3]!.startsWith('/usr/local/bin:/usr/bin:')).toBe(true);
        expect(out[4]).toBe(host);
      }),
    );
  });

  it('gives every host its own loopback address in one 127.0.0.0/8 block, and an ssh_config entry for each', async () => {
    const addresses = Object.values(lab.hosts).map((host) => host.address);
    expect(new Set(addresses).size).toBe(LAB_HOSTS.length);
    for (const address of addresses) expect(address).toMatch(/^127\.77\.\d{1,3}\.\d{1,3}$/);
    const config = await readFile(lab.sshConfigPath, 'utf8');
    for (const spec of LAB_HOSTS) expect(config).toContain(`Host ${spec.name}\n    HostName ${lab.hosts[spec.name]!.address}\n`);
    expect(config).toContain('StrictHostKeyChecking yes');
  });

  it('lists the gw containers as full ids, newest first, with docker ps -aq --no-trunc', async () => {
    const result = await sshScript(lab, 'gw', 'docker ps -aq --no-trunc\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `${[idOf('$(touch /tmp/pwned)'), idOf('open-webui'), idOf('litellm'), idOf('ai-gateway-db-1'), idOf('old-litellm'), idOf('watchtower')].join('\n')}\n`,
    );
    const running = await sshScript(lab, 'gw', 'docker ps -q\n');
    expect(running.stdout.trim().split('\n')).toHaveLength(5);
    expect(running.stdout.split('\n')[0]).toHaveLength(12);
  });

  it('prints docker inspect as one JSON array indented like Docker 28, with the expected names and keys', async () => {
    const ids = (await sshScript(lab, 'gw', 'docker ps -aq --no-trunc\n')).stdout.trim().split('\n');
    const result = await sshScript(lab, 'gw', `docker inspect ${ids.join(' ')}\n`);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(parsed.map((c) => c['Name'])).toEqual(['/$(touch /tmp/pwned)', '/open-webui', '/litellm', '/ai-gateway-db-1', '/old-litellm', '/watchtower']);
    // Byte for byte what docker/cli's json.Indent(…, "", "    ") prints, newline-terminated.
    expect(result.stdout).toBe(`${JSON.stringify(parsed, null, 4)}\n`);
    expect(Object.keys(parsed[2]!)).toEqual([
      'Id', 'Created', 'Path', 'Args', 'State', 'Image', 'ResolvConfPath', 'HostnamePath', 'HostsPath', 'LogPath', 'Name',
      'RestartCount', 'Driver', 'Platform', 'MountLabel', 'ProcessLabel', 'AppArmorProfile', 'ExecIDs', 'HostConfig',
      'GraphDriver', 'Mounts', 'Config', 'NetworkSettings',
    ]);
    const litellm = parsed[2] as { Config: { Image: string }; State: { Running: boolean }; GraphDriver: { Data: { MergedDir: string } } };
    expect(litellm.Config.Image).toBe('ghcr.io/berriai/litellm:main-latest');
    expect(litellm.State.Running).toBe(true);
    expect(litellm.GraphDriver.Data.MergedDir).toBe(lab.containers['litellm']!.mergedDir);
  });

  it('answers docker inspect of an unknown id as Docker 28 does: the found ones, then the error, exit 1', async () => {
    const unknown = 'f'.repeat(64);
    const none = await sshScript(lab, 'gw', `docker inspect ${unknown}\n`);
    expect(none).toEqual({ code: 1, stdout: '[]\n', stderr: `Error: No such object: ${unknown}\n` });
    const mixed = await sshScript(lab, 'gw', `docker inspect ${idOf('litellm')} ${unknown}\n`);
    expect(mixed.code).toBe(1);
    expect((JSON.parse(mixed.stdout) as unknown[]).length).toBe(1);
    expect(mixed.stderr).toBe(`Error: No such object: ${unknown}\n`);
  });

  it('answers docker image inspect with ids, tags and repo digests', async () => {
    const inspect = JSON.parse((await sshScript(lab, 'gw', `docker inspect ${idOf('litellm')}\n`)).stdout) as { Image: string }[];
    const result = await sshScript(lab, 'gw', `docker image inspect ${inspect[0]!.Image}\n`);
    expect(result.code).toBe(0);
    const [image] = JSON.parse(result.stdout) as { Id: string; RepoTags: string[]; RepoDigests: string[]; RootFS: { Layers: string[] } }[];
    expect(image!.Id).toBe(inspect[0]!.Image);
    expect(image!.RepoTags).toEqual(['ghcr.io/berriai/litellm:main-latest']);
    expect(image!.RepoDigests[0]).toMatch(/^ghcr\.io\/berriai\/litellm@sha256:[0-9a-f]{64}$/);
    const missing = await sshScript(lab, 'gw', `docker image inspect sha256:${'0'.repeat(64)}\n`);
    expect(missing).toEqual({ code: 1, stdout: '[]\n', stderr: `Error response from daemon: No such image: sha256:${'0'.repeat(64)}\n` });
  });

  it('answers docker history --no-trunc --format {{json .}} with one Docker 28 JSON object a line, newest first', async () => {
    const inspect = JSON.parse((await sshScript(lab, 'gw', `docker inspect ${idOf('litellm')}\n`)).stdout) as { Image: string }[];
    const result = await sshScript(lab, 'gw', `docker history --no-trunc --format '{{json .}}' ${inspect[0]!.Image}\n`);
    expect(result.stderr).toBe('');
    const rows = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(Object.keys(rows[0]!)).toEqual(['Comment', 'CreatedAt', 'CreatedBy', 'CreatedSince', 'ID', 'Size']);
    expect(rows[0]!['ID']).toBe(inspect[0]!.Image);
    expect(result.stdout).toContain('"ID":"\\u003cmissing\\u003e"');
    expect(rows.map((row) => row['CreatedBy'])).toContain('RUN /bin/sh -c pip install PyJWT==2.9.0 --no-cache-dir # buildkit');
    const missing = await sshScript(lab, 'gw', `docker history --no-trunc --format json sha256:${'0'.repeat(64)}\n`);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: `Error response from daemon: No such image: sha256:${'0'.repeat(64)}\n` });
  });

  it('answers docker logs from the engine\'s log store: timestamps on request, since and until inclusive, the lab addresses filled in', async () => {
    const all = await sshScript(lab, 'gw', 'docker logs --timestamps litellm\n');
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')[0]).toBe('2026-03-24T09:58:01.104532118Z INFO:     Started server process [1]');
    expect(all.stdout).toContain(`INFO:     ${lab.hosts.ollama!.address}:55102 - "POST /v1/chat/completions HTTP/1.1" 200 OK`);

    const windowed = await sshScript(lab, 'gw', `docker logs --timestamps --since 2026-03-24T10:41:07.552013880Z --until 2026-03-24T11:02:30.004Z ${idOf('litellm')}\n`);
    const stamps = windowed.stdout.trim().split('\n').map((line) => line.slice(0, 30));
    expect(stamps).toEqual([
      '2026-03-24T10:41:07.552013880Z',
      '2026-03-24T10:41:09.118840211Z',
      '2026-03-24T10:41:09.119002765Z',
      '2026-03-24T10:41:11.870420091Z',
    ]);
    const bare = await sshScript(lab, 'gw', 'docker container logs --since 2026-03-24T13:00:00Z litellm\n');
    expect(bare.stdout).toBe('INFO:     127.0.0.1:38110 - "GET /health/liveliness HTTP/1.1" 200 OK\n');
    expect(await sshScript(lab, 'gw', 'docker logs watchtower\n')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await sshScript(lab, 'gw', 'docker logs nosuch\n')).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: No such container: nosuch\n' });
  });

  it('keeps the compose file the gw containers\' labels name on the host, and mounts the Docker socket into watchtower', async () => {
    const result = await sshScript(lab, 'gw', 'head -c 262144 /srv/ai-gateway/compose.yaml\n');
    expect(result.stdout).toContain('    image: ghcr.io/berriai/litellm:main-latest\n');
    const [watchtower] = JSON.parse((await sshScript(lab, 'gw', 'docker inspect watchtower\n')).stdout) as { Config: { Image: string }; Mounts: { Source: string }[] }[];
    expect(watchtower!.Config.Image).toBe('containrrr/watchtower');
    expect(watchtower!.Mounts.map((mount) => mount.Source)).toEqual(['/var/run/docker.sock']);
  });

  it('runs docker exec -i <id> sh -s inside the container root, where litellm 1.82.8 and its .pth are', async () => {
    const script = [
      'cat /usr/local/lib/python3.11/site-packages/litellm-1.82.8.dist-info/METADATA | head -n 3',
      'cat /usr/local/lib/python3.11/site-packages/litellm_init.pth',
      'uname -n; cat /etc/hostname',
      '',
    ].join('\n');
    const outer = `docker exec -i ${idOf('litellm')} sh -s <<'LAB_EOF'\n${script}LAB_EOF\n`;
    const result = await sshScript(lab, 'gw', outer);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Name: litellm\nVersion: 1.82.8\n');
    expect(result.stdout).toMatch(/^import os; os\.system\("true"\)/m);
    expect(result.stdout).toContain(`${idOf('litellm').slice(0, 12)}\n`);
  });

  it('answers the read-only database read with a real PostgreSQL through psql in the database container, logs it, and the server refuses a write', async () => {
    const read = `printf '%s' ${quoteSh(gatewayDatabaseQuery({ schema: null, window: WINDOW }))} | docker exec -i -u postgres ${idOf('ai-gateway-db-1')} ${PSQL_ARGS}\n`;
    const answered = await sshScript(lab, 'gw', read);
    expect(answered.stderr).toBe('');
    const rows = parseGatewayDatabase(answered.stdout);
    const virtual = PLANTED_SECRETS['litellm-virtual'].value;
    expect(rows.keys.keys.map((key) => key.alias)).toEqual(LAB_VIRTUAL_KEYS.map((key) => key.alias));
    expect(rows.keys.keys[0]!.fingerprint).toBe(`litellm:${createHash('sha256').update(virtual).digest('hex').slice(0, 12)}:${virtual.slice(-4)}`);
    expect(rows.credentials.map((row) => row.name)).toEqual([LAB_STORED.credential]);
    // Aggregated by the server over the window: the two requests before it are not counted.
    const webui = rows.spendHours.filter((hour) => hour.address === LAB_SPEND_LOG.openWebui.address);
    expect(webui.reduce((sum, hour) => sum + hour.requests, 0)).toBe(LAB_SPEND_LOG.openWebui.inWindow);
    expect(answered.stdout).not.toContain('a prompt the scan must never read');

    for (const sql of ['SET default_transaction_read_only = on;\nDELETE FROM "LiteLLM_VerificationToken";', 'SET default_transaction_read_only = on;\nUPDATE "LiteLLM_VerificationToken" SET blocked = true;']) {
      const refused = await sshScript(lab, 'gw', `printf '%s' ${quoteSh(sql)} | docker exec -i -u postgres ${idOf('ai-gateway-db-1')} ${PSQL_ARGS}\n`);
      expect(refused.code, sql).toBe(3);
      expect(refused.stderr, sql).toContain('read-only transaction');
    }
    const log = await readFile(path.join(lab.containers['ai-gateway-db-1']!.root, PSQL_CALL_LOG.slice(1)), 'utf8');
    expect(log).toContain('argv [-d]\nargv [litellm]\npgpassword unset\nstdin\nSET default_transaction_read_only = on;\n');
  });

  it('refuses docker exec into the stopped container with Docker\'s not-running error', async () => {
    const id = idOf('old-litellm');
    const result = await sshScript(lab, 'gw', `docker exec -i ${id} sh -s </dev/null\n`);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `Error response from daemon: container ${id} is not running\n` });
  });

  it('keeps running containers readable at their MergedDir from the gw host, and a stopped one\'s MergedDir empty', async () => {
    const { mergedDir } = lab.containers['open-webui']!;
    const result = await sshScript(lab, 'gw', `head -n 3 '${mergedDir}/usr/local/lib/python3.11/site-packages/litellm-1.83.0.dist-info/METADATA'; ls -A '${lab.containers['old-litellm']!.mergedDir}' | wc -l\n`);
    expect(result.stdout).toBe('Metadata-Version: 2.1\nName: litellm\nVersion: 1.83.0\n0\n');
  });

  it('treats the container named $(touch /tmp/pwned) as data through ps, inspect and exec', async () => {
    const id = idOf('$(touch /tmp/pwned)');
    const result = await sshScript(lab, 'gw', `docker inspect ${id} >/dev/null && echo 'ls /usr/lib/python3.12/site-packages' | docker exec -i ${id} sh -s\n`);
    expect(result.stdout).toContain('requests-2.32.3.dist-info');
    expect(await lab.whereExists('/tmp/pwned')).toEqual([]);
  });

  it('makes docker on nodocker fail with Docker\'s permission-denied text, and sudo -n want a password', async () => {
    const result = await sshScript(lab, 'nodocker', 'command -v docker; docker ps -aq --no-trunc; echo "exit $?"; sudo -n docker ps -aq; echo "exit $?"\n');
    expect(result.stdout).toBe('/usr/bin/docker\nexit 1\nexit 1\n');
    expect(result.stderr).toBe(
      'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.51/containers/json?all=1": dial unix /var/run/docker.sock: connect: permission denied\n' +
        'sudo: a password is required\n',
    );
  });

  it('keeps litellm 1.82.7 in the nodocker user site, owned by the user', async () => {
    const result = await sshScript(lab, 'nodocker', 'ls -ld ~/.local/lib/python3.11/site-packages/litellm-1.82.7.dist-info | awk \'{print $3}\'; sed -n 2,3p ~/.local/lib/python3.11/site-packages/litellm-1.82.7.dist-info/METADATA\n');
    expect(result.stdout).toBe('lab-blast\nName: litellm\nVersion: 1.82.7\n');
  });

  it('has no docker on ollama, and a virtualenv marked by pyvenv.cfg', async () => {
    const result = await sshScript(lab, 'ollama', 'command -v docker || echo none; find /opt -name pyvenv.cfg; find /opt/ollama-tools/venv -name METADATA | wc -l\n');
    expect(result.stdout).toBe('none\n/opt/ollama-tools/venv/pyvenv.cfg\n6\n');
  });

  it('runs collector-style scripts on the busybox-only alpine host, egg-info included', async () => {
    const script = [
      'readlink -f /bin/sh',
      'test -e /usr/bin/dash || test -e /bin/bash || echo "no dash, no bash"',
      "find /usr/lib/python3.12/site-packages -maxdepth 2 \\( -name METADATA -o -name PKG-INFO \\) | sort | awk -F/ '{print $(NF-1)}'",
      "sed -n 's/^Version: //p' /usr/lib/python3.12/site-packages/six-1.16.0-py3.12.egg-info/PKG-INFO | head -n 1",
      '',
    ].join('\n');
    const result = await sshScript(lab, 'alpine', script);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      '/bin/busybox\nno dash, no bash\nPyYAML-6.0.1.dist-info\nrequests-2.32.3.dist-info\nsix-1.16.0-py3.12.egg-info\nurllib3-2.2.2.dist-info\n1.16.0\n',
    );
  });

  it('refuses connections to the unreachable host', async () => {
    const result = await sshScript(lab, 'unreachable', 'true\n');
    expect(result.code).toBe(255);
    expect(result.stderr).toContain('Connection refused');
  });

  it('fails host-key verification on wrongkey, whose sshd is up but offers another key', async () => {
    const result = await sshScript(lab, 'wrongkey', 'true\n');
    expect(result.code).toBe(255);
    expect(result.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
    expect(result.stderr).toContain('Host key verification failed.');
    const known = await readFile(lab.knownHostsPath, 'utf8');
    const wrongkey = lab.hosts['wrongkey']!;
    expect(known).toContain(`[${wrongkey.address}]:${wrongkey.port} ssh-ed25519 `);
  });

  it('records a trap hit when python3, pip or a venv interpreter runs, on hosts and in containers', async () => {
    const host = await sshScript(lab, 'ollama', 'python3 -c 1; echo "exit $?"; /opt/ollama-tools/venv/bin/pip list; pip3 --version\n');
    expect(host.stdout).toBe('exit 1\n');
    await sshScript(lab, 'gw', `echo 'python3.11 -m site' | docker exec -i ${idOf('litellm')} sh -s\n`);
    await sshScript(lab, 'alpine', 'python3 -V\n');

    const hits = await lab.trippedTraps();
    expect(hits.map((hit) => `${hit.host}:${hit.container ?? '-'} ${hit.line}`).sort()).toEqual([
      'alpine:- /usr/local/bin/python3 -V',
      'gw:litellm /usr/local/bin/python3.11 -m site',
      'ollama:- /opt/ollama-tools/venv/bin/python3 /opt/ollama-tools/venv/bin/pip list',
      'ollama:- /usr/local/bin/pip3 --version',
      'ollama:- /usr/local/bin/python3 -c 1',
    ]);
    await lab.clearTraps();
    expect(await lab.trippedTraps()).toEqual([]);
  });

  it('plants every fake secret in its provider\'s shape, with the marker, in each place planted-secrets.ts lists', async () => {
    const shapes: Record<PlantedSecretId, RegExp> = {
      openai: /^sk-proj-[A-Za-z0-9_-]{40,}$/,
      anthropic: /^sk-ant-api03-[A-Za-z0-9_-]{91}AA$/,
      groq: /^gsk_[A-Za-z0-9]{52}$/,
      huggingface: /^hf_[A-Za-z]{34}$/,
      github: /^ghp_[A-Za-z0-9]{36}$/,
      aws: /^[A-Za-z0-9/+]{40}$/,
      'aws-temp': /^[A-Za-z0-9/+]{40}$/,
      'gcp-service-account': /^BRLAB[0-9a-f]{35}$/,
      'azure-refresh': /^0\.A[A-Za-z0-9_-]{200,}$/,
      'stack-xai': /^xai-[A-Za-z0-9]{80}$/,
      'litellm-master': /^sk-[A-Za-z0-9_-]{22}$/,
      'litellm-virtual': /^sk-[A-Za-z0-9_-]{22}$/,
      postgres: /^[A-Za-z0-9]{16,}$/,
      'db-openai': /^sk-proj-[A-Za-z0-9_-]{40,}$/,
    };
    expect(PLANTED_AWS_KEY_ID).toMatch(/^AKIA[A-Z2-7]{16}$/);
    for (const secret of Object.values(PLANTED_SECRETS)) {
      expect(secret.value, secret.id).toMatch(shapes[secret.id]);
      expect(secret.value, secret.id).toContain(PLANTED_MARKER);
      for (const location of secret.locations) {
        const where = `${secret.id} in ${location.host}:${location.container ?? '-'}:${location.path ?? location.variable}`;
        let text: string;
        if (location.source === 'gateway-db') {
          // Stored encrypted in the lab's PostgreSQL: read back through the db container's psql and opened with the master key.
          const answered = await sshScript(lab, location.host, `printf '%s' ${quoteSh(gatewayDatabaseQuery({ schema: null, window: WINDOW }))} | docker exec -i -u postgres ${idOf('ai-gateway-db-1')} ${PSQL_ARGS}\n`);
          text = storedCredentials(parseGatewayDatabase(answered.stdout), PLANTED_SECRETS['litellm-master'].value, { container: 'litellm', path: 'db' }).text ?? '';
        } else if (location.source === 'container-env') {
          const [inspect] = JSON.parse((await sshScript(lab, location.host, `docker inspect ${idOf(location.container!)}\n`)).stdout) as { Config: { Env: string[] } }[];
          text = inspect!.Config.Env.filter((entry) => entry.startsWith(`${location.variable}=`)).join('\n');
        } else {
          const read = location.container ? `docker exec -i ${idOf(location.container)} cat ${location.path}\n` : `cat ${location.path}\n`;
          text = (await sshScript(lab, location.host, read)).stdout;
        }
        expect(text, where).toContain(secret.value);
      }
    }
    // The one GitHub checks: the last 6 characters are the CRC32 of the 30 before, in base62.
    const github = PLANTED_SECRETS.github.value;
    const crc = crc32(github.slice(4, 34));
    const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const decoded = [...github.slice(34)].reduce((sum, char) => sum * 62 + base62.indexOf(char), 0);
    expect(decoded).toBe(crc);
  });

  it('writes the gateway config, compose .env, tunnel unit, consumer .env files and the lateral key pair where the topology needs them', async () => {
    const gw = lab.hosts['gw']!;
    const ollama = lab.hosts['ollama']!;
    const config = (await sshScript(lab, 'gw', `docker exec -i ${idOf('litellm')} cat /app/config.yaml\n`)).stdout;
    expect(config).toContain(`api_base: http://${ollama.address}:11434`);
    expect(config).toContain('api_key: os.environ/OPENAI_API_KEY');
    expect((await sshScript(lab, 'gw', 'cat /srv/ai-gateway/compose.yaml\n')).stdout).toMatch(/litellm:\n(?: {4}.*\n)*? {4}env_file: \.env\n/);
    const webui = (JSON.parse((await sshScript(lab, 'gw', 'docker inspect open-webui\n')).stdout) as { Config: { Env: string[] } }[])[0]!;
    expect(webui.Config.Env).toContain('OPENAI_API_BASE_URL=http://litellm:4000/v1');
    expect((await sshScript(lab, 'ollama', 'cat /opt/chat-app/.env\n')).stdout).toContain(`OPENAI_BASE_URL=http://${gw.address}:4000/v1`);
    const nodocker = await sshScript(lab, 'nodocker', 'cat ~/.config/systemd/user/llm-tunnel.service ~/projects/agent/.env ~/.ssh/config\n');
    expect(nodocker.stdout).toContain('ExecStart=/usr/bin/autossh -M 0 -N -L 14000:localhost:4000 gw\n');
    expect(nodocker.stdout).toContain('OPENAI_BASE_URL=http://localhost:14000/v1');
    expect(nodocker.stdout).toContain(`Host gw\n    HostName ${gw.address}\n`);

    const key = lab.lateralKey!;
    const fingerprint = await execFileAsync('ssh-keygen', ['-lf', path.join(lab.rootOf('nodocker'), 'home/lab-blast/.ssh/id_ed25519')]);
    expect(fingerprint.stdout).toContain(key.fingerprint);
    expect((await sshScript(lab, 'ollama', 'cat ~/.ssh/authorized_keys\n')).stdout).toBe(`${key.publicKey}\n`);
    expect((await sshScript(lab, 'nodocker', 'stat -c %a ~/.ssh/id_ed25519 ~/.aws/credentials\n')).stdout).toBe('600\n600\n');
  });

  it('writes /proc/net files in the kernel\'s formats, naming the hosts\' lab addresses and each running container\'s sockets', async () => {
    const hexAddress = (address: string) => address.split('.').reverse().map((octet) => Number(octet).toString(16).toUpperCase().padStart(2, '0')).join('');
    const gw = lab.hosts['gw']!;
    const ollama = lab.hosts['ollama']!;
    const host = await sshScript(lab, 'gw', 'cat /proc/net/tcp; echo ==; cat /proc/net/fib_trie; echo ==; cat /proc/net/if_inet6\n');
    const [tcp, fib, inet6] = host.stdout.split('==\n') as [string, string, string];
    const rows = tcp.trimEnd().split('\n');
    for (const row of tcp.split('\n').slice(0, -1)) expect(row).toHaveLength(149);
    expect(rows[0]!.trim()).toBe('sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode');
    expect(tcp).toMatch(/^ +\d+: 00000000:0FA0 00000000:0000 0A /m);
    expect(tcp).toMatch(new RegExp(`^ +\\d+: ${hexAddress(gw.address)}:0FA0 ${hexAddress(ollama.address)}:[0-9A-F]{4} 01 `, 'm'));
    expect(fib).toContain(`|-- ${gw.address}\n              /32 host LOCAL\n`);
    expect(inet6).toMatch(/^00000000000000000000000000000001 01 80 10 80 +lo$/m);

    const inContainer = async (name: string) => {
      const [inspect] = JSON.parse((await sshScript(lab, 'gw', `docker inspect ${idOf(name)}\n`)).stdout) as { State: { Pid: number } }[];
      return (await sshScript(lab, 'gw', `cat /proc/${inspect!.State.Pid}/net/tcp\n`)).stdout;
    };
    const litellm = await inContainer('litellm');
    expect(litellm).toMatch(/^ +\d+: 00000000:0FA0 00000000:0000 0A /m);
    // open-webui (172.20.0.3) connected to litellm (172.20.0.2) on 4000.
    expect(litellm).toMatch(/^ +\d+: 020014AC:0FA0 030014AC:[0-9A-F]{4} 01 /m);
    expect(await inContainer('open-webui')).toMatch(/^ +\d+: 030014AC:[0-9A-F]{4} 020014AC:0FA0 01 /m);
    expect((await sshScript(lab, 'nodocker', 'cat /proc/net/fib_trie\n')).stdout).toContain(`|-- ${lab.hosts['nodocker']!.address}\n              /32 host LOCAL\n`);
  });

  it('takes a planted secret out of every place with removePlantedSecret, the replayed inspect output included', async () => {
    const { openai, aws } = PLANTED_SECRETS;
    const holders = async (value: string) => (await execFileAsync('grep', ['-rlF', '--', value, path.join(lab.runDir, 'hosts')]).catch(() => ({ stdout: '' }))).stdout.trim().split('\n').filter(Boolean).sort();
    expect(await holders(openai.value)).toEqual(lab.plantedPlaces('openai').map((place) => place.realPath).sort());
    expect(lab.plantedPlaces('openai').map((place) => `${place.host}:${place.container}:${place.format}`).sort()).toEqual(['gw:litellm:docker-inspect', 'gw:null:lines']);

    await lab.removePlantedSecret('openai');
    await lab.removePlantedSecret('aws');

    expect(await holders(openai.value)).toEqual([]);
    expect(await holders(aws.value)).toEqual([]);
    expect(await holders(PLANTED_AWS_KEY_ID)).toEqual([]);
    const inspect = await sshScript(lab, 'gw', 'docker inspect litellm\n');
    const [litellm] = JSON.parse(inspect.stdout) as { Config: { Env: string[] } }[];
    expect(inspect.stdout).toBe(`${JSON.stringify(JSON.parse(inspect.stdout), null, 4)}\n`);
    expect(litellm!.Config.Env.some((entry) => entry.startsWith('OPENAI_API_KEY='))).toBe(false);
    expect(litellm!.Config.Env).toContain(`ANTHROPIC_API_KEY=${PLANTED_SECRETS.anthropic.value}`);
    expect((await sshScript(lab, 'gw', 'cat /srv/ai-gateway/.env\n')).stdout).toContain('LITELLM_LOG=INFO');
    // Only the default profile's key went: the temporary credentials of the other profile stay.
    const { keyId, sessionToken } = PLANTED_AWS_TEMPORARY;
    expect((await sshScript(lab, 'nodocker', 'cat ~/.aws/credentials\n')).stdout).toBe(
      `[default]\nregion = eu-central-1\n\n[ci-deploy]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${PLANTED_SECRETS['aws-temp'].value}\naws_session_token = ${sessionToken}\n`,
    );
    expect(lab.plantedPlaces('openai')).toEqual([]);
  });

  it('lets a test change a host between scans with writeFile and removeFile', async () => {
    const file = '/home/lab-blast/.local/lib/python3.11/site-packages/extra-1.0.dist-info/METADATA';
    await lab.writeFile('nodocker', file, 'Metadata-Version: 2.1\nName: extra\nVersion: 1.0\n');
    expect((await sshScript(lab, 'nodocker', `sed -n 3p ${file}; ls -l ${file} | awk '{print $3}'\n`)).stdout).toBe('Version: 1.0\nlab-blast\n');
    await lab.removeFile('nodocker', path.dirname(file));
    expect((await sshScript(lab, 'nodocker', `test -e ${file} || echo gone\n`)).stdout).toBe('gone\n');

    await lab.removeFile('gw', '/usr/local/lib/python3.11/site-packages/litellm_init.pth', { container: 'litellm' });
    const after = await sshScript(lab, 'gw', `echo 'ls /usr/local/lib/python3.11/site-packages' | docker exec -i ${idOf('litellm')} sh -s\n`);
    expect(after.stdout).not.toContain('litellm_init.pth');
    await lab.writeFile('gw', '/usr/local/lib/python3.11/site-packages/litellm_init.pth', 'import os; os.system("true")\n', { container: 'litellm' });
  });

  it('sweeps a lab whose owner died (sshd killed, folder removed) and keeps live labs', async () => {
    const orphan = await startLab({ only: ['alpine'] });
    const pid = Number((await readFile(path.join(orphan.runDir, 'sshd', 'alpine', 'sshd.pid'), 'utf8')).trim());
    expect(pidAlive(pid)).toBe(true);
    await writeFile(path.join(orphan.runDir, 'owner.json'), JSON.stringify({ pid: await deadPid(), startTime: '1' }));

    const swept = await sweepStaleLabs();

    expect(swept.runs).toContain(orphan.runId);
    expect(swept.runs).not.toContain(lab.runId);
    expect(pidAlive(pid)).toBe(false);
    expect(existsSync(orphan.runDir)).toBe(false);
    expect((await sshScript(lab, 'gw', 'echo alive\n')).stdout).toBe('alive\n');
  });

  it('stops cleanly: sshds gone, chroots removed, port refused', async () => {
    const small = await startLab({ only: ['alpine', 'wrongkey'] });
    expect((await sshScript(small, 'alpine', 'echo up\n')).stdout).toBe('up\n');
    await small.stop();
    expect(existsSync(small.runDir)).toBe(false);
    const net = await import('node:net');
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: small.hosts['alpine']!.address, port: small.hosts['alpine']!.port });
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});

describe('lab.removeContainer and lab.setContainerEnv', () => {
  let gwOnly: Lab;
  beforeAll(async () => {
    gwOnly = await startLab({ only: ['gw'] });
  }, 120_000);
  afterAll(async () => {
    await gwOnly?.stop();
  });

  it('takes a container out as docker rm -f would: gone from ps and inspect, its published port closed, the others kept', async () => {
    const litellmId = gwOnly.containers['litellm']!.id;
    const before = (await sshScript(gwOnly, 'gw', 'docker ps -aq --no-trunc\n')).stdout;
    expect(before).toContain(litellmId);

    await gwOnly.removeContainer('gw', 'litellm');
    await gwOnly.removeContainer('gw', 'ai-gateway-db-1');

    const after = (await sshScript(gwOnly, 'gw', 'docker ps -aq --no-trunc\n')).stdout.trim().split('\n');
    expect(after).not.toContain(litellmId);
    expect(after).toHaveLength(before.trim().split('\n').length - 2);
    const inspect = await sshScript(gwOnly, 'gw', 'docker inspect litellm\n');
    expect(inspect.stderr).toContain('Error: No such object: litellm');
    // 0FA0 is port 4000: docker-proxy's listener and the connection from ollama went with the container.
    const hostTcp = (await sshScript(gwOnly, 'gw', 'cat /proc/net/tcp\n')).stdout;
    expect(hostTcp).not.toMatch(/:0FA0 /);
    expect(hostTcp.split('\n').length).toBeGreaterThan(1);
    expect((await sshScript(gwOnly, 'gw', 'docker inspect open-webui >/dev/null && echo kept\n')).stdout).toBe('kept\n');
    expect(gwOnly.containers['litellm']).toBeUndefined();
  });

  it('recreates a container with its environment edited: the variable given null gone, the one given a value set once', async () => {
    await gwOnly.setContainerEnv('gw', 'open-webui', { OPENAI_API_BASE_URL: null, OLLAMA_BASE_URL: 'http://ollama:11434' });

    const env = JSON.parse((await sshScript(gwOnly, 'gw', 'docker inspect open-webui\n')).stdout)[0].Config.Env as string[];
    expect(env.filter((entry) => entry.startsWith('OPENAI_API_BASE_URL='))).toEqual([]);
    expect(env.filter((entry) => entry.startsWith('OLLAMA_BASE_URL='))).toEqual(['OLLAMA_BASE_URL=http://ollama:11434']);
    expect(env).toContain('PORT=8080');
  });
});
