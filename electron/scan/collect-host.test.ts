import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../exec/command-runner.js';
import type { CollectHost } from './scan-hosts.js';
import type { HostArtifacts } from '../readers/artifacts.js';
import { collectHost, type ArtifactReaders, type CollectPhase } from './collect-host.js';
import { fakeEngine, fakeSudo, hermeticRunner, SHELLS, tempDir, writeTree } from '../collectors/fixtures/shell-harness.js';

const fixturePath = (name: string): string => fileURLToPath(new URL(`../collectors/fixtures/${name}`, import.meta.url));
const LITELLM_ID = '3f9c2b7e4a1d8c6f5e0b9a8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e';
const DISTROLESS_ID = 'a'.repeat(64);
const PLANTED_KEY = 'sk-proj-PLANTEDfake0123456789abcdefABCDEFghij';

/** Stand-in readers that find nothing (the real ones are tested in their own folders). */
const quietReaders: ArtifactReaders = {
  findSecrets: () => ({ secrets: [], authorizedKeys: [] }),
  readTopology: () => ({ addresses: [], endpointReferences: [], tunnels: [], proxyRoutes: [], connections: [], gatewayConfigs: [], gatewayServices: [] }),
};

// collectHost is what scanHosts is given: keep the two signatures in step.
const asScanCollector: CollectHost = collectHost;
void asScanCollector;

interface Lab {
  dir: string;
  marker: string;
  log: string;
  pwned: string;
}

/**
 * A host with a docker stand-in: a running litellm container (exec works), the stopped open-webui
 * container, and a running distroless container named `$(touch /tmp/pwned-…)` whose exec fails,
 * so its MergedDir (here `mergedDir`, or a missing folder) is read from the host instead.
 */
async function buildLab(
  shell: (typeof SHELLS)[number],
  options: { denySocket?: boolean; sudo?: 'allow' | 'refuse'; distrolessMerged?: 'present' | 'missing' } = {},
): Promise<Lab & { runner: Awaited<ReturnType<typeof hermeticRunner>> }> {
  const dir = await tempDir();
  const pwned = `/tmp/pwned-${randomBytes(6).toString('hex')}`;
  const inspect = JSON.parse(await readFile(fixturePath('docker-inspect.json'), 'utf8')) as Array<Record<string, unknown>>;
  const distroless = structuredClone(inspect[0]!) as Record<string, any>;
  distroless['Id'] = DISTROLESS_ID;
  distroless['Name'] = `/$(touch ${pwned})`;
  distroless['GraphDriver']['Data']['MergedDir'] =
    options.distrolessMerged === 'missing' ? join(dir, 'overlay2/gone/merged') : join(dir, 'overlay2/distroless/merged');
  inspect.push(distroless);
  await writeFile(join(dir, 'inspect.json'), `${JSON.stringify(inspect, null, 4)}\n`);
  await writeFile(join(dir, 'ps.txt'), `${LITELLM_ID}\n8b1e6d4c2a0f9e7d5c3b1a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d\n${DISTROLESS_ID}\n`);

  // What `docker exec -i <litellm> sh -s` sees, and the distroless container's filesystem.
  await writeTree(dir, `exec-roots/${LITELLM_ID}/usr/local/lib/python3.13/site-packages/litellm-1.82.8.dist-info/METADATA`, await readFile(fixturePath('metadata/litellm-1.82.8.METADATA'), 'utf8'));
  await writeTree(dir, `exec-roots/${LITELLM_ID}/usr/local/lib/python3.13/site-packages/litellm_init.pth`, 'import os\n');
  if (options.distrolessMerged !== 'missing') {
    await writeTree(dir, 'overlay2/distroless/merged/usr/lib/python3.11/site-packages/telnyx-4.87.2.dist-info/METADATA', 'Name: telnyx\nVersion: 4.87.2\n');
  }
  // The host's own files, and the socket tables of the host and of the containers' pid (48213).
  await writeTree(dir, 'host-root/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA', 'Name: six\nVersion: 1.16.0\n');
  for (const table of ['net/tcp', 'net/tcp6', 'net/fib_trie', 'net/if_inet6', '48213/net/tcp', '48213/net/tcp6']) {
    await writeTree(dir, `host-root/proc/${table}`, '  sl  local_address rem_address   st\n');
  }

  const bin = join(dir, 'fake-bin');
  const log = join(dir, 'commands.log');
  await fakeEngine(bin, 'docker', {
    log,
    ps: join(dir, 'ps.txt'),
    inspect: join(dir, 'inspect.json'),
    image: fixturePath('docker-image-inspect.json'),
    execRoots: join(dir, 'exec-roots'),
    denySocket: options.denySocket,
    logs: join(dir, 'logs'),
  });
  await writeTree(dir, `logs/${LITELLM_ID}.log`, await readFile(fixturePath('litellm-docker-logs.txt'), 'utf8'));
  if (options.sudo) await fakeSudo(bin, log, options.sudo === 'allow');
  const marker = join(dir, 'interpreter-started');
  const runner = await hermeticRunner(shell, dir, { marker, extraBin: bin });
  return { dir, marker, log, pwned, runner };
}

