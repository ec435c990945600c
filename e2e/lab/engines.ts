/**
 * The lab on real container engines: its own dockerd (and, on request, a Podman API service) per
 * run, images made with `docker import` from roots this file writes, and the LiteLLM homelab's
 * gateway, database, consumer, updater, a stopped container and a shell-less one as real
 * containers on a real user network with a published port. Two sshd hosts in chroots, as the
 * stand-in lab's (lab.ts): `gw`, whose sessions reach the engine through `DOCKER_HOST` (the
 * engine's socket is bind-mounted into its root at the same path, and the static docker client
 * copied in), and `ollama`, a consumer of the gateway's published port. README.md says what each
 * proves.
 *
 *   const lab = await startEngineLab();          // ~10 s: daemon, images, containers, sshds
 *   // point the product at lab.sshConfigPath
 *   expect(await lab.trippedTraps()).toEqual([]);
 *   await lab.stop();                            // kills everything tied to the run, unmounts, removes it
 *
 * Runs live under /var/lib/blast-radius-lab/engines (apart from the stand-in lab's runs, whose sweep
 * would remove a folder with mounts in it) and on 127.78.<block>.N. A crashed run is swept by the
 * next startEngineLab (sweepStaleEngineLabs): its daemons, containers and sessions killed, its
 * overlay, network-namespace and bind mounts unmounted, its bridges deleted, its folder removed.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LAB_STATE_ROOT, sshConfigBlock, type LabHost, type TrapHit } from './lab.js';
import { LITELLM_1_82_8, LITELLM_CONFIG, PIP, SETUPTOOLS, type LabDistribution } from './lab-hosts.js';
import { COPIES_CLEAN_SITE, COPIES_CONTAINER_RUNS, copiesImages } from './engine-copies.js';
import { PSQL_STANDIN, PSQL_STANDIN_LOG, PSQL_STANDIN_ROWS, PSQL_STANDIN_ROWS_TEXT } from './psql-standin.js';
import { Planter } from './plants.js';
import { DOCKER_CLIENT, addLoopbackAddress, importImage, mountsUnder, startDockerd, startPodmanService, teardownEngineRun, type EngineHandle } from './engine-daemons.js';
import { LAB_PATH, TRAP_LOG, buildBusyboxBase, buildDebianBase, cloneBase, exists, inRoot, populateRoot, readTrapLog, run, writeRootFile, writeSitePackages } from './rootfs.js';
import { generateClientKey, startSshd, type SshdHandle } from './sshd.js';

/** Where the real-engine lab keeps its runs and address blocks. */
export const ENGINE_LAB_ROOT = path.join(LAB_STATE_ROOT, 'engines');
const OWNER_FILE = 'owner.json';
const ORPHAN_GRACE_MS = 60_000;

/** A container of the real-engine lab, as its engine reports it. */
export interface EngineContainerInfo {
  name: string;
  id: string;
  /** The lab host whose engine runs it. */
  host: string;
  running: boolean;
  /** The engine's overlay folders for it (GraphDriver.Data), on this machine. */
  mergedDir: string | null;
  upperDir: string | null;
  /** Its address on the lab's user network (null when it has none). */
  address: string | null;
}

/** A running real-engine lab. */
export interface EngineLab {
  runId: string;
  runDir: string;
  sshConfigPath: string;
  knownHostsPath: string;
  identityFile: string;
  hosts: Record<string, LabHost>;
  /** The engine each engine host's sessions reach (`DOCKER_HOST`), by host name. */
  engines: Record<string, EngineHandle>;
  containers: Record<string, EngineContainerInfo>;
  /** The host port gw's gateway publishes its 4000/tcp on (every address, IPv4 and IPv6); podgw's has its own. */
  gatewayPort: number;
  /** Milliseconds each step of startEngineLab took (daemon, images, containers, sshds, total). */
  timings: Record<string, number>;
  /** Every trap hit in every host root and container (read from the containers' overlay upper layers). */
  trippedTraps(): Promise<TrapHit[]>;
  /** Where an absolute path exists: `this machine`, `host` or `host:container`. */
  whereExists(file: string): Promise<string[]>;
  /** Stops everything and removes the run (idempotent); resolves with how long it took in ms. */
  stop(): Promise<number>;
}

