/**
 * The CLI, built (`npm run build`), scanning the lab on a real dockerd (e2e/lab/engines.ts): the
 * container acceptance of issue 14 on real containers, a real user network, a real published
 * port and real `docker logs`, not on the stand-in's replayed output. The lab is started once for
 * the file; each test reads the same scan.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, HostInventory, ScanReport } from '../shared/model/index.js';
import { mountsLeftBy, startEngineLab, type EngineLab } from './lab/engines.js';
import { expectedFingerprint, leakNeedles, PLANTED_SECRETS, type PlantedSecretId } from './lab/planted-secrets.js';
import { labCliEnv, requireBuiltCli, runCli, runCliScan } from './cli-run.js';

const execFileAsync = promisify(execFile);

let lab: EngineLab;
let outputDir: string;
let report: ScanReport;
let reportText: string;
let scanCode: number;
let scanSeconds: number;

const host = (name: string): HostInventory => {
  const found = report.hosts.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no host ${name} in the report`);
  return found;
};
const ofKind = <K extends Finding['kind']>(kind: K) => report.findings.filter((finding): finding is Extract<Finding, { kind: K }> => finding.kind === kind);
const notes = (name: string): string => (host(name).notes ?? []).map((note) => note.message).join('\n');

beforeAll(async () => {
  requireBuiltCli('npm run build');
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-engines-'));
  lab = await startEngineLab();
  const started = performance.now();
  const scan = await runCli(['scan', '--ssh-config', lab.sshConfigPath, '--all', '--json', join(outputDir, 'report.json'), '--markdown', join(outputDir, 'report.md')], { env: labCliEnv(outputDir) });
  scanSeconds = (performance.now() - started) / 1000;
  scanCode = scan.code;
  reportText = await readFile(join(outputDir, 'report.json'), 'utf8');
  report = JSON.parse(reportText) as ScanReport;
  console.info(`real-engine lab started in ${(lab.timings.total! / 1000).toFixed(2)} s (${JSON.stringify(lab.timings)}); CLI scan took ${scanSeconds.toFixed(2)} s`);
}, 180_000);

afterAll(async () => {
  if (!lab) return;
  const stopMs = await lab.stop();
  console.info(`real-engine lab stopped in ${(stopMs / 1000).toFixed(2)} s`);
});

describe('blast-radius scan on real Docker', () => {
  it('exits 0, or 4 when a host was not fully read, and reads every container the daemon runs, running or stopped', () => {
    // Exit 4 says a host asked for was not fully read (a stopped container's files cannot be read, for one).
    expect(scanCode).toBe(report.hosts.every((scanned) => scanned.status === 'ok') ? 0 : 4);

    expect(host('gw').containers.map((container) => `${container.name} ${container.running ? 'running' : 'stopped'}`).sort()).toEqual([
      'ai-gateway-db-1 running',
      'batch-runner running',
      'litellm running',
      'old-litellm stopped',
      'open-webui running',
      'watchtower running',
    ]);
  });

  it('finds the compromised litellm 1.82.8 and its .pth inside the real gateway container, read through its /proc/PID/root as root', () => {
    const compromised = ofKind('compromised-package').filter((finding) => finding.host === 'gw');
    const pth = ofKind('executable-pth').filter((finding) => finding.host === 'gw' && finding.container === 'litellm');
    const readVia = host('gw').containers.map((container) => `${container.name} ${container.readVia ?? '-'}`).sort();

    expect(compromised.map((finding) => `${finding.container} ${finding.package} ${finding.version} ${finding.severity}`)).toEqual(['litellm litellm 1.82.8 critical']);
    expect(pth.map((finding) => finding.title)).toEqual([expect.stringMatching(/litellm_init\.pth runs unrecognised code/)]);
    expect(readVia).toEqual([
      'ai-gateway-db-1 proc-root',
      'batch-runner proc-root',
      'litellm proc-root',
      'old-litellm layers',
      'open-webui proc-root',
      'watchtower proc-root',
    ]);
  });

  it('judges the gateway container exposed, naming the mutable tag and the updater that watches it through the engine socket', () => {
    const gateway = ofKind('gateway').find((finding) => finding.host === 'gw' && finding.container === 'litellm');
    const exposure = report.exposures?.find((candidate) => candidate.container === 'litellm' && candidate.advisories[0] === 'MAL-2026-2144');

    expect(gateway?.severity).toBe('critical');
    expect(exposure?.verdict).toBe('exposed');
    const reasons = exposure?.reasons.join('\n') ?? '';
    expect(reasons).toMatch(/Mutable tag ghcr\.io\/berriai\/litellm:main-latest/);
    expect(reasons).toMatch(/Auto-updater watchtower replaces it/);
  });

  it('recognises the engine\'s own socket, bind-mounted into the updater from its custom path (DOCKER_HOST, the daemon\'s --host)', () => {
    const watchtower = host('gw').containers.find((container) => container.name === 'watchtower');

    expect(watchtower?.mounts).toEqual([expect.objectContaining({ source: lab.engines.gw!.socket, destination: '/var/run/docker.sock', risk: 'engine-socket' })]);
    expect(ofKind('docker-socket-mount').map((finding) => `${finding.host} ${finding.container}`)).toEqual(['gw watchtower']);
  });

  it('keeps the published port once per address family, and names each endpoint once', () => {
    const litellm = host('gw').containers.find((container) => container.name === 'litellm');
    const endpoints = ofKind('gateway').find((finding) => finding.container === 'litellm')?.endpoints ?? [];

    expect(litellm?.ports).toEqual([
      { containerPort: '4000/tcp', hostIp: '0.0.0.0', hostPort: String(lab.gatewayPort) },
      { containerPort: '4000/tcp', hostIp: '::', hostPort: String(lab.gatewayPort) },
    ]);
    expect(endpoints).toEqual([...new Set(endpoints)]);
    // Loopback addresses are left out of endpoints (they reach nothing from another machine): the machine's own ones remain.
    expect(endpoints.filter((endpoint) => endpoint.endsWith(`:${lab.gatewayPort}`)).length).toBeGreaterThan(0);
  });

  it('names the consumer on the shared network and the host that reaches the gateway through its published port', () => {
    const consumers = ofKind('consumer').map((finding) => `${finding.host} ${finding.container ?? '-'} ${finding.via}`);

    expect(consumers.sort()).toEqual(['gw open-webui shared-network', 'ollama - host-port']);
  });

  it('tallies the gateway\'s real docker logs by client: the consumer container and the consumer host', () => {
    const traffic = host('gw').gatewayTraffic?.find((entry) => entry.container === 'litellm');
    const webui = lab.containers['open-webui']!.address;

    expect(traffic?.clients.map((client) => `${client.address} ${client.requests}`)).toEqual([`${webui} 3`, `${lab.hosts.ollama!.address} 2`]);
    expect(reportText).not.toContain('Project Falcon');
  });

  it('reports the keys in the containers\' environments by fingerprint, never by value', () => {
    const inEnvironments = (id: PlantedSecretId) =>
      ofKind('secret')
        .filter((finding) => finding.fingerprint === expectedFingerprint(PLANTED_SECRETS[id]))
        .flatMap((finding) => finding.locations.filter((location) => location.source === 'container-env').map((location) => `${location.container} ${location.variable}`));

    expect(inEnvironments('openai')).toEqual(['litellm OPENAI_API_KEY']);
    expect(inEnvironments('anthropic')).toEqual(['litellm ANTHROPIC_API_KEY']);
    expect(inEnvironments('litellm-master')).toEqual(['litellm LITELLM_MASTER_KEY']);
    expect(inEnvironments('litellm-virtual')).toEqual(['open-webui OPENAI_API_KEY']);
    expect(inEnvironments('postgres').sort()).toEqual(['ai-gateway-db-1 POSTGRES_PASSWORD', 'litellm DATABASE_URL']);
    for (const secret of Object.values(PLANTED_SECRETS)) for (const needle of leakNeedles(secret.value)) expect(reportText).not.toContain(needle);
  });

  it('reads the container without a shell from the host, where docker exec would exit 126', () => {
    const packages = host('gw').pythonEnvironments.filter((environment) => environment.container === 'batch-runner').flatMap((environment) => environment.packages.map((pkg) => `${pkg.name} ${pkg.version}`));

    expect(packages.sort()).toEqual(['requests 2.31.0', 'urllib3 2.0.7']);
    expect(notes('gw')).not.toMatch(/batch-runner: not read/);
  });

  it('reads the stopped container from its image layers without starting it: its packages, minus what its run deleted, and the key in its app folder', () => {
    const old = lab.containers['old-litellm']!;
    const packages = host('gw').pythonEnvironments.filter((environment) => environment.container === 'old-litellm').flatMap((environment) => environment.packages.map((pkg) => `${pkg.name} ${pkg.version}`));
    const groq = ofKind('secret').find((finding) => finding.fingerprint === expectedFingerprint(PLANTED_SECRETS.groq));

    // openai's metadata was deleted by the container's one run: a whiteout in its upper layer hides the image's copy.
    expect(packages.sort()).toEqual(['litellm 1.82.6', 'pip 24.0']);
    expect(groq?.locations.map((location) => `${location.host} ${location.container} ${location.path}`)).toContain('gw old-litellm /app/.env');
    expect(host('gw').containers.find((container) => container.name === 'old-litellm')).toMatchObject({ running: false, readVia: 'layers' });
    expect(notes('gw')).not.toMatch(/stopped container/);
    expect(host('gw').status).toBe('ok');
    expect(old.running).toBe(false);
  });

  it('ran no trapped interpreter or pip on the hosts or in any container', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
    expect(await lab.whereExists('/tmp/pwned')).toEqual([]);
  });
});

describe('the real-engine lab itself', () => {
  it('leaves no mount, process or folder behind when stopped', async () => {
    const second = await startEngineLab();

    await second.stop();

    expect(await mountsLeftBy(second.runDir)).toEqual([]);
    expect(existsSync(second.runDir)).toBe(false);
  }, 120_000);
});

describe('blast-radius scan on Podman, through its Docker API', () => {
  let podLab: EngineLab;
  let pod: ScanReport;
  const podHost = (): HostInventory => pod.hosts.find((candidate) => candidate.name === 'podgw')!;

  beforeAll(async () => {
    podLab = await startEngineLab({ podman: true });
    const scan = await runCliScan(['scan', '--ssh-config', podLab.sshConfigPath, '--host', 'podgw'], { json: join(outputDir, 'podman.json') }, { env: labCliEnv(outputDir) });
    if (scan.code !== 0) throw new Error(`scan exited ${scan.code}: ${scan.stderr}`);
    pod = scan.report;
  }, 180_000);

  afterAll(async () => {
    await podLab?.stop();
  });

  it('finds the compromised litellm and its .pth in the Podman container, the socket mount, and the gateway\'s log tally', () => {
    const found = pod.findings.filter((finding) => finding.host === 'podgw').map((finding) => `${finding.kind} ${finding.container}`);
    const traffic = podHost().gatewayTraffic?.find((entry) => entry.container === 'litellm');

    expect(found).toEqual(expect.arrayContaining(['compromised-package litellm', 'executable-pth litellm', 'docker-socket-mount watchtower', 'consumer open-webui']));
    expect(traffic?.clients.map((client) => `${client.address} ${client.requests}`)).toEqual([`${podLab.containers['podgw/open-webui']!.address} 3`, `${podLab.hosts.ollama!.address} 2`]);
  });

  it('reports the keys in the Podman containers\' environments by fingerprint', () => {
    const places = pod.findings
      .filter((finding): finding is Extract<Finding, { kind: 'secret' }> => finding.kind === 'secret' && finding.fingerprint === expectedFingerprint(PLANTED_SECRETS.openai))
      .flatMap((finding) => finding.locations.map((location) => `${location.host} ${location.container} ${location.variable}`));

    expect(places).toEqual(['podgw litellm OPENAI_API_KEY']);
  });

  it('reads the running containers through /proc/PID/root and the stopped one through its layers (the container without a shell included, where Podman\'s exec exits 127)', () => {
    const readVia = podHost().containers.map((container) => `${container.name} ${container.readVia ?? '-'}`).sort();

    expect(readVia).toEqual([
      'ai-gateway-db-1 proc-root',
      'batch-runner proc-root',
      'litellm proc-root',
      'old-litellm layers',
      'open-webui proc-root',
      'watchtower proc-root',
    ]);
    expect(pod.findings.filter((finding) => finding.kind === 'secret' && finding.fingerprint === expectedFingerprint(PLANTED_SECRETS.groq)).flatMap((finding) => (finding.kind === 'secret' ? finding.locations.map((location) => `${location.container} ${location.path}`) : []))).toContain('old-litellm /app/.env');
    expect(podHost().status).toBe('ok');
  });

  it('ran no trapped interpreter or pip', async () => {
    expect(await podLab.trippedTraps()).toEqual([]);
  });

  // Podman's CNI plugins DNAT the published port for every local address; left behind, a later
  // server that binds that port (any test's random port) never sees its connections.
  it("takes out the iptables rules Podman's CNI plugins made for the lab's containers when stopped", async () => {
    const gateway = podLab.containers['podgw/litellm']!;
    const rulesNaming = async (address: string) => {
      const { stdout: nat } = await execFileAsync('iptables', ['-w', '-t', 'nat', '-S']);
      const { stdout: filter } = await execFileAsync('iptables', ['-w', '-t', 'filter', '-S']);
      return `${nat}${filter}`.split('\n').filter((line) => line.includes(`${address}/`) || line.includes(`${address}:`));
    };
    expect(gateway.address).toMatch(/^10\./);
    expect(await rulesNaming(gateway.address!)).toContainEqual(expect.stringContaining(`--to-destination ${gateway.address}:4000`));

    await podLab.stop();

    expect(await rulesNaming(gateway.address!)).toEqual([]);
  });
});