function collect(lab: Lab & { runner: Awaited<ReturnType<typeof hermeticRunner>> }, phases: CollectPhase[] = [], readers = quietReaders) {
  return collectHost(lab.runner, {
    signal: new AbortController().signal,
    onPhase: (phase) => phases.push(phase),
    hostRoot: join(lab.dir, 'host-root'),
    readers,
  });
}

describe.each(SHELLS)('collectHost under $name', (shell) => {
  it('reads facts, containers and Python environments of the host and of running containers', async () => {
    const lab = await buildLab(shell);
    const phases: CollectPhase[] = [];

    const host = await collect(lab, phases);

    expect(host.facts?.kernel).toMatch(/^\d/);
    expect(host.containers.map(({ name, running }) => ({ name, running }))).toEqual([
      { name: 'litellm', running: true },
      { name: 'open-webui', running: false },
      { name: `$(touch ${lab.pwned})`, running: true },
    ]);
    const summary = host.pythonEnvironments.map(({ path, container, packages }) => ({
      path,
      container,
      packages: packages.map((pkg) => `${pkg.name}==${pkg.version}`),
    }));
    expect(summary).toEqual([
      { path: '/usr/lib/python3/dist-packages', container: null, packages: ['six==1.16.0'] },
      { path: '/usr/local/lib/python3.13/site-packages', container: 'litellm', packages: ['litellm==1.82.8'] },
      { path: '/usr/lib/python3.11/site-packages', container: `$(touch ${lab.pwned})`, packages: ['telnyx==4.87.2'] },
    ]);
    // The stopped container cannot be read in place, and its layers are not read (the fixture's are
    // not on this machine, or the login may not read them): a blind spot saying why, so the host is partial.
    expect(host.status).toBe('partial');
    expect(host.notes).toEqual([
      {
        collector: 'python',
        message: expect.stringMatching(
          /^1 stopped container was not read \(a stopped container's filesystem is not mounted, and its layers were not read from the host\): open-webui \((its layer \/var\/lib\/docker\/overlay2\/[0-9a-f]+\/diff is not readable on the host|the login is not root and `sudo -n` is not allowed)\)$/,
        ),
      },
    ]);
    expect(host.error).toMatch(/^python: 1 stopped container was not read/);
    // Not readable from the host (dash plays a login without root or sudo; the fixture's pids and
    // layers are not on this machine): the running containers were read the old ways, exec and
    // (for the one exec cannot read) its MergedDir.
    expect(host.containers.map(({ name, readVia }) => `${name} ${readVia ?? '-'}`)).toEqual(['litellm exec', 'open-webui -', `$(touch ${lab.pwned}) merged-dir`]);
    expect(new Set(phases)).toEqual(new Set(['facts', 'containers', 'python', 'iocs', 'keys']));
    expect(existsSync(lab.marker)).toBe(false);
    expect(existsSync(lab.pwned)).toBe(false);
    const commands = (await readFile(lab.log, 'utf8')).trim().split('\n');
    expect(commands).toContain(`docker exec -i ${LITELLM_ID} sh -s`);
    expect(commands).toContain(`docker exec -i ${DISTROLESS_ID} sh -s`);
  });

  it('runs independent phases side by side, never more than four scripts at once, and reports the same whichever ends first', async () => {
    const reports: unknown[] = [];
    for (const slow of ['facts', 'python'] as const) {
      const lab = await buildLab(shell);
      let running = 0;
      let peak = 0;
      const inFlight: string[] = [];
      const phasesAtOnce = new Set<string>();
      const runner: CommandRunner = {
        runScript: async (script, options) => {
          running++;
          peak = Math.max(peak, running);
          inFlight.push(options?.phase ?? '?');
          if (inFlight.length > 1) for (const phase of inFlight) phasesAtOnce.add(phase);
          try {
            // One phase held back each time, so the phases end in a different order.
            if (options?.phase === slow) await new Promise((resolve) => setTimeout(resolve, 150));
            return await lab.runner.runScript(script, options);
          } finally {
            running--;
            inFlight.splice(inFlight.indexOf(options?.phase ?? '?'), 1);
          }
        },
      };
      const host = await collectHost(runner, { signal: new AbortController().signal, onPhase: () => undefined, hostRoot: join(lab.dir, 'host-root'), readers: quietReaders });
      expect(peak).toBeGreaterThan(1);
      expect(peak).toBeLessThanOrEqual(4);
      expect([...phasesAtOnce]).toEqual(expect.arrayContaining(['facts', 'containers', 'python', 'iocs']));
      // Names and ids differ per lab (the planted command name): compare what does not.
      reports.push({
        status: host.status,
        containers: host.containers.map(({ id, running: up, readVia }) => ({ id, up, readVia })),
        environments: host.pythonEnvironments.map(({ path, packages }) => ({ path, packages })),
        notes: host.notes.map((note) => note.message.replace(lab.pwned, 'PWNED')),
        iocs: host.iocHits?.map((hit) => ({ ...hit, container: hit.container?.replace(lab.pwned, 'PWNED') ?? null })),
      });
    }
    expect(reports[1]).toEqual(reports[0]);
  });

  it("reads the gateway's logs through the engine from the compromise window's start and keeps per-client counts", async () => {
    const lab = await buildLab(shell);

    const host = await collect(lab);

    const commands = (await readFile(lab.log, 'utf8')).trim().split('\n');
    expect(commands.filter((command) => command.startsWith('docker logs ') && command.endsWith(LITELLM_ID))).toEqual([
      expect.stringMatching(new RegExp(`^docker logs --timestamps --since 2026-03-24T10:39:00\\.000Z --until \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z ${LITELLM_ID}$`)),
    ]);
    const litellm = host.gatewayTraffic?.find((traffic) => traffic.container === 'litellm');
    // The default window runs to now, so the 16:30 request after the advisory's end counts too.
    expect(litellm?.clients.map((client) => [client.address, client.requests])).toEqual([
      ['10.88.0.3', 4],
      ['172.20.0.3', 4],
      ['2001:db8::7', 1],
      ['fd00:77::5', 1],
    ]);
    expect(JSON.stringify(host)).not.toMatch(/BRTEST|Falcon/);
  });

  it('finds IOC persistence on the host, through docker exec and in a container filesystem read from the host', async () => {
    const lab = await buildLab(shell);
    await writeTree(lab.dir, 'host-root/root/.config/sysmon/sysmon.py', '# checkmarx.zone\n');
    await writeTree(lab.dir, `exec-roots/${LITELLM_ID}/tmp/.pg_state`, '');
    await writeTree(lab.dir, 'overlay2/distroless/merged/root/.config/audiomon/audiomon.py', '# placeholder\n');

    const host = await collect(lab);

    expect(host.iocHits?.map(({ ruleId, container, path }) => ({ ruleId, container, path }))).toEqual([
      { ruleId: 'litellm-sysmon-script', container: null, path: '/root/.config/sysmon/sysmon.py' },
      { ruleId: 'litellm-pg-state', container: 'litellm', path: '/tmp/.pg_state' },
      { ruleId: 'telnyx-audiomon-script', container: `$(touch ${lab.pwned})`, path: '/root/.config/audiomon/audiomon.py' },
    ]);
    expect(existsSync(lab.marker)).toBe(false);
    expect(existsSync(lab.pwned)).toBe(false);
  });

  it('hands the readers the files and environments of the host and its containers, keeps only their output and drops the artifacts', async () => {
    const lab = await buildLab(shell);
    await writeTree(lab.dir, 'host-root/home/alice/.bashrc', `export OPENAI_API_KEY=${PLANTED_KEY}\n`);
    await writeTree(lab.dir, `exec-roots/${LITELLM_ID}/app/.env`, `OPENAI_API_KEY=${PLANTED_KEY}\n`);
    let seen: HostArtifacts | null = null;
    let seenFiles: string[] = [];
    let seenEnvironments: string[] = [];
    const readers: ArtifactReaders = {
      findSecrets: (artifacts) => {
        seen = artifacts;
        seenFiles = artifacts.files.map((file) => `${file.container ?? 'host'} ${file.kind} ${file.path}`);
        seenEnvironments = artifacts.environments.map((environment) => `${environment.container} ${environment.variables.map(([name]) => name).join(',')}`);
        return {
          secrets: [{ fingerprint: 'openai:0123456789ab:ghij', provider: 'openai', container: null, source: 'shell-rc', path: '/home/alice/.bashrc', variable: 'OPENAI_API_KEY' }],
          authorizedKeys: [],
        };
      },
      readTopology: quietReaders.readTopology,
    };

    const host = await collect(lab, [], readers);

    expect(seenFiles).toEqual(
      expect.arrayContaining([
        'host shell-rc /home/alice/.bashrc',
        'host proc-net-tcp /proc/net/tcp',
        'litellm proc-net-tcp /proc/48213/net/tcp',
        'litellm dotenv /app/.env',
      ]),
    );
    expect(seenEnvironments).toEqual(expect.arrayContaining([expect.stringMatching(/^litellm .*LITELLM_MASTER_KEY/), expect.stringMatching(/^open-webui /)]));
    expect(host.secrets?.map((secret) => secret.fingerprint)).toEqual(['openai:0123456789ab:ghij']);
    expect(host.connections).toEqual([]);
    expect(seen!.files).toEqual([]);
    expect(seen!.environments).toEqual([]);
    expect(JSON.stringify(host)).not.toContain(PLANTED_KEY);
    expect(JSON.stringify(host)).not.toContain('sk-fixture-not-a-real-key');
    // The container's .env came with its Python scan and IOC search: one exec per running container, not one per collector.
    const execs = (await readFile(lab.log, 'utf8')).trim().split('\n').filter((line) => / exec /.test(line));
    expect(execs.sort()).toEqual([`docker exec -i ${DISTROLESS_ID} sh -s`, `docker exec -i ${LITELLM_ID} sh -s`].sort());
  });

  it('turns readers that throw into notes that quote nothing they were reading', async () => {
    const lab = await buildLab(shell);
    await writeTree(lab.dir, 'host-root/home/alice/.bashrc', `export OPENAI_API_KEY=${PLANTED_KEY}\n`);
    class YamlTrouble extends Error {}
    const readers: ArtifactReaders = {
      findSecrets: (artifacts) => {
        throw new Error(`cannot parse ${artifacts.files.map((file) => file.text).join('')}`);
      },
      readTopology: (artifacts) => {
        throw new YamlTrouble(`bad line: ${artifacts.files.map((file) => file.text).join('')}`);
      },
    };

    const host = await collect(lab, [], readers);

    expect(host.status).toBe('partial');
    expect(host.notes).toEqual(
      expect.arrayContaining([
        { collector: 'secrets', message: 'the secret search failed (Error); secrets on this host are not listed' },
        { collector: 'topology', message: 'reading gateways, consumers and tunnels failed (YamlTrouble); they are not shown for this host' },
      ]),
    );
    expect(host.secrets).toBeUndefined();
    expect(host.gatewayConfigs).toBeUndefined();
    expect(JSON.stringify(host)).not.toContain(PLANTED_KEY);
  });

  it('keeps scanning the host when docker refuses the socket and sudo -n is not allowed', async () => {
    const lab = await buildLab(shell, { denySocket: true, sudo: 'refuse' });

    const host = await collect(lab);

    expect(host.status).toBe('partial');
    expect(host.facts).not.toBeNull();
    expect(host.containers).toEqual([]);
    expect(host.pythonEnvironments.map((environment) => environment.path)).toEqual(['/usr/lib/python3/dist-packages']);
    expect(host.notes).toEqual([
      { collector: 'docker', message: 'permission denied on /var/run/docker.sock; sudo -n not allowed (sudo: a password is required)' },
    ]);
    expect(existsSync(lab.marker)).toBe(false);
  });

  it('notes a container it can neither exec into nor read from the host', async () => {
    const lab = await buildLab(shell, { distrolessMerged: 'missing', sudo: 'refuse' });

    const host = await collect(lab);

    const note = host.notes.find((candidate) => candidate.message.startsWith(`container $(touch ${lab.pwned})`));
    expect(note?.message).toMatch(/not read: docker exec failed \(exit 126: OCI runtime exec failed.*\); sudo -n reading its filesystem from the host failed \(sudo: a password is required\)/);
    expect(host.status).toBe('partial');
    expect(existsSync(lab.pwned)).toBe(false);
  });
});

it('reports ok with no notes when everything could be read', async () => {
  const dir = await tempDir();
  const bin = join(dir, 'fake-bin');
  const log = join(dir, 'commands.log');
  const podmanId = 'd41c8e2a7f5b3e9d1c7a5f3b9e1d7c5a3f9b1e7d5c3a9f7b5e3d1c9a7f5b3e1d';
  await writeFile(join(dir, 'ps.txt'), `${podmanId}\n`);
  await writeTree(dir, `exec-roots/${podmanId}/usr/local/lib/python3.13/site-packages/litellm-1.82.7.dist-info/METADATA`, 'Name: litellm\nVersion: 1.82.7\n');
  await fakeEngine(bin, 'podman', {
    log,
    ps: join(dir, 'ps.txt'),
    inspect: fixturePath('podman-inspect.json'),
    image: fixturePath('docker-image-inspect.json'),
    execRoots: join(dir, 'exec-roots'),
  });
  const runner = await hermeticRunner(SHELLS[0]!, dir, { marker: join(dir, 'marker'), extraBin: bin });

  const host = await collectHost(runner, { signal: new AbortController().signal, onPhase: () => undefined, hostRoot: join(dir, 'empty'), readers: quietReaders });

  expect(host).toMatchObject({ status: 'ok', notes: [] });
  expect(host.error).toBeUndefined();
  expect(host.pythonEnvironments).toEqual([
    {
      path: '/usr/local/lib/python3.13/site-packages',
      container: 'litellm',
      packages: [{ name: 'litellm', version: '1.82.7', metadataPath: '/usr/local/lib/python3.13/site-packages/litellm-1.82.7.dist-info' }],
    },
  ]);
  expect((await readFile(log, 'utf8')).trim().split('\n')).toContain(`podman exec -i ${podmanId} sh -s`);
});

it('stops between stages when the scan is cancelled and returns what it had as partial', async () => {
  const dir = await tempDir();
  const runner = await hermeticRunner(SHELLS[0]!, dir, { marker: join(dir, 'marker') });
  const controller = new AbortController();

  // The first stage (facts, containers, Python, IOCs) runs side by side; the key search starts after it.
  const host = await collectHost(runner, {
    signal: controller.signal,
    onPhase: (phase) => {
      if (phase === 'keys') controller.abort(new Error('cancelled'));
    },
    hostRoot: join(dir, 'empty'),
  });

  expect(host.status).toBe('partial');
  expect(host.facts).not.toBeNull();
  expect(host.pythonEnvironments).toEqual([]);
  expect(host.iocHits).toBeUndefined();
  expect(host.secrets).toBeUndefined();
});
