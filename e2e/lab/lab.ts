/**
 * The Blast Radius test lab: real OpenSSH servers on 127.77.<block>.N, each chrooted into its own
 * filesystem under /var/lib/blast-radius-lab/runs/<runId>/, modelled on the homelab of the March
 * 2026 LiteLLM compromise (hosts in lab-hosts.ts, README.md for what each proves).
 *
 *   const lab = await startLab();
 *   // ssh -F lab.sshConfigPath gw 'sh -s' < script, or point the product at lab.sshConfigPath
 *   expect(await lab.trippedTraps()).toEqual([]);
 *   await lab.stop();
 *
 * Needs root (sshd setuid, chroot, mknod) and the openssh-server and busybox-static packages.
 * Parallel runs are safe: each claims its own address block and run folder. A crashed run is
 * swept by the next startLab: its owner process is gone, so its sshds are killed and its folder removed.
 */
import { LITELLM_DB_CONTAINER, startLitellmPostgres, stopLitellmPostgres } from './litellm-postgres.js';
import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KUBERNETES_HOSTS, LAB_ERROR_HOSTS, LAB_HOSTS, LAB_USER, type LabBulkFiles, type LabContainer, type LabNetwork, type LabHostSpec, type LabSshHostSpec } from './lab-hosts.js';
import {
  LAB_LIB,
  LAB_PATH,
  buildBusyboxBase,
  buildDebianBase,
  clearTrapLog,
  cloneBase,
  exists,
  inRoot,
  populateRoot,
  writeTraps,
  readTrapLog,
  run,
  writeRootFile,
  writeSitePackages,
  writeVirtualenv,
  type RootAccount,
} from './rootfs.js';
import { PLANTED_SECRETS, type ErrorPathSecretId, type PlantedSecretId } from './planted-secrets.js';
import { foldersBetween, Planter, type LateralKey, type PlantedPlace } from './plants.js';
import { writeLabJournal } from './journal.js';
import { freePort, generateClientKey, killStaleSshd, startSshd, type SshdHandle } from './sshd.js';

const execFileAsync = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Root of everything the lab writes; root-owned and 0755 all the way down, as ChrootDirectory demands. */
export const LAB_STATE_ROOT = '/var/lib/blast-radius-lab';
/** The fixtures the gw host's docker stand-in replays (Docker 28 `inspect` output, one file per object). */
export const DOCKER_FIXTURES = path.join(HERE, 'fixtures', 'docker');
const OWNER_FILE = 'owner.json';
/** A run folder with no owner file after this long is a run that crashed while being created. */
const ORPHAN_GRACE_MS = 60_000;

/** One host of a running lab. */
export interface LabHost {
  name: string;
  kind: 'ssh' | 'unreachable' | 'wrongkey';
  address: string;
  port: number;
  /** Login user (null for `unreachable`). */
  user: string | null;
  /** The host's filesystem (its chroot) on this machine; null for `unreachable`. */
  root: string | null;
  /** The key the host really offers (`SHA256:…`); null for `unreachable`. */
  hostKeyFingerprint: string | null;
  /** What a scan of this host proves. */
  proves: string;
}

/** A container of the gw host, as the stand-in docker knows it. */
export interface LabContainerInfo {
  name: string;
  id: string;
  running: boolean;
  /** GraphDriver.Data.MergedDir, as the gw host sees it. */
  mergedDir: string;
  /** Where its files really are on this machine (MergedDir for running ones, the image layer for stopped ones). */
  root: string;
}

/** A recorded attempt to run a trapped interpreter or pip. */
export interface TrapHit {
  host: string;
  /** Container name, or null for the host itself. */
  container: string | null;
  /** `<path run> <arguments>` as the trap logged it. */
  line: string;
}

/** Where a file lives for writeFile/removeFile/rootOf: a host, or a container of the gw host. */
export interface LabFileOptions {
  container?: string;
  mode?: number;
}

