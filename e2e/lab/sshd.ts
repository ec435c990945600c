/**
 * Real OpenSSH servers on loopback for tests: each `startSshd` call runs its own
 * `/usr/sbin/sshd -D -e` with its own host key, config, authorized keys and pid file, all kept in
 * a state folder the caller chooses. Needs root (sshd must setuid to the login user) and the
 * openssh-server package.
 *
 * Typical use (vitest):
 *
 *   const root = await mkdtemp(path.join(tmpdir(), 'lab-'));
 *   await killStaleSshd(LAB_STATE_ROOT);                 // optional: leftovers of a crashed run
 *   const client = await generateClientKey(path.join(root, 'client'));
 *   const host = await startSshd({
 *     address: '127.0.0.2', user: 'root', authorizedKeys: [client.publicKey],
 *     stateDir: path.join(root, 'host-a'),
 *   });
 *   // connect to host.address:host.port with client.privateKeyPath; trust host.knownHostsLine
 *   await host.stop();
 *
 * Ports: without `port`, a free high port on the address is picked (safe when test files run in
 * parallel); a fixed port (e.g. 22 on a distinct 127.0.0.N per host) is checked to be free first.
 * A state folder that already holds a host key keeps it, so a restarted host keeps its identity.
 * The lab never touches the system sshd's files except creating /run/sshd (privilege separation).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The sshd binary; an absolute path, because sshd refuses to re-exec itself otherwise. */
export const SSHD_PATH = '/usr/sbin/sshd';
/** Name of the pid file each instance writes in its state folder (what killStaleSshd looks for). */
export const PID_FILE_NAME = 'sshd.pid';
const READY_TIMEOUT_MS = 10_000;
const READY_POLL_MS = 20;
const STOP_TIMEOUT_MS = 5_000;
const MAX_LOG_CHARS = 256 * 1024;

/** How to run one lab host. */
export interface StartSshdOptions {
  /** Loopback address to listen on, e.g. `127.0.0.2` (every 127.0.0.N works without setup). */
  address: string;
  /** TCP port; default: a free high port on `address`. */
  port?: number;
  /** The only user allowed to log in (`AllowUsers`); `root` works out of the box. A `useradd` user needs `-p '*'`. */
  user: string;
  /** OpenSSH public key lines accepted for login. */
  authorizedKeys: string[];
  /** Gives the host its own filesystem; every component of the path must be root-owned and not group/world-writable. */
  chrootDirectory?: string;
  /** Environment variables every session gets (one `SetEnv` line; a SetEnv in extraConfig is then ignored by sshd). */
  setEnv?: Record<string, string>;
  /** Concurrent sessions per connection (`MaxSessions`, OpenSSH default 10). */
  maxSessions?: number;
  /** Raw sshd_config lines appended last (so `Match` blocks work), e.g. `LogLevel DEBUG1`. */
  extraConfig?: string[];
  /**
   * Gives the host its own kernel hostname: sshd then runs in a new UTS namespace (`unshare --uts`),
   * so `uname -n` and `hostname` answer this name for every program, busybox applets included.
   */
  hostname?: string;
  /** Folder for this host's key, config, authorized_keys, pid file; created when missing, made 0755 so non-root users can read their keys. */
  stateDir: string;
}

/** A running lab host. */
export interface SshdHandle {
  address: string;
  port: number;
  /** The host's public key as an OpenSSH line without comment: `ssh-ed25519 AAAA…`. */
  hostPublicKey: string;
  /** The host key type, e.g. `ssh-ed25519`. */
  hostKeyType: string;
  /** `SHA256:…`, as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** A known_hosts line for this host (`[address]:port` form unless the port is 22). */
  knownHostsLine: string;
  pid: number;
  stateDir: string;
  configPath: string;
  /** What sshd printed on stderr so far (its log, `-e`): useful in failure messages and for assertions with `LogLevel DEBUG1`. */
  logs(): string;
  /** Stops sshd and every connection it serves; resolves once the processes are gone. Idempotent. */
  stop(): Promise<void>;
}

/** A client key pair made by generateClientKey. */
export interface ClientKey {
  privateKeyPath: string;
  publicKeyPath: string;
  /** The public key line (`ssh-ed25519 AAAA… comment`), ready for `authorizedKeys`. */
  publicKey: string;
  fingerprint: string;
}

