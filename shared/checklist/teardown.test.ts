import { describe, expect, it } from 'vitest';
import { mergeIntoLedger, type CaseLedger } from '../case/ledger.js';
import { labWithGatewayNotExposed } from '../fixtures/gateway-not-exposed.js';
import { LAB, sampleFindings, sampleWatchtower } from '../fixtures/sample-report.js';
import type { CompromisedPackageFinding, ConsumerFinding, Container, GatewayFinding, HostInventory, ScanReport } from '../model/index.js';
import { generateChecklist, mergeProgress, type ChecklistStepWithProgress } from './checklist.js';
import { teardownOutcomes, teardownPieces } from './teardown.js';
import { teardownStepId } from './teardown-steps.js';

const SCANNED = '2026-03-26T09:00:00.000Z';
const TICKED = '2026-03-26T10:00:00.000Z';
const RESCANNED = '2026-03-26T11:00:00.000Z';
const STEP = teardownStepId('gw', 'litellm');
const CONFIG = '/srv/ai-gateway/litellm-config.yaml';
const DOTENV = '/srv/ai-gateway/.env';
const COMPOSE = '/srv/ai-gateway/compose.yaml';
const TUNNEL_UNIT = '/home/lab-blast/.config/systemd/user/llm-tunnel.service';
const PGDATA = '/var/lib/docker/volumes/ai-gateway_pgdata/_data';
const DB_PASSWORD = 'database:0a1b2c3d4e5f:Zq9w';
const compose = (service: string) => ({ project: 'ai-gateway', service, workingDir: '/srv/ai-gateway', configFiles: [COMPOSE], image: null, imagePinnedByDigest: null, envFiles: [] as string[] });
const network = (...aliases: string[]) => [{ name: 'ai-gateway_default', ipAddress: null, ipv6Address: null, aliases }];

