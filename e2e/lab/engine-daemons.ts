/**
 * Real container engines for the lab: one dockerd per lab run (never the system service) and one
 * Podman API service, each with its own data root, runtime folder and socket under the run's
 * folder, started with the flags ENVIRONMENT.md found necessary on these machines; and the
 * teardown that also sweeps a crashed run: every process tied to the folder killed, every mount
 * under it unmounted (overlay2 `merged` dirs, network namespaces, Podman's shm), the bridges it
 * made deleted, the folder removed.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { deleteRulesLeftBy } from './cni-rules.js';

const execFileAsync = promisify(execFile);

/** The docker client every engine is driven with (the static Docker 28 client; Podman answers it through its API service). */
export const DOCKER_CLIENT = existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : '/usr/bin/docker';
/** Bridges a run made (one name a line), deleted by its teardown: a killed dockerd leaves them up. */
const BRIDGES_FILE = 'bridges';
/** Subnets of the run's user networks (one CIDR a line): the iptables rules CNI left for them are deleted by its teardown. */
const SUBNETS_FILE = 'subnets';
/** Network namespace files outside the run (Podman's, in /run/netns), unmounted and removed by its teardown. */
const NETNS_FILE = 'netns';
/** Addresses a run put on `lo` (one a line), deleted by its teardown. */
const LOOPBACK_FILE = 'loopback-addresses';
const READY_TIMEOUT_MS = 30_000;
/** Where Podman's short runroots live (see podmanRunRoot). */
const PODMAN_RUN_ROOTS = '/run/brlab';

/** A running engine reached through a Docker API socket. */
export interface EngineHandle {
  engine: 'docker' | 'podman';
  /** The API socket on this machine. */
  socket: string;
  /** `unix://<socket>`, what DOCKER_HOST names. */
  host: string;
  /** The daemon's (or service's) pid. */
  pid: number;
  /** How long it took to answer its first /_ping, in ms. */
  startMs: number;
  /** Runs the docker client against this engine; rejects with its stderr on a non-zero exit. */
  docker(args: string[], options?: { input?: string }): Promise<string>;
  /** Records a bridge made through this engine, so that teardown deletes it. */
  recordBridge(name: string): Promise<void>;
  /** Records a user network's subnet made through this engine, so that teardown deletes the iptables rules CNI left for it (cni-rules.ts). */
  recordSubnet(cidr: string): Promise<void>;
  /** Records a network namespace file outside the run (Podman's /run/netns/…), so that teardown unmounts and removes it. */
  recordNetns(file: string): Promise<void>;
}

/** Where an engine keeps its state: all under one folder of the run. */
export interface EngineFolders {
  /** Data root, runtime root and pid file live here. */
  dir: string;
  /** The folder that holds the API socket (bind-mounted at the same path into the lab host's chroot). */
  socketDir: string;
}

/** Starts a dockerd with its own data root, exec root, socket and pid file; resolves once it answers. */
export async function startDockerd(folders: EngineFolders): Promise<EngineHandle> {
  await mkdir(folders.dir, { recursive: true, mode: 0o755 });
  await mkdir(folders.socketDir, { recursive: true, mode: 0o755 });
  const socket = path.join(folders.socketDir, 'docker.sock');
  const args = [
    '--data-root', path.join(folders.dir, 'data'),
    '--exec-root', path.join(folders.dir, 'exec'),
    '--host', `unix://${socket}`,
    '--pidfile', path.join(folders.dir, 'dockerd.pid'),
    '--iptables=false',
    '--ip6tables=false',
    '--storage-driver=overlay2',
    // Without these every container fails to start: the sandbox may not raise RLIMIT_NOFILE.
    '--default-ulimit', 'nofile=1024:1024',
    '--default-ulimit', 'nproc=4096:4096',
    // No docker0: the lab uses its own user networks, and parallel daemons would fight over one.
    '--bridge=none',
  ];
  return startService('docker', 'dockerd', args, {}, folders, socket);
}

/** Starts `podman system service` on its own socket, with its own containers.conf, storage and runtime folders. */
export async function startPodmanService(folders: EngineFolders): Promise<EngineHandle> {
  await mkdir(folders.dir, { recursive: true, mode: 0o755 });
  await mkdir(folders.socketDir, { recursive: true, mode: 0o755 });
  const socket = path.join(folders.socketDir, 'podman.sock');
  const conf = path.join(folders.dir, 'containers.conf');
  await writeFile(conf, podmanContainersConf(folders.dir));
  const args = [...podmanGlobalArgs(folders.dir), 'system', 'service', '--time=0', `unix://${socket}`];
  return startService('podman', 'podman', args, podmanEnv(folders.dir), folders, socket);
}