/** Starts an sshd for tests and resolves once its port accepts connections. */
export async function startSshd(options: StartSshdOptions): Promise<SshdHandle> {
  const stateDir = path.resolve(options.stateDir);
  await mkdir(stateDir, { recursive: true });
  // sshd reads AuthorizedKeysFile as the login user: the folder must be searchable by that user.
  await chmod(stateDir, 0o755);
  // Privilege separation needs this folder; it is what `install -d -m 0755 /run/sshd` does.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  await chmod('/run/sshd', 0o755);

  const hostKeyPath = path.join(stateDir, 'ssh_host_ed25519_key');
  if (!existsSync(hostKeyPath)) await sshKeygen(['-q', '-t', 'ed25519', '-N', '', '-C', `lab-${options.address}`, '-f', hostKeyPath]);
  const [hostKeyType = '', hostKeyBase64 = ''] = (await readFile(`${hostKeyPath}.pub`, 'utf8')).trim().split(/\s+/);
  const hostPublicKey = `${hostKeyType} ${hostKeyBase64}`;
  const hostKeyFingerprint = fingerprintOf(hostKeyBase64);

  const authorizedKeysPath = path.join(stateDir, 'authorized_keys');
  await writeFile(authorizedKeysPath, options.authorizedKeys.map((line) => `${line.trim()}\n`).join(''), { mode: 0o644 });
  await chmod(authorizedKeysPath, 0o644);

  if (options.port !== undefined && (await acceptsConnections(options.address, options.port))) {
    throw new Error(`${options.address}:${options.port} is already in use (a stale sshd? call killStaleSshd on the state root)`);
  }

  // A picked port can be taken between probing and sshd binding it: retry with another one.
  for (let attempt = 0; ; attempt++) {
    const port = options.port ?? (await freePort(options.address));
    const configPath = path.join(stateDir, 'sshd_config');
    const pidPath = path.join(stateDir, PID_FILE_NAME);
    await writeFile(configPath, sshdConfig(options, { port, hostKeyPath, pidPath, authorizedKeysPath }), { mode: 0o600 });

    const sshdArgs = [SSHD_PATH, '-D', '-e', '-f', configPath];
    // unshare and sh both exec, so the pid stays sshd's own (killStaleSshd checks its command line).
    const [command, ...args] = options.hostname === undefined
      ? sshdArgs
      : ['unshare', '--uts', '--', '/bin/sh', '-c', 'hostname -- "$0" && exec "$@"', options.hostname, ...sshdArgs];
    const child = spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      if (log.length < MAX_LOG_CHARS) log += chunk;
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('error', () => undefined); // spawn failures surface as an early exit below
    // Written before sshd writes its own, so a run that crashes during startup is still found by killStaleSshd.
    if (child.pid) await writeFile(pidPath, `${child.pid}\n`);

    const ready = await waitUntilListening(child, options.address, port);
    if (!ready) {
      const how = child.signalCode !== null ? `killed by ${child.signalCode}` : child.exitCode !== null ? `exited ${child.exitCode}` : `no connection within ${READY_TIMEOUT_MS / 1000} s`;
      child.kill('SIGKILL');
      await exited;
      // A picked port can be taken between probing and binding, and a fresh sshd has been seen to
      // stop answering right after "Server listening" while other labs start and stop beside it:
      // on a picked port, any failed start is tried again on another port.
      if (options.port === undefined && attempt < 4) continue;
      throw new Error(`sshd on ${options.address}:${port} did not start (${how}): ${log.trim().split('\n').slice(-5).join(' | ') || 'no output'}`);
    }

    let stopping: Promise<void> | null = null;
    return {
      address: options.address,
      port,
      hostPublicKey,
      hostKeyType,
      hostKeyFingerprint,
      knownHostsLine: `${port === 22 ? options.address : `[${options.address}]:${port}`} ${hostPublicKey}`,
      pid: child.pid!,
      stateDir,
      configPath,
      logs: () => log,
      stop: () => {
        stopping ??= stopProcessTree(child.pid!, exited).then(() => rm(pidPath, { force: true }));
        return stopping;
      },
    };
  }
}

/** Generates an ed25519 client key pair with ssh-keygen (encrypted when a passphrase is given). */
export async function generateClientKey(
  dir: string,
  options: { passphrase?: string; name?: string; comment?: string } = {},
): Promise<ClientKey> {
  await mkdir(dir, { recursive: true });
  const privateKeyPath = path.join(dir, options.name ?? 'id_ed25519');
  if (existsSync(privateKeyPath)) throw new Error(`${privateKeyPath} already exists`);
  await sshKeygen(['-q', '-t', 'ed25519', '-N', options.passphrase ?? '', '-C', options.comment ?? 'lab-client', '-f', privateKeyPath]);
  const publicKey = (await readFile(`${privateKeyPath}.pub`, 'utf8')).trim();
  return { privateKeyPath, publicKeyPath: `${privateKeyPath}.pub`, publicKey, fingerprint: fingerprintOf(publicKey.split(/\s+/)[1] ?? '') };
}