/** Options for startEngineLab. */
export interface StartEngineLabOptions {
  runId?: string;
  /** Also start a Podman API service and the `podgw` host whose sessions reach it (default false). */
  podman?: boolean;
  /**
   * Also build the copies of litellm 1.82.8 that only a comparison by content tells apart
   * (engine-copies.ts): a running `llm-router` whose RECORD lists a stager `.pth`, a stopped
   * `eval-worker` whose start-up reinstall left a `proxy_server.py` variant (and its RECORD) in its
   * upper layer, and the clean copy on `ollama` (default false: the usual lab stays as it is).
   */
  copies?: boolean;
}

interface Owner {
  pid: number;
  startTime: string;
  runId?: string;
}

/** One image the lab builds: a busybox-static root, Python metadata, files. */
export interface ImageSpec {
  tag: string;
  sitePackages: { path: string; distributions: LabDistribution[] }[];
  files?: Record<string, { content: string; mode?: number }>;
  /** `docker import -c` changes besides WORKDIR and PATH (an ENTRYPOINT). */
  changes?: string[];
  /** Leaves out `sh` (and every other applet link): a distroless-like image where `exec sh` finds nothing. */
  noShell?: boolean;
}

/** uvicorn-style start-up lines of the gateway stand-in; its access lines are rendered per run (client addresses). */
const GATEWAY_SCRIPT = `#!/bin/sh
# Blast Radius lab: stands in for LiteLLM's proxy (no Python in the lab). Prints what uvicorn
# prints to stdout (so \`docker logs\` returns it): start-up lines, then the access lines the lab
# wrote for this run, then idles until stopped.
echo 'INFO:     Started server process [1]'
echo 'INFO:     Waiting for application startup.'
echo 'INFO:     Application startup complete.'
echo 'INFO:     Uvicorn running on http://0.0.0.0:4000 (Press CTRL+C to quit)'
cat /app/access.log
trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
`;

/** The idle command of every other running container: sleeps until stopped. */
const IDLE = ['sh', '-c', "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"];

const LITELLM_IMAGE = 'ghcr.io/berriai/litellm:main-latest';
const IMAGES: ImageSpec[] = [
  {
    tag: LITELLM_IMAGE,
    sitePackages: [
      {
        path: '/usr/local/lib/python3.11/site-packages',
        distributions: [LITELLM_1_82_8, { name: 'openai', version: '1.68.2' }, { name: 'pydantic', version: '2.10.6' }, { name: 'httpx', version: '0.28.1' }, PIP, SETUPTOOLS],
      },
    ],
    files: { '/usr/local/bin/litellm': { content: GATEWAY_SCRIPT, mode: 0o755 } },
  },
  {
    tag: 'ghcr.io/open-webui/open-webui:v0.6.5',
    sitePackages: [
      {
        path: '/usr/local/lib/python3.11/site-packages',
        distributions: [
          { name: 'open-webui', version: '0.6.5' },
          { name: 'litellm', version: '1.83.0', summary: 'Library to easily interface with LLM API providers' },
          { name: 'requests', version: '2.32.3' },
          PIP,
        ],
      },
    ],
  },
  {
    tag: 'postgres:16',
    sitePackages: [],
    files: {
      '/usr/bin/psql': { content: PSQL_STANDIN, mode: 0o755 },
      [PSQL_STANDIN_ROWS]: { content: PSQL_STANDIN_ROWS_TEXT },
      [PSQL_STANDIN_LOG]: { content: '', mode: 0o666 },
    },
  },
  {
    // As the real image: an ENTRYPOINT and no arguments (arguments would name the only containers it watches).
    tag: 'containrrr/watchtower:latest',
    sitePackages: [],
    files: { '/watchtower': { content: `#!/bin/sh\n# Blast Radius lab: stands in for Watchtower; idles until stopped.\ntrap 'exit 0' TERM INT\nwhile :; do sleep 3600 & wait $!; done\n`, mode: 0o755 } },
    changes: ['ENTRYPOINT ["/watchtower"]'],
  },
  {
    tag: 'ghcr.io/berriai/litellm:v1.82.6-stable',
    sitePackages: [{ path: '/usr/local/lib/python3.11/site-packages', distributions: [{ name: 'litellm', version: '1.82.6' }, { name: 'openai', version: '1.61.0' }, PIP] }],
    // A key left in the old gateway's app folder: found only when the stopped container is read from its layers.
    files: { '/app/.env': { content: 'GROQ_API_KEY={{planted:groq}}\n' } },
  },
  {
    tag: 'registry.lab.example/batch-runner:1.4',
    noShell: true,
    sitePackages: [{ path: '/usr/lib/python3/dist-packages', distributions: [{ name: 'requests', version: '2.31.0' }, { name: 'urllib3', version: '2.0.7' }] }],
  },
];

