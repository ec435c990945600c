/**
 * Integration tests against real sshd processes on loopback (e2e/lab/sshd.ts). Needs root and
 * openssh-server. Each test writes its known_hosts and keys into its own temp folder.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort, generateClientKey, startSshd, type ClientKey, type SshdHandle } from '../../e2e/lab/sshd.js';
import { CommandTimeoutError, shellQuote } from '../exec/command-runner.js';
import type { ResolvedHostConfig } from './ssh-config.js';
import { SshConnectError } from './connect-error.js';
import { openSshSession, type OpenSshSessionOptions, type SshSession } from './ssh-session.js';

// Addresses 127.0.0.40-49 belong to this file, so it can run beside other lab-based test files.
const ADDRESS = '127.0.0.40';
const JUMP_ADDRESS = '127.0.0.41';
const TARGET_ADDRESS = '127.0.0.42';
const SPARE_ADDRESS = '127.0.0.43';

let root: string;
let client: ClientKey;
let encrypted: ClientKey;
let host: SshdHandle;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ssh-session-'));
  client = await generateClientKey(path.join(root, 'client'));
  encrypted = await generateClientKey(path.join(root, 'client'), { name: 'id_encrypted', passphrase: 'correct horse' });
  host = await startSshd({
    address: ADDRESS,
    user: 'root',
    authorizedKeys: [client.publicKey, encrypted.publicKey],
    maxSessions: 10,
    stateDir: path.join(root, 'host'),
  });
  cleanups.push(() => host.stop());
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** A folder for one test's files. */
async function testDir(): Promise<string> {
  return mkdtemp(path.join(root, 'case-'));
}

/** A known_hosts file holding the given lines. */
async function knownHosts(...lines: string[]): Promise<string> {
  const file = path.join(await testDir(), 'known_hosts');
  await writeFile(file, lines.map((line) => `${line}\n`).join(''));
  return file;
}

/** Connection settings for a lab host, as ssh-config would resolve them. */
function hostConfig(lab: SshdHandle, overrides: Partial<ResolvedHostConfig> = {}): ResolvedHostConfig {
  return {
    alias: `lab-${lab.address}`,
    hostName: lab.address,
    port: lab.port,
    user: 'root',
    identityFiles: [client.privateKeyPath],
    identitiesOnly: false,
    proxyJump: [],
    userKnownHostsFiles: [],
    globalKnownHostsFiles: [],
    strictHostKeyChecking: 'ask',
    connectTimeoutMs: null,
    proxyCommand: null,
    hashKnownHosts: false,
    ...overrides,
  };
}

async function open(options: Partial<OpenSshSessionOptions> & { host: ResolvedHostConfig }): Promise<SshSession> {
  const session = await openSshSession({ agentSocket: null, hostKeyPolicy: 'strict', ...options });
  cleanups.push(() => session.close());
  return session;
}

/** A session to the shared host, trusting its key. */
async function trustedSession(overrides: Partial<OpenSshSessionOptions> = {}): Promise<SshSession> {
  return open({ host: hostConfig(host, { userKnownHostsFiles: [await knownHosts(host.knownHostsLine)] }), ...overrides });
}