/** A running lab. */
export interface Lab {
  runId: string;
  /** This run's folder under LAB_STATE_ROOT. */
  runDir: string;
  /** ssh_config with one `Host` entry per lab host (HostName, Port, User, IdentityFile, IdentitiesOnly, known hosts, StrictHostKeyChecking yes). */
  sshConfigPath: string;
  /** known_hosts trusted by sshConfigPath (wrongkey's entry deliberately carries another key). */
  knownHostsPath: string;
  /** The client's private key, accepted by every reachable host. */
  identityFile: string;
  hosts: Record<string, LabHost>;
  /** The gw host's containers by name. */
  containers: Record<string, LabContainerInfo>;
  /** The real folder of a host's (or gw container's) filesystem. */
  rootOf(host: string, container?: string): string;
  /** Every trap hit on every host and container since start (or the last clearTraps). */
  trippedTraps(): Promise<TrapHit[]>;
  /** Empties every trap log (for a test that trips a trap on purpose). */
  clearTraps(): Promise<void>;
  /** Writes a file on a host (or gw container) between scans; files under the login user's home are given to that user. */
  writeFile(host: string, file: string, content: string, options?: LabFileOptions): Promise<void>;
  /** Removes a file or folder on a host (or gw container) between scans. */
  removeFile(host: string, file: string, options?: LabFileOptions): Promise<void>;
  /**
   * Removes a container from a docker stand-in host as `docker rm -f` would: gone from `docker ps`
   * and `inspect`, its logs, filesystem and network namespace deleted, and the host's sockets on the
   * ports it published (docker-proxy's) closed. `lab.containers` no longer lists it.
   */
  removeContainer(host: string, name: string): Promise<void>;
  /**
   * Recreates a container of a docker stand-in host with changed environment, as `docker compose
   * up -d` does after its compose file's `environment:` is edited: same name, id and filesystem;
   * each variable given a value is set (every earlier occurrence replaced), each given null dropped.
   */
  setContainerEnv(host: string, name: string, env: Record<string, string | null>): Promise<void>;
  /** The key pair generated for the run whose private half is on nodocker and public half in ollama's authorized_keys (null when no host uses it). */
  lateralKey: LateralKey | null;
  /** Every file a planted secret (planted-secrets.ts) was written into; empty once removed. */
  plantedPlaces(id: PlantedSecretId | ErrorPathSecretId): PlantedPlace[];
  /**
   * Takes a planted secret out of every place it was planted (files, and the container inspect
   * fixture the docker stand-in replays), as rotating it would: a re-scan no longer finds it.
   */
  removePlantedSecret(id: PlantedSecretId): Promise<void>;
  /** Where an absolute path exists: `this machine` and/or `host` / `host:container` labels. */
  whereExists(file: string): Promise<string[]>;
  /** Kills the sshds (and their sessions), removes the run folder and releases the address block. Idempotent. */
  stop(): Promise<void>;
}

/** Options for startLab. */
export interface StartLabOptions {
  /** Names the run folder; default: a random id. */
  runId?: string;
  /** Start only these hosts (default: all of `hosts`). */
  only?: string[];
  /** The hosts to build instead of LAB_HOSTS, e.g. generated ones (the benchmark's 8 × 20 containers). */
  hosts?: readonly LabHostSpec[];
  /** Also start LAB_ERROR_HOSTS (hosts whose docker fails with a credential in its stderr, files that do not parse around a key). */
  errorHosts?: boolean;
  /** Docker fixture folders (`containers/`, `images/`) by stand-in host name; hosts not named replay DOCKER_FIXTURES. */
  dockerFixtures?: Readonly<Record<string, string>>;
  /** Also start KUBERNETES_HOSTS (the k3s node whose kubectl replays a cluster), beside LAB_HOSTS (and the error hosts). */
  kubernetesHosts?: boolean;
}

interface Owner {
  pid: number;
  startTime: string;
  runId?: string;
}