/** Podman's global flags for a lab run: storage and runtime state under the run's folder, never the machine's. */
export function podmanGlobalArgs(dir: string): string[] {
  return ['--root', path.join(dir, 'storage'), '--runroot', podmanRunRoot(dir), '--tmpdir', path.join(dir, 'tmp'), '--cgroup-manager', 'cgroupfs', '--events-backend', 'file'];
}

/** Podman refuses a runroot longer than 50 characters: a short folder named after the run's, under /run/brlab (removed by the teardown). */
export function podmanRunRoot(dir: string): string {
  return path.join(PODMAN_RUN_ROOTS, createHash('sha256').update(dir).digest('hex').slice(0, 12));
}

/** The environment Podman runs with: its containers.conf, and no XDG_RUNTIME_DIR of the caller's. */
export function podmanEnv(dir: string): NodeJS.ProcessEnv {
  return { CONTAINERS_CONF: path.join(dir, 'containers.conf'), XDG_RUNTIME_DIR: path.join(dir, 'xdg'), XDG_CONFIG_HOME: path.join(dir, 'xdg-config') };
}

/** containers.conf for a lab run: runc (crun fails on this kernel's cgroup layout), ulimits the sandbox allows, networks under the run. */
function podmanContainersConf(dir: string): string {
  return `[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
static_dir = "${path.join(dir, 'libpod')}"
volume_path = "${path.join(dir, 'volumes')}"

[network]
network_config_dir = "${path.join(dir, 'networks')}"
`;
}

async function startService(
  engine: EngineHandle['engine'],
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  folders: EngineFolders,
  socket: string,
): Promise<EngineHandle> {
  const started = performance.now();
  const log = openSync(path.join(folders.dir, `${engine}.log`), 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...env } });
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (!pid) throw new Error(`${command} did not start`);
  // The teardown finds it by this file too, after a crash.
  await writeFile(path.join(folders.dir, `${engine}.pid`), `${pid}\n`);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let ready = false;
  while (!ready && Date.now() < deadline) {
    const outcome = await Promise.race([ping(socket), exited.then(() => 'exited' as const), sleep(100).then(() => false)]);
    if (outcome === 'exited') break;
    ready = outcome === true;
    if (!ready) await sleep(50);
  }
  if (!ready) {
    const text = await readFile(path.join(folders.dir, `${engine}.log`), 'utf8').catch(() => '');
    throw new Error(`${command} did not answer on ${socket}: ${text.slice(-2000)}`);
  }
  const host = `unix://${socket}`;
  return {
    engine,
    socket,
    host,
    pid,
    startMs: performance.now() - started,
    docker: (dockerArgs, options = {}) => dockerClient(host, dockerArgs, options.input),
    recordBridge: async (name) => {
      await writeFile(path.join(path.dirname(folders.dir), BRIDGES_FILE), `${name}\n`, { flag: 'a' });
    },
    recordSubnet: async (cidr) => {
      await writeFile(path.join(path.dirname(folders.dir), SUBNETS_FILE), `${cidr}\n`, { flag: 'a' });
    },
    recordNetns: async (file) => {
      await writeFile(path.join(path.dirname(folders.dir), NETNS_FILE), `${file}\n`, { flag: 'a' });
    },
  };
}