async function connectError(options: Partial<OpenSshSessionOptions> & { host: ResolvedHostConfig }): Promise<SshConnectError> {
  const error = await open(options).then(
    () => new Error('connected, but a failure was expected'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SshConnectError);
  return error as SshConnectError;
}


/** Pids of processes whose environment holds `marker` (how a remote script is found on this machine). */
async function pidsWithEnvironment(marker: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const environ = await readFile(`/proc/${name}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(marker)) pids.push(Number(name));
  }
  return pids;
}

/** Adds a key to the agent at `socket`; false when the agent refused or was not listening yet. */
function addToAgent(privateKeyPath: string, socket: string): boolean {
  try {
    execFileSync('ssh-add', [privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('runScript', () => {
  test('returns stdout, stderr and the exit code', async () => {
    const session = await trustedSession();

    const result = await session.runScript('echo hello\necho oops >&2\nexit 3\n');

    expect(result).toEqual({ stdout: Buffer.from('hello\n'), stderr: 'oops\n', exitCode: 3, truncated: false });
  });

  test('feeds the script to sh -s on stdin, so a hostile value stays inert data', async () => {
    const session = await trustedSession();
    const marker = path.join(await testDir(), 'pwned');
    const value = `$(touch ${marker})\`touch ${marker}\`; touch ${marker}`;

    const result = await session.runScript(`printf '%s\\n' ${shellQuote(value)}\ntr '\\0' ' ' < /proc/$$/cmdline\n`);

    expect(result.stdout.toString()).toBe(`${value}\nsh -s `);
    expect(existsSync(marker)).toBe(false);
  });

  test('runs 12 concurrent scripts on one connection despite MaxSessions 10', async () => {
    const session = await trustedSession();

    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) => session.runScript(`sleep 1\necho ${index}\n`)),
    );

    expect(results.map((result) => result.stdout.toString().trim())).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
  });

  test("a channel limit above the server's MaxSessions falls back to what the server allows instead of failing scripts", async () => {
    const session = await trustedSession({ maxConcurrentChannels: 12 });

    // sshd refuses the 11th session ("open failed"); those scripts wait for a channel to end and run then.
    const results = await Promise.all(Array.from({ length: 12 }, (_, index) => session.runScript(`sleep 1\necho ${index}\n`)));

    expect(results.map((result) => result.stdout.toString().trim())).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
  });

  test('cuts stdout at maxOutputBytes and marks it truncated', async () => {
    const session = await trustedSession();

    const result = await session.runScript('head -c 5000000 /dev/zero\n', { maxOutputBytes: 1000 });

    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBe(1000);
    expect((await session.runScript('echo still usable\n')).stdout.toString()).toBe('still usable\n');
  });

  test('times out a sleep 30 with CommandTimeoutError and kills it on the host', async () => {
    const session = await trustedSession();
    const marker = `BR_TIMEOUT_TEST=${process.pid}-${Date.now()}`;
    const started = Date.now();

    const run = session.runScript(`exec env ${marker} sleep 30\n`, { timeoutMs: 800 });

    await expect(run).rejects.toBeInstanceOf(CommandTimeoutError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await waitFor(async () => (await pidsWithEnvironment(marker)).length === 0, 5_000)).toBe(true);
    expect((await session.runScript('echo next\n')).exitCode).toBe(0);
  });

  test('stops a script when its AbortSignal fires', async () => {
    const session = await trustedSession();
    const controller = new AbortController();

    const run = session.runScript('sleep 30\n', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('scan cancelled')), 200);

    await expect(run).rejects.toThrow('scan cancelled');
  });

  test('rejects scripts after the session is closed', async () => {
    const session = await trustedSession();
    await session.close();

    await expect(session.runScript('true\n')).rejects.toThrow(/closed/);
  });
});

describe('host key verification', () => {
  test('refuses a changed host key, naming the expected and offered fingerprints', async () => {
    const other = await generateClientKey(await testDir(), { name: 'other' });
    const otherKey = other.publicKey.split(' ').slice(0, 2).join(' ');
    const file = await knownHosts(`[${host.address}]:${host.port} ${otherKey}`);

    const error = await connectError({ host: hostConfig(host, { userKnownHostsFiles: [file] }), hostKeyPolicy: 'accept-new' });

    expect(error.status).toBe('host-key-mismatch');
    expect(error.message).toContain(other.fingerprint);
    expect(error.message).toContain(host.hostKeyFingerprint);
    expect(error.message).not.toContain('\n');
  });

  test('strict policy refuses an unknown host key and shows its fingerprint', async () => {
    const error = await connectError({ host: hostConfig(host), hostKeyPolicy: 'strict' });

    expect(error.status).toBe('host-key-unknown');
    expect(error.message).toContain(host.hostKeyFingerprint);
  });

  test('accept-new accepts an unknown key and records it in the app file only', async () => {
    const userFile = await knownHosts('# the user file stays as it is');
    const appFile = path.join(await testDir(), 'app', 'known_hosts');
    const config = hostConfig(host, { userKnownHostsFiles: [userFile] });

    const session = await open({ host: config, hostKeyPolicy: 'accept-new', appKnownHostsFile: appFile });
    await session.close();

    expect(await readFile(appFile, 'utf8')).toBe(`${host.knownHostsLine}\n`);
    expect(await readFile(userFile, 'utf8')).toBe('# the user file stays as it is\n');
    const again = await open({ host: config, hostKeyPolicy: 'strict', appKnownHostsFile: appFile });
    expect((await again.runScript('echo ok\n')).stdout.toString()).toBe('ok\n');
  });

  test('ask policy asks, and records the key only when accepted', async () => {
    const appFile = path.join(await testDir(), 'known_hosts');
    const questions: unknown[] = [];

    const refused = await connectError({
      host: hostConfig(host),
      hostKeyPolicy: 'ask',
      appKnownHostsFile: appFile,
      confirmHostKey: async (question) => (questions.push(question), false),
    });
    const accepted = await open({
      host: hostConfig(host),
      hostKeyPolicy: 'ask',
      appKnownHostsFile: appFile,
      confirmHostKey: async (question) => (questions.push(question), true),
    });

    expect(refused.status).toBe('host-key-unknown');
    expect(questions[0]).toEqual({
      host: `lab-${host.address}`,
      address: `${host.address}:${host.port}`,
      keyType: 'ssh-ed25519',
      fingerprint: host.hostKeyFingerprint,
    });
    expect((await accepted.runScript('echo ok\n')).exitCode).toBe(0);
    expect(await readFile(appFile, 'utf8')).toBe(`${host.knownHostsLine}\n`);
  });

  test('StrictHostKeyChecking yes in the config stays strict whatever policy is requested', async () => {
    const error = await connectError({ host: hostConfig(host, { strictHostKeyChecking: 'yes' }), hostKeyPolicy: 'accept-new' });

    expect(error.status).toBe('host-key-unknown');
  });
});