/** gw as the lab has it: litellm (with a Traefik label route) and its postgres `db` on one compose network, open-webui beside them, a Watchtower. */
function gwHost(): HostInventory {
  const litellm: Container = {
    id: 'a1',
    name: 'litellm',
    image: 'ghcr.io/berriai/litellm:main-latest',
    imageDigest: 'sha256:acfd6767b74f',
    running: true,
    envNames: ['DATABASE_URL', 'OPENAI_API_KEY'],
    ports: [{ containerPort: '4000/tcp', hostIp: '0.0.0.0', hostPort: '4000' }],
    networks: network('litellm'),
    mounts: [{ type: 'bind', source: CONFIG, destination: '/app/config.yaml', readOnly: true }],
    compose: { ...compose('litellm'), envFiles: ['.env'] },
  };
  const db: Container = {
    id: 'b2',
    name: 'ai-gateway-db-1',
    image: 'postgres:16',
    imageDigest: 'sha256:f73de16bae97',
    running: true,
    networks: network('db', 'ai-gateway-db-1'),
    mounts: [{ type: 'volume', source: PGDATA, destination: '/var/lib/postgresql/data', readOnly: false }],
    compose: compose('db'),
  };
  const openWebui: Container = {
    id: 'c3',
    name: 'open-webui',
    image: 'ghcr.io/open-webui/open-webui@sha256:1bbbd343d55f',
    imageDigest: 'sha256:1bbbd343d55f',
    running: true,
    networks: network('open-webui'),
    mounts: [{ type: 'volume', source: '/var/lib/docker/volumes/ai-gateway_open-webui/_data', destination: '/app/backend/data', readOnly: false }],
    compose: compose('open-webui'),
  };
  return {
    name: 'gw',
    address: 'root@127.0.0.7:22',
    status: 'ok',
    facts: { hostname: 'gw', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-31-amd64' },
    containers: [litellm, db, openWebui, sampleWatchtower()],
    pythonEnvironments: [],
    secrets: [
      { fingerprint: 'openai:3f2a9c1b7d4e:Qx7a', provider: 'openai', container: 'litellm', source: 'container-env', variable: 'OPENAI_API_KEY' },
      { fingerprint: 'openai:3f2a9c1b7d4e:Qx7a', provider: 'openai', container: null, source: 'env-file', path: DOTENV, variable: 'OPENAI_API_KEY' },
      { fingerprint: 'groq:7c1d2e3f4a5b:r8Tu', provider: 'groq', container: null, source: 'app-config', path: CONFIG, variable: 'model_list[llama-3.3-70b].litellm_params.api_key' },
      { fingerprint: DB_PASSWORD, provider: 'database', container: 'litellm', source: 'container-env', variable: 'DATABASE_URL' },
      { fingerprint: DB_PASSWORD, provider: 'database', container: 'ai-gateway-db-1', source: 'container-env', variable: 'POSTGRES_PASSWORD' },
      { fingerprint: 'litellm:99aa88bb77cc:m4st', provider: 'litellm', container: null, source: 'compose', path: COMPOSE, variable: 'services.litellm.environment.LITELLM_MASTER_KEY' },
    ],
    authorizedKeys: [],
    endpointReferences: [],
    tunnels: [],
    proxyRoutes: [{ proxy: 'traefik', container: 'litellm', match: 'Host(`llm.lab.example`)', upstreamHost: 'litellm', upstreamPort: 4000 }],
    gatewayConfigs: [{ gateway: 'litellm', container: 'litellm', path: 'postgresql://db:5432/litellm', models: [], virtualKeys: [] }],
  };
}

/** nodocker as the lab has it: Docker denied (partial), an autossh user unit forwarding 14000 to gw's gateway port. */
function nodockerHost(): HostInventory {
  return {
    name: 'nodocker',
    address: 'lab-blast@127.0.0.8:22',
    status: 'partial',
    error: 'docker: permission denied',
    notes: [{ collector: 'docker', message: 'permission denied on /var/run/docker.sock; sudo -n not allowed' }],
    facts: { hostname: 'nodocker', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-31-amd64' },
    containers: [],
    pythonEnvironments: [],
    secrets: [],
    authorizedKeys: [],
    endpointReferences: [],
    tunnels: [
      {
        source: 'systemd',
        path: TUNNEL_UNIT,
        unit: 'llm-tunnel.service',
        localAddress: '127.0.0.1',
        localPort: 14000,
        remoteHost: 'localhost',
        remotePort: 4000,
        sshDestination: 'gw',
        command: 'autossh -M 0 -N -L 14000:localhost:4000 gw',
      },
    ],
    proxyRoutes: [],
  };
}

const GATEWAY: GatewayFinding = {
  id: 'gateway:gw/litellm',
  kind: 'gateway',
  severity: 'critical',
  title: 'LiteLLM gateway litellm on gw',
  host: 'gw',
  container: 'litellm',
  gateway: 'litellm',
  endpoints: ['litellm:4000', '0.0.0.0:4000'],
  backends: ['openai', 'groq'],
  evidence: [],
};

const TUNNEL_CONSUMER: ConsumerFinding = {
  id: 'consumer:nodocker/llm-tunnel.service->gw/litellm',
  kind: 'consumer',
  severity: 'high',
  title: 'llm-tunnel.service on nodocker sends requests to litellm on gw',
  host: 'nodocker',
  container: null,
  consumer: 'llm-tunnel.service',
  consumerHost: 'nodocker',
  gateway: 'litellm',
  gatewayHost: 'gw',
  via: 'ssh-tunnel',
  evidence: [],
};

/** The scan before the teardown: the exposed gateway, its compromised package and the tunnel consumer. */
function before(): ScanReport {
  const litellm: CompromisedPackageFinding = { ...sampleFindings()[0]!, host: 'gw', container: 'litellm' };
  return { schemaVersion: 1, scannedAt: SCANNED, hosts: [gwHost(), nodockerHost()], findings: [litellm, GATEWAY, TUNNEL_CONSUMER] };
}

/** The scan after the owner's teardown: every piece gone, unless `keep` leaves the database or leaves nodocker unread. */
function after(keep: { database?: boolean; nodockerUnreachable?: boolean } = {}): ScanReport {
  const gw = gwHost();
  const stays = (name: string | null): boolean => name === 'open-webui' || name === 'watchtower' || (keep.database === true && name === 'ai-gateway-db-1');
  gw.containers = gw.containers.filter((container) => stays(container.name));
  gw.secrets = gw.secrets!.filter((secret) => secret.path === COMPOSE || stays(secret.container));
  gw.proxyRoutes = [];
  gw.gatewayConfigs = [];
  const nodocker: HostInventory = keep.nodockerUnreachable
    ? { name: 'nodocker', address: 'lab-blast@127.0.0.8:22', status: 'unreachable', error: 'connection refused', facts: null, containers: [], pythonEnvironments: [] }
    : { ...nodockerHost(), tunnels: [] };
  return { schemaVersion: 1, scannedAt: RESCANNED, hosts: [gw, nodocker], findings: [] };
}

/** The teardown step of the re-scan, merged with a tick made between the two scans. */
function judged(report: ScanReport, ledger: CaseLedger, ticked = true): ChecklistStepWithProgress {
  const progress = ticked ? { [STEP]: { done: true, note: '', updatedAt: TICKED, doneAt: TICKED } } : {};
  const merged = mergeProgress(generateChecklist(report, ledger), progress, { scannedAt: report.scannedAt, hosts: report.hosts, findings: report.findings });
  return merged.steps.find((step) => step.id === STEP)!;
}

describe('teardownPieces', () => {
  it('lists a lab-like gateway’s container, image, database by its compose alias, volume, key files, route, tunnel, unit and updater watch', () => {
    const report = before();

    const { pieces } = teardownPieces(GATEWAY, report);

    expect(pieces.map((piece) => [piece.kind, piece.host, piece.name, piece.path ?? null])).toEqual([
      ['container', 'gw', 'litellm', null],
      ['image', 'gw', 'sha256:acfd6767b74f', null],
      ['database-container', 'gw', 'ai-gateway-db-1', null],
      ['volume', 'gw', 'ai-gateway_pgdata', PGDATA],
      ['config-file', 'gw', DOTENV, DOTENV],
      ['config-file', 'gw', CONFIG, CONFIG],
      ['updater-watch', 'gw', 'watchtower', null],
      ['route', 'gw', 'traefik Host(`llm.lab.example`) → litellm:4000 (labels of container litellm)', null],
      ['tunnel', 'nodocker', '127.0.0.1:14000 → localhost:4000 via gw', TUNNEL_UNIT],
      ['unit', 'nodocker', 'llm-tunnel.service', TUNNEL_UNIT],
    ]);
    expect(pieces.find((piece) => piece.kind === 'database-container')?.why).toContain("db is ai-gateway-db-1's alias on network ai-gateway_default");
  });

  it('names a file a container that stays also reads as a gap instead of a piece', () => {
    const { pieces, gaps } = teardownPieces(GATEWAY, before());

    expect(pieces.some((piece) => piece.path === COMPOSE)).toBe(false);
    expect(gaps).toContainEqual(expect.stringContaining(`${COMPOSE} (it held litellm key 99aa88bb…m4st)`));
    expect(gaps).toContainEqual(expect.stringContaining('is also read by open-webui'));
  });

  it('finds the database through the password DATABASE_URL shares when no database read names its host, and says so when neither does', () => {
    const report = before();
    report.hosts[0]!.gatewayConfigs = [];

    const byPassword = teardownPieces(GATEWAY, report);
    report.hosts[0]!.secrets = report.hosts[0]!.secrets!.filter((secret) => secret.fingerprint !== DB_PASSWORD);
    const unknown = teardownPieces(GATEWAY, report);

    expect(byPassword.pieces.find((piece) => piece.kind === 'database-container')?.name).toBe('ai-gateway-db-1');
    expect(unknown.pieces.some((piece) => piece.kind === 'database-container')).toBe(false);
    expect(unknown.gaps).toContainEqual(expect.stringContaining('litellm has a DATABASE_URL, but the inventory does not say which container holds that database'));
  });

  it('keeps hostile names as data: a database container named like a command is named verbatim and matched exactly', () => {
    const report = before();
    const db = report.hosts[0]!.containers.find((container) => container.name === 'ai-gateway-db-1')!;
    db.name = '$(touch /tmp/pwned); db';
    report.hosts[0]!.secrets = report.hosts[0]!.secrets!.map((secret) => (secret.container === 'ai-gateway-db-1' ? { ...secret, container: db.name } : secret));
    const pieces = teardownPieces(GATEWAY, report).pieces;
    const rescan = after();
    rescan.hosts[0]!.containers.push({ ...db, name: '$(touch /tmp/pwned); db2' });

    const outcome = teardownOutcomes('litellm', pieces, rescan.hosts).find((entry) => entry.piece.kind === 'database-container');

    expect(outcome).toMatchObject({ piece: { name: '$(touch /tmp/pwned); db' }, state: 'gone' });
  });
});

describe('the teardown step', () => {
  it('waits for the gateway’s removal and its consumers’ moves, and lists every piece in its detail', () => {
    const steps = generateChecklist(before());

    const step = steps.find((candidate) => candidate.id === STEP)!;

    expect(step).toMatchObject({ phase: 'recover', verification: 'rescan', host: 'gw', container: 'litellm', gone: { kind: 'teardown', gatewayHost: 'gw', gateway: 'litellm' } });
    expect(step.blockedBy).toEqual([
      'teardown:remove-container:gw/litellm',
      'teardown:remove-image:gw/litellm/sha256%3Aacfd6767b74f',
      'clean-up:ingress:gw/litellm',
      'teardown:move-consumer:nodocker/llm-tunnel.service:gw/litellm',
    ]);
    expect(step.detail).toContain('- Database container ai-gateway-db-1 on gw');
    expect(step.detail).toContain(`- Tunnel unit llm-tunnel.service (${TUNNEL_UNIT}) on nodocker`);
  });

  it('waits for the retirement and every move of a gateway judged not exposed', () => {
    const report = labWithGatewayNotExposed();

    const step = generateChecklist(report).find((candidate) => candidate.id === STEP)!;

    expect(step.blockedBy).toEqual([
      'recover:retire-gateway:gw/litellm',
      `teardown:move-consumer:gw/open-webui:gw/litellm`,
      `teardown:move-consumer:ollama/ollama:gw/litellm`,
      `teardown:move-consumer:nodocker/${encodeURIComponent(LAB.consumerUnit)}:gw/litellm`,
    ]);
  });

  it('is not generated for a gateway the owner decided to patch', () => {
    const report = before();

    const steps = generateChecklist(report, null, { [GATEWAY.id]: { decision: 'patch', reason: 'kept', decidedAt: SCANNED } });

    expect(steps.some((step) => step.id === STEP)).toBe(false);
  });

  it('is verified when a re-scan after the tick reads every host and finds every piece gone', () => {
    const ledger = mergeIntoLedger(null, before());

    const step = judged(after(), ledger);

    expect(step).toMatchObject({ verified: true, stillFound: false, notScanned: [] });
    expect(step.teardown?.map((outcome) => outcome.state)).toEqual(Array(10).fill('gone'));
  });

  it('is not verified while the database container remains, and names it', () => {
    const ledger = mergeIntoLedger(null, before());

    const step = judged(after({ database: true }), ledger);

    expect(step).toMatchObject({ verified: false, stillFound: true });
    expect(step.teardown?.filter((outcome) => outcome.state === 'present')).toEqual([
      expect.objectContaining({ piece: expect.objectContaining({ kind: 'database-container', name: 'ai-gateway-db-1' }), reason: 'container ai-gateway-db-1 is still on gw (running)' }),
      expect.objectContaining({ piece: expect.objectContaining({ kind: 'volume', name: 'ai-gateway_pgdata' }), reason: 'ai-gateway-db-1 on gw still mounts it' }),
    ]);
  });

  it('is not verified when the tunnel’s host was not read, and says its pieces were not read', () => {
    const ledger = mergeIntoLedger(null, before());

    const step = judged(after({ nodockerUnreachable: true }), ledger);

    expect(step).toMatchObject({ verified: false, stillFound: false, notScanned: ['nodocker'] });
    expect(step.teardown?.filter((outcome) => outcome.state === 'not-read')).toEqual([
      expect.objectContaining({ piece: expect.objectContaining({ kind: 'tunnel', host: 'nodocker' }), reason: 'nodocker was not read' }),
      expect.objectContaining({ piece: expect.objectContaining({ kind: 'unit', host: 'nodocker' }), reason: 'nodocker was not read' }),
    ]);
  });

  it('is kept from the ledger with the same id after the gateway finding disappears, and done by evidence once every piece is gone', () => {
    const ledger = mergeIntoLedger(null, before());

    const step = judged(after(), ledger, false);

    expect(step.kept).toMatchObject({ lastSeen: SCANNED, check: { kind: 'teardown', gateway: 'litellm' } });
    expect(step.findingIds).toEqual([]);
    expect(step.doneByEvidence).toEqual({ scannedAt: RESCANNED, hosts: ['gw', 'nodocker'] });
    expect(step.verified).toBe(true);
  });

  it('reads a ledger written before teardowns were kept, and keeps no teardown step from it', () => {
    const old = { version: 1, secrets: [], authorizedKeys: [], consumers: [] } as CaseLedger;

    const merged = mergeIntoLedger(old, before());
    const steps = generateChecklist(after(), old);

    expect(merged.gateways?.map((item) => [item.id, item.judged, item.pieces.length])).toEqual([[GATEWAY.id, true, 10]]);
    expect(steps.some((step) => step.id === STEP)).toBe(false);
  });
});