/** Runs the docker client against `host` (`unix://…`); rejects with its stderr on a non-zero exit. */
export function dockerClient(host: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(DOCKER_CLIENT, ['-H', host, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, DOCKER_CONFIG: '/nonexistent' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker ${args.slice(0, 3).join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
    child.stdin?.end(input ?? '');
  });
}

/** `docker import` of a folder: `tar -C ROOT -cf - . | docker import -c CHANGE - TAG` (no /dev: the engine makes its own). */
export async function importImage(host: string, root: string, tag: string, changes: string[] = []): Promise<string> {
  const script = 'root=$1 host=$2 tag=$3; shift 3; tar -C "$root" --exclude=./dev -cf - . | "$DOCKER_CLIENT" -H "$host" import "$@" - "$tag"';
  const changeArgs = changes.flatMap((change) => ['-c', change]);
  const { stdout } = await execFileAsync('/bin/sh', ['-c', script, 'sh', root, host, tag, ...changeArgs], {
    env: { ...process.env, DOCKER_CLIENT, DOCKER_CONFIG: '/nonexistent' },
    maxBuffer: 1024 * 1024,
  });
  return stdout.trim();
}

/** GET /_ping on a unix socket: true once the engine answers OK. */
function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (!existsSync(socket)) return resolve(false);
    const request = http.get({ socketPath: socket, path: '/_ping', timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('error', () => resolve(false));
    request.once('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

/**
 * Tears a run's engines down, the same way whether the run stopped cleanly or crashed: kills every
 * process tied to `runDir` (the daemons and their containerd by their command lines, container
 * processes and chrooted sessions by their root, conmon and shims by the paths they name),
 * unmounts everything under it deepest first, deletes the bridges it recorded and the iptables
 * rules Podman's CNI plugins left for its networks (killed, Podman never took them out), removes it.
 * Resolves with what it found, for the sweep's report.
 */
export async function teardownEngineRun(runDir: string): Promise<{ killed: number; unmounted: number; bridges: number; rules: number }> {
  let killed = 0;
  // A dying containerd-shim can leave its container's processes behind; a few passes catch them.
  for (let pass = 0; pass < 5; pass++) {
    const pids = await processesTiedTo(runDir);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // already gone
      }
    }
    await waitGone(pids);
  }
  const runRoots = (await readdir(runDir).catch(() => [] as string[])).map((name) => podmanRunRoot(path.join(runDir, name)));
  let unmounted = await unmountUnder(runDir);
  for (const runRoot of runRoots) {
    unmounted += await unmountUnder(runRoot);
    await rm(runRoot, { recursive: true, force: true });
  }
  const namespaces = await readFile(path.join(runDir, NETNS_FILE), 'utf8').catch(() => '');
  for (const file of namespaces.split('\n').filter((line) => /^\/run\/netns\/[A-Za-z0-9-]+$/.test(line))) {
    if ((await mountsUnder(file)).length > 0) await execFileAsync('umount', [file]).catch(() => execFileAsync('umount', ['-l', file]).catch(() => undefined));
    await rm(file, { force: true });
    unmounted++;
  }
  let bridges = 0;
  const recorded = (await readFile(path.join(runDir, BRIDGES_FILE), 'utf8').catch(() => '')).split('\n').filter((line) => /^[A-Za-z0-9_.-]{1,15}$/.test(line));
  const subnets = (await readFile(path.join(runDir, SUBNETS_FILE), 'utf8').catch(() => '')).split('\n').filter((line) => /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(line));
  const rules = await deleteRulesLeftBy({ subnets, bridges: recorded });
  for (const name of recorded) {
    if (await execFileAsync('ip', ['link', 'del', name]).then(() => true, () => false)) bridges++;
  }
  const added = await readFile(path.join(runDir, LOOPBACK_FILE), 'utf8').catch(() => '');
  for (const address of added.split('\n').filter((line) => /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(line))) {
    await execFileAsync('ip', ['addr', 'del', `${address}/32`, 'dev', 'lo']).catch(() => undefined);
  }
  await rm(runDir, { recursive: true, force: true });
  return { killed, unmounted, bridges, rules };
}

/**
 * Puts `address` on `lo` as a /32, so the kernel lists it among the machine's own addresses
 * (/proc/net/fib_trie) as a real host's address would be; recorded first, for the teardown.
 */
export async function addLoopbackAddress(runDir: string, address: string): Promise<void> {
  await writeFile(path.join(runDir, LOOPBACK_FILE), `${address}\n`, { flag: 'a' });
  await execFileAsync('ip', ['addr', 'add', `${address}/32`, 'dev', 'lo']);
}

/** Mount points at or under `dir`, as /proc/self/mountinfo lists them (octal escapes decoded). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const points = info
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined)
    .map((point) => point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))));
  return [...new Set(points.filter((point) => point === dir || point.startsWith(`${dir}/`)))];
}

async function unmountUnder(dir: string): Promise<number> {
  let count = 0;
  for (let pass = 0; pass < 5; pass++) {
    // Deepest first, so no mount point is hidden under another when its turn comes.
    const points = (await mountsUnder(dir)).sort((a, b) => b.length - a.length);
    if (points.length === 0) break;
    for (const point of points) {
      const ok = await execFileAsync('umount', [point]).then(() => true, () => execFileAsync('umount', ['-l', point]).then(() => true, () => false));
      if (ok) count++;
    }
  }
  return count;
}

/** Pids of processes whose root, working folder or command line lies in `dir` (never this process). */
async function processesTiedTo(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const [root, cwd, cmdline] = await Promise.all([
      readlink(`/proc/${name}/root`).catch(() => ''),
      readlink(`/proc/${name}/cwd`).catch(() => ''),
      readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => ''),
    ]);
    const inside = (value: string) => value === dir || value.startsWith(`${dir}/`);
    if (inside(root) || inside(cwd) || cmdline.split('\0').some((word) => word.includes(`${dir}/`) || word === dir)) pids.push(Number(name));
  }
  return pids;
}

async function waitGone(pids: number[]): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const alive = await Promise.all(pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    }));
    if (!alive.includes(true)) return;
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