/** A ProxyCommand like `nc %h %p`, written in Node so the test needs no netcat: relays stdio to host:port, and logs its pid. */
async function relayCommand(pidLog: string): Promise<string> {
  const script = path.join(await testDir(), 'relay.cjs');
  await writeFile(
    script,
    `require('fs').appendFileSync(${JSON.stringify(pidLog)}, process.pid + '\\n');
const socket = require('net').connect(Number(process.argv[3]), process.argv[2]);
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on('close', () => process.exit(0));
`,
  );
  return `${shellQuote(process.execPath)} ${shellQuote(script)}`;
}

describe('ProxyCommand', () => {
  test('runs the user\'s own command as ssh does and talks SSH over its stdio; the command ends with the session', async () => {
    const pidLog = path.join(await testDir(), 'pids');
    const relay = await relayCommand(pidLog);
    const session = await open({
      host: hostConfig(host, { proxyCommand: `${relay} ${host.address} ${host.port}`, userKnownHostsFiles: [await knownHosts(host.knownHostsLine)] }),
    });

    expect((await session.runScript('echo through-the-proxy\n')).stdout.toString()).toBe('through-the-proxy\n');
    const [pid] = (await readFile(pidLog, 'utf8')).trim().split('\n').map(Number);
    expect(existsSync(`/proc/${pid}`)).toBe(true);

    await session.close();
    await expect.poll(() => existsSync(`/proc/${pid}`), { timeout: 5000 }).toBe(false);
  });

  test('a ProxyCommand that fails says its exit status and last line of stderr, as unreachable', async () => {
    const error = await connectError({
      host: hostConfig(host, { proxyCommand: `sh -c 'echo "websocket: bad handshake" >&2; exit 3'` }),
    });

    expect(error.status).toBe('unreachable');
    expect(error.message).toMatch(new RegExp(`^lab-${host.address.replace(/\./g, '\\.')}: ProxyCommand exited with status 3: websocket: bad handshake \\(`));
  });
});

describe('connection failures', () => {

  test('a refused connection is unreachable with a one-line message', async () => {
    const port = await freePort(SPARE_ADDRESS);

    const error = await connectError({ host: { ...hostConfig(host), hostName: SPARE_ADDRESS, port } });

    expect(error.status).toBe('unreachable');
    expect(error.message).toBe(`connection refused by ${SPARE_ADDRESS}:${port}`);
  });

  test('a key the host does not accept is auth-failed', async () => {
    const stranger = await generateClientKey(await testDir(), { name: 'stranger' });

    const error = await connectError({
      host: hostConfig(host, { identityFiles: [stranger.privateKeyPath], userKnownHostsFiles: [await knownHosts(host.knownHostsLine)] }),
    });

    expect(error.status).toBe('auth-failed');
    expect(error.message).toContain(`root@${host.address}:${host.port}`);
    expect(error.message).toContain(stranger.privateKeyPath);
  });

  test('a host that does not answer the SSH handshake times out as unreachable', async () => {
    // Accepts TCP and never speaks SSH; reading (resume) lets it notice when the client hangs up.
    const silent = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, SPARE_ADDRESS, resolve));
    const { port } = silent.address() as net.AddressInfo;
    cleanups.push(() => new Promise((resolve) => silent.close(resolve)));

    const error = await connectError({ host: { ...hostConfig(host), hostName: SPARE_ADDRESS, port }, handshakeTimeoutMs: 500 });

    expect(error.status).toBe('unreachable');
    expect(error.message).toMatch(/timed out/);
  });
});