/**
 * Kills sshd processes left by crashed runs: every `sshd.pid` under `stateRoot` (up to 3 levels
 * deep) whose process is still an sshd using that folder's config. Resolves with how many were killed.
 */
export async function killStaleSshd(stateRoot: string): Promise<number> {
  let killed = 0;
  for (const pidPath of await findPidFiles(path.resolve(stateRoot), 3)) {
    const pid = Number.parseInt(await readFile(pidPath, 'utf8').catch(() => ''), 10);
    const configPath = path.join(path.dirname(pidPath), 'sshd_config');
    // Only kill what is provably ours: pids get reused after a reboot or a long time.
    if (Number.isInteger(pid) && pid > 1 && (await cmdlineOf(pid)).includes(configPath)) {
      await stopProcessTree(pid, null);
      killed++;
    }
    await rm(pidPath, { force: true });
  }
  return killed;
}

function sshdConfig(
  options: StartSshdOptions,
  files: { port: number; hostKeyPath: string; pidPath: string; authorizedKeysPath: string },
): string {
  const lines = [
    `ListenAddress ${options.address}`,
    `Port ${files.port}`,
    `HostKey ${files.hostKeyPath}`,
    `PidFile ${files.pidPath}`,
    `AuthorizedKeysFile ${files.authorizedKeysPath}`,
    'UsePAM no',
    'StrictModes no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'PrintMotd no',
    `AllowUsers ${options.user}`,
    `MaxSessions ${options.maxSessions ?? 10}`,
  ];
  const environment = Object.entries(options.setEnv ?? {});
  for (const [name, value] of environment) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /["\n\\]/.test(value)) throw new Error(`unsupported SetEnv ${name}`);
  }
  // One line for all variables: sshd keeps only the first SetEnv line it reads (servconf.c).
  if (environment.length) lines.push(`SetEnv ${environment.map(([name, value]) => `"${name}=${value}"`).join(' ')}`);
  if (options.chrootDirectory) lines.push(`ChrootDirectory ${options.chrootDirectory}`);
  lines.push(...(options.extraConfig ?? []));
  return `${lines.join('\n')}\n`;
}

/** Polls a TCP connect until sshd accepts; false when sshd exits or does not come up in time. */
async function waitUntilListening(child: ChildProcess, address: string, port: number): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    if (await acceptsConnections(address, port)) return child.exitCode === null;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  return false;
}

function acceptsConnections(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A port on `address` where nothing listens once this returns. */
export function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Stops a listener and every connection process it forked. Connection processes call setsid, so
 * a process-group kill misses them; they are found through /proc parent links instead.
 */
async function stopProcessTree(pid: number, exited: Promise<void> | null): Promise<void> {
  const descendants = await descendantsOf(pid);
  signal(pid, 'SIGTERM');
  for (const child of descendants) signal(child, 'SIGKILL');
  const gone = exited ?? waitForPidExit(pid);
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
  if ((await Promise.race([gone.then(() => 'gone' as const), timer])) === 'timeout') {
    signal(pid, 'SIGKILL');
    await gone;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

async function waitForPidExit(pid: number): Promise<void> {
  while (existsSync(`/proc/${pid}`) && !(await isZombie(pid))) {
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

async function isZombie(pid: number): Promise<boolean> {
  const status = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return / Z /.test(status.slice(status.lastIndexOf(')')));
}

async function descendantsOf(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // Field 4 (ppid) follows the parenthesised command name, which may itself contain spaces.
    const ppid = Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '', 10);
    if (Number.isInteger(ppid)) parents.set(Number(name), ppid);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of parents) {
      if (ppid === parent && !found.includes(pid)) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

async function cmdlineOf(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
}

async function findPidFiles(dir: string, depth: number): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name === PID_FILE_NAME) found.push(full);
    else if (entry.isDirectory() && depth > 0) found.push(...(await findPidFiles(full, depth - 1)));
  }
  return found;
}

async function sshKeygen(args: string[]): Promise<void> {
  try {
    await execFileAsync('ssh-keygen', args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`ssh-keygen failed: ${stderr || (error as Error).message}`);
  }
}

/** `SHA256:` + unpadded base64, computed here rather than with the engine's code so tests check the engine independently. */
function fingerprintOf(keyBase64: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('base64').replace(/=+$/, '')}`;
}