/** Builds and starts the lab. Resolves once every sshd accepts connections. */
export async function startLab(options: StartLabOptions = {}): Promise<Lab> {
  if (process.getuid?.() !== 0) throw new Error('the lab needs root (sshd, chroot, mknod)');
  const runId = options.runId ?? `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(runId)) throw new Error(`invalid runId ${runId}`);
  await ensureRootOwnedDir(LAB_STATE_ROOT);
  await ensureRootOwnedDir(path.join(LAB_STATE_ROOT, 'runs'));
  await ensureRootOwnedDir(path.join(LAB_STATE_ROOT, 'blocks'));
  await sweepStaleLabs();

  const runDir = path.join(LAB_STATE_ROOT, 'runs', runId);
  await mkdir(runDir, { mode: 0o755 });
  const owner = await currentOwner(runId);
  await writeFile(path.join(runDir, OWNER_FILE), JSON.stringify(owner));
  const block = await claimBlock(owner);
  const allSpecs = options.hosts ?? [...LAB_HOSTS, ...(options.errorHosts ? LAB_ERROR_HOSTS : []), ...(options.kubernetesHosts ? KUBERNETES_HOSTS : [])];
  const specs = allSpecs.filter((spec) => !options.only || options.only.includes(spec.name));
  const handles: SshdHandle[] = [];
  try {
    const labUser = await ensureLabUser();
    const rootUser = await systemAccount('root');
    const bases = path.join(runDir, 'base');
    const needs = new Set(specs.map((spec) => (spec.kind === 'ssh' ? spec.userland : 'busybox')));
    if (specs.some((spec) => spec.kind === 'ssh' && spec.containers.length > 0)) needs.add('busybox');
    await Promise.all([
      needs.has('debian') ? buildDebianBase(path.join(bases, 'debian')) : undefined,
      needs.has('busybox') ? buildBusyboxBase(path.join(bases, 'busybox')) : undefined,
    ]);

    const client = await generateClientKey(path.join(runDir, 'client'));
    const lateralKey = specs.some((spec) => JSON.stringify(spec).includes('{{ssh-lateral:')) ? await generateLateralKey(path.join(runDir, 'lateral')) : null;
    // Every spec's address, started or not: data on one host may name another.
    const addresses = Object.fromEntries(allSpecs.map((spec) => [spec.name, `127.77.${block}.${spec.octet}`]));
    const planter = new Planter(addresses, block, lateralKey);
    const hosts: Record<string, LabHost> = {};
    const containers: Record<string, LabContainerInfo> = {};
    const knownHosts: string[] = [];

    await Promise.all(
      specs.map(async (spec) => {
        const address = `127.77.${block}.${spec.octet}`;
        if (spec.kind === 'unreachable') {
          hosts[spec.name] = { name: spec.name, kind: spec.kind, address, port: await freePort(address), user: null, root: null, hostKeyFingerprint: null, proves: spec.proves };
          return;
        }
        const root = path.join(runDir, 'hosts', spec.name);
        const account = spec.user === 'root' ? rootUser : labUser;
        if (spec.kind === 'wrongkey') {
          await cloneBase(path.join(bases, 'busybox'), root);
          await populateRoot(root, { hostname: spec.hostname, osRelease: 'alpine-3.20', accounts: [account] });
        } else {
          await cloneBase(path.join(bases, spec.userland), root);
          await populateRoot(root, { hostname: spec.hostname, osRelease: spec.osRelease, accounts: [account] });
          await buildHostContent(root, spec, account, address, planter, path.join(bases, 'busybox'), containers, options.dockerFixtures?.[spec.name] ?? DOCKER_FIXTURES);
        }
        const handle = await startSshd({
          address,
          user: account.name,
          authorizedKeys: [client.publicKey],
          chrootDirectory: root,
          hostname: spec.hostname,
          // One SetEnv line: sshd keeps only the first SetEnv line it reads (servconf.c), and startSshd writes one per variable.
          extraConfig: [
            `SetEnv "PATH=${LAB_PATH}" "BLAST_RADIUS_LAB_HOST=${spec.name}"`,
            ...(spec.kind === 'ssh' && spec.forceCommand ? [`ForceCommand ${spec.forceCommand}`] : []),
          ],
          stateDir: path.join(runDir, 'sshd', spec.name),
        });
        handles.push(handle);
        let knownLine = handle.knownHostsLine;
        if (spec.kind === 'wrongkey') knownLine = `[${address}]:${handle.port} ${await decoyKey(path.join(runDir, 'decoy'))}`;
        knownHosts.push(knownLine);
        hosts[spec.name] = {
          name: spec.name,
          kind: spec.kind,
          address,
          port: handle.port,
          user: account.name,
          root,
          hostKeyFingerprint: handle.hostKeyFingerprint,
          proves: spec.proves,
        };
      }),
    );

    // LiteLLM's database: a real PostgreSQL on gw's lab address, read through the db container's psql.
    const database = containers[LITELLM_DB_CONTAINER];
    if (database && hosts['gw']) await startLitellmPostgres({ runDir, containerRoot: database.root, address: hosts['gw'].address, user: labUser });

    const knownHostsPath = path.join(runDir, 'known_hosts');
    await writeFile(knownHostsPath, `${knownHosts.sort().join('\n')}\n`, { mode: 0o644 });
    const sshConfigPath = path.join(runDir, 'ssh_config');
    const ordered = specs.map((spec) => hosts[spec.name]!);
    await writeFile(sshConfigPath, sshConfig(runId, ordered, client.privateKeyPath, knownHostsPath), { mode: 0o644 });

    let stopping: Promise<void> | null = null;
    const lab: Lab = {
      runId,
      runDir,
      sshConfigPath,
      knownHostsPath,
      identityFile: client.privateKeyPath,
      hosts,
      containers,
      rootOf: (host, container) => rootOf(hosts, containers, host, container),
      trippedTraps: () => trippedTraps(hosts, containers),
      clearTraps: async () => {
        for (const [, root] of allRoots(hosts, containers)) await clearTrapLog(root);
      },
      writeFile: async (host, file, content, fileOptions = {}) => {
        const root = rootOf(hosts, containers, host, fileOptions.container);
        await writeRootFile(root, file, content, fileOptions.mode ?? 0o644);
        const user = hosts[host]?.user;
        if (!fileOptions.container && user && user !== 'root' && file.startsWith(`/home/${user}/`)) {
          await chown(inRoot(root, file), labUser.uid, labUser.gid);
        }
      },
      removeFile: async (host, file, fileOptions = {}) => {
        await rm(inRoot(rootOf(hosts, containers, host, fileOptions.container), file), { recursive: true, force: true });
      },
      removeContainer: async (host, name) => {
        const spec = specs.find((candidate) => candidate.name === host);
        const root = hosts[host]?.root;
        if (!spec || spec.kind !== 'ssh' || !root) throw new Error(`lab host ${host} has no containers`);
        await removeDockerContainer(root, name, spec.network, hosts[host]!.address, planter);
        delete containers[name];
      },
      setContainerEnv: async (host, name, env) => {
        const root = hosts[host]?.root;
        if (!root || !specs.some((candidate) => candidate.name === host && candidate.kind === 'ssh')) throw new Error(`lab host ${host} has no containers`);
        await setDockerContainerEnv(root, name, env);
      },
      lateralKey,
      plantedPlaces: (id) => planter.placesOf(id),
      removePlantedSecret: (id) => planter.remove(id),
      whereExists: async (file) => {
        const found: string[] = [];
        if (await exists(file)) found.push('this machine');
        for (const [label, root] of allRoots(hosts, containers)) if (await exists(inRoot(root, file))) found.push(label);
        return found;
      },
      stop: () => {
        stopping ??= stopRun(runDir, handles, block);
        return stopping;
      },
    };
    return lab;
  } catch (error) {
    await stopRun(runDir, handles, block).catch(() => undefined);
    throw error;
  }
}

/**
 * Removes what crashed runs left: every run folder whose owner process is gone (its sshds are
 * killed first) and every address block such a run held. Live runs of other processes are kept.
 */
export async function sweepStaleLabs(): Promise<{ runs: string[]; sshdKilled: number }> {
  const runsDir = path.join(LAB_STATE_ROOT, 'runs');
  const swept: string[] = [];
  let sshdKilled = 0;
  for (const name of await readdir(runsDir).catch(() => [] as string[])) {
    const runDir = path.join(runsDir, name);
    const owner = await readOwner(path.join(runDir, OWNER_FILE));
    if (owner ? await isAlive(owner) : Date.now() - (await stat(runDir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs < ORPHAN_GRACE_MS) continue;
    sshdKilled += await killStaleSshd(runDir);
    // A crashed run's PostgreSQL keeps running on its data folder: stop it before the folder goes.
    await stopLitellmPostgres(runDir, LAB_USER).catch(() => undefined);
    await rm(runDir, { recursive: true, force: true });
    swept.push(name);
  }
  const blocksDir = path.join(LAB_STATE_ROOT, 'blocks');
  for (const name of await readdir(blocksDir).catch(() => [] as string[])) {
    const owner = await readOwner(path.join(blocksDir, name, OWNER_FILE));
    // A block is claimed after its run folder exists, so a block without one is stale.
    const runExists = owner?.runId !== undefined && existsSync(path.join(runsDir, owner.runId));
    if (owner && runExists && (await isAlive(owner))) continue;
    if (!owner && Date.now() - (await stat(path.join(blocksDir, name)).catch(() => ({ mtimeMs: 0 }))).mtimeMs < ORPHAN_GRACE_MS) continue;
    await rm(path.join(blocksDir, name), { recursive: true, force: true });
  }
  return { runs: swept, sshdKilled };
}

/** Runs a script on a lab host with the system ssh client (`ssh -F <config> <host> 'sh -s'`), for tests. */
export async function sshScript(
  lab: Pick<Lab, 'sshConfigPath'>,
  host: string,
  script: string,
  options: { command?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'ssh',
      ['-F', lab.sshConfigPath, host, options.command ?? 'sh -s'],
      { timeout: options.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null) : 0;
        if (error && code === null && !(error as { killed?: boolean }).killed) return reject(error);
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(script);
  });
}

async function buildHostContent(
  root: string,
  spec: LabSshHostSpec,
  account: RootAccount,
  address: string,
  planter: Planter,
  busyboxBase: string,
  containers: Record<string, LabContainerInfo>,
  fixturesDir: string,
): Promise<void> {
  for (const site of spec.sitePackages) {
    const owned = site.path.startsWith(`${account.home}/`) ? { uid: account.uid, gid: account.gid } : undefined;
    await writeSitePackages(root, site, owned);
  }
  for (const venv of spec.virtualenvs) await writeVirtualenv(root, venv);
  for (const guest of spec.guestRoots ?? []) await writeTraps(inRoot(root, guest));
  const where = { host: spec.name, container: null, root };
  for (const [file, content] of Object.entries(spec.hostFiles ?? {})) {
    // A user's files are the user's, folders included (ssh and git refuse others' 0600 files anyway).
    const owned = file.startsWith(`${account.home}/`) && account.uid !== 0;
    await planter.writeFile(where, file, content, owned ? { owner: account } : {});
    if (!owned) continue;
    for (const dir of foldersBetween(account.home, file)) {
      await chown(inRoot(root, dir), account.uid, account.gid);
      if (path.posix.basename(dir) === '.ssh') await chmod(inRoot(root, dir), 0o700);
    }
  }
  await planter.writeProcNet(root, '/proc', spec.network, address);
  if (spec.bulkFiles) await writeBulkFiles(root, spec.bulkFiles);
  if (spec.journal) await writeLabJournal(root, spec.journal, (text) => planter.render(text).text);
  if (spec.docker === 'permission-denied') {
    await installScript(root, '/usr/bin/docker', 'docker-denied.sh');
    await installScript(root, '/usr/bin/sudo', 'sudo-denied.sh');
  }
  if (spec.docker === 'scripted') {
    await installScript(root, '/usr/bin/docker', 'docker-scripted.sh');
    for (const [verb, answer] of Object.entries(spec.dockerAnswers ?? {})) {
      const base = `${LAB_LIB}/docker-scripted/${verb}`;
      if (answer.stdout !== undefined) await planter.writeFile(where, `${base}.stdout`, answer.stdout);
      if (answer.stderr !== undefined) await planter.writeFile(where, `${base}.stderr`, answer.stderr);
      await writeRootFile(root, `${base}.rc`, `${answer.exitCode}\n`);
    }
  }
  if (spec.docker === 'standin') {
    await installScript(root, '/usr/bin/docker', 'docker-standin.sh');
    await installDockerData(root, spec.name, spec.containers, planter, busyboxBase, containers, fixturesDir);
  }
}

/** Writes a host's bulk files a few thousand at a time (a Node call per file is slower by far): one mkdir, then one shell writing them by printf. */
async function writeBulkFiles(root: string, bulk: LabBulkFiles): Promise<void> {
  const folder = inRoot(root, bulk.folder);
  const folders = Array.from({ length: bulk.count }, (_, index) => path.join(folder, `project-${Math.floor(index / 100)}`, `service-${index % 100}`));
  for (let start = 0; start < folders.length; start += 2000) {
    const chunk = folders.slice(start, start + 2000);
    await execFileAsync('mkdir', ['-p', '--', ...chunk]);
    await execFileAsync('/bin/sh', ['-c', 'name=$1 content=$2; shift 2; for d do printf "%s" "$content" > "$d/$name" || exit 1; done', 'sh', bulk.fileName, bulk.content, ...chunk]);
  }
}

async function installScript(root: string, target: string, source: string): Promise<void> {
  await writeRootFile(root, target, await readFile(path.join(HERE, source)), 0o755);
}

interface Fixture {
  Id: string;
  Name: string;
  Created: string;
  State: { Status: string; Running: boolean; Pid: number };
  GraphDriver: { Data: { MergedDir: string; LowerDir: string; UpperDir: string; WorkDir: string } };
  Config: { Hostname: string };
}

/** Copies the Docker fixtures into the gw root, writes the stand-in's indexes and builds each container's filesystem. */
async function installDockerData(
  root: string,
  host: string,
  specs: LabContainer[],
  planter: Planter,
  busyboxBase: string,
  out: Record<string, LabContainerInfo>,
  fixturesDir: string,
): Promise<void> {
  const data = `${LAB_LIB}/docker`;
  const fixtures: Fixture[] = [];
  for (const file of (await readdir(path.join(fixturesDir, 'containers'))).filter((f) => f.endsWith('.json'))) {
    const text = await readFile(path.join(fixturesDir, 'containers', file), 'utf8');
    const fixture = (JSON.parse(text) as Fixture[])[0]!;
    await planter.writeFile({ host, container: fixture.Name.replace(/^\//, ''), root }, `${data}/containers/${file}`, text, { format: 'docker-inspect' });
    fixtures.push(fixture);
  }
  const imageIndex: string[] = [];
  for (const file of (await readdir(path.join(fixturesDir, 'images'))).filter((f) => f.endsWith('.json'))) {
    const text = await readFile(path.join(fixturesDir, 'images', file), 'utf8');
    await writeRootFile(root, `${data}/images/${file}`, text);
    const image = (JSON.parse(text) as { Id: string; RepoTags: string[] }[])[0]!;
    for (const tag of image.RepoTags.length ? image.RepoTags : ['']) imageIndex.push(`${image.Id.replace(/^sha256:/, '')}\t${tag}`);
  }
  // `docker history` output per image, when the fixture folder has it (generated hosts may not).
  for (const file of (await readdir(path.join(fixturesDir, 'history')).catch(() => [] as string[])).filter((f) => f.endsWith('.jsonl'))) {
    await writeRootFile(root, `${data}/history/${file}`, await readFile(path.join(fixturesDir, 'history', file), 'utf8'));
  }
  // `docker logs` output per container (`--timestamps` form), tokens substituted: a gateway's access log names its clients' lab addresses.
  for (const file of (await readdir(path.join(fixturesDir, 'logs')).catch(() => [] as string[])).filter((f) => f.endsWith('.log'))) {
    const owner = fixtures.find((fixture) => `${fixture.Id}.log` === file);
    await planter.writeFile({ host, container: owner ? owner.Name.replace(/^\//, '') : null, root }, `${data}/logs/${file}`, await readFile(path.join(fixturesDir, 'logs', file), 'utf8'));
  }
  // `docker ps` lists newest first.
  fixtures.sort((a, b) => (a.Created < b.Created ? 1 : -1));
  const index = fixtures.map((f) => `${f.Id}\t${f.State.Status}\t${f.GraphDriver.Data.MergedDir}\t${f.Name.replace(/^\//, '')}`);
  await writeRootFile(root, `${data}/containers.tsv`, `# id\tstatus\tmerged-dir\tname (written by lab.ts from fixtures/docker)\n${index.join('\n')}\n`);
  await writeRootFile(root, `${data}/images.tsv`, `# image-id\trepo-tag\n${imageIndex.join('\n')}\n`);

  await Promise.all(specs.map(async (spec) => {
    const fixture = fixtures.find((f) => f.Name === `/${spec.name}`);
    if (!fixture) throw new Error(`lab host ${host}: no fixture for container ${spec.name}`);
    const graph = fixture.GraphDriver.Data;
    for (const dir of [graph.MergedDir, graph.UpperDir, graph.WorkDir, ...graph.LowerDir.split(':')]) await mkdir(inRoot(root, dir), { recursive: true });
    // A stopped container's overlay is unmounted: MergedDir is an empty folder, the files sit in the image layer.
    const filesAt = fixture.State.Running ? graph.MergedDir : graph.LowerDir.split(':')[1]!;
    const containerRoot = inRoot(root, filesAt);
    await rm(containerRoot, { recursive: true, force: true });
    await cloneBase(busyboxBase, containerRoot);
    await populateRoot(containerRoot, {
      hostname: fixture.Config.Hostname,
      osRelease: spec.osRelease,
      accounts: [{ name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/sh' }],
    });
    await Promise.all(spec.sitePackages.map((site) => writeSitePackages(containerRoot, site)));
    for (const [file, content] of Object.entries(spec.files ?? {})) await planter.writeFile({ host, container: spec.name, root: containerRoot }, file, content);
    // A running container's network namespace, as the host sees it through /proc/<State.Pid>/net.
    if (fixture.State.Running && fixture.State.Pid > 0) await planter.writeProcNet(root, `/proc/${fixture.State.Pid}`, spec.network, null);
    out[spec.name] = { name: spec.name, id: fixture.Id, running: fixture.State.Running, mergedDir: graph.MergedDir, root: containerRoot };
  }));
}

/** `docker rm -f NAME` on a stand-in host: see Lab.removeContainer. */
async function removeDockerContainer(root: string, name: string, network: LabNetwork | undefined, address: string, planter: Planter): Promise<void> {
  const data = `${LAB_LIB}/docker`;
  const index = await readFile(inRoot(root, `${data}/containers.tsv`), 'utf8');
  const line = index.split('\n').find((entry) => !entry.startsWith('#') && entry.split('\t')[3] === name);
  if (!line) throw new Error(`no container ${name} in the docker stand-in's index`);
  const id = line.split('\t')[0]!;
  const fixturePath = inRoot(root, `${data}/containers/${id}.json`);
  const [fixture] = JSON.parse(await readFile(fixturePath, 'utf8')) as Array<Fixture & { NetworkSettings?: { Ports?: Record<string, Array<{ HostPort: string }> | null> } }>;
  const published = new Set(
    Object.values(fixture?.NetworkSettings?.Ports ?? {}).flatMap((bindings) => (bindings ?? []).map((binding) => Number(binding.HostPort))),
  );
  await writeRootFile(root, `${data}/containers.tsv`, index.split('\n').filter((entry) => entry !== line).join('\n'));
  await rm(fixturePath, { force: true });
  await rm(inRoot(root, `${data}/logs/${id}.log`), { force: true });
  if (fixture) {
    const graph = fixture.GraphDriver.Data;
    for (const dir of [graph.MergedDir, graph.UpperDir, graph.WorkDir]) await rm(inRoot(root, dir), { recursive: true, force: true });
    if (fixture.State.Pid > 0) await rm(inRoot(root, `/proc/${fixture.State.Pid}`), { recursive: true, force: true });
  }
  if (published.size === 0) return;
  // docker-proxy's sockets on the published ports go with the container.
  const localPort = (socket: { local: string }) => Number(socket.local.slice(socket.local.lastIndexOf(':') + 1));
  const keep = (list: LabNetwork['tcp']) => (list ?? []).filter((socket) => !published.has(localPort(socket)));
  await planter.writeProcNet(root, '/proc', { ...network, tcp: keep(network?.tcp), tcp6: keep(network?.tcp6) }, address);
}

/** Rewrites a stand-in container's `Config.Env`: see Lab.setContainerEnv. */
async function setDockerContainerEnv(root: string, name: string, env: Record<string, string | null>): Promise<void> {
  const data = `${LAB_LIB}/docker`;
  const index = await readFile(inRoot(root, `${data}/containers.tsv`), 'utf8');
  const line = index.split('\n').find((entry) => !entry.startsWith('#') && entry.split('\t')[3] === name);
  if (!line) throw new Error(`no container ${name} in the docker stand-in's index`);
  const fixtureFile = `${data}/containers/${line.split('\t')[0]!}.json`;
  const fixtures = JSON.parse(await readFile(inRoot(root, fixtureFile), 'utf8')) as Array<{ Config: { Env?: string[] | null } }>;
  const variableOf = (entry: string) => entry.slice(0, entry.indexOf('=') === -1 ? entry.length : entry.indexOf('='));
  const kept = (fixtures[0]!.Config.Env ?? []).filter((entry) => !Object.hasOwn(env, variableOf(entry)));
  const set = Object.entries(env).flatMap(([variable, value]) => (value === null ? [] : [`${variable}=${value}`]));
  fixtures[0]!.Config.Env = [...kept, ...set];
  await writeRootFile(root, fixtureFile, JSON.stringify(fixtures, null, 2));
}

function rootOf(hosts: Record<string, LabHost>, containers: Record<string, LabContainerInfo>, host: string, container?: string): string {
  const found = hosts[host];
  if (!found?.root) throw new Error(`lab host ${host} has no filesystem`);
  if (container === undefined) return found.root;
  const info = containers[container];
  if (!info || !info.root.startsWith(`${found.root}/`)) throw new Error(`lab host ${host} has no container ${container}`);
  return info.root;
}

/** Every root of the lab with its label: `host` or `host:container`. */
function allRoots(hosts: Record<string, LabHost>, containers: Record<string, LabContainerInfo>): [string, string][] {
  const roots: [string, string][] = [];
  for (const host of Object.values(hosts)) {
    if (!host.root) continue;
    roots.push([host.name, host.root]);
    for (const container of Object.values(containers)) if (container.root.startsWith(`${host.root}/`)) roots.push([`${host.name}:${container.name}`, container.root]);
  }
  return roots;
}

async function trippedTraps(hosts: Record<string, LabHost>, containers: Record<string, LabContainerInfo>): Promise<TrapHit[]> {
  const hits: TrapHit[] = [];
  for (const [label, root] of allRoots(hosts, containers)) {
    const [host, container] = label.split(/:(.*)/s) as [string, string | undefined];
    for (const line of await readTrapLog(root)) hits.push({ host, container: container ?? null, line });
  }
  return hits;
}

/** One ssh_config `Host` block for a lab host: its own key, its own known_hosts, strict checking. */
export function sshConfigBlock(host: { name: string; address: string; port: number; user: string | null }, identityFile: string, knownHostsPath: string): string {
  return [
    `Host ${host.name}`,
    `    HostName ${host.address}`,
    `    Port ${host.port}`,
    `    User ${host.user ?? LAB_USER}`,
    `    IdentityFile ${identityFile}`,
    '    IdentitiesOnly yes',
    `    UserKnownHostsFile ${knownHostsPath}`,
    '    GlobalKnownHostsFile /dev/null',
    '    StrictHostKeyChecking yes',
    '    BatchMode yes',
    '    ConnectTimeout 5',
  ].join('\n');
}

function sshConfig(runId: string, hosts: LabHost[], identityFile: string, knownHostsPath: string): string {
  const blocks = hosts.map((host) => sshConfigBlock(host, identityFile, knownHostsPath));
  return `# Blast Radius test lab, run ${runId}: generated by e2e/lab/lab.ts, removed by lab.stop().\n\n${blocks.join('\n\n')}\n`;
}

async function stopRun(runDir: string, handles: SshdHandle[], block: number): Promise<void> {
  await Promise.all(handles.map((handle) => handle.stop()));
  await stopLitellmPostgres(runDir, LAB_USER).catch(() => undefined);
  await killStaleSshd(runDir);
  await killChrootedProcesses(runDir);
  await rm(runDir, { recursive: true, force: true });
  await rm(path.join(LAB_STATE_ROOT, 'blocks', String(block)), { recursive: true, force: true });
}

/**
 * Kills every process chrooted into the run's folder. A session whose connection was closed
 * (a wedged host's `sleep 100000`, given up on by a scan) leaves sshd's process tree, so stopping
 * the sshds misses it; its root (`/proc/PID/root`) still names the host's chroot.
 */
async function killChrootedProcesses(runDir: string): Promise<void> {
  for (const name of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const root = await readlink(`/proc/${name}/root`).catch(() => '');
    if (!root.startsWith(`${runDir}/`)) continue;
    try {
      process.kill(Number(name), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Claims a free 127.77.<block>.0/24 for this run (an atomic mkdir); the block folder names its owner. */
async function claimBlock(owner: Owner): Promise<number> {
  for (let attempt = 0; attempt < 64; attempt++) {
    const block = randomInt(1, 255);
    const dir = path.join(LAB_STATE_ROOT, 'blocks', String(block));
    try {
      await mkdir(dir, { mode: 0o755 });
    } catch {
      continue;
    }
    await writeFile(path.join(dir, OWNER_FILE), JSON.stringify(owner));
    return block;
  }
  throw new Error('no free lab address block (127.77.1-254.0/24): too many live runs, or sweep failed');
}

/** Creates a folder owned by root, mode 0755 (ChrootDirectory refuses anything group/world-writable). */
async function ensureRootOwnedDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  await chown(dir, 0, 0);
  await chmod(dir, 0o755);
}

async function currentOwner(runId: string): Promise<Owner> {
  return { pid: process.pid, startTime: await processStartTime(process.pid), runId };
}

async function readOwner(file: string): Promise<Owner | null> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as Owner;
    return Number.isInteger(owner.pid) && typeof owner.startTime === 'string' ? owner : null;
  } catch {
    return null;
  }
}

/** True while the owner process runs; its start time guards against a reused pid. */
async function isAlive(owner: Owner): Promise<boolean> {
  return (await processStartTime(owner.pid)) === owner.startTime && owner.startTime !== '';
}

async function processStartTime(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (!stat) return '';
  // Field 22 (starttime), counted after the parenthesised command name.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

/** The lab's unprivileged user, created on this machine when missing (sshd resolves users before chrooting). */
async function ensureLabUser(): Promise<RootAccount> {
  let account = await systemAccount(LAB_USER).catch(() => null);
  if (!account) {
    // `-p '*'`: an account locked with `!` is refused by sshd when UsePAM is off.
    await run('useradd', ['-p', '*', '-M', '-U', '-d', `/home/${LAB_USER}`, '-s', '/bin/sh', LAB_USER]).catch(async (error: Error) => {
      if (!(await systemAccount(LAB_USER).catch(() => null))) throw error; // a parallel run created it: fine
    });
    account = await systemAccount(LAB_USER);
  }
  const shadow = await run('getent', ['shadow', LAB_USER]).catch(() => '');
  if (shadow.split(':')[1]?.startsWith('!')) await run('usermod', ['-p', '*', LAB_USER]);
  return { ...account, home: `/home/${LAB_USER}`, shell: '/bin/sh' };
}

async function systemAccount(name: string): Promise<RootAccount> {
  const line = (await execFileAsync('getent', ['passwd', name])).stdout.trim();
  const [user, , uid, gid, , home, shell] = line.split(':');
  if (!user || uid === undefined || gid === undefined) throw new Error(`no account ${name}`);
  return { name: user, uid: Number(uid), gid: Number(gid), home: home || `/home/${name}`, shell: shell || '/bin/sh' };
}

/** The run's lateral-movement key pair (ed25519, no passphrase), commented as its holder's would be. */
async function generateLateralKey(dir: string): Promise<LateralKey> {
  const key = await generateClientKey(dir, { comment: `${LAB_USER}@nodocker` });
  return { publicKey: key.publicKey, privateKey: await readFile(key.privateKeyPath, 'utf8'), fingerprint: key.fingerprint };
}

/** A host key that no lab sshd offers, for the wrongkey host's known_hosts entry. */
async function decoyKey(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keyPath = path.join(dir, 'decoy_ed25519');
  if (!existsSync(keyPath)) await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'lab-decoy', '-f', keyPath]);
  const [type, key] = (await readFile(`${keyPath}.pub`, 'utf8')).trim().split(/\s+/);
  return `${type} ${key}`;
}