describe('authentication', () => {
  test('asks for an encrypted key\'s passphrase and connects with it', async () => {
    const asked: unknown[] = [];

    const session = await trustedSession({
      host: hostConfig(host, {
        identityFiles: [encrypted.privateKeyPath],
        userKnownHostsFiles: [await knownHosts(host.knownHostsLine)],
      }),
      askPassphrase: async (question) => {
        asked.push(question);
        return asked.length === 1 ? 'wrong guess' : 'correct horse';
      },
    });

    expect((await session.runScript('echo in\n')).stdout.toString()).toBe('in\n');
    expect(asked).toEqual([
      { host: `lab-${host.address}`, keyPath: encrypted.privateKeyPath },
      { host: `lab-${host.address}`, keyPath: encrypted.privateKeyPath },
    ]);
  });

  test('a skipped passphrase skips the key', async () => {
    const error = await connectError({
      host: hostConfig(host, {
        identityFiles: [encrypted.privateKeyPath],
        userKnownHostsFiles: [await knownHosts(host.knownHostsLine)],
      }),
      askPassphrase: async () => null,
    });

    expect(error.status).toBe('auth-failed');
    expect(error.message).toContain('skipped');
  });

  test('uses ssh-agent keys, limited to the identity files under IdentitiesOnly', async () => {
    const dir = await testDir();
    const agentKey = await generateClientKey(dir, { name: 'agent_key' });
    const lab = await startSshd({ address: SPARE_ADDRESS, user: 'root', authorizedKeys: [agentKey.publicKey], stateDir: path.join(dir, 'sshd') });
    cleanups.push(() => lab.stop());
    const socket = path.join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    cleanups.push(async () => agent.kill());
    // The socket file appears when ssh-agent binds it, a moment before it listens: on a loaded
    // machine the first ssh-add can be refused, so the key is added once the agent accepts it.
    const added = await waitFor(async () => existsSync(socket) && addToAgent(agentKey.privateKeyPath, socket), 5_000);
    expect(added).toBe(true);
    const known = await knownHosts(lab.knownHostsLine);

    const viaAgent = await open({
      host: hostConfig(lab, { identityFiles: [path.join(dir, 'no-such-key')], userKnownHostsFiles: [known] }),
      agentSocket: socket,
    });
    const filtered = await connectError({
      host: hostConfig(lab, { identityFiles: [client.privateKeyPath], identitiesOnly: true, userKnownHostsFiles: [known] }),
      agentSocket: socket,
    });

    // IdentityAgent in the config (1Password, Secretive) names the socket when the caller does not,
    // over SSH_AUTH_SOCK; `IdentityAgent none` turns the agent off.
    const viaConfig = await open({
      host: hostConfig(lab, { identityFiles: [path.join(dir, 'no-such-key')], userKnownHostsFiles: [known], identityAgent: socket }),
      agentSocket: undefined,
    });
    const agentOff = await connectError({
      host: hostConfig(lab, { identityFiles: [path.join(dir, 'no-such-key')], userKnownHostsFiles: [known], identityAgent: null }),
      agentSocket: undefined,
    });

    expect((await viaAgent.runScript('echo agent\n')).stdout.toString()).toBe('agent\n');
    expect(filtered.status).toBe('auth-failed');
    expect((await viaConfig.runScript('echo identity-agent\n')).stdout.toString()).toBe('identity-agent\n');
    expect(agentOff.status).toBe('auth-failed');
    expect(agentOff.message).not.toContain('ssh-agent');
  });
});

describe('ProxyJump', () => {
  test('reaches a second sshd through a first one with forwardOut', async () => {
    const dir = await testDir();
    const jump = await startSshd({
      address: JUMP_ADDRESS,
      user: 'root',
      authorizedKeys: [client.publicKey],
      extraConfig: ['LogLevel DEBUG1'],
      stateDir: path.join(dir, 'jump'),
    });
    cleanups.push(() => jump.stop());
    const target = await startSshd({
      address: TARGET_ADDRESS,
      user: 'root',
      authorizedKeys: [client.publicKey],
      setEnv: { LAB_HOST: 'behind-the-jump' },
      stateDir: path.join(dir, 'target'),
    });
    cleanups.push(() => target.stop());
    const known = await knownHosts(jump.knownHostsLine, target.knownHostsLine);

    const session = await open({
      host: hostConfig(target, {
        userKnownHostsFiles: [known],
        proxyJump: [hostConfig(jump, { alias: 'jump', userKnownHostsFiles: [known] })],
      }),
    });
    const result = await session.runScript('echo "$LAB_HOST"\n');

    expect(result.stdout.toString()).toBe('behind-the-jump\n');
    expect(jump.logs()).toContain(`server_request_direct_tcpip: originator 127.0.0.1 port 0, target ${TARGET_ADDRESS} port ${target.port}`);
  });

  test('a jump host that cannot reach the target reports the target unreachable', async () => {
    const port = await freePort(TARGET_ADDRESS);
    const known = await knownHosts(host.knownHostsLine);

    const error = await connectError({
      host: {
        ...hostConfig(host),
        alias: 'beyond',
        hostName: TARGET_ADDRESS,
        port,
        proxyJump: [hostConfig(host, { alias: 'jump', userKnownHostsFiles: [known] })],
      },
    });

    expect(error.status).toBe('unreachable');
    expect(error.message).toContain(`jump host jump cannot reach ${TARGET_ADDRESS}:${port}`);
  });
});