/** Builds and starts the real-engine lab. Needs root, docker.io (dockerd, containerd, runc), openssh-server and busybox-static. */
export async function startEngineLab(options: StartEngineLabOptions = {}): Promise<EngineLab> {
  if (process.getuid?.() !== 0) throw new Error('the real-engine lab needs root (dockerd, chroot, mount)');
  if (!existsSync('/usr/sbin/dockerd') && !existsSync('/usr/bin/dockerd')) throw new Error('dockerd is missing: apt-get install docker.io');
  const started = performance.now();
  const timings: Record<string, number> = {};
  const lap = (name: string, since: number) => {
    timings[name] = Math.round(performance.now() - since);
    return performance.now();
  };
  const runId = options.runId ?? `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/.test(runId)) throw new Error(`invalid runId ${runId}`);
  for (const dir of [LAB_STATE_ROOT, ENGINE_LAB_ROOT, path.join(ENGINE_LAB_ROOT, 'runs'), path.join(ENGINE_LAB_ROOT, 'blocks')]) await rootOwnedDir(dir);
  const swept = await sweepStaleEngineLabs();
  let since = lap('sweep', started);
  if (swept.runs.length > 0) console.info(`engine lab: swept ${swept.runs.length} crashed runs`);

  const runDir = path.join(ENGINE_LAB_ROOT, 'runs', runId);
  await mkdir(runDir, { mode: 0o755 });
  const owner = await currentOwner(runId);
  await writeFile(path.join(runDir, OWNER_FILE), JSON.stringify(owner));
  const block = await claimBlock(owner);
  const handles: SshdHandle[] = [];
  const stopAll = async () => {
    const stopStarted = performance.now();
    await Promise.all(handles.map((handle) => handle.stop().catch(() => undefined)));
    await teardownEngineRun(runDir);
    await rm(path.join(ENGINE_LAB_ROOT, 'blocks', String(block)), { recursive: true, force: true });
    return Math.round(performance.now() - stopStarted);
  };
  try {
    const address = (octet: number) => `127.78.${block}.${octet}`;
    const addresses: Record<string, string> = { gw: address(2), ollama: address(3), podgw: address(4) };
    const planter = new Planter(addresses, block, null);
    const render = (text: string) => planter.render(text).text;

    const socketDir = path.join(runDir, 'sock');
    const [docker, podman] = await Promise.all([
      startDockerd({ dir: path.join(runDir, 'docker'), socketDir }),
      options.podman ? startPodmanService({ dir: path.join(runDir, 'podman'), socketDir }) : Promise.resolve(null),
      buildBusyboxBase(path.join(runDir, 'base', 'busybox')),
      buildDebianBase(path.join(runDir, 'base', 'debian')),
    ]);
    since = lap('engines', since);

    // Host roots first: the gateway's config is bind-mounted from gw's root.
    const rootAccount = { name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/sh' };
    const hostNames = ['gw', 'ollama', ...(podman ? ['podgw'] : [])];
    const roots: Record<string, string> = {};
    for (const name of hostNames) {
      const root = path.join(runDir, 'hosts', name);
      await cloneBase(path.join(runDir, 'base', 'debian'), root);
      await populateRoot(root, { hostname: name, osRelease: 'debian-12', accounts: [rootAccount] });
      roots[name] = root;
    }
    const gatewayPort = await freePortEverywhere();
    await writeRootFile(roots.gw!, '/srv/ai-gateway/litellm-config.yaml', render(LITELLM_CONFIG));
    if (options.copies) await writeSitePackages(roots.ollama!, COPIES_CLEAN_SITE);
    await writeRootFile(
      roots.ollama!,
      '/opt/chat-app/.env',
      render(`# chat-app: talks to the LiteLLM gateway on gw through its published port\nOPENAI_BASE_URL=http://{{address:gw}}:${gatewayPort}/v1\nOPENAI_API_KEY={{planted:litellm-virtual}}\nHF_TOKEN={{planted:huggingface}}\n`),
    );
    for (const [name, engine] of [['gw', docker], ['podgw', podman]] as const) {
      if (!engine) continue;
      // The engine's socket, at the same path inside the host as on this machine, and the static docker client.
      await bindMount(socketDir, inRoot(roots[name]!, socketDir));
      await copyFile(DOCKER_CLIENT, inRoot(roots[name]!, '/usr/bin/docker'));
      await chmod(inRoot(roots[name]!, '/usr/bin/docker'), 0o755);
      // The engine host's own /proc (its sockets, addresses, container processes), as on a real
      // Docker host; its lab address among the machine's own, so the kernel lists it as the host's.
      await mkdir(inRoot(roots[name]!, '/proc'), { recursive: true, mode: 0o555 });
      await run('mount', ['-t', 'proc', 'proc', inRoot(roots[name]!, '/proc')]);
      // The engine's storage (its overlay layers), read-only at the same path, as a Docker host has
      // /var/lib/docker: a stopped container's layers are read from there.
      const storage = path.join(runDir, engine.engine === 'docker' ? 'docker/data' : 'podman/storage');
      await bindMount(storage, inRoot(roots[name]!, storage));
      await run('mount', ['-o', 'remount,bind,ro', inRoot(roots[name]!, storage)]);
      await addLoopbackAddress(runDir, addresses[name]!);
    }
    since = lap('hosts', since);

    const engines: Record<string, EngineHandle> = { gw: docker, ...(podman ? { podgw: podman } : {}) };
    const containers: Record<string, EngineContainerInfo> = {};
    await Promise.all(
      Object.entries(engines).map(async ([host, engine]) => buildContainers(engine, host, path.join(runDir, 'images', host), path.join(runDir, 'base', 'busybox'), roots[host]!, render, addresses.ollama!, host === 'gw' ? gatewayPort : await freePortEverywhere(), containers, host === 'gw' && options.copies === true)),
    );
    since = lap('containers', since);

    const client = await generateClientKey(path.join(runDir, 'client'));
    const hosts: Record<string, LabHost> = {};
    const knownHosts: string[] = [];
    await Promise.all(
      hostNames.map(async (name) => {
        const setEnv: Record<string, string> = { PATH: LAB_PATH, BLAST_RADIUS_LAB_HOST: name };
        if (engines[name]) setEnv.DOCKER_HOST = engines[name]!.host;
        const handle = await startSshd({
          address: addresses[name]!,
          user: 'root',
          authorizedKeys: [client.publicKey],
          chrootDirectory: roots[name]!,
          hostname: name,
          setEnv,
          stateDir: path.join(runDir, 'sshd', name),
        });
        handles.push(handle);
        knownHosts.push(handle.knownHostsLine);
        hosts[name] = {
          name,
          kind: 'ssh',
          address: addresses[name]!,
          port: handle.port,
          user: 'root',
          root: roots[name]!,
          hostKeyFingerprint: handle.hostKeyFingerprint,
          proves: name === 'ollama' ? 'a consumer of the gateway through its published port' : `containers on a real ${engines[name]!.engine}`,
        };
      }),
    );
    const knownHostsPath = path.join(runDir, 'known_hosts');
    await writeFile(knownHostsPath, `${knownHosts.sort().join('\n')}\n`, { mode: 0o644 });
    const sshConfigPath = path.join(runDir, 'ssh_config');
    const blocks = hostNames.map((name) => sshConfigBlock(hosts[name]!, client.privateKeyPath, knownHostsPath));
    await writeFile(sshConfigPath, `# Blast Radius real-engine lab, run ${runId}: generated by e2e/lab/engines.ts.\n\n${blocks.join('\n\n')}\n`, { mode: 0o644 });
    lap('sshds', since);
    lap('total', started);

    let stopping: Promise<number> | null = null;
    const labelledRoots = async (): Promise<[string, string][]> => {
      const list: [string, string][] = hostNames.map((name) => [name, roots[name]!]);
      for (const container of Object.values(containers)) {
        // A running container's files are its merged view; a stopped one's changes are in its upper layer.
        const dir = container.running && container.mergedDir && existsSync(container.mergedDir) ? container.mergedDir : container.upperDir;
        if (dir) list.push([`${container.host}:${container.name}`, dir]);
      }
      return list;
    };
    return {
      runId,
      runDir,
      sshConfigPath,
      knownHostsPath,
      identityFile: client.privateKeyPath,
      hosts,
      engines,
      containers,
      gatewayPort,
      timings,
      trippedTraps: async () => {
        const hits: TrapHit[] = [];
        for (const [label, root] of await labelledRoots()) {
          const [host, container] = label.split(/:(.*)/s) as [string, string | undefined];
          for (const line of await readTrapLog(root)) hits.push({ host, container: container ?? null, line });
        }
        return hits;
      },
      whereExists: async (file) => {
        const found: string[] = [];
        if (await exists(file)) found.push('this machine');
        for (const [label, root] of await labelledRoots()) if (await exists(inRoot(root, file))) found.push(label);
        return found;
      },
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

/**
 * Builds the images (busybox-static roots with Python metadata, `docker import`ed) and runs the
 * containers on one engine: the gateway (published on every address at `gatewayPort`, its access
 * lines naming the consumer container and the ollama host), its database, a consumer on the same
 * network, Watchtower with the engine's own socket bind-mounted, a stopped old gateway, and a
 * running container without a shell.
 */
async function buildContainers(
  engine: EngineHandle,
  host: string,
  imagesDir: string,
  busyboxBase: string,
  hostRoot: string,
  render: (text: string) => string,
  ollamaAddress: string,
  gatewayPort: number,
  out: Record<string, EngineContainerInfo>,
  copies: boolean,
): Promise<void> {
  const subnet = `10.${randomInt(100, 200)}.${randomInt(0, 256)}`;
  const ip = (octet: number) => `${subnet}.${octet}`;
  const access = [
    `INFO:     ${ip(3)}:51432 - "POST /v1/chat/completions HTTP/1.1" 200 OK`,
    `INFO:     ${ip(3)}:51432 - "POST /v1/chat/completions HTTP/1.1" 200 OK`,
    `INFO:     ${ip(3)}:51440 - "GET /v1/models HTTP/1.1" 200 OK`,
    // A debug line holding a key and a prompt: nothing a scan prints may carry either.
    "10:41:09 - LiteLLM Proxy:DEBUG: proxy_server.py:4821 - Request Headers: {'host': 'litellm:4000', 'authorization': 'Bearer {{planted:litellm-virtual}}'}",
    "10:41:09 - LiteLLM Proxy:DEBUG: proxy_server.py:4839 - Request received by LiteLLM: {'model': 'gpt-4o', 'messages': [{'role': 'user', 'content': 'Summarise the Project Falcon board memo before Thursday'}]}",
    `INFO:     ${ollamaAddress}:40112 - "POST /v1/chat/completions HTTP/1.1" 200 OK`,
    `INFO:     ${ollamaAddress}:40118 - "POST /v1/embeddings HTTP/1.1" 401 Unauthorized`,
  ];
  const images = copies ? [...IMAGES, ...(await copiesImages(path.join(imagesDir, 'stage')))] : IMAGES;
  await Promise.all(
    images.map(async (image, index) => {
      const root = path.join(imagesDir, String(index));
      await cloneBase(busyboxBase, root);
      await populateRoot(root, { hostname: 'localhost', osRelease: 'debian-12', accounts: [] });
      await Promise.all(image.sitePackages.map((site) => writeSitePackages(root, site)));
      for (const [file, { content, mode }] of Object.entries(image.files ?? {})) await writeRootFile(root, file, render(content), mode ?? 0o644);
      if (image.tag === LITELLM_IMAGE) await writeRootFile(root, '/app/access.log', `${render(access.join('\n'))}\n`);
      if (image.noShell) await removeShell(root);
      await importImage(engine.host, root, image.tag, ['WORKDIR /app', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...(image.changes ?? [])]);
    }),
  );

  const network = 'ai-gateway_default';
  const bridge = `brlab${randomBytes(4).toString('hex')}`.slice(0, 15);
  await engine.recordBridge(bridge);
  await engine.recordSubnet(`${subnet}.0/24`);
  await engine.docker(['network', 'create', '--subnet', `${subnet}.0/24`, '--gateway', ip(1), '-o', `com.docker.network.bridge.name=${bridge}`, network]);
  const env = (pairs: Record<string, string>) => Object.entries(pairs).flatMap(([name, value]) => ['-e', `${name}=${render(value)}`]);
  const onNetwork = (octet: number, alias: string) => ['--network', network, '--ip', ip(octet), '--network-alias', alias];
  const runs: { name: string; args: string[]; command: string[]; detach?: boolean }[] = [
    {
      name: 'ai-gateway-db-1',
      args: [...onNetwork(4, 'db'), ...env({ POSTGRES_USER: 'litellm', POSTGRES_PASSWORD: '{{planted:postgres}}', POSTGRES_DB: 'litellm' }), 'postgres:16'],
      command: IDLE,
    },
    {
      name: 'litellm',
      args: [
        ...onNetwork(2, 'litellm'),
        '-p', `${gatewayPort}:4000`,
        '-v', `${inRoot(hostRoot, '/srv/ai-gateway/litellm-config.yaml')}:/app/config.yaml:ro`,
        '--label', 'com.centurylinklabs.watchtower.enable=true',
        '--restart', 'unless-stopped',
        ...env({
          OPENAI_API_KEY: '{{planted:openai}}',
          ANTHROPIC_API_KEY: '{{planted:anthropic}}',
          LITELLM_MASTER_KEY: '{{planted:litellm-master}}',
          DATABASE_URL: 'postgresql://litellm:{{planted:postgres}}@db:5432/litellm',
        }),
        LITELLM_IMAGE,
      ],
      command: ['litellm', '--config', '/app/config.yaml', '--port', '4000'],
    },
    {
      name: 'open-webui',
      args: [...onNetwork(3, 'open-webui'), ...env({ OPENAI_API_BASE_URL: 'http://litellm:4000/v1', OPENAI_API_KEY: '{{planted:litellm-virtual}}' }), 'ghcr.io/open-webui/open-webui:v0.6.5'],
      command: IDLE,
    },
    // No names, no --label-enable: it watches every running container, through the engine's own socket at its own path.
    // No network (`none`): Podman would otherwise put them on its machine-wide default bridge, which parallel runs share.
    { name: 'watchtower', args: ['--network', 'none', '-v', `${engine.socket}:/var/run/docker.sock`, 'containrrr/watchtower:latest'], command: [] },
    { name: 'batch-runner', args: ['--network', 'none', 'registry.lab.example/batch-runner:1.4'], command: ['/bin/busybox', 'sleep', '2147483647'] },
    // Runs once and exits: a stopped container whose files sit in its image layer. Its one run
    // deletes openai's metadata, so its upper layer holds a whiteout over the image's copy.
    {
      name: 'old-litellm',
      args: ['--network', 'none', 'ghcr.io/berriai/litellm:v1.82.6-stable'],
      command: ['/bin/busybox', 'rm', '-rf', '/usr/local/lib/python3.11/site-packages/openai-1.61.0.dist-info'],
      detach: false,
    },
    ...(copies ? COPIES_CONTAINER_RUNS : []),
  ];
  for (const spec of runs) {
    if (spec.detach !== false) {
      await engine.docker(['run', '-d', '--name', spec.name, ...spec.args, ...spec.command]);
      continue;
    }
    // create, start, wait: Podman 4.3's API refuses an attached `docker run` (409 on the upgrade).
    await engine.docker(['create', '--name', spec.name, ...spec.args, ...spec.command]);
    await engine.docker(['start', spec.name]);
    await engine.docker(['wait', spec.name]);
  }
  const inspected = JSON.parse(await engine.docker(['inspect', ...runs.map((spec) => spec.name)])) as Array<{
    Id: string;
    Name: string;
    State: { Running: boolean };
    GraphDriver?: { Data?: { MergedDir?: string; UpperDir?: string } };
    NetworkSettings?: { SandboxKey?: string; Networks?: Record<string, { IPAddress?: string }> };
  }>;
  for (const container of inspected) {
    // Podman keeps network namespaces in /run/netns, outside the run: recorded for the teardown.
    const sandbox = container.NetworkSettings?.SandboxKey ?? '';
    if (/^\/run\/netns\/[A-Za-z0-9-]+$/.test(sandbox)) await engine.recordNetns(sandbox);
    const name = container.Name.replace(/^\//, '');
    out[host === 'gw' ? name : `${host}/${name}`] = {
      name,
      id: container.Id,
      host,
      running: container.State.Running,
      mergedDir: container.GraphDriver?.Data?.MergedDir ?? null,
      upperDir: container.GraphDriver?.Data?.UpperDir ?? null,
      address: container.NetworkSettings?.Networks?.[network]?.IPAddress || null,
    };
  }
}

/** Removes every busybox applet link and the lab's shell scripts (traps, uname wrapper): `exec sh` then finds nothing. */
async function removeShell(root: string): Promise<void> {
  for (const dir of ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin']) {
    for (const name of await readdir(inRoot(root, dir)).catch(() => [] as string[])) {
      if (!(dir === '/bin' && name === 'busybox')) await rm(inRoot(root, `${dir}/${name}`), { force: true });
    }
  }
  await writeRootFile(root, TRAP_LOG, '', 0o666);
}

/** Removes what crashed real-engine runs left (their owner process is gone) and their address blocks; live runs are kept. */
export async function sweepStaleEngineLabs(): Promise<{ runs: string[] }> {
  const runsDir = path.join(ENGINE_LAB_ROOT, 'runs');
  const swept: string[] = [];
  for (const name of await readdir(runsDir).catch(() => [] as string[])) {
    const runDir = path.join(runsDir, name);
    const owner = await readOwner(path.join(runDir, OWNER_FILE));
    if (owner ? await isAlive(owner) : Date.now() - (await stat(runDir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs < ORPHAN_GRACE_MS) continue;
    await teardownEngineRun(runDir);
    swept.push(name);
  }
  const blocksDir = path.join(ENGINE_LAB_ROOT, 'blocks');
  for (const name of await readdir(blocksDir).catch(() => [] as string[])) {
    const owner = await readOwner(path.join(blocksDir, name, OWNER_FILE));
    const runExists = owner?.runId !== undefined && existsSync(path.join(runsDir, owner.runId));
    if (owner && runExists && (await isAlive(owner))) continue;
    if (!owner && Date.now() - (await stat(path.join(blocksDir, name)).catch(() => ({ mtimeMs: 0 }))).mtimeMs < ORPHAN_GRACE_MS) continue;
    await rm(path.join(blocksDir, name), { recursive: true, force: true });
  }
  return { runs: swept };
}

/** Mount points left under a run folder (empty after stop: what `mount | grep <run>` would show). */
export function mountsLeftBy(runDir: string): Promise<string[]> {
  return mountsUnder(runDir);
}

async function bindMount(source: string, target: string): Promise<void> {
  await mkdir(target, { recursive: true, mode: 0o755 });
  await run('mount', ['--bind', source, target]);
}

/** A TCP port free on every address (0.0.0.0 and ::), where the gateway is published. */
async function freePortEverywhere(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function claimBlock(owner: Owner): Promise<number> {
  for (let attempt = 0; attempt < 64; attempt++) {
    const block = randomInt(1, 255);
    const dir = path.join(ENGINE_LAB_ROOT, 'blocks', String(block));
    try {
      await mkdir(dir, { mode: 0o755 });
    } catch {
      continue;
    }
    await writeFile(path.join(dir, OWNER_FILE), JSON.stringify(owner));
    return block;
  }
  throw new Error('no free engine-lab address block (127.78.1-254.0/24)');
}

async function rootOwnedDir(dir: string): Promise<void> {
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

async function isAlive(owner: Owner): Promise<boolean> {
  return owner.startTime !== '' && (await processStartTime(owner.pid)) === owner.startTime;
}

async function processStartTime(pid: number): Promise<string> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return text ? (text.slice(text.lastIndexOf(')') + 2).split(' ')[19] ?? '') : '';
}
